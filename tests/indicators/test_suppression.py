"""Disclosure control v1.1 on hand-made result tables: which cells are hidden, worked out
by hand from the catalogue's rule, and that the attack (disclosure_attack.py) recovers
none of them — while it does recover cells from the old v1 rule's output.

Each table holds one indicator's municipal numerators as given; clusters (in force on
2025-01-01), regions and the country are their sums, as the engine makes them. Cells are
named (period, level, unit, stratum). The first tests use those levels only; the last ones
add the levels of 2027 (sundhedsråd, Region Østdanmark) and the bilateral collaborations.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import duckdb
import pytest

from tests.indicators.disclosure_attack import attack, published_rows
from tvaers.indicators import catalogue, structure, suppression
from tvaers.indicators.rollup import RESULTS_DDL
from tvaers.reference import org

ON = date(2025, 1, 1)
# Clusters and regions only: the bilateral collaborations, in force on that day too, are
# the subject of the tests at the end.
STRUCTURE = structure.on_dates({"cluster": ON, "region": ON})
SYD = [m.code for m in org.members("region", "1083", ON)]
HOVED = [m.code for m in org.members("region", "1084", ON)]
AERO, LANGELAND, FANO, VARDE = "492", "482", "563", "573"
BORNHOLM, KOBENHAVN, FREDERIKSBERG, BRONDBY, BALLERUP = "400", "101", "147", "153", "151"


@pytest.fixture(scope="module")
def cat():
    return catalogue.load()


def _period_type(period: str) -> str:
    return "quarter" if "-Q" in period else "month" if "-" in period else "year"


def results(
    cells: dict[tuple, float],
    denominators: dict[tuple, int] | None = None,
    struct: structure.Structure = STRUCTURE,
):
    """A results table from municipal cells {(indicator, period, stratum, municipality): x};
    every aggregate is the sum of its members. Denominators likewise (default 1,000 per
    municipality)."""
    denominators = denominators or {}
    members = defaultdict(list)
    for level, code, _name, m in struct.members:
        if level != "municipality":
            members[m].append((level, code))
    rows: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0])
    for (ind, period, stratum, m), x in cells.items():
        n = denominators.get((ind, period, stratum, m), 1000)
        for level, code in [("municipality", m), ("country", "DK"), *members[m]]:
            row = rows[(ind, period, level, code, stratum)]
            row[0] += x
            row[1] += n
    con = duckdb.connect()
    con.execute(RESULTS_DDL.format(name="results"))
    con.executemany(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL, "
        "NULL, FALSE, NULL, FALSE, NULL)",
        [
            (ind, p, _period_type(p), lv, code, code, s, x, n)
            for (ind, p, lv, code, s), (x, n) in rows.items()
        ],
    )
    return con


def hidden(con, indicator: str | None = None) -> dict[tuple, str]:
    where = f"AND indicator_id = '{indicator}'" if indicator else ""
    return {
        (p, lv, u, s): why
        for p, lv, u, s, why in con.execute(
            "SELECT period, level, unit_code, stratum, suppression FROM results "
            f"WHERE suppressed {where}"
        ).fetchall()
    }


def recovered(con, struct: structure.Structure = STRUCTURE) -> set[tuple]:
    return attack(published_rows(con), struct.dates).found


def v1(con):
    suppression.suppress_v1(con, STRUCTURE)
    return con


def test_one_complementary_cell_is_enough_for_aero(cat):
    # The example. Ærø (2) is alone at 1–4 in cluster Fyn, Region Syddanmark and
    # the country. Langeland (20) is the smallest of Ærø's cluster and lies in all three
    # relations too: hiding it closes them all. Fanø (15) is smaller, but only in the
    # region and the country.
    ind = "repeated_acute_admissions_65plus"
    x = dict.fromkeys(SYD, 100) | {AERO: 2, LANGELAND: 20, FANO: 15, VARDE: 30}
    cells = {(ind, "2024", "", m): v for m, v in x.items()}
    con = results(cells)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024", "municipality", AERO, ""): "primary",
        ("2024", "municipality", LANGELAND, ""): "complementary",
    }
    assert recovered(con) == set()
    # The v1 rule handled every lonely parent at once: Langeland for the cluster, Fanø for
    # the region, and then Varde for Fanø's cluster Sydvestjylland.
    old = hidden(v1(results(cells)))
    assert {u for _p, _lv, u, _s in old} == {AERO, LANGELAND, FANO, VARDE}


def test_a_month_hidden_is_not_left_to_its_quarter_or_year(cat):
    # Ærø has 2 in January 2024. Its quarter and year hold it with months that are shown,
    # and January's cluster, region and country hold it with municipalities that are shown.
    # Round 1: Langeland January (8, the smallest in Ærø's cluster, in all three
    # geographic relations) and Ærø February (in both of Ærø's time relations: quarter and
    # year). Round 2: Langeland February closes Langeland's quarter and year and
    # February's geography at once. Four cells: a closed loop, nothing derivable.
    ind = "acute_admissions_per_1000_copd"
    months = [f"2024-{m:02d}" for m in range(1, 13)]
    monthly = {(p, m): 8 if m == LANGELAND else 10 for p in months for m in SYD}
    monthly[("2024-01", AERO)] = 2
    cells = {(ind, p, "", m): v for (p, m), v in monthly.items()}
    for m in SYD:
        for q in range(4):
            cells[(ind, f"2024-Q{q + 1}", "", m)] = sum(
                monthly[(months[3 * q + i], m)] for i in range(3)
            )
        cells[(ind, "2024", "", m)] = sum(monthly[(p, m)] for p in months)
    con = results(cells)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024-01", "municipality", AERO, ""): "primary",
        ("2024-02", "municipality", AERO, ""): "complementary",
        ("2024-01", "municipality", LANGELAND, ""): "complementary",
        ("2024-02", "municipality", LANGELAND, ""): "complementary",
    }
    assert recovered(con) == set()
    # v1 hid Langeland January (smallest in the cluster and in the region) and no more:
    # the first quarter minus February and March gives Ærø's January back.
    old = v1(results(cells))
    assert set(hidden(old)) == {
        ("2024-01", "municipality", AERO, ""),
        ("2024-01", "municipality", LANGELAND, ""),
    }
    got = attack(published_rows(old), STRUCTURE.dates)
    assert got.recovered[("x", ind, "2024-01", "municipality", AERO, "")] == 2


def test_a_stratum_hidden_is_not_left_to_the_total(cat):
    # Preventable admissions in 2024, one row per diagnosis group and the total (their
    # sum). Ærø has 2 for dehydration. Round 1: Ærø constipation (10, the first of Ærø's
    # smallest groups; the total, 82, is larger) and Langeland dehydration (8, smallest in
    # the cluster). Round 2: Langeland constipation (in Langeland's total and in
    # constipation's geography). Four cells.
    ind = "preventable_admissions_65plus"
    groups = [s.id for s in cat.get(ind).strata if s.id]
    per = {m: dict.fromkeys(groups, 8 if m == LANGELAND else 20 if m != AERO else 10) for m in SYD}
    per[AERO]["dehydration"] = 2
    cells = {(ind, "2024", s, m): v for m, by in per.items() for s, v in by.items()}
    cells |= {(ind, "2024", "", m): sum(by.values()) for m, by in per.items()}
    con = results(cells)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024", "municipality", AERO, "dehydration"): "primary",
        ("2024", "municipality", AERO, "constipation"): "complementary",
        ("2024", "municipality", LANGELAND, "dehydration"): "complementary",
        ("2024", "municipality", LANGELAND, "constipation"): "complementary",
    }
    assert recovered(con) == set()
    # v1: Langeland dehydration only; Ærø's total minus its other groups gives the 2 back
    # (the "total 6 − 5 = 1").
    old = v1(results(cells))
    got = attack(published_rows(old), STRUCTURE.dates)
    assert got.recovered[("x", ind, "2024", "municipality", AERO, "dehydration")] == 2


def test_kobenhavn_counted_twice_is_a_relation_too(cat):
    # Bornholm (3) is the only member of its cluster, so the cluster is 3 as well. Region
    # Hovedstaden = Σ its clusters − København (in clusters Byen and Syd). Round 1:
    # København (50) is in the most open relations (the region's and the country's sums
    # of municipalities and of clusters). Round 2: København is then alone in clusters Byen
    # and Syd: Frederiksberg and Brøndby (the lowest code of Syd's 50s). Ballerup (10) is
    # smaller but only in two of them. Nothing derivable: Bornholm = its cluster,
    # København = cluster Bornholm + a published number, and the region's sum leaves one
    # degree of freedom.
    ind = "repeated_acute_admissions_65plus"
    x = dict.fromkeys(HOVED, 50) | {BORNHOLM: 3, BALLERUP: 10}
    cells = {(ind, "2024", "", m): v for m, v in x.items()}
    con = results(cells)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024", "municipality", BORNHOLM, ""): "primary",
        ("2024", "cluster", "hovedstaden-bornholm", ""): "primary",
        ("2024", "municipality", KOBENHAVN, ""): "complementary",
        ("2024", "municipality", FREDERIKSBERG, ""): "complementary",
        ("2024", "municipality", BRONDBY, ""): "complementary",
    }
    assert recovered(con) == set()
    # v1 protected municipalities only (Ballerup for the region, then one of its cluster
    # Midt): cluster Bornholm = the region − the other clusters + København.
    old = v1(results(cells))
    got = attack(published_rows(old), STRUCTURE.dates)
    key = ("x", ind, "2024", "cluster", "hovedstaden-bornholm", "")
    assert got.recovered[key] == 3


def test_a_percentage_hides_a_small_complement_and_keeps_its_denominator(cat):
    # Readmissions: Ærø 20 of 22 index admissions — 2 not readmitted, a complement of 1–4.
    ind = "readmissions_30d_somatic"
    cells = {(ind, "2024", "", m): 15 if m == LANGELAND else 20 for m in SYD}
    dens = {(ind, "2024", "", m): 22 if m == AERO else 100 for m in SYD}
    con = results(cells, dens)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024", "municipality", AERO, ""): "primary",
        ("2024", "municipality", LANGELAND, ""): "complementary",
    }
    row = next(r for r in published_rows(con) if r["unit_code"] == AERO)
    assert (row["numerator"], row["denominator"], row["value"]) == (None, 22, None)
    assert recovered(con) == set()


def test_a_denominator_that_is_a_hidden_numerator_is_not_published(cat):
    # 3 people with COPD in Ærø (chronic_prevalence, stratum copd): hidden, and Langeland's
    # 30 with it (smallest in the cluster). Those counts are the denominators of
    # acute_admissions_per_1000_copd in 2024 and its quarters: every such cell of Ærø and
    # Langeland is hidden, its denominator empty (kept apart for the operator).
    prev, adm = "chronic_prevalence", "acute_admissions_per_1000_copd"
    copd = {m: 3 if m == AERO else 30 if m == LANGELAND else 60 for m in SYD}
    cells = {(prev, "2024", "copd", m): v for m, v in copd.items()}
    dens = {}
    for period in ("2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4"):
        for m in SYD:
            cells[(adm, period, "", m)] = 40 if period == "2024" else 10
            dens[(adm, period, "", m)] = copd[m]
    con = results(cells, dens)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con, prev) == {
        ("2024", "municipality", AERO, "copd"): "primary",
        ("2024", "municipality", LANGELAND, "copd"): "complementary",
    }
    shared = hidden(con, adm)
    assert {(p, u) for p, _lv, u, _s in shared} == {
        (p, u)
        for p in ("2024", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4")
        for u in (AERO, LANGELAND)
    }
    rows = {(r["indicator_id"], r["period"], r["unit_code"]): r for r in published_rows(con)}
    assert rows[(adm, "2024-Q2", AERO)]["denominator"] is None
    assert rows[(adm, "2024-Q2", FANO)]["denominator"] == 60
    kept = con.execute(
        "SELECT hidden_denominator FROM results WHERE indicator_id = ? AND period = '2024' "
        "AND unit_code = ?",
        [adm, AERO],
    ).fetchone()
    assert kept == (3,)
    assert recovered(con) == set()


def test_hidden_zeros_are_not_given_away_by_their_sum(cat):
    # Counts are never negative: hidden cells that must add up to 0 are each 0. Ærø has 2
    # in January, every other municipality 0 except Langeland (5) and Odense (461, 40).
    # Langeland's 5 is hidden before any 0: January's cluster, region and country then hold
    # 2 + 5 hidden, not 0.
    ind = "repeated_acute_admissions_65plus"
    x = dict.fromkeys(SYD, 0) | {AERO: 2, LANGELAND: 5, "461": 40}
    cells = {(ind, "2024", "", m): v for m, v in x.items()}
    con = results(cells)
    suppression.suppress(con, cat, STRUCTURE)
    assert hidden(con) == {
        ("2024", "municipality", AERO, ""): "primary",
        ("2024", "municipality", LANGELAND, ""): "complementary",
    }
    assert recovered(con) == set()


# --- the bilateral collaborations and the levels of 2027 --------------------------------

WITH_BILATERAL = structure.build(ON)  # every level on 2025-01-01: the nine bilaterals too
RESTATED = structure.build(ON, date(2027, 1, 1))  # the 2027 regions and sundhedsråd
OST = [m.code for m in org.members("region", "1086", date(2027, 1, 1))]
DRAGOR, ISHOJ = "155", "183"


def test_a_bilateral_cell_is_hidden_with_its_municipality(cat):
    # Ærø (2) is one of Region Syddanmark's bilateral collaborations: the collaboration's
    # cell is Ærø's cell, 2 as well, so it is hidden as primary too. Langeland (20), the
    # smallest of Ærø's cluster and in neither bilateral, then closes the cluster, the
    # region, the country and the region's cover by its bilaterals plus the other
    # municipalities: three cells, nothing derivable (Ærø = the bilateral = t, Langeland =
    # 22 − t).
    ind = "repeated_acute_admissions_65plus"
    x = dict.fromkeys(SYD, 100) | {AERO: 2, LANGELAND: 20, FANO: 15, VARDE: 30}
    cells = {(ind, "2024", "", m): v for m, v in x.items()}
    con = results(cells, struct=WITH_BILATERAL)
    suppression.suppress(con, cat, WITH_BILATERAL)
    assert hidden(con) == {
        ("2024", "municipality", AERO, ""): "primary",
        ("2024", "bilateral", "syddanmark-aero", ""): "primary",
        ("2024", "municipality", LANGELAND, ""): "complementary",
    }
    assert recovered(con, WITH_BILATERAL) == set()
    # The attack knows the relation: were the bilateral cell published, Ærø's 2 is read
    # off it.
    con.execute("UPDATE results SET suppressed = FALSE WHERE level = 'bilateral'")
    got = attack(published_rows(con), WITH_BILATERAL.dates)
    assert got.recovered[("x", ind, "2024", "municipality", AERO, "")] == 2


def test_a_sundhedsraad_is_a_relation_when_restated_to_2027(cat):
    # On the structure date 2027-01-01 Dragør (3) lies in Sundhedsråd Amager og Vestegnen,
    # Region Østdanmark and the country. Ishøj (20, in the same sundhedsråd) is in all
    # three relations and closes them; Frederiksberg (10) is smaller but in the region and
    # the country only (it has no sundhedsråd in the data). No clusters on that day.
    ind = "repeated_acute_admissions_65plus"
    x = dict.fromkeys(OST, 50) | {DRAGOR: 3, ISHOJ: 20, FREDERIKSBERG: 10}
    cells = {(ind, "2024", "", m): v for m, v in x.items()}
    con = results(cells, struct=RESTATED)
    levels = {lv for (lv,) in con.execute("SELECT DISTINCT level FROM results").fetchall()}
    assert levels == {"municipality", "sundhedsraad", "region", "country"}
    suppression.suppress(con, cat, RESTATED)
    assert hidden(con) == {
        ("2024", "municipality", DRAGOR, ""): "primary",
        ("2024", "municipality", ISHOJ, ""): "complementary",
    }
    assert recovered(con, RESTATED) == set()
    # Protecting Dragør with Frederiksberg instead leaves the sundhedsråd relation with
    # Dragør alone in it: the attack reads it back.
    con.execute(
        "UPDATE results SET suppressed = (level = 'municipality' AND unit_code IN (?, ?))",
        [DRAGOR, FREDERIKSBERG],
    )
    got = attack(published_rows(con), RESTATED.dates)
    assert got.recovered[("x", ind, "2024", "municipality", DRAGOR, "")] == 3
