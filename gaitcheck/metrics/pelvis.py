"""Core and glutes (proxy): pelvic drop, the hip line's tilt swing over a stride (front/back)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import steady_tilt
from gaitcheck.metrics.strides import first_harmonic_range, stride_windows
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
    """Half the peak-to-peak hip-line tilt over one stride (frames from one heel strike to the
    next, NaN where missing), read from its first harmonic (`first_harmonic_range`); NaN when
    the hips were lost in it.

    The hip line drops to one side and then the other once per stride. Its raw peak-to-peak
    added the frame noise's extremes: ordinary synthetic walkers (drawn 2.6-4.4°) read over
    the 5° where engage_core warns on 12 of the 32 such clips of the seeded suite and fresh
    seeds (5.1-7.6°), 4 of 32 so; a third seed set (reseed 9100) warns on 3 of 16 either way;
    the real og_front_2persons_rotated walker read 5.1° raw, 3.8° so. The model's hips follow
    a drawn 11° drop only in part either way (1.6-6.8° so, 3.4-5.2° raw)."""
    tilt = np.asarray(tilt, dtype=float)
    if np.isfinite(tilt).any() and np.nanmax(np.abs(tilt)) > MAX_HIP_TILT_DEG:
        return float("nan")
    return 0.5 * first_harmonic_range(tilt)


def pelvis_metrics(walk: Walk) -> list[Metric]:
    """pelvic_drop_deg: per stride, half the peak-to-peak of the hip-line tilt's first
    harmonic; median over strides. A stride where the hip line reads steeper than
    MAX_HIP_TILT_DEG is left out (the hip landmarks were lost, and the swing would measure
    the loss)."""
    if not walk.has_frontal:
        return [absent("pelvic_drop_deg", "deg", "front/back", FRONTAL_NEEDED)]
    tilt = hip_tilt(walk)
    values = [stride_drop(tilt[start:stop]) for start, stop in stride_windows(walk, frontal=True)]
    reason = "no complete stride found in a front/back pass"
    if values and not np.isfinite(values).any():
        reason = f"the hip landmarks were lost in every stride (hip line steeper than {MAX_HIP_TILT_DEG:.0f}°)"
    return [over_strides("pelvic_drop_deg", values, "deg", "front/back", reason)]
