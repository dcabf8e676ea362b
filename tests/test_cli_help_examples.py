"""Every example a `--help` text gives ("fx 2019-2024", "e.g. region:1083") is accepted by
the option it describes: by its type and callback, and by the check the command applies to
it (a scope must name a unit the reference data knows). The commands are enumerated from
the application, so a new option with an example is checked too."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
import typer.main
from sqlalchemy.engine import make_url

from tvaers.cli import app
from tvaers.indicators.cli import _years as compute_years
from tvaers.reference import org
from tvaers.synth.cli import _years as generate_years
from tvaers.web.scope import parse_scope

# "fx A, B eller C." / "e.g. A, B or C." up to the end of the sentence or a parenthesis.
EXAMPLES = re.compile(r"\b(?:fx|e\.g\.)\s+(.+?)(?:\.\s|\.$|\)|$)")

# The checks a command applies to an option's value in its body, beyond its type.
Check = Callable[[str], object]
CHECKS: dict[tuple[str, str], Check] = {
    ("generate", "--years"): generate_years,
    ("indicators compute", "--years"): compute_years,
    ("indicators compute", "--structure-date"): date.fromisoformat,
}


def _check_for(command: str, param: Any) -> Check | None:
    name = param.opts[0] if param.opts else param.name
    if (command, name) in CHECKS:
        return CHECKS[(command, name)]
    metavar = (getattr(param, "metavar", None) or "").upper()
    if metavar in ("NIVEAU:KODE", "LEVEL:CODE"):
        return parse_scope
    if name == "--region" and command.startswith("org "):
        return org.region
    if name == "--app-db":
        return make_url  # what the application does with it (tvaers.web.db)
    return None


def _commands(group: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    # Typer carries its own copy of Click: its groups are known by their commands.
    if hasattr(group, "commands"):
        for name, command in group.commands.items():
            yield from _commands(command, f"{prefix} {name}".strip())
    else:
        yield prefix, group


def _examples() -> Iterator[tuple[str, Any, Any, str]]:
    for name, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            help_text = " ".join((getattr(param, "help", None) or "").split())
            for match in EXAMPLES.finditer(help_text):
                for example in re.split(r",\s*|\s+(?:eller|or)\s+", match.group(1)):
                    if example and " " not in example:  # a value, not a phrase
                        yield name, command, param, example.strip()


CASES = list(_examples())


def test_the_help_texts_give_examples_to_check():
    # Options known to give examples; a regex that found none would check nothing.
    found = {(name, p.opts[0], e) for name, _, p, e in CASES if p.opts}
    assert ("users add", "--scope", "cluster:syddanmark-sonderjylland") in found
    assert ("generate", "--years", "2019-2024") in found
    assert ("spc indicator", "--unit", "municipality:0461") in found


@pytest.mark.parametrize(
    ("name", "command", "param", "example"),
    CASES,
    ids=[f"{n} {p.name}={e}" for n, _, p, e in CASES],
)
def test_every_help_example_is_accepted(name, command, param, example):
    context = command.context_class(command, info_name=name)
    value = [example] if param.multiple else example
    param.process_value(context, value)  # the type and any callback
    check = _check_for(name, param)
    if check is not None:
        check(example)


def test_the_scope_examples_of_users_add_create_users(tmp_path):
    """Run the command itself with each example of its --scope help."""
    from typer.testing import CliRunner

    scopes = [e for name, _, p, e in CASES if name == "users add" and p.name == "scope"]
    assert len(scopes) == 4
    runner = CliRunner()
    app_db = f"sqlite:///{tmp_path / 'app.sqlite'}"
    for n, scope in enumerate(scopes):
        result = runner.invoke(
            app,
            [
                *("users", "add", f"user{n}", "--role", "viewer", "--scope", scope),
                *("--app-db", app_db, "--password-stdin"),
            ],
            input="a long enough password 1\n",
        )
        assert result.exit_code == 0, (scope, result.output)
