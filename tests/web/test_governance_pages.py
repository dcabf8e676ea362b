"""The organisation section in the web application, on both databases: everyone logged in
browses fora, seats and decisions on any date (page and JSON twin, Danish and English); the
secretariat edits a forum and its seats within its scope, sees the rule check after the
save, gets field-named errors, and a stale save is refused with the input kept."""

from __future__ import annotations

from importlib import resources

from fastapi.testclient import TestClient

from tests.web import governance_world as w
from tests.web.helpers import log_in, token
from tvaers.governance import loading
from tvaers.web import records
from tvaers.web.db import session_scope

SYDDANMARK = str(resources.files("tvaers.governance") / "data" / "syddanmark.yaml")


def _load(sessions, path: str) -> None:
    with session_scope(sessions) as db:
        loading.load(db, path, "test")


def _post(client, path, **form):
    return client.post(path, data={**form, "csrf_token": token(client)}, follow_redirects=False)


def test_anyone_logged_in_browses_fora_seats_and_decisions(client, accounts, sessions):
    _load(sessions, SYDDANMARK)
    accounts.add("vera", "viewer", ("region", "1083"))
    assert client.get("/organisation/fora", follow_redirects=False).status_code == 303  # login
    log_in(client, "vera")
    fora = client.get("/organisation/fora.json?on=2019-02-01").json()
    assert [f["id"] for f in fora["fora"]] == ["styregruppe-sonderborg"]
    assert fora["fora"][0]["seats"] == 10
    assert fora["fora"][0]["unit_name"] == "Bilateralt samarbejde Region Syddanmark og Sønderborg"
    later = client.get("/organisation/fora.json?on=2024-01-01").json()
    assert len(later["fora"]) == 22
    page = client.get("/organisation/fora?on=2024-01-01")
    assert page.status_code == 200 and "Sundhedssamarbejdsudvalget" in page.text
    assert 'href="/organisation/fora" aria-current="page"' in page.text

    one = client.get("/organisation/fora.json?forum=styregruppe-sonderborg&on=2019-02-01").json()[
        "forum"
    ]
    assert {s["name"] for s in one["seats"]} >= {"Erik Lauritzen", "Stephanie Lose"}
    assert len(one["decisions"]) == 3 and one["can_edit"] is False
    (meeting,) = one["meetings"]
    assert meeting["day"] == "2019-01-07" and len(meeting["agenda"]) == 4
    assert one["history"][0].startswith("create v1 (test)")
    assert (
        client.get("/organisation/fora.json?forum=styregruppe-sonderborg&on=2018-12-31").json()[
            "forum"
        ]["decisions"]
        == []
    )
    html = client.get("/organisation/fora?forum=styregruppe-sonderborg&on=2019-02-01")
    assert "Erik Lauritzen" in html.text and "borgmester (municipality:540)" in html.text
    assert "Ret forummet" not in html.text  # a viewer gets no forms
    _post(client, "/language", lang="en", next="/organisation/fora")
    english = client.get("/organisation/fora?forum=styregruppe-sonderborg&on=2019-02-01")
    assert "Rule check" in english.text and "Seats" in english.text and "mayor" in english.text
    assert client.get("/organisation/fora?forum=nope").status_code == 404
    # The organisation page links to the section.
    assert "/organisation/fora?on=" in client.get("/organisation?on=2024-01-01").text


def test_the_rule_check_is_shown_for_the_forum(client, accounts, sessions, tmp_path):
    _load(
        sessions,
        str(w.write(w.without_seat(w.world(), "kkr", w.mayor("510")), tmp_path / "r.yaml")),
    )
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    kkr = client.get("/organisation/fora.json?forum=kkr&on=2024-01-01").json()["forum"]
    assert [(f["rule"], f["unit"]) for f in kkr["findings"]] == [("kkr-mayors", "municipality:510")]
    assert (
        client.get("/organisation/fora.json?forum=ssu&on=2024-01-01").json()["forum"]["findings"]
        == []
    )


