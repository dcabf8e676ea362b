"""Disclosure control (v1.1): primary suppression of numerators 1–4 on every level,
complementary suppression until no relation between published cells gives a hidden one
away, and what a suppressed cell looks like.

Probe: `residents_65plus_per_1000` in Region Nordjylland (1081), whose 11 municipalities are
all given residents, so every sibling is known. Its clusters (in force on the default
structure date, the extraction date 2024-03-01):
  nordjylland-vest 773, 787 · nordjylland-midt 849, 851 · nordjylland-nord 810, 813, 825, 860 ·
  nordjylland-syd 820, 840, 846.
"""

from __future__ import annotations

from .builder import Delivery, compute, export, ingest

IND = "residents_65plus_per_1000"

# residents aged ≥ 65 per municipality (each municipality also has five residents aged 39,
# so no population count is at 1–4)
OLD_PER_MUNICIPALITY = {
    "773": 2,  # vest: 1–4 -> suppressed
    "787": 10,
    "849": 3,  # midt: two children at 1–4 -> both suppressed, and the cluster (4) too
    "851": 1,
    "810": 2,  # nord: 1–4 -> suppressed
    "813": 6,
    "825": 6,
    "860": 8,
    "820": 9,  # syd: nothing at 1–4; 840 has a true 0, which is shown as 0
    "840": 0,
    "846": 12,
}
YOUNG_PER_MUNICIPALITY = 5


def nordjylland() -> Delivery:
    d = Delivery()
    for code, n_old in OLD_PER_MUNICIPALITY.items():
        for i in range(n_old):
            d.person(f"o{code}-{i}", "1953-03-03", municipality=code)  # 69 on 1 Jan 2023
        for i in range(YOUNG_PER_MUNICIPALITY):
            d.person(f"y{code}-{i}", "1983-03-03", municipality=code)  # 39
    return d


def test_primary_and_complementary_suppression(tmp_path):
    # Spec (v1.1): "a cell whose numerator is 1–4 is suppressed" and "no suppressed cell may
    # be computable exactly from the published cells through the additive relations …
    # Complementary cells are chosen to hide as little as possible (smallest numerators
    # first, one at a time)". Worked out by hand:
    # primary 773, 849, 851, 810 and cluster midt (3 + 1 = 4). Open then: cluster vest
    # (773 alone), cluster nord (810 alone), and the region (and the country) as the sum of
    # its clusters (midt alone). Cluster vest's own cell (12) lies in three of them, so it
    # is hidden first — not 787, which is in one. Then nord alone is open: the next smallest
    # of its cells, 6, a tie 813/825 -> 813 (the lower code). What is hidden then leaves
    # three degrees of freedom and determines nothing.
    db = ingest(nordjylland(), tmp_path)
    compute(db)
    r = export(db, tmp_path / "published.csv", unsuppressed=False)
    suppressed = {"773", "849", "851", "810", "813"}
    for code in OLD_PER_MUNICIPALITY:
        assert r.suppressed(IND, code) is (code in suppressed), code
    # Clusters: vest 2+10 = 12 (complementary), midt 3+1 = 4 (primary), nord 2+6+6+8 = 22,
    # syd 9+0+12 = 21. Region and country: 59.
    for unit in ("nordjylland-vest", "nordjylland-midt"):
        assert r.suppressed(IND, unit), unit
    for unit in ("nordjylland-nord", "nordjylland-syd", "1081", "DK"):
        assert not r.suppressed(IND, unit), unit
    assert r.numerator(IND, "nordjylland-nord") == 22
    assert r.numerator(IND, "1081") == 59
    assert r.numerator(IND, "DK") == 59
    # Unsuppressed cells show their numbers, a true 0 included (840: 0 of 5 residents).
    assert r.numerator(IND, "787") == 10
    assert r.numerator(IND, "825") == 6
    assert r.numerator(IND, "840") == 0
    assert r.value(IND, "840") == 0
    assert abs(r.value(IND, "846") - 705.8824) < 1e-3  # 12 of 17 residents
    # No population count is at 1–4, so the denominators are published, also of hidden cells.
    assert r.denominator(IND, "773") == 7


def test_a_suppressed_cell_is_empty_never_zero(tmp_path):
    # Spec: "`suppressed` | `true` when disclosure control hid the cell; then numerator, value
    # and intervals are empty" and "A suppressed cell is never shown as 0."
    db = ingest(nordjylland(), tmp_path)
    compute(db)
    r = export(db, tmp_path / "published.csv", unsuppressed=False)
    hidden = ("numerator", "value", "ci_low", "ci_high", "std_value", "std_ci_low", "std_ci_high")
    for unit in ("773", "nordjylland-vest", "851", "nordjylland-midt"):
        row = r.row(IND, unit)
        assert row["suppressed"] == "true"
        assert {c: row[c] for c in hidden} == dict.fromkeys(hidden, ""), unit
    # The operator's unsuppressed export of the same results shows the numbers.
    full = export(db, tmp_path / "operator.csv", unsuppressed=True)
    assert full.numerator(IND, "773") == 2
    assert full.numerator(IND, "851") == 1
    assert full.numerator(IND, "nordjylland-midt") == 4
    assert not full.suppressed(IND, "773")
