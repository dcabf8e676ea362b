"""Seat-based read access (governance.md): a user linked to a registry person has the units
of the fora where that person holds a seat, on the dates the seat and its forum are in force
— and no more. The seat widens where the role applies, never what it may do: a viewer with a
seat still sees no unsuppressed value. On SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from tvaers.cli import app as cli_app
from tvaers.governance import loading
from tvaers.users.service import UserError, link_person, principal, require_user
from tvaers.web import records
from tvaers.web.access import Access
from tvaers.web.db import session_scope
from tvaers.web.models import AuditEntry
from tvaers.web.scope import (
    Principal,
    SeatGrant,
    UnitRef,
    can_edit,
    can_see_unsuppressed,
    covers,
)

# Sønderborg's steering group (bilateral:540 serves the region and Sønderborg) and a
# Fyn cluster forum; the person sits in the first until the end of 2024, the second never.
REGISTRY = {
    "fora": [
        {
            "id": "styregruppe-540",
            "name": "Politisk styregruppe Sønderborg",
            "kind": "bilateral_steering_group",
            "unit": "municipality:540",
            "parent": None,
            "valid_from": date(2019, 1, 1),
            "valid_to": None,
        },
        {
            "id": "klynge-fyn",
            "name": "Politisk klynge Fyn",
            "kind": "political_cluster",
            "unit": "cluster:syddanmark-fyn",
            "parent": None,
            "valid_from": date(2022, 7, 1),
            "valid_to": date(2027, 1, 1),
        },
    ],
    "people": [
        {"id": "p1", "name": "Erik Lauritzen", "offices": []},
        {"id": "p2", "name": "Peter Rahbæk Juel", "offices": []},
    ],
    "seats": [
        {
            "forum": "styregruppe-540",
            "person": "p1",
            "side": "municipality",
            "role": "co_chair",
            "valid_from": date(2022, 1, 1),
            "valid_to": date(2025, 1, 1),
        },
        {
            "forum": "klynge-fyn",
            "person": "p2",
            "side": "municipality",
            "role": "co_chair",
            "valid_from": date(2022, 7, 1),
            "valid_to": None,
        },
    ],
}


@pytest.fixture
def linked(sessions, accounts, tmp_path):
    path = tmp_path / "registry.yaml"
    path.write_text(yaml.safe_dump(REGISTRY, allow_unicode=True), encoding="utf-8")
    with session_scope(sessions) as db:
        loading.load(db, str(path), "test")
    accounts.add("erik", "analyst")
    accounts.add("vera", "viewer")
    with session_scope(sessions) as db:
        link_person(db, "erik", "p1", "test")
        link_person(db, "vera", "p1", "test")
    return sessions


def _principal(sessions, username: str) -> Principal:
    with session_scope(sessions) as db:
        return principal(require_user(db, username), db)


def test_a_linked_analyst_sees_the_seats_units_while_the_seat_holds(linked):
    erik = _principal(linked, "erik")
    assert erik.seats == (
        SeatGrant(UnitRef("municipality", "540"), date(2022, 1, 1), date(2025, 1, 1)),
    )
    assert can_see_unsuppressed(erik, "municipality", "540", date(2024, 12, 31))
    # The grant ends with the seat's valid_to (exclusive) and starts with its valid_from.
    assert not can_see_unsuppressed(erik, "municipality", "540", date(2025, 1, 1))
    assert not can_see_unsuppressed(erik, "municipality", "540", date(2021, 12, 31))
    # No more than the seat: not a neighbour, not the region that contains Sønderborg,
    # not the Fyn cluster where another person sits.
    assert not can_see_unsuppressed(erik, "municipality", "510", date(2024, 6, 1))
    assert not can_see_unsuppressed(erik, "region", "1083", date(2024, 6, 1))
    assert not can_see_unsuppressed(erik, "cluster", "syddanmark-fyn", date(2024, 6, 1))


def test_a_seat_in_a_cluster_forum_covers_its_members_and_ends_with_the_forum(linked):
    with session_scope(linked) as db:
        link_person(db, "erik", "p2", "test")
    erik = _principal(linked, "erik")
    on = date(2024, 6, 1)
    assert can_see_unsuppressed(erik, "cluster", "syddanmark-fyn", on)
    assert can_see_unsuppressed(erik, "municipality", "461", on)  # Odense, a member
    assert not can_see_unsuppressed(erik, "municipality", "540", on)  # p1's seat, not p2's
    # The seat is open-ended, but the forum ends with the clusters on 1 January 2027.
    assert not covers(erik, "municipality", "461", date(2027, 1, 1))


def test_a_linked_viewer_gets_the_units_but_never_unsuppressed_values(linked):
    vera = _principal(linked, "vera")
    on = date(2024, 6, 1)
    assert covers(vera, "municipality", "540", on)
    assert not can_see_unsuppressed(vera, "municipality", "540", on)
    snapshot = SimpleNamespace(
        structure_date=lambda level: on,
        units={"municipality": {"540": "Sønderborg"}},
        visibility={},
    )
    assert Access(vera, snapshot).nothing  # type: ignore[arg-type]
    assert (
        Access(vera, snapshot).apply(  # type: ignore[arg-type]
            [{"level": "municipality", "unit_code": "540", "suppressed": True, "numerator": 3}]
        )[0]["numerator"]
        is None
    )


def test_per_request_access_follows_the_data_date(linked):
    erik = _principal(linked, "erik")
    cell = {"level": "municipality", "unit_code": "540", "suppressed": True, "numerator": 3}
    cell |= {"indicator_id": "population", "period": "2024"}  # what an audit entry names
    for on, shown in ((date(2024, 6, 1), 3), (date(2025, 6, 1), None)):
        snapshot = SimpleNamespace(
            structure_date=lambda level, on=on: on,
            units={"municipality": {"540": "Sønderborg"}},
            visibility={},
        )
        access = Access(erik, snapshot)  # type: ignore[arg-type]
        assert access.apply([cell])[0]["numerator"] == shown
        assert access.signature() == (
            frozenset({("municipality", "540")}) if shown else frozenset()
        )


def test_a_seat_in_a_unit_only_an_import_defines_grants_nothing_and_breaks_nothing(
    linked, tmp_path
):
    extra = {
        "fora": [
            {
                "id": "raad-sv",
                "name": "Sundhedsråd Sydvestjylland",
                "kind": "sundhedsraad",
                "unit": "sundhedsraad:sydvestjylland",
                "parent": None,
                "valid_from": date(2027, 1, 1),
                "valid_to": None,
            }
        ],
        "people": [{"id": "p1", "name": "Erik Lauritzen", "offices": []}],
        "seats": [
            {
                "forum": "raad-sv",
                "person": "p1",
                "side": "municipality",
                "role": "member",
                "valid_from": date(2027, 1, 1),
                "valid_to": None,
            }
        ],
        "memberships": [
            {
                "unit": "sundhedsraad:sydvestjylland",
                "municipality": "561",
                "valid_from": date(2027, 1, 1),
                "valid_to": None,
                "basis": "official list",
            }
        ],
    }
    path = tmp_path / "extra.yaml"
    path.write_text(yaml.safe_dump(extra, allow_unicode=True), encoding="utf-8")
    with session_scope(linked) as db:
        loading.load(db, str(path), "test")
    erik = _principal(linked, "erik")
    assert [str(g.unit) for g in erik.seats] == ["municipality:540"]
    assert not can_see_unsuppressed(erik, "municipality", "561", date(2027, 6, 1))


def test_linking_keeps_history_and_refuses_an_unknown_person(linked):
    with session_scope(linked) as db:
        with pytest.raises(UserError, match="p9"):
            link_person(db, "erik", "p9", "test")
        link_person(db, "erik", None, "test")
    with session_scope(linked) as db:
        user = require_user(db, "erik")
        assert user.person_id is None and principal(user, db).seats == ()
        changes = records.history(db, "users.user", user.id)
        assert [c.after.get("person_id") for c in changes[-2:]] == ["p1", None]


def test_users_link_and_list_from_the_command_line(linked, app_db_url):
    runner = CliRunner()
    with session_scope(linked) as db:
        link_person(db, "erik", None, "test")
    done = runner.invoke(cli_app, ["users", "link", "erik", "p2", "--app-db", app_db_url])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(cli_app, ["users", "list", "--json", "--app-db", app_db_url])
    assert {u["username"]: u["person"] for u in yaml.safe_load(listed.output)} == {
        "erik": "p2",
        "vera": "p1",
    }
    bad = runner.invoke(cli_app, ["users", "link", "erik", "nobody", "--app-db", app_db_url])
    assert bad.exit_code != 0 and "nobody" in bad.output
    with session_scope(linked) as db:
        actions = db.scalars(select(AuditEntry.action)).all()
        assert "user_linked" in actions


def test_a_seat_grants_reading_but_never_editing(linked, accounts):
    # A secretariat linked to the same person: the seat's unit is readable unsuppressed,
    # but only its own scope (here none) may be edited (governance.md: "read access").
    accounts.add("sara", "secretariat")
    with session_scope(linked) as db:
        link_person(db, "sara", "p1", "test")
    sara = _principal(linked, "sara")
    assert can_see_unsuppressed(sara, "municipality", "540", date(2024, 6, 1))
    assert not can_edit(sara, "municipality", "540", date(2024, 6, 1))
    # With the unit in her own scope she may edit it; the seat adds nothing to that.
    scoped = replace(sara, scopes=(UnitRef("municipality", "540"),))
    assert can_edit(scoped, "municipality", "540", date(2024, 6, 1))
