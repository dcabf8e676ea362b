"""The transitions page in a real browser (Chromium, as tests/web/test_browser.py): an
analyst logs in, opens Transitions from the menu and a municipality's page, the charts
draw, the weekly figures open in their table; axe-core finds no serious or critical WCAG
2.1 A/AA violation, in Danish and in English."""

from __future__ import annotations

import pytest

from tests.web.test_browser import (  # noqa: F401
    browser,
    charts_drawn,
    check_accessibility,
    log_in,
    page,
    server,
)

pytestmark = pytest.mark.browser


def test_an_analyst_reads_the_transitions_page(page):  # noqa: F811
    log_in(page, "anna")
    page.click("nav >> text=Overgange")
    page.wait_for_url("**/transitions")
    page.goto(page.base + "/transitions/municipality/561")
    assert page.locator("h1").inner_text() == "Overgange: Esbjerg"
    charts_drawn(page)
    assert page.locator("#chart-spc").count() == 1  # follow-up as a run chart
    page.click("#weeks-table summary")
    rows = page.locator("#weeks-table tbody tr")
    assert rows.count() >= 1
    assert page.locator("#referrals-table tbody tr").count() >= 1
    check_accessibility(page, "transitions-da")

    page.click("header button:has-text('English')")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Transitions: Esbjerg"
    charts_drawn(page)
    check_accessibility(page, "transitions-en")
