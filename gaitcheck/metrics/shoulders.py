"""Shoulders level: the shoulder line's tilt (front/back view)."""
from __future__ import annotations

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import line_tilt
from gaitcheck.metrics.head import FRONTAL_NEEDED
from gaitcheck.metrics.summary import Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk


def shoulder_metrics(walk: Walk) -> list[Metric]:
    """shoulder_tilt_deg: left→right shoulder line from horizontal, + the right shoulder lower."""
    if not walk.has_frontal:
        return [absent("shoulder_tilt_deg", "deg", "front/back", FRONTAL_NEEDED)]
    tilt = line_tilt(walk.xy[:, L.LEFT_SHOULDER], walk.xy[:, L.RIGHT_SHOULDER], walk.right)
    return [over_frames("shoulder_tilt_deg", tilt, "deg", "front/back")]
