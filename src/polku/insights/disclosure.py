"""Small numbers protected (statistical disclosure control), the one rule for pages, charts, exports,
PDFs and the API.

- Primary suppression: a count from 1 to threshold - 1 is shown as "< threshold" (a zero is shown: an
  empty cell names nobody).
- Secondary suppression: in every line of a table that has a total (a row with its row total, a column
  with its column total, the totals with the grand total), a hidden count must not be recoverable by
  subtraction, so a line never has exactly one hidden entry, and a line whose hidden entries are all small
  numbers hides one more entry too (two hidden small numbers summing to 2 would both be 1). The extra entry
  is the smallest positive count of the line (hiding a zero would let a small neighbour be worked out), or,
  when there is none, the line's total. Repeated until no line changes.
- A rate is shown only when its denominator reaches the threshold and its numerator is shown; a median,
  percentile or mean only when it is computed over at least threshold cases.
- A change from the previous period is shown only when both periods' counts are shown.

`tests/insights/test_disclosure.py` checks these tables against a brute-force search for any hidden
count that has only one possible value given everything shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

SHOWN, PRIMARY, SECONDARY = "shown", "primary", "secondary"


def threshold() -> int:
    return int(getattr(settings, "POLKU_INSIGHTS_THRESHOLD", 5))


@dataclass(frozen=True)
class Cell:
    """A count as published: `value` is the true count; `state` says whether it may be shown."""

    value: int
    state: str = SHOWN
    limit: int = 5

    @property
    def is_shown(self) -> bool:
        return self.state == SHOWN

    @property
    def shown(self) -> int | None:
        """The count when it may be shown, else None (what exports and the API write)."""
        return self.value if self.is_shown else None

    @property
    def text(self) -> str:
        if self.state == PRIMARY:
            return f"< {self.limit}"
        if self.state == SECONDARY:
            return "×"
        return str(self.value)

    def __str__(self) -> str:
        return self.text


LEGEND_SECONDARY = "×"


def legend() -> list[tuple[str, str]]:
    t = threshold()
    return [
        (f"< {t}", _("fewer than %(n)s: hidden to protect the people counted") % {"n": t}),
        (LEGEND_SECONDARY, _("hidden so that a small number cannot be worked out from the totals")),
    ]


def _primary(value: int, limit: int) -> bool:
    return 0 < value < limit


def protect_values(values: list[int], limit: int | None = None) -> list[Cell]:
    """Counts that do not add up to anything shown (the steps of the funnel): primary suppression only."""
    limit = limit or threshold()
    return [Cell(v, PRIMARY if _primary(v, limit) else SHOWN, limit) for v in values]


@dataclass
class Table:
    """A protected two-way table: `cells[i][j]`, `row_totals[i]`, `column_totals[j]`, `total`."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    hidden: int = field(default=0)


