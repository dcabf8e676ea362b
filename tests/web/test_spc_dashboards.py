"""SPC on the dashboards, through the JSON twins: the run chart of a unit's series and its
verdict, Laney's chart on request, the verdicts on the cards, and SPC computed from exactly
the cells the user may see (a hidden cell is a missing point, never 0).

The expected centre lines and runs are worked out here from the series the same response
shows, with plain Python (statistics.median, sums, a loop over signs), not with tvaers.spc.
"""

from __future__ import annotations

import math
import statistics

import pytest

from tests.web.helpers import log_in, token

pytestmark = pytest.mark.parametrize("backend", ["sqlite"], indirect=True)

SV = ("cluster", "syddanmark-sydvestjylland")
PREVENTABLE = "/indicators/preventable_admissions_65plus"
DISCHARGE = "/indicators/ready_for_discharge_days_per_1000"
ESBJERG = "municipality:561"


@pytest.fixture
def viewer(app, accounts, with_results):
    from fastapi.testclient import TestClient

    accounts.add("vic", "viewer", SV)
    with TestClient(app) as other:
        log_in(other, "vic")
        yield other


def own_series(data: dict, unit: str) -> list[dict]:
    level, code = unit.split(":")
    cells = [c for c in data["series"] if (c["level"], c["unit_code"]) == (level, code)]
    return sorted(cells, key=lambda c: c["period"])


def crude(cell: dict, factor: int) -> float | None:
    if cell["numerator"] is None or not cell["denominator"]:
        return None
    return cell["numerator"] / cell["denominator"] * factor


def runs_by_hand(values: list[float | None], centre: float) -> tuple[int, int, int]:
    """(useful points, longest run, crossings): points on the centre line and missing
    points neither count nor break a run."""
    signs = [(v > centre) - (v < centre) for v in values if v is not None and v != centre]
    longest = run = crossings = 0
    for i, s in enumerate(signs):
        run = run + 1 if i and s == signs[i - 1] else 1
        crossings += bool(i and s != signs[i - 1])
        longest = max(longest, run)
    return len(signs), longest, crossings


def test_a_quarterly_series_has_its_run_chart_and_verdict(analyst):
    data = analyst.get(f"{PREVENTABLE}.json?period_type=quarter&unit=municipality:561").json()
    assert data["chart"] == "run"
    spc = data["spc"]
    assert spc["unit"]["code"] == "561" and spc["period_type"] == "quarter"
    assert spc["chart"] == "run" and spc["multiply"] == 1000
    periods = [f"{y}-Q{q}" for y in range(2019, 2025) for q in range(1, 5)]
    assert [p["x"] for p in spc["points"]] == periods  # every quarter, missing ones too
    series = {c["period"]: crude(c, 1000) for c in own_series(data, ESBJERG)}
    values = [series.get(p) for p in periods]
    for point, value in zip(spc["points"], values, strict=True):
        assert point["lcl"] is None and point["ucl"] is None  # a run chart has no limits
        assert (point["value"] is None) == (value is None)
        if value is not None:
            assert math.isclose(point["value"], value, rel_tol=1e-9)
    median = statistics.median(v for v in values if v is not None)
    part = spc["parts"][0]
    assert math.isclose(part["cl"], median, abs_tol=1e-9)
    useful, longest, crossings = runs_by_hand(values, median)
    assert (part["n_useful"], part["longest_run"], part["n_crossings"]) == (
        useful,
        longest,
        crossings,
    )
    assert part["longest_run_max"] == round(math.log2(useful)) + 3
    signal = part["longest_run"] > part["longest_run_max"] or (
        part["n_crossings"] < part["n_crossings_min"]
    )
    verdict = spc["verdict"]
    assert verdict["signal"] is signal
    if signal:
        assert verdict["text"].startswith("tegn på reel ændring")
    else:
        assert verdict["text"] == "kun tilfældig variation" and verdict["kind"] == "common"
    assert verdict["footer"].startswith("Seriediagram (median), Anhøj-reglerne; basis: alle 24")
    assert "ganget med 1.000" in verdict["footer"]

    chart = data["charts"]["spc"]
    assert "$schema" not in chart and chart["layer"]
    assert [row["x"] for row in chart["data"]["values"]] == periods
    assert verdict["text"].capitalize() in chart["description"]
    # The followed unit first, then the units it belongs to, each with its verdict.
    units = [(u["unit"]["level"], u["unit"]["code"]) for u in data["spc_units"]]
    assert units[0] == ("municipality", "561") and units[-1] == ("country", "DK")
    assert data["spc_units"][0]["text"] == verdict["text"]
    assert data["spc_units"][0]["n_useful"] == useful

    page = analyst.get(f"{PREVENTABLE}?period_type=quarter&unit=municipality:561").text
    assert 'id="chart-spc" class="chart" role="img"' in page
    assert verdict["footer"] in page and verdict["text"].capitalize() in page


