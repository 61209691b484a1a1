"""Keep each person's identity across frames and pick the walker.

Identity: per frame, the poses are matched to the live tracks by the Hungarian method
(`scipy.optimize.linear_sum_assignment`) on the mean distance of the body landmarks, measured
in body sizes; a match further than the person could have moved since last seen starts a new
track. A track survives a gap of up to `max_gap_s`, so a walker hidden for a moment keeps
their identity.

The walker (documented rule): among the tracks, the one whose travel looks most like walking:
score = share of frames present × (0.25 + steady progress), where progress is the net travel
of the mid-hip in each second (smoothed to walking pace), horizontally plus the change in
apparent size (someone walking towards or away from the camera), in body heights, less the
vertical path of the hips. A bystander who jumps or lunges, a reflection found in few frames,
or a seated person scores low.
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


def hip_centre(xy: np.ndarray) -> np.ndarray:
    """Mid-hip point of a pose in pixels."""
    return np.nanmean(xy[_HIPS], axis=0)


@dataclass
class Track:
    """One person's detections: frame number (in the analysed sequence) -> pose index."""

    frames: list[int] = field(default_factory=list)
    poses: list[int] = field(default_factory=list)
    last_xy: np.ndarray | None = None  # the last good fit: what the next frame is matched to
    last_frame: int = -1  # the frame of that fit
    sizes: list[float] = field(default_factory=list)

    @property
    def size(self) -> float:
        """Body height over the last second or so: a median, so one bad fit does not shrink it."""
        return float(np.median(self.sizes[-30:])) if self.sizes else 1.0


@dataclass(frozen=True)
class Candidate:
    """A tracked person and how walker-like they look."""

    track: int
    frames: int
    coverage: float
    travel: float  # body heights
    score: float


def drop_duplicates(poses: Sequence[Pose], same: float = 0.3) -> list[Pose]:
    """Keep one pose per person: MediaPipe can return a tracked pose and a fresh detection of
    the same body in one frame. Poses whose body landmarks lie within `same` body heights of
    a better one (higher mean visibility) are dropped."""
    ranked = sorted(poses, key=lambda pose: -float(np.mean(pose.visibility[_BODY])))
    kept: list[Pose] = []
    for pose in ranked:
        size = body_height(pose.xy)
        if all(np.nanmean(np.hypot(*(pose.xy[_BODY] - other.xy[_BODY]).T)) > same * size for other in kept):
            kept.append(pose)
    return kept


HIP_JITTER = 0.35  # body heights: how far a fit may misplace the hips between two frames


def assign_tracks(
    detections: Sequence[Sequence[Pose]],
    times: np.ndarray,
    *,
    max_gap_s: float = 1.0,
    max_speed: float = 3.0,
) -> list[Track]:
    """Link the poses of consecutive frames into tracks (one per person).

    `max_speed` is in body heights per second: how far a person may plausibly move between
    sightings; matching costs beyond that (plus half a body height for a bad fit) start a new
    track. The hips, which a bad fit of the limbs leaves in place, must also stay within that
    reach plus HIP_JITTER: in the one frame where the pose model saw a bystander instead of the
    walker they passed behind (fresh synthetic seed 7120), the bystander's pose lay 0.54 walker
    heights away, inside the half-body allowance, and the walker's track took it, then lost the
    walker to the bystander's track for good. A real jumper's fits (sports2d_demo_2persons) move
    their hips by up to 0.31 body heights from one frame to the next.
    """
    tracks: list[Track] = []
    for frame, poses in enumerate(detections):
        live = [i for i, t in enumerate(tracks) if times[frame] - times[t.last_frame] <= max_gap_s]
        cost = np.full((len(live), len(poses)), np.inf)
        for row, track_id in enumerate(live):
            track = tracks[track_id]
            gap = max(times[frame] - times[track.last_frame], 1e-3)
            limit = 0.5 + max_speed * gap
            hip_limit = HIP_JITTER + max_speed * gap
            last_hips = hip_centre(track.last_xy)
            for col, pose in enumerate(poses):
                distance = np.nanmean(np.hypot(*(pose.xy[_BODY] - track.last_xy[_BODY]).T)) / track.size
                hips = np.hypot(*(hip_centre(pose.xy) - last_hips)) / track.size
                if distance <= limit and not hips > hip_limit:  # NaN hips (not fitted): the body decides
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
    """Add a sighting. A fit whose body height is far off the track's (a collapsed or partial
    fit) stays in the track but is not what later frames are matched against."""
    height = body_height(pose.xy)
    good = len(track.sizes) < 5 or 0.7 <= height / track.size <= 1.4
    track.frames.append(frame)
    track.poses.append(index)
    if good:
        track.last_xy = pose.xy
        track.last_frame = frame
        track.sizes.append(height)


