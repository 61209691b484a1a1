"""Per-frame and per-stride values behind the metrics, for CSV files, plots and key frames.

The metric modules summarise; these tables keep every frame and every stride so a reader can
see where a median came from. Each column is computed with the same angle primitives and the
same per-frame signs (`gaitcheck.metrics.walk.Walk`) as the metric of the same name; frames
outside a pass of the right kind are NaN. tests/test_report_csv.py checks that the median of
each column equals the metric of the same name, so the two cannot drift apart unnoticed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitcheck.analysis import Analysis
from gaitcheck.metrics import POSE_MODEL_BIAS
from gaitcheck.metrics.arms import arm_angle, elbow_flare, stride_swing
from gaitcheck.metrics.head import head_forward, head_pitch, head_tilt
from gaitcheck.metrics.pelvis import hip_tilt, stride_drop
from gaitcheck.metrics.shoulders import shoulder_tilt
from gaitcheck.metrics.trunk import lateral_trunk_lean, trunk_lean
from gaitcheck.metrics.feet import foot_pitch
from gaitcheck.metrics.strides import MIN_COVER
from gaitcheck.metrics.walk import Walk, build_walk

# Per-frame columns; a name that is also a metric name is the series that metric summarises.
FRAME_COLUMNS = (
    "trunk_lean_deg", "lateral_trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "head_tilt_deg",
    "shoulder_tilt_deg", "hip_tilt_deg", "elbow_flare_deg", "arm_left_deg", "arm_right_deg",
    "foot_pitch_left_deg", "foot_pitch_right_deg",
)
# Which per-frame column shows each metric that is not itself a per-frame median.
SHOWN_BY = {"pelvic_drop_deg": "hip_tilt_deg", "arm_swing_left_deg": "arm_left_deg",
            "arm_swing_right_deg": "arm_right_deg", "arm_swing_asymmetry_pct": "arm_left_deg",
            "arm_leg_coordination": "arm_left_deg", "heel_strike_pct": "foot_pitch_left_deg"}
STRIDE_COLUMNS = ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "lateral_trunk_lean_deg",
                  "shoulder_tilt_deg", "elbow_flare_deg", "pelvic_drop_deg", "arm_swing_left_deg",
                  "arm_swing_right_deg")


@dataclass(frozen=True)
class Stride:
    """One stride (heel strike to the same foot's next) and its per-stride values."""

    side: str
    start: int
    stop: int
    start_s: float  # the strikes' sub-frame times, as the step metrics take them
    stop_s: float
    plane: str  # "side", "front/back" or "" (across a turn)
    values: dict[str, float]


def walk_of(analysis: Analysis) -> Walk:
    return build_walk(analysis.series, analysis.view, analysis.events, POSE_MODEL_BIAS)


def frame_series(walk: Walk) -> dict[str, np.ndarray]:
    """Every per-frame angle the metrics use, by column name, each (T,), with the pose
    model's known bias taken off as the metrics take it off (reports come from its landmarks)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        columns = {
            "trunk_lean_deg": trunk_lean(walk),
            "lateral_trunk_lean_deg": lateral_trunk_lean(walk),
            "head_forward_deg": head_forward(walk),
            "head_pitch_deg": head_pitch(walk),
            "head_tilt_deg": head_tilt(walk),
            "shoulder_tilt_deg": shoulder_tilt(walk),
            "hip_tilt_deg": hip_tilt(walk),
            "elbow_flare_deg": elbow_flare(walk),
            "arm_left_deg": arm_angle(walk, "left"),
            "arm_right_deg": arm_angle(walk, "right"),
            "foot_pitch_left_deg": foot_pitch(walk, "left"),
            "foot_pitch_right_deg": foot_pitch(walk, "right"),
        }
    return {name: values - walk.bias.offsets.get(name, 0.0) for name, values in columns.items()}


def _median(values: np.ndarray) -> float:
    return float(np.median(values))


def _over_stride(values: np.ndarray, summary) -> float:
    """`summary` of one stride's finite values, NaN when too few frames have one."""
    finite = values[np.isfinite(values)]
    if len(values) < 3 or len(finite) < MIN_COVER * len(values):
        return float("nan")
    return summary(finite)


# Per-stride column -> (per-frame column, summary): medians for postures, and for swings the
# same per-stride summary the metric uses (so the table's strides add up to the report's value).
_STRIDE_SUMMARY = {
    "trunk_lean_deg": ("trunk_lean_deg", _median), "head_forward_deg": ("head_forward_deg", _median),
    "head_pitch_deg": ("head_pitch_deg", _median), "lateral_trunk_lean_deg": ("lateral_trunk_lean_deg", _median),
    "shoulder_tilt_deg": ("shoulder_tilt_deg", _median), "elbow_flare_deg": ("elbow_flare_deg", _median),
}
# Swings are fitted over the whole stride, gaps included (the fit needs each frame's phase).
_STRIDE_SWING = {"arm_swing_left_deg": ("arm_left_deg", stride_swing),
                 "arm_swing_right_deg": ("arm_right_deg", stride_swing),
                 "pelvic_drop_deg": ("hip_tilt_deg", stride_drop)}


def stride_table(walk: Walk, frames: dict[str, np.ndarray] | None = None) -> list[Stride]:
    """Every stride of both feet, in time order, with its per-stride values (NaN where the
    stride lies outside a pass that measures them)."""
    frames = frames if frames is not None else frame_series(walk)
    out = []
    for side in ("left", "right"):
        for start, stop in walk.strides(side):
            if np.isfinite(walk.forward[start:stop]).all():
                plane = "side"
            elif np.isfinite(walk.right[start:stop]).all():
                plane = "front/back"
            else:
                plane = ""
            values = {name: _over_stride(frames[column][start:stop], summary)
                      for name, (column, summary) in _STRIDE_SUMMARY.items()}
            values.update({name: swing(frames[column][start:stop]) for name, (column, swing) in _STRIDE_SWING.items()})
            out.append(Stride(side, int(start), int(stop), walk.events.strike_time(start), walk.events.strike_time(stop),
                              plane, values))
    return sorted(out, key=lambda s: (s.start, s.side))
