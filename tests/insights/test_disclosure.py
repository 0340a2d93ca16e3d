"""Small-number protection checked against an independent brute-force search: given everything a table
shows (shown counts, the "< 5" marks meaning 1-4, hidden totals), no hidden count may have only one
possible value."""

import itertools
import random

import pytest

from polku.insights import disclosure
from polku.insights.disclosure import PRIMARY, SECONDARY, SHOWN, Cell


def published(table: disclosure.Table) -> list[list[Cell]]:
    """The full grid as published: the cells with their row totals, then the column totals and total."""
    grid = [[*row, total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    grid.append([*table.column_totals, table.total])
    return grid


def derivable(grid: list[list[Cell]], limit: int, one_row: bool = False) -> list[tuple[int, int]]:
    """Hidden entries with exactly one feasible value. Brute force over every assignment of the hidden
    inner cells: a "< limit" cell is 1..limit-1, a "x" cell 0..the largest shown total; hidden totals
    follow from the cells and must fit their own marks."""
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    bound = max([c.value for row in grid for c in row if c.is_shown] + [limit])
    hidden_inner = [(i, j) for i in range(rows) for j in range(columns) if not grid[i][j].is_shown]

    def domain(cell: Cell) -> range:
        return range(1, limit) if cell.state == PRIMARY else range(0, bound + 1)

    feasible: dict[tuple[int, int], set[int]] = {}
    for values in itertools.product(*(domain(grid[i][j]) for i, j in hidden_inner)):
        value = {(i, j): grid[i][j].value for i in range(rows) for j in range(columns)}
        value.update(dict(zip(hidden_inner, values, strict=True)))
        full = {**value}
        for i in range(rows):
            full[(i, columns)] = sum(value[(i, j)] for j in range(columns))
        for j in range(columns):
            full[(rows, j)] = sum(value[(i, j)] for i in range(rows))
        full[(rows, columns)] = sum(full[(i, columns)] for i in range(rows))
        ok = True
        for (i, j), v in full.items():
            if one_row and i == rows:
                continue  # a one-row table publishes no column totals
            cell = grid[i][j]
            if (cell.is_shown and cell.value != v) or (cell.state == PRIMARY and not 0 < v < limit):
                ok = False
                break
        if not ok:
            continue
        for key, v in full.items():
            feasible.setdefault(key, set()).add(v)
    return [
        (i, j)
        for i in range(rows + 1)
        for j in range(columns + 1)
        if not grid[i][j].is_shown and not (one_row and i == rows) and len(feasible[(i, j)]) == 1
    ]


def test_a_small_count_is_shown_as_under_the_threshold():
    cells = disclosure.protect_values([0, 3, 5, 12], limit=5)
    assert [c.text for c in cells] == ["0", "< 5", "5", "12"]
    assert [c.shown for c in cells] == [0, None, 5, 12]


def test_one_hidden_count_in_a_list_with_its_total_hides_the_next_smallest():
    cells, total = disclosure.protect_list([2, 30, 7, 0], limit=5)
    assert [c.state for c in cells] == [PRIMARY, SHOWN, SECONDARY, SHOWN]
    assert total.text == "39"
    assert [c.text for c in cells] == ["< 5", "30", "×", "0"]


def test_two_hidden_small_counts_that_would_pin_each_other_get_a_third():
    # 1 + 1 = 2 would tell both; so one more count is hidden.
    cells, _total = disclosure.protect_list([1, 1, 20, 9], limit=5)
    assert sum(1 for c in cells if not c.is_shown) == 3
    assert cells[3].state == SECONDARY


def test_a_list_whose_only_other_counts_are_zero_hides_its_total():
    cells, total = disclosure.protect_list([3, 0, 0], limit=5)
    assert cells[0].state == PRIMARY and total.state != SHOWN


def test_a_rate_needs_a_shown_numerator_and_a_denominator_at_the_threshold():
    assert disclosure.rate(Cell(3, SHOWN), Cell(4, PRIMARY)) is None
    assert disclosure.rate(Cell(2, PRIMARY), Cell(40, SHOWN)) is None
    assert disclosure.rate(Cell(10, SHOWN), Cell(40, SHOWN)) == 0.25


def test_a_change_is_shown_only_between_two_shown_counts():
    assert disclosure.change(Cell(10), Cell(3, PRIMARY)) is None
    assert disclosure.change(Cell(10), Cell(7)) == 3


SAMPLE_TABLES = [
    [[1, 7, 8], [6, 9, 10], [12, 0, 5]],
    [[3, 0], [0, 9]],
    [[2, 2], [6, 8]],
    [[0, 0, 4], [5, 6, 7]],
    [[1, 1, 1], [1, 1, 1]],
    [[12, 3, 0, 8]],
]


@pytest.mark.parametrize("matrix", SAMPLE_TABLES)
def test_no_hidden_count_of_a_sample_table_can_be_worked_out(matrix):
    table = disclosure.protect_table(matrix, limit=5)
    grid = published(table)
    assert all(c.value >= 5 or c.value == 0 or not c.is_shown for row in grid for c in row)
    assert derivable(grid, 5, one_row=len(matrix) == 1) == []


def test_no_hidden_count_of_random_tables_can_be_worked_out():
    rng = random.Random(22)
    for _ in range(12):
        rows, columns = rng.choice([(1, 4), (2, 2), (2, 3), (3, 2)])
        matrix = [[rng.choice([0, 1, 2, 3, 4, 5, 7]) for _j in range(columns)] for _i in range(rows)]
        table = disclosure.protect_table(matrix, limit=5)
        grid = published(table)
        assert derivable(grid, 5, one_row=rows == 1) == [], matrix


def test_the_brute_force_check_finds_an_unprotected_table():
    """The checker itself: primary suppression alone leaves a cell recoverable from its row total."""
    matrix = [[2, 9], [7, 8]]
    naked = disclosure.Table(
        cells=[[Cell(2, PRIMARY), Cell(9)], [Cell(7), Cell(8)]],
        row_totals=[Cell(11), Cell(15)],
        column_totals=[Cell(9), Cell(17)],
        total=Cell(26),
    )
    assert derivable(published(naked), 5) == [(0, 0)]
    assert derivable(published(disclosure.protect_table(matrix, limit=5)), 5) == []
