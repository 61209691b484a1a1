"""The value the region modules measure from: a levelled, cleaned series cut into passes.

Per frame it says which way is forward on screen (side passes) and which way is the
subject's right (front/back passes); frames outside a steady pass (turns, entering, leaving)
are NaN in both and so count for nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from gaitcheck.metrics.bias import NO_BIAS, ModelBias

if TYPE_CHECKING:
    from gaitcheck.events import GaitEvents
    from gaitcheck.series import LandmarkSeries
    from gaitcheck.view import View

SIDE_DIRECTIONS = {"left_to_right": 1.0, "right_to_left": -1.0}
FRONTAL_RIGHT = {"towards": -1.0, "away": 1.0}  # facing the camera, their right is on screen left


@dataclass(frozen=True)
class Walk:
    """Landmarks, timing, per-frame orientation signs and gait events of one analysed walk."""

    xy: np.ndarray  # (T, 33, 2) level pixels
    visibility: np.ndarray  # (T, 33)
    times: np.ndarray  # (T,)
    forward: np.ndarray  # (T,) screen-x sign the body faces inside side passes, NaN elsewhere
    right: np.ndarray  # (T,) +1/−1 inside front/back passes, NaN elsewhere
    facing: np.ndarray  # (T,) bool: inside a pass walking towards the camera
    events: GaitEvents
    bias: ModelBias = NO_BIAS  # what the landmark source is known to add, taken off per frame

    @property
    def has_side(self) -> bool:
        return bool(np.isfinite(self.forward).any())

    @property
    def has_frontal(self) -> bool:
        return bool(np.isfinite(self.right).any())

    def strides(self, side: str) -> list[tuple[int, int]]:
        return self.events.strides(side)


def build_walk(series: LandmarkSeries, view: View, events: GaitEvents, bias: ModelBias = NO_BIAS) -> Walk:
    """Cut the series into its passes and record the signs each frame is measured with."""
    n = len(series)
    forward = np.full(n, np.nan)
    right = np.full(n, np.nan)
    facing = np.zeros(n, dtype=bool)
    for walk_pass in view.passes:
        span = slice(walk_pass.start, walk_pass.stop)
        if view.camera == "oblique":
            continue  # foreshortened both ways: no angle is what it seems; timing still counts
        if walk_pass.direction in SIDE_DIRECTIONS:
            # The way the body faces: someone stepping backwards (sports2d_side_older_woman on
            # her return) travels one way and faces the other, and posture is about the body.
            body = getattr(walk_pass, "facing_sign", 0)
            forward[span] = body if body else SIDE_DIRECTIONS[walk_pass.direction]
        elif walk_pass.direction in FRONTAL_RIGHT:
            right[span] = FRONTAL_RIGHT[walk_pass.direction]
            facing[span] = walk_pass.direction == "towards"
    return Walk(series.xy, series.visibility, series.times, forward, right, facing, events, bias)
