"""The collaboration's own rules as data, checked against the registry on any date.

A rule file (``rules/*.yaml``, format in ``rulespec``) holds one region's rule set for a
period; the kinds it may use are the code in ``rulekinds``. Another region's rules are
another file.

A rule speaks of the offices people hold on the checked date, and of the seats and fora in
force that day. A rule about a kind of forum the registry has no forum of on that day says
nothing (there is nothing to check yet), except where a rule ties two fora together and the
other one is missing: that is reported.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from tvaers.governance.rulekinds import KINDS, Snapshot
from tvaers.governance.rulespec import Finding, RuleSet, RulesInvalid, load_rules, shipped_rules
from tvaers.i18n import tr

__all__ = ["Finding", "RuleSet", "RulesInvalid", "check", "check_forum", "load_rules"]
__all__ += ["shipped_rules"]


def check(
    session: Session,
    on: date,
    rule_sets: list[RuleSet] | None = None,
    tr: Callable[[str, str], str] = tr,
) -> list[Finding]:
    """Every rule of every rule set in force on ``on``, against the registry that day."""
    snap = Snapshot.take(session, on, tr)
    findings: list[Finding] = []
    for rule_set in rule_sets if rule_sets is not None else shipped_rules():
        if not rule_set.in_force(on):
            continue
        for rule in rule_set.rules:
            for f in snap.fora:
                if f.kind == rule.forum_kind and snap.region_of[f.id] == rule_set.region:
                    findings += KINDS[type(rule)](rule, f, snap)
    return findings


def check_forum(
    session: Session, forum_id: str, on: date, tr: Callable[[str, str], str] = tr
) -> list[Finding]:
    """The findings that concern one forum (shown after a save in the web)."""
    return [f for f in check(session, on, tr=tr) if f.forum == forum_id]
