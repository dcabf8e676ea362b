"""The task-transfer section in a real browser (Chromium, as tests/web/test_browser.py): a
cluster secretariat opens the case list, the case still with open conditions, saves a
wrong assessment form (the field named, the input kept) and a right one, reads the case in
English and its printout; axe-core finds no serious or critical WCAG 2.1 A/AA violation."""

from __future__ import annotations

from importlib import resources

import pytest

from tests.web.test_browser import (  # noqa: F401 - fixtures
    app_with_users,
    browser,
    check_accessibility,
    log_in,
    serve,
    watched_page,
)
from tvaers.governance import loading
from tvaers.transfers import examples
from tvaers.web.db import session_scope

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def transfers_server(tmp_path_factory):
    """The application with Syddanmark's fora, the two example cases and a secretariat."""
    root = tmp_path_factory.mktemp("browser-transfers")
    sekr = ("sekr", "secretariat", "Sekretariatet", ("cluster", "syddanmark-sydvestjylland"))
    app = app_with_users(root / "tvaers.duckdb", [sekr])
    with session_scope(app.state.sessions) as db:
        loading.load(
            db, str(resources.files("tvaers.governance") / "data" / "syddanmark.yaml"), "test"
        )
        examples.load(db)
    yield from serve(app)


@pytest.fixture
def transfers_page(browser, transfers_server):  # noqa: F811
    with watched_page(browser, transfers_server, expected=("status of 422",)) as page:
        yield page


def test_a_secretariat_works_on_a_case_in_danish_and_english(transfers_page):
    page = transfers_page
    log_in(page, "sekr")
    page.click("nav >> text=Opgaveoverdragelse")
    page.wait_for_url("**/transfers")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    assert "besluttes med åbne forudsætninger" in rows.nth(1).inner_text()
    check_accessibility(page, "transfers-list")

    page.click("text=Midlertidige pladser i Sundhedsklynge Sydvestjylland 2027")
    assert page.locator("h1").inner_text().startswith("Midlertidige pladser")
    banner = page.locator("p.open-conditions")
    assert (
        "Økonomi (Økonomifeltet i den horisontale aftale »udfyldes senere«.)" in banner.inner_text()
    )
    check_accessibility(page, "transfers-case")

    # Economy left open without a reason: refused, the field named, the text kept.
    page.click("text=Ret Økonomi")
    page.select_option("#section-economy-state", "open")
    page.fill("#section-economy-reason", "")
    page.fill("#section-economy-text", "Udkast til økonomien")
    page.click("#form-section-economy button[type=submit]")
    error = page.locator("#err-section-economy-reason")
    assert "en begrundelse skal udfyldes" in error.inner_text()
    assert page.locator("#section-economy-reason").get_attribute("aria-invalid") == "true"
    assert page.locator("#section-economy-text").input_value() == "Udkast til økonomien"
    check_accessibility(page, "transfers-case-invalid")

    # Described, with a figure: saved, and the open condition is gone for economy.
    page.select_option("#section-economy-state", "described")
    page.fill("#section-economy-figures", "Årlig drift; 9.800.000; kr.")
    page.click("#form-section-economy button[type=submit]")
    page.wait_for_url("**saved=1")
    assert page.locator("[role=status]").inner_text() == "Gemt."
    economy = page.locator("#dim-economy")
    assert "9.800.000 kr." in economy.inner_text() and "Beskrevet" in economy.inner_text()
    assert "Økonomi" not in page.locator("p.open-conditions").inner_text()

    page.click("button[name=lang][value=en]")
    page.wait_for_load_state()
    assert page.locator("#timeline-h").inner_text() == "Decision timeline"
    check_accessibility(page, "transfers-case-en")
    page.click("text=Printout for the meeting")
    page.wait_for_url("**/print")
    assert page.locator("h1").inner_text().startswith("Midlertidige pladser")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()  # the print stylesheet
    page.emulate_media(media="screen")
    check_accessibility(page, "transfers-print-en")