def test_the_secretariat_edits_a_forum_and_its_seats(client, accounts, sessions, tmp_path):
    _load(sessions, str(w.write(w.world(), tmp_path / "r.yaml")))
    accounts.add("sekr", "secretariat", ("region", "1083"))
    log_in(client, "sekr")
    ssu = client.get("/organisation/fora.json?forum=ssu&on=2024-01-01").json()["forum"]
    assert ssu["can_edit"] is True and ssu["findings"] == []
    form = {
        "name": "SSU Syddanmark",
        "kind": "ssu",
        "valid_from": "2022-07-01",
        "valid_to": "2027-01-01",
        "version": str(ssu["forum"]["version"]),
    }
    saved = _post(client, "/organisation/fora/ssu", **form)
    assert (
        saved.status_code == 303
        and saved.headers["location"] == "/organisation/fora?forum=ssu&saved=1"
    )
    after = client.get("/organisation/fora?forum=ssu&saved=1")
    assert "Gemt." in after.text and "SSU Syddanmark" in after.text

    # Removing Sønderborg's mayor from the SSU: saved, and the page shows the broken rules.
    (seat,) = [s for s in ssu["seats"] if s["person"] == w.mayor("540")]
    removed = _post(
        client, f"/organisation/fora/ssu/seats/{seat['id']}/delete", version=str(seat["version"])
    )
    assert removed.status_code == 303
    check = client.get("/organisation/fora.json?forum=ssu").json()["forum"]["findings"]
    assert [f["rule"] for f in check] == ["ssu-municipal-seats"]
    page = client.get("/organisation/fora?forum=ssu&saved=1")
    assert "ssu-municipal-seats" in page.text

    # Adding the seat again; then the rule holds once more.
    added = _post(
        client,
        "/organisation/fora/ssu/seats",
        person=w.mayor("540"),
        side="municipality",
        role="member",
        valid_from="2024-01-01",
    )
    assert added.status_code == 303
    assert (
        client.get("/organisation/fora.json?forum=ssu&on=2024-06-01").json()["forum"]["findings"]
        == []
    )
    with session_scope(sessions) as db:
        history = records.history(db, "governance.seat", seat["id"])
        assert [e.action for e in history] == ["create", "delete"]
        forum_history = records.history(db, "governance.forum", "ssu")
        assert forum_history[-1].actor == "sekr" and forum_history[-1].after == {
            "name": "SSU Syddanmark"
        }


def test_form_errors_name_the_field_and_keep_the_input(client, accounts, sessions, tmp_path):
    _load(sessions, str(w.write(w.world(), tmp_path / "r.yaml")))
    accounts.add("sekr", "secretariat", ("region", "1083"))
    log_in(client, "sekr")
    bad = _post(
        client,
        "/organisation/fora/ssu",
        name="",
        kind="ssu",
        valid_from="2022-07-01",
        valid_to="2020-01-01",
        parent="ghost",
        version="1",
    )
    assert bad.status_code == 422
    assert "name: skal udfyldes" in bad.text
    assert 'id="forum-to" name="valid_to" type="date" value="2020-01-01"' in bad.text  # input kept
    period = dict(kind="ssu", valid_from="2022-07-01", valid_to="2020-01-01", version="1")
    bad = _post(client, "/organisation/fora/ssu", name="SSU", **period)
    assert bad.status_code == 422
    assert "valid_to: skal ligge efter gyldig fra (2022-07-01)" in bad.text
    _post(client, "/language", lang="en", next="/organisation/fora")
    english = _post(client, "/organisation/fora/ssu", name="SSU", **period)
    assert "valid_to: must lie after valid from (2022-07-01)" in english.text
    _post(client, "/language", lang="da", next="/organisation/fora")
    parent = _post(
        client,
        "/organisation/fora/ssu",
        name="SSU",
        kind="ssu",
        valid_from="2022-07-01",
        parent="ghost",
        version="1",
    )
    assert parent.status_code == 422 and "parent: ukendt forum &#39;ghost&#39;" in parent.text
    seat = _post(
        client,
        "/organisation/fora/ssu/seats",
        person="nobody",
        side="region",
        role="member",
        valid_from="2024-01-01",
    )
    assert seat.status_code == 422 and "person: ukendt person" in seat.text
    twice = _post(
        client,
        "/organisation/fora/ssu/seats",
        person=w.mayor("540"),
        side="municipality",
        role="member",
        valid_from="2024-01-01",
    )
    assert twice.status_code == 422 and "overlappende periode" in twice.text
    as_json = client.post(
        "/organisation/fora/ssu",
        data={"csrf_token": token(client), "name": ""},
        headers={"accept": "application/json"},
    )
    assert as_json.status_code == 422
    assert {e["loc"][-1] for e in as_json.json()["detail"]} >= {"name", "kind", "version"}


