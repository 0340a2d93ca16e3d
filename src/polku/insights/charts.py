"""Bar charts drawn as SVG by the template from these numbers; the same numbers stand in a table beside
each chart (screen readers, printing), so the chart itself is hidden from assistive technology. A hidden
count draws no bar: its label says "< 5" or "x" as the table does."""

from __future__ import annotations

from dataclasses import dataclass

from polku.insights.disclosure import Cell

VIEW_WIDTH = 600
BAR_X = 270  # the labels take the left side
BAR_SPACE = 270  # the longest bar; its value is written after it
ROW = 26


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    width: int
    y: int

    @property
    def text_y(self) -> int:
        return self.y + 16

    @property
    def value_x(self) -> int:
        return BAR_X + self.width + 6


def bars(rows: list[tuple[str, Cell]]) -> dict[str, object]:
    largest = max((cell.value for _label, cell in rows if cell.is_shown), default=0)
    drawn = [
        Bar(
            label[:38],
            cell,
            round(cell.value / largest * BAR_SPACE) if cell.is_shown and largest else 0,
            index * ROW,
        )
        for index, (label, cell) in enumerate(rows)
    ]
    return {
        "bars": drawn,
        "height": ROW * len(drawn),
        "width": VIEW_WIDTH,
        "bar_x": BAR_X,
        "bar_height": ROW - 8,
    }
