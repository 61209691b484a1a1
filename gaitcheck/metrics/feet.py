"""Heel to toe: the share of initial contacts made with the heel first (side view)."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.angles import below_horizontal
from gaitcheck.metrics.head import SIDE_NEEDED
from gaitcheck.metrics.summary import Metric, absent
from gaitcheck.metrics.walk import Walk

FEET = {"left": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX), "right": (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX)}
HEEL_FIRST_DEG = 5.0  # the heel→toe line points at least this much up at contact


def foot_pitch(walk: Walk, side: str) -> np.ndarray:
    """Heel→toe angle from horizontal, + toes up (side passes only)."""
    heel, toe = FEET[side]
    return -below_horizontal(walk.xy[:, toe] - walk.xy[:, heel], walk.forward)


def feet_metrics(walk: Walk) -> list[Metric]:
    """heel_strike_pct: share of heel strikes in side passes where the foot points toes-up by
    more than HEEL_FIRST_DEG at the moment of contact."""
    if not walk.has_side:
        return [absent("heel_strike_pct", "%", "side", SIDE_NEEDED)]
    near, far = [], []
    for side in ("left", "right"):
        pitch = foot_pitch(walk, side)
        for frame in walk.events.heel_strikes[side]:
            if np.isfinite(pitch[frame]):
                (near if is_near_foot(walk, side, frame) else far).append(float(pitch[frame]))
    pitches = near or far
    if not pitches:
        return [absent("heel_strike_pct", "%", "side", "no heel strike found in a side pass")]
    share = 100.0 * float(np.mean(np.array(pitches) > HEEL_FIRST_DEG))
    return [Metric("heel_strike_pct", share, "%", "side", len(pitches), "events",
                   {"foot_pitch_deg": [round(p, 1) for p in pitches], "foot": "near" if near else "far",
                    "far_foot_pitch_deg": [round(p, 1) for p in far] if near else []})]


def is_near_foot(walk: Walk, side: str, frame: int) -> bool:
    """Whether the foot striking at `frame` is the one nearer the camera: the pose model sees its
    heel and toe better than the other foot's (visibility).

    Only the near foot's strikes count for heel_strike_pct when there are any: the far foot is
    half hidden behind the near leg at its strike, and its heel→toe line read 0° or less on
    heel-striking synthetic walkers (5 of 22 seeded side clips read 50-80% for 100%)."""
    other = "right" if side == "left" else "left"
    mine = np.nanmean(walk.visibility[frame, list(FEET[side])])
    theirs = np.nanmean(walk.visibility[frame, list(FEET[other])])
    return bool(mine >= theirs)
