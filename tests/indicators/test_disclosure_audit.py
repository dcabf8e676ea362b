"""The linear-algebra audit of disclosure control (disclosure_audit.py) on small systems
worked out by hand: rows are relations, columns hidden cells, and a cell is determined
when every solution of the relations gives it the same value."""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix

from tvaers.indicators.disclosure_audit import DENSE_MAX, fixed_columns


def _fixed(rows: list[list[int]]) -> list[bool]:
    return fixed_columns(coo_matrix(np.array(rows, dtype=float))).tolist()


def test_a_cycle_of_four_hidden_cells_keeps_them_all_safe():
    # 2 × 2 table, every cell hidden, both row and both column totals published:
    # x11 = −x12 = −x21 = x22 may move together, so no cell is known.
    rows = [[1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]]
    assert _fixed(rows) == [False, False, False, False]


def test_three_hidden_cells_of_a_table_with_margins_are_all_known():
    # As above with x22 published: its row gives x21, its column x12, then x11.
    rows = [[1, 1, 0], [0, 0, 1], [1, 0, 1], [0, 1, 0]]
    assert _fixed(rows) == [True, True, True]


def test_a_cell_in_one_relation_is_known_when_the_rest_of_it_is_known_as_a_sum():
    # Columns c, a, b. A quarter gives a + b; a year gives c + a + b. So c = year − quarter
    # is known, though neither a nor b is (only their sum). c sits in one relation only,
    # and asking a and b one by one would call it safe.
    rows = [[0, 1, 1], [1, 1, 1]]
    assert _fixed(rows) == [True, False, False]


def test_a_chain_of_cells_each_in_one_more_relation():
    # x1 + x2 = k1, x2 + x3 = k2, x3 = k3 (x3 alone in a relation): all three follow.
    rows = [[1, 1, 0], [0, 1, 1], [0, 0, 1]]
    assert _fixed(rows) == [True, True, True]
    # Without the last relation every cell can move (x1 = −x2 = x3).
    assert _fixed(rows[:2]) == [False, False, False]


def test_a_cell_in_no_relation_is_free_and_two_alone_in_one_relation_too():
    rows = [[0, 1, 1]]
    assert _fixed(rows) == [False, False, False]


def test_a_large_group_goes_the_sparse_way_with_the_same_answer():
    # A ring of cells linked two by two (x_i + x_{i+1} = k_i, and x_{n−1} + x_0 = k): larger
    # than the dense limit, and with no cell in one relation only, so the sparse solver
    # decides. With n even, x_i = (−1)^i t solves every relation with 0, so nothing is known.
    n = DENSE_MAX * 3
    rows = [[1 if j in (i, (i + 1) % n) else 0 for j in range(n)] for i in range(n)]
    assert _fixed(rows) == [False] * n
    # One published relation on x_0 alone pins the whole ring.
    rows.append([1 if j == 0 else 0 for j in range(n)])
    assert _fixed(rows) == [True] * n
