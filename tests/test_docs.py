"""The docs cannot drift from the code: generated pages match, nothing is undocumented."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from tvaers import docs_gen, i18n
from tvaers.warehouse.contract import PERSON, PERSON_KEY_COLUMNS, TABLES
from tvaers.warehouse.rules import INVALID_RULE, REFERENCE_RULES, RULES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def _page(rel: str) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


@pytest.mark.parametrize("rel", sorted(docs_gen.GENERATED, key=str), ids=str)
def test_generated_page_is_current(rel: Path) -> None:
    path = ROOT / rel
    assert path.exists(), f"{rel} is missing: run `make docs`"
    expected = docs_gen.GENERATED[rel]()
    on_disk = path.read_text(encoding="utf-8")
    if on_disk != expected:
        diff = difflib.unified_diff(
            on_disk.splitlines(), expected.splitlines(), "on disk", "from the code", lineterm=""
        )
        pytest.fail(f"{rel} is out of date: run `make docs`\n" + "\n".join(list(diff)[:40]))


@pytest.mark.parametrize("render", docs_gen.GENERATED.values(), ids=lambda f: f.__name__)
def test_rendering_does_not_depend_on_environment(render, monkeypatch) -> None:
    plain = render()
    assert plain == render()
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("TVAERS_LANG", "en")
    monkeypatch.setattr(i18n, "_language", "en")
    assert render() == plain
    assert "\x1b" not in plain


def test_every_cli_command_and_option_is_documented() -> None:
    page = _page("docs/cli.md")
    commands = docs_gen.cli_commands()
    assert {"tvaers ingest", "tvaers db info", "tvaers keys init", "tvaers org list"} <= set(
        commands
    )
    for path in commands:
        assert f"## `{path}`" in page, f"`{path}` is not in docs/cli.md: run `make docs`"
    for option in ("--db", "--on-error", "--report-dir", "--max-errors", "--key-file", "--lang"):
        assert option in page


def test_every_table_column_and_rule_is_documented() -> None:
    page = _page("docs/data-contract.md")
    for t in TABLES:
        assert f"### `{t.name}`" in page, f"table {t.name} is not documented"
        section = page.split(f"### `{t.name}`", 1)[1].split("\n### ", 1)[0]
        first_cells = " ".join(re.findall(r"^\| (.+?) \|", section, re.MULTILINE))
        for col in t.columns:
            names = PERSON_KEY_COLUMNS if col.name == PERSON else (col.name,)
            for name in names:
                assert f"`{name}`" in first_cells, f"{t.name}.{name} is not documented"
    for rule in RULES:
        assert f"`{rule}`" in page, f"rule {rule} is not in the rule catalogue"


def test_rule_maps_name_catalogued_rules() -> None:
    used = set(INVALID_RULE.values()) | {r for pair in REFERENCE_RULES.values() for r in pair}
    assert used <= set(RULES)


def _readme_links() -> set[str]:
    return set(re.findall(r"\]\((docs/[^)#\s]+\.md)(?:#[^)]*)?\)", _page("README.md")))


def test_readme_links_exist() -> None:
    links = _readme_links()
    assert links, "README.md links no docs pages"
    missing = sorted(link for link in links if not (ROOT / link).exists())
    assert not missing, f"README.md links to missing pages: {missing}"


def test_every_docs_page_is_linked_from_readme() -> None:
    pages = {f"docs/{p.name}" for p in DOCS.glob("*.md")}
    unlinked = sorted(pages - _readme_links())
    assert not unlinked, f"docs pages not linked from README.md: {unlinked}"


def test_links_between_docs_pages_exist() -> None:
    for page in DOCS.glob("*.md"):
        for target in re.findall(r"\]\(([^)#\s:]+\.md)(?:#[^)]*)?\)", page.read_text("utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_every_environment_variable_and_every_domain_is_on_the_getting_started_page() -> None:
    from tvaers.config import ENVIRONMENT
    from tvaers.domains import DOMAIN_PACKAGES

    page = _page("docs/getting-started.md")
    for setting in ENVIRONMENT:
        where = "docs/operators.md" if setting.area == "web" else "docs/getting-started.md"
        assert f"`{setting.name}`" in _page(where), f"{setting.name} is not in {where}"
    for package in DOMAIN_PACKAGES:
        name = package.rsplit(".", 1)[-1]
        assert f"{name}/" in page, f"domain {name} is not in the architecture section"
