"""The README's quick start works as written: its commands, run in order on the shipped
example delivery, end with a dashboard a user logs in to."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.web.helpers import token
from tvaers.cli import app

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a long enough password 1"


def quick_start() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    commands = []
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words:
            assert words[0] == ".venv/bin/tvaers", line
            commands.append(words[1:])
    return commands


def test_the_quick_start_goes_from_the_example_delivery_to_a_logged_in_page(tmp_path, monkeypatch):
    commands = quick_start()
    assert [c[0] for c in commands] == ["keys", "ingest", "db", "indicators", "users", "serve"]
    assert all("--db" in c for c in commands[1:]), "every command names the warehouse"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TVAERS_KEY_FILE", str(tmp_path / "pseudonym.key"))
    monkeypatch.delenv("TVAERS_SECRET_KEY", raising=False)
    # The shipped example delivery, where the README says it is.
    example = ROOT / "src/tvaers/demo_data/example-delivery"
    assert str(example.relative_to(ROOT)) in commands[1]
    runner = CliRunner()
    for command in commands[:-1]:
        args = [str(example) if a == str(example.relative_to(ROOT)) else a for a in command]
        if args[:2] == ["users", "add"]:
            args.append("--password-stdin")  # the README's asks twice at a terminal
        result = runner.invoke(app, args, input=PASSWORD + "\n")
        assert result.exit_code == 0, (command, result.output)
    serve = commands[-1]
    username = commands[-2][2]
    started = {}
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda application, **_: started.update(app=application))
    assert runner.invoke(app, serve).exit_code == 0
    with TestClient(started["app"]) as client:
        form = {"username": username, "password": PASSWORD, "csrf_token": token(client)}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        overview = client.get("/index.json").json()
        assert overview["user"]["role"] == "admin"
        assert overview["figures"], "the dashboard shows the computed indicators"
