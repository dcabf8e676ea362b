"""`tvaers org import`'s loader: the spec's file format, every error class named by entry
and nothing written, idempotent re-import, a later file replacing a forum's seats with the
history keeping the old ones, memberships and "as on date" questions — on both databases."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tvaers.governance import loading, registry
from tvaers.governance.importfile import ImportInvalid
from tvaers.governance.models import Forum, Office, Person, Seat, UnitMembership
from tvaers.web import records
from tvaers.web.models import ChangeEntry

# The example of governance.md, as written there.
SPEC_EXAMPLE = """
fora:
  - {id: ssu-syd, name: Sundhedssamarbejdsudvalget, kind: ssu, unit: "region:1083",
     parent: null, valid_from: 2022-07-01, valid_to: 2027-01-01}
people:
  - id: p1
    name: Mads Skau
    offices:
      - {office: mayor, unit: "municipality:510", valid_from: 2022-01-01, valid_to: null}
seats:
  - {forum: ssu-syd, person: p1, side: municipality, role: vice_chair,
     valid_from: 2022-07-01, valid_to: null}
memberships:            # optional: units of level sundhedsraad/bilateral/cluster, dated
  - {unit: "sundhedsraad:fyn", municipality: "461", valid_from: 2027-01-01, valid_to: null,
     basis: "official list"}
"""


def _file(tmp_path: Path, text: str, name: str = "registry.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_the_spec_example_loads(db, tmp_path):
    summary = loading.load(db, _file(tmp_path, SPEC_EXAMPLE), "test")
    db.commit()
    assert summary.counts == {
        "forum.created": 1,
        "person.created": 1,
        "office.created": 1,
        "seat.created": 1,
        "membership.created": 1,
    }
    (ssu,) = registry.fora(db, date(2024, 1, 1))
    assert (ssu.id, ssu.kind, ssu.unit, ssu.valid_to) == (
        "ssu-syd",
        "ssu",
        "region:1083",
        date(2027, 1, 1),
    )
    assert registry.fora(db, date(2027, 1, 1)) == []  # valid_to is exclusive
    assert registry.fora(db, date(2022, 6, 30)) == []
    (seat,) = registry.seats(db, "ssu-syd", date(2024, 1, 1))
    assert (seat.person.name, seat.seat.role, seat.seat.side) == (
        "Mads Skau",
        "vice_chair",
        "municipality",
    )
    assert [(o.office, o.unit_code) for o in seat.offices] == [("mayor", "510")]
    assert registry.seats(db, "ssu-syd", date(2022, 6, 30)) == []
    # Fyn's shipped members and the imported row are one set (Odense is both).
    assert len(registry.members(db, "sundhedsraad", "fyn", date(2027, 1, 1))) == 10


def test_loading_the_same_file_twice_changes_nothing(db, tmp_path):
    path = _file(tmp_path, SPEC_EXAMPLE)
    loading.load(db, path, "test")
    db.commit()
    history = _count(db, ChangeEntry)
    versions = [f.version for f in db.scalars(select(Forum))]
    again = loading.load(db, path, "test")
    db.commit()
    assert not again.changed
    assert _count(db, ChangeEntry) == history
    assert [f.version for f in db.scalars(select(Forum))] == versions


def test_a_later_file_replaces_a_named_forums_seats_and_history_keeps_the_old(db, tmp_path):
    loading.load(db, _file(tmp_path, SPEC_EXAMPLE), "test")
    db.commit()
    (old_seat,) = db.scalars(select(Seat))
    later = """
fora:
  - {id: ssu-syd, name: Sundhedssamarbejdsudvalget Syddanmark, kind: ssu, unit: "region:1083",
     valid_from: 2022-07-01, valid_to: 2027-01-01}
people:
  - id: p2
    name: Anden Borgmester
    offices: [{office: mayor, unit: "municipality:0540", valid_from: 2022-01-01}]
seats:
  - {forum: ssu-syd, person: p2, side: municipality, role: vice_chair, valid_from: 2024-01-01}
