"""Cutting per-frame values into strides (consecutive same-foot heel strikes)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gaitcheck.metrics.walk import Walk

MIN_COVER = 0.8  # a stride counts only if this share of its frames has a value


def stride_windows(walk: Walk, frontal: bool = False) -> list[tuple[int, int]]:
    """Strides of both feet inside side passes (or front/back passes when `frontal`).

    Strides of the foot with more of them are used, so that each stretch of walking is
    counted once."""
    sign = walk.right if frontal else walk.forward
    best: list[tuple[int, int]] = []
    for side in ("left", "right"):
        windows = [(a, b) for a, b in walk.strides(side) if np.isfinite(sign[a:b]).all()]
        if len(windows) > len(best):
            best = windows
    return best


def per_stride(
    walk: Walk, values: np.ndarray, summary: Callable[[np.ndarray], float], frontal: bool = False
) -> list[float]:
    """`summary` of the values over each stride with enough finite frames."""
    out = []
    for start, stop in stride_windows(walk, frontal):
        window = values[start:stop]
        finite = window[np.isfinite(window)]
        if len(window) >= 3 and len(finite) >= MIN_COVER * len(window):
            out.append(float(summary(finite)))
    return out
