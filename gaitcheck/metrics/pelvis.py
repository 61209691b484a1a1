"""Core and glutes (proxy): pelvic drop, the hip line's tilt swing over a stride (front/back)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import steady_tilt
from gaitcheck.metrics.strides import per_stride
from gaitcheck.metrics.summary import FRONTAL_NEEDED, Metric, absent, over_strides
from gaitcheck.metrics.walk import Walk


def hip_tilt(walk: Walk) -> np.ndarray:
    """Per frame: left→right hip line from horizontal, + the right hip lower (front/back)."""
    return steady_tilt(walk.xy, L.LEFT_HIP, L.RIGHT_HIP, walk.right)


# A hip line steeper than this is the pose model losing the hips, not a pelvis: a Trendelenburg
# gait drops it 10-15°. Seen on real clips: md_back_P3_E3T4_Rear's hips (20-40 px apart as he
# walks away) swing to 30-55° for several frames in both strides, og_front_2persons_rotated's
# to 50° for four frames; peak to peak that read 36° and 27° of pelvic drop on healthy walkers.
MAX_HIP_TILT_DEG = 20.0


def stride_drop(tilt: np.ndarray) -> float:
    """Half the peak-to-peak hip-line tilt over one stride; NaN when the hips were lost in it."""
    return float("nan") if np.max(np.abs(tilt)) > MAX_HIP_TILT_DEG else 0.5 * float(np.ptp(tilt))


def pelvis_metrics(walk: Walk) -> list[Metric]:
    """pelvic_drop_deg: per stride, half the peak-to-peak hip-line tilt; median over strides.
    A stride where the hip line reads steeper than MAX_HIP_TILT_DEG is left out (the hip
    landmarks were lost, and the peak to peak would measure the loss)."""
    if not walk.has_frontal:
        return [absent("pelvic_drop_deg", "deg", "front/back", FRONTAL_NEEDED)]
    values = per_stride(walk, hip_tilt(walk), stride_drop, frontal=True)
    reason = "no complete stride found in a front/back pass"
    if values and not np.isfinite(values).any():
        reason = f"the hip landmarks were lost in every stride (hip line steeper than {MAX_HIP_TILT_DEG:.0f}°)"
    return [over_strides("pelvic_drop_deg", values, "deg", "front/back", reason)]
