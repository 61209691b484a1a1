"""Stand tall: trunk lean forward/back (side view) and sideways (front/back view)."""
from __future__ import annotations

from gaitcheck.metrics.angles import from_vertical, mid_hip, mid_shoulder
from gaitcheck.metrics.summary import Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk


def trunk_metrics(walk: Walk) -> list[Metric]:
    """trunk_lean_deg: mid-hip→mid-shoulder from vertical, + forward (side).
    lateral_trunk_lean_deg: the same line, + towards the subject's right (front/back)."""
    axis = mid_shoulder(walk.xy) - mid_hip(walk.xy)
    out = []
    if walk.has_side:
        out.append(over_frames("trunk_lean_deg", from_vertical(axis, walk.forward), "deg", "side"))
    else:
        out.append(absent("trunk_lean_deg", "deg", "side", "needs a side view: film the walk from the side"))
    if walk.has_frontal:
        out.append(over_frames("lateral_trunk_lean_deg", from_vertical(axis, walk.right), "deg", "front/back"))
    else:
        out.append(absent("lateral_trunk_lean_deg", "deg", "front/back",
                          "needs a front or back view: film walking towards or away from the camera"))
    return out
