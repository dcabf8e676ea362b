"""The checks of a registry file that look across entries and at what is stored: ids given
twice, references to fora and people that exist nowhere, identical seats in overlapping
periods, duplicate memberships and meetings. Each problem names its entry; ImportInvalid
lists them all, so an operator fixes a file in one go.
"""

from __future__ import annotations

from datetime import date

from tvaers.governance.importfile import ImportInvalid, Period, RegistryFile, Tr
from tvaers.i18n import tr
from tvaers.reference import org


def _overlap(a: Period, b: Period) -> bool:
    a_end, b_end = a.valid_to or date.max, b.valid_to or date.max
    return a.valid_from < b_end and b.valid_from < a_end


def cross_check(
    file: RegistryFile,
    stored_fora: frozenset[str],
    stored_people: frozenset[str],
    tr: Tr = tr,
) -> None:
    """References between entries and to what is stored: duplicate ids, a parent, a seat's
    forum or person, a decision's forum that exists nowhere, identical seats that overlap.
    ImportInvalid lists them all."""
    problems: list[str] = []
    for section, entries in (("fora", file.fora), ("people", file.people)):
        seen: set[str] = set()
        for index, e in enumerate(entries):
            if e.id in seen:
                problems.append(
                    tr(
                        f"{section}[{index + 1}] ({e.id}): id {e.id!r} står der to gange",
                        f"{section}[{index + 1}] ({e.id}): id {e.id!r} appears twice",
                    )
                )
            seen.add(e.id)
    fora = stored_fora | {f.id for f in file.fora}
    people = stored_people | {p.id for p in file.people}
    for index, f in enumerate(file.fora):
        label = f"fora[{index + 1}] ({f.id})"
        if f.parent is not None and f.parent not in fora:
            problems.append(
                tr(f"{label}: ukendt parent {f.parent!r}", f"{label}: unknown parent {f.parent!r}")
            )
        if f.parent == f.id:
            problems.append(tr(f"{label}: er sin egen parent", f"{label}: is its own parent"))
    for index, s in enumerate(file.seats):
        label = f"seats[{index + 1}] ({s.forum}/{s.person})"
        if s.forum not in fora:
            problems.append(
                tr(f"{label}: ukendt forum {s.forum!r}", f"{label}: unknown forum {s.forum!r}")
            )
        if s.person not in people:
            problems.append(
                tr(f"{label}: ukendt person {s.person!r}", f"{label}: unknown person {s.person!r}")
            )
        for other_index, o in enumerate(file.seats[:index]):
            # A seat is identified by forum, person, role and valid_from: twice is one too
            # many; the same seat again in an overlapping period is a double booking.
            same = (o.forum, o.person, o.role) == (s.forum, s.person, s.role)
            if same and (o.valid_from == s.valid_from or _overlap(o, s)):
                problems.append(
                    tr(
                        f"{label}: samme sæde som seats[{other_index + 1}] i en overlappende "
                        "periode",
                        f"{label}: the same seat as seats[{other_index + 1}] in an overlapping "
                        "period",
                    )
                )
    seen_members: dict[tuple[str, str | None, date], int] = {}
    for index, ms in enumerate(file.memberships):
        key = (ms.unit, org.normalise_municipality_code(ms.municipality), ms.valid_from)
        if key in seen_members:
            label = f"memberships[{index + 1}] ({ms.unit}/{ms.municipality})"
            first = seen_members[key] + 1
            problems.append(
                tr(
                    f"{label}: samme medlemskab som memberships[{first}]",
                    f"{label}: the same membership as memberships[{first}]",
                )
            )
        seen_members.setdefault(key, index)
    for index, m in enumerate(file.meetings):
        label = f"meetings[{index + 1}]"
        if m.forum not in fora:
            problems.append(
                tr(f"{label}: ukendt forum {m.forum!r}", f"{label}: unknown forum {m.forum!r}")
            )
        titles = [a.title for a in m.agenda]
        if len(set(titles)) < len(titles):
            problems.append(
                tr(
                    f"{label}: et dagsordenspunkt står der to gange",
                    f"{label}: an agenda item appears twice",
                )
            )
        earlier = [(e.forum, e.date, e.title) for e in file.meetings[:index]]
        if (m.forum, m.date, m.title) in earlier:
            problems.append(
                tr(f"{label}: samme møde står der to gange", f"{label}: the same meeting twice")
            )
    for index, d in enumerate(file.decisions):
        if d.forum not in fora:
            label = f"decisions[{index + 1}]"
            problems.append(
                tr(f"{label}: ukendt forum {d.forum!r}", f"{label}: unknown forum {d.forum!r}")
            )
    if problems:
        raise ImportInvalid(file.path, problems)
