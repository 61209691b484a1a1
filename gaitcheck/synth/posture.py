"""Posture parameters of the synthetic walker, and the named presets that set them.

Every angle is the value the drawn figure shows in the image, measured the way
../shared/DESIGN.md defines the matching metric, so a preset reads like the truth it yields:
`trunk_lean_deg=10` draws a hip→shoulder line 10° from vertical, towards the walking direction.
Frontal angles are + towards the subject's right (right side lower / displaced right).
"""
from __future__ import annotations

from dataclasses import dataclass, fields, replace


@dataclass(frozen=True)
class Posture:
    """What the walker does; the defaults are an unremarkable, healthy walk."""

    trunk_lean_deg: float = 3.0  # sagittal, mid-hip→mid-shoulder from vertical, + forward
    lateral_lean_deg: float = 0.0  # frontal, + shoulders displaced to the subject's right
    head_forward_deg: float = 6.0  # mid-shoulder→mid-ear from vertical, + forward
    # Head turned down from level, + looking down: the ear→eye line below the line it has on a
    # level head (the eye sits ~14° above the ear), as gaitcheck's head_pitch_deg measures it.
    head_pitch_deg: float = 0.0
    head_tilt_deg: float = 0.0  # ear line from horizontal, + right ear lower
    shoulder_tilt_deg: float = 0.0  # shoulder line from horizontal, + right shoulder lower
    elbow_flare_deg: float = 8.0  # upper arm abduction from the trunk, frontal plane
    arm_swing_left_deg: float = 36.0  # peak-to-peak of the upper arm angle to the trunk
    arm_swing_right_deg: float = 36.0
    arm_midline_deg: float = 28.0  # forearm turn towards the midline at the forward swing
    step_scale_left: float = 1.0  # hip flexion amplitude of the left leg (step length)
    step_scale_right: float = 1.0
    step_time_asymmetry: float = 0.0  # left step time minus right, as a share of the stride
    stride_time_jitter: float = 0.01  # coefficient of variation of stride durations
    cadence_spm: float = 108.0  # steps per minute
    heel_strike: bool = True  # heel first (True) or flat-footed contact (False)
    pelvic_drop_deg: float = 4.0  # peak hip-line tilt (swing side down) in single stance


# Preset name -> the fields it changes from the defaults. Combine with "+": "slouch+stiff_arms".
PRESETS: dict[str, dict[str, float | bool]] = {
    "good": {},
    "slouch": {"trunk_lean_deg": 16.0, "head_forward_deg": 24.0},
    "forward_head": {"head_forward_deg": 30.0},
    "looking_down": {"head_pitch_deg": 28.0},
    "stiff_arms": {"arm_swing_left_deg": 0.0, "arm_swing_right_deg": 0.0, "arm_midline_deg": 0.0},
    "uneven_arms": {"arm_swing_left_deg": 40.0, "arm_swing_right_deg": 12.0},
    "elbows_out": {"elbow_flare_deg": 34.0},
    "shoulder_tilt": {"shoulder_tilt_deg": 7.0},
    "head_tilt": {"head_tilt_deg": 12.0},
    "side_lean": {"lateral_lean_deg": 8.0},
    # a limp: right steps 0.8 as long, left steps 0.54 of the stride (step time asymmetry 16%)
    "uneven_steps": {"step_scale_left": 1.0, "step_scale_right": 0.8, "step_time_asymmetry": 0.08},
    "irregular_steps": {"stride_time_jitter": 0.09},
    "flat_foot": {"heel_strike": False},
    "hip_drop": {"pelvic_drop_deg": 11.0},
    "arms_parallel": {"arm_midline_deg": 0.0},
}


def preset_fields(spec: str) -> set[str]:
    """The posture fields a preset string sets explicitly."""
    return {key for name in spec.split("+") for key in PRESETS.get(name.strip(), {})}


def natural_variation(posture: Posture, fixed: set[str], rng) -> Posture:
    """A healthy walker's own style: the fields not in `fixed` drawn around the defaults.

    Every range stays well inside the passing side of each rule, so a `good` walker still
    passes everything, but no two walkers are alike and nothing gets tuned to one value.
    Step lengths and timing stay symmetric: with a marked hip drop even a 1% asymmetry in
    them moves the foot contacts by ~10%.
    """
    swing = float(rng.uniform(28.0, 44.0))
    draws = {
        "trunk_lean_deg": rng.uniform(1.0, 5.0),
        "lateral_lean_deg": rng.uniform(-1.5, 1.5),
        "head_forward_deg": rng.uniform(2.0, 11.0),
        "head_pitch_deg": rng.uniform(-4.0, 4.0),
        "head_tilt_deg": rng.uniform(-2.0, 2.0),
        "shoulder_tilt_deg": rng.uniform(-1.5, 1.5),
        "elbow_flare_deg": rng.uniform(5.0, 12.0),
        "arm_swing_left_deg": swing * rng.uniform(0.95, 1.05),
        "arm_swing_right_deg": swing * rng.uniform(0.95, 1.05),
        "arm_midline_deg": rng.uniform(18.0, 35.0),
        "stride_time_jitter": rng.uniform(0.005, 0.015),
        "pelvic_drop_deg": rng.uniform(2.5, 4.5),
    }
    return replace(posture, **{k: round(float(v), 3) for k, v in draws.items() if k not in fixed})


def preset_names() -> list[str]:
    """The preset names, in a stable order for help texts."""
    return list(PRESETS)


def posture_from_preset(spec: str, **overrides: float | bool) -> Posture:
    """Build a posture from "name" or "name+name+…", then apply explicit field overrides.

    Later presets win where two set the same field. Raises ValueError on an unknown name.
    """
    values: dict[str, float | bool] = {}
    for name in (part.strip() for part in spec.split("+")):
        if name not in PRESETS:
            raise ValueError(f"unknown preset {name!r} (known: {', '.join(PRESETS)})")
        values.update(PRESETS[name])
    known = {f.name for f in fields(Posture)}
    for key, value in overrides.items():
        if key not in known:
            raise ValueError(f"unknown posture field {key!r}")
        if value is not None:
            values[key] = value
    return replace(Posture(), **values)
