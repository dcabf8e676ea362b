"""Every `tvaers` command ends a failure with one clear line and a non-zero exit: a bad
option, a missing input, an output path that cannot be written — never a traceback.

The commands are enumerated from the application itself, so a new command without a case
here fails `test_every_command_has_cases`."""

from __future__ import annotations

import io
import shutil

import pytest
import typer.main

from tests.warehouse.conftest import EXAMPLE
from tvaers.cli import app
from tvaers.cli_errors import run

# Each command's failing invocations. {file} is a regular file, so `{file}/x` can be neither
# read nor created (a path through a file: this holds even for root, unlike a read-only
# directory); {db} is a warehouse with computed indicators; {delivery} a clean delivery.
CASES: dict[str, list[list[str]]] = {
    "ingest": [
        ["ingest", "{tmp}/no-such-delivery", "--db", "{tmp}/wh.duckdb"],
        ["ingest", "{delivery}", "--db", "{file}/wh.duckdb"],
        ["ingest", "{delivery}", "--db", "{tmp}/wh.duckdb", "--report-dir", "{file}/r"],
        ["ingest", "{delivery}", "--on-error", "sometimes"],
        ["ingest", "{delivery}", "--max-errors", "many"],
    ],
    "generate": [
        ["generate", "--out", "{file}/delivery"],
        ["generate", "--out", "{tmp}/g", "--scale", "lots"],
        # MedCom bundles carry the CPR number, so they cannot go with person_id
        ["generate", "--out", "{tmp}/g", "--medcom-bundles", "--person-key", "person_id"],
    ],
    "serve": [["serve", "--app-db", "{file}/app.db"], ["serve", "--port", "eighty"]],
    "db info": [["db", "info", "--db", "{tmp}/missing.duckdb"], ["db", "info", "--db", "{file}"]],
    "keys init": [["keys", "init", "--key-file", "{file}/key"]],
    "indicators list": [["indicators", "list", "--format", "x"]],
    "indicators compute": [
        ["indicators", "compute", "--db", "{tmp}/missing.duckdb"],
        ["indicators", "compute", "--db", "{db}", "--years", "next"],
        ["indicators", "compute", "--db", "{db}", "--threads", "0"],
        ["indicators", "compute", "--db", "{db}", "--profile", "{file}/profile.json"],
    ],
    "indicators export": [
        ["indicators", "export", "--db", "{db}", "--out", "{file}/x.csv"],
        ["indicators", "export", "--db", "{db}", "--out", "{file}/x.xlsx", "--format", "xlsx"],
        ["indicators", "export", "--db", "{db}", "--out", "{tmp}", "--format", "csv"],
        ["indicators", "export", "--db", "{tmp}/missing.duckdb", "--out", "{tmp}/x.csv"],
        ["indicators", "export", "--db", "{db}", "--out", "{tmp}/x.csv", "--format", "doc"],
    ],
    "indicators show": [
        ["indicators", "show", "no_such_indicator", "--db", "{db}"],
        ["indicators", "show", "population", "--db", "{tmp}/missing.duckdb"],
    ],
    "org list": [["org", "list", "--on", "2025-13-01"], ["org", "list", "--level", "planet"]],
    "org import": [
        ["org", "import", "{tmp}/missing.yaml", "--app-db", "sqlite:///{tmp}/app.db"],
        ["org", "import", "{file}", "--app-db", "{file}/app.db"],
    ],
    "org check": [["org", "check", "--on", "2025-02-30"], ["org", "check", "--format", "pdf"]],
    "org fora": [["org", "fora", "--app-db", "{file}/app.db"], ["org", "fora", "--on", "igår"]],
    "org seats": [["org", "seats", "ssu", "--app-db", "{file}/app.db"]],
    "org chart": [
        ["org", "chart", "--region", "9999", "--out", "{tmp}/c.svg"],
        ["org", "chart", "--region", "1083", "--on", "2026-02-30", "--out", "{tmp}/c.svg"],
        ["org", "chart", "--region", "1083", "--out", "{tmp}/c.svg", "--app-db", "{file}/app.db"],
        [
            "org",
            "chart",
            "--region",
            "1083",
            "--out",
            "{file}/c.svg",
            "--app-db",
            "sqlite:///{tmp}/app.db",
        ],
    ],
    "org units": [["org", "units", "--level", "planet"], ["org", "units", "--on", "0"]],
    "spc chart": [
        ["spc", "chart", "{tmp}/missing.csv"],
        ["spc", "chart", "{file}", "--chart", "z"],
        ["spc", "chart", "{file}", "--out", "{file}/x.json"],
    ],
    "spc indicator": [
        ["spc", "indicator", "population", "--unit", "municipality:561", "--db", "{tmp}/x.duckdb"],
        ["spc", "indicator", "population", "--unit", "planet:1", "--db", "{db}"],
    ],
    "report pack": [
        ["report", "pack", "--unit", "planet:1", "--db", "{db}"],
        ["report", "pack", "--unit", "cluster:nowhere", "--db", "{db}"],
        ["report", "pack", "--unit", "country:DK", "--period", "1999", "--db", "{db}"],
        ["report", "pack", "--unit", "country:DK", "--db", "{tmp}/missing.duckdb"],
        ["report", "pack", "--unit", "country:DK", "--format", "docx", "--db", "{db}"],
        ["report", "pack", "--unit", "country:DK", "--db", "{db}", "--app-db", "no database"],
        ["report", "pack", "--unit", "country:DK", "--db", "{db}", "--app-db", "nosuch://x/y"],
    ],
    "report packs": [
        ["report", "packs", "--level", "planet", "--out", "{tmp}/p"],
        ["report", "packs", "--level", "cluster", "--out", "{tmp}/p", "--db", "{tmp}/x.duckdb"],
        [
            "report",
            "packs",
            "--level",
            "region",
            "--out",
            "{tmp}/p",
            "--db",
            "{db}",
            "--app-db",
            "x",
        ],
        [
            "report",
            "packs",
            "--level",
            "region",
            "--period",
            "1999",
            "--out",
            "{tmp}/p",
            "--db",
            "{db}",
        ],
    ],
    "users add": [["users", "add", "ann", "--role", "admin", "--app-db", "{file}/app.db"]],
    "users list": [["users", "list", "--app-db", "{file}/app.db"]],
    "users disable": [["users", "disable", "ann", "--app-db", "{file}/app.db"]],
    "users enable": [["users", "enable", "ann", "--app-db", "{file}/app.db"]],
    "users set-password": [["users", "set-password", "ann", "--app-db", "{file}/app.db"]],
    "users history": [["users", "history", "ann", "--app-db", "{file}/app.db"]],
    "users link": [
        ["users", "link", "ann", "p1", "--app-db", "{file}/app.db"],
        ["users", "link", "nobody", "p1", "--app-db", "sqlite:///{tmp}/app.db"],
    ],
    "users unlink": [["users", "unlink", "nobody", "--app-db", "sqlite:///{tmp}/app.db"]],
    "transfers estimate": [
        ["transfers", "estimate", "--service", "cleaning", "--db", "{db}"],
        ["transfers", "estimate", "--service", "acute_nursing", "--db", "{tmp}/missing.duckdb"],
        ["transfers", "estimate", "--service", "acute_nursing", "--db", "{file}"],
        [
            "transfers",
            "estimate",
            "--service",
            "acute_nursing",
            "--unit",
            "planet:1",
            "--db",
            "{db}",
        ],
        ["transfers", "estimate", "--service", "acute_nursing", "--years", "next", "--db", "{db}"],
        ["transfers", "estimate", "--service", "acute_nursing", "--format", "pdf", "--db", "{db}"],
        ["transfers", "estimate", "--db", "{db}"],
    ],
    "app-db upgrade": [["app-db", "upgrade", "--app-db", "{file}/app.db"]],
    "agreement import": [
        ["agreement", "import", "{tmp}/missing.yaml", "--app-db", "sqlite:///{tmp}/app.db"],
        ["agreement", "import", "{file}", "--app-db", "sqlite:///{tmp}/app.db"],
        ["agreement", "import", "{file}", "--app-db", "{file}/app.db"],
    ],
    "agreement list": [
        ["agreement", "list", "--app-db", "{file}/app.db"],
        ["agreement", "list", "--format", "pdf", "--app-db", "sqlite:///{tmp}/app.db"],
    ],
    "agreement status": [
        ["agreement", "status", "nope", "--db", "{db}", "--app-db", "sqlite:///{tmp}/app.db"],
        ["agreement", "status", "x", "--db", "{tmp}/missing.duckdb"],
    ],
    "agreement export": [
        ["agreement", "export", "nope", "--app-db", "sqlite:///{tmp}/app.db"],
        ["agreement", "export", "x", "--app-db", "{file}/app.db"],
    ],
    "transitions stays": [
        [
            "transitions",
            "stays",
            "--db",
            "{db}",
            "--out",
            "{tmp}/s.csv",
            "--user",
            "nobody",
            "--app-db",
            "sqlite:///{tmp}/app.db",
        ],
        ["transitions", "stays", "--db", "{db}", "--out", "{tmp}/s.csv", "--format", "xlsx"],
        [
            "transitions",
            "stays",
            "--db",
            "{db}",
            "--out",
            "{tmp}/s.csv",
            "--user",
            "x",
            "--app-db",
            "{file}/app.db",
        ],
    ],
}


