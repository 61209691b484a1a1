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
    pitches = []
    for side in ("left", "right"):
        pitch = foot_pitch(walk, side)
        for frame in walk.events.heel_strikes[side]:
            if np.isfinite(pitch[frame]):
                pitches.append(float(pitch[frame]))
    if not pitches:
        return [absent("heel_strike_pct", "%", "side", "no heel strike found in a side pass")]
    share = 100.0 * float(np.mean(np.array(pitches) > HEEL_FIRST_DEG))
    return [Metric("heel_strike_pct", share, "%", "side", len(pitches), "events",
                   {"foot_pitch_deg": [round(p, 1) for p in pitches]})]
