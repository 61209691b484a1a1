"""Clip → upright frames → poses per frame → the walker's track → a raw landmark series.

The per-frame pose pass lives in detect.py (one process, or time chunks over several);
this module orients the clip, picks the walker and builds the series.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitcheck import video
from gaitcheck.errors import NotAnalysableError
from gaitcheck.memory import release_free_memory
from gaitcheck.orientation import Orientation, vote
from gaitcheck.pose import Pose, PoseEstimator
from gaitcheck.series import LandmarkSeries, empty_series
from gaitcheck.refine import look_again, predict_boxes
from gaitcheck.detect import Progress, Settings, default_workers, detect_all
from gaitcheck.track import Candidate, assign_tracks, body_height, hip_centre, rank_walkers, stitch

DEFAULT_MAX_SIDE = 1280  # the pose detector finds small walkers more often in 1280 px frames than in 1080p ones
ORIENTATION_SAMPLES = 8
MIN_TRACK_FRAMES = 5  # a track shorter than this is noise (a flicker), not a person



@dataclass(frozen=True)
class Extraction:
    """What extraction found: the walker's raw series and the facts around it."""

    series: LandmarkSeries
    info: video.VideoInfo
    orientation: Orientation
    candidates: list[Candidate]
    person: int  # rank of the chosen candidate (0 = the walker by the default rule)
    frames_read: int
    refound: int = 0  # frames where the walker was found only by the zoomed second look

    @property
    def persons_seen(self) -> int:
        # the walker counts however short the clip (a 1-frame clip has a walker, not nobody)
        return max(1, sum(1 for c in self.candidates if c.frames >= MIN_TRACK_FRAMES))


def find_orientation(path: str | Path, info: video.VideoInfo, model: str | Path | None = None) -> Orientation:
    """Decide whether the clip must be turned to stand its people up (see orientation.py)."""
    import cv2

    wanted = np.linspace(0, max(info.frame_count - 1, 0), ORIENTATION_SAMPLES).astype(int).tolist()
    stills = [cv2.cvtColor(image, cv2.COLOR_BGR2RGB) for image in video.stills(path, wanted, max_side=640)]
    with PoseEstimator(model, max_persons=1, video=False) as estimator:
        found = [estimator.detect(image) for image in stills]
        turn, bodies = vote(found)
        if bodies:
            reason = "upright" if turn == 0 else f"bodies lie on their side: frames turned {turn}° clockwise"
            return Orientation(turn, len(stills), bodies, reason)
        best = (0, 0)
        for candidate in (90, 270, 180):
            count = sum(bool(estimator.detect(video.turn_image(image, candidate))) for image in stills)
            best = max(best, (count, candidate))
    if best[0] == 0:
        return Orientation(0, len(stills), 0, "nobody found in the sample frames; left as stored")
    return Orientation(best[1], len(stills), best[0], f"people found only when turned {best[1]}° clockwise")


MIN_UPRIGHT_BODIES = 5  # upright bodies the pose pass must find to settle the orientation


def _upright_from_pass(poses: list[list[Pose]]) -> Orientation | None:
    """Orientation 0 when the pass as stored found bodies standing up; None when unsure."""
    turn, bodies = vote(poses)
    if turn == 0 and bodies >= MIN_UPRIGHT_BODIES:
        return Orientation(0, len(poses), bodies, "upright")
    return None


