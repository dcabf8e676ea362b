"""Which hidden cells the relations still determine, by linear algebra (suppression.py).

No relation holding a single hidden cell is not enough: relations can combine — two
municipalities hidden in two months, with each month's and each municipality's totals
published, still give each cell away when the hidden cells form no closed loop (in a table
with published margins a hidden cell is safe only on a cycle of hidden cells). So, once
the search in suppression.py settles, the hidden cells are audited: with x the hidden
numerators and A the relations' coefficients on them, A x = b (b from the published
cells), and a hidden cell j is determined exactly when every solution has the same x_j,
i.e. when row j of A's null space is 0. A is split into groups of hidden cells linked by a
relation. First the cells that sit in one relation only are peeled off (they can take any
value that relation needs); the rest is tested with the projection of a random vector on the
null space by LSQR (SciPy, sparse), with a dense SVD per group as the fallback.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.sparse.linalg import lsqr

TOLERANCE = 1e-9
DENSE_MAX = 80  # groups up to this many cells are solved by a dense SVD


def determined(con) -> list[int]:
    """The cell ids (sc_cell.cid) of hidden cells the relations determine. Only groups of
    linked hidden cells holding a cell hidden since the last audit are solved again (a
    group without one is the same system as before, already found clean); the cells
    audited are marked in sc_cell.audited."""
    rid, cid, coef, new = (
        con.execute("""
        SELECT r.rid, r.cid, r.coef, NOT c.audited FROM sc_rel r JOIN sc_cell c USING (cid)
        WHERE c.hidden ORDER BY r.rid, r.cid""")
        .fetchnumpy()
        .values()
    )
    con.execute("UPDATE sc_cell SET audited = hidden")
    if len(cid) == 0:
        return []
    rows, row_index = np.unique(np.asarray(rid), return_inverse=True)
    cells, col_index = np.unique(np.asarray(cid), return_inverse=True)
    fresh = np.zeros(len(cells), dtype=bool)
    fresh[col_index[np.asarray(new, dtype=bool)]] = True
    a = coo_matrix(
        (np.asarray(coef, dtype=float), (row_index, col_index)), shape=(len(rows), len(cells))
    ).tocsc()
    pattern = abs(a)
    _n, label = connected_components((pattern.T @ pattern).tocsr(), directed=False)
    dirty = np.isin(label, np.unique(label[fresh]))
    cols = np.flatnonzero(dirty)
    if len(cols) == 0:
        return []
    sub = a[:, cols]
    sub = sub[np.unique(sub.nonzero()[0])]
    fixed = fixed_columns(sub.tocoo())
    return [int(cells[cols[j]]) for j in np.flatnonzero(fixed)]


def fixed_columns(a: coo_matrix) -> np.ndarray:
    """For each column j of the sparse relation matrix: is x_j the same in every solution of
    a x = b? A boolean array."""
    a = a.tocsr()
    n_rows, n_cols = a.shape
    col_rows: list[set[int]] = [set() for _ in range(n_cols)]
    row_cols: list[set[int]] = [set() for _ in range(n_rows)]
    for r, c in zip(*a.nonzero(), strict=True):
        col_rows[c].add(int(r))
        row_cols[r].add(int(c))
    # Peel: a column left in one relation only can take any value that relation needs, so
    # the relation says nothing about the others. The column itself is fixed only if all
    # the others in that relation are — settled in reverse order after the core.
    peeled: list[tuple[int, list[int]]] = []
    stack = [c for c in range(n_cols) if len(col_rows[c]) == 1]
    alive_col = np.ones(n_cols, dtype=bool)
    while stack:
        c = stack.pop()
        if not alive_col[c] or len(col_rows[c]) != 1:
            continue
        (r,) = col_rows[c]
        others = [k for k in row_cols[r] if k != c]
        peeled.append((c, others))
        alive_col[c] = False
        for k in others:
            col_rows[k].discard(r)
            if len(col_rows[k]) == 1:
                stack.append(k)
        row_cols[r] = set()
    fixed = np.zeros(n_cols, dtype=bool)
    for c in np.flatnonzero(alive_col & np.array([len(s) == 0 for s in col_rows])):
        fixed[c] = False  # in no relation at all: free
    core_cols = np.flatnonzero(alive_col & np.array([len(s) > 0 for s in col_rows]))
    if len(core_cols):
        core_rows = sorted({r for c in core_cols for r in col_rows[c]})
        core = a[core_rows][:, core_cols].tocsc()
        pattern = abs(core)
        _n, label = connected_components((pattern.T @ pattern).tocsr(), directed=False)
        order = np.argsort(label, kind="stable")
        for group in np.split(order, np.flatnonzero(np.diff(label[order])) + 1):
            part = core[:, group]
            part = part[np.unique(part.nonzero()[0])]
            small = len(group) <= DENSE_MAX
            fixed[core_cols[group]] = _fixed(part.toarray()) if small else _fixed_core(part)
    for c, others in reversed(peeled):
        fixed[c] = all(fixed[k] for k in others)
    return fixed


def _fixed_core(m) -> np.ndarray:
    """x_j is fixed when row j of the null space is 0. A random vector's projection on the
    null space (z minus its least-squares fit by the relations, LSQR on the sparse matrix)
    is 0 exactly there and elsewhere is 0 with probability 0: on the demo's result set the
    fixed cells come out below 1e-12 and the others above 1e-3. Should LSQR not converge,
    the dense SVD per group of linked cells decides (exact, slow)."""
    mt = m.T.tocsr()
    z = np.random.default_rng(20261206).standard_normal(m.shape[1])
    y = lsqr(mt, z, atol=1e-15, btol=1e-15, iter_lim=50 * m.shape[1] + 1000)[0]
    v = z - mt @ y
    if np.abs(m @ v).max(initial=0.0) < 1e-9:
        return np.abs(v) < 1e-8
    out = np.zeros(m.shape[1], dtype=bool)
    sub = m.tocsc()
    pattern = abs(sub)
    _n, label = connected_components(pattern.T @ pattern, directed=False)
    for group_label in np.unique(label):
        group = np.flatnonzero(label == group_label)
        part = sub[:, group]
        used = np.unique(part.nonzero()[0])
        out[group] = _fixed(part[used].toarray())
    return out


def _fixed(m: np.ndarray) -> np.ndarray:
    """Columns j for which every x with m x = 0 has x_j = 0."""
    n = m.shape[1]
    _u, s, vt = np.linalg.svd(m, full_matrices=m.shape[0] < n)
    rank = int((s > TOLERANCE * max(1.0, s[0])).sum())
    null = vt[rank:]
    if len(null) == 0:
        return np.ones(n, dtype=bool)
    return np.abs(null).max(axis=0) < 1e-7
