"""The organisation section in a real browser (Chromium, as tests/web/test_browser.py): a
secretariat user logs in, browses Region Syddanmark's fora on a date, opens a forum, saves
a wrong form and sees the field named with its input kept, saves a right one and sees the
rule check; axe-core finds no serious or critical WCAG 2.1 A/AA violation on the pages."""

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
from tvaers.web.db import session_scope

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def org_server(tmp_path_factory):
    """The application on a free loopback port with Syddanmark's fora and a secretariat."""
    root = tmp_path_factory.mktemp("browser-org")
    app = app_with_users(
        root / "tvaers.duckdb", [("sekr", "secretariat", "Sekretariatet", ("region", "1083"))]
    )
    with session_scope(app.state.sessions) as db:
        loading.load(
            db, str(resources.files("tvaers.governance") / "data" / "syddanmark.yaml"), "test"
        )
    yield from serve(app)


@pytest.fixture
def org_page(browser, org_server):  # noqa: F811
    with watched_page(browser, org_server, expected=("status of 422",)) as page:
        yield page


def test_a_secretariat_browses_and_edits_a_forum(org_page):
    page = org_page
    log_in(page, "sekr")
    page.click("nav >> text=Fora")
    page.fill("#on", "2019-02-01")
    page.click("main form.unit-picker button[type=submit]")
    page.wait_for_url("**/organisation/fora?on=2019-02-01")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1  # only Sønderborg's steering group existed then
    check_accessibility(page, "organisation-fora")

    page.click("text=Politisk styregruppe Region Syddanmark og Sønderborg")
    assert page.locator("h1").inner_text() == "Politisk styregruppe Region Syddanmark og Sønderborg"
    seats = page.locator("#seats-h + .table-wrap tbody tr")
    assert seats.count() == 10
    assert "Erik Lauritzen" in page.locator("#seats-h + .table-wrap").inner_text()
    assert "Den Syddanske Forbedringsmodel" in page.locator("main").inner_text()
    check_accessibility(page, "organisation-forum")

    # A wrong end date: refused, the field is named, the input is still there.
    page.fill("#forum-to", "2018-01-01")
    page.click("#forum-form button[type=submit]")
    error = page.locator("#err-forum-valid_to")
    assert "skal ligge efter gyldig fra (2019-01-07)" in error.inner_text()
    assert page.locator("#forum-to").get_attribute("aria-invalid") == "true"
    assert page.locator("#forum-to").input_value() == "2018-01-01"
    check_accessibility(page, "organisation-forum-invalid")

    # A right one: saved, and the page says so above the rule check.
    page.fill("#forum-name", "Politisk styregruppe Sønderborg")
    page.fill("#forum-to", "")
    page.click("#forum-form button[type=submit]")
    page.wait_for_url("**saved=1")
    assert page.locator("h1").inner_text() == "Politisk styregruppe Sønderborg"
    assert page.locator("[role=status]").inner_text().startswith("Gemt.")
    assert page.locator("#check-h").is_visible()
    assert (
        'name: "Politisk styregruppe Region Syddanmark og Sønderborg"'
        in page.locator(".history").inner_text()
    )


def test_the_organisation_chart_is_seen_in_danish_and_english(org_page):
    page = org_page
    log_in(page, "sekr")
    page.goto(page.base + "/organisation/fora?on=2024-01-01")
    page.click("text=organisationsdiagrammet")
    page.wait_for_url("**/organisation/chart?on=2024-01-01")
    chart = page.locator("figure.org-chart svg[role=img]")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 500  # drawn, not an empty box
    title = page.locator("figure.org-chart svg > title").text_content()
    assert title == "Organisationsdiagram for Region Syddanmark den 2024-01-01"
    labels = page.locator("figure.org-chart svg text").all_text_contents()
    for name in ("Sundhedssamarbejdsudvalget", "Politisk sundhedsklynge Fyn", "KKR Syddanmark"):
        assert name in labels, labels
    check_accessibility(page, "organisation-chart")

    page.select_option("#region", "1082")
    page.click("main form.unit-picker button[type=submit]")
    page.wait_for_url("**/organisation/chart?region=1082&on=2024-01-01")
    assert "Ingen fora for Region Midtjylland" in page.locator("figure.org-chart").inner_text()

    page.goto(page.base + "/organisation/chart?region=1083&on=2024-01-01")
    page.click("button[name=lang][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Organisation chart: Region Syddanmark")
    check_accessibility(page, "organisation-chart-en")
    with page.expect_download() as download:
        page.click("text=Download the chart as SVG")
    assert download.value.suggested_filename == "tvaers-organisation-1083-2024-01-01.svg"
