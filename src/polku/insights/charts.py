"""Bar charts drawn as SVG by the template from these numbers; the same numbers stand in a table beside
each chart (screen readers, printing). A hidden count draws no bar: its label says "< 5" or "x"."""

from __future__ import annotations

from dataclasses import dataclass

from polku.insights.disclosure import Cell

WIDTH = 100.0  # the bar area, in percent of the chart's width


@dataclass(frozen=True)
class Bar:
    label: str
    cell: Cell
    width: float  # 0-100
    y: int


def bars(rows: list[tuple[str, Cell]], height: int = 28) -> dict[str, object]:
    largest = max((cell.value for _label, cell in rows if cell.is_shown), default=0)
    drawn = [
        Bar(label, cell, (cell.value / largest * WIDTH) if cell.is_shown and largest else 0.0, index * height)
        for index, (label, cell) in enumerate(rows)
    ]
    return {"bars": drawn, "height": height * len(drawn), "row": height}
