"""Stand tall: trunk lean forward/back (side view) and sideways (front/back view)."""
from __future__ import annotations

import numpy as np

from gaitcheck.metrics.angles import from_vertical, mid_hip, mid_shoulder
from gaitcheck.metrics.summary import Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk


def trunk_lean(walk: Walk) -> np.ndarray:
    """Per frame: mid-hip→mid-shoulder from vertical, + forward (NaN outside side passes)."""
    return from_vertical(mid_shoulder(walk.xy) - mid_hip(walk.xy), walk.forward)


def lateral_trunk_lean(walk: Walk) -> np.ndarray:
    """Per frame: the same line, + towards the subject's right (NaN outside front/back passes)."""
    return from_vertical(mid_shoulder(walk.xy) - mid_hip(walk.xy), walk.right)


def trunk_metrics(walk: Walk) -> list[Metric]:
    """trunk_lean_deg (side) and lateral_trunk_lean_deg (front/back): medians over frames."""
    out = []
    if walk.has_side:
        out.append(over_frames("trunk_lean_deg", trunk_lean(walk), "deg", "side"))
    else:
        out.append(absent("trunk_lean_deg", "deg", "side", "needs a side view: film the walk from the side"))
    if walk.has_frontal:
        out.append(over_frames("lateral_trunk_lean_deg", lateral_trunk_lean(walk), "deg", "front/back"))
    else:
        out.append(absent("lateral_trunk_lean_deg", "deg", "front/back",
                          "needs a front or back view: film walking towards or away from the camera"))
    return out
