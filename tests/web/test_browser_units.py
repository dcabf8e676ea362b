"""The unit page and the indicator page in a real browser (Chromium, as test_browser.py),
on a result set of the whole country at a tiny scale (five regions, so a region is not the
country, and many small cells suppressed).

A viewer of Region Syddanmark opens Esbjerg: every key figure shows Esbjerg beside its
cluster, region and country; the charts highlight Esbjerg, write numbers the Danish way and
leave a gap where a month is suppressed; at phone width (390 px) nothing is wider than the
screen; axe-core finds no serious or critical violation on any page in Danish or English.
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.web.test_browser import (  # noqa: F401 - fixtures
    app_with_users,
    browser,
    charts_drawn,
    check_accessibility,
    log_in,
    serve,
    watched_page,
)
from tvaers.indicators.results import results_path

pytestmark = pytest.mark.browser

ESBJERG = "/units/municipality/561"
MONTHS = "/indicators/preventable_admissions_65plus?period_type=month&unit=municipality:561&area=region:1083"
UNIT_BLUE = "#0072B2"
# A number as the Danish axes write it: 1.000 · 0,5 · 12 (never 1,000 or 0.5).
DANISH_NUMBER = re.compile(r"^−?-?\d{1,3}(\.\d{3})*(,\d+)?$")


@pytest.fixture(scope="module")
def country_server(country_results_source, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("browser-units") / "tvaers.duckdb"
    shutil.copyfile(results_path(country_results_source), results_path(warehouse))
    app = app_with_users(
        warehouse, [("vera", "viewer", "Vera", ("region", "1083")), ("adm", "admin", "Adm")]
    )
    yield from serve(app)


@pytest.fixture
def page(browser, country_server):  # noqa: F811 - the shared fixture
    with watched_page(browser, country_server) as page:
        yield page


def axis_labels(page, chart: str) -> list[str]:
    """The tick labels of a chart's axes, as drawn in its SVG."""
    return page.evaluate(
        """(id) => [...document.querySelectorAll(`#${id} svg .role-axis-label text, #${id} svg g.mark-text.role-axis-label text`)]
            .map(t => t.textContent)""",
        chart,
    )


def test_a_municipality_beside_its_cluster_region_and_country(page):
    log_in(page, "vera")
    page.goto(page.base + ESBJERG)
    charts_drawn(page)
    title = page.locator("h3 a", has_text=re.compile(r"^Borgere$"))
    card = page.locator(".figure-card").filter(has=title)
    names = card.locator("dl.compare dt").all_inner_texts()
    # Esbjerg first, then its cluster, its region and the country (five regions in the data)
    assert [n.strip() for n in names] == [
        "Esbjerg",
        "Sundhedsklynge Sydvestjylland",
        "Region Syddanmark",
        "Danmark",
    ], names
    values = card.locator("dl.compare dd").all_inner_texts()
    # The population is never suppressed above the municipality, and written the Danish way:
    # the country's count has a thousands point (about 2,400 people at this scale).
    assert re.search(r"^\d\.\d{3}$", values[3].split()[0]), values
    assert page.locator("#same-as-country").count() == 0  # more than one region
    # The table says the same, one column per unit.
    heads = page.locator("#figures-caption").inner_text()
    assert "Sundhedsklynge Sydvestjylland, Region Syddanmark, Danmark" in heads
    check_accessibility(page, "unit-municipality")


def test_the_indicator_page_highlights_the_unit_in_danish_with_gaps(page):
    log_in(page, "vera")
    page.goto(page.base + MONTHS)
    charts_drawn(page)
    # The followed unit's line is blue, and broken where months are suppressed: a line that
    # runs across a suppressed month would be one path without a gap (one "M" command).
    months = page.locator("#series-table tbody tr", has_text="Esbjerg")
    hidden = months.filter(has_text="skjult").count()
    assert hidden > 0, "the test data should have suppressed months for Esbjerg"
    moves = page.evaluate(
        """(blue) => [...document.querySelectorAll('#chart-series svg path')]
            .filter(p => (p.getAttribute('stroke') || '').toUpperCase() === blue)
            .map(p => ((p.getAttribute('d') || '').match(/M/g) || []).length)""",
        UNIT_BLUE,
    )
    assert moves and max(moves) >= 2, moves
    # The bars: Esbjerg's bar (or its hidden row's label) is highlighted, hidden units listed.
    bar_colours = page.evaluate(
        """() => [...document.querySelectorAll('#chart-bars svg .mark-rect.role-mark path')]
            .map(p => (p.getAttribute('fill') || '').toUpperCase())"""
    )
    labels = page.evaluate(
        """() => [...document.querySelectorAll('#chart-bars svg .mark-text.role-mark text')]
            .map(t => t.textContent)"""
    )
    assert UNIT_BLUE in bar_colours or "skjult (diskretioneret)" in labels
    assert "skjult (diskretioneret)" in labels  # suppressed units keep their row
    bold = page.evaluate(
        """() => [...document.querySelectorAll('#chart-bars svg text')]
            .filter(t => t.textContent === 'Esbjerg')
            .map(t => t.getAttribute('font-weight'))"""
    )
    assert "bold" in bold, bold
    # Danish numbers on every axis: 1.000 and 0,5, never 1,000 or 0.5.
    ticks = [t for c in ("chart-series", "chart-bars") for t in axis_labels(page, c)]
    numbers = [t for t in ticks if re.search(r"\d", t) and not re.search(r"^\d{4}(-\d{2})?$", t)]
    assert numbers and all(DANISH_NUMBER.match(t) for t in numbers), numbers
    check_accessibility(page, "indicator-months")

    # The population over time: the country's line (about 2,400 people at this scale) puts
    # thousands on the axis, with a thousands point.
    page.goto(page.base + "/indicators/population?unit=municipality:561")
    charts_drawn(page)
    ticks = axis_labels(page, "chart-series")
    assert "1.000" in ticks and "1,000" not in ticks, ticks


