"""The gait cycle: when each foot strikes, and the joint angle curves over one cycle.

Phase runs 0→1 over one stride of a leg, 0 = that leg's nominal heel strike. Angles are in
degrees, + forward (thigh, shank) or toe up (foot), in the walker's sagittal plane. The curves
are periodic cubic splines through keypoints shaped after Winter's normative gait data.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicSpline

# (phase, degrees) keypoints. The thigh angle is in space (not relative to the pelvis).
THIGH = ((0.0, 25.0), (0.1, 22.0), (0.3, 6.0), (0.5, -16.0), (0.6, -12.0), (0.7, 2.0),
         (0.8, 19.0), (0.88, 27.0), (0.95, 25.5))
KNEE = ((0.0, 2.0), (0.12, 17.0), (0.4, 6.0), (0.5, 20.0), (0.62, 40.0), (0.72, 62.0),
        (0.82, 44.0), (0.92, 9.0))
# Foot pitch relative to the floor (toe up +): heel strike, foot flat, heel off, toe off.
FOOT_HEEL_FIRST = ((0.0, 19.0), (0.08, 0.0), (0.42, 0.0), (0.52, -10.0), (0.62, -45.0),
                   (0.7, -35.0), (0.8, -5.0), (0.9, 10.0), (0.96, 17.0))
FOOT_FLAT = ((0.0, -1.0), (0.08, -1.0), (0.42, 0.0), (0.52, -10.0), (0.62, -45.0),
             (0.7, -35.0), (0.8, -10.0), (0.9, -3.0), (0.96, -1.5))


@lru_cache(maxsize=None)
def _spline(points: tuple[tuple[float, float], ...]) -> CubicSpline:
    phase = [p for p, _ in points] + [1.0]
    value = [v for _, v in points] + [points[0][1]]
    return CubicSpline(phase, value, bc_type="periodic")


def thigh_angle(phase: np.ndarray | float, scale: float = 1.0) -> np.ndarray:
    """Thigh angle from vertical (+ forward); `scale` shortens or lengthens the step."""
    return scale * _spline(THIGH)(np.mod(phase, 1.0))


def knee_flexion(phase: np.ndarray | float) -> np.ndarray:
    """Knee flexion (0 = straight)."""
    return _spline(KNEE)(np.mod(phase, 1.0))


def foot_pitch(phase: np.ndarray | float, heel_strike: bool = True) -> np.ndarray:
    """Foot angle to the floor, toe up +; a flat-footed walker lands with the sole level."""
    return _spline(FOOT_HEEL_FIRST if heel_strike else FOOT_FLAT)(np.mod(phase, 1.0))


@dataclass(frozen=True)
class Schedule:
    """Stride timing: the right leg's nominal heel strikes and the left leg's offset.

    `right_strikes[i]` is when the right leg's phase equals i. The left leg runs
    `left_offset` strides behind, so the left step (right strike → left strike) lasts
    `left_offset` of a stride and the right step the rest.
    """

    right_strikes: np.ndarray
    left_offset: float

    def cycles(self, t: np.ndarray | float, side: str) -> np.ndarray:
        """Continuous stride count of one leg at times t (integer = nominal heel strike)."""
        right = np.interp(t, self.right_strikes, np.arange(len(self.right_strikes), dtype=float))
        return right if side == "right" else right - self.left_offset

    def stride_time(self) -> float:
        """Mean stride duration in seconds."""
        return float(np.mean(np.diff(self.right_strikes)))


def make_schedule(cadence_spm: float, step_time_asymmetry: float, jitter: float,
                  start: float, end: float, rng: np.random.Generator) -> Schedule:
    """Stride boundaries covering [start, end] with seeded stride-to-stride variability.

    The first stride starts at a random phase before `start` so clips don't all begin at a
    heel strike.
    """
    stride = 120.0 / cadence_spm
    count = int(np.ceil((end - start) / stride)) + 6
    durations = stride * (1.0 + jitter * np.clip(rng.standard_normal(count), -2.0, 2.0))
    first = start - stride * (2.0 + rng.uniform(0.0, 1.0))
    strikes = first + np.concatenate([[0.0], np.cumsum(durations)])
    return Schedule(right_strikes=strikes, left_offset=0.5 + step_time_asymmetry / 2.0)
