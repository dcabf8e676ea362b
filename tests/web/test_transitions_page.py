"""The transitions page on the computed fixture: its JSON twin, disclosure control (a
viewer gets hidden counts empty, an analyst's reveals in scope are audited), Danish and
English texts, and unknown units."""

from __future__ import annotations

import pytest

from tests.web.helpers import token
from tvaers.web import audit

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SV = ("cluster", "syddanmark-sydvestjylland")
ESBJERG = "/transitions/municipality/561"


def _cells(data: dict) -> list[dict]:
    return (
        data["followup"]
        + data["hours"]
        + data["readmissions"]
        + data["coverage"]
        + data["referrals"]
    )


def test_the_page_and_its_json_twin(analyst):
    data = analyst.get(f"{ESBJERG}.json").json()
    assert data["unit"] == {"level": "municipality", "code": "561", "name": "Esbjerg"}
    assert set(data) >= {"weeks", "followup", "hours", "readmissions", "coverage", "referrals"}
    assert {c["indicator_id"] for c in data["followup"]} <= {"followup_72h_after_discharge_65plus"}
    assert all(c["stratum"].startswith("first_") for c in data["hours"])
    assert {c["stratum"] for c in data["readmissions"]} <= {"followed_up", "not_followed_up"}
    page = analyst.get(ESBJERG).text
    assert "Opfølgning inden for 72 timer efter udskrivning" in page
    assert "Anmeldte indlæggelser og udskrivninger pr. uge" in page
    analyst.post("/language", data={"lang": "en", "csrf_token": token(analyst)})
    english = analyst.get(ESBJERG).text
    assert "Follow-up within 72 hours of discharge" in english
    # The landing page is the user's own unit; an unknown unit is 404.
    assert analyst.get("/transitions.json").status_code == 200
    assert analyst.get("/transitions/municipality/999").status_code == 404
    assert analyst.get("/transitions/planet/1").status_code in (404, 422)


def test_a_viewer_never_gets_a_hidden_count(viewer, sessions):
    region = viewer.get("/transitions/region/1083.json").json()
    municipality = viewer.get(f"{ESBJERG}.json").json()
    for data in (region, municipality):
        for c in _cells(data):
            if c["suppressed"]:
                assert c["hidden"] and c["numerator"] is None and c["value"] is None
        for w in data["weeks"]:
            for key in ("admissions", "discharges"):
                if w[f"{key}_hidden"]:
                    assert w[key] is None
                else:  # a published weekly count is never 1–4
                    assert w[key] == 0 or w[key] >= 5
    with sessions() as db:
        assert not [e for e in audit.all_entries(db) if e.action.startswith("unsuppressed")]


def test_an_analyst_sees_the_scope_unsuppressed_and_it_is_audited(analyst, sessions):
    data = analyst.get(f"{ESBJERG}.json").json()
    revealed = [c for c in _cells(data) if c["suppressed"] and not c["hidden"]]
    revealed += [w for w in data["weeks"] if w["admissions_hidden"] is False]
    with sessions() as db:
        entries = [e for e in audit.all_entries(db) if e.action == "unsuppressed_viewed"]
    if any(c.get("suppressed") and not c.get("hidden") for c in _cells(data)):
        assert {e.unit_code for e in entries} == {"561"}
        assert entries[0].details["page"] == "transitions"
    # Outside the scope nothing suppressed is shown.
    other = analyst.get("/transitions/municipality/101.json")
    if other.status_code == 200:
        for c in _cells(other.json()):
            if c["suppressed"]:
                assert c["hidden"]
