"""The dashboards in a real browser: Playwright for Python driving Debian's Chromium against
the application served on loopback.

Log in, open the overview, open an indicator, switch level and period, download CSV; a
viewer gets suppressed cells and cannot reach an analyst page; log out. On every main page
axe-core (vendored in tests/web/vendor/) finds no serious or critical violation of WCAG 2.1
A/AA, the Content-Security-Policy is never violated (the charts draw without inline code or
styles), and a screenshot is stored in tests/web/artifacts/.

Without /usr/bin/chromium (apt-get install chromium; `make test` does it as root) the tests
are skipped with the reason, except in CI (CI=true), where that is a failure. A browser is
never downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tvaers.indicators.results import results_path
from tvaers.users.service import add_user
from tvaers.web.app import create_app
from tvaers.web.db import session_scope
from tvaers.web.scope import UnitRef
from tvaers.web.settings import WebSettings

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = Path(__file__).parent / "artifacts"
PASSWORD = "a long enough password 1"
# Without these Chromium keeps trying to reach Google's services, which this machine refuses.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[dev]')")
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing (apt-get install chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def server(results_source, tmp_path_factory):
    """The application on a free loopback port, with an analyst and a viewer."""
    warehouse = tmp_path_factory.mktemp("browser") / "tvaers.duckdb"
    shutil.copyfile(results_path(results_source), results_path(warehouse))
    app = app_with_users(
        warehouse,
        [
            ("anna", "analyst", "Anna", ("cluster", "syddanmark-sydvestjylland")),
            ("vera", "viewer", "Vera", ("region", "1083")),
            ("adm", "admin", "Adm"),
        ],
    )
    yield from serve(app)


def app_with_users(warehouse: Path, users: list[tuple]):
    """The application over ``warehouse``, its database a SQLite file beside it, with
    ``users`` added as `tvaers users add` adds them: each (login, role, display name, then
    the (level, code) of every unit in its scope), all with PASSWORD."""
    settings = WebSettings(
        warehouse=warehouse,
        app_db_url=f"sqlite:///{warehouse.parent / 'app.sqlite'}",
        secret="b" * 48,
    )
    app = create_app(settings)
    with session_scope(app.state.sessions) as db:
        for login, role, name, *scopes in users:
            add_user(
                db,
                login,
                role=role,
                password=PASSWORD,
                display_name=name,
                scopes=[UnitRef(level, code) for level, code in scopes],
            )
    return app


def serve(app):
    """Serve ``app`` on a free loopback port until the generator is closed; yields its URL."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser, server):
    with watched_page(browser, server) as page:
        yield page


