"""The metric value every region module returns, and the robust summaries that make one.

A metric carries its value (a robust summary over frames or strides), unit, the view it came
from, how many frames or strides it rests on, and its spread (IQR over frames, or the
per-stride values). A metric the view or the clip cannot support is absent, with a reason.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

MIN_FRAMES = 10  # a frame-based metric needs at least this many usable frames
MIN_STRIDES = 1

# Why a metric is absent when the clip has no pass of the view it needs.
SIDE_NEEDED = "needs a side view: film the walk from the side"
FRONTAL_NEEDED = "needs a front or back view: film walking towards or away from the camera"


@dataclass(frozen=True)
class Metric:
    """One measured quantity of the walk."""

    name: str
    value: float | None
    unit: str
    view: str
    n: int = 0  # frames or strides it rests on
    basis: str = "frames"  # "frames" | "strides" | "steps" | "events"
    spread: dict = field(default_factory=dict)
    reason: str | None = None  # why it is absent (value None)
    # One standard error of the value from the scatter of the events it rests on, where few
    # events carry it (steps): the rules judge only what shows beyond it.
    uncertainty: float | None = None

    @property
    def present(self) -> bool:
        return self.value is not None

    def to_json(self) -> dict:
        out = {"value": None if self.value is None else round(float(self.value), 3), "unit": self.unit,
               "view": self.view, "n": self.n, "basis": self.basis, "spread": self.spread}
        if self.reason:
            out["reason"] = self.reason
        if self.uncertainty is not None:
            out["uncertainty"] = round(float(self.uncertainty), 3)
        return out


def absent(name: str, unit: str, view: str, reason: str) -> Metric:
    """A metric that cannot be measured here, and why."""
    return Metric(name, None, unit, view, 0, reason=reason)


def over_frames(name: str, values: np.ndarray, unit: str, view: str, min_frames: int = MIN_FRAMES) -> Metric:
    """Median of the finite per-frame values, with their inter-quartile range."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if len(values) < min_frames:
        return absent(name, unit, view, f"only {len(values)} usable frames (needs {min_frames})")
    q1, q3 = np.percentile(values, [25, 75])
    return Metric(name, float(np.median(values)), unit, view, len(values), "frames",
                  {"iqr": [round(float(q1), 3), round(float(q3), 3)]})


def over_strides(name: str, per_stride: Iterable[float], unit: str, view: str, reason: str = "no complete stride") -> Metric:
    """Median of per-stride values, with the values themselves as the spread."""
    values = [float(v) for v in per_stride if np.isfinite(v)]
    if len(values) < MIN_STRIDES:
        return absent(name, unit, view, reason)
    return Metric(name, float(np.median(values)), unit, view, len(values), "strides",
                  {"per_stride": [round(v, 3) for v in values]})


def asymmetry_pct(a: float, b: float) -> float:
    """|a − b| as a percentage of their mean (0 when both are 0)."""
    mean = 0.5 * (a + b)
    return 0.0 if mean == 0 else 100.0 * abs(a - b) / abs(mean)


def side_asymmetry(left: list[float], right: list[float]) -> tuple[float, float | None]:
    """Asymmetry (%) of the per-side means of per-step values, and its standard error (%).

    The error is that of the difference of two means, from the steps' scatter about their own
    side's mean (pooled over both sides); None when no side has a second step to show it."""
    left_a, right_a = np.asarray(left, float), np.asarray(right, float)
    value = asymmetry_pct(float(left_a.mean()), float(right_a.mean()))
    dof = len(left_a) + len(right_a) - 2
    if dof < 1:
        return value, None
    pooled = np.sqrt((np.sum((left_a - left_a.mean()) ** 2) + np.sum((right_a - right_a.mean()) ** 2)) / dof)
    mean = 0.5 * (left_a.mean() + right_a.mean())
    error = pooled * np.sqrt(1.0 / len(left_a) + 1.0 / len(right_a))
    return value, (0.0 if mean == 0 else float(100.0 * error / abs(mean)))
