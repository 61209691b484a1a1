"""Landmark series for the view and events tests, made once per test session.

Real clips (../shared/clips) and synthetic walkers (gaitcheck synth) are run through the pose
model in-process and cached in a session temp folder, so test_view and test_events share the
cost. Nothing is read from outside the repository but the shared clips, and nothing downloaded.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from gaitcheck.landmarks import MIRROR, Landmark as L
from gaitcheck.series import LandmarkSeries, clean

if TYPE_CHECKING:
    from gaitcheck.analysis import Analysis
    from gaitcheck.cache import Walk

# Synthetic walkers shared by test_view and test_events (ClipSpec fields).
SYNTH = {
    "side_ltr": dict(view="side", direction="left_to_right", seed=401, duration=3.5),
    "side_rtl": dict(view="side", direction="right_to_left", seed=402, duration=3.5, fps=25.0),
    "front": dict(view="front", seed=403, duration=3.5),
    "back": dict(view="back", seed=404, duration=3.5),
    "treadmill_rtl": dict(view="side", direction="right_to_left", seed=405, duration=4.0, treadmill=True),
    "side_roll": dict(view="side", direction="left_to_right", seed=406, duration=3.5, roll_deg=5.0),
    "front_roll": dict(view="front", seed=407, duration=3.5, roll_deg=-6.0),
    "side_60fps": dict(view="side", direction="left_to_right", seed=408, duration=3.0, fps=60.0),
    "side_short": dict(view="side", direction="right_to_left", seed=409, duration=1.8),
    "oblique_rtl": dict(view="oblique", direction="right_to_left", seed=410, duration=3.5),
}

_CACHE: dict[str, LandmarkSeries] = {}
_TRUTH: dict[str, dict] = {}
_WALKS: dict[str, Walk] = {}
_ANALYSES: dict[str, Analysis] = {}


def real_walk(clips: Path, name: str) -> Walk:
    """A real clip's raw walker series and facts from the default extraction, as `gaitcheck
    analyze` makes them; run once per session and shared by every test module that asks."""
    if name not in _WALKS:
        path = clips / name
        if not path.is_file():
            pytest.skip(f"real clip {name} not in {clips}")
        from gaitcheck.cache import walk_of
        from gaitcheck.extract import extract

        _WALKS[name] = walk_of(extract(path))
    return _WALKS[name]


def real_series(clips: Path, name: str) -> LandmarkSeries:
    """The cleaned series of a real clip (the default extraction), skipping when it is missing."""
    if name not in _CACHE:
        _CACHE[name] = clean(real_walk(clips, name).series)
    return _CACHE[name]


def real_analysis(clips: Path, name: str) -> Analysis:
    """A real clip analysed as `gaitcheck analyze CLIP` does (`analysis.analyze_path`)."""
    if name not in _ANALYSES:
        from gaitcheck.analysis import analyze_walk

        _ANALYSES[name] = analyze_walk(real_walk(clips, name), clips / name)
    return _ANALYSES[name]


def synth_series(folder: Path, name: str, **spec) -> tuple[LandmarkSeries, dict]:
    """Render a synthetic walker (ClipSpec fields), run the pose model, return (series, truth)."""
    key = f"synth:{name}"
    if key not in _CACHE:
        from gaitcheck.extract import extract
        from gaitcheck.synth.clip import ClipSpec, render_clip, truth_path

        video = folder / f"{name}.mp4"
        render_clip(ClipSpec(**spec), video)
        _TRUTH[key] = json.loads(truth_path(video).read_text())
        _CACHE[key] = clean(extract(video).series)
    return _CACHE[key], _TRUTH[key]


def mirror(series: LandmarkSeries) -> LandmarkSeries:
    """The series seen in a mirror: x → width − x and every landmark swapped with its partner."""
    partner = np.array([int(m) for m in MIRROR])
    xy = series.xy[:, partner, :].copy()
    xy[..., 0] = series.width - xy[..., 0]
    world = series.world[:, partner, :].copy()
    world[..., 0] = -world[..., 0]
    return replace(series, xy=xy, world=world, visibility=series.visibility[:, partner],
                   presence=series.presence[:, partner])


def leading_foot_labelled(series: LandmarkSeries, forward_sign: int) -> LandmarkSeries:
    """The pose model's side-view failure, made on purpose: in every frame the foot further
    ahead (along `forward_sign`) is called "left" and the other "right" (heel, toe, ankle)."""
    xy = series.xy.copy()
    left = [L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE]
    right = [L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE]
    behind = forward_sign * (xy[:, L.LEFT_HEEL, 0] - xy[:, L.RIGHT_HEEL, 0]) < 0
    xy[np.ix_(behind, left)], xy[np.ix_(behind, right)] = series.xy[np.ix_(behind, right)], series.xy[np.ix_(behind, left)]
    return replace(series, xy=xy)


def every_other_frame(series: LandmarkSeries) -> LandmarkSeries:
    """Every second frame (half the frame rate)."""
    pick = slice(None, None, 2)
    return replace(series, times=series.times[pick], frame_index=series.frame_index[pick], xy=series.xy[pick],
                   visibility=series.visibility[pick], presence=series.presence[pick], world=series.world[pick],
                   detected=series.detected[pick])


def trunk_lean(series: LandmarkSeries, sign: int) -> float:
    """Median mid-hip→mid-shoulder angle from vertical, + towards screen-x `sign` (degrees)."""
    xy = series.xy
    up = 0.5 * (xy[:, L.LEFT_SHOULDER] + xy[:, L.RIGHT_SHOULDER]) - 0.5 * (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP])
    return float(np.nanmedian(np.degrees(np.arctan2(sign * up[:, 0], -up[:, 1]))))
