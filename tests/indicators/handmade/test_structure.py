"""Aggregation above the municipality: København in two clusters, and a series restated to
another structure date (`--structure-date`)."""

from __future__ import annotations

from .builder import Delivery, compute, export, ingest, run

POP = "population"
IND = "residents_65plus_per_1000"


def test_kobenhavn_counts_in_both_its_clusters(tmp_path):
    # Spec: "København belongs to two clusters in Hovedstaden: it counts in both, so cluster
    # totals do not add up to the region. The country is the sum of everything."
    d = Delivery()
    for i in range(3):
        d.person(f"kbh{i}", "1980-05-05", municipality="101")  # København
    for i in range(2):
        d.person(f"frb{i}", "1980-05-05", municipality="147")  # Frederiksberg (Byen)
    d.person("bro", "1980-05-05", municipality="153")  # Brøndby (Syd)
    r = run(tmp_path, d)
    # Byen = 101 + 147 = 3 + 2 = 5; Syd = 101 + 153 = 3 + 1 = 4; together 9 > the region's 6.
    assert r.numerator(POP, "hovedstaden-byen") == 5
    assert r.numerator(POP, "hovedstaden-syd") == 4
    assert r.numerator(POP, "1084") == 6
    assert r.numerator(POP, "DK") == 6


# Residents aged ≥ 65 per municipality, chosen so that the complementary cells do not depend
# on the order in which parents are visited (see the test).
OLD = {
    # Region Nordjylland (1081): 810 and 773 are at 1–4, alone in their clusters
    "810": 2,  # nordjylland-nord {810, 813, 825, 860}: next smallest 825
    "825": 8,
    "813": 9,
    "860": 10,
    "773": 3,  # nordjylland-vest {773, 787}: the only sibling 787
    "787": 11,
    "820": 12,
    "840": 13,
    "846": 14,
    "849": 15,
    "851": 16,
    # Region Sjælland (1085): only 306 is at 1–4; 316 is the next smallest both in its cluster
    # sjaelland-holbaek {306, 316, 326, 350} and in the whole region
    "306": 2,
    "316": 5,
    **dict.fromkeys(
        (
            "253",
            "259",
            "265",
            "269",
            "320",
            "326",
            "329",
            "330",
            "336",
            "340",
            "350",
            "360",
            "370",
            "376",
            "390",
        ),
        6,
    ),
}


def test_a_series_restated_to_another_structure_date(tmp_path):
    # Spec: "A whole time series uses one structure: the membership in force on the level's
    # structure date ... By default the structure date of a level is ... the extraction date for
    # a level still in force ... The structure date can be chosen (--structure-date), which
    # restates history to another structure." On 2022-06-30 no cluster was in force yet.
    d = Delivery()
    for code, n in OLD.items():
        for i in range(n):
            d.person(f"o{code}-{i}", "1953-03-03", municipality=code)  # 69 on 1 Jan 2023
    db = ingest(d, tmp_path)

    compute(db)  # default: clusters as on 2024-03-01
    default = export(db, tmp_path / "default.csv", unsuppressed=False)
    compute(db, structure_date="2022-06-30")
    restated = export(db, tmp_path / "restated.csv", unsuppressed=False)

    assert "nordjylland-nord" in default.units(IND, "cluster")
    assert default.numerator(IND, "nordjylland-nord") == 2 + 8 + 9 + 10
    assert restated.units(IND, "cluster") == set()
    assert restated.units(POP, "cluster") == set()
    # Municipalities, regions and the country are the same under both structures:
    # Nordjylland 2+8+9+10+3+11+12+13+14+15+16 = 113, Sjælland 2 + 5 + 15 × 6 = 97.
    for r in (default, restated):
        assert r.numerator(IND, "1081") == 113
        assert r.numerator(IND, "1085") == 97
        assert r.numerator(IND, "DK") == 210
        assert r.numerator(IND, "846") == 14

    # Complementary suppression follows the structure in use.
    # Default: 810 and 773 are each alone in their cluster -> 825 and 787 too; region 1081
    # holds two primary cells -> nothing more. 306 is alone in sjaelland-holbaek and in region
    # 1085 -> 316 (the next smallest in both).
    # Restated (regions only): 1081 holds two (810, 773) -> nothing more; 1085 holds one (306)
    # -> 316 (now from the region alone).
    def hidden(r):
        return {c for c in OLD if r.suppressed(IND, c)}

    assert hidden(default) == {"810", "825", "773", "787", "306", "316"}
    assert hidden(restated) == {"810", "773", "306", "316"}
