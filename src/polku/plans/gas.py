"""Goal Attainment Scaling (GAS): the summary T-score of a review (Kiresuk & Sherman, 1968).

Each goal is rated on five described levels, -2 (much less than expected) to +2 (much more than
expected), 0 being the expected outcome. The T-score puts the ratings of any number of goals on one
scale where 50 means "as expected" and the standard deviation is 10:

    T = 50 + 10·Σ(wᵢ·xᵢ) / sqrt((1-rho)·Σwᵢ² + rho·(Σwᵢ)²)

with xᵢ the attained level, wᵢ the goal's weight and rho the assumed correlation between goals
(0.3 by convention). A pure function: no database, no Django."""

from __future__ import annotations

import math
from collections.abc import Sequence

LEVELS = (-2, -1, 0, 1, 2)


def t_score(levels: Sequence[int], weights: Sequence[float] | None = None, rho: float = 0.3) -> float:
    """The GAS T-score of the attained `levels` (one per goal), with the goals' `weights` (1 each by
    default) and the inter-goal correlation `rho`. Raises ValueError with a readable message for
    anything the formula cannot take."""
    levels = list(levels)
    if not levels:
        raise ValueError("At least one goal is needed for a GAS T-score.")
    for level in levels:
        if isinstance(level, bool) or level not in LEVELS:
            raise ValueError(f"A GAS level must be a whole number from -2 to 2, not {level!r}.")
    weights = [1.0] * len(levels) if weights is None else list(weights)
    if len(weights) != len(levels):
        raise ValueError(f"Each goal needs one weight: {len(levels)} level(s) but {len(weights)} weight(s).")
    for weight in weights:
        if isinstance(weight, bool) or not isinstance(weight, int | float) or not math.isfinite(weight):
            raise ValueError(f"A weight must be a number, not {weight!r}.")
        if weight <= 0:
            raise ValueError(f"A weight must be more than zero, not {weight!r}.")
    if not 0 <= rho < 1:
        raise ValueError(f"The inter-goal correlation must be from 0 up to (not including) 1, not {rho!r}.")
    weighted = sum(w * x for w, x in zip(weights, levels, strict=True))
    spread = math.sqrt((1 - rho) * sum(w * w for w in weights) + rho * sum(weights) ** 2)
    return 50 + 10 * weighted / spread
