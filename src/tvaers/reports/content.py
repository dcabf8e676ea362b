"""What a data pack says, built from the published result set as a user may see it: the
cover with its provenance, the key figures against the units the unit belongs to, a section
per indicator, chronic disease and contacts by sector, the optional sections of other
domains, and the appendix.

Every number passes ``Access.apply`` (tvaers.web.access) exactly as on the dashboards:
the pack is the dashboards' view of the unit on paper. The indicator sections take the
indicator page's own data (dashboards/indicator_page.py ``build``) and SPC from
dashboards/spc_view.py, so the pack and the pages cannot disagree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tvaers.dashboards.schemas import IndicatorPageRead
from tvaers.dashboards.summary import View
from tvaers.reports import appendix, providers
from tvaers.reports.cells import Shown, show
from tvaers.reports.fingerprint import fingerprint
from tvaers.reports.indicator_section import IndicatorSection, indicator_section
from tvaers.reports.strata import StrataBlock, strata_block
from tvaers.web.access import Access
from tvaers.web.labels import headline_stratum, level_name
from tvaers.web.results_store import Snapshot, parents
from tvaers.web.schemas import UnitRead
from tvaers.web.texts import translator

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The units a key figure is set against, in this order, when the unit belongs to them.
COMPARED_LEVELS = ("cluster", "sundhedsraad", "region", "country")
# The indicators of the section on chronic disease and contacts by sector (their strata).
CHRONIC_INDICATORS = ("chronic_prevalence", "chronic_contacts_by_sector")


class PackError(Exception):
    """The unit or period asked for is not in the results (one user-facing line)."""


@dataclass(frozen=True)
class Delivery:
    source: str
    extracted_at: str
    fingerprint: str


@dataclass(frozen=True)
class KeyRow:
    indicator_id: str
    name: str
    unit_label: str
    standardised: bool
    cell: Shown
    compared: tuple[Shown, ...]
    spc: str


@dataclass
class Pack:
    unit: UnitRead
    level_name: str
    period: str
    lang: str
    made: date
    computed_at: str
    catalogue: str
    deliveries: list[Delivery]
    fingerprint: str
    confidential: bool  # unsuppressed: every page is stamped
    compared: list[UnitRead]
    key_figures: list[KeyRow]
    sections: list[IndicatorSection]
    chronic: list[StrataBlock]
    optional: list[providers.Resolved]
    definitions: list[appendix.DefinitionText]
    rules: list[str]
    # What the pack shows of suppressed cells: (level, unit code, indicator, period).
    revealed: dict[tuple[str, str, str, str], int] = field(default_factory=dict)


def years(snap: Snapshot) -> list[str]:
    return sorted({p for (_, t), ps in snap.periods.items() if t == "year" for p in ps})


def check_request(snap: Snapshot, level: str, code: str, period: str | None) -> str:
    """The period to make the pack for, after checking unit and period (PackError)."""
    from tvaers.i18n import tr

    if snap.unit_name(level, code) is None:
        present = ", ".join(lv for lv, units in snap.units.items() if units)
        raise PackError(
            tr(
                f"--unit {level}:{code}: enheden har ingen resultater (niveauer med "
                f"resultater: {present}; se 'tvaers org list').",
                f"--unit {level}:{code}: the unit has no results (levels with results: "
                f"{present}; see 'tvaers org list').",
            )
        )
    available = years(snap)
    if not available:
        raise PackError(tr("Resultaterne har ingen år.", "The results hold no years."))
    if period is None:
        return available[-1]
    if period not in available:
        raise PackError(
            tr(
                f"--period {period}: vælg et år i resultaterne ({available[0]}–{available[-1]}).",
                f"--period {period}: choose a year in the results "
                f"({available[0]}–{available[-1]}).",
            )
        )
    return period


def catalogue_version(run: dict, tr) -> str:  # type: ignore[type-arg, no-untyped-def]
    """The catalogue the results were computed with: its building blocks' version and how
    many definitions, with a digest of every definition's version (listed in the appendix)."""
    versions = dict(run.get("definitions", {}))
    blocks = versions.pop("building_blocks", "")
    digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()[:12]
    return tr(
        f"v1 · byggesten {blocks} · {len(versions)} definitioner ({digest}; versioner i bilaget)",
        f"v1 · building blocks {blocks} · {len(versions)} definitions ({digest}; versions in "
        "the appendix)",
    )