def _commands(command=None, path=()) -> list[str]:
    command = command or typer.main.get_command(app)
    if hasattr(command, "commands"):
        return [
            name
            for sub_name, sub in command.commands.items()
            for name in _commands(sub, (*path, sub_name))
        ]
    return [" ".join(path)]


@pytest.fixture(scope="module")
def places(tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli-errors")
    (root / "plain-file").write_text("not a directory\n", encoding="utf-8")
    delivery = root / "delivery"
    shutil.copytree(EXAMPLE, delivery)
    db = root / "computed" / "tvaers.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TVAERS_SECRET_KEY", "5e" * 32)
        assert run(app, ["ingest", str(delivery), "--db", str(db)]) == 0
        assert run(app, ["indicators", "compute", "--db", str(db)]) == 0
    return {"file": str(root / "plain-file"), "db": str(db), "delivery": str(delivery)}


def test_every_command_has_cases():
    assert sorted(_commands()) == sorted(CASES)


def _invocations():
    for command, cases in CASES.items():
        for i, argv in enumerate(cases):
            yield pytest.param(argv, id=f"{command}-{i}")
    for command in CASES:
        yield pytest.param([*command.split(), "--no-such-option"], id=f"{command}-bad-option")


@pytest.mark.parametrize("argv", list(_invocations()))
def test_a_failing_command_ends_in_one_line(argv, places, tmp_path, capsys, monkeypatch):
    import uvicorn

    def no_server(*args, **kwargs):
        raise AssertionError("the server would have started")

    monkeypatch.setattr(uvicorn, "run", no_server)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # a password prompt gets no answer
    args = [a.format(tmp=tmp_path, **places) for a in argv]
    code = run(app, args)
    captured = capsys.readouterr()
    output = captured.out + captured.err
    lines = [line for line in output.splitlines() if line.strip()]  # progress bars leave blanks
    assert code != 0, output
    assert "Traceback" not in output
    assert len(lines) == 1, output
    assert lines[0].startswith(("Fejl", "Afvist")), output


def test_a_path_with_markup_is_printed_literally(places, tmp_path, capsys):
    """A success message names the path as given: `[/]` in it must neither crash the
    output (after the file was written) nor vanish."""
    target = tmp_path / "[bold]" / "[/]x.csv"
    args = ["indicators", "export", "--db", places["db"], "--out", str(target)]
    assert run(app, args) == 0
    assert target.is_file()
    assert str(target) in capsys.readouterr().out.replace("\n", "")
