"""MediaPipe's Pose Landmarker behind a small interface: an image in, poses in pixels out.

Knows nothing about posture. One `PoseEstimator` per process (it is not picklable); a worker
that handles a time chunk of a clip opens its own. Always use it as a context manager:
mediapipe 1.2 left to its finaliser prints a traceback at interpreter exit.
"""
from __future__ import annotations

import contextlib
import os
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitcheck.errors import InputError
from gaitcheck.landmarks import NUM_LANDMARKS
from gaitcheck.model import find_model


@dataclass(frozen=True)
class Pose:
    """One person's 33 landmarks in one frame.

    xy: (33, 2) pixels in the upright full-resolution frame (x right, y down).
    z: (33,) MediaPipe's relative depth, scaled to pixels like x.
    visibility, presence: (33,) in [0, 1].
    world: (33, 3) metres, origin between the hips (MediaPipe's world landmarks).
    """

    xy: np.ndarray
    z: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    world: np.ndarray


_quiet_lock = threading.Lock()
_quiet_depth = 0  # how many callers want stderr quiet right now (threads overlap)
_saved_stderr: int | None = None


@contextlib.contextmanager
def _quiet_stderr():
    """Silence the C++ log lines TFLite and glog print (fd 2) while a landmarker starts or runs.

    Thread-safe: chunk threads overlap, so the first caller in sends fd 2 to /dev/null and the
    last one out puts it back (two threads each saving and restoring fd 2 on their own could
    restore /dev/null and swallow every later message)."""
    global _quiet_depth, _saved_stderr
    with _quiet_lock:
        if _quiet_depth == 0:
            try:
                sys.stderr.flush()
                saved = os.dup(2)
            except (OSError, ValueError):
                saved = None
            if saved is not None:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 2)
                os.close(devnull)
            _saved_stderr = saved
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _saved_stderr is not None:
                os.dup2(_saved_stderr, 2)
                os.close(_saved_stderr)
                _saved_stderr = None


class PoseEstimator:
    """The Pose Landmarker in VIDEO mode (tracking between frames) or IMAGE mode (stills).

    `detect(rgb, time_ms)` returns the poses found, in pixels of a frame of size
    `frame_size` (the image may be a scaled-down copy; coordinates are scaled back up).
    """

    def __init__(
        self,
        model: str | Path | None = None,
        *,
        max_persons: int = 2,
        video: bool = True,
        min_detection: float = 0.5,
        min_presence: float = 0.5,
        min_tracking: float = 0.5,
    ) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        self.model = find_model(model)
        self.video = video
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(self.model)),
            running_mode=vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE,
            num_poses=max_persons,
            min_pose_detection_confidence=min_detection,
            min_pose_presence_confidence=min_presence,
            min_tracking_confidence=min_tracking,
        )
        self._landmarker = None
        try:
            with _quiet_stderr():
                self._landmarker = vision.PoseLandmarker.create_from_options(options)
        except (RuntimeError, ValueError) as error:
            raise InputError(self.model, f"is not a usable pose model ({str(error).strip().splitlines()[0]})") from None
        self._last_ms = -1
        self._quiet = True  # until someone is found: see detect()

    def __enter__(self) -> PoseEstimator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Release the landmarker now (not in a finaliser, which mediapipe 1.2 gets wrong)."""
        if self._landmarker is not None:
            with _quiet_stderr():  # mediapipe ≥ 1.2.3 logs its accelerator teardown
                self._landmarker.close()
            self._landmarker = None

    def _infer(self, image, time_ms: float):
        if self.video:
            # VIDEO mode needs strictly increasing timestamps; a variable-frame-rate clip can
            # repeat one, so nudge it forward by a millisecond.
            stamp = max(int(round(time_ms)), self._last_ms + 1)
            self._last_ms = stamp
            return self._landmarker.detect_for_video(image, stamp)
        return self._landmarker.detect(image)

    def detect(self, rgb: np.ndarray, time_ms: float = 0.0, frame_size: tuple[int, int] | None = None) -> list[Pose]:
        """Poses in `rgb` (H×W×3 uint8, RGB); pixel coordinates in a frame of `frame_size` (w, h)."""
        import mediapipe as mp

        if self._landmarker is None:
            raise RuntimeError("PoseEstimator is closed")
        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        if self._quiet or not self.video:
            # MediaPipe logs a harmless one-off projection warning at the first frame in which
            # it finds someone, and in still-image mode (odd-sized crops of the second look,
            # orientation stills) now and then a LiteRT note about copying an unaligned input
            # tensor; keep stderr quiet then. No progress display runs during those stages.
            with _quiet_stderr():
                result = self._infer(image, time_ms)
            self._quiet = self._quiet and not result.pose_landmarks
        else:
            result = self._infer(image, time_ms)
        width, height = frame_size or (rgb.shape[1], rgb.shape[0])
        return [
            _to_pose(landmarks, world, width, height)
            for landmarks, world in zip(result.pose_landmarks, result.pose_world_landmarks)
        ]


def _to_pose(landmarks, world, width: int, height: int) -> Pose:
    values = np.array(
        [(p.x, p.y, p.z, p.visibility or 0.0, p.presence or 0.0) for p in landmarks], dtype=np.float32
    ).reshape(NUM_LANDMARKS, 5)
    world_xyz = np.array([(p.x, p.y, p.z) for p in world], dtype=np.float32).reshape(NUM_LANDMARKS, 3)
    xy = values[:, :2] * np.array([width, height], dtype=np.float32)
    return Pose(
        xy=xy, z=values[:, 2] * width, visibility=values[:, 3], presence=values[:, 4], world=world_xyz
    )
