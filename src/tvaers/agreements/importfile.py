"""The agreement file (`tvaers agreement import FILE.yaml`, format in agreement.md): read,
check every entry, and name the entry in each problem, e.g.
"visions[0].focus_areas[0].goals[0].targets[1] (t2): ukendt indikator 'x'".

Nothing here writes: ``read`` turns a file into an ``AgreementFile`` or raises
``ImportInvalid`` with every problem found, so the loader writes all or nothing. Indicators
are checked against the catalogue (a target on an indicator the catalogue does not define is
refused), units against the reference data, fora against the governance registry.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from tvaers.agreements.file_entries import AgreementFile, DecisionRef, TargetFields
from tvaers.agreements.goals import national_goals
from tvaers.governance.importfile import ImportInvalid, regular_file, unit_problems
from tvaers.i18n import tr as default_tr
from tvaers.indicators.catalogue import Catalogue
from tvaers.indicators.catalogue import load as load_catalogue
from tvaers.reference import org
from tvaers.vocabulary import LEVELS
from tvaers.web.forms import field_errors

Tr = Callable[[str, str], str]
PERIOD_PATTERNS = {
    "year": re.compile(r"\d{4}"),
    "quarter": re.compile(r"\d{4}-Q[1-4]"),
    "month": re.compile(r"\d{4}-(0[1-9]|1[0-2])"),
}
# Those who catch a refused agreement file import it from here.
__all__ = ["AgreementFile", "ImportInvalid", "Known", "check", "read", "target_problems"]


@dataclass(frozen=True)
class Known:
    """What the file is checked against besides the reference data."""

    catalogue: Catalogue
    fora: frozenset[str]  # governance forum ids
    # (forum, day) -> ids of the decisions of that forum that day, about this agreement first
    decisions: dict[tuple[str, date], list[int]]


def _where(loc: tuple[Any, ...], raw: Any) -> tuple[str, str]:
    """(entry label, field) of a pydantic error location: the entry is the deepest list
    element on the path, named by its position and id."""
    label, node, last_entry, fields = "", raw, "", []
    for part in loc:
        if isinstance(part, int):
            label += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            key = node.get("id") if isinstance(node, dict) else None
            last_entry, fields = label + (f" ({key})" if key else ""), []
        else:
            label += ("." if label else "") + str(part)
            node = node.get(part) if isinstance(node, dict) else None
            fields.append(str(part))
    return last_entry, ".".join(fields)


def _parse(path: str, tr: Tr) -> dict[str, Any]:
    file = regular_file(path, tr)
    try:
        # safe_load: an agreement file is data; no YAML tag may construct objects.
        data = yaml.safe_load(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportInvalid(
            path, [tr(f"kan ikke læse filen: {exc}", f"cannot read the file: {exc}")]
        ) from None
    except yaml.YAMLError as exc:
        raise ImportInvalid(
            path, [tr(f"ikke gyldig YAML: {exc}", f"not valid YAML: {exc}")]
        ) from None
    if not isinstance(data, dict):
        raise ImportInvalid(
            path,
            [
                tr(
                    "filen skal være en YAML-mapping (id, name, …)",
                    "the file must be a YAML mapping",
                )
            ],
        )
    return data


def read(path: str | Path, known: Known | None = None, tr: Tr = default_tr) -> AgreementFile:
    """The file, every entry checked; ImportInvalid lists every problem."""
    path = str(path)
    data = _parse(path, tr)
    try:
        parsed = AgreementFile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for dotted, text in field_errors(exc, tr).items():
            loc = tuple(int(p) if p.isdigit() else p for p in dotted.split("."))
            entry, field = _where(loc, data)
            where = ": ".join(x for x in (entry, field) if x)
            problems.append(f"{where}: {text}" if where else text)
        raise ImportInvalid(path, problems) from None
    known = known or Known(load_catalogue(), frozenset(), {})
    problems = check(parsed, known, tr)
    if problems:
        raise ImportInvalid(path, problems)
    return parsed


def check(file: AgreementFile, known: Known, tr: Tr = default_tr) -> list[str]:
    """Every problem of a parsed file: ids, periods, units, fora, indicators, decisions."""
    problems: list[str] = []
    if file.valid_to is not None and file.valid_to <= file.valid_from:
        problems.append(
            tr(
                f"valid_to {file.valid_to} skal ligge efter valid_from {file.valid_from}",
                f"valid_to {file.valid_to} must lie after valid_from {file.valid_from}",
            )
        )
    for i, party in enumerate(file.parties):
        problems += [f"parties[{i}]: {p}" for p in _owner_problems(party, known, tr)]
    for i, d in enumerate(file.decisions):
        problems += [f"decisions[{i}]: {p}" for p in _decision_problems(d, known, tr)]
    seen: dict[str, str] = {}

    def once(key: str, label: str) -> None:
        if key in seen:
            problems.append(
                tr(
                    f"{label}: id {key!r} er brugt før ({seen[key]})",
                    f"{label}: the id {key!r} is used before ({seen[key]})",
                )
            )
        seen.setdefault(key, label)

    for vi, v in enumerate(file.visions):
        once(v.id, f"visions[{vi}] ({v.id})")
        for fi, f in enumerate(v.focus_areas):
            once(f.id, f"visions[{vi}].focus_areas[{fi}] ({f.id})")
    for where, g in file.goals():
        label = f"{where} ({g.id})"
        once(g.id, label)
        if g.national_goal is not None and g.national_goal not in national_goals():
            problems.append(
                tr(
                    f"{label}: national_goal {g.national_goal}: vælg 1–{len(national_goals())}",
                    f"{label}: national_goal {g.national_goal}: choose 1–{len(national_goals())}",
                )
            )
        for ii, initiative in enumerate(g.initiatives):
            entry = f"{where}.initiatives[{ii}] ({initiative.id})"
            once(initiative.id, entry)
            found = _owner_problems(initiative.owner, known, tr)
            for si, s in enumerate(initiative.series):
                found += [
                    f"series[{si}]: {p}"
                    for p in _series_problems(s.indicator, s.unit, s.stratum, s.period, known, tr)
                ]
            problems += [f"{entry}: {p}" for p in found]
        for ti, t in enumerate(g.targets):
            entry = f"{where}.targets[{ti}] ({t.id})"
            once(t.id, entry)
            problems += [f"{entry}: {p}" for p in _target_problems(t, known, tr)]
    return problems


def _owner_problems(text: str, known: Known, tr: Tr) -> list[str]:
    """A party or an owner: a unit LEVEL:CODE or a forum of the governance registry."""
    if ":" in text:
        return unit_problems(text, tr)
    if text in known.fora:
        return []
    return [
        tr(
            f"ukendt forum {text!r} (skriv et forum-id eller en enhed NIVEAU:KODE)",
            f"unknown forum {text!r} (write a forum id or a unit LEVEL:CODE)",
        )
    ]


def _decision_problems(d: DecisionRef, known: Known, tr: Tr) -> list[str]:
    if d.forum not in known.fora:
        return [tr(f"ukendt forum {d.forum!r}", f"unknown forum {d.forum!r}")]
    found = known.decisions.get((d.forum, d.date), [])
    if not found:
        return [
            tr(
                f"{d.forum} har ingen beslutning den {d.date} i beslutningsloggen",
                f"{d.forum} has no decision on {d.date} in the decision log",
            )
        ]
    return []


def _series_problems(
    indicator: str, unit: str | None, stratum: str, period: str, known: Known, tr: Tr
) -> list[str]:
    return [p for _, p in _series_field_problems(indicator, unit, stratum, period, known, tr)]


def _series_field_problems(
    indicator: str, unit: str | None, stratum: str, period: str, known: Known, tr: Tr
) -> list[tuple[str, str]]:
    """(field, problem) of a series or a target's series: a form names the field."""
    try:
        ind = known.catalogue.get(indicator)
    except KeyError:
        return [
            ("indicator", tr(f"ukendt indikator {indicator!r}", f"unknown indicator {indicator!r}"))
        ]
    problems = [("unit", p) for p in unit_problems(unit, tr)] if unit is not None else []
    strata = {s.id for s in ind.strata} | {""}
    if stratum not in strata:
        shown = ", ".join(repr(s) for s in sorted(strata))
        problems.append(
            (
                "stratum",
                tr(
                    f"stratum {stratum!r} findes ikke for {indicator} (findes: {shown})",
                    f"stratum {stratum!r} is not in {indicator} (available: {shown})",
                ),
            )
        )
    if period not in ind.periods:
        problems.append(
            (
                "period",
                tr(
                    f"period {period}: {indicator} beregnes kun for {', '.join(ind.periods)}",
                    f"period {period}: {indicator} is computed only for {', '.join(ind.periods)}",
                ),
            )
        )
    return problems