def compared_units(snap: Snapshot, level: str, code: str) -> list[tuple[str, str]]:
    on = snap.structure_date(level)
    found = [u for u in parents(level, code, on) if u[0] in COMPARED_LEVELS]
    found = [u for u in found if snap.unit_name(*u) is not None]
    return sorted(found, key=lambda u: COMPARED_LEVELS.index(u[0]))


def build(
    snap: Snapshot,
    access: Access,
    level: str,
    code: str,
    *,
    period: str | None = None,
    lang: str = "da",
    made: date | None = None,
    confidential: bool = False,
    warehouse: Path | None = None,
    app_db_url: str | None = None,
    sessions: Callable[[], Session] | None = None,
) -> Pack:
    """The pack of one unit and year (the latest year when None). ``sessions`` opens the
    application database the registry sections read (None: they say their data are
    absent)."""
    from tvaers.i18n import language

    with language(lang):
        period = check_request(snap, level, code, period)
    tr = translator(lang)
    view = View(None, access.user, snap, access, lang, tr)  # type: ignore[arg-type]
    compared = compared_units(snap, level, code)
    rows: list[KeyRow] = []
    sections: list[IndicatorSection] = []
    pages: dict[str, IndicatorPageRead] = {}
    for d in snap.definitions.values():
        if period not in snap.periods.get((d.id, "year"), ()):
            continue
        section, page = indicator_section(view, d, (level, code), period)
        sections.append(section)
        if page is not None:
            pages[d.id] = page
        stratum = headline_stratum(d.strata)
        units = ((level, code), *compared)
        cells = view.cells(snap.cells(d.id, units=units, periods=(period,), strata=(stratum,)))
        by_unit = {(c.level, c.unit_code): c for c in cells}
        rows.append(
            KeyRow(
                indicator_id=d.id,
                name=d.name(lang),
                unit_label=d.unit(lang),
                standardised=d.standardised,
                cell=show(by_unit.get((level, code)), d.factor, lang),
                compared=tuple(show(by_unit.get(u), d.factor, lang) for u in compared),
                spc=section.spc_text,
            )
        )
    chronic = [
        block
        for indicator_id in CHRONIC_INDICATORS
        if indicator_id in pages
        for block in [strata_block(view, snap.definitions[indicator_id], pages[indicator_id])]
        if block is not None
    ]
    request = providers.SectionRequest(
        level,
        code,
        period,
        lang,
        tr,
        warehouse,
        app_db_url,
        snap.structure_date(level),
        snapshot=snap,
        access=access,
        sessions=sessions,
        spc={s.id: s.spc_text for s in sections},
    )
    optional = providers.resolve(request)  # before `revealed`: its cells count too
    run = snap.run
    deliveries = [
        Delivery(str(d.get("source", "")), str(d.get("extracted_at", "")), d.get("fingerprint", ""))
        for d in run.get("deliveries", [])
    ]
    return Pack(
        unit=view.unit(level, code),
        level_name=level_name(level, tr),
        period=period,
        lang=lang,
        made=made or date.today(),
        computed_at=snap.computed_at,
        catalogue=catalogue_version(run, tr),
        deliveries=deliveries,
        fingerprint=fingerprint(snap, level, code, period, lang, confidential, optional),
        confidential=confidential,
        compared=[view.unit(*u) for u in compared],
        key_figures=rows,
        sections=sections,
        chronic=chronic,
        optional=optional,
        definitions=appendix.definitions(snap, lang),
        rules=appendix.rules(tr),
        revealed=dict(access.revealed),
    )
