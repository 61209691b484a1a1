"""Core and glutes (proxy): pelvic drop, the hip line's tilt swing over a stride (front/back)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import steady_tilt
from gaitcheck.metrics.head import FRONTAL_NEEDED
from gaitcheck.metrics.strides import per_stride
from gaitcheck.metrics.summary import Metric, absent, over_strides
from gaitcheck.metrics.walk import Walk


def hip_tilt(walk: Walk) -> np.ndarray:
    """Per frame: left→right hip line from horizontal, + the right hip lower (front/back)."""
    return steady_tilt(walk.xy, L.LEFT_HIP, L.RIGHT_HIP, walk.right)


def pelvis_metrics(walk: Walk) -> list[Metric]:
    """pelvic_drop_deg: per stride, half the peak-to-peak hip-line tilt; median over strides."""
    if not walk.has_frontal:
        return [absent("pelvic_drop_deg", "deg", "front/back", FRONTAL_NEEDED)]
    values = per_stride(walk, hip_tilt(walk), lambda v: 0.5 * np.ptp(v), frontal=True)
    return [over_strides("pelvic_drop_deg", values, "deg", "front/back",
                         "no complete stride found in a front/back pass")]
