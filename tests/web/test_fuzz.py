"""API fuzzing: schemathesis generates requests for every operation in /openapi.json, valid
ones and invalid ones, and runs every check it has on each answer — no server error, a
documented status, media type, headers and body, valid data accepted, invalid data
refused. Logged in as each role in turn (a viewer, an analyst of one region, an
administrator of the whole country), with the session's CSRF token, so every page is
reached with its data and its refusals (403, 404, …) must be documented too. Bounded: a
few examples per operation and mode; the same examples every run."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
import schemathesis
import uvicorn
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from tests.web.helpers import log_in, token
from tvaers.web.app import create_app
from tvaers.web.security import CSRF_HEADER
from tvaers.web.sessions import COOKIE_NAME

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

EXAMPLES = 5
ROLES = {
    "viewer": ("vie", ()),
    "analyst": ("ana", (("region", "1083"),)),
    "admin": ("adm", (("country", "DK"),)),
}


@pytest.fixture
def fuzz_app(settings, engine, accounts, with_results):
    for role, (name, scopes) in ROLES.items():
        accounts.add(name, role, *scopes)
    app = create_app(settings)
    yield app
    app.state.audit.close()


def _logout_last(operation) -> bool:
    # Logging out ends the session the other operations are tried with.
    return operation.label == "POST /logout"


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_as_described(fuzz_app, role):
    with TestClient(fuzz_app) as client:
        assert log_in(client, ROLES[role][0]).status_code == 303
        cookies = {COOKIE_NAME: client.cookies[COOKIE_NAME]}
        headers = {CSRF_HEADER: token(client)}
    api = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    operations = sorted((r.ok() for r in api.get_all_operations()), key=_logout_last)
    assert len(operations) >= 20
    failures: list[tuple[str, str, str]] = []
    statuses: Counter[tuple[GenerationMode, int]] = Counter()
    answered: set[str] = set()  # operations that answered 200 at least once
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,  # the same examples every run: a failure can be reproduced
                database=None,
            )
            def conforms(case) -> None:
                try:
                    response = case.call_and_validate(headers=headers, cookies=cookies)
                except FailureGroup as group:
                    failures.extend(
                        (
                            case.operation.label,
                            f.title,
                            f"{case.query} {case.body} {f.message}"[:600],
                        )
                        for f in group.exceptions
                    )
                    return
                statuses[case.meta.generation.mode, response.status_code] += 1
                if response.status_code == 200:
                    answered.add(case.operation.label)

            try:
                conforms()
            except Unsatisfiable:
                # Nothing to make invalid: the operation has no parameters and no body.
                assert mode is GenerationMode.NEGATIVE, operation.label
    assert failures == [], failures[:5]
    # The session worked: pages that need a login were reached with their data, and each
    # role saw what it may: the audit log the administrator only.
    assert {"GET /index.json", "GET /indicators.json", "GET /organisation.json"} <= answered
    assert ("GET /admin/audit.json" in answered) is (role == "admin"), sorted(answered)
    assert (statuses[GenerationMode.POSITIVE, 403] > 0) is (role != "admin"), statuses


@pytest.mark.slow
def test_the_schemathesis_command_finds_nothing(fuzz_app, tmp_path):
    """The command as CI would run it, every check, against a real server, logged in as the
    administrator (who reaches every page with data), in the phases the test above does not
    run: examples, coverage (every boundary, missing and wrong parameter, wrong method) and
    stateful (following the links between operations); fuzzing is the test above, for every
    role. Logging out is left out: it would end the session halfway through."""
    with TestClient(fuzz_app) as client:
        assert log_in(client, "adm").status_code == 303
        cookie = client.cookies[COOKIE_NAME]
        csrf = token(client)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(fuzz_app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "from schemathesis.cli import schemathesis; schemathesis()",
                "run",
                f"http://127.0.0.1:{port}/openapi.json",
                "--checks=all",
                "--phases=examples,coverage,stateful",
                "--max-examples=3",
                "--seed=1",
                "--request-timeout=60",  # a whole table as Excel on a busy machine
                # The fuzzing is about answers, not speed (benchmarks/web_benchmark.py
                # measures that): a whole table as Excel may take more than schemathesis's
                # default 10 s when the machine is shared.
                "--max-response-time=60",
                "--exclude-path=/logout",
                "--no-color",
                f"--header=Cookie: {COOKIE_NAME}={cookie}",
                f"--header={CSRF_HEADER}: {csrf}",
            ],
            cwd=tmp_path,  # its own files stay out of the working tree
            capture_output=True,
            text=True,
            timeout=600,
        )
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary
    assert "failure" not in summary.split("SUMMARY")[-1].lower(), summary