"""
    summary = loading.load(db, _file(tmp_path, later, "later.yaml"), "test")
    db.commit()
    assert summary.counts["seat.removed"] == 1 and summary.counts["seat.created"] == 1
    assert summary.counts["forum.updated"] == 1
    (seat,) = registry.seats(db, "ssu-syd", date(2024, 6, 1))
    assert seat.person.id == "p2"
    assert registry.seats(db, "ssu-syd", date(2023, 6, 1)) == []  # the old seat is gone
    assert db.get(Person, "p1") is not None  # people the file does not name stay
    assert [o.unit_code for o in db.scalars(select(Office).where(Office.person_id == "p2"))] == [
        "540"
    ]
    removed = records.history(db, "governance.seat", old_seat.id)
    assert [e.action for e in removed] == ["create", "delete"]
    assert removed[-1].before["person_id"] == "p1"
    renamed = records.history(db, "governance.forum", "ssu-syd")
    assert [e.action for e in renamed] == ["create", "update"]
    assert renamed[-1].before == {"name": "Sundhedssamarbejdsudvalget"}
    assert renamed[-1].after == {"name": "Sundhedssamarbejdsudvalget Syddanmark"}


def test_a_seats_other_values_are_updated_in_place(db, tmp_path):
    loading.load(db, _file(tmp_path, SPEC_EXAMPLE), "test")
    db.commit()
    (before,) = db.scalars(select(Seat))
    ended = SPEC_EXAMPLE.replace(
        "role: vice_chair,\n     valid_from: 2022-07-01, valid_to: null",
        "role: vice_chair,\n     valid_from: 2022-07-01, valid_to: 2025-01-01",
    )
    loading.load(db, _file(tmp_path, ended, "ended.yaml"), "test")
    db.commit()
    (after,) = db.scalars(select(Seat))
    assert after.id == before.id and after.valid_to == date(2025, 1, 1) and after.version == 2
    assert registry.seats(db, "ssu-syd", date(2025, 1, 1)) == []


def test_imported_memberships_define_a_new_sundhedsraad(db, tmp_path):
    text = """
memberships:
  - {unit: "sundhedsraad:sydjylland", municipality: 540, valid_from: 2027-01-01, basis: official list}
  - {unit: "sundhedsraad:sydjylland", municipality: "0550", valid_from: 2027-01-01, basis: official list}
fora:
  - {id: sr-sydjylland, name: Sundhedsråd Sydjylland, kind: sundhedsraad,
     unit: "sundhedsraad:sydjylland", valid_from: 2027-01-01}
"""
    loading.load(db, _file(tmp_path, text), "test")
    db.commit()
    assert registry.members(db, "sundhedsraad", "sydjylland", date(2027, 1, 1)) == ["540", "550"]
    assert registry.members(db, "sundhedsraad", "sydjylland", date(2026, 12, 31)) == []
    assert registry.region_of_unit(db, "sundhedsraad", "sydjylland", date(2027, 1, 1)) == "1083"
    assert _count(db, UnitMembership) == 2


BASE = """
fora:
  - {id: ssu, name: SSU, kind: ssu, unit: "region:1083", valid_from: 2022-07-01}
people:
  - {id: p1, name: P1, offices: [{office: mayor, unit: "municipality:510", valid_from: 2022-01-01}]}
