"""Head over shoulders and gaze: head forward and pitch (side view), head tilt (front/back)."""
from __future__ import annotations

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import below_horizontal, from_vertical, line_tilt, mid_shoulder, midpoint
from gaitcheck.metrics.summary import Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk

SIDE_NEEDED = "needs a side view: film the walk from the side"
FRONTAL_NEEDED = "needs a front or back view: film walking towards or away from the camera"


def head_metrics(walk: Walk) -> list[Metric]:
    """head_forward_deg: mid-shoulder→mid-ear from vertical, + forward.
    head_pitch_deg: mid-ear→mid-eye below horizontal, + looking down.
    head_tilt_deg: the ear line from horizontal, + the subject's right ear lower."""
    ear = midpoint(walk.xy, L.LEFT_EAR, L.RIGHT_EAR)
    eye = midpoint(walk.xy, L.LEFT_EYE, L.RIGHT_EYE)
    out = []
    if walk.has_side:
        out.append(over_frames("head_forward_deg", from_vertical(ear - mid_shoulder(walk.xy), walk.forward), "deg", "side"))
        out.append(over_frames("head_pitch_deg", below_horizontal(eye - ear, walk.forward), "deg", "side"))
    else:
        out += [absent("head_forward_deg", "deg", "side", SIDE_NEEDED), absent("head_pitch_deg", "deg", "side", SIDE_NEEDED)]
    if walk.has_frontal:
        tilt = line_tilt(walk.xy[:, L.LEFT_EAR], walk.xy[:, L.RIGHT_EAR], walk.right)
        out.append(over_frames("head_tilt_deg", tilt, "deg", "front/back"))
    else:
        out.append(absent("head_tilt_deg", "deg", "front/back", FRONTAL_NEEDED))
    return out