def test_years_are_too_few_for_a_chart(analyst):
    data = analyst.get(f"{PREVENTABLE}.json").json()
    assert data["period_type"] == "year" and data["spc"] is None and data["spc_units"] == []
    assert "spc" not in data["charts"]
    assert "mindst 10 perioder" in analyst.get(PREVENTABLE).text


def test_the_laney_chart_on_request(analyst):
    url = f"{DISCHARGE}.json?period_type=quarter&unit={ESBJERG}"
    data = analyst.get(f"{url}&chart=up").json()
    spc = data["spc"]
    assert data["chart"] == spc["chart"] == "up"  # a rate per 1,000: Laney's U′ chart
    cells = {c["period"]: c for c in own_series(data, ESBJERG)}
    shown = [c for c in cells.values() if c["numerator"] is not None and c["denominator"]]
    total = sum(c["numerator"] for c in shown) / sum(c["denominator"] for c in shown) * 1000
    assert math.isclose(spc["parts"][0]["cl"], total, rel_tol=1e-9)
    assert all(p["lcl"] is not None and p["lcl"] >= 0 for p in spc["points"] if p["n"])
    assert all(p["ucl"] > p["cl"] for p in spc["points"] if p["n"])
    assert "Laneys U′-kort" in spc["verdict"]["footer"]
    assert "MR-screening til" in spc["verdict"]["footer"]
    assert {o["value"] for o in data["choices"]["chart"]} == {"run", "up"}
    # Percentages get P′; a chart of the other kind, or none, is not offered.
    readmissions = "/indicators/readmissions_30d_somatic.json?period_type=quarter"
    assert analyst.get(f"{readmissions}&chart=pp").json()["spc"]["chart"] == "pp"
    assert analyst.get(f"{readmissions}&chart=up").status_code == 404
    assert analyst.get(f"{url}&chart=pp").status_code == 404
    assert analyst.get(f"{url}&chart=xmr").status_code == 422


def test_a_viewers_spc_treats_suppressed_cells_as_missing(analyst, viewer):
    url = f"{DISCHARGE}.json?period_type=quarter&unit={ESBJERG}"
    for chart in ("run", "up"):
        seen = viewer.get(f"{url}&chart={chart}").json()
        full = analyst.get(f"{url}&chart={chart}").json()
        cells = own_series(seen, ESBJERG)
        hidden = {c["period"] for c in cells if c["hidden"]}
        visible = [c for c in cells if not c["hidden"] and c["numerator"] is not None]
        assert hidden and visible, "Esbjerg's series has suppressed and visible cells"
        # The analyst may see Esbjerg's suppressed cells: nothing is hidden from them.
        assert not any(c["hidden"] for c in own_series(full, ESBJERG))
        points = {p["x"]: p for p in seen["spc"]["points"]}
        for period in hidden:
            assert points[period]["y"] is None and points[period]["value"] is None
            assert points[period]["note"] == "diskretioneret"
        for row in seen["charts"]["spc"]["data"]["values"]:
            if row["x"] in hidden:
                assert row["value"] is None
        if chart == "run":
            expected = statistics.median(crude(c, 1000) for c in visible)
            everything = statistics.median(
                v for c in own_series(full, ESBJERG) if (v := crude(c, 1000)) is not None
            )
        else:  # Σ y / Σ n over the visible cells only: a hidden cell's n is left out too
            expected = (
                sum(c["numerator"] for c in visible) / sum(c["denominator"] for c in visible) * 1000
            )
            shown = [c for c in own_series(full, ESBJERG) if c["numerator"] is not None]
            everything = (
                sum(c["numerator"] for c in shown) / sum(c["denominator"] for c in shown) * 1000
            )
        assert math.isclose(seen["spc"]["parts"][0]["cl"], expected, abs_tol=1e-9), chart
        assert math.isclose(full["spc"]["parts"][0]["cl"], everything, abs_tol=1e-9), chart
        values = [crude(c, 1000) if not c["hidden"] else None for c in cells]
        assert seen["spc"]["parts"][0]["n_useful"] == runs_by_hand(values, expected)[0]
        mine = seen["spc_units"][0]
        assert mine["unit"]["code"] == "561" and mine["n_useful"] <= len(visible)


