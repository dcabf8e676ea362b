"""The rule files: their format, checked on load, and what a check reports.

A rule file (``rules/*.yaml``) holds one region's rule set for a period; each rule names a
*kind* (``rulekinds``) and that kind's parameters. RulesInvalid names the file, the rule and
the field of anything wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tvaers.governance.terms import FORUM_KINDS, OFFICES, SEAT_ROLES, SIDES
from tvaers.i18n import tr
from tvaers.reference import org
from tvaers.web.forms import field_errors

ForumKind = Literal[tuple(FORUM_KINDS)]  # type: ignore[valid-type]
OfficeName = Literal[tuple(OFFICES)]  # type: ignore[valid-type]
Side = Literal[tuple(SIDES)]  # type: ignore[valid-type]
SeatRole = Literal[tuple(SEAT_ROLES)]  # type: ignore[valid-type]


class RulesInvalid(ValueError):
    """A rule file cannot be used; the message names the file and the rule."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Rule(_Spec):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    text: str
    forum_kind: ForumKind


class Target(_Spec):
    forum_kind: ForumKind
    # region: the fora of that kind in the same region; child: those whose parent it is.
    relation: Literal["region", "child"] = "region"
    side: Side | None = None
    role: SeatRole | None = None
    office: OfficeName | None = None


class OfficeCount(_Spec):
    office: OfficeName
    count: int = Field(ge=0)


class SeatPerMember(_Rule):
    kind: Literal["seat_per_member"]
    office: OfficeName


class SeatCount(_Rule):
    kind: Literal["seat_count"]
    side: Side
    role: SeatRole | None = None
    count: int = Field(ge=0)


class RoleOnSide(_Rule):
    kind: Literal["role_on_side"]
    role: SeatRole
    side: Side


class HolderAlsoSeated(_Rule):
    kind: Literal["holder_also_seated"]
    role: SeatRole
    side: Side | None = None
    target: Target


class OfficeSetMatches(_Rule):
    kind: Literal["office_set_matches"]
    office: OfficeName
    same_municipalities_as: Target
    plus: list[OfficeCount] = []


class HolderDirectsUnitOf(_Rule):
    kind: Literal["holder_directs_unit_of"]
    role: SeatRole
    side: Side | None = None
    offices: list[OfficeName]
    unit_of: Target


Rule = Annotated[
    SeatPerMember
    | SeatCount
    | RoleOnSide
    | HolderAlsoSeated
    | OfficeSetMatches
    | HolderDirectsUnitOf,
    Field(discriminator="kind"),
]


class RuleSet(_Spec):
    region: str
    name: str
    valid_from: date
    valid_to: date | None = None
    rules: list[Rule]

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


@dataclass(frozen=True)
class Finding:
    """One broken rule: the JSON shape of `tvaers org check` (governance.md)."""

    rule: str
    forum: str
    unit: str  # LEVEL:CODE of what is wrong: the municipality missing, or the forum's unit
    message: str

    def as_json(self) -> dict[str, str]:
        return {"rule": self.rule, "forum": self.forum, "unit": self.unit, "message": self.message}


# --- loading rule files --------------------------------------------------------------------


def load_rules(path: str | Path) -> RuleSet:
    """One rule file, checked; RulesInvalid names the file, the rule and the field."""
    name = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RulesInvalid(
            tr(f"{name}: kan ikke læses: {exc}", f"{name}: cannot be read: {exc}")
        ) from None
    try:
        found = RuleSet.model_validate(data)
    except ValidationError as exc:
        problems = []
        for where, message in field_errors(exc, tr).items():
            parts = where.split(".")
            if parts[0] == "rules" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                raw = (data or {}).get("rules") or []
                rule_id = (
                    raw[index].get("id")
                    if index < len(raw) and isinstance(raw[index], dict)
                    else None
                )
                where = (
                    f"rules[{index + 1}]"
                    + (f" ({rule_id})" if rule_id else "")
                    + (
                        "." + ".".join(parts[3:] if len(parts) > 3 else parts[2:])
                        if len(parts) > 2
                        else ""
                    )
                )
            problems.append(f"{where}: {message}")
        raise RulesInvalid(f"{name}: " + "; ".join(problems)) from None
    ids = [r.id for r in found.rules]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise RulesInvalid(
            tr(
                f"{name}: regel-id to gange: {', '.join(twice)}",
                f"{name}: rule id twice: {', '.join(twice)}",
            )
        )
    try:
        org.region(found.region)
    except ValueError:
        raise RulesInvalid(
            tr(
                f"{name}: ukendt region {found.region!r}",
                f"{name}: unknown region {found.region!r}",
            )
        ) from None
    return found


def shipped_rules() -> list[RuleSet]:
    """Every rule file shipped in the package."""
    folder = resources.files("tvaers.governance") / "rules"
    return [
        load_rules(str(f))
        for f in sorted(folder.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    ]
