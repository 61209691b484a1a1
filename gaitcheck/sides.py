"""Left and right labels kept consistent while the body faces (or backs) the camera.

Seen from the front or from behind, the pose model now and then flips its whole reading of
which way the body faces: every left/right pair swaps at once for a few frames (the synthetic
walker seen from behind at fresh seed 7301, the suite's `back_good` reseeded by 7000: 28 of its
105 frames, in runs of one to seven). The low-pass filter then blends the two labellings,
shoulders and hips collapse towards their midpoints, the body reads side-on for half a second,
the walking pass breaks in two and each foot's strikes get the other foot's name.

`unswap_frontal` relabels those frames before filtering. Within each stretch of broad-on
frames (shoulders at least FRONTAL_MIN_WIDTH torso lengths apart; side-on frames end a
stretch, as a turn does), the labels should put the subject's left on screen right when they
walk towards the camera and on screen left walking away. Which of the two holds comes from
the apparent size (growing: towards) when it clearly changes, as in view.py; otherwise (a
treadmill) from the labelling most frames agree on, when a clear majority does. Frames whose
shoulder/hip order says the other way have every left/right pair swapped back.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from gaitcheck.landmarks import MIRROR
from gaitcheck.landmarks import Landmark as L

if TYPE_CHECKING:
    from gaitcheck.series import LandmarkSeries

# Shared with view.py, which imports them from here (series.py needs this module first).
FRONTAL_MIN_WIDTH = 0.45  # shoulder width / torso length at or above which the body is broad-on
CLEAR_ORDER = 0.25  # |left − right| x of shoulders plus hips, torso lengths: the labelling is clear
GROWTH_DECIDES = 0.08  # 1/s: apparent size changing this fast says towards or away, whatever the labels say
CLEAR_MAJORITY = 0.7  # without that, one labelling must hold in this share of the clear frames
MAX_BREAK_S = 0.5  # frames without a pose (or unclear) this long do not end a stretch
SIDE_ON_S = 0.3  # side-on this long is a turn: it ends a stretch
MIN_STRETCH_S = 1.0  # a shorter broad-on stretch is a turn or a glimpse: left alone


def _torso(xy: np.ndarray) -> np.ndarray:
    shoulders = 0.5 * (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER])
    hips = 0.5 * (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP])
    return np.linalg.norm(shoulders - hips, axis=1)


def label_order(xy: np.ndarray) -> np.ndarray:
    """(T,) screen-x of the left minus the right shoulder and hip, in torso lengths: + when the
    labels put the subject's left on screen right (facing the camera)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return (xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0]
                + xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0]) / _torso(xy)


def _broad_stretches(xy: np.ndarray, times: np.ndarray) -> list[np.ndarray]:
    """Frame indices of each stretch of broad-on frames; SIDE_ON_S of side-on frames end one
    (a turn), a frame or two mid-flip (shoulders collapsed) do not."""
    with np.errstate(invalid="ignore", divide="ignore"):
        width = np.linalg.norm(xy[:, L.LEFT_SHOULDER] - xy[:, L.RIGHT_SHOULDER], axis=1) / _torso(xy)
    broad = np.flatnonzero(width >= FRONTAL_MIN_WIDTH)
    if not len(broad):
        return []
    narrow = np.flatnonzero(width < FRONTAL_MIN_WIDTH)  # NaN compares False: a missing pose is neither
    stretches, start = [], 0
    for k in range(1, len(broad) + 1):
        if k < len(broad):
            a, b = broad[k - 1], broad[k]
            between = narrow[(narrow > a) & (narrow < b)]
            if times[b] - times[a] <= MAX_BREAK_S and (not len(between) or times[between[-1]] - times[between[0]] < SIDE_ON_S):
                continue
        stretch = broad[start:k]
        if times[stretch[-1]] - times[stretch[0]] >= MIN_STRETCH_S:
            stretches.append(stretch)
        start = k
    return stretches


def _expected_sign(xy: np.ndarray, times: np.ndarray, frames: np.ndarray, order: np.ndarray) -> int:
    """+1 (left on screen right: towards), −1 (away) or 0 (undecided) for one stretch."""
    size = np.log(_torso(xy[frames]))
    ok = np.isfinite(size)
    if ok.sum() >= 3:
        growth = np.polyfit(times[frames][ok], size[ok], 1)[0]
        if abs(growth) >= GROWTH_DECIDES:
            return 1 if growth > 0 else -1
    clear = np.sign(order[np.abs(order) >= CLEAR_ORDER])
    if len(clear) and max(np.mean(clear > 0), np.mean(clear < 0)) >= CLEAR_MAJORITY:
        return 1 if np.mean(clear > 0) > 0.5 else -1
    return 0


def swapped_frames(series: LandmarkSeries) -> np.ndarray:
    """(T,) bool: broad-on frames whose left/right labels say the body faces the other way."""
    xy = series.xy.astype(float)
    order = label_order(xy)
    out = np.zeros(len(xy), dtype=bool)
    for frames in _broad_stretches(xy, series.times):
        expected = _expected_sign(xy, series.times, frames, order[frames])
        if expected:
            out[frames] = np.sign(order[frames]) == -expected
            out[frames] &= np.abs(order[frames]) >= CLEAR_ORDER
    return out


def unswap_frontal(series: LandmarkSeries) -> LandmarkSeries:
    """The series with every left/right pair swapped back in `swapped_frames`."""
    flip = swapped_frames(series)
    if not flip.any():
        return replace(series, processing=dict(series.processing, unswapped_frames=0))
    partner = np.array(MIRROR)
    arrays = {}
    for name in ("xy", "visibility", "presence", "world"):
        values = getattr(series, name).copy()
        values[flip] = values[flip][:, partner]
        arrays[name] = values
    return replace(series, **arrays, processing=dict(series.processing, unswapped_frames=int(flip.sum())))