def test_a_stale_save_is_refused_and_nothing_is_lost(app, accounts, sessions, tmp_path):
    _load(sessions, str(w.write(w.world(), tmp_path / "r.yaml")))
    accounts.add("sekr", "secretariat", ("region", "1083"))
    accounts.add("sekr2", "secretariat", ("region", "1083"))
    with TestClient(app) as one, TestClient(app) as two:
        log_in(one, "sekr")
        log_in(two, "sekr2")
        form = {"kind": "ssu", "valid_from": "2022-07-01", "valid_to": "2027-01-01", "version": "1"}
        assert _post(one, "/organisation/fora/ssu", name="Første navn", **form).status_code == 303
        stale = _post(two, "/organisation/fora/ssu", name="Andet navn", **form)
        assert stale.status_code == 409
        assert "En anden har gemt en ny udgave (version 2)" in stale.text
        assert 'value="Andet navn"' in stale.text  # the second person's input is still there
        assert (
            one.get("/organisation/fora.json?forum=ssu").json()["forum"]["forum"]["name"]
            == "Første navn"
        )
        stale_json = two.post(
            "/organisation/fora/ssu",
            data={"csrf_token": token(two), "name": "X", **form},
            headers={"accept": "application/json"},
        )
        assert stale_json.status_code == 409
        assert "En anden har gemt en ny udgave" in stale_json.json()["detail"]


def test_edits_stay_within_the_secretariats_scope(client, accounts, sessions):
    _load(sessions, SYDDANMARK)
    accounts.add("sekr-nord", "secretariat", ("region", "1081"))
    accounts.add("anna", "analyst", ("region", "1083"))
    log_in(client, "sekr-nord")
    forum = client.get("/organisation/fora.json?forum=ssu-syd&on=2024-01-01").json()["forum"]
    assert forum["can_edit"] is False
    form = {"name": "Nej", "kind": "ssu", "valid_from": "2022-07-01", "version": "1"}
    assert _post(client, "/organisation/fora/ssu-syd", **form).status_code == 403
    log_in(client, "anna")
    assert _post(client, "/organisation/fora/ssu-syd", **form).status_code == 403


def test_the_organisation_page_shows_2027_and_names_the_missing(client, accounts):
    accounts.add("vera", "viewer", ("region", "1083"))
    log_in(client, "vera")
    data = client.get("/organisation.json?on=2027-01-01").json()
    assert [r["name"] for r in data["regions"]] == [
        "Region Nordjylland",
        "Region Midtjylland",
        "Region Syddanmark",
        "Region Østdanmark",
    ]
    councils = {c["code"]: c for c in data["sundhedsraad"]}
    assert len(councils["fyn"]["members"]) == 10 and councils["fyn"]["region_code"] == "1083"
    assert len(data["sundhedsraad_missing"]) == 79
    assert "København" in {m["name"] for m in data["sundhedsraad_missing"]}
    page = client.get("/organisation?on=2027-01-01").text
    assert "79 kommuner har endnu intet sundhedsråd" in page and "Sundhedsråd Fyn" in page
    before = client.get("/organisation.json?on=2026-12-31").json()
    assert before["sundhedsraad"] == [] and before["sundhedsraad_missing"] == []
    assert len(before["bilateral"]) == 9
    assert client.get("/units/sundhedsraad/fyn").status_code < 500