def rank_walkers(
    tracks: Sequence[Track], detections: Sequence[Sequence[Pose]], times: np.ndarray
) -> list[Candidate]:
    """Score every track by how much it looks like the person walking; best first.

    progress = the distance walked in body heights − the vertical path of the hips (in body
    heights); score = share of frames present × (0.25 + max(progress, 0)). The distance walked
    is the larger of two readings: the net travel across the picture (horizontal, plus the
    change of log apparent size) summed over 1-second windows, and the feet's own travel (half
    the total swing of the ankles' horizontal separation: each step they pass each other). The
    second holds when the picture does not move with the walker: a camera panning along, or a
    treadmill, where the walker stays put on screen and a bystander crossing behind won on
    screen travel (synthetic side_good_crossing_ltr at seed 7120). Walking moves steadily one
    way at a steady height; jumping, lunging or pacing does not.
    """
    total = max(len(times), 1)
    rate = 1.0 / float(np.median(np.diff(times))) if len(times) > 1 else 30.0
    window = max(int(round(rate)), 1)
    sigma = max(rate / (2 * np.pi * 1.0), 1.0)  # a 1 Hz Gaussian smooth removes the gait sway
    candidates = []
    for track_id, track in enumerate(tracks):
        xy = np.array([detections[f][p].xy for f, p in zip(track.frames, track.poses)])
        hips = np.array([hip_centre(pose) for pose in xy])
        heights = np.array([body_height(pose) for pose in xy])
        scale = float(np.median(heights))
        travel = 0.0
        if len(track.frames) > window:
            x = ndimage.gaussian_filter1d(hips[:, 0], sigma, mode="nearest") / scale
            y = ndimage.gaussian_filter1d(hips[:, 1], sigma, mode="nearest") / scale
            size = ndimage.gaussian_filter1d(np.log(heights), sigma, mode="nearest")
            steps = np.arange(0, len(x) - window, window)
            net = np.abs(x[steps + window] - x[steps]) + np.abs(size[steps + window] - size[steps])
            travel = float(max(np.sum(net), feet_travel(xy, scale, rate)) - np.sum(np.abs(np.diff(y))))
        coverage = len(track.frames) / total
        candidates.append(Candidate(track_id, len(track.frames), coverage, travel, coverage * (0.25 + max(travel, 0.0))))
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def feet_travel(xy: np.ndarray, scale: float, rate: float) -> float:
    """Distance walked as the feet tell it, in body heights: half the total swing of the
    ankles' horizontal separation, smoothed above step frequencies (4 Hz) against jitter.
    Frames without both ankles are bridged; none at all gives 0."""
    separation = (xy[:, _ANKLES[0], 0] - xy[:, _ANKLES[1], 0]) / scale
    known = np.isfinite(separation)
    if known.sum() < 2:
        return 0.0
    index = np.arange(len(separation))
    separation = np.interp(index, index[known], separation[known])
    separation = ndimage.gaussian_filter1d(separation, max(rate / (2 * np.pi * 4.0), 0.5), mode="nearest")
    return 0.5 * float(np.sum(np.abs(np.diff(separation))))


STEADY_POSES = 15  # poses at a track's end whose median size stands for that end
EDGE = 0.05  # share of the frame width: a body whose hips are this close to a side has left