def test_the_funnel_labels_its_points_and_marks_the_unit(page):
    log_in(page, "adm")
    # Residents aged 65+ by cluster inside Region Syddanmark: four clusters, all named.
    page.goto(
        page.base + "/indicators/residents_65plus_per_1000?level=cluster&area=region:1083"
        "&unit=cluster:syddanmark-sydvestjylland"
    )
    charts_drawn(page)
    labels = page.evaluate(
        """() => [...document.querySelectorAll('#chart-funnel svg .mark-text.role-mark text')]
            .map(t => t.textContent)"""
    )
    clusters = page.locator("#units-table tbody th").all_inner_texts()
    shown = [c for c in clusters if c != "Region Syddanmark"]
    assert sorted(labels) == sorted(shown) and len(shown) == 4, (labels, shown)
    fills = page.evaluate(
        """() => [...document.querySelectorAll('#chart-funnel svg .mark-symbol.role-mark path')]
            .map(p => (p.getAttribute('fill') || '').toUpperCase())"""
    )
    assert fills.count(UNIT_BLUE) == 1, fills
    axis = axis_labels(page, "chart-funnel")
    assert all(DANISH_NUMBER.match(t) for t in axis if re.search(r"\d", t)), axis


PAGES = {
    "unit-municipality": ESBJERG,
    "unit-region": "/units/region/1083?sort=value&desc=true",
    "overview-country": "/",
    "indicator-months": MONTHS,
    "help": "/hjaelp",
    "help-page": "/hjaelp/dashboards",
}


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_page_fits_a_phone_and_passes_axe(browser, country_server, lang):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.base = country_server  # type: ignore[attr-defined]
    log_in(page, "adm")
    if lang == "en":
        page.click("header button:has-text('English')")
        page.wait_for_url("**/")
    for name, path in PAGES.items():
        page.goto(page.base + path)
        charts_drawn(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path}: {width} px wide"
        # Legends show every series: the trend chart's four lines, each on its own line.
        if name == "indicator-months":
            legend = page.evaluate(
                "() => [...document.querySelectorAll('#chart-series svg .role-legend-label text')]"
                ".map(t => t.textContent)"
            )
            assert len(legend) == 4, legend
        # The guide's screenshots load (served, not broken-image boxes beside their alt text).
        if name == "help-page":
            page.wait_for_load_state("load")
            broken = page.evaluate(
                "() => [...document.querySelectorAll('.help-page img')]"
                ".filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
            )
            assert page.locator(".help-page img").count() == 10 and not broken, broken
        check_accessibility(page, f"phone-{name}-{lang}")
    context.close()


def test_the_admins_overview_is_a_sortable_table_of_municipalities(page):
    log_in(page, "adm")
    assert page.locator("h1").inner_text() == "Oversigt: Danmark"
    rows = page.locator("#members-table tbody tr")
    assert rows.count() > 90  # the whole country's municipalities, in one table
    names = page.locator("#members-table tbody th").all_inner_texts()
    # Danish order: Albertslund first; Aa counts as Å, the last letter, so Aarhus is last.
    assert names[0] == "Albertslund" and names[-1] == "Aarhus", (names[:3], names[-3:])
    page.click("#members-table thead a:has-text('Værdi')")
    page.wait_for_url("**sort=value**")
    assert page.locator("#members-table th[aria-sort]").inner_text().startswith("Værdi")
    check_accessibility(page, "overview-country")
