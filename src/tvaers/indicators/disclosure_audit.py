"""Which hidden cells the relations still determine, by linear algebra (suppression.py).

No relation holding a single hidden cell is not enough: relations can combine — two
municipalities hidden in two months, with each month's and each municipality's totals
published, still give each cell away when the hidden cells form no closed loop (in a table
with published margins a hidden cell is safe only on a cycle of hidden cells). So, once
the search in suppression.py settles, the hidden cells are audited: with x the hidden
numerators and A the relations' coefficients on them, A x = b (b from the published
cells), and a hidden cell j is determined exactly when every solution has the same x_j,
i.e. when row j of A's null space is 0. A is split into groups of hidden cells linked by a
relation, and one random solution of A x = 0 is made (fixed_columns): the cells that sit
in one relation only are peeled off (they can take any value that relation needs), the rest
gets the projection of a random vector on its null space by LSQR (SciPy, sparse) or a dense
SVD for a small group, and the peeled cells then follow from their relations. A cell is
determined where that solution is 0.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import bmat, coo_matrix, diags
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
    label = column_groups(a)
    dirty = np.isin(label, np.unique(label[fresh]))
    cols = np.flatnonzero(dirty)
    if len(cols) == 0:
        return []
    sub = a[:, cols]
    sub = sub[np.unique(sub.nonzero()[0])]
    fixed = fixed_columns(sub.tocoo())
    return [int(cells[cols[j]]) for j in np.flatnonzero(fixed)]


def column_groups(a) -> np.ndarray:
    """The group of every column: columns are linked when a relation (row) holds both.
    Found on the graph of rows and columns, not of columns alone (AᵀA): a relation of the
    98 municipalities would give that one nearly 10,000 links."""
    n_rows = a.shape[0]
    link = abs(coo_matrix(a))
    graph = bmat([[None, link], [link.T, None]], format="csr")
    _n, label = connected_components(graph, directed=False)
    return label[n_rows:]


def fixed_columns(a: coo_matrix) -> np.ndarray:
    """For each column j of the sparse relation matrix: is x_j the same in every solution of
    a x = b? A boolean array.

    x_j is the same in every solution exactly when it is 0 in every solution of a x = 0,
    so the test is done on one random solution v of a x = 0, made in three parts:

    - peeling: a column left in one relation only can take any value that relation needs,
      so that relation says nothing about the other columns; it is set aside, and so on,
      round by round (the columns of one round are in different relations);
    - the core that is left, in groups of linked columns: a random vector of its null space
      (dense SVD for a small group, LSQR for a large one), with its fixed columns decided
      there and set to 0 exactly; a column left in no relation at all is free: a random
      value;
    - the peeled columns in reverse order, each from its relation: v_c = −(Σ others)/a_c.
      v_c is 0 exactly when the others' combination is the same in every solution — also
      where the others are each free but their sum is not (two cells hidden in a month
      whose sum a quarter gives away), which asking each of them alone would miss."""
    a = a.tocsr()
    n_rows, n_cols = a.shape
    rng = np.random.default_rng(20261206)
    pattern = (a != 0).astype(np.int32).tocsc()
    row_alive = np.ones(n_rows, dtype=bool)
    col_alive = np.ones(n_cols, dtype=bool)
    rounds: list[tuple[np.ndarray, np.ndarray]] = []
    while True:
        alive = pattern.multiply(row_alive[:, None]).tocsc()
        alive.eliminate_zeros()
        degree = np.diff(alive.indptr)
        lonely = np.flatnonzero(col_alive & (degree == 1))
        if len(lonely) == 0:
            break
        rows = alive.indices[alive.indptr[lonely]]
        # One column per relation: another lonely column of the same relation is left in
        # no relation once that relation is set aside, so it is free (below).
        rows, first = np.unique(rows, return_index=True)
        cols = lonely[first]
        rounds.append((rows, cols))
        col_alive[cols] = False
        row_alive[rows] = False
    alive = pattern.multiply(row_alive[:, None]).tocsc()
    alive.eliminate_zeros()
    in_core = col_alive & (np.diff(alive.indptr) > 0)
    fixed = np.zeros(n_cols, dtype=bool)
    v = np.zeros(n_cols)
    free = col_alive & ~in_core  # in no relation at all
    v[free] = rng.standard_normal(int(free.sum()))
    core_cols = np.flatnonzero(in_core)
    if len(core_cols):
        core_rows = np.flatnonzero(row_alive & (np.diff(a.indptr) > 0))
        core = a[core_rows][:, core_cols].tocsc()
        label = column_groups(core)
        order = np.argsort(label, kind="stable")
        for group in np.split(order, np.flatnonzero(np.diff(label[order])) + 1):
            part = core[:, group]
            part = part[np.unique(part.nonzero()[0])]
            small = len(group) <= DENSE_MAX
            is_fixed, null_v = _fixed(part.toarray(), rng) if small else _fixed_core(part, rng)
            fixed[core_cols[group]] = is_fixed
            v[core_cols[group]] = np.where(is_fixed, 0.0, null_v)
    for rows, cols in reversed(rounds):
        coef = np.asarray(a[rows, cols]).ravel()
        v[cols] = -(a[rows] @ v) / coef
        fixed[cols] = np.abs(v[cols]) < 1e-8
    return fixed


def _fixed_core(m, rng) -> tuple[np.ndarray, np.ndarray]:
    """x_j is fixed when row j of the null space is 0. A random vector's projection on the
    null space (z minus its least-squares fit by the relations, LSQR on the sparse matrix)
    is 0 exactly there and elsewhere is 0 with probability 0: on the whole country's result
    set the fixed cells come out below 1e-12 and the others above 1e-6. Should LSQR not
    converge, the dense SVD per group of linked cells decides (exact, slow). Returns the
    fixed columns and the null-space vector."""
    mt = m.T.tocsr()
    # Each relation scaled to length 1: the same row space, so the same projection, but a
    # relation of 99 municipalities no longer outweighs one of two, and LSQR needs about a
    # third of the iterations (measured on the whole country: 1,200 → 420 on a year's group).
    mt = mt @ diags(1 / np.sqrt(np.asarray(mt.multiply(mt).sum(axis=0)).ravel()))
    z = rng.standard_normal(m.shape[1])
    y = lsqr(mt, z, atol=1e-15, btol=1e-15, iter_lim=50 * m.shape[1] + 1000)[0]
    v = z - mt @ y
    if np.abs(m @ v).max(initial=0.0) < 1e-9:
        return np.abs(v) < 1e-8, v
    out = np.zeros(m.shape[1], dtype=bool)
    sub = m.tocsc()
    label = column_groups(sub)
    for group_label in np.unique(label):
        group = np.flatnonzero(label == group_label)
        part = sub[:, group]
        used = np.unique(part.nonzero()[0])
        out[group], v[group] = _fixed(part[used].toarray(), rng)
    return out, v


def _fixed(m: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Columns j for which every x with m x = 0 has x_j = 0, and a random x with m x = 0."""
    n = m.shape[1]
    _u, s, vt = np.linalg.svd(m, full_matrices=m.shape[0] < n)
    rank = int((s > TOLERANCE * max(1.0, s[0])).sum())
    null = vt[rank:]
    if len(null) == 0:
        return np.ones(n, dtype=bool), np.zeros(n)
    return np.abs(null).max(axis=0) < 1e-7, null.T @ rng.standard_normal(len(null))
