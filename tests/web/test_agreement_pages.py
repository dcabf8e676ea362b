"""The agreement section in the web application: the tree with status icons, a target and
an initiative page (page and JSON twin, Danish and English), the go-live boundary offered
and confirmed (who and when stored), PDSA cycles and own measurements with their
permissions, a status change resting on a real governance decision, and a stale save
refused with nothing lost."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import log_in, token
from tvaers.agreements.models import Initiative, PdsaCycle
from tvaers.governance.models import Decision, Forum
from tvaers.web import records
from tvaers.web.db import session_scope

SJ = ("cluster", "syddanmark-sonderjylland")
BASE = "/agreements/sa-test"
INITIATIVE = f"{BASE}/initiatives/i1"


def _post(client, path, **form):
    return client.post(path, data={**form, "csrf_token": token(client)}, follow_redirects=False)


def test_the_tree_shows_each_targets_status(client, accounts, agreement_sessions):
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    data = client.get(f"{BASE}.json").json()
    assert data["agreement"]["status"] == "in_force" and data["can_edit"] is False
    (goal,) = data["visions"][0]["focus_areas"][0]["goals"]
    assert goal["national_goal_text"] == "Styrket indsats for kronikere og ældre patienter"
    icons = {t["id"]: [r["icon"] for r in t["rows"]] for t in goal["targets"]}
    assert icons["t-met"] == ["✔"] and icons["t-missed"] == ["✖"] and icons["t-hit"] == ["◐"]
    assert icons["t-short"] == ["?"] and len(icons["t-level"]) == 4
    page = client.get(BASE)
    assert page.status_code == 200 and "Færre genindlæggelser" in page.text
    assert "målet nås hver gang" in page.text and "seneste celle skjult" in page.text
    english = client.get(f"{BASE}.json", headers={"Accept-Language": "en"})
    assert english.status_code == 200
    assert client.get("/agreements.json").json()["agreements"][0]["id"] == "sa-test"
    assert client.get("/agreements/nope.json").status_code == 404


def test_the_target_page_charts_the_chosen_unit_with_the_target_line(
    client, accounts, agreement_sessions
):
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    data = client.get(f"{BASE}/targets/t-level.json?unit=municipality:540").json()
    assert data["unit"] == "municipality:540" and len(data["target"]["rows"]) == 4
    row = next(r for r in data["target"]["rows"] if r["unit"] == "municipality:540")
    assert row["suppressed"] is True and row["latest_value"] is None
    chart = data["chart"]
    assert chart["chart"] == "pp" and chart["target"] == 12.0
    # The hidden latest cell is a missing point of the chart, never 0.
    latest = next(p for p in chart["doc"]["points"] if p["x"] == "2024-Q4")
    assert latest["y"] is None and latest["value"] is None
    page = client.get(f"{BASE}/targets/t-level?unit=municipality:540")
    assert "Målet (12) er den stiplede grønne linje." in page.text
    assert 'id="chart-target"' in page.text


def test_the_go_live_boundary_is_offered_and_confirmed_by_a_secretariat(
    client, accounts, agreement_sessions, app
):
    accounts.add("vera", "viewer", ("region", "1083"))
    accounts.add("sara", "secretariat", SJ)
    log_in(client, "vera")
    offered = client.get(f"{INITIATIVE}.json").json()
    (chart,) = offered["charts"]
    # go-live 2023-01-01: a new part from 2023-Q1, after point 4 (2022-Q1 … 2022-Q4)
    assert (chart["boundary_after"], chart["boundary_period"]) == (4, "2023-Q1")
    assert chart["boundary_confirmed"] is False
    assert {p["part"] for p in chart["doc"]["points"]} == {1}  # never split by itself
    version = offered["initiative"]["version"]
    assert _post(client, f"{INITIATIVE}/boundary", version=version).status_code == 403
    with TestClient(app) as sara:
        log_in(sara, "sara")
        done = _post(sara, f"{INITIATIVE}/boundary", version=version)
        assert done.status_code == 303
        confirmed = sara.get(f"{INITIATIVE}.json").json()
    assert confirmed["boundary_confirmed_by"] == "sara"
    assert confirmed["boundary_confirmed_at"].startswith(date.today().isoformat())
    (chart,) = confirmed["charts"]
    assert chart["boundary_confirmed"] is True
    assert [p["part"] for p in chart["doc"]["points"]][3:5] == [1, 2]
    assert any("boundary_confirmed_by" in line for line in confirmed["history"])


def test_pdsa_cycles_are_edited_by_the_owners_secretariat_only(
    client, accounts, agreement_sessions, app
):
    accounts.add("sara", "secretariat", SJ)
    accounts.add("otto", "secretariat", ("region", "1084"))
    cycle = {
        "title": "Opkald dagen efter udskrivelse",
        "plan": "Sygeplejersken ringer til 10 borgere",
        "starts": "2024-02-01",
        "ends": "2024-03-01",
        "responsible": "Hjemmesygeplejen",
    }
    log_in(client, "otto")
    assert _post(client, f"{INITIATIVE}/pdsa", **cycle).status_code == 403
    with TestClient(app) as sara:
        log_in(sara, "sara")
        wrong = _post(sara, f"{INITIATIVE}/pdsa", **{**cycle, "ends": "2024-01-01"})
        assert wrong.status_code == 422
        assert 'id="err-pdsa-new-ends"' in wrong.text and "må ikke ligge før start" in wrong.text
        assert _post(sara, f"{INITIATIVE}/pdsa", **cycle).status_code == 303
        (saved,) = sara.get(f"{INITIATIVE}.json").json()["pdsa"]
        assert saved["title"] == cycle["title"] and saved["version"] == 1
        # Two edits from version 1: the second is refused, the first is kept.
        first = _post(sara, f"{INITIATIVE}/pdsa/update", cycle=saved["id"], version=1,
                      **{**cycle, "study": "8 af 10 nået"})  # fmt: skip
        assert first.status_code == 303
        second = _post(sara, f"{INITIATIVE}/pdsa/update", cycle=saved["id"], version=1,
                       **{**cycle, "act": "Udbred"})  # fmt: skip
        assert second.status_code == 409 and "Udbred" in second.text  # the input is kept
    with session_scope(agreement_sessions) as db:
        stored = db.get(PdsaCycle, saved["id"])
        assert (stored.study, stored.act, stored.version) == ("8 af 10 nået", None, 2)


def test_own_measurements_are_uploaded_as_csv_and_charted(client, accounts, agreement_sessions):
    accounts.add("sara", "secretariat", SJ)
    log_in(client, "sara")
    url = f"{INITIATIVE}/measurements"
    bad = client.post(
        url,
        data={"title": "Opkald", "chart": "i", "csrf_token": token(client)},
        files={"file": ("opkald.csv", b"x,y\nuge 1,3\nuge 2,tre\n", "text/csv")},
        follow_redirects=False,
    )
    assert bad.status_code == 422
    assert "opkald.csv, række 2 (linje 3), kolonne &#39;y&#39;" in bad.text
    weeks = "x,y\n" + "".join(f"uge {w},{v}\n" for w, v in enumerate([4, 6, 5, 7, 5, 6], 1))
    good = client.post(
        url,
        data={"title": "Opkald", "chart": "i", "csrf_token": token(client)},
        files={"file": ("opkald.csv", weeks.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert good.status_code == 303
    (m,) = client.get(f"{INITIATIVE}.json").json()["measurements"]
    # I chart: CL = mean(4, 6, 5, 7, 5, 6) = 33 / 6 = 5.5
    assert m["chart"]["chart"] == "i" and m["chart"]["doc"]["parts"][0]["cl"] == pytest.approx(5.5)


def test_a_status_change_rests_on_a_decision_about_the_agreement(
    client, accounts, agreement_sessions
):
    accounts.add("rita", "secretariat", ("region", "1083"))
    with session_scope(agreement_sessions) as db:
        forum = Forum(id="ssu", name="SSU", kind="ssu", unit_level="region", unit_code="1083",
                      parent_id=None, valid_from=date(2022, 7, 1), valid_to=None)  # fmt: skip
        records.create(db, forum, "test")
        other = records.create(db, Decision(forum_id="ssu", day=date(2024, 5, 1), text="Andet",
                                            subject_kind="other", subject_ref=None), "test")  # fmt: skip
        about = records.create(db, Decision(forum_id="ssu", day=date(2027, 12, 1),
                                            text="Aftalen udløber", subject_kind="agreement_item",
                                            subject_ref="sa-test"), "test")  # fmt: skip
        ids = other.id, about.id
    log_in(client, "rita")
    data = client.get(f"{BASE}.json").json()
    assert data["can_edit"] is True and [d["id"] for d in data["decisions"]] == [ids[1]]
    version = data["agreement"]["version"]
    wrong = _post(client, f"{BASE}/status", status="ended", decision=ids[0], version=version)
    assert wrong.status_code == 422 and 'id="err-status-decision"' in wrong.text
    assert (
        _post(
            client, f"{BASE}/status", status="ended", decision=ids[1], version=version
        ).status_code
        == 303
    )
    after = client.get(f"{BASE}.json").json()
    assert after["agreement"]["status"] == "ended"
    step = after["steps"][-1]
    assert (step["status"], step["decision"], step["decision_text"]) == (
        "ended",
        ids[1],
        "Aftalen udløber",
    )
    stale = _post(client, f"{BASE}/status", status="approved", decision=ids[1], version=version)
    assert stale.status_code == 409
    assert client.get(f"{BASE}.json").json()["agreement"]["status"] == "ended"


def test_edits_outside_the_users_scope_are_refused_naming_the_record(
    client, accounts, agreement_sessions
):
    accounts.add("otto", "secretariat", ("region", "1084"))
    log_in(client, "otto")
    status = _post(client, f"{BASE}/status", status="ended", decision=1, version=1)
    assert status.status_code == 403
    assert "Du kan ikke redigere Testaftale: ingen af parterne er i dit omfang." in status.text
    boundary = _post(client, f"{INITIATIVE}/boundary", version=1)
    assert boundary.status_code == 403
    assert "Du kan ikke redigere Ældre i risiko for genindlæggelse: hverken ejeren" in boundary.text
    # A record that is not there is 404 before any question of rights.
    missing = _post(client, "/agreements/nope/status", status="ended", decision=1, version=1)
    assert missing.status_code == 404
    assert _post(client, f"{BASE}/initiatives/nope/boundary", version=1).status_code == 404


def test_the_initiative_edit_resets_a_confirmed_boundary(client, accounts, agreement_sessions):
    accounts.add("sara", "secretariat", SJ)
    log_in(client, "sara")
    version = client.get(f"{INITIATIVE}.json").json()["initiative"]["version"]
    assert _post(client, f"{INITIATIVE}/boundary", version=version).status_code == 303
    changed = _post(
        client, f"{INITIATIVE}/edit", status="running", go_live="2023-07-01", version=version + 1
    )
    assert changed.status_code == 303
    with session_scope(agreement_sessions) as db:
        stored = db.get(Initiative, ("sa-test", "i1"))
        assert stored.go_live == date(2023, 7, 1) and stored.boundary_confirmed_by is None