"""

# (file, words the one error must contain: the entry and what is wrong)
ERRORS = {
    "unknown forum": (
        BASE
        + "seats:\n  - {forum: nope, person: p1, side: region, role: member, valid_from: 2022-07-01}\n",
        ["seats[1] (nope/p1)", "ukendt forum 'nope'"],
    ),
    "unknown person": (
        BASE
        + "seats:\n  - {forum: ssu, person: p9, side: region, role: member, valid_from: 2022-07-01}\n",
        ["seats[1] (ssu/p9)", "ukendt person 'p9'"],
    ),
    "unknown parent": (
        BASE.replace("valid_from: 2022-07-01}", "valid_from: 2022-07-01, parent: kkr}"),
        ["fora[1] (ssu)", "ukendt parent 'kkr'"],
    ),
    "unknown field": (
        BASE.replace("kind: ssu,", "kind: ssu, colour: red,"),
        ["fora[1] (ssu)", "colour"],
    ),
    "unknown kind": (
        BASE.replace("kind: ssu,", "kind: committee,"),
        ["fora[1] (ssu)", "kind", "vælg en af"],
    ),
    "duplicate id": (BASE + "  - {id: p1, name: P1 igen}\n", ["people[2] (p1)", "to gange"]),
    "overlapping seats": (
        BASE + "seats:\n"
        "  - {forum: ssu, person: p1, side: municipality, role: member, valid_from: 2022-07-01}\n"
        "  - {forum: ssu, person: p1, side: municipality, role: member, valid_from: 2023-01-01}\n",
        ["seats[2] (ssu/p1)", "seats[1]", "overlappende"],
    ),
    "valid_to before valid_from": (
        BASE
        + "seats:\n  - {forum: ssu, person: p1, side: region, role: member, valid_from: 2022-07-01, valid_to: 2022-07-01}\n",
        ["seats[1] (ssu/p1)", "valid_to 2022-07-01 skal ligge efter valid_from 2022-07-01"],
    ),
    "office period": (
        BASE.replace("valid_from: 2022-01-01}", "valid_from: 2022-01-01, valid_to: 2021-01-01}"),
        ["people[1] (p1)", "mayor", "valid_to 2021-01-01"],
    ),
    "unknown region": (
        BASE.replace('"region:1083"', '"region:1099"'),
        ["fora[1] (ssu)", "'region:1099' findes ikke"],
    ),
    "unknown municipality": (
        BASE.replace('"municipality:510"', '"municipality:999"'),
        ["people[1] (p1)", "'municipality:999' findes ikke"],
    ),
    "unknown level": (
        BASE.replace('"region:1083"', '"kommune:540"'),
        ["fora[1] (ssu)", "ukendt niveau 'kommune'"],
    ),
    "unknown sundhedsraad": (
        BASE.replace('"region:1083"', '"sundhedsraad:vestjylland"'),
        ["fora[1] (ssu)", "'sundhedsraad:vestjylland' findes ikke"],
    ),
    "membership municipality": (
        "memberships:\n  - {unit: 'sundhedsraad:fyn', municipality: '999', valid_from: 2027-01-01, basis: x}\n",
        ["memberships[1] (sundhedsraad:fyn/999)", "'999' findes ikke"],
    ),
    "membership level": (
        "memberships:\n  - {unit: 'region:1083', municipality: '461', valid_from: 2027-01-01, basis: x}\n",
        ["memberships[1]", "sundhedsraad, bilateral, cluster"],
    ),
    "office twice": (
        BASE.replace(
            'offices: [{office: mayor, unit: "municipality:510", valid_from: 2022-01-01}]',
            'offices: [{office: mayor, unit: "municipality:510", valid_from: 2022-01-01}, '
            '{office: mayor, unit: "municipality:510", valid_from: 2022-01-01}]',
        ),
        ["people[1] (p1)", "mayor municipality:510 fra 2022-01-01 står der to gange"],
    ),
    "membership twice": (
        "memberships:\n"
        "  - {unit: 'sundhedsraad:fyn', municipality: '461', valid_from: 2027-01-01, basis: x}\n"
        "  - {unit: 'sundhedsraad:fyn', municipality: '0461', valid_from: 2027-01-01, basis: y}\n",
        ["memberships[2] (sundhedsraad:fyn/0461)", "memberships[1]"],
    ),
    "missing field": (BASE.replace("name: SSU, ", ""), ["fora[1] (ssu)", "name", "skal udfyldes"]),
    "bad date": (
        BASE.replace("valid_from: 2022-07-01", "valid_from: 1. juli"),
        ["fora[1] (ssu)", "valid_from", "dato"],
    ),
    "unknown section": (BASE + "minutes: []\n", ["ukendt afsnit minutes"]),
    "meeting forum": (
        BASE + "meetings:\n  - {forum: nope, date: 2023-01-01, title: Møde}\n",
        ["meetings[1]", "ukendt forum 'nope'"],
    ),
    "not a mapping": ("- just\n- a list\n", ["YAML-mapping"]),
    "not yaml": ("fora: [\n", ["ikke gyldig YAML"]),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_each_error_class_is_named_and_nothing_is_written(db, tmp_path, case):
    loading.load(db, _file(tmp_path, SPEC_EXAMPLE, "first.yaml"), "test")
    db.commit()
    history = _count(db, ChangeEntry)
    text, words = ERRORS[case]
    path = _file(tmp_path, text)
    with pytest.raises(ImportInvalid) as caught:
        loading.load(db, path, "test")
    db.rollback()
    message = str(caught.value)
    assert message.startswith(path)
    for word in words:
        assert word in message, (word, message)
    assert _count(db, ChangeEntry) == history
    assert [f.id for f in db.scalars(select(Forum))] == ["ssu-syd"]


def test_all_problems_of_a_file_are_listed_at_once(db, tmp_path):
    text = BASE.replace('"region:1083"', '"region:1099"') + (
        "seats:\n  - {forum: nope, person: p1, side: region, role: member, valid_from: 2022-07-01}\n"
    )
    # The unit is wrong (read) — the reference check comes after it, so one class at a time
    # is reported per stage; within a stage, every entry.
    with pytest.raises(ImportInvalid) as caught:
        loading.load(db, _file(tmp_path, text), "test")
    assert "'region:1099' findes ikke" in str(caught.value)
    text = BASE + (
        "seats:\n"
        "  - {forum: nope, person: p1, side: region, role: member, valid_from: 2022-07-01}\n"
        "  - {forum: ssu, person: p7, side: region, role: member, valid_from: 2022-07-01}\n"
    )
    with pytest.raises(ImportInvalid) as caught:
        loading.load(db, _file(tmp_path, text, "two.yaml"), "test")
    assert len(caught.value.problems) == 2


def test_a_seat_may_refer_to_what_is_already_stored(db, tmp_path):
    loading.load(db, _file(tmp_path, SPEC_EXAMPLE), "test")
    db.commit()
    text = "seats:\n  - {forum: ssu-syd, person: p1, side: municipality, role: member, valid_from: 2022-07-01}\n"
    summary = loading.load(db, _file(tmp_path, text, "seats.yaml"), "test")
    db.commit()
    # ssu-syd is named (by its seat): its seats are now exactly this one.
    assert summary.counts == {"seat.created": 1, "seat.removed": 1}
    (seat,) = registry.seats(db, "ssu-syd", date(2024, 1, 1))
    assert seat.seat.role == "member"


def test_the_shipped_syddanmark_file_loads_and_reloads_unchanged(db):
    from importlib import resources

    path = str(resources.files("tvaers.governance") / "data" / "syddanmark.yaml")
    first = loading.load(db, path, "test")
    db.commit()
    assert first.counts["forum.created"] == 5 + 8 + 9  # regional fora, 4+4 clusters, 9 bilateral
    assert not loading.load(db, path, "test").changed
    seats = registry.seats(db, "styregruppe-sonderborg", date(2019, 1, 7))
    assert len(seats) == 10
    assert {v.seat.side for v in seats} == {"municipality", "region"}
    assert registry.seats(db, "styregruppe-sonderborg", date(2022, 1, 1)) == []
    assert len(registry.decisions(db, "styregruppe-sonderborg")) == 3
    (meeting,) = registry.meetings(db, "styregruppe-sonderborg", date(2019, 1, 7))
    assert len(registry.agenda(db, meeting.id)) == 4
    assert registry.meetings(db, "styregruppe-sonderborg", date(2019, 1, 6)) == []


def test_a_meetings_agenda_becomes_the_files(db, tmp_path):
    text = BASE + (
        "meetings:\n  - forum: ssu\n    date: 2023-03-01\n    title: Møde 1\n    agenda:\n"
        "      - {title: Opgaveoverdragelse, subject_kind: task_transfer, subject_ref: TT-1}\n"
        "      - {title: Sundhedsaftalen}\n"
    )
    first = loading.load(db, _file(tmp_path, text), "test")
    db.commit()
    assert first.counts["meeting.created"] == 1 and first.counts["agenda_item.created"] == 2
    assert not loading.load(db, _file(tmp_path, text), "test").changed
    shorter = text.replace("      - {title: Sundhedsaftalen}\n", "")
    again = loading.load(db, _file(tmp_path, shorter, "b.yaml"), "test")
    db.commit()
    assert again.counts == {"agenda_item.removed": 1}
    (meeting,) = registry.meetings(db, "ssu")
    assert [(a.title, a.subject_ref) for a in registry.agenda(db, meeting.id)] == [
        ("Opgaveoverdragelse", "TT-1")
    ]
