"""Angle primitives over landmark arrays, in pixels (x right, y down), in degrees.

Every function takes (T, 33, 2) pixel landmarks and returns (T,) values, NaN where a point
is missing. Signs follow DESIGN.md: `forward` is the screen-x sign of the walking direction
(+1 left→right, −1 right→left) so sagittal angles are + towards the walking direction;
`right` is the screen-x sign of the subject's right side (−1 facing the camera, +1 from
behind) so frontal angles are + towards the subject's right.
"""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L


def midpoint(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    """(T, 2) midpoint of two landmarks."""
    return 0.5 * (xy[:, a] + xy[:, b])


def mid_hip(xy: np.ndarray) -> np.ndarray:
    return midpoint(xy, L.LEFT_HIP, L.RIGHT_HIP)


def mid_shoulder(xy: np.ndarray) -> np.ndarray:
    return midpoint(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)


def from_vertical(vector: np.ndarray, sign: np.ndarray | float) -> np.ndarray:
    """Angle of a (T, 2) vector from straight up, + towards screen-x `sign`."""
    return np.degrees(np.arctan2(sign * vector[:, 0], -vector[:, 1]))


def below_horizontal(vector: np.ndarray, sign: np.ndarray | float) -> np.ndarray:
    """Angle of a (T, 2) vector pointing towards screen-x `sign`, + when it points down."""
    return np.degrees(np.arctan2(vector[:, 1], sign * vector[:, 0]))


def line_tilt(left: np.ndarray, right: np.ndarray, right_sign: np.ndarray | float) -> np.ndarray:
    """Tilt of the line from the subject's left point to their right one, + when the right end
    is lower (in the image, y down), in (−90°, 90°].

    Wrapped to half a turn: the pose model swaps left and right now and then (often from
    behind), which reverses the vector and would read as a 180° jump, not as a tilt."""
    vector = right - left
    tilt = np.degrees(np.arctan2(vector[:, 1], right_sign * vector[:, 0]))
    return 90.0 - np.mod(90.0 - tilt, 180.0)


def to_trunk(xy: np.ndarray, start: int, end: int, sign: np.ndarray | float) -> np.ndarray:
    """Signed angle of start→end against the trunk axis pointing down (shoulders→hips),
    + towards screen-x `sign` (measured in the trunk's own frame, so a leaning trunk does not
    bias it). An unsigned angle would under-report swing whenever the arm crosses the trunk."""
    down = mid_hip(xy) - mid_shoulder(xy)
    down = down / np.linalg.norm(down, axis=1, keepdims=True)
    across = np.stack([down[:, 1], -down[:, 0]], axis=-1)  # "down" turned 90°: screen +x when upright
    segment = xy[:, end] - xy[:, start]
    return np.degrees(np.arctan2(sign * np.sum(segment * across, axis=1), np.sum(segment * down, axis=1)))


def thigh_angle(xy: np.ndarray, hip: int, knee: int, forward: np.ndarray | float) -> np.ndarray:
    """Hip→knee from straight down, + when the knee is ahead of the hip."""
    thigh = xy[:, knee] - xy[:, hip]
    return np.degrees(np.arctan2(forward * thigh[:, 0], thigh[:, 1]))


PAIR_COLLAPSE_SHARE = 0.6  # a left/right pair closer than this share of its usual span is mid-swap


def pair_collapsed(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    """(T,) bool: frames where a left/right landmark pair (shoulders, hips, ears) spans less
    than PAIR_COLLAPSE_SHARE of its median span, both in torso lengths.

    Where the pose model swaps left and right for a frame or two (often from behind), the
    low-pass filter blends the two labellings and the pair collapses towards its midpoint; the
    line through it then points anywhere (seeded synthetic back views: hip-line tilts of 86°,
    pelvic drop read 23-44° for 3-4°). Such frames say nothing about a tilt."""
    torso = np.linalg.norm(mid_shoulder(xy) - mid_hip(xy), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        span = np.linalg.norm(xy[:, b] - xy[:, a], axis=1) / torso
        usual = np.nanmedian(span) if np.isfinite(span).any() else np.nan
        return span < PAIR_COLLAPSE_SHARE * usual


def steady_tilt(xy: np.ndarray, a: int, b: int, right_sign: np.ndarray | float) -> np.ndarray:
    """`line_tilt` of the pair a (subject's left) → b (right), NaN where the pair collapsed."""
    tilt = line_tilt(xy[:, a], xy[:, b], right_sign)
    return np.where(pair_collapsed(xy, a, b), np.nan, tilt)
