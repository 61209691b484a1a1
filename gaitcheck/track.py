"""Keep each person's identity across frames and pick the walker.

Identity: per frame, the poses are matched to the live tracks by the Hungarian method
(`scipy.optimize.linear_sum_assignment`) on the mean distance of the body landmarks, measured
in body sizes; a match further than the person could have moved since last seen starts a new
track. A track survives a gap of up to `max_gap_s`, so a walker hidden for a moment keeps
their identity.

The walker (documented rule): among the tracks, the one whose travel looks most like walking:
score = share of frames present × (0.25 + distance travelled), where the distance is the
path of the mid-hip, smoothed to walking pace (1 Hz), horizontally plus the change in apparent
size (someone walking towards or away from the camera), both in body heights. A bystander who
jumps in place, a reflection that is found in few frames, or a seated person scores low.
`--person N` picks the N-th best instead (0 = the walker).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage
from scipy.optimize import linear_sum_assignment

from gaitcheck.landmarks import BODY, Landmark
from gaitcheck.pose import Pose

_BODY = np.array(BODY)
_SHOULDERS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
_HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]
_ANKLES = [Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]


def body_height(xy: np.ndarray) -> float:
    """Shoulder-to-ankle height of a pose in pixels (robust to a missing limb)."""
    shoulders = np.nanmean(xy[_SHOULDERS], axis=0)
    hips = np.nanmean(xy[_HIPS], axis=0)
    ankles = np.nanmean(xy[_ANKLES], axis=0)
    return float(max(np.hypot(*(shoulders - hips)) + np.hypot(*(hips - ankles)), 1.0))


@dataclass
class Track:
    """One person's detections: frame number (in the analysed sequence) -> pose index."""

    frames: list[int] = field(default_factory=list)
    poses: list[int] = field(default_factory=list)
    last_xy: np.ndarray | None = None
    last_frame: int = -1
    size: float = 1.0


@dataclass(frozen=True)
class Candidate:
    """A tracked person and how walker-like they look."""

    track: int
    frames: int
    coverage: float
    travel: float  # body heights
    score: float


def assign_tracks(
    detections: Sequence[Sequence[Pose]],
    times: np.ndarray,
    *,
    max_gap_s: float = 1.0,
    max_speed: float = 3.0,
) -> list[Track]:
    """Link the poses of consecutive frames into tracks (one per person).

    `max_speed` is in body heights per second: how far a person may plausibly move between
    sightings; matching costs beyond that start a new track.
    """
    tracks: list[Track] = []
    for frame, poses in enumerate(detections):
        live = [i for i, t in enumerate(tracks) if times[frame] - times[t.last_frame] <= max_gap_s]
        cost = np.full((len(live), len(poses)), np.inf)
        for row, track_id in enumerate(live):
            track = tracks[track_id]
            gap = max(times[frame] - times[track.last_frame], 1e-3)
            limit = 0.25 + max_speed * gap
            for col, pose in enumerate(poses):
                distance = np.nanmean(np.hypot(*(pose.xy[_BODY] - track.last_xy[_BODY]).T)) / track.size
                if distance <= limit:
                    cost[row, col] = distance
        matched: set[int] = set()
        if cost.size:
            finite = np.where(np.isfinite(cost), cost, 1e6)
            for row, col in zip(*linear_sum_assignment(finite)):
                if np.isfinite(cost[row, col]):
                    _extend(tracks[live[row]], frame, col, poses[col])
                    matched.add(col)
        for col, pose in enumerate(poses):
            if col not in matched:
                track = Track()
                _extend(track, frame, col, pose)
                tracks.append(track)
    return tracks


def _extend(track: Track, frame: int, index: int, pose: Pose) -> None:
    track.frames.append(frame)
    track.poses.append(index)
    track.last_xy = pose.xy
    track.last_frame = frame
    track.size = body_height(pose.xy)


def rank_walkers(
    tracks: Sequence[Track], detections: Sequence[Sequence[Pose]], times: np.ndarray
) -> list[Candidate]:
    """Score every track by how much it looks like the person walking; best first."""
    total = max(len(times), 1)
    rate = 1.0 / float(np.median(np.diff(times))) if len(times) > 1 else 30.0
    candidates = []
    for track_id, track in enumerate(tracks):
        xy = np.array([detections[f][p].xy for f, p in zip(track.frames, track.poses)])
        hips = np.nanmean(xy[:, _HIPS], axis=1)
        heights = np.array([body_height(pose) for pose in xy])
        scale = float(np.median(heights))
        sigma = max(rate / (2 * np.pi * 1.0), 1.0)  # a 1 Hz Gaussian smooth removes the gait sway
        if len(track.frames) > 2:
            x = ndimage.gaussian_filter1d(hips[:, 0], sigma, mode="nearest")
            size = ndimage.gaussian_filter1d(np.log(heights), sigma, mode="nearest")
            travel = float(np.sum(np.abs(np.diff(x))) / scale + np.sum(np.abs(np.diff(size))))
        else:
            travel = 0.0
        coverage = len(track.frames) / total
        candidates.append(Candidate(track_id, len(track.frames), coverage, travel, coverage * (0.25 + travel)))
    return sorted(candidates, key=lambda c: c.score, reverse=True)