def _target_problems(t: TargetFields, known: Known, tr: Tr) -> list[str]:
    return [p for _, p in target_problems(t, known, tr)]


def target_problems(t: TargetFields, known: Known, tr: Tr = default_tr) -> list[tuple[str, str]]:
    """(field, problem) of a target beyond its fields' own rules: the file's check, and the
    web form's (agreements.targets), so a form and a file never disagree."""
    problems = _series_field_problems(t.indicator, t.unit, t.stratum, t.period, known, tr)
    if problems and problems[0][0] == "indicator":
        return problems
    ind = known.catalogue.get(t.indicator)
    if ind.direction == "neutral":
        problems.append(
            (
                "indicator",
                tr(
                    f"{t.indicator} har ingen retning (neutral): et mål på den kan ikke vurderes",
                    f"{t.indicator} has no direction (neutral): a target on it cannot be assessed",
                ),
            )
        )
    if t.standardised and not ind.standardised:
        problems.append(
            (
                "standardised",
                tr(
                    f"standardised: {t.indicator} standardiseres ikke i kataloget",
                    f"standardised: the catalogue does not standardise {t.indicator}",
                ),
            )
        )
    if (t.unit is None) == (t.level is None):
        problems.append(
            (
                "unit",
                tr(
                    "angiv enten unit (NIVEAU:KODE) eller level med region",
                    "give either unit (LEVEL:CODE) or level with region",
                ),
            )
        )
    elif t.level is not None:
        problems += _level_problems(t.level, t.region, tr)
    pattern = PERIOD_PATTERNS[t.period]
    for name, value in (("baseline", t.baseline), ("by", t.by)):
        if not pattern.fullmatch(value):
            problems.append(
                (
                    name,
                    tr(
                        f"{name} {value!r} er ikke en periode af typen {t.period}",
                        f"{name} {value!r} is not a period of the type {t.period}",
                    ),
                )
            )
    if not problems and t.by <= t.baseline:
        problems.append(
            (
                "by",
                tr(
                    f"by {t.by} skal ligge efter baseline {t.baseline}",
                    f"by {t.by} must lie after baseline {t.baseline}",
                ),
            )
        )
    return problems


def _level_problems(level: str, region: str | None, tr: Tr) -> list[tuple[str, str]]:
    if level not in LEVELS or level in ("country", "region"):
        choices = ", ".join(lv for lv in LEVELS if lv not in ("country", "region"))
        return [
            ("level", tr(f"level {level!r}: vælg {choices}", f"level {level!r}: choose {choices}"))
        ]
    if region is None:
        return [
            (
                "region",
                tr("region mangler (regionskoden, fx 1083)", "region is missing (e.g. 1083)"),
            )
        ]
    if region not in {r.code for r in org.regions()}:
        return [("region", tr(f"ukendt region {region!r}", f"unknown region {region!r}"))]
    return []
