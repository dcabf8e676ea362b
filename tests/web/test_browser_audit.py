"""The audit log in a real browser (Chromium, as tests/web/test_browser.py), at a laptop's
width: one entry per page an analyst opened, in words and names, the time on one line, the
details whole; a unit chosen by name, kept when paging; no serious axe-core violation in
Danish or English."""

from __future__ import annotations

import pytest

from tests.web.test_browser import (  # noqa: F401 - fixtures
    browser,
    charts_drawn,
    check_accessibility,
    log_in,
    page,
    server,
)

pytestmark = pytest.mark.browser


def test_an_admin_reads_who_saw_what_at_a_laptops_width(page):  # noqa: F811
    log_in(page, "anna")
    for period in ("2023", "2024"):
        page.goto(page.base + f"/indicators/preventable_admissions_65plus?period={period}")
        charts_drawn(page)
    page.click("header button:has-text('Log ud')")
    page.wait_for_url("**/login")
    log_in(page, "adm")
    page.goto(page.base + "/admin/audit")
    page.fill("#f-actor", "anna")
    page.select_option("#f-action", label="Så diskretionerede tal")
    page.fill("#f-unit", "Esbjerg")  # a name, not a code
    page.click("main button[type=submit]")
    page.wait_for_url("**unit=Esbjerg**")
    rows = page.locator("tbody tr")
    # One entry per page view that showed Esbjerg's hidden cells: at most the two above
    # (this module's other tests may have added Anna's views too, hence no exact count).
    assert rows.count() >= 1
    assert all("Esbjerg" in u for u in page.locator("tbody td:nth-child(4)").all_inner_texts())
    first = rows.first
    assert first.locator("td:nth-child(3)").inner_text() == "Så diskretionerede tal"
    assert "Esbjerg" in first.locator("td:nth-child(4)").inner_text()
    details = first.locator("td.details li").all_inner_texts()
    assert any(d.startswith("Indikatorer: Forebyggelige indlæggelser") for d in details)
    assert any(d.startswith("Celler: ") for d in details)
    # The time on one line, and the table within a laptop's width.
    when = first.locator("td.when time")
    assert "kl." in when.inner_text()
    # An inline element's client rectangles: one per line it is laid out on.
    assert page.evaluate("e => e.getClientRects().length", when.element_handle()) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    check_accessibility(page, "audit-log-chosen")

    # Paging keeps the choice (Anna has a login, a logout and views: several entries).
    page.goto(page.base + "/admin/audit?actor=anna&unit=&limit=1")
    page.click("nav.pager a:has-text('Ældre')")
    page.wait_for_url("**offset=1**")
    assert "actor=anna" in page.url and "limit=1" in page.url
    assert page.input_value("#f-actor") == "anna"

    page.click("header button:has-text('English')")
    page.wait_for_load_state()
    assert page.locator("tbody td:nth-child(3)").first.inner_text() == "Viewed suppressed figures"
    check_accessibility(page, "audit-log-english")
