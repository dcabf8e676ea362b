"""Seat-based read access through the whole web application: a user linked to a registry
person sees unsuppressed values of exactly the units the person's seats grant on the data's
structure date — in pages, JSON twins and downloads, each revealed unit audited — and a
viewer's seat never reveals anything. Uses the sentinel walk of test_authorisation."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.web.helpers import log_in
from tests.web.test_authorisation import (  # noqa: F401  (sentinel_results is a fixture)
    SV,
    audited_since,
    body_text,
    last_entry,
    leaked_units,
    members,
    sentinel_results,
    urls,
    with_bilaterals,
)
from tests.web.walk_world import load_walk_data
from tvaers.governance import loading
from tvaers.indicators.results import results_path
from tvaers.users.service import link_person
from tvaers.web.app import create_app
from tvaers.web.db import session_scope

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)


def _forum(id: str, unit: str, valid_to: date | None = None) -> dict:
    return {
        "id": id,
        "name": id,
        "kind": "other",
        "unit": unit,
        "parent": None,
        "valid_from": date(2019, 1, 1),
        "valid_to": valid_to,
    }


def _seat(forum: str, person: str, valid_to: date | None) -> dict:
    return {
        "forum": forum,
        "person": person,
        "side": "municipality",
        "role": "member",
        "valid_from": date(2022, 1, 1),
        "valid_to": valid_to,
    }


# The fixture's structure date is 2025-01-01: a seat ending that day grants nothing.
REGISTRY = {
    "fora": [
        _forum("esbjerg", "municipality:561"),
        _forum("sydvest", f"cluster:{SV}"),
        _forum("region", "region:1083"),
    ],
    "people": [{"id": p, "name": p, "offices": []} for p in ("p-esb", "p-sv", "p-old", "p-reg")],
    "seats": [
        _seat("esbjerg", "p-esb", None),
        _seat("sydvest", "p-sv", None),
        _seat("sydvest", "p-old", date(2025, 1, 1)),
        _seat("region", "p-reg", None),
    ],
}

# user name -> the unit the overview opens on and offers: the unit of the seat held today;
# None for the ended seat, whose unit is then neither opened nor offered.
TODAY = {
    "seat_esbjerg": ("municipality", "561"),
    "seat_cluster": ("cluster", SV),
    "seat_ended": None,
    "seat_viewer": ("region", "1083"),
}

# user name -> (role, linked person, the units whose suppressed cells the user may see)
USERS = {
    # A municipality's bilateral collaboration is that municipality's figures: covered with it.
    "seat_esbjerg": ("analyst", "p-esb", with_bilaterals({("municipality", "561")})),
    "seat_cluster": (
        "analyst",
        "p-sv",
        with_bilaterals(members("cluster", SV) | {("cluster", SV)}),
    ),
    "seat_ended": ("analyst", "p-old", set()),
    "seat_viewer": ("viewer", "p-reg", set()),
}


def test_seats_reveal_exactly_their_units(
    settings,
    sessions,
    accounts,
    sentinel_results,  # noqa: F811 (the fixture imported above)
    tmp_path,
):
    path, sentinels = sentinel_results
    shutil.copyfile(path, results_path(settings.warehouse))
    by_index = {int(n) % 1000: unit for unit, (n, _) in sentinels.items()}
    file = tmp_path / "registry.yaml"
    file.write_text(yaml.safe_dump(REGISTRY), encoding="utf-8")
    with session_scope(sessions) as db:
        loading.load(db, str(file), "test")
    load_walk_data(sessions, tmp_path)  # the agreement and case pages the walk visits
    for name, (role, person, _) in USERS.items():
        accounts.add(name, role)
        with session_scope(sessions) as db:
            link_person(db, name, person, "test")
    walk = [u for u in urls() if not u.startswith("/admin")]
    with TestClient(create_app(settings)) as client:
        for name, (_, _, allowed) in USERS.items():
            client.cookies.clear()
            assert log_in(client, name).status_code == 303
            seen = set()
            for url in walk:
                before = last_entry(sessions)
                response = client.get(url)
                assert response.status_code in (200, 403), (name, url, response.status_code)
                found = leaked_units(body_text(response), by_index)
                assert found <= allowed, f"{name} saw {found - allowed} unsuppressed at {url}"
                logged = audited_since(sessions, before, name)
                assert found <= logged, f"{name} saw {found - logged} unaudited at {url}"
                seen |= found
            # The walk finds what the seat grants, so the "no more" above is not vacuous.
            assert seen == allowed & set(sentinels), name
            # The overview is about the units of the seats held today, and offers them.
            overview = client.get("/index.json").json()
            mine = {(c["level"], c["code"]) for c in overview["choices"]}
            opened = (overview["unit"]["level"], overview["unit"]["code"])
            if TODAY[name] is None:
                assert opened != ("cluster", SV) and ("cluster", SV) not in mine
            else:
                assert opened == TODAY[name] and TODAY[name] in mine
    assert USERS["seat_cluster"][2] & set(sentinels), "no sentinel in the cluster"
