"""The audit log written for people: action names in Danish (or English), units by name, the
details as short labelled lines, times on one line in Danish time.

The log itself keeps codes (``unsuppressed_viewed``, ``municipality:563``) so that it can be
searched and exported unchanged; only what is shown is translated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tvaers.formatting import DANISH_TIME, integer, local_date, names_listed
from tvaers.reference import org
from tvaers.web.models import AuditEntry

if TYPE_CHECKING:
    from tvaers.web.results_store import Snapshot

Tr = Callable[[str, str], str]

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "unsuppressed_viewed": ("Så diskretionerede tal", "Viewed suppressed figures"),
    "unsuppressed_downloaded": ("Hentede diskretionerede tal", "Downloaded suppressed figures"),
    "login": ("Loggede ind", "Logged in"),
    "logout": ("Loggede ud", "Logged out"),
    "login_blocked": ("Login spærret", "Login blocked"),
    "audit_exported": ("Hentede revisionsloggen", "Downloaded the audit log"),
    "user_added": ("Oprettede bruger", "Added a user"),
    "user_disabled": ("Deaktiverede bruger", "Disabled a user"),
    "user_enabled": ("Genaktiverede bruger", "Enabled a user"),
    "user_linked": ("Knyttede bruger til person", "Linked a user to a person"),
    "user_unlinked": ("Fjernede brugers tilknytning", "Unlinked a user"),
    "password_set": ("Satte adgangskode", "Set a password"),
    "record_created": ("Oprettede post", "Created a record"),
    "record_updated": ("Ændrede post", "Changed a record"),
    "record_deleted": ("Slettede post", "Deleted a record"),
}

# Details of a view of unsuppressed data (web/access.py) and of the other actions, in the
# order they are shown; keys not named here are shown as they are stored.
DETAIL_NAMES: dict[str, tuple[str, str]] = {
    "indicators": ("Indikatorer", "Indicators"),
    "units": ("Enheder", "Units"),
    "periods": ("Perioder", "Periods"),
    "cells": ("Celler", "Cells"),
    "path": ("Side", "Page"),
    "query": ("Valg", "Selection"),
    "username": ("Brugernavn", "User name"),
    "role": ("Rolle", "Role"),
    "scopes": ("Omfang", "Scope"),
    "person": ("Person", "Person"),
    "address": ("Adresse", "Address"),
    "entity": ("Post", "Record"),
    "id": ("Id", "Id"),
    "format": ("Format", "Format"),
}
# Shown elsewhere on the line (the page's own choices repeat what ``indicators`` and
# ``periods`` say) or of no use to a reader.
_NOT_SHOWN = {"page", "indicator", "period", "units"}
_LIST_AT_MOST = 6  # units and periods beyond these are counted, not listed


@dataclass(frozen=True)
class Detail:
    label: str
    text: str


def action_name(action: str, tr: Tr) -> str:
    names = ACTION_NAMES.get(action)
    return tr(*names) if names else action


def unit_name(level: str, code: str, tr: Tr, snapshot: Snapshot | None = None) -> str:
    """The unit's name (the published results' name first, then the reference data's);
    the code itself for a unit neither knows."""
    if snapshot is not None and (name := snapshot.unit_name(level, code)):
        return name
    try:
        name = org.unit_name(level, code)
    except ValueError:
        return f"{level}:{code}"
    if name is not None:
        return name
    if level == "country":
        return tr("Danmark", "Denmark")
    return f"{level}:{code}"


def unit_names(entry: AuditEntry, tr: Tr, snapshot: Snapshot | None = None) -> list[str]:
    """The units the entry is about, by name: its unit, or those a view lists."""
    units = [u.partition(":")[::2] for u in (entry.details or {}).get("units", ())]
    if not units and entry.unit_level and entry.unit_code:
        units = [(entry.unit_level, entry.unit_code)]
    return [unit_name(level, code, tr, snapshot) for level, code in units]


def when(moment: datetime, lang: str) -> str:
    """One line, Danish time, with seconds: 6.12.2026 kl. 07.16.03 (English: 6 Dec 2026
    07:16:03)."""
    here = moment.astimezone(DANISH_TIME)
    if lang == "en":
        return f"{local_date(here.date(), 'en')} {here:%H:%M:%S}"
    return f"{local_date(here.date(), 'da')} kl. {here:%H.%M.%S}"


def listed(names: list[str], tr: Tr) -> str:
    """Names joined, the first few of a long list and how many more."""
    return names_listed(names, tr("da", "en"), _LIST_AT_MOST)


def _periods(periods: list[str], tr: Tr) -> str:
    if len(periods) <= _LIST_AT_MOST:
        return ", ".join(periods)
    return tr(
        f"{periods[0]} til {periods[-1]} ({len(periods)} perioder)",
        f"{periods[0]} to {periods[-1]} ({len(periods)} periods)",
    )


def _text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return integer(value, lang)
    if isinstance(value, list | tuple):
        return ", ".join(_text(v, lang) for v in value)
    return "" if value is None else str(value)


def details(entry: AuditEntry, tr: Tr, lang: str, snapshot: Snapshot | None = None) -> list[Detail]:
    """The entry's details as labelled lines a person reads (its units are shown by
    ``unit_names``, beside them)."""
    values = dict(entry.details or {})
    out: list[Detail] = []
    definitions = snapshot.definitions if snapshot is not None else {}

    def add(key: str, text: str) -> None:
        if text:
            out.append(Detail(tr(*DETAIL_NAMES.get(key, (key, key))), text))

    if "indicators" in values:
        names = [definitions[i].name(lang) if i in definitions else i for i in values["indicators"]]
        add("indicators", listed(names, tr))
    if "periods" in values:
        add("periods", _periods(list(values["periods"]), tr))
    ordered = [k for k in DETAIL_NAMES if k not in ("indicators", "units", "periods")]
    rest = sorted(k for k in values if k not in DETAIL_NAMES)
    for key in (*ordered, *rest):
        if key in values and key not in _NOT_SHOWN:
            add(key, _text(values[key], lang))
    return out


def unit_choices(tr: Tr) -> Iterable[tuple[str, str]]:
    """(LEVEL:CODE, name) of the units a filter of the log can name: regions, clusters and
    municipalities in force today, by name."""
    for region in org.regions():
        yield f"region:{region.code}", region.name
    for cluster in org.clusters():
        yield f"cluster:{cluster.slug}", cluster.name
    for municipality in org.municipalities():
        yield f"municipality:{municipality.code}", municipality.name


def unit_by_name(text: str) -> str | None:
    """LEVEL:CODE of the one region, cluster or municipality called ``text`` (any case);
    None for no unit or a name several units share."""
    wanted = text.strip().casefold()
    found = {code for code, name in unit_choices(lambda da, en: da) if name.casefold() == wanted}
    return found.pop() if len(found) == 1 else None
