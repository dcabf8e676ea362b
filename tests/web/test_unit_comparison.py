"""The pieces of the unit page and the charts that need no application: Danish name order,
the bar chart's robust axis, gaps in lines, the funnel's labels, and the help pages'
rendering (links rewritten, raw HTML escaped)."""

from __future__ import annotations

from tvaers.dashboards import charts, comparison
from tvaers.dashboards import help as guide
from tvaers.dashboards.chart_style import ROLE_COLOURS


def test_names_sort_the_danish_way():
    names = ["Aarhus", "Ærø", "Albertslund", "Odense", "Østerbro", "Ålholm", "Zealand"]
    # Æ, Ø, Å after Z in that order; Aa counts as Å (Ålholm before Aarhus: l < r).
    assert sorted(names, key=comparison.name_key) == [
        "Albertslund",
        "Odense",
        "Zealand",
        "Ærø",
        "Østerbro",
        "Ålholm",
        "Aarhus",
    ]


def test_one_huge_interval_does_not_squash_the_bars():
    values = [
        {"unit": "A", "value": 10.0, "lo": 8.0, "hi": 12.0},
        {"unit": "B", "value": 20.0, "lo": 17.0, "hi": 23.0},
        {"unit": "C", "value": 12.0, "lo": 9.0, "hi": 15.0},
        {"unit": "Fanø", "value": 0.0, "lo": 0.0, "hi": 400.0},
        {"unit": "Hidden", "value": None, "lo": None, "hi": None},
    ]
    spec = charts.bars(
        values,
        description="d",
        x_title="x",
        reference=11.0,
        reference_label="Danmark",
        focus="C",
        hidden_text="skjult",
    )
    rows = {r["unit"]: r for r in spec["data"]["values"]}
    # Highest value 20 → 20 × 1.25 = 25; upper quartile of the ends (12, 15, 23, 400) by
    # the "exclusive" method is 305.75, capped at 2.5 × 20 = 50: the axis ends at 50.
    domain = spec["layer"][0]["encoding"]["x"]["scale"]["domain"]
    assert domain == [0.0, 50.0]
    assert rows["Fanø"]["hi_shown"] == 50.0 and rows["Fanø"]["clipped"]
    assert rows["B"]["hi_shown"] == 23.0 and rows["B"]["clipped"] is None
    # The suppressed unit keeps its row, last, with its label; the followed one is marked.
    assert [r["unit"] for r in spec["data"]["values"]][-1] == "Hidden"
    assert rows["Hidden"]["note"] == "skjult"
    assert rows["C"]["highlight"] and not rows["A"]["highlight"]


def test_a_suppressed_month_is_a_gap_and_only_the_followed_unit_has_a_band():
    values = [
        {"period": "2024-01", "unit": "Esbjerg", "value": 2.0, "lo": 1.0, "hi": 3.0},
        {"period": "2024-02", "unit": "Esbjerg", "value": None, "lo": None, "hi": None},
        {"period": "2024-03", "unit": "Esbjerg", "value": 4.0, "lo": 3.0, "hi": 90.0},
        {"period": "2024-01", "unit": "Danmark", "value": 3.0, "lo": 2.9, "hi": 3.1},
    ]
    roles = {"Esbjerg": "unit", "Danmark": "country"}
    spec = charts.series(values, description="d", x_title="x", y_title="y", roles=roles)
    band, line = spec["layer"]
    assert band["transform"] == [{"filter": {"field": "unit", "equal": "Esbjerg"}}]
    assert line["mark"]["invalid"] == "break-paths-show-domains"  # a gap, not a bridge
    assert None in [v["value"] for v in spec["data"]["values"]]
    assert line["encoding"]["color"]["scale"]["range"] == [
        ROLE_COLOURS["unit"],
        ROLE_COLOURS["country"],
    ]
    # The axis follows the lines (highest 4 × 1.5 = 6): the band of 90 is cut at 6.
    assert line["encoding"]["y"]["scale"]["domain"] == [0.0, 6.0]
    assert max(v["hi_shown"] for v in spec["data"]["values"] if v["hi_shown"]) == 6.0


def test_the_funnel_names_few_points_and_many_only_the_followed_and_the_outliers():
    few = [{"unit": f"U{i}", "denominator": 100 + i, "value": 5.0, "flag": "in"} for i in range(3)]
    spec = charts.funnel(
        few,
        [],
        description="d",
        x_title="x",
        y_title="y",
        centre=5.0,
        centre_label="c",
        limit_labels=("95", "99.8"),
        focus="U1",
    )
    assert [r["label"] for r in spec["data"]["values"]] == ["U0", "U1", "U2"]
    many = [
        {"unit": f"U{i}", "denominator": 100 + i, "value": 5.0, "flag": "in", "outside": i == 7}
        for i in range(20)
    ]
    spec = charts.funnel(
        many,
        [],
        description="d",
        x_title="x",
        y_title="y",
        centre=5.0,
        centre_label="c",
        limit_labels=("95", "99.8"),
        focus="U1",
    )
    assert [r["label"] for r in spec["data"]["values"] if r["label"]] == ["U1", "U7"]


def test_help_pages_link_each_other_and_escape_raw_html(monkeypatch, tmp_path):
    (tmp_path / "dashboards.md").write_text(
        "# Reading\n\n> **Dansk resumé.** Kort.\n\nSee [SPC](spc.md#runs), the "
        "[operators](operators.md) and ![chart](spc-run-chart.svg).\n\n"
        "<script>alert(1)</script> [x](javascript:alert(1))\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(guide, "DOCS", tmp_path)
    guide.page.cache_clear()
    try:
        found = guide.page("dashboards")
        assert found is not None and found.title == "Reading" and found.summary == "Kort."
        assert 'href="/hjaelp/spc#runs"' in found.html
        assert "operators.md" not in found.html and "operators" in found.html  # text kept
        assert 'src="/hjaelp/bilag/spc-run-chart.svg"' in found.html
        assert "<script>" not in found.html and "&lt;script&gt;" in found.html
        assert 'href="javascript' not in found.html  # left as text, never a link
        assert guide.page("operators") is None  # not a page for users
    finally:
        guide.page.cache_clear()
