"""The pose model over every analysed frame of a clip: in one thread, or in time chunks
spread over threads.

Each chunk runs in its own thread with its own landmarker (a landmarker cannot be shared),
its own decoder and a decode thread beside it: OpenCV and MediaPipe both release the GIL, so
two chunks keep two cores busy with no process start-up and nothing to pickle. Each chunk
starts a little before its span (`WARMUP_S`) so that MediaPipe's frame-to-frame tracking has
settled when its span begins; the warm-up frames are dropped, so every frame is detected
exactly once, and the tracks are joined afterwards by the ordinary tracking step.

People census: looking for two people costs the detector on every frame (MediaPipe skips its
detector only while it tracks as many people as it looks for): about a third more per frame.
So a chunk tracks one person and, three times a second (`CENSUS_S`), paints that person out
of the frame and asks a still-image landmarker with a lower detection threshold whether anyone
else is there; from the first frame with two people, the chunk looks for `max_persons` on
every frame. The lower threshold matters:
far-off people that the detector finds at 0.5 only now and then (which was enough when it ran
on every frame) show up at 0.3 in most frames (sports2d_demo_2persons: 2 people in 1 of 23
sampled frames at 0.5, in 12 of 23 at 0.3). A lone walker costs about a tenth more than
tracking one person; a clip with two people costs what it always did.
"""
from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from gaitcheck import video
from gaitcheck.pose import Pose, PoseEstimator
from gaitcheck.track import drop_duplicates

T = TypeVar("T")
Progress = Callable[[int, int], None]

WARMUP_S = 0.5
MIN_CHUNK_S = 2.0  # a chunk shorter than this is not worth its warm-up frames
CENSUS_S = 1 / 3
CENSUS_CONFIDENCE = 0.3  # lower than tracking's 0.5: a false alarm only costs speed, a miss costs the walker


@dataclass
class Detections:
    """Per analysed frame: clip frame index, presentation time, the poses found."""

    indices: list[int] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    poses: list[list[Pose]] = field(default_factory=list)

    def extend(self, other: Detections) -> None:
        self.indices += other.indices
        self.times += other.times
        self.poses += other.poses


@dataclass(frozen=True)
class Settings:
    """How every chunk runs the model."""

    model: str | None
    stride: int
    turn: int
    max_side: int | None
    max_persons: int
    frame_size: tuple[int, int]  # upright full-resolution size the coordinates refer to


def prefetch(items: Iterable[T], depth: int = 4) -> Iterator[T]:
    """Iterate `items` in a background thread, at most `depth` ahead (bounded memory)."""
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                buffer.put(item)
            buffer.put(done)
        except BaseException as error:  # handed to the consumer, re-raised there
            buffer.put(error)

    worker = threading.Thread(target=produce, daemon=True)
    worker.start()
    try:
        while True:
            item = buffer.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                buffer.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


def _rgb_frames(path: Path, **options) -> Iterator[tuple[video.Frame, np.ndarray]]:
    import cv2

    for frame in video.frames(path, **options):
        yield frame, cv2.cvtColor(frame.image, cv2.COLOR_BGR2RGB)


class Census:
    """Looks for people other than the ones being tracked, in still-image mode.

    The tracked people are painted out first, so that on a clip with one walker the
    still-image landmarker runs only its detector (which finds nobody): a census then costs
    a few milliseconds instead of a full second pose. One census serves every chunk (a lock
    keeps their calls apart): a landmarker holds ~60 MB."""

    def __init__(self, model: str | None, max_persons: int) -> None:
        self._estimator = PoseEstimator(model, max_persons=max_persons, video=False,
                                        min_detection=CENSUS_CONFIDENCE, min_presence=CENSUS_CONFIDENCE)
        self._lock = threading.Lock()

    def others(self, rgb: np.ndarray, tracked: list[Pose], frame_size: tuple[int, int]) -> int:
        """How many people the frame holds besides `tracked` (poses in frame_size pixels)."""
        if tracked:
            rgb = paint_out(rgb, [pose.xy for pose in tracked], rgb.shape[1] / frame_size[0])
        with self._lock:
            return len(drop_duplicates(self._estimator.detect(rgb)))

    def close(self) -> None:
        self._estimator.close()


def paint_out(rgb: np.ndarray, bodies: list[np.ndarray], scale: float, margin: float = 0.15) -> np.ndarray:
    """A copy of the image with each body's landmark box (grown by `margin` of its size on
    every side) filled with mid-grey; landmarks in pixels of a frame `1/scale` times the image."""
    out = rgb.copy()
    height, width = out.shape[:2]
    for xy in bodies:
        points = xy[np.isfinite(xy).all(axis=1)] * scale
        if len(points) == 0:
            continue
        (x0, y0), (x1, y1) = points.min(axis=0), points.max(axis=0)
        grow = margin * max(x1 - x0, y1 - y0)
        left, top = max(int(x0 - grow), 0), max(int(y0 - grow), 0)
        right, bottom = min(int(np.ceil(x1 + grow)), width), min(int(np.ceil(y1 + grow)), height)
        if right > left and bottom > top:
            out[top:bottom, left:right] = 128
    return out


