"""Data packs through the web: the unit page's download button makes the pack for the
user's access, the pack is kept with who made it and when, listed on /reports/packs (and
its JSON twin), and a pack that shows suppressed cells is handed out again only to users
who may see them; every reveal is in the audit log."""

from __future__ import annotations

from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from tests.web.helpers import log_in, token
from tvaers.reports.models import ReportPack
from tvaers.web.models import AuditEntry, ChangeEntry

SV = ("cluster", "syddanmark-sydvestjylland")
ESBJERG = "municipality:561"  # in Sundhedsklynge Sydvestjylland


def _make(client, unit: str = ESBJERG, **extra: str):
    data = {"unit": unit, "lang": "da", "csrf_token": token(client), **extra}
    return client.post("/reports/packs/new", data=data, follow_redirects=False)


def test_packs_are_made_for_the_users_access_kept_and_listed(
    client, accounts, with_results, sessions
):
    accounts.add("anna", "analyst", SV)
    accounts.add("vera", "viewer", ("region", "1083"))

    log_in(client, "vera")
    unit_page = client.get("/units/municipality/561").text
    assert 'action="/reports/packs/new"' in unit_page and "Hent datapakke (PDF)" in unit_page
    made = _make(client)
    assert made.status_code == 303
    pdf = client.get(made.headers["location"])
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Esbjerg" in text and "—" in text  # a viewer's pack is disclosure-controlled
    assert "Fortroligt" not in text

    log_in(client, "anna")
    made = _make(client)
    assert made.status_code == 303
    analysts = client.get(made.headers["location"])
    assert analysts.status_code == 200 and analysts.content.startswith(b"%PDF")

    listed = client.get("/reports/packs.json").json()["packs"]
    assert [(p["made_by"], p["unit"]["code"], p["confidential"]) for p in listed] == [
        ("anna", "561", True),  # newest first; Esbjerg's small counts shown to its analyst
        ("vera", "561", False),
    ]
    assert all(p["may_download"] for p in listed)
    assert "Lavede datapakker" in client.get("/reports/packs").text

    log_in(client, "vera")
    listed = client.get("/reports/packs.json").json()["packs"]
    assert [p["may_download"] for p in listed] == [False, True]
    assert client.get(listed[0]["href"]).status_code == 403

    with sessions() as db:
        packs = db.scalars(select(ReportPack).order_by(ReportPack.id)).all()
        assert [(p.made_by, p.period, p.lang) for p in packs] == [
            ("vera", packs[0].period, "da"),
            ("anna", packs[0].period, "da"),
        ]
        assert all(p.made_at is not None and p.size == len(p.content) for p in packs)
        assert packs[1].revealed and "municipality:561" in packs[1].revealed.splitlines()
        history = db.scalars(select(ChangeEntry).where(ChangeEntry.entity == "reports.pack"))
        assert sorted(h.actor for h in history) == ["anna", "vera"]
        actions = [
            (a.actor, a.action)
            for a in db.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if a.details.get("page") == "report_pack"
        ]
        # Anna's pack showed her unit's suppressed cells: audited when made and fetched.
        assert ("anna", "unsuppressed_viewed") in actions
        assert ("anna", "unsuppressed_downloaded") in actions
        assert all(actor == "anna" for actor, _ in actions)


def test_a_bad_unit_or_year_names_the_field(client, accounts, with_results):
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    assert _make(client, unit="planet:1").status_code == 422
    refused = _make(client, period="1999")
    assert refused.status_code == 422 and "1999" in refused.text
    assert client.get("/reports/packs.json").json()["packs"] == []
