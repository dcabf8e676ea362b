"""Data packs in a real browser (Chromium, as tests/web/test_browser.py): an analyst opens
a unit page, downloads its data pack, finds it kept on the packs page; axe-core finds no
serious or critical WCAG 2.1 A/AA violation on those pages nor in the pack's HTML version,
in Danish and in English."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web.test_browser import (  # noqa: F401
    browser,
    check_accessibility,
    log_in,
    page,
    server,
)
from tvaers.reports import render
from tvaers.reports.batch import open_snapshot
from tvaers.reports.content import build
from tvaers.reports.operator import access_for

pytestmark = pytest.mark.browser


def test_an_analyst_downloads_a_pack_from_the_unit_page_and_finds_it_kept(page):  # noqa: F811
    log_in(page, "anna")
    page.goto(page.base + "/units/cluster/syddanmark-sydvestjylland")
    check_accessibility(page, "unit-with-pack")
    with page.expect_download(timeout=120_000) as download:
        page.click("form.pack-form button[type=submit]")
    path = download.value.path()
    assert path is not None and Path(path).read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename.startswith("datapakke-cluster-syddanmark-")

    page.goto(page.base + "/reports/packs")
    row = page.locator("tbody tr").first
    assert "Sundhedsklynge Sydvestjylland" in row.inner_text() and "anna" in row.inner_text()
    check_accessibility(page, "report-packs")
    page.click("header button:has-text('English')")
    page.wait_for_url("**/reports/packs")
    assert page.locator("h1").inner_text() == "Data packs"
    check_accessibility(page, "report-packs-en")
    page.click("header button:has-text('Dansk')")


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_packs_html_version_is_accessible(browser, results_source, lang):  # noqa: F811
    snap = open_snapshot(results_source)
    pack = build(snap, access_for(snap, False), "municipality", "561", lang=lang)
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    try:
        tab = context.new_page()
        tab.set_content(render.html(pack))
        assert tab.locator("html").get_attribute("lang") == lang
        assert tab.locator("h1").inner_text() == "Esbjerg"
        assert all(alt for alt in tab.locator("img").evaluate_all("i => i.map(x => x.alt)"))
        check_accessibility(tab, f"pack-html-{lang}")
    finally:
        context.close()
