"""Arms: elbows at the sides and across the midline (front/back), natural swing (side)."""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import mid_hip, mid_shoulder, thigh_angle, to_trunk
from gaitcheck.metrics.strides import first_harmonic_range, per_stride, stride_windows
from gaitcheck.metrics.summary import FRONTAL_NEEDED, SIDE_NEEDED, Metric, absent, asymmetry_pct, over_frames, over_strides
from gaitcheck.metrics.walk import Walk

ARMS = {
    "left": (L.LEFT_SHOULDER, L.LEFT_ELBOW, L.LEFT_WRIST, L.LEFT_HIP, L.LEFT_KNEE),
    "right": (L.RIGHT_SHOULDER, L.RIGHT_ELBOW, L.RIGHT_WRIST, L.RIGHT_HIP, L.RIGHT_KNEE),
}
NEAR_VISIBILITY = 0.5  # an arm's mean elbow visibility over a stride at or above which it is the near arm
MAX_SWING_DEG = 120.0  # more than this over one stride is a lost track or a turn (walking swings span ~20-60°)
FAR_SIDE_ONLY = ("this arm was only seen from the far side, behind the body, where the pose model guesses "
                 "the elbow and reads half to two thirds of the swing: film the walk past the camera the "
                 "other way too")
FAR_ARM_ONLY = ("one arm was only seen from the far side, behind the body, where its swing cannot be measured "
                "reliably: film the walk past the camera in both directions to compare the arms")
MIN_SWING_FOR_COORDINATION = 3.0  # degrees: below this an arm does not swing enough to correlate
TRAVEL_PERCENTILE = 10.0  # wrist travel: range between this percentile and its mirror, per stride


def travel_range(values: np.ndarray) -> float:
    """How far a stride's values travel, leaving out the extreme tenth at each end: a frame or
    two of wrist jitter then adds little (arms held still read 0.12 shoulder widths as a full
    peak-to-peak, 0.05 this way, against 0.0 drawn; swinging arms lose ~0.02)."""
    low, high = np.percentile(values, [TRAVEL_PERCENTILE, 100.0 - TRAVEL_PERCENTILE])
    return float(high - low)


def arm_angle(walk: Walk, side: str) -> np.ndarray:
    """Signed shoulder→elbow angle to the trunk axis, + forward (side passes only), with the
    share of the swing the landmark source is known to miss put back (`ModelBias`)."""
    shoulder, elbow, *_ = ARMS[side]
    return walk.bias.arm_angle_gain * to_trunk(walk.xy, shoulder, elbow, walk.forward)


def stride_swing(values: np.ndarray) -> float:
    """Peak-to-peak of one stride's arm angle, read from the swing's first harmonic
    (`first_harmonic_range`). The raw peak-to-peak picked up the frame noise's extremes: arms
    held still read 4-7° against 2-3° here, and each arm's own noise went into the left/right
    asymmetry (both-ways walks of the seeded suite: asymmetry MAE 12.3 points raw, 8.7 so)."""
    return first_harmonic_range(values)


def outward_sign(walk: Walk, shoulder: int) -> np.ndarray:
    """Per frame: the screen-x side (+1/−1) of this shoulder from the mid-shoulder, across the
    trunk (front/back passes; NaN elsewhere). An arm flares and a wrist travels "out" towards
    its own shoulder's side of the picture.

    From the picture, not from the labels: the pose model sometimes labels a walker seen from
    behind as if facing the camera (two of four freshly seeded synthetic back views), and a
    sign taken from the label and the walking direction then turns every flare inwards."""
    down = mid_hip(walk.xy) - mid_shoulder(walk.xy)
    across = np.stack([down[:, 1], -down[:, 0]], axis=-1)  # screen +x when upright
    side = np.sign(np.sum((walk.xy[:, shoulder] - mid_shoulder(walk.xy)) * across, axis=1))
    return np.where(np.isfinite(walk.right) & (side != 0), side, np.nan)


def elbow_flare(walk: Walk) -> np.ndarray:
    """Per frame: mean of both arms' shoulder→elbow angle to the trunk axis, + away from the
    body, towards the arm's own side (front/back passes)."""
    return 0.5 * (to_trunk(walk.xy, L.LEFT_SHOULDER, L.LEFT_ELBOW, outward_sign(walk, L.LEFT_SHOULDER))
                  + to_trunk(walk.xy, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, outward_sign(walk, L.RIGHT_SHOULDER)))


def swing_per_stride(walk: Walk, side: str, angle: np.ndarray) -> tuple[list[float], list[float]]:
    """Per-stride arm swing (`stride_swing`), split into strides where this arm is the near one
    (its elbow seen with visibility ≥ NEAR_VISIBILITY on average) and the others.

    In a side view the far arm swings behind the body: the pose model guesses its elbow (mean
    visibility 0.03-0.2 on synthetic and real walkers, against 0.94-1.0 for the near arm) and
    read 50-70% of the drawn swing on 10 of 22 seeded synthetic side clips. A stride spanning
    more than MAX_SWING_DEG is a lost track or a turn, not a swing, and is left out."""
    elbow = ARMS[side][1]
    near, far = [], []
    for start, stop in stride_windows(walk):
        window = angle[start:stop]
        swing = stride_swing(window)
        if not np.isfinite(swing) or np.nanmax(window) - np.nanmin(window) > MAX_SWING_DEG:
            continue
        seen = float(np.nanmean(walk.visibility[start:stop, elbow]))
        (near if seen >= NEAR_VISIBILITY else far).append(swing)
    return near, far


