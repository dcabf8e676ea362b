"""The attack on a published result set: what a viewer can recover of the suppressed cells.

Written from the catalogue's words ("Statistics", "Aggregation above the municipality"),
apart from the implementation in tvaers/indicators/suppression.py, so that a relation the
implementation forgets shows up here as a recovered cell.

A viewer sees every published row: the numerator, or nothing where the cell is suppressed,
and the denominator. From the reference data and the catalogue the viewer writes down every
additive relation between cells:

- geography on the structure dates: an aggregate unit (bilateral collaboration, cluster,
  sundhedsråd, region) = Σ its municipalities — a bilateral collaboration is one
  municipality, so its cell is that municipality's —, the country = Σ all municipalities,
  a region = Σ its clusters − the municipalities counted twice (København), a region =
  Σ its sundhedsråd + the municipalities in none, the country = Σ regions = Σ clusters −
  København;
- time: quarter = Σ months, year = Σ quarters, year = Σ months (indicators with months);
- strata: total = Σ diagnosis groups; Σ sector combinations = the denominator;
- shared denominators: an indicator's denominator in a unit and year is another
  indicator's numerator (the residents aged 65+, the people with COPD, …), in every period.

Then, to a fixed point: a relation with exactly one unknown gives it; a relation whose
unknowns stand on one side and must add up to 0 gives them all as 0 (counts are never
negative). What is left is checked by linear algebra: an unknown is determined exactly
when every solution of the relations has the same value for it, i.e. when its row of the
null space of the relations' matrix (restricted to the unknowns) is 0 — tested on the whole
system by projecting a random vector on the null space, and exactly (SVD) on every group of
linked unknowns that is small enough.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsqr

from tvaers.indicators.export import export_query
from tvaers.indicators.results import open_results, read_run
from tvaers.reference import org

PARTITION_TOTAL = {"preventable_admissions_65plus"}
PARTITION_DENOMINATOR = {"chronic_contacts_by_sector"}
# (indicator, stratum) numerator = denominator of the other indicator, same unit and year
DENOMINATOR_IS_NUMERATOR_OF = {
    "residents_65plus_per_1000": ("population", ""),
    "residents_80plus_per_1000": ("population", ""),
    "ready_for_discharge_days_per_1000": ("population", ""),
    "preventable_admissions_65plus": ("residents_65plus_per_1000", ""),
    "repeated_acute_admissions_65plus": ("residents_65plus_per_1000", ""),
    "acute_admissions_per_1000_copd": ("chronic_prevalence", "copd"),
    "acute_admissions_per_1000_t2d": ("chronic_prevalence", "t2d"),
    "chronic_contacts_by_sector": ("chronic_prevalence", "any"),
}
LA_MAX_UNKNOWNS = 300  # the exact (dense) check's group size limit


@dataclass
class Attack:
    unknown: int  # suppressed numerators and unpublished denominators
    recovered: dict[tuple, float] = field(default_factory=dict)  # by the fixed point
    determined: set[tuple] = field(default_factory=set)  # by linear algebra
    checked: int = 0  # unknowns left after the fixed point, checked by LSQR
    unchecked: int = 0  # … in groups too large for the exact check as well

    @property
    def found(self) -> set[tuple]:
        return set(self.recovered) | self.determined


def _period_parts(period: str) -> tuple[str, str, str | None]:
    """(type, year, quarter of a month)."""
    if "-Q" in period:
        return "quarter", period[:4], None
    if "-" in period:
        q = (int(period[5:7]) + 2) // 3
        return "month", period[:4], f"{period[:4]}-Q{q}"
    return "year", period, None


# The levels above the municipality made of municipalities (governance spec "Units"),
# written out here rather than read from the implementation.
AGGREGATES = ("bilateral", "cluster", "sundhedsraad", "region")


def geography(dates: dict[str, date]) -> list[list[tuple[str, str, int]]]:
    units: dict[tuple[str, str], list[str]] = {}
    for level in AGGREGATES:
        if level not in dates:  # a result set from before the level existed
            continue
        for u in org.units(level, dates[level]):
            units[(level, u.code)] = [m.code for m in org.members(level, u.code, dates[level])]
    everyone = [m.code for m in org.municipalities()]
    out = [
        [(lv, code, 1)] + [("municipality", m, -1) for m in ms] for (lv, code), ms in units.items()
    ]
    out.append([("country", org.COUNTRY_CODE, 1)] + [("municipality", m, -1) for m in everyone])
    wholes = [((lv, c), ms) for (lv, c), ms in units.items() if lv == "region"]
    wholes.append((("country", org.COUNTRY_CODE), everyone))
    for whole, ms in wholes:
        for part_level in AGGREGATES:
            parts = [
                k
                for k, v in units.items()
                if k[0] == part_level and k != whole and set(v) <= set(ms)
            ]
            if not parts:
                continue
            count = defaultdict(int)
            for p in parts:
                for m in units[p]:
                    count[m] += 1
            # whole = Σ parts − Σ (count − 1) × municipality
            out.append(
                [(*whole, 1)]
                + [(*p, -1) for p in parts]
                + [("municipality", m, count[m] - 1) for m in ms if count[m] != 1]
            )
    return out


def relations(rows: list[dict], dates: dict[str, date]) -> tuple[list[list], dict, set]:
    """The relations as lists of (key, coefficient) with Σ = 0, the known values and the
    unknown keys. Keys: ("x", indicator, period, level, unit, stratum) for a numerator,
    ("n", indicator, year, level, unit) for a population denominator."""
    known: dict[tuple, float] = {}
    unknown: set[tuple] = set()
    eqs: list[list] = []
    periods: dict[tuple, set] = defaultdict(set)  # (indicator, level, unit, stratum) -> periods
    strata: dict[tuple, set] = defaultdict(set)  # (indicator, period, level, unit) -> strata
    cells: dict[tuple, set] = defaultdict(set)  # (indicator, period, stratum) -> (level, unit)
    for r in rows:
        key = ("x", r["indicator_id"], r["period"], r["level"], r["unit_code"], r["stratum"])
        if r["numerator"] is None:
            unknown.add(key)
        else:
            known[key] = float(r["numerator"])
        periods[(r["indicator_id"], r["level"], r["unit_code"], r["stratum"])].add(r["period"])
        strata[(r["indicator_id"], r["period"], r["level"], r["unit_code"])].add(r["stratum"])
        cells[(r["indicator_id"], r["period"], r["stratum"])].add((r["level"], r["unit_code"]))
        ind = r["indicator_id"]
        if ind in DENOMINATOR_IS_NUMERATOR_OF or ind in PARTITION_DENOMINATOR:
            nkey = ("n", ind, r["period"][:4], r["level"], r["unit_code"])
            if r["denominator"] is None:
                if nkey not in known:
                    unknown.add(nkey)
            else:
                known[nkey] = float(r["denominator"])
                unknown.discard(nkey)
    geo = geography(dates)
    for (ind, period, stratum), units in cells.items():
        for rel in geo:
            eq = [(("x", ind, period, lv, u, stratum), c) for lv, u, c in rel if (lv, u) in units]
            eqs.append(eq)
    for (ind, lv, u, s), ps in periods.items():
        by: dict[tuple, list] = defaultdict(list)
        for p in ps:
            kind, year, quarter = _period_parts(p)
            if kind == "month":
                by[("q", quarter)].append((("x", ind, p, lv, u, s), -1))
                by[("m", year)].append((("x", ind, p, lv, u, s), -1))
            elif kind == "quarter":
                by[("q", p)].append((("x", ind, p, lv, u, s), 1))
                by[("y", year)].append((("x", ind, p, lv, u, s), -1))
            else:
                for tag in ("y", "m"):
                    by[(tag, year)].append((("x", ind, p, lv, u, s), 1))
        eqs += [eq for eq in by.values() if len(eq) > 1]
    for (ind, p, lv, u), ss in strata.items():
        if ind in PARTITION_TOTAL and "" in ss:
            eqs.append([(("x", ind, p, lv, u, s), 1 if s == "" else -1) for s in ss])
        if ind in PARTITION_DENOMINATOR:
            eq = [(("x", ind, p, lv, u, s), 1) for s in ss]
            eqs.append([*eq, (("n", ind, p[:4], lv, u), -1)])
    for (ind, lv, u, s), ps in periods.items():
        if ind in DENOMINATOR_IS_NUMERATOR_OF and s == "":
            a_ind, a_s = DENOMINATOR_IS_NUMERATOR_OF[ind]
            for year in {p[:4] for p in ps}:
                eqs.append([(("n", ind, year, lv, u), 1), (("x", a_ind, year, lv, u, a_s), -1)])
    eqs = [[(k, c) for k, c in eq if c] for eq in eqs]
    # a unit or period without a row has nothing in it: its term is 0 and is left out
    return [eq for eq in eqs if len(eq) > 1], known, unknown


def attack(rows: list[dict], dates: dict[str, date]) -> Attack:
    """Everything a viewer can recover from the published rows (`numerator` None where
    suppressed, `denominator` None where not published)."""
    eqs, known, unknown = relations(rows, dates)
    result = Attack(unknown=len(unknown))
    known = dict(known)
    # a key that is neither known nor unknown has no row (a unit without the other
    # indicator's cell): nothing in it
    for eq in eqs:
        for k, _ in eq:
            if k not in known and k not in unknown:
                known[k] = 0.0
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for i, eq in enumerate(eqs):
        for k, _ in eq:
            if k in unknown:
                by_key[k].append(i)
    queue = deque(range(len(eqs)))
    while queue:
        i = queue.popleft()
        eq = eqs[i]
        open_ = [(k, c) for k, c in eq if k in unknown]
        if not open_:
            continue
        rest = -sum(c * known[k] for k, c in eq if k not in unknown)
        if len(open_) == 1:
            solved = {open_[0][0]: rest / open_[0][1]}
        elif rest == 0 and len({np.sign(c) for _, c in open_}) == 1:
            solved = dict.fromkeys((k for k, _ in open_), 0.0)
        else:
            continue
        for k, v in solved.items():
            unknown.discard(k)
            known[k] = v
            result.recovered[k] = v
            queue.extend(by_key[k])
    _linear_algebra(eqs, unknown, result)
    return result


def _linear_algebra(eqs: list[list], unknown: set, result: Attack) -> None:
    """Unknowns the relations determine although no single relation gives them: the
    projection of a random vector on the null space of the relations' matrix (restricted to
    the unknowns) is 0 exactly at the determined unknowns (LSQR, sparse); groups of at most
    LA_MAX_UNKNOWNS linked unknowns are also solved exactly by a dense SVD."""
    keys = sorted(unknown)
    index = {k: j for j, k in enumerate(keys)}
    rows, cols, vals = [], [], []
    for i, eq in enumerate(eqs):
        for k, c in eq:
            if k in index:
                rows.append(i)
                cols.append(index[k])
                vals.append(float(c))
    if not index:
        return
    a = coo_matrix((vals, (rows, cols)), shape=(len(eqs), len(index))).tocsr()
    a = a[np.unique(a.nonzero()[0])]
    at = a.T.tocsr()
    z = np.random.default_rng(7).standard_normal(len(keys))
    v = z - at @ lsqr(at, z, atol=1e-15, btol=1e-15, iter_lim=100 * len(keys) + 1000)[0]
    assert np.abs(a @ v).max(initial=0.0) < 1e-8, "LSQR did not converge"
    result.checked = len(keys)
    result.determined |= {keys[j] for j in np.flatnonzero(np.abs(v) < 1e-8)}
    # the exact check on the smaller groups
    pattern = abs(a)
    _n, label = connected_components((pattern.T @ pattern).tocsr(), directed=False)
    for comp in np.unique(label):
        members = np.flatnonzero(label == comp)
        if len(members) > LA_MAX_UNKNOWNS:
            result.unchecked += len(members)
            continue
        sub = a[:, members]
        sub = sub[np.unique(sub.nonzero()[0])].toarray()
        _u, s, vt = np.linalg.svd(sub, full_matrices=True)
        rank = int((s > 1e-9 * max(1.0, s[0])).sum())
        null = vt[rank:]
        free = np.abs(null).max(axis=0) if len(null) else np.zeros(len(members))
        result.determined |= {keys[members[j]] for j in np.flatnonzero(free < 1e-7)}


def published_rows(con) -> list[dict]:
    """What a viewer sees of the `results` table in `con`: the export's rows (the same query
    as `tvaers indicators export`, suppressed cells empty)."""
    cur = con.execute(export_query("TRUE", unsuppressed=False))
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def attack_result_file(db) -> Attack:
    """The attack on the result set computed for warehouse `db`, as a viewer sees it."""
    with open_results(db) as con:
        dates = {k: date.fromisoformat(v) for k, v in read_run(con).structure_dates.items()}
        return attack(published_rows(con), dates)
