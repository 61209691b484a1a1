"""The fixed, seeded regression suite and the sample clips shipped in samples/.

The suite covers every view and every posture rule both passing and failing (a test checks
that from the truth), in short clips so that running the pose model over all of it stays a
few minutes of CPU. Changing a spec here changes the ground truth: do it on purpose.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Callable

from gaitcheck.synth.clip import ClipSpec, render_clip

LTR, RTL = "left_to_right", "right_to_left"


def _side(preset: str, seed: int, direction: str, **kw) -> ClipSpec:
    return ClipSpec(preset=preset, view="side", direction=direction, seed=seed, duration=kw.pop("duration", 3.5), **kw)


def _frontal(view: str, preset: str, seed: int, **kw) -> ClipSpec:
    return ClipSpec(preset=preset, view=view, seed=seed, duration=kw.pop("duration", 3.5), **kw)


SUITE: dict[str, ClipSpec] = {
    # Side view: sagittal rules, arm swing, steps, heel strike; both directions.
    "side_good_ltr": _side("good", 101, LTR),
    "side_good_rtl": _side("good", 102, RTL),
    "side_slouch_ltr": _side("slouch", 103, LTR),
    "side_slouch_rtl": _side("slouch", 104, RTL),
    "side_forward_head_rtl": _side("forward_head", 105, RTL),
    "side_looking_down_ltr": _side("looking_down", 106, LTR),
    "side_stiff_arms_rtl": _side("stiff_arms", 107, RTL),
    "side_uneven_arms_ltr": _side("uneven_arms", 108, LTR),
    "side_uneven_steps_rtl": _side("uneven_steps", 109, RTL),
    "side_flat_foot_ltr": _side("flat_foot", 110, LTR),
    "side_irregular_steps_rtl": _side("irregular_steps", 111, RTL, duration=6.0),
    "side_slouch_stiff_arms_ltr": _side("slouch+stiff_arms", 112, LTR),
    "side_elbows_out_rtl": _side("elbows_out", 113, RTL),
    "side_good_roll_ltr": _side("good", 114, LTR, roll_deg=6.0),
    "side_good_roll_rtl": _side("good", 115, RTL, roll_deg=-4.0),
    "side_good_treadmill_ltr": _side("good", 116, LTR, treadmill=True, duration=5.0),
    "side_good_pan_rtl": _side("good", 117, RTL, duration=8.0),
    "side_good_854x480_ltr": _side("good", 118, LTR, width=854, height=480),
    "side_good_25fps_rtl": _side("good", 119, RTL, fps=25.0),
    "side_good_portrait_rtl": _side("good", 122, RTL, width=360, height=640),
    "side_good_crossing_ltr": _side("good", 120, LTR, second_person=True),
    "side_forward_head_looking_down_ltr": _side("forward_head+looking_down", 121, LTR),
    # The same walkers walking back (same preset and seed): see BOTH_WAYS.
    "side_good_return_rtl": _side("good", 101, RTL),
    "side_uneven_arms_rtl": _side("uneven_arms", 108, RTL),
    "side_mild_uneven_arms_ltr": _side("good", 123, LTR, overrides={"arm_swing_right_deg": 24.0}),
    "side_mild_uneven_arms_rtl": _side("good", 123, RTL, overrides={"arm_swing_right_deg": 24.0}),
    # Front view (walking towards the camera): frontal rules, arm midline, step timing.
    "front_good": _frontal("front", "good", 201),
    "front_side_lean": _frontal("front", "side_lean", 202),
    "front_shoulder_tilt": _frontal("front", "shoulder_tilt", 203),
    "front_head_tilt": _frontal("front", "head_tilt", 204),
    "front_elbows_out": _frontal("front", "elbows_out", 205),
    "front_hip_drop": _frontal("front", "hip_drop", 206),
    "front_stiff_arms": _frontal("front", "stiff_arms", 207),
    "front_arms_parallel": _frontal("front", "arms_parallel", 208),
    "front_uneven_steps": _frontal("front", "uneven_steps", 209),
    "front_good_roll": _frontal("front", "good", 210, roll_deg=-6.0),
    "front_good_treadmill": _frontal("front", "good", 211, treadmill=True, duration=5.0),
    "front_good_crossing": _frontal("front", "good", 212, second_person=True),
    "front_good_portrait": _frontal("front", "good", 213, width=360, height=640),
    # Back view (walking away).
    "back_good": _frontal("back", "good", 301),
    "back_shoulder_tilt": _frontal("back", "shoulder_tilt", 302),
    "back_hip_drop": _frontal("back", "hip_drop", 303),
    "back_elbows_out": _frontal("back", "elbows_out", 304),
    "back_side_lean": _frontal("back", "side_lean", 305),
    # Oblique (towards the camera at 45°): only step timing is measurable.
    "oblique_good_ltr": ClipSpec(view="oblique", direction=LTR, seed=401, duration=3.5),
    "oblique_uneven_steps_rtl": ClipSpec(preset="uneven_steps", view="oblique", direction=RTL, seed=402, duration=3.5),
}

# Walks filmed once each way: one walker (same spec but the direction) in two clips, which
# `gaitcheck analyze A B` merges. A side view measures its near arm only, so the arm swing
# asymmetry needs both clips (bench/accuracy.py scores each pair as one report).
BOTH_WAYS: dict[str, tuple[str, str]] = {
    "side_good_both_ways": ("side_good_ltr", "side_good_return_rtl"),
    "side_uneven_arms_both_ways": ("side_uneven_arms_ltr", "side_uneven_arms_rtl"),
    "side_mild_uneven_arms_both_ways": ("side_mild_uneven_arms_ltr", "side_mild_uneven_arms_rtl"),
}

# The clips in samples/ (see samples/README.md): a little longer, still small.
SAMPLES: dict[str, ClipSpec] = {
    "walk_side_good": _side("good", 1, LTR, duration=5.0),
    "walk_side_slouch": _side("slouch", 2, RTL, duration=5.0),
    "walk_side_forward_head": _side("forward_head", 3, LTR, duration=5.0),
    "walk_side_stiff_arms": _side("stiff_arms", 4, RTL, duration=5.0),
    "walk_side_uneven_steps": _side("uneven_steps", 5, LTR, duration=5.0),
    "walk_front_good": _frontal("front", "good", 6, duration=4.0),
    "walk_front_elbows_out": _frontal("front", "elbows_out", 7, duration=4.0),
    "walk_front_shoulder_tilt": _frontal("front", "shoulder_tilt", 8, duration=4.0),
    "walk_back_hip_drop": _frontal("back", "hip_drop", 9, duration=4.0),
}


def reseeded(specs: dict[str, ClipSpec], offset: int) -> dict[str, ClipSpec]:
    """The same clips with every seed moved by `offset`: new walkers, rooms, clothes and noise
    for the same views and postures, to check that accuracy is not tuned to the fixed seeds."""
    return {name: replace(spec, seed=spec.seed + offset) for name, spec in specs.items()}


def render_set(specs: dict[str, ClipSpec], folder: str | Path,
               progress: Callable[[str, int, int], None] | None = None) -> list[Path]:
    """Render every spec to FOLDER/NAME.mp4 (+ truth JSON); `progress(name, frame, total)`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, spec in specs.items():
        path = folder / f"{name}.mp4"
        render_clip(spec, path, None if progress is None else (lambda i, n, name=name: progress(name, i, n)))
        paths.append(path)
    return paths


def render_suite(folder: str | Path, progress=None) -> list[Path]:
    """Render the regression suite into a folder."""
    return render_set(SUITE, folder, progress)