def protect_table(matrix: list[list[int]], limit: int | None = None) -> Table:
    """Protect a table of counts with its row, column and grand totals (a one-row table is a 1-D list
    with its total)."""
    limit = limit or threshold()
    rows = len(matrix)
    columns = len(matrix[0]) if rows else 0
    # The full grid: the table, a total column on the right and a total row below.
    grid = [[*list(row), sum(row)] for row in matrix]
    grid.append([sum(matrix[i][j] for i in range(rows)) for j in range(columns)] + [sum(map(sum, matrix))])
    state = [[PRIMARY if _primary(v, limit) else SHOWN for v in row] for row in grid]
    lines = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    lines += [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    if rows == 1:
        lines = lines[:1]  # one row: its cells and its total (the column totals repeat the cells)
    elif columns == 1:
        lines = [lines[-1]]  # one column: its cells and the total
    while True:
        _secondary(lines, grid, state)
        pinned = _pinned(lines, grid, state, limit)
        if not pinned:
            break
        # A hidden count that the bounds still pin down: hide one more count in each of its lines.
        added = False
        for line in lines:
            if any(p in pinned for p in line):
                candidate = _complement(line, grid, state)
                if candidate is not None:
                    state[candidate[0]][candidate[1]] = SECONDARY
                    added = True
        if not added:
            break
    cell = [[Cell(grid[i][j], state[i][j], limit) for j in range(columns + 1)] for i in range(rows + 1)]
    return Table(
        cells=[row[:columns] for row in cell[:rows]],
        row_totals=[row[columns] for row in cell[:rows]],
        column_totals=cell[rows][:columns],
        total=cell[rows][columns],
        hidden=sum(1 for row in state for s in row if s != SHOWN),
    )


def _secondary(lines: list[list[tuple[int, int]]], grid: list[list[int]], state: list[list[str]]) -> None:
    """Hide complements until no line has a lone hidden entry or only hidden small numbers."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [p for p in line if state[p[0]][p[1]] != SHOWN]
            if not hidden:
                continue
            if len(hidden) >= 2 and not all(state[i][j] == PRIMARY for i, j in hidden):
                continue
            candidate = _complement(line, grid, state)
            if candidate is not None:
                state[candidate[0]][candidate[1]] = SECONDARY
                changed = True


def _pinned(
    lines: list[list[tuple[int, int]]], grid: list[list[int]], state: list[list[str]], limit: int
) -> set[tuple[int, int]]:
    """Hidden entries whose value a reader could still work out: interval bounds propagated over every
    line's sum (shown counts exact, "< limit" 1..limit-1, "x" unbounded) until they settle."""
    big = sum(grid[-1][-1:]) + 1
    low: dict[tuple[int, int], int] = {}
    high: dict[tuple[int, int], int] = {}
    for i, row in enumerate(state):
        for j, kind in enumerate(row):
            if kind == SHOWN:
                low[(i, j)] = high[(i, j)] = grid[i][j]
            elif kind == PRIMARY:
                low[(i, j)], high[(i, j)] = 1, limit - 1
            else:
                low[(i, j)], high[(i, j)] = 0, big
    for _round in range(50):
        changed = False
        for line in lines:
            inner, total = line[:-1], line[-1]
            sum_low = sum(low[p] for p in inner)
            sum_high = sum(high[p] for p in inner)
            if sum_low > low[total] or sum_high < high[total]:
                low[total], high[total] = max(low[total], sum_low), min(high[total], sum_high)
                changed = True
            for p in inner:
                new_low = max(low[p], low[total] - (sum_high - high[p]))
                new_high = min(high[p], high[total] - (sum_low - low[p]))
                if (new_low, new_high) != (low[p], high[p]):
                    low[p], high[p] = new_low, new_high
                    changed = True
        if not changed:
            break
    return {p for p in low if state[p[0]][p[1]] != SHOWN and low[p] == high[p]}


def _complement(
    line: list[tuple[int, int]], grid: list[list[int]], state: list[list[str]]
) -> tuple[int, int] | None:
    """The entry to hide next in a line: its smallest positive shown count that is not the line's total
    (the total is its last entry), else the total, else any shown entry."""
    inner, total = line[:-1], line[-1]
    positive = [p for p in inner if state[p[0]][p[1]] == SHOWN and grid[p[0]][p[1]] > 0]
    if positive:
        return min(positive, key=lambda p: (grid[p[0]][p[1]], p))
    if state[total[0]][total[1]] == SHOWN:
        return total
    rest = [p for p in inner if state[p[0]][p[1]] == SHOWN]
    return rest[0] if rest else None


def protect_list(values: list[int], limit: int | None = None) -> tuple[list[Cell], Cell]:
    """A list of counts with their total (closing outcomes, caseload buckets)."""
    if not values:
        return [], Cell(0, SHOWN, limit or threshold())
    table = protect_table([values], limit)
    return table.cells[0], table.row_totals[0]


def rate(numerator: Cell, denominator: Cell) -> float | None:
    """The share (0-1) when it may be shown."""
    if not denominator.is_shown or denominator.value < denominator.limit or not numerator.is_shown:
        return None
    return numerator.value / denominator.value if denominator.value else None


def enough(n: int) -> bool:
    """A median, percentile or mean may be shown when computed over at least the threshold of cases."""
    return n >= threshold()


def change(current: Cell, previous: Cell) -> int | None:
    if not (current.is_shown and previous.is_shown):
        return None
    return current.value - previous.value
