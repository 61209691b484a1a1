"""Open a clip, probe it, and stream its frames upright with their real timestamps.

Frames are decoded one at a time (never the whole clip in memory). OpenCV's FFmpeg backend
applies a rotation flag itself, so a portrait phone clip already comes out upright; clips
stored sideways *without* a flag are turned by the caller with `turn` (see `orientation.py`).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitcheck.errors import InputError, NotAnalysableError

# FFmpeg and OpenCV print their own warnings on stderr ("moov atom not found", "Invalid NAL unit
# size", "[ WARN:0@0.01] … can't be used to capture by name"); gaitcheck reports a bad clip itself,
# in one line. OpenCV reads this variable when it opens its first capture, so it is set at import
# (setdefault: export OPENCV_FFMPEG_LOGLEVEL=32 to see FFmpeg's messages when debugging).
os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # AV_LOG_QUIET

# A read that fails before the frame count the container announces is a damaged frame, skipped;
# this many failures in a row mean the rest is unreadable (cut short), and reading stops.
MAX_BAD_FRAMES_IN_A_ROW = 30

VIDEO_EXTENSIONS = (".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".3gp")


@dataclass(frozen=True)
class VideoInfo:
    """What probing a clip found. Width and height are those of the upright decoded frame."""

    path: str
    width: int
    height: int
    fps: float
    frame_count: int  # as the container states it; may be approximate
    duration_s: float
    rotation: int  # degrees of rotation metadata that the decoder applied (0, 90, 180, 270)
    codec: str


@dataclass(frozen=True)
class Frame:
    """One decoded frame: its index in the clip, its presentation time and the BGR image."""

    index: int
    time_s: float
    image: np.ndarray


def check_readable_file(path: str | Path) -> Path:
    """Fail with a one-line error unless `path` is an existing, non-empty regular file."""
    path = Path(path)
    try:
        facts = path.stat()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as error:  # a name too long, a loop of symlinks, a folder in the path that is a file
        raise InputError(path, f"cannot be opened: {error.strerror or error}") from None
    if stat.S_ISDIR(facts.st_mode):
        raise InputError(path, "is a folder, not a video file")
    if not os.access(path, os.R_OK):
        raise InputError(path, "cannot be read (permission denied)")
    if facts.st_size == 0:
        raise NotAnalysableError(path, "is an empty file")
    return path


def _open(path: Path):
    import cv2

    logging = cv2.utils.logging
    if logging.getLogLevel() > logging.LOG_LEVEL_ERROR:
        logging.setLogLevel(logging.LOG_LEVEL_ERROR)  # OpenCV's own warnings (see the top)
    capture = _capture(path)
    if not capture.isOpened():
        capture.release()
        raise NotAnalysableError(path, _why_unreadable(path))
    return capture


def _capture(path: Path):
    """cv2.VideoCapture of `path`. OpenCV crashes (segmentation fault) on a file name that is
    not valid UTF-8, so such a file is opened through a temporary symlink with a plain name
    (FFmpeg has the file open once the capture exists; the link can go)."""
    import tempfile

    import cv2

    name = str(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return cv2.VideoCapture(name, cv2.CAP_FFMPEG)
    with tempfile.TemporaryDirectory(prefix="gaitcheck-") as folder:
        link = os.path.join(folder, "clip")
        try:
            os.symlink(os.path.abspath(path), link)
        except OSError:
            raise NotAnalysableError(path, "has a file name that is not UTF-8, which OpenCV cannot open; "
                                           "rename the file") from None
        return cv2.VideoCapture(link, cv2.CAP_FFMPEG)


def _why_unreadable(path: Path) -> str:
    """The best one-line reason for a file OpenCV cannot open, from a look at its bytes."""
    import re

    generic = "is not a video OpenCV can read (unknown or damaged container)"
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(1 << 20)
            tail = b""
            if size > 2 << 20:  # an MP4's index may sit at the end
                handle.seek(-(1 << 20), os.SEEK_END)
                tail = handle.read()
    except OSError:
        return generic
    sample = head[:4096]
    if sample and b"\x00" not in sample:
        try:
            sample.decode("utf-8")
            text = True
        except UnicodeDecodeError as error:
            text = error.start >= len(sample) - 4  # only a character cut at the sample's end
        if text:
            return "is a text file, not a video"
    data = head + tail
    if head[4:8] == b"ftyp" and b"mdat" in data and b"moov" not in data:
        return ("is an MP4 without its index (no 'moov' box): damaged or cut short, as when a "
                "recording or a copy did not finish")
    tracks = set(re.findall(rb"hdlr.{8}(vide|soun)", data, re.DOTALL))
    if tracks == {b"soun"}:
        return "holds sound only, no video track"
    return generic


def probe(path: str | Path) -> VideoInfo:
    """Return the clip's facts; decodes the first frame to be sure the clip really plays."""
    import cv2

    path = check_readable_file(path)
    capture = _open(path)
    try:
        ok, first = capture.read()
        if not ok or first is None:
            raise NotAnalysableError(path, "holds no decodable video frames")
        fps = capture.get(cv2.CAP_PROP_FPS)
        if not np.isfinite(fps) or fps <= 0 or fps > 1000:
            raise NotAnalysableError(path, f"reports an impossible frame rate ({fps:g} fps)")
        frame_count = max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 1)
        fourcc = int(capture.get(cv2.CAP_PROP_FOURCC))
        codec = fourcc.to_bytes(4, "little").decode("ascii", "replace").strip("\x00 ") if fourcc > 0 else "?"
        rotation = int(capture.get(cv2.CAP_PROP_ORIENTATION_META)) % 360
    finally:
        capture.release()
    height, width = first.shape[:2]
    return VideoInfo(
        path=str(path), width=width, height=height, fps=float(fps), frame_count=frame_count,
        duration_s=frame_count / fps, rotation=rotation, codec=codec,
    )


