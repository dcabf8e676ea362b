"""Helpers of the web tests: adding users, logging in, reading CSRF tokens."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tvaers.users.service import add_user
from tvaers.web.db import session_scope
from tvaers.web.scope import UnitRef

PASSWORD = "a long enough password 1"


@dataclass
class Accounts:
    """Adds users straight to the database, as `tvaers users add` does."""

    sessions: sessionmaker[Session]

    def add(self, username: str, role: str, *scopes: tuple[str, str]) -> str:
        with session_scope(self.sessions) as session:
            add_user(
                session,
                username,
                role=role,
                password=PASSWORD,
                display_name=username.title(),
                scopes=[UnitRef(level, code) for level, code in scopes],
            )
        return username


def token(client: TestClient) -> str:
    """The CSRF token of the client's session (a new one after each login)."""
    return client.get("/login.json").json()["csrf_token"]


def log_in(client: TestClient, username: str, password: str = PASSWORD, **extra: str):
    data = {"username": username, "password": password, "csrf_token": token(client)}
    data.update(extra)
    return client.post("/login", data=data, follow_redirects=False)


# Values for the path parameters of the published routes, so every route can be visited;
# the records they name are loaded by tests.web.walk_world.load_walk_data.
PATH_VALUES = {
    "indicator_id": "preventable_admissions_65plus",
    "level": "municipality",
    "code": "561",
    "slug": "dashboards",
    "name": "spc-run-chart.svg",  # an attachment of the help pages
    "image": "overview-laptop.png",  # a screenshot in the help pages (docs/images/)
    "case_id": "1",  # a task-transfer case: the first example case (tvaers.transfers.examples)
    # the agreement domain's pages (the sample agreement, tests.web.agreement_world)
    "agreement_id": "sa-test",
    "target_id": "t-met",
    "initiative_id": "i1",
    "round_id": "r-test",
    "pack_id": "1",  # a kept data pack
}


def concrete(path: str) -> str:
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    return path


def publish_copy(results: Path, computed_at: str) -> None:
    """Publish a copy of the result file ``results`` over it, as `compute` publishes: a
    complete new file renamed over the old one, here differing in its computed_at."""
    work = results.with_name("next-" + results.name)
    shutil.copyfile(results, work)
    con = duckdb.connect(str(work))
    con.execute("UPDATE run SET value = ? WHERE key = 'computed_at'", [f'"{computed_at}"'])
    con.close()
    os.replace(work, results)
