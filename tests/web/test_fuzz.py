"""API fuzzing: schemathesis generates requests for every operation in /openapi.json and the
application answers none of them with a server error. Logged in as an administrator with
the whole country in scope, so every page is reached with its data (and its refusals, 4xx,
are fine). Bounded: a few dozen examples per operation."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from tests.web.helpers import log_in
from tvaers.web.app import create_app
from tvaers.web.sessions import COOKIE_NAME

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

EXAMPLES = 20


@pytest.fixture
def fuzz_app(settings, engine, accounts, with_results):
    accounts.add("adm", "admin", ("country", "DK"))
    return create_app(settings)


def test_no_server_errors(fuzz_app):
    with TestClient(fuzz_app) as client:
        assert log_in(client, "adm").status_code == 303
        cookie = {COOKIE_NAME: client.cookies[COOKIE_NAME]}
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = [result.ok() for result in api.get_all_operations()]
    assert len(operations) >= 20
    failures = []
    statuses: Counter[int] = Counter()
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,  # the same examples every run: a failure can be reproduced
            database=None,
        )
        def no_server_error(case) -> None:
            response = case.call(cookies=cookie)
            statuses[response.status_code] += 1
            if response.status_code >= 500:
                failures.append((case.method, case.formatted_path, case.query, case.body))

        no_server_error()
    assert failures == [], failures[:5]
    # The session worked: most generated requests reached a page, not the login.
    assert statuses[200] > sum(statuses.values()) / 3, statuses