def detect_range(
    path: str | Path, settings: Settings, start: int = 0, stop: int | None = None, keep_from: int = 0,
    report: Callable[[int], None] | None = None, cancel: threading.Event | None = None,
    census: Census | None = None,
) -> Detections:
    """Poses in frames [start, stop) of the clip; frames before `keep_from` only warm up the
    tracker and are not returned. `report(n)` is told of every n newly kept frames.
    `census` may be shared with other chunks; without one, the range opens its own."""
    found = Detections()
    crowd = settings.max_persons > 1
    own_census = Census(settings.model, settings.max_persons) if crowd and census is None else None
    census = census or own_census
    estimator = PoseEstimator(settings.model, max_persons=1 if crowd else settings.max_persons, video=True)
    next_census = -np.inf
    try:
        frames = prefetch(_rgb_frames(Path(path), stride=settings.stride, start=start, stop=stop,
                                      turn=settings.turn, max_side=settings.max_side), depth=2)
        for frame, rgb in frames:
            if cancel is not None and cancel.is_set():
                break
            poses = drop_duplicates(estimator.detect(rgb, frame.time_s * 1000.0, frame_size=settings.frame_size))
            if crowd and frame.time_s >= next_census:
                next_census = frame.time_s + CENSUS_S
                if len(poses) + census.others(rgb, poses, settings.frame_size) > 1:
                    # someone else is about: from this frame on, look for everyone
                    crowd = False
                    estimator.close()
                    estimator = PoseEstimator(settings.model, max_persons=settings.max_persons, video=True)
                    poses = drop_duplicates(estimator.detect(rgb, frame.time_s * 1000.0, frame_size=settings.frame_size))
            if frame.index < keep_from:
                continue
            found.indices.append(frame.index)
            found.times.append(frame.time_s)
            found.poses.append(poses)
            if report and len(found.indices) % 10 == 0:
                report(10)
    finally:
        estimator.close()
        if own_census is not None:
            own_census.close()
    if report:
        report(len(found.indices) % 10)
    return found


def plan_chunks(frame_count: int, fps: float, stride: int, workers: int) -> list[tuple[int, int | None, int]]:
    """(start, stop, keep_from) per chunk: equal spans on the stride grid, each but the first
    starting WARMUP_S early."""
    bounds = np.linspace(0, frame_count, workers + 1)
    bounds = [int(round(b / stride)) * stride for b in bounds]
    warmup = int(round(WARMUP_S * fps / stride)) * stride
    chunks = []
    for k, (begin, end) in enumerate(zip(bounds[:-1], bounds[1:])):
        stop = None if k == workers - 1 else end  # the last chunk reads to the real end
        chunks.append((max(0, begin - warmup) if k else 0, stop, begin))
    return chunks


def default_workers(info: video.VideoInfo) -> int:
    """Chunks worth running side by side for this clip: one per core for clips long enough."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, int(info.duration_s // MIN_CHUNK_S)))


def _run_chunks(path: Path, settings: Settings, chunks: list[tuple[int, int | None, int]], tick) -> Detections:
    """One thread per chunk; the first failure stops the others and is raised here."""
    lock = threading.Lock()
    cancel = threading.Event()
    results: list[Detections | BaseException | None] = [None] * len(chunks)

    def report(n: int) -> None:
        with lock:
            tick(n)

    census = Census(settings.model, settings.max_persons) if settings.max_persons > 1 else None

    def run(k: int, start: int, stop: int | None, keep_from: int) -> None:
        try:
            results[k] = detect_range(path, settings, start, stop, keep_from, report, cancel, census)
        except BaseException as error:  # re-raised in the caller's thread
            results[k] = error
            cancel.set()

    threads = [threading.Thread(target=run, args=(k, *chunk), daemon=True) for k, chunk in enumerate(chunks)]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.1)  # wakes for Ctrl-C
    except BaseException:
        cancel.set()
        raise
    finally:
        if census is not None and not any(thread.is_alive() for thread in threads):
            census.close()
    found = Detections()
    for result in results:  # in chunk order, so frames stay in order
        if isinstance(result, BaseException):
            raise result
        found.extend(result)
    return found


def detect_all(
    path: str | Path, info: video.VideoInfo, settings: Settings, *, workers: int = 1,
    progress: Progress | None = None,
) -> Detections:
    """Poses in every analysed frame, in frame order, using `workers` threads."""
    expected = max(1, -(-info.frame_count // settings.stride))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, expected), max(expected, done))

    if workers > 1:
        return _run_chunks(Path(path), settings, plan_chunks(info.frame_count, info.fps, settings.stride, workers), tick)
    return detect_range(path, settings, report=tick)
