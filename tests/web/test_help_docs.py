"""The help ships with the package: the build config lists every page the help shows and
every file those pages show (pyproject.toml, [tool.tvaers.help-docs]); the build step
(setup.py) copies them from docs/ into the package; an installed package reads and serves
its own copy, and the checkout's docs/ is read only when the package runs from a checkout."""

from __future__ import annotations

import fnmatch
import re
import runpy
import tomllib
from pathlib import Path

import pytest

from tvaers.dashboards import help as guide

ROOT = Path(__file__).resolve().parents[2]
# setup.py's functions, without running setup() (it runs only as the build's __main__).
BUILD = runpy.run_path(str(ROOT / "setup.py"), run_name="tvaers_build")


def _help_docs_config() -> dict:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["tool"]["tvaers"]["help-docs"]


@pytest.fixture
def docs_at(monkeypatch):
    """Point the help at a folder of pages, with its page cache emptied before and after."""

    def point(folder: Path) -> None:
        monkeypatch.setattr(guide, "DOCS", folder)
        guide.page.cache_clear()

    yield point
    guide.page.cache_clear()


def test_the_build_config_lists_every_page_and_file_the_help_shows(docs_at):
    docs_at(ROOT / "docs")
    shown = {f"{p.slug}.md" for p in guide.pages()}
    assert shown == {f"{slug}.md" for slug in guide.PAGES}  # every page is in the checkout
    for p in guide.pages():
        shown |= set(re.findall(rf'"{guide.HELP}/bilag/([^"#?]+)"', p.html))
    assert {"spc-run-chart.svg", "spc-laney-chart.svg", "spc-example.csv"} <= shown
    config = _help_docs_config()
    listed = set(config["files"])
    assert shown <= listed, f"not in [tool.tvaers.help-docs]: {sorted(shown - listed)}"
    assert (config["source"], config["target"]) == ("docs", f"tvaers/{guide.PACKAGED}")
    # The source distribution carries them too, so a wheel built from it has the help.
    manifest = (ROOT / "MANIFEST.in").read_text(encoding="utf-8").split()
    for name in listed:
        assert (ROOT / "docs" / name).is_file(), name
        assert any(fnmatch.fnmatch(f"docs/{name}", pattern) for pattern in manifest), name


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_an_installed_package_serves_the_help_from_its_own_copy(tmp_path, docs_at, client):
    site = tmp_path / "site-packages"
    copied = BUILD["copy_help_docs"](site)
    package = site / "tvaers"
    # Even beside a checkout, the installed copy is the one read.
    packaged = guide.docs_dir(package, ROOT)
    assert packaged == package / guide.PACKAGED
    assert {p.relative_to(packaged).as_posix() for p in copied} == set(_help_docs_config()["files"])
    docs_at(packaged)
    assert [p.slug for p in guide.pages()] == list(guide.PAGES)
    svg = guide.attachment("spc-run-chart.svg")
    assert svg is not None and svg.is_relative_to(packaged)
    assert client.get("/hjaelp/spc").status_code == 200
    index = client.get("/hjaelp.json").json()
    assert [link["href"] for link in index["pages"]] == [f"/hjaelp/{s}" for s in guide.PAGES]
    image = client.get("/hjaelp/bilag/spc-run-chart.svg")
    assert image.status_code == 200 and image.content == svg.read_bytes()


def test_the_checkouts_docs_are_read_only_from_a_checkout(tmp_path):
    # The tests run from the checkout (an editable install): no copy, docs/ itself.
    assert guide.docs_dir() == ROOT / "docs"
    assert guide.docs_dir(tmp_path / "tvaers", ROOT) == ROOT / "docs"
    # Installed without its copy and away from a checkout: no pages, not some other docs/.
    (tmp_path / "lib" / "docs").mkdir(parents=True)
    missing = guide.docs_dir(tmp_path / "lib" / "tvaers", tmp_path / "lib")
    assert missing == tmp_path / "lib" / "tvaers" / guide.PACKAGED and not missing.exists()