def stills(path: str | Path, indices: list[int], max_side: int | None = None) -> list[np.ndarray]:
    """A few frames picked by index (seeking, not decoding the whole clip), upright, scaled."""
    import cv2

    path = check_readable_file(path)
    capture = _open(path)
    images = []
    try:
        for index in sorted(set(indices)):
            capture.set(cv2.CAP_PROP_POS_FRAMES, index)
            ok, image = capture.read()
            if not ok or image is None:
                continue
            images.append(scale_down(image, max_side))
    finally:
        capture.release()
    return images


def turn_image(image: np.ndarray, turn: int) -> np.ndarray:
    """Rotate an image clockwise by `turn` degrees (a multiple of 90)."""
    import cv2

    codes = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    turn %= 360
    return image if turn == 0 else cv2.rotate(image, codes[turn])


def scale_down(image: np.ndarray, max_side: int | None) -> np.ndarray:
    """The image scaled down (never up) to `max_side`. Bilinear for up to 2× (four times
    cheaper than area averaging on 1080p → 1280, 0.7 against 2.7 ms, and the pose model
    found the walker as often: 70.4% against 70.0% of sports2d_demo_2persons' frames), area
    averaging beyond, where bilinear would alias."""
    import cv2

    size = fit_within(image.shape[1], image.shape[0], max_side)
    if size == (image.shape[1], image.shape[0]):
        return image
    factor = image.shape[1] / size[0]
    return cv2.resize(image, size, interpolation=cv2.INTER_LINEAR if factor <= 2 else cv2.INTER_AREA)


def fit_within(width: int, height: int, max_side: int | None) -> tuple[int, int]:
    """The size of a frame scaled down (never up) so its longer side is at most `max_side`."""
    if not max_side or max(width, height) <= max_side:
        return width, height
    scale = max_side / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def frames(
    path: str | Path,
    *,
    stride: int = 1,
    start: int = 0,
    stop: int | None = None,
    turn: int = 0,
    max_side: int | None = None,
) -> Iterator[Frame]:
    """Yield frames `start, start+stride, …` (before `stop`), upright, optionally scaled down.

    Timestamps are the decoder's presentation times, so variable-frame-rate clips keep their
    real timing. Frames that are skipped by `stride` are grabbed but not converted.
    A clip that ends early (truncated) simply stops; the caller sees how many frames came.
    A frame that cannot be read is skipped (its index is missing from the frames yielded) and
    reading goes on, so one damaged frame does not cost the rest of the clip.
    """
    import cv2

    if stride < 1:
        raise ValueError("stride must be >= 1")
    path = check_readable_file(path)
    capture = _open(path)
    try:
        index = -1  # of the last frame read
        # OpenCV's FFmpeg backend seeks frame-accurately (it decodes on from the keyframe
        # before), checked against sequential reads on H.264, VP9 and MPEG-4 Part 2 clips.
        if start > 0 and capture.set(cv2.CAP_PROP_POS_FRAMES, start):
            index = start - 1
        announced = max(int(capture.get(cv2.CAP_PROP_FRAME_COUNT)), 0)
        fps = capture.get(cv2.CAP_PROP_FPS)
        failed = 0  # failed reads since the last good one
        last_time = -np.inf
        while stop is None or index + 1 < stop:
            if not capture.grab():
                # A damaged frame fails to read, but the frames after it may well decode: go
                # on unless the clip has ended or keeps failing (the rest is cut off).
                failed += 1
                if index + 1 >= announced or failed > MAX_BAD_FRAMES_IN_A_ROW:
                    return
                continue
            time_s = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0
            if time_s <= last_time:  # a decoder that stumbled may repeat a frame: once is enough
                continue
            if failed and np.isfinite(last_time) and 0 < fps <= 1000:
                index += max(1, round((time_s - last_time) * fps))  # frames lost in between
            else:
                index += 1
            failed, last_time = 0, time_s
            if index < start or (index - start) % stride:
                continue
            if stop is not None and index >= stop:
                return
            ok, image = capture.retrieve()
            if not ok or image is None:
                continue
            image = turn_image(image, turn)
            yield Frame(index=index, time_s=time_s, image=scale_down(image, max_side))
    finally:
        capture.release()
