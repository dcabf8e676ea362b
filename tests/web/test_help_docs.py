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
        # Every image a page shows is one the help serves, none left at a docs/ path.
        for src in re.findall(r'<img src="([^"]*)"', p.html):
            assert src.startswith(f"{guide.HELP}/bilag/"), (p.slug, src)
    assert {"spc-run-chart.svg", "spc-laney-chart.svg", "spc-example.csv"} <= shown
    assert {"images/overview-laptop.png", "images/audit-log-phone.png"} <= shown
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
    screenshot = client.get("/hjaelp/bilag/images/overview-phone.png")
    copy = packaged / "images" / "overview-phone.png"
    assert screenshot.status_code == 200 and screenshot.content == copy.read_bytes()


def test_the_checkouts_docs_are_read_only_from_a_checkout(tmp_path):
    # The tests run from the checkout (an editable install): no copy, docs/ itself.
    assert guide.docs_dir() == ROOT / "docs"
    assert guide.docs_dir(tmp_path / "tvaers", ROOT) == ROOT / "docs"
    # Installed without its copy and away from a checkout: no pages, not some other docs/.
    (tmp_path / "lib" / "docs").mkdir(parents=True)
    missing = guide.docs_dir(tmp_path / "lib" / "tvaers", tmp_path / "lib")
    assert missing == tmp_path / "lib" / "tvaers" / guide.PACKAGED and not missing.exists()


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_every_image_a_help_page_shows_is_served(client):
    page = client.get("/hjaelp/dashboards")
    assert page.status_code == 200
    images = re.findall(r'<img src="([^"]*)" alt="([^"]*)"', page.text)
    # The ten screenshots of dashboards.md, each with the alt text the Markdown gives it.
    assert len(images) == 10
    assert ("/hjaelp/bilag/images/overview-laptop.png", "Overview at 1280 px") in images
    # The JSON twin carries the same page, so the same addresses.
    twin = client.get("/hjaelp/dashboards.json").json()["html"]
    assert re.findall(r'<img src="([^"]*)"', twin) == [src for src, _ in images]
    for src, alt in images:
        assert alt, src
        image = client.get(src)
        assert image.status_code == 200, src
        assert image.headers["content-type"] == "image/png", src
        assert image.content.startswith(b"\x89PNG"), src


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "/hjaelp/bilag/images/..%2F..%2Fpyproject.toml",
        "/hjaelp/bilag/images/..%2Fdashboards.md",
        "/hjaelp/bilag/images/%2E%2E%2F%2E%2E%2Fpyproject.toml",
        "/hjaelp/bilag/images/..%252F..%252Fpyproject.toml",
        "/hjaelp/bilag/../x",
        "/hjaelp/bilag/..%2Fpyproject.toml",
        "/hjaelp/bilag/images%2F..%2F..%2Fpyproject.toml",
        "/hjaelp/bilag/images/overview-laptop.png%0A",
        "/hjaelp/bilag/images/spc-run-chart.svg",  # only screenshots in images/
        "/hjaelp/bilag/images/no-such-image.png",
        "/hjaelp/bilag/overview-laptop.png",  # a screenshot only under images/
        "/hjaelp/bilag/dashboards.md",
    ],
)
def test_no_help_attachment_address_reaches_outside_its_folders(client, url):
    assert client.get(url).status_code == 404


def test_an_attachment_must_resolve_inside_the_docs_folder(tmp_path, docs_at):
    docs, outside = tmp_path / "docs", tmp_path / "secret.png"
    (docs / "images").mkdir(parents=True)
    outside.write_bytes(b"\x89PNG secret")
    (docs / "images" / "real.png").write_bytes(b"\x89PNG real")
    (docs / "images" / "linked.png").symlink_to(outside)
    (docs / "linked.svg").symlink_to(outside)
    docs_at(docs)
    assert guide.attachment("images/real.png") == docs / "images" / "real.png"
    assert guide.attachment("images/linked.png") is None
    assert guide.attachment("linked.svg") is None
    for name in (
        "images/../../secret.png",
        "images/real.png\n",
        "../secret.png",
        "images/x/real.png",
    ):
        assert guide.attachment(name) is None, name
