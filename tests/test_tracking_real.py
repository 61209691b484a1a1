"""Subject tracking on real clips: the walker is chosen, keeps one identity, and is found.

sports2d_demo_2persons.mp4 (1768×994): a woman walks in profile across the lawn from right to
left and leaves at the left edge; a man stands and jumps on a box (upper left), then lands and
crouches on the lawn at the right. The walker must be chosen, never swapped for the jumper.
"""
from __future__ import annotations

import numpy as np
import pytest

from conftest import CLIPS, read_manifest
from gait_series import real_walk
from gaitcheck.extract import extract
from gaitcheck.landmarks import Landmark

pytestmark = pytest.mark.clips

TWO_PERSONS = "sports2d_demo_2persons.mp4"
HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def mid_hip(series) -> np.ndarray:
    return np.mean(series.xy[:, HIPS], axis=1)  # (T, 2), NaN where not found


@pytest.fixture(scope="module")
def two_persons(clips_dir):
    """The walker as `gaitcheck analyze` extracts it (default settings, shared with other tests)."""
    return real_walk(clips_dir, TWO_PERSONS)


def test_the_walker_is_chosen(two_persons):
    series = two_persons.series
    hips = mid_hip(series)[series.detected]
    width, height = series.width, series.height
    print(f"{TWO_PERSONS}: walker found in {series.detected_fraction:.1%} of {len(series)} frames; "
          f"{two_persons.persons_seen} persons tracked")
    assert two_persons.persons_seen >= 2
    assert series.detected.sum() >= 0.5 * len(series)
    # crosses the frame from right to left: mid-hip x falls strongly and steadily
    tenth = max(1, len(hips) // 10)
    start_x, end_x = np.median(hips[:tenth, 0]), np.median(hips[-tenth:, 0])
    assert start_x - end_x > 0.5 * width, (start_x, end_x)
    order = np.corrcoef(np.arange(len(hips)), hips[:, 0])[0, 1]
    assert order < -0.95, f"x should fall steadily with time (correlation {order:.2f})"
    # walks on the lawn throughout: never up on the box where the jumper stands
    assert hips[:, 1].min() > 0.55 * height, hips[:, 1].min()


def test_the_walker_never_switches_identity(two_persons):
    series = two_persons.series
    hips = mid_hip(series)[series.detected]
    jumps = np.hypot(*np.diff(hips, axis=0).T) / series.width
    worst = int(np.argmax(jumps))
    print(f"largest mid-hip jump between consecutive detected frames: {jumps[worst]:.1%} of the width")
    assert jumps[worst] <= 0.10, (
        f"mid-hip jumps {jumps[worst]:.1%} of the frame width after frame "
        f"{series.frame_index[series.detected][worst]}: identity switched?")


def test_the_second_person_is_the_jumper(real_clip, two_persons):
    other = extract(real_clip(TWO_PERSONS), max_side=960, person=1, turn=0)
    assert other.person == 1
    series = other.series
    hips = mid_hip(series)[series.detected]
    assert series.detected.sum() >= 0.3 * len(series)
    # mostly up on the box (upper part of the frame), unlike the walker
    assert np.median(hips[:, 1]) < 0.4 * series.height
    assert not np.allclose(series.xy[series.detected & two_persons.series.detected],
                           two_persons.series.xy[series.detected & two_persons.series.detected], equal_nan=True)


MANIFEST = [row["file"] for row in read_manifest(CLIPS)] if (CLIPS / "MANIFEST.tsv").is_file() else ["(no clips)"]
WALKER_FLOOR = 0.5  # of all frames: walkers enter and leave, so this is only a floor
IN_VIEW_FLOOR = 0.95  # of the frames while the walker is in view (issue 2's target)
OUT_OF_VIEW_S = 0.9  # a longer gap in the walker's track is the walker out of view (bg_08 turns off-screen for 0.97-1.03 s)


def in_view_fraction(series) -> float:
    """Share of frames with the walker found, within the stretches the walker is in view.

    A stretch runs from a sighting to the last sighting before a gap longer than OUT_OF_VIEW_S
    (left the frame, behind a door, turning away out of shot). Contact sheets of every missed
    frame on the eleven clips showed the walker outside the frame or crossing its edge in
    such gaps; shorter gaps are misses and count against us.
    """
    seen = np.flatnonzero(series.detected)
    if len(seen) == 0:
        return 0.0
    breaks = np.flatnonzero(np.diff(series.times[seen]) > OUT_OF_VIEW_S)
    starts = np.concatenate([[seen[0]], seen[breaks + 1]])
    ends = np.concatenate([seen[breaks], [seen[-1]]])
    in_view = int(np.sum(ends - starts + 1))
    return len(seen) / in_view


# Each clip's default extraction is shared with the view, events and metrics tests (gait_series.real_walk).
@pytest.mark.parametrize("name", MANIFEST)
def test_every_clip_finds_its_walker(clips_dir, name):
    found = real_walk(clips_dir, name)
    series = found.series
    inside = in_view_fraction(series)
    print(f"\n{name}: walker found in {series.detected_fraction:.1%} of {len(series)} frames, "
          f"{inside:.1%} of the frames while in view "
          f"(turned: {found.turn_reason or 'no'}, {found.persons_seen} persons)")
    assert len(series) == found.frames_read > 0
    assert series.detected_fraction >= WALKER_FLOOR
    assert inside >= IN_VIEW_FLOOR
