"""Cutting per-frame values into strides (consecutive same-foot heel strikes)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from gaitcheck.metrics.walk import Walk

MIN_COVER = 0.8  # a stride counts only if this share of its frames has a value


def stride_windows(walk: Walk, frontal: bool = False) -> list[tuple[int, int]]:
    """Strides of both feet inside side passes (or front/back passes when `frontal`).

    Strides of the foot with more of them are used, so that each stretch of walking is
    counted once; on a tie, those of the foot that strikes first. The tie is broken by time and
    not by label, so a mirrored clip (labels swapped) is cut into the same windows: a swing
    that changes along the clip (a real walker's arm: 41° → 19° over five strides) otherwise
    read 1.6° apart in the mirror."""
    sign = walk.right if frontal else walk.forward
    candidates = []
    for side in ("left", "right"):
        windows = [(a, b) for a, b in walk.strides(side) if np.isfinite(sign[a:b]).all()]
        if windows:
            candidates.append(windows)
    return min(candidates, key=lambda windows: (-len(windows), windows[0][0]), default=[])


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


def first_harmonic_range(values: np.ndarray) -> float:
    """Peak-to-peak of the once-per-stride sinusoid fitted to one stride's values (frames from
    one heel strike to the next, NaN where missing); NaN when under MIN_COVER have a value.

    Arm swing and pelvic obliquity go through one cycle per stride, close to a sinusoid (the
    synthetic walker's drawn ones: fit and raw peak-to-peak agree within 1%). The raw
    peak-to-peak adds the frame noise's extremes instead."""
    values = np.asarray(values, dtype=float)
    seen = np.isfinite(values)
    if len(values) < 3 or seen.sum() < MIN_COVER * len(values):
        return float("nan")
    phase = 2 * np.pi * np.arange(len(values)) / len(values)
    design = np.stack([np.ones_like(phase), np.cos(phase), np.sin(phase)], axis=1)[seen]
    coef, *_ = np.linalg.lstsq(design, values[seen], rcond=None)
    return float(2.0 * np.hypot(coef[1], coef[2]))