def stitch(
    tracks: Sequence[Track],
    chosen: int,
    detections: Sequence[Sequence[Pose]],
    times: np.ndarray,
    *,
    max_gap_s: float = 3.0,
    max_speed: float = 3.0,
    frame_width: float | None = None,
) -> Track:
    """Join to track `chosen` the tracks that continue it after a longer gap (same person).

    A walker who leaves the frame, turns and comes back, or is hidden behind a door for a
    while, gets a new track. A later (or earlier) track that does not overlap the chosen one
    in time, has a similar body size, and starts either near where the chosen one ended
    (reachable at `max_speed` body heights per second) or at the same frame edge it left by,
    is the same person coming back. Tracks that overlap the chosen one in time are other people.
    """
    merged = Track(list(tracks[chosen].frames), list(tracks[chosen].poses))
    used = {chosen}
    grew = True
    while grew:
        grew = False
        for other_id, other in sorted(enumerate(tracks), key=lambda item: -len(item[1].frames)):
            if other_id in used or len(other.frames) < 3:
                continue
            if _overlaps(merged.frames, other.frames):
                continue
            if _continues(merged, other, detections, times, max_gap_s, max_speed, frame_width):
                pairs = sorted(zip(merged.frames + other.frames, merged.poses + other.poses))
                merged = Track([f for f, _ in pairs], [p for _, p in pairs])
                used.add(other_id)
                grew = True
    return merged


def _overlaps(frames: list[int], other: list[int]) -> bool:
    """Whether `other` has frames inside the span of `frames` or shares any frame."""
    spans = set(frames)
    if spans.intersection(other):
        return True
    # Inside a gap of the merged track is fine; straddling a sighting of it is not.
    before = [f for f in frames if f < other[0]]
    after = [f for f in frames if f > other[-1]]
    return len(before) + len(after) != len(frames)


def _steady_pose(track: Track, detections, before: int | None = None, last: bool = True) -> np.ndarray:
    """The last (or first) pose of a track, before frame `before`, whose body height is close
    to the track's median: the end of a track is often a half-hidden, badly fitted body."""
    pairs = [(f, p) for f, p in zip(track.frames, track.poses) if before is None or f < before]
    poses = [detections[f][p].xy for f, p in (reversed(pairs) if last else pairs)]
    # typical size near that end, not over the whole track: walking towards the camera a
    # body can triple in height from one end of its track to the other
    typical = float(np.median([body_height(xy) for xy in poses[:STEADY_POSES]]))
    for xy in poses:
        if 0.7 <= body_height(xy) / typical <= 1.4:
            return xy
    return poses[0]


def _continues(merged: Track, other: Track, detections, times, max_gap_s, max_speed, frame_width) -> bool:
    if other.frames[0] > merged.frames[-1] or other.frames[-1] < merged.frames[0]:
        first, second = (merged, other) if other.frames[0] > merged.frames[-1] else (other, merged)
        end, start = _steady_pose(first, detections), _steady_pose(second, detections, last=False)
        gap = times[second.frames[0]] - times[first.frames[-1]]
    else:  # `other` sits inside a gap of the merged track
        end = _steady_pose(merged, detections, before=other.frames[0])
        start = _steady_pose(other, detections, last=False)
        gap = times[other.frames[0]] - times[max(f for f in merged.frames if f < other.frames[0])]
    if gap > max_gap_s:
        return False
    size_end, size_start = body_height(end), body_height(start)
    if not 0.6 <= size_start / size_end <= 1.67:
        return False
    xs = hip_centre(end)[0], hip_centre(start)[0]
    if frame_width:
        margin = 0.2 * frame_width
        same_edge = all(x < margin for x in xs) or all(x > frame_width - margin for x in xs)
        if not EDGE * frame_width <= xs[0] <= (1 - EDGE) * frame_width:
            return same_edge  # it left the picture: it can only come back by the same edge
    scale = (size_end + size_start) / 2
    distance = float(np.hypot(*(hip_centre(start) - hip_centre(end)))) / scale
    if distance <= 0.5 + max_speed * gap:
        return True
    return bool(frame_width) and same_edge  # left by one edge and came back by the same edge
