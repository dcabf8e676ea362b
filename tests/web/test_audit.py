"""The audit log: written by audit(), never changed (by the app or by SQL), read and exported
by admins only."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from tests.web.helpers import log_in, token
from tvaers.web.audit import audit, entry_values
from tvaers.web.models import AuditEntry, AuditLogIsAppendOnly
from tvaers.web.scope import Principal, UnitRef

ANALYST = Principal(7, "anna", "Anna", "analyst", (UnitRef("cluster", "syddanmark-fyn"),))


def test_audit_writes_who_what_when_unit_and_details(db):
    entry = audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "461"), {"indicator": "x"})
    stored = db.scalars(select(AuditEntry)).one()
    assert stored.id == entry.id
    assert (stored.actor, stored.role, stored.action) == ("anna", "analyst", "unsuppressed_viewed")
    assert (stored.unit_level, stored.unit_code) == ("municipality", "461")
    assert stored.details == {"indicator": "x"}
    assert stored.at.tzinfo is not None


def test_audit_commits_at_once_so_the_record_outlives_a_failing_page(db, sessions):
    audit(db, "cli:root", "user_added", None, {"username": "bo"})
    db.rollback()  # what a later error in the same request would do
    with sessions() as other:
        assert other.scalar(select(AuditEntry.actor)) == "cli:root"


def test_audit_accepts_a_unit_ref_and_an_anonymous_actor(db):
    audit(db, None, "login_blocked", UnitRef("region", "1083"))
    stored = db.scalars(select(AuditEntry)).one()
    assert (stored.actor, stored.role, stored.unit_code) == ("anonymous", None, "1083")


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_the_log(engine, db, statement):
    audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "461"))
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text(statement))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).scalars().all() == ["anna"]


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_postgresql_refuses_truncate_too(engine, db):
    audit(db, ANALYST, "login")
    with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_log"))


def test_the_application_cannot_change_or_delete_an_entry(db):
    entry = audit(db, ANALYST, "login")
    entry.actor = "someone else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    db.delete(db.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()


# --- the admin pages ---------------------------------------------------------------------


def test_an_admin_reads_the_log_as_html_and_json(client, accounts, db):
    accounts.add("adm", "admin", ("country", "DK"))
    audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "461"), {"indicator": "x"})
    log_in(client, "adm")
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "Revisionslog" in page.text
    # For people: the action and the unit by name (461 is Odense), not as codes.
    row = page.text[page.text.index('<tr id="entry-1">') :].split("</tr>")[0]
    assert "Så diskretionerede tal" in row and "Odense" in row and "Analytiker" in row
    assert "unsuppressed_viewed" not in row and "municipality:461" not in row
    data = client.get("/admin/audit.json").json()
    assert data["total"] == 2  # the entry above and adm's login
    assert [e["action"] for e in data["entries"]] == ["login", "unsuppressed_viewed"]
    assert data["entries"][1]["details"] == {"indicator": "x"}
    assert data["entries"][1]["action_name"] == "Så diskretionerede tal"
    assert data["entries"][1]["unit_names"] == ["Odense"]


def test_the_log_is_paged(client, accounts, db):
    accounts.add("adm", "admin")
    for i in range(5):
        audit(db, ANALYST, f"action_{i}")
    log_in(client, "adm")
    data = client.get("/admin/audit.json?limit=2&offset=2").json()
    assert data["total"] == 6
    assert [e["action"] for e in data["entries"]] == ["action_3", "action_2"]
    page = client.get("/admin/audit?limit=2&offset=2").text
    assert "offset=0" in page and "offset=4" in page  # newer and older
    assert client.get("/admin/audit.json?limit=0").status_code == 422


def test_the_csv_export_holds_every_entry_and_records_itself(client, accounts, db):
    accounts.add("adm", "admin")
    audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "461"), {"indicator": "x"})
    audit(db, None, "login_blocked", None, {"username": "=HYPERLINK(1)"})
    log_in(client, "adm")
    response = client.get("/admin/audit.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["action"] for r in rows] == [
        "unsuppressed_viewed",
        "login_blocked",
        "login",
        "audit_exported",
    ]
    assert rows[0]["unit_level"] == "municipality" and rows[0]["unit_code"] == "461"
    assert rows[0]["details"] == '{"indicator": "x"}'
    assert rows[3]["actor"] == "adm"
    # A value a spreadsheet would run as a formula is defused.
    assert not any(v.startswith("=") for r in rows for v in r.values())


def test_an_admin_chooses_entries_by_user_action_unit_and_danish_days(client, accounts, db):
    accounts.add("adm", "admin")
    bo = Principal(8, "bo", "Bo", "analyst", ())
    winter = datetime(2026, 1, 31, 23, 30, tzinfo=UTC)  # 1 February, 00:30 in Denmark
    for user, action, unit, at in (
        (ANALYST, "unsuppressed_viewed", ("municipality", "561"), winter),
        (ANALYST, "unsuppressed_downloaded", ("municipality", "561"), winter),
        (ANALYST, "unsuppressed_viewed", ("municipality", "461"), winter - timedelta(hours=1)),
        (bo, "unsuppressed_viewed", ("municipality", "561"), winter + timedelta(days=1)),
    ):
        db.add(AuditEntry(**entry_values(user, action, unit, at=at)))
    db.commit()
    log_in(client, "adm")

    def chosen(query: str) -> list[tuple[str, str, str | None]]:
        data = client.get(f"/admin/audit.json?{query}").json()
        assert data["total"] == len(data["entries"])
        return [(e["actor"], e["action"], e["unit_code"]) for e in data["entries"]]

    viewed_esbjerg = "actor=ANNA&action=unsuppressed_viewed&unit=municipality:0561"
    assert chosen(viewed_esbjerg) == [("anna", "unsuppressed_viewed", "561")]
    # Days are Danish: 23:30 UTC on 31 January is 1 February.
    assert {u for _, _, u in chosen("since=2026-02-01&until=2026-02-01")} == {"561"}
    assert chosen("since=2026-02-01&until=2026-02-01&actor=bo") == []
    assert chosen("until=2026-01-31") == [("anna", "unsuppressed_viewed", "461")]
    # An empty form field chooses nothing; a day that does not exist is refused.
    assert len(chosen("actor=&action=&unit=&since=&until=")) == 5  # adm's login too
    assert client.get("/admin/audit.json?since=2026-02-30").status_code == 422

    data = client.get(f"/admin/audit.json?{viewed_esbjerg}").json()
    assert data["filters"] == {
        "actor": "ANNA",
        "action": "unsuppressed_viewed",
        "unit": "municipality:561",
    }
    assert "unsuppressed_downloaded" in data["actions"]
    rows = list(csv.DictReader(io.StringIO(client.get(data["csv"]).text)))
    assert [(r["actor"], r["action"], r["unit_code"]) for r in rows] == [
        ("anna", "unsuppressed_viewed", "561")
    ]
    page = client.get(f"/admin/audit?{viewed_esbjerg}&limit=1").text
    assert 'id="f-unit" name="unit" type="text" value="municipality:561"' in page
    assert "Hent de valgte poster som CSV" in page
    # The export is in the log with what was chosen.
    last = client.get("/admin/audit.json?action=audit_exported").json()["entries"][0]
    assert last["details"]["unit"] == "municipality:561"


def test_the_pages_of_a_chosen_log_keep_the_choice(client, accounts, db):
    accounts.add("adm", "admin")
    for i in range(3):
        audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "461"), {"i": i})
    log_in(client, "adm")
    page = client.get("/admin/audit?actor=anna&limit=1&offset=1").text
    assert 'href="/admin/audit?actor=anna&amp;limit=1&amp;offset=0"' in page
    assert 'href="/admin/audit?actor=anna&amp;limit=1&amp;offset=2"' in page


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize("role", ["analyst", "viewer"])
@pytest.mark.parametrize("path", ["/admin/audit", "/admin/audit.json", "/admin/audit.csv"])
def test_only_admins_reach_the_log(client, accounts, role, path):
    accounts.add("someone", role, ("country", "DK"))
    log_in(client, "someone")
    response = client.get(path)
    assert response.status_code == 403
    assert "unsuppressed" not in response.text


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_logged_out_users_do_not_reach_the_log(client):
    assert client.get("/admin/audit.json").status_code == 401
    assert client.get("/admin/audit.csv", follow_redirects=False).status_code == 303


def test_a_view_reads_as_one_line_with_names_in_danish_or_english(client, accounts, db):
    accounts.add("adm", "admin")
    # What one view of unsuppressed data writes (web/access.py): 1 February 00:30:05 in
    # Denmark (UTC+1 in winter).
    details = {
        "path": "/indicators/x",
        "indicators": ["preventable_admissions_65plus"],
        "units": ["cluster:syddanmark-fyn", "municipality:461", "municipality:561"],
        "periods": [f"2023-{m:02}" for m in range(1, 13)],
        "cells": 1234,
    }
    at = datetime(2026, 1, 31, 23, 30, 5, tzinfo=UTC)
    db.add(AuditEntry(**entry_values(ANALYST, "unsuppressed_viewed", None, details, at=at)))
    db.commit()
    log_in(client, "adm")
    entry = client.get("/admin/audit.json?action=unsuppressed_viewed").json()["entries"][0]
    assert entry["time"] == "1.2.2026 kl. 00.30.05"
    assert entry["units_text"] == "Sundhedsklynge Fyn, Odense, Esbjerg"
    summary = {d["label"]: d["text"] for d in entry["summary"]}
    # No results are published in this test: the indicator keeps its id.
    assert summary["Indikatorer"] == "preventable_admissions_65plus"
    assert summary["Perioder"] == "2023-01 til 2023-12 (12 perioder)"
    assert summary["Celler"] == "1.234"
    assert summary["Side"] == "/indicators/x"
    page = client.get("/admin/audit?action=unsuppressed_viewed").text
    assert (
        '<td class="when"><time datetime="2026-01-31T23:30:05+00:00">1.2.2026 kl. 00.30.05' in page
    )
    assert "<li>Celler: 1.234</li>" in page

    client.post("/language", data={"lang": "en", "csrf_token": token(client)})
    entry = client.get("/admin/audit.json?action=unsuppressed_viewed").json()["entries"][0]
    assert entry["time"] == "1 Feb 2026 00:30:05"
    assert entry["action_name"] == "Viewed suppressed figures"
    summary = {d["label"]: d["text"] for d in entry["summary"]}
    assert summary["Cells"] == "1,234"


def test_a_unit_is_found_by_name_and_among_the_units_of_a_view(client, accounts, db):
    accounts.add("adm", "admin")
    audit(db, ANALYST, "unsuppressed_viewed", None, {"units": ["municipality:461", "region:1083"]})
    audit(
        db, ANALYST, "unsuppressed_viewed", ("municipality", "561"), {"units": ["municipality:561"]}
    )
    audit(db, ANALYST, "unsuppressed_viewed", ("municipality", "4610"), {"x": "municipality:461x"})
    log_in(client, "adm")

    def units(query: str) -> list[list[str]]:
        data = client.get(f"/admin/audit.json?{query}").json()
        return [e["unit_names"] for e in data["entries"]]

    assert units("unit=Odense") == [["Odense", "Region Syddanmark"]]
    assert units("unit=municipality:0461") == [["Odense", "Region Syddanmark"]]
    assert units("unit=esbjerg") == [["Esbjerg"]]
    assert units("unit=Region+Syddanmark") == [["Odense", "Region Syddanmark"]]
    # A wildcard of SQL's LIKE in the filter is a plain character.
    assert units("unit=municipality:4%25") == []
