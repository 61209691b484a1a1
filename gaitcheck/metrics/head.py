"""Head over shoulders and gaze: head forward and pitch (side view), head tilt (front/back)."""
from __future__ import annotations

import warnings

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import from_vertical, mid_shoulder, midpoint, steady_tilt
from gaitcheck.metrics.shoulders import shoulder_tilt
from gaitcheck.metrics.summary import FRONTAL_NEEDED, SIDE_NEEDED, Metric, absent, over_frames
from gaitcheck.metrics.trunk import lateral_trunk_lean
from gaitcheck.metrics.walk import Walk

# head_pitch_deg is the turn of the face line (mouth corner → eye) forward of where it stands on
# a level head, + looking down. DESIGN.md names the ear→eye line; the head is rigid, so both
# lines turn by the same pitch, and the face line needs no ear: the pose model guesses the far
# ear in profile and places the near one ahead of the real ear (see POSE_MODEL_BIAS). On the
# synthetic walkers (pose model in the loop, the same bias taken off) the near side's face line
# read head pitch with MAE 3.46° / 3.58° (seeded suite / fresh seeds) against 3.96° / 4.41° for
# the ear→eye line. On a level head the eye sits almost over the mouth corner, its line leaning
# ~4° back (the synthetic walkers' face, drawn from head anthropometry).
LEVEL_FACE_LEAN_DEG = -3.9


def head_forward(walk: Walk) -> np.ndarray:
    """Per frame: mid-shoulder→mid-ear from vertical, + forward (side passes)."""
    return from_vertical(midpoint(walk.xy, L.LEFT_EAR, L.RIGHT_EAR) - mid_shoulder(walk.xy), walk.forward)


def near_face_line(walk: Walk) -> np.ndarray:
    """Per frame (T, 2): mouth corner → eye on the side of the face the pose model sees better
    (in profile the other eye and mouth corner are hidden and guessed); both sides' mean where
    it sees them alike, so a mirrored clip reads the same."""
    vis = walk.visibility
    seen = vis[:, L.LEFT_EYE] + vis[:, L.MOUTH_LEFT] - vis[:, L.RIGHT_EYE] - vis[:, L.MOUTH_RIGHT]
    left = walk.xy[:, L.LEFT_EYE] - walk.xy[:, L.MOUTH_LEFT]
    right = walk.xy[:, L.RIGHT_EYE] - walk.xy[:, L.MOUTH_RIGHT]
    weight = (np.sign(seen)[:, None] + 1.0) / 2.0  # 1 left, 0 right, 0.5 alike
    return weight * left + (1.0 - weight) * right


def head_pitch(walk: Walk) -> np.ndarray:
    """Per frame: the near side's face line (mouth corner→eye) turned forward of a level head's,
    + looking down (side passes), less the share of head forward the landmarks are known to add."""
    face = from_vertical(near_face_line(walk), walk.forward) - LEVEL_FACE_LEAN_DEG
    if walk.bias.pitch_per_head_forward:
        face = face - walk.bias.pitch_per_head_forward * head_forward(walk)
    return face


# The head is rigid: its ear line, eye line and mouth line turn by the same roll, and each pair
# of the pose model's landmarks is off by its own noise. Head tilt is their mean, frame by frame,
# where the camera sees the face; from behind it sees the ears but not the eyes and mouth, which
# the model then guesses (their visibility still reads ~1), so there the ear line alone counts.
# On the synthetic walkers (suite / fresh seeds) that read head tilt with MAE 1.41° / 1.39°,
# against 1.64° / 1.44° for the ear line alone and 1.53° / 1.37° for all three lines from
# behind too (back clips alone: ear line 0.67° / 1.05°, three lines 1.09° / 0.99°; the mouth
# line read up to 3.6° off there), with the same lean and shoulder shares off.
HEAD_ROLL_PAIRS = ((L.LEFT_EAR, L.RIGHT_EAR), (L.LEFT_EYE, L.RIGHT_EYE), (L.MOUTH_LEFT, L.MOUTH_RIGHT))


def head_roll(walk: Walk) -> np.ndarray:
    """Per frame: the mean tilt of the head's left/right landmark pairs (ears, eyes, mouth
    corners; the ears alone from behind), + the subject's right side lower; pairs that
    collapsed that frame count for nothing."""
    tilts = np.stack([steady_tilt(walk.xy, a, b, walk.right) for a, b in HEAD_ROLL_PAIRS])
    tilts[1:, ~walk.facing] = np.nan  # the face is hidden from behind
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a frame with no pair: NaN, as meant
        return np.nanmean(tilts, axis=0)


def head_tilt(walk: Walk) -> np.ndarray:
    """Per frame: the head's roll (`head_roll`), + right side lower (front/back passes), less the
    shares of sideways trunk lean and of shoulder tilt the landmarks are known to add."""
    tilt = head_roll(walk)
    if walk.bias.tilt_per_lateral_lean:
        tilt = tilt - walk.bias.tilt_per_lateral_lean * lateral_trunk_lean(walk)
    if walk.bias.tilt_per_shoulder_tilt:
        shoulders = np.nan_to_num(per_pass_median(shoulder_tilt(walk), walk.right))  # none seen: none off
        tilt = tilt - walk.bias.tilt_per_shoulder_tilt * shoulders
    return tilt


def per_pass_median(values: np.ndarray, sign: np.ndarray) -> np.ndarray:
    """Per frame: the median of `values` over the frame's pass, a run of frames where `sign`
    (a Walk's `right` or `forward`) is finite and the same; NaN outside passes.

    The head-tilt share of shoulder tilt comes off as the shoulders' steady tilt over the pass,
    not frame by frame: the pose model's shoulder line swings ±5-7° with the arms (a walker
    swinging the hands across the body), and taken off frame by frame that swing moved one
    level head's median tilt from 2.6° to 4.2°."""
    out = np.full(len(values), np.nan)
    label = np.where(np.isfinite(sign), sign, 0.0)
    edges = np.flatnonzero(np.diff(label)) + 1
    for start, stop in zip(np.r_[0, edges], np.r_[edges, len(label)]):
        span = values[start:stop]
        if label[start] != 0 and np.isfinite(span).any():
            out[start:stop] = np.nanmedian(span)
    return out


def head_metrics(walk: Walk) -> list[Metric]:
    """head_forward_deg: mid-shoulder→mid-ear from vertical, + forward.
    head_pitch_deg: the face line (mouth→eye) turned forward of a level head's, + looking down.
    head_tilt_deg: the head's roll from its ear, eye and mouth lines, + the subject's right side lower."""
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
