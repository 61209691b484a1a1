"""Joining a walker's track across a gap: the same person coming back, never someone else."""
from __future__ import annotations

import numpy as np
import pytest

from gaitcheck.landmarks import Landmark
from gaitcheck.pose import Pose
from gaitcheck.track import Track, stitch

WIDTH = 720
FPS = 30.0


def figure(x: float, height: float) -> Pose:
    """A standing stick figure with its hips at (x, 600) and `height` shoulder-to-ankle pixels."""
    xy = np.full((33, 2), np.nan, dtype=np.float32)
    for side in ("LEFT", "RIGHT"):
        xy[Landmark[f"{side}_SHOULDER"]] = (x, 600 - height * 0.45)
        xy[Landmark[f"{side}_HIP"]] = (x, 600)
        xy[Landmark[f"{side}_KNEE"]] = (x, 600 + height * 0.27)
        xy[Landmark[f"{side}_ANKLE"]] = (x, 600 + height * 0.55)
    xy = np.nan_to_num(xy, nan=float(x))
    zeros = np.zeros(33, dtype=np.float32)
    return Pose(xy, zeros, zeros + 1, zeros + 1, np.zeros((33, 3), dtype=np.float32))


def two_tracks(first: list[tuple[float, float]], gap: int, second: list[tuple[float, float]]):
    """Detections for one track of `first` (x, height) poses, `gap` empty frames, then `second`."""
    detections = [[figure(*p)] for p in first] + [[] for _ in range(gap)] + [[figure(*p)] for p in second]
    n1 = len(first)
    tracks = [Track(list(range(n1)), [0] * n1),
              Track(list(range(n1 + gap, len(detections))), [0] * len(second))]
    return tracks, detections, np.arange(len(detections)) / FPS


def walk(x0: float, x1: float, h0: float, h1: float, frames: int = 40) -> list[tuple[float, float]]:
    return list(zip(np.linspace(x0, x1, frames), np.linspace(h0, h1, frames)))


@pytest.mark.parametrize("case, joined", [
    # hidden behind a pillar mid-frame for a third of a second: the same walker
    ("occluded", True),
    # left by the right edge, turned, came back by the right edge two seconds later
    ("re-entry", True),
    # walked towards the camera out by the right edge (growing from 165 to 445 px); a smaller
    # person already further back appears mid-frame a quarter second later: someone else
    ("someone-else", False),
    # left by the right edge and "came back" by the left edge: someone else
    ("other-edge", False),
])
def test_stitch_joins_only_the_same_person(case, joined):
    first, gap, second = {
        "occluded": (walk(100, 330, 300, 300), 10, walk(370, 600, 300, 300)),
        "re-entry": (walk(300, 715, 300, 300), 60, walk(700, 400, 300, 300)),
        "someone-else": (walk(240, 732, 165, 445), 8, walk(419, 712, 264, 412)),
        "other-edge": (walk(300, 715, 300, 300), 60, walk(10, 300, 300, 300)),
    }[case]
    tracks, detections, times = two_tracks(first, gap, second)
    merged = stitch(tracks, 0, detections, times, frame_width=WIDTH)
    assert (len(merged.frames) == len(first) + len(second)) is joined


def walking_figure(x: float, height: float, t: float) -> Pose:
    """`figure` with its feet passing each other at 1.8 steps/s (each ankle ±0.25 height from the hips)."""
    pose = figure(x, height)
    swing = 0.25 * height * np.sin(np.pi * 1.8 * t)
    pose.xy[Landmark.LEFT_ANKLE, 0] = x + swing
    pose.xy[Landmark.RIGHT_ANKLE, 0] = x - swing
    return pose


def test_a_walker_the_camera_follows_beats_a_bystander_crossing_behind():
    """A panning camera keeps the walker in the middle of the picture (no screen travel) while
    a smaller bystander walks across behind: the walker's feet say how far they walked."""
    from gaitcheck.track import rank_walkers

    n = 105
    times = np.arange(n) / FPS
    detections = []
    for k, t in enumerate(times):
        people = [walking_figure(360.0, 300.0, t)]
        if 30 <= k < 90:  # the bystander: half the size, crossing right to left in 2 s
            people.append(walking_figure(700.0 - 10.0 * (k - 30), 150.0, t))
        detections.append(people)
    walker = Track(list(range(n)), [0] * n)
    bystander = Track(list(range(30, 90)), [1] * 60)
    ranked = rank_walkers([walker, bystander], detections, times)
    assert ranked[0].track == 0, ranked
    assert ranked[0].travel == pytest.approx(3.15, rel=0.1)  # 3.5 s × 1.8 steps/s × 0.5 body heights a step


def test_a_frame_that_sees_only_the_bystander_does_not_swap_identities():
    """Fresh synthetic seed 7120: a bystander 0.8 the walker's size crosses behind a walker the
    camera follows. While they overlap the pose model finds one person a frame, the walker, but
    once, half a body height away, only the bystander. The walker's track took that pose (it
    fitted the half-body allowance for a bad fit) and the bystander's track then took the walker
    for the rest of the clip. The hips' speed now rules that out."""
    from gaitcheck.track import assign_tracks

    n = 105
    times = np.arange(n) / FPS
    bystander_x = 700.0 - 8.0 * np.arange(n)  # right to left across the picture, 1 body height/s
    detections = []
    for k in range(n):
        walker, bystander = walking_figure(360.0, 300.0, times[k]), walking_figure(bystander_x[k], 240.0, times[k])
        if abs(bystander_x[k] - 360.0) < 170.0:
            detections.append([bystander] if k == 62 else [walker])  # frame 62: x 204, the walker hidden
        else:
            detections.append([walker, bystander])
    tracks = assign_tracks(detections, times)
    walker_track = next(t for t in tracks if t.frames[0] == 0)
    xs = [detections[f][p].xy[Landmark.LEFT_HIP, 0] for f, p in zip(walker_track.frames, walker_track.poses)]
    assert np.allclose(xs, 360.0)
    assert len(walker_track.frames) == n - 1
