"""Verdicts by the indicator's direction, target assurance and the parameter footer."""

from __future__ import annotations

import pytest

from tvaers import i18n
from tvaers.spc import compute
from tvaers.spc.verdict import assurance, footer, verdict, verdict_text

SHIFT_UP = [1.0] * 10 + [5.0] * 10  # a run of 10 above the median: a runs signal


@pytest.mark.parametrize(
    ("values", "direction", "text"),
    [
        (SHIFT_UP, "higher_is_better", "tegn på reel ændring – en forbedring"),
        (SHIFT_UP, "lower_is_better", "tegn på reel ændring – til bekymring"),
        (SHIFT_UP, "neutral", "tegn på reel ændring – en stigning"),
        (SHIFT_UP[::-1], "lower_is_better", "tegn på reel ændring – en forbedring"),
        (SHIFT_UP[::-1], "neutral", "tegn på reel ændring – et fald"),
        ([1.0, 2.0] * 10, "higher_is_better", "kun tilfældig variation"),
    ],
)
def test_verdict_text_follows_the_direction(values, direction, text) -> None:
    assert verdict(compute(values, chart="run"), direction).text == text


def test_english_texts() -> None:
    i18n.set_language("en")
    assert verdict_text(False, 0, "neutral") == "only random variation"
    assert verdict_text(True, 1, "higher_is_better") == "signs of a real change – an improvement"


def test_a_point_outside_the_limits_decides_the_side() -> None:
    # one high point in an otherwise stable I chart
    r = compute([10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 10, 30], chart="i")
    v = verdict(r, "lower_is_better")
    assert v.sigma_signals == 1 and v.kind == "concern"


def test_footer_names_the_parameters() -> None:
    text = footer(compute(list(range(20)), chart="i", parts=[10], exclude=[3]))
    assert "I-kort" in text and "udeladt: punkt 3" in text
    assert "2 faser (ny fase efter punkt 10)" in text and "MR-screening til" in text
    frozen = footer(compute(list(range(20)), chart="run", freeze=12))
    assert "basis: punkt 1–12" in frozen and "MR-screening" not in frozen
    assert "under 10 brugbare punkter" in footer(compute([1, 2, 3], chart="run"))


def _stable_i_chart():
    # CL 10, MRs all 2 → σ = 2/1.128 = 1.773, limits 4.68 and 15.32
    return compute([9, 11] * 10, chart="i")


@pytest.mark.parametrize(
    ("target", "direction", "code"),
    [
        (4.0, "higher_is_better", "met"),
        (16.0, "higher_is_better", "missed"),
        (10.0, "higher_is_better", "hit_and_miss"),
        (16.0, "lower_is_better", "met"),
        (4.0, "lower_is_better", "missed"),
        (12.0, "lower_is_better", "hit_and_miss"),
        (12.0, "neutral", "none"),
    ],
)
def test_target_assurance(target, direction, code) -> None:
    assert assurance(_stable_i_chart(), target, direction).code == code


def test_a_run_chart_gives_only_the_side_of_the_median() -> None:
    r = compute([9, 11] * 10, chart="run")  # median 10
    assert assurance(r, 8, "higher_is_better").code == "median_right_side"
    assert assurance(r, 12, "higher_is_better").code == "median_wrong_side"
    assert assurance(r, 12, "lower_is_better").code == "median_right_side"


def test_assurance_uses_the_displayed_scale() -> None:
    # CL 10 %, σ = √(0.1·0.9/100) = 3 %: limits 1 % and 19 % on the displayed scale
    r = compute([9, 11] * 10, [100] * 20, chart="p", multiply=100)
    assert assurance(r, 0.5, "higher_is_better").code == "met"  # 0.5 % (not 50 %)
    assert assurance(r, 20, "higher_is_better").code == "missed"
    assert assurance(r, 10, "higher_is_better").code == "hit_and_miss"


def test_the_batch_footer_reads_like_the_charts() -> None:
    from tvaers.spc.verdict import footer_text

    few = compute([1.0, 2.0, 3.0] * 3, [10.0] * 9, chart="up", multiply=1000)
    assert (
        footer_text("up", 9, multiply=1000, fewest_useful=8)
        == footer(few)
        == (
            "Laneys U′-kort (rater), Anhøj-reglerne; basis: alle 9 punkter; én fase; "
            "MR-screening til; ganget med 1.000; under 10 brugbare punkter: reglerne er kun "
            "vejledende."
        )
    )
    assert (
        footer_text("run", 24) == "Seriediagram (median), Anhøj-reglerne; basis: alle 24 "
        "punkter; én fase."
    )


def test_a_language_for_one_block_only() -> None:
    """A web request's language (i18n.language) applies within its block, whatever the
    process language is, and not after it."""
    with i18n.language("en"):
        assert verdict_text(False, 0, "neutral") == "only random variation"
    assert verdict_text(False, 0, "neutral") == "kun tilfældig variation"
    with pytest.raises(ValueError), i18n.language("de"):
        pass
