"""Left/right labels kept consistent while the body faces or backs the camera (gaitcheck/sides.py)."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from gait_series import synth_series
from gaitcheck.landmarks import MIRROR
from gaitcheck.series import LandmarkSeries, empty_series
from gaitcheck.sides import swapped_frames, unswap_frontal

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def drawn_series(name: str) -> LandmarkSeries:
    """The landmarks a sample's walker was drawn with, as a fully seen series."""
    truth = json.loads((SAMPLES / f"{name}.truth.json").read_text())
    drawn = np.array(truth["frames"]["landmarks_px"], dtype=np.float32)
    series = empty_series(len(drawn), truth["input"]["width"], truth["input"]["height"], truth["input"]["fps"])
    series.times[:] = truth["frames"]["t"]
    series.detected[:] = True
    series.visibility[:] = 1.0
    series.presence[:] = 1.0
    series.world[:] = 0.0
    series.xy[:] = drawn
    return replace(series, processing={})


def with_swaps(series: LandmarkSeries, frames: np.ndarray) -> LandmarkSeries:
    """The pose model's flip, made on purpose: every left/right pair swapped in `frames`."""
    xy = series.xy.copy()
    xy[frames] = xy[frames][:, list(MIRROR)]
    return replace(series, xy=xy)


# Runs like those fresh seed 7301's back walker showed (65-74, 86-95, a single frame).
FLIPS = np.r_[30:33, 65:75, 86:96, 101]


@pytest.mark.parametrize("name", ["walk_back_hip_drop", "walk_front_good"])
def test_flipped_frames_get_their_labels_back(name):
    drawn = drawn_series(name)
    flipped = with_swaps(drawn, FLIPS)
    assert np.flatnonzero(swapped_frames(flipped)).tolist() == FLIPS.tolist()
    fixed = unswap_frontal(flipped)
    np.testing.assert_array_equal(fixed.xy, drawn.xy)
    assert fixed.processing["unswapped_frames"] == len(FLIPS)


def test_a_clean_walk_is_left_alone():
    drawn = drawn_series("walk_front_good")
    fixed = unswap_frontal(drawn)
    np.testing.assert_array_equal(fixed.xy, drawn.xy)
    assert fixed.processing["unswapped_frames"] == 0


def test_side_view_labels_are_not_touched():
    """Side-on, the shoulders overlap: their screen order says nothing about the labels."""
    drawn = drawn_series("walk_side_good")
    flipped = with_swaps(drawn, FLIPS)
    assert not swapped_frames(flipped).any()


def test_on_a_treadmill_the_majority_labelling_decides():
    """Without a change of apparent size, the labelling most frames agree on is the right one."""
    drawn = drawn_series("walk_front_good")
    xy = drawn.xy.astype(float)
    hips = xy[:, [23, 24]].mean(axis=1, keepdims=True)
    shoulders = xy[:, [11, 12]].mean(axis=1)
    length = np.linalg.norm(shoulders - hips[:, 0], axis=1)
    still = hips + (xy - hips) * (length[0] / length)[:, None, None]  # every frame the first one's size
    treadmill = replace(drawn, xy=still.astype(np.float32))
    flipped = with_swaps(treadmill, FLIPS)
    fixed = unswap_frontal(flipped)
    np.testing.assert_allclose(fixed.xy, treadmill.xy)
    # With no clear majority there is nothing to go by: nothing is changed.
    half = with_swaps(treadmill, np.arange(0, len(drawn), 2))
    assert not swapped_frames(half).any()


def test_a_back_walker_the_model_flips_keeps_one_pass_and_alternating_feet(tmp_path_factory):
    """Fresh seed 7301's back-view walker: the pose model swaps every left/right pair for a few
    frames at a time; before the fix the low-pass blended the two readings, the walk broke into
    a 63-frame pass and the strikes after it were lost."""
    from gaitcheck.analysis import analyze_series

    series, _ = synth_series(tmp_path_factory.mktemp("sides"), "back_flips", view="back", seed=7301, duration=3.5)
    analysis = analyze_series(series)
    assert (analysis.view.camera, analysis.view.direction) == ("back", "away")
    covered = sum(p.stop - p.start for p in analysis.view.passes)
    assert covered >= 0.9 * len(series)
    strikes = sorted((int(f), side) for side, frames in analysis.events.heel_strikes.items() for f in frames)
    assert len(strikes) >= 4
    assert all(a[1] != b[1] for a, b in zip(strikes, strikes[1:]))