def test_the_cards_say_whether_a_change_is_real(analyst, viewer):
    data = analyst.get("/index.json").json()
    figures = {f["indicator"]["id"]: f for f in data["figures"]}
    monthly = figures["preventable_admissions_65plus"]["spc"]
    assert monthly["period_type"] == "month" and monthly["chart"] == "run"
    assert monthly["n_obs"] == 72  # 2019-01 … 2024-12
    assert monthly["stratum"] == figures["preventable_admissions_65plus"]["stratum"]
    assert figures["population"]["spc"] is None  # six years: too few points
    for f in figures.values():
        spc = f["spc"]
        if spc is None:
            continue
        assert spc["kind"] == "common" if not spc["signal"] else spc["kind"] != "common"
        if spc["signal"] and f["indicator"]["direction"] == "lower_is_better":
            assert spc["kind"] in ("improvement", "concern")
            assert spc["text"] in (
                "tegn på reel ændring – en forbedring",
                "tegn på reel ændring – til bekymring",
            )
        if not spc["signal"]:
            assert spc["text"] == "kun tilfældig variation"
        assert spc["footer"].startswith("Seriediagram (median), Anhøj-reglerne")
    # The card's verdict is the indicator page's verdict for the same series.
    page = analyst.get(
        f"{PREVENTABLE}.json?period_type=month&unit=cluster:syddanmark-sydvestjylland"
    ).json()
    assert page["spc"]["verdict"]["text"] == monthly["text"]
    assert page["spc"]["parts"][0]["n_useful"] == monthly["n_useful"]

    html = analyst.get("/").text
    assert "tegn på reel ændring" in html.lower() or "kun tilfældig variation" in html.lower()
    assert "siden 2023 (" not in html and "Pilen viser" not in html
    # A viewer's card for a municipality leaves its hidden months out.
    seen = viewer.get("/units/municipality/561.json").json()
    full = analyst.get("/units/municipality/561.json").json()
    pick = {f["indicator"]["id"]: f["spc"] for f in seen["figures"]}
    everything = {f["indicator"]["id"]: f["spc"] for f in full["figures"]}
    months = viewer.get(f"{DISCHARGE}.json?period_type=month&unit={ESBJERG}").json()
    hidden = sum(c["hidden"] for c in own_series(months, ESBJERG))
    assert hidden > 0
    assert pick["ready_for_discharge_days_per_1000"]["n_useful"] <= 72 - hidden
    assert (
        pick["ready_for_discharge_days_per_1000"]["n_useful"]
        < everything["ready_for_discharge_days_per_1000"]["n_useful"]
    )


def test_english_verdicts_on_english_pages(analyst):
    analyst.post("/language", data={"lang": "en", "csrf_token": token(analyst)})
    data = analyst.get(f"{PREVENTABLE}.json?period_type=quarter&unit={ESBJERG}").json()
    verdict = data["spc"]["verdict"]
    assert verdict["text"] in (
        "only random variation",
        "signs of a real change – an improvement",
        "signs of a real change – a concern",
    )
    assert verdict["footer"].startswith("Run chart (median), Anhøj rules; base: all 24 points")
    assert "multiplied by 1,000" in verdict["footer"]
    overview = analyst.get("/").text
    assert "only random variation" in overview.lower() or "signs of a real change" in overview
    assert "the verdict comes from a run chart by the Anhøj rules" in overview
    # The Danish page of the same user afterwards is Danish again (no shared state).
    analyst.post("/language", data={"lang": "da", "csrf_token": token(analyst)})
    danish = analyst.get(f"{PREVENTABLE}.json?period_type=quarter&unit={ESBJERG}").json()
    assert danish["spc"]["verdict"]["footer"].startswith("Seriediagram (median)")


def test_nothing_of_a_hidden_cell_can_be_read_from_a_viewers_chart(analyst, viewer, with_results):
    """Publish the same results with every suppressed cell's numbers changed: the viewer's
    SPC (points, centre lines, limits, verdicts) stays exactly the same, the analyst's
    (who may see Esbjerg's suppressed cells) changes."""
    import os
    import shutil

    import duckdb

    urls = [
        f"{DISCHARGE}.json?period_type=quarter&unit={ESBJERG}&chart=up",
        f"{PREVENTABLE}.json?period_type=month&unit={ESBJERG}",
        "/units/municipality/561.json",
    ]

    def spc_of(client, url):
        data = client.get(url).json()
        if "figures" in data:
            return [f["spc"] for f in data["figures"]]
        return data["spc"], data["spc_units"], data["charts"]["spc"]

    before = [spc_of(viewer, u) for u in urls]
    analyst_before = spc_of(analyst, urls[0])
    work = with_results.with_name("next-" + with_results.name)
    shutil.copyfile(with_results, work)
    con = duckdb.connect(str(work))
    con.execute(
        "UPDATE results SET numerator = numerator + 2, value = value * 1.5 WHERE suppressed"
    )
    con.execute("UPDATE run SET value = '\"2031-01-01T00:00:00+00:00\"' WHERE key = 'computed_at'")
    con.close()
    os.replace(work, with_results)
    assert viewer.get("/indicators.json").json()["computed_at"] == "2031-01-01T00:00:00+00:00"
    assert [spc_of(viewer, u) for u in urls] == before
    assert spc_of(analyst, urls[0]) != analyst_before


def test_a_card_links_to_the_chart_its_verdict_comes_from(analyst):
    page = analyst.get("/units/municipality/561").text
    href = "/indicators/preventable_admissions_65plus?period_type=month&amp;unit=municipality:561"
    assert f'<a href="{href}">seriediagram</a>, 72 måneder' in page
    chart = analyst.get(href.replace("&amp;", "&").replace("?", ".json?", 1)).json()
    card = next(
        f["spc"]
        for f in analyst.get("/units/municipality/561.json").json()["figures"]
        if f["indicator"]["id"] == "preventable_admissions_65plus"
    )
    assert chart["spc"]["verdict"]["text"] == card["text"]
