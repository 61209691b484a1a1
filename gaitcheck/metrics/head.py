"""Head over shoulders and gaze: head forward and pitch (side view), head tilt (front/back)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import below_horizontal, from_vertical, mid_shoulder, midpoint, steady_tilt
from gaitcheck.metrics.summary import Metric, absent, over_frames
from gaitcheck.metrics.walk import Walk

# On a level head the eye sits above the ear: eye height ~0.936 and tragion ~0.925 of stature,
# the eye ~8 cm (0.045 of stature) in front of it, so the ear→eye line rises ~14°. MediaPipe's
# ear and eye landmarks on five real side-view walkers looking ahead gave −13° to −20°.
# head_pitch_deg is measured from that level line: 0 = looking ahead, + = looking down.
LEVEL_EYE_RISE_DEG = 13.7

SIDE_NEEDED = "needs a side view: film the walk from the side"
FRONTAL_NEEDED = "needs a front or back view: film walking towards or away from the camera"


def head_forward(walk: Walk) -> np.ndarray:
    """Per frame: mid-shoulder→mid-ear from vertical, + forward (side passes)."""
    return from_vertical(midpoint(walk.xy, L.LEFT_EAR, L.RIGHT_EAR) - mid_shoulder(walk.xy), walk.forward)


def head_pitch(walk: Walk) -> np.ndarray:
    """Per frame: mid-ear→mid-eye below a level head's line, + looking down (side passes)."""
    ear = midpoint(walk.xy, L.LEFT_EAR, L.RIGHT_EAR)
    eye = midpoint(walk.xy, L.LEFT_EYE, L.RIGHT_EYE)
    return below_horizontal(eye - ear, walk.forward) + LEVEL_EYE_RISE_DEG


def head_tilt(walk: Walk) -> np.ndarray:
    """Per frame: the ear line from horizontal, + right ear lower (front/back passes)."""
    return steady_tilt(walk.xy, L.LEFT_EAR, L.RIGHT_EAR, walk.right)


def head_metrics(walk: Walk) -> list[Metric]:
    """head_forward_deg: mid-shoulder→mid-ear from vertical, + forward.
    head_pitch_deg: mid-ear→mid-eye below horizontal, + looking down, from a level head's line.
    head_tilt_deg: the ear line from horizontal, + the subject's right ear lower."""
    out = []
    if walk.has_side:
        out.append(over_frames("head_forward_deg", head_forward(walk), "deg", "side"))
        out.append(over_frames("head_pitch_deg", head_pitch(walk), "deg", "side"))
    else:
        out += [absent("head_forward_deg", "deg", "side", SIDE_NEEDED), absent("head_pitch_deg", "deg", "side", SIDE_NEEDED)]
    if walk.has_frontal:
        out.append(over_frames("head_tilt_deg", head_tilt(walk), "deg", "front/back"))
    else:
        out.append(absent("head_tilt_deg", "deg", "front/back", FRONTAL_NEEDED))
    return out