def swing_asymmetry(left: Metric, right: Metric) -> Metric:
    """arm_swing_asymmetry_pct from the two arms' swings (both present), which may come from
    two clips of one walk: each side view sees one arm from the near side."""
    return Metric("arm_swing_asymmetry_pct", asymmetry_pct(left.value, right.value), "%", "side",
                  min(left.n, right.n), "strides")


def swing_metrics(walk: Walk) -> list[Metric]:
    """arm_swing_{left,right}_deg (per-stride peak-to-peak of the arm angle), their asymmetry,
    and arm_leg_coordination (−correlation of each arm with its own thigh: + = opposition)."""
    names = ("arm_swing_left_deg", "arm_swing_right_deg", "arm_swing_asymmetry_pct", "arm_leg_coordination")
    if not walk.has_side:
        return [absent(name, "%" if name.endswith("pct") else ("r" if name.endswith("coordination") else "deg"),
                       "side", SIDE_NEEDED) for name in names]
    out, swings, coordination, far_only = [], {}, [], {}
    for side in ("left", "right"):
        angle = arm_angle(walk, side)
        near, far = swing_per_stride(walk, side, angle)
        far_only[side] = bool(far) and not near
        if far_only[side]:
            metric = absent(f"arm_swing_{side}_deg", "deg", "side", FAR_SIDE_ONLY)
        else:
            metric = over_strides(f"arm_swing_{side}_deg", near, "deg", "side", "no complete stride found in a side pass")
        if metric.present:
            metric = replace(metric, spread={**metric.spread, "seen_from": "near side"})
        out.append(metric)
        swings[side] = metric
        _, _, _, hip, knee = ARMS[side]
        thigh = thigh_angle(walk.xy, hip, knee, walk.forward)
        both = np.isfinite(angle) & np.isfinite(thigh)
        if both.sum() >= 10 and np.ptp(angle[both]) >= MIN_SWING_FOR_COORDINATION:
            coordination.append(-float(np.corrcoef(angle[both], thigh[both])[0, 1]))
    left, right = swings["left"], swings["right"]
    if left.present and right.present:
        out.append(swing_asymmetry(left, right))
    elif any(far_only.values()):
        out.append(absent("arm_swing_asymmetry_pct", "%", "side", FAR_ARM_ONLY))
    else:
        out.append(absent("arm_swing_asymmetry_pct", "%", "side", "needs the swing of both arms"))
    if coordination:
        out.append(Metric("arm_leg_coordination", float(np.mean(coordination)), "r", "side",
                          int(np.isfinite(walk.forward).sum()), "frames", {"per_arm": [round(c, 3) for c in coordination]}))
    else:
        out.append(absent("arm_leg_coordination", "r", "side", "the arms do not swing enough to compare with the legs"))
    return out


def flare_metrics(walk: Walk) -> list[Metric]:
    """elbow_flare_deg: shoulder→elbow against the trunk axis, + away from the body, mean of
    both arms per frame (front/back); arm_midline_crossing: per stride and arm, how far the
    wrist travels towards the trunk axis, in shoulder widths (front view)."""
    if not walk.has_frontal:
        return [absent("elbow_flare_deg", "deg", "front/back", FRONTAL_NEEDED),
                absent("arm_midline_crossing", "shoulder widths", "front", FRONTAL_NEEDED)]
    out = [over_frames("elbow_flare_deg", elbow_flare(walk), "deg", "front/back")]
    if not walk.facing.any():
        out.append(absent("arm_midline_crossing", "shoulder widths", "front",
                          "judged from the front: film walking towards the camera"))
        return out
    shoulder = mid_shoulder(walk.xy)
    down = mid_hip(walk.xy) - shoulder
    down = down / np.linalg.norm(down, axis=1, keepdims=True)
    across = np.stack([down[:, 1], -down[:, 0]], axis=-1)
    width = np.linalg.norm(walk.xy[:, L.RIGHT_SHOULDER] - walk.xy[:, L.LEFT_SHOULDER], axis=1)
    travel = []
    for side in ("left", "right"):
        sign = np.where(walk.facing, outward_sign(walk, ARMS[side][0]), np.nan)
        wrist = ARMS[side][2]
        outward = sign * np.sum((walk.xy[:, wrist] - shoulder) * across, axis=1) / width
        travel += per_stride(walk, outward, travel_range, frontal=True)
    out.append(over_strides("arm_midline_crossing", travel, "shoulder widths", "front",
                            "no complete stride found walking towards the camera"))
    return out
