"""Sections of a data pack whose data belong to other domains: transitions, the
health-agreement targets, initiatives and task-transfer cases.

A pack asks each section's provider, named as an import string ("module:function") so the
pack imports nothing of a domain that is not installed. A provider is called with the
``SectionRequest`` and returns a ``Section`` (a heading, a lead text and tables), or None
when its domain holds no data for the unit. A provider that cannot be imported — its
domain is not part of this installation — counts as no data. Either way the pack prints
the section's one line saying the data are absent, never an empty table.

A domain plugs its section in by setting its provider's import string in ``PROVIDERS``
(e.g. "tvaers.transitions.pack:section"); until then the section says its data are absent.

A provider reads the published results through ``request.snapshot`` and ``request.access``
(the same disclosure control as every cell of the pack: a hidden figure is printed "—"),
and the registries through ``request.sessions`` (None when the pack is made without an
application database, or the database does not exist or is not migrated: then the registry
sections are absent).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from tvaers.web.labels import Tr

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from tvaers.web.access import Access
    from tvaers.web.results_store import Snapshot


@dataclass(frozen=True)
class SectionRequest:
    """What a provider is asked for: the unit, the year and the language; the result set
    and the reader's access to it; the warehouse and the application database it may read
    (None when the pack is made without them); and the SPC verdict of each indicator's
    section of the pack (by indicator id), so a section repeats the pack's own verdict."""

    level: str
    code: str
    period: str
    lang: str
    tr: Tr
    warehouse: Path | None = None
    app_db_url: str | None = None
    on: date | None = None  # the organisation's structure date of the unit's level
    snapshot: Snapshot | None = None
    access: Access | None = None
    sessions: Callable[[], Session] | None = None  # the application database's sessions
    spc: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...] = ()  # per column: right-aligned figures


@dataclass(frozen=True)
class Section:
    heading: str
    lead: str = ""
    tables: tuple[Table, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class OptionalSection:
    key: str
    heading: tuple[str, str]  # Danish, English
    absent: tuple[str, str]  # the one line printed when there are no data
    provider: str | None  # "module:function", or None until a domain provides one


# The sections after the chronic-disease section, in the pack's order. Transitions read the
# result set; the other three the registries of the application database.
PROVIDERS: tuple[OptionalSection, ...] = (
    OptionalSection(
        "transitions",
        ("Overgange mellem sektorer", "Transitions between sectors"),
        ("Ingen data om overgange i denne leverance.", "No data on transitions in this delivery."),
        "tvaers.transitions.pack:section",
    ),
    OptionalSection(
        "agreement",
        ("Sundhedsaftalens mål", "The health agreement's targets"),
        (
            "Ingen mål fra sundhedsaftalen for denne enhed.",
            "No health-agreement targets for this unit.",
        ),
        "tvaers.agreements.pack:targets_section",
    ),
    OptionalSection(
        "initiatives",
        ("Indsatser", "Initiatives"),
        ("Ingen registrerede indsatser for denne enhed.", "No initiatives recorded for this unit."),
        "tvaers.agreements.pack:initiatives_section",
    ),
    OptionalSection(
        "transfers",
        ("Opgaveoverdragelser", "Task transfers"),
        (
            "Ingen sager om opgaveoverdragelse for denne enhed.",
            "No task-transfer cases for this unit.",
        ),
        "tvaers.transfers.pack:section",
    ),
)


def _load(target: str | None) -> Callable[[SectionRequest], Section | None] | None:
    if target is None:
        return None
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        # Only the domain itself missing means "no data"; a missing import inside an
        # installed domain is a fault and is raised.
        if exc.name is not None and module_name.startswith(exc.name):
            return None
        raise
    return getattr(module, attribute, None)


@dataclass(frozen=True)
class Resolved:
    key: str
    heading: str
    section: Section | None
    absent: str


def resolve(
    request: SectionRequest, providers: tuple[OptionalSection, ...] = PROVIDERS
) -> list[Resolved]:
    """Every optional section for the pack: its content, or the line saying it is absent."""
    out = []
    for entry in providers:
        provider = _load(entry.provider)
        section = provider(request) if provider is not None else None
        out.append(
            Resolved(entry.key, request.tr(*entry.heading), section, request.tr(*entry.absent))
        )
    return out
