"""Shoulders level: the shoulder line's tilt (front/back view)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import steady_tilt
from gaitcheck.metrics.summary import FRONTAL_NEEDED, Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk


def shoulder_tilt(walk: Walk) -> np.ndarray:
    """Per frame: left→right shoulder line from horizontal, + the right shoulder lower."""
    return steady_tilt(walk.xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER, walk.right)


def shoulder_metrics(walk: Walk) -> list[Metric]:
    """shoulder_tilt_deg: median over front/back frames."""
    if not walk.has_frontal:
        return [absent("shoulder_tilt_deg", "deg", "front/back", FRONTAL_NEEDED)]
    return [over_frames("shoulder_tilt_deg", shoulder_tilt(walk), "deg", "front/back")]