def extract(
    path: str | Path,
    *,
    model: str | Path | None = None,
    stride: int = 1,
    max_side: int | None = DEFAULT_MAX_SIDE,
    max_persons: int = 2,
    person: int = 0,
    turn: int | None = None,
    progress: Progress | None = None,
    second_look: bool = True,
    workers: int | None = None,
) -> Extraction:
    """Run the pose model over the clip and return the chosen person's raw landmark series.

    `turn=None` detects a missing rotation flag; pass 0/90/180/270 to force one.
    `second_look` zooms in on frames where the walker went missing (see refine.py).
    `workers` threads share the pose pass (None: one per core unless the clip is very short, see detect.py).
    Raises NotAnalysableError when the clip has no frames or nobody is found.
    """
    path = Path(path)
    info = video.probe(path)
    chunks = default_workers(info) if workers is None else workers

    def detect(turn_: int):
        upright_ = (info.height, info.width) if turn_ in (90, 270) else (info.width, info.height)
        settings = Settings(None if model is None else str(model), stride, turn_, max_side, max_persons, upright_)
        return upright_, detect_all(path, info, settings, workers=chunks, progress=progress)

    if turn is None:
        # Most clips stand upright: run the pass as stored and look at the bodies it found;
        # only when they lie on their side, or nobody is found, search for a turn (and run
        # the pass again turned).
        upright, found = detect(0)
        orientation = _upright_from_pass(found.poses)
        if orientation is None:
            orientation = find_orientation(path, info, model)
            if orientation.turn:
                upright, found = detect(orientation.turn)
    else:
        orientation = Orientation(turn % 360, 0, 0, f"turned {turn % 360}° clockwise as asked")
        upright, found = detect(orientation.turn)
    release_free_memory()  # the pass's landmarkers and frames, before the second look opens one
    times, indices, detections = found.times, found.indices, found.poses
    if not times:
        raise NotAnalysableError(path, "holds no decodable video frames")
    times_array = np.asarray(times)
    tracks = assign_tracks(detections, times_array)
    candidates = rank_walkers(tracks, detections, times_array)
    if not candidates:
        raise NotAnalysableError(path, f"nobody found in any of its {len(times)} frames{_darkness_hint(path, info)}")
    if not 0 <= person < len(candidates):
        raise NotAnalysableError(path, f"--person {person} asked, but only {len(candidates)} people were tracked")
    chosen = stitch(tracks, candidates[person].track, detections, times_array, frame_width=upright[0])
    walker = {frame: detections[frame][index] for frame, index in zip(chosen.frames, chosen.poses)}
    refound = 0
    if second_look:
        others = {
            frame: [hip_centre(pose.xy) for pose in poses if pose is not walker.get(frame)]
            for frame, poses in enumerate(detections)
        }
        found_again = _second_look(path, walker, others, times_array, indices, upright, orientation.turn, model)
        walker.update(found_again)
        refound = len(found_again)

    series = empty_series(
        len(times), upright[0], upright[1], info.fps, source=str(path), turn=orientation.turn,
    )
    series.times[:] = times_array
    series.frame_index[:] = indices
    for frame, pose in walker.items():
        series.xy[frame] = pose.xy
        series.visibility[frame] = pose.visibility
        series.presence[frame] = pose.presence
        series.world[frame] = pose.world
        series.detected[frame] = True
    return Extraction(series, info, orientation, candidates, person, len(times), refound)


DARK_MEAN = 40  # mean 8-bit brightness below which a picture is too dark to find people in


def _darkness_hint(path: Path, info: video.VideoInfo) -> str:
    """When nobody was found: say so if the picture is very dark (a likely reason)."""
    wanted = np.linspace(0, max(info.frame_count - 1, 0), 5).astype(int).tolist()
    images = video.stills(path, wanted, max_side=160)
    if not images:
        return ""
    level = float(np.mean([image.mean() for image in images]))
    if level >= DARK_MEAN:
        return ""
    return f" (the picture is very dark: mean brightness {level:.0f} of 255; film with more light)"


def _second_look(path, walker: dict[int, Pose], others, times, indices, size, turn, model) -> dict[int, Pose]:
    sighted = np.zeros(len(times), dtype=bool)
    centres = np.full((len(times), 2), np.nan)
    heights = np.full(len(times), np.nan)
    for frame, pose in walker.items():
        sighted[frame] = True
        centres[frame] = hip_centre(pose.xy)
        heights[frame] = body_height(pose.xy)
    boxes = predict_boxes(sighted, centres, heights, times)
    return look_again(path, boxes, indices, size, turn=turn, model=model, others=others)