@contextmanager
def watched_page(browser, base: str, *, expected: tuple[str, ...] = ("status of 403",)):
    """A page in a fresh browser context (1280 × 900) whose script errors and console errors
    (a Content-Security-Policy report included) fail the test, except console messages
    containing one of `expected` — a refused page (403) or a form answered 422 is the test's
    own doing, not a problem of the page."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def console(message) -> None:
        if any(text in message.text for text in expected):
            return
        if message.type == "error" or "Content Security Policy" in message.text:
            problems.append(f"console {message.type}: {message.text}")

    page.on("console", console)
    page.base = base  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
    assert problems == [], problems


def log_in(page, username: str) -> None:
    page.goto(page.base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(page.base + "/")


def charts_drawn(page) -> None:
    page.wait_for_function(
        "() => [...document.querySelectorAll('.chart')].every("
        "c => ['done', 'failed'].includes(c.getAttribute('data-rendered')))",
        timeout=20_000,
    )
    failed = page.locator(".chart[data-rendered=failed]").count()
    assert failed == 0, "a chart could not be drawn"


def check_accessibility(page, name: str) -> None:
    """axe-core in the page: no serious or critical violation; then a screenshot."""
    page.evaluate(AXE.read_text(encoding="utf-8"))  # DevTools evaluation: the CSP stays on
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{name}: {bad}"
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    print(f"screenshot: {target}")


def charts_work_with_the_keyboard(page) -> None:
    """What the tooltips show is reachable without a mouse: the chart takes focus from the
    keyboard, the arrow keys read its figures out, and its link leads to the table."""
    page.focus("#sw-show")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "chart-series"
    readout = page.locator("#chart-series-readout")
    assert readout.get_attribute("aria-live") == "polite"
    page.keyboard.press("ArrowRight")
    first = readout.inner_text()
    assert first.startswith("Sundhedsklynge Sydvestjylland · Periode: 2019 · "), first
    assert re.search(r": \d+,\d \(1 af \d+\)$", first), first  # Danish decimal comma
    page.keyboard.press("End")
    total = re.search(r"\((\d+) af (\d+)\)$", readout.inner_text())
    assert total and total.group(1) == total.group(2)
    assert "Danmark" in readout.inner_text()  # the series ends with the country

    # The units side by side: the top bar's unit first (the bars' order, largest first),
    # then the link to the table.
    page.focus("#chart-bars")
    page.keyboard.press("ArrowDown")
    units = page.locator("#units-table tbody th").all_inner_texts()
    top = page.locator("#chart-bars-readout").inner_text().split(" · ")[0]
    assert top in units, (top, units)
    page.keyboard.press("Tab")
    link = page.evaluate("document.activeElement.getAttribute('href')")
    assert link == "#units-table"
    page.keyboard.press("Enter")
    page.wait_for_url("**#units-table")
    page.keyboard.press("Escape")


def charts_show_figures_under_the_mouse(page) -> None:
    """Resting on a bar writes its figures under the chart, and they stay when the pointer
    moves on (WCAG 1.4.13: no tooltip that vanishes as the pointer moves onto it)."""
    readout = page.locator("#chart-bars-readout")
    page.keyboard.press("Escape")  # clears what the keyboard left
    assert readout.inner_text() == ""
    page.locator("#chart-bars").scroll_into_view_if_needed()
    # the widest bar (in the small test data some units have none at all), off its middle,
    # where the line of the confidence interval lies over it
    x, y = page.evaluate(
        """() => {
            const bars = [...document.querySelectorAll(
                "#chart-bars svg .mark-rect.role-mark path")];
            const box = bars.map(b => b.getBoundingClientRect())
                .reduce((a, b) => (b.width > a.width ? b : a));
            return [box.x + box.width / 2, box.y + box.height / 5];
        }"""
    )
    page.mouse.move(x, y)
    for _ in range(100):  # (wait_for_function would evaluate a string: the CSP forbids it)
        if shown := readout.inner_text():
            break
        page.wait_for_timeout(50)
    units = page.locator("#units-table tbody th").all_inner_texts()
    assert shown.split(" · ")[0] in units, shown
    assert re.search(r"\d,\d", shown), shown  # the page's Danish decimals, not Vega's
    page.mouse.move(0, 0)  # the pointer leaves the chart: the figures stay
    assert readout.inner_text() == shown
    assert page.locator("#vg-tooltip-element.visible").count() == 0
    page.keyboard.press("Escape")
    assert readout.inner_text() == ""


def test_an_analyst_walks_through_the_dashboards(page):
    log_in(page, "anna")
    assert page.locator("h1").inner_text().startswith("Oversigt: Sundhedsklynge Sydvestjylland")
    check_accessibility(page, "overview")

    # Open an indicator from the overview's key figures.
    page.click("text=Forebyggelige indlæggelser blandt ældre")
    charts_drawn(page)
    assert page.locator("#chart-series svg").count() == 1
    assert page.locator("#chart-funnel svg").count() == 1
    check_accessibility(page, "indicator")
    charts_work_with_the_keyboard(page)
    charts_show_figures_under_the_mouse(page)

    # Switch the level: HTMX swaps the dashboard and the address follows.
    page.select_option("#sw-level", "cluster")
    page.click("#dashboard form button[type=submit]")
    page.wait_for_url("**level=cluster**")
    charts_drawn(page)
    assert "Sundhedsklynger" in page.locator("#table-caption").inner_text()

    # Switch to quarters with the keyboard: the focus stays on the button after the swap.
    page.select_option("#sw-period_type", "quarter")
    page.focus("#sw-show")
    page.keyboard.press("Enter")
    page.wait_for_url("**period_type=quarter**")
    charts_drawn(page)
    assert page.evaluate("document.activeElement.id") == "sw-show"
    # Screen readers hear what is shown now, from a live region the swap leaves in place.
    status = page.locator("#dashboard-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == page.locator("#dashboard-choice").inner_text()
    assert "Sundhedsklynger · 2024-Q4" in status.inner_text()
    # Choosing English keeps the choices.
    page.click("header button:has-text('English')")
    page.wait_for_url("**period_type=quarter**")
    assert "Health clusters" in page.locator("#table-caption").inner_text()
    page.click("header button:has-text('Dansk')")
    page.wait_for_url("**period_type=quarter**")
    # Then to a chosen quarter.
    page.select_option("#sw-period", "2023-Q2")
    page.click("#dashboard form button[type=submit]")
    page.wait_for_url("**period=2023-Q2**")
    charts_drawn(page)
    assert "2023-Q2" in page.locator("#table-caption").inner_text()

    # Download the table as CSV.
    with page.expect_download() as info:
        page.locator("section .downloads a", has_text="Hent som CSV").first.click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    header, *rows = text.splitlines()
    assert header.startswith("indicator_id,period,level,unit_code")
    assert rows and all(",cluster," in r for r in rows)

    for path, name in (("/units/region/1083", "unit"), ("/organisation", "organisation")):
        page.goto(page.base + path)
        check_accessibility(page, name)
    page.goto(page.base + "/suppressed")
    check_accessibility(page, "suppressed-cells")

    page.click("header button:has-text('Log ud')")
    page.wait_for_url("**/login")
    page.goto(page.base + "/")
    page.wait_for_url("**/login?next=/")


def test_a_viewer_sees_suppressed_cells_and_no_analyst_page(page):
    log_in(page, "vera")
    page.goto(page.base + "/indicators/preventable_admissions_65plus")
    charts_drawn(page)
    assert page.locator("#table-caption").count() == 1
    assert page.locator("table .hidden-cell", has_text="skjult").count() > 0
    assert page.locator("tr.revealed").count() == 0
    assert page.locator("a[href='/suppressed']").count() == 0
    response = page.goto(page.base + "/suppressed")
    assert response is not None and response.status == 403
    assert "Ingen adgang" in page.locator("h1").inner_text()
    page.goto(page.base + "/")
    page.click("header button:has-text('Log ud')")
    page.wait_for_url("**/login")


def test_an_admin_reads_and_filters_the_audit_log(page):
    # Anna's visits above (or now) leave entries; the admin chooses hers.
    log_in(page, "anna")
    page.goto(page.base + "/indicators/preventable_admissions_65plus")
    charts_drawn(page)
    page.click("header button:has-text('Log ud')")
    page.wait_for_url("**/login")
    log_in(page, "adm")
    page.click("header a:has-text('Revisionslog')")
    page.wait_for_url("**/admin/audit")
    page.fill("#f-actor", "anna")
    page.select_option("#f-action", "unsuppressed_viewed")
    page.click("main button[type=submit]")
    page.wait_for_url("**actor=anna**")
    actors = page.locator("tbody td.who").all_inner_texts()  # the name, then the role
    assert actors and {a.split()[0] for a in actors} == {"anna"}
    check_accessibility(page, "audit-log")


def test_a_municipalitys_indicator_page_shows_a_run_chart_and_its_verdict(page):
    """Quarters of Esbjerg: the run chart is drawn, its verdict and footer are on the page,
    the keyboard reads its points out (Danish decimals), and axe finds nothing in Danish or
    English."""
    log_in(page, "anna")
    page.goto(
        page.base + "/indicators/preventable_admissions_65plus"
        "?period_type=quarter&unit=municipality:561"
    )
    charts_drawn(page)
    assert page.locator("#chart-spc svg").count() == 1
    assert page.locator("#chart-spc-caption").inner_text() == "Seriediagram: Esbjerg, kvartaler"
    verdict = page.locator(".spc-verdict").inner_text()
    assert verdict in ("Kun tilfældig variation",) or verdict.startswith("Tegn på reel ændring")
    footer = page.locator(".chart-footer").first.inner_text()
    assert footer.startswith("Seriediagram (median), Anhøj-reglerne; basis: alle 24 punkter")
    label = page.locator("#chart-spc").get_attribute("aria-label") or ""
    assert "Esbjerg" in label and "længste serieforløb" in label
    page.focus("#chart-spc")
    page.keyboard.press("ArrowRight")
    first = page.locator("#chart-spc-readout").inner_text()
    assert first.startswith("periode: 2019-Q1 · "), first
    assert re.search(r"centerlinje: \d+,\d", first), first
    assert first.endswith("(1 af 24)"), first
    check_accessibility(page, "indicator-spc")

    # Laney's control chart on request, then the same page in English.
    page.select_option("#sw-chart", "up")
    page.click("#dashboard form button[type=submit]")
    page.wait_for_url("**chart=up**")
    charts_drawn(page)
    assert page.locator("#chart-spc-caption").inner_text().startswith("Kontroldiagram: Esbjerg")
    assert "Laneys U′-kort" in page.locator(".chart-footer").first.inner_text()
    page.click("header button:has-text('English')")
    page.wait_for_url("**chart=up**")
    charts_drawn(page)
    assert page.locator("#chart-spc-caption").inner_text() == "Control chart: Esbjerg, quarters"
    english = page.locator(".spc-verdict").inner_text()
    assert english == "Only random variation" or english.startswith("Signs of a real change")
    check_accessibility(page, "indicator-spc-en")
    page.click("header button:has-text('Dansk')")
    page.wait_for_url("**chart=up**")
