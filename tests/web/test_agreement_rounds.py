"""Input rounds: the secretariat creates a round; each respondent sees and edits only its
own answer while the round is open; the secretariat sees every answer, tags themes and
closes the round; then every logged-in user reads every answer; the summaries per cluster
and across; the round as a Markdown document; a stale answer is refused."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.helpers import log_in, token

ROUND = "/agreements/rounds/dialog-2023"
QUESTIONS = "Hvilke udfordringer fylder aktuelt hos jer?\nHvilke temaer ønsker I fremhævet?"


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": token(client)}, follow_redirects=False)


@pytest.fixture
def people(app, accounts):
    accounts.add("rita", "secretariat", ("region", "1083"))
    accounts.add("sonja", "viewer", ("municipality", "540"))  # Sønderborg
    accounts.add("esben", "viewer", ("municipality", "561"))  # Esbjerg
    clients = {}
    for name in ("rita", "sonja", "esben"):
        c = TestClient(app)
        c.__enter__()
        log_in(c, name)
        clients[name] = c
    yield clients
    for c in clients.values():
        c.__exit__(None, None, None)


def _create(rita, **extra):
    form = {
        "id": "dialog-2023",
        "name": "Input til sundhedsaftalen 2024–2027",
        "owner": "region:1083",
        "questions": QUESTIONS,
        "respondents": "municipality:540\nmunicipality:561\nmunicipality:580",
        "deadline": "2099-06-01",
        **extra,
    }
    return _post(rita, "/agreements/rounds", form)


def test_each_respondent_sees_only_its_own_answer_until_the_round_closes(people):
    rita, sonja, esben = people["rita"], people["sonja"], people["esben"]
    bad = _create(rita, respondents="municipality:540\nplanet:1")
    assert bad.status_code == 422 and "ukendt enhed eller forum: planet:1" in bad.text
    assert _create(sonja).status_code == 422  # a viewer runs no round (outside its scope)
    assert _create(rita).status_code == 303

    answer = {
        "respondent": "municipality:540",
        "texts": ["Personalemangel", "Forebyggelse"],
        "version": 0,
    }
    assert _post(sonja, f"{ROUND}/answer", answer).status_code == 303
    # Esbjerg cannot answer for Sønderborg, and sees nothing of Sønderborg's answer.
    assert _post(esben, f"{ROUND}/answer", answer).status_code == 403
    seen = esben.get(f"{ROUND}.json").json()
    assert seen["answers"] == [] and seen["sees_all"] is False and seen["summaries"] == []
    assert [r["mine"] for r in seen["respondents"]] == [False, True, False]
    mine = {"respondent": "municipality:561", "texts": ["Rekruttering", ""], "version": 0}
    assert _post(esben, f"{ROUND}/answer", mine).status_code == 303
    assert [a["respondent"] for a in esben.get(f"{ROUND}.json").json()["answers"]] == [
        "municipality:561"
    ]
    # A stale edit (from version 0 again) is refused; the stored answer stays.
    stale = _post(esben, f"{ROUND}/answer", {**mine, "texts": ["Andet", ""]})
    assert stale.status_code == 409
    # The secretariat sees both and tags themes.
    everything = rita.get(f"{ROUND}.json").json()
    assert everything["sees_all"] is True and len(everything["answers"]) == 2
    for a in everything["answers"]:
        themes = (
            "Forebyggelse, Rekruttering"
            if a["respondent"] == "municipality:540"
            else "Rekruttering"
        )
        done = _post(
            rita,
            f"{ROUND}/themes",
            {"respondent": a["respondent"], "themes": themes, "version": a["version"]},
        )
        assert done.status_code == 303
    assert (
        _post(
            sonja,
            f"{ROUND}/themes",
            {"respondent": "municipality:540", "themes": "x", "version": 1},
        ).status_code
        == 403
    )
    summary = rita.get(f"{ROUND}.json").json()
    # Sønderborg and Aabenraa lie in Sønderjylland, Esbjerg in Sydvestjylland.
    clusters = {s["cluster"]: (s["respondents"], s["answered"]) for s in summary["summaries"]}
    assert clusters == {
        "Sundhedsklynge Sønderjylland": (2, 1),
        "Sundhedsklynge Sydvestjylland": (1, 1),
    }
    across = {t["theme"]: (t["answers"], len(t["clusters"])) for t in summary["across"]}
    assert across == {"Rekruttering": (2, 2), "Forebyggelse": (1, 1)}
    assert summary["across"][0]["theme"] == "Rekruttering"  # in most clusters first
    document = rita.get(f"{ROUND}/export.md")
    assert document.status_code == 200 and "## Temaer der fylder på tværs" in document.text
    assert "- Rekruttering: 2 svar" in document.text and "Personalemangel" in document.text

    version = summary["round"]["version"]
    assert _post(esben, f"{ROUND}/close", {"version": version}).status_code == 403
    assert _post(rita, f"{ROUND}/close", {"version": version}).status_code == 303
    closed = esben.get(f"{ROUND}.json").json()
    assert closed["round"]["open"] is False and len(closed["answers"]) == 2
    late = _post(esben, f"{ROUND}/answer", {**mine, "version": 1})
    assert late.status_code == 403
    page = esben.get(ROUND)
    assert page.status_code == 200 and "Personalemangel" in page.text
