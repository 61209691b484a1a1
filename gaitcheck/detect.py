"""The pose model over every analysed frame of a clip: in one thread, or in time chunks
spread over threads.

Each chunk runs in its own thread with its own landmarker (a landmarker cannot be shared),
its own decoder and a decode thread beside it: OpenCV and MediaPipe both release the GIL, so
two chunks keep two cores busy with no process start-up and nothing to pickle. Each chunk
starts a little before its span (`WARMUP_S`) so that MediaPipe's frame-to-frame tracking has
settled when its span begins; the warm-up frames are dropped, so every frame is detected
exactly once, and the tracks are joined afterwards by the ordinary tracking step.

Once nobody has been seen for half a second (before the walker enters, after they leave),
only every third frame goes through the model; a walker is then first seen up to two frames
late, and the second look (refine.py) goes back for those frames.

Two poses are always asked of MediaPipe, even when one person is wanted. With `num_poses=1`
it tracks: each frame's crop comes from the last frame's landmarks and its detector sleeps.
With two (and one person in view) the detector runs on every frame and its fresh crop is
used. The tracked crops lag the body: on the synthetic samples a 15.9° slouch read 11.9°
tracked against 15.5° re-detected, a 34.8° arm swing 20.1° against 25.8°. The detector costs
about a third more per frame; fidelity comes first.
"""
from __future__ import annotations

import os
import queue
import threading
import time
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
MIN_POSES_ASKED = 2  # see above: one asked pose means tracked, damped crops
EMPTY_BEFORE_SKIPPING_S = 0.5  # nobody seen for this long (a walker missed for a moment is not gone) …
LOOK_EVERY_WHILE_EMPTY = 3  # … and only every third frame goes through the model until someone appears
STOP_WAIT_S = 30.0  # after Ctrl-C or a failure: how long the chunks get to finish their frame and close


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


def detect_range(
    path: str | Path, settings: Settings, start: int = 0, stop: int | None = None, keep_from: int = 0,
    report: Callable[[int], None] | None = None, cancel: threading.Event | None = None,
) -> Detections:
    """Poses in frames [start, stop) of the clip, at most `settings.max_persons` per frame
    (the most visible); frames before `keep_from` only warm up the tracker and are not
    returned. `report(n)` is told of every n newly kept frames."""
    found = Detections()
    asked = max(settings.max_persons, MIN_POSES_ASKED)
    with PoseEstimator(settings.model, max_persons=asked, video=True) as estimator:
        frames = prefetch(_rgb_frames(Path(path), stride=settings.stride, start=start, stop=stop,
                                      turn=settings.turn, max_side=settings.max_side), depth=2)
        empty_since: float | None = None  # time of the first of the frames in a row found empty
        for n, (frame, rgb) in enumerate(frames):
            if cancel is not None and cancel.is_set():
                break
            skipping = empty_since is not None and frame.time_s - empty_since >= EMPTY_BEFORE_SKIPPING_S
            if skipping and n % LOOK_EVERY_WHILE_EMPTY:
                poses = []  # nobody in view: look at every few frames only, until someone comes
            else:
                poses = drop_duplicates(estimator.detect(rgb, frame.time_s * 1000.0, frame_size=settings.frame_size))
                empty_since = None if poses else (frame.time_s if empty_since is None else empty_since)
            if frame.index < keep_from:
                continue
            found.indices.append(frame.index)
            found.times.append(frame.time_s)
            found.poses.append(poses[:settings.max_persons])
            if report and len(found.indices) % 10 == 0:
                report(10)
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
    """One thread per chunk; the first failure stops the others and is raised here.

    Waits on each chunk's own `finished` event, not on `Thread.join`: on CPython 3.11 a Ctrl-C
    that lands inside `join` marks the joined thread as stopped while it still runs, so a
    later join returns at once, and the thread then closes its landmarker after the CLI has
    put stderr back; MediaPipe's teardown log lines then broke the one-line "interrupted"
    message (seen in tests/test_cli_errors.py about once in twenty runs)."""
    lock = threading.Lock()
    cancel = threading.Event()
    results: list[Detections | BaseException | None] = [None] * len(chunks)
    finished = [threading.Event() for _ in chunks]

    def report(n: int) -> None:
        with lock:
            tick(n)

    def run(k: int, start: int, stop: int | None, keep_from: int) -> None:
        try:
            results[k] = detect_range(path, settings, start, stop, keep_from, report, cancel)
        except BaseException as error:  # re-raised in the caller's thread
            results[k] = error
            cancel.set()
        finally:
            finished[k].set()  # its landmarker is closed by now

    started: list[int] = []
    try:
        for k, chunk in enumerate(chunks):
            started.append(k)  # before start(): a Ctrl-C inside start() may come once the thread runs
            threading.Thread(target=run, args=(k, *chunk), daemon=True).start()
        for k in started:
            while not finished[k].wait(timeout=0.1):  # wakes for Ctrl-C
                pass
    except BaseException:
        cancel.set()  # each chunk stops after its current frame and closes its landmarker
        deadline = time.monotonic() + STOP_WAIT_S
        for k in started:
            finished[k].wait(timeout=max(0.0, deadline - time.monotonic()))
        raise
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
