"""The pose model over every analysed frame of a clip: in one process, or in time chunks
spread over worker processes.

In one process, decoding runs in a thread beside inference (OpenCV and MediaPipe both release
the GIL), with a small bounded queue so memory stays flat whatever the clip's length.

A long clip is cut into time chunks, one per worker process, each with its own landmarker
(a landmarker cannot be shared or pickled). Each worker starts a little before its chunk
(`WARMUP_S`) so that MediaPipe's frame-to-frame tracking has settled when its chunk begins;
the warm-up frames are dropped, so every frame is detected exactly once, and the tracks are
joined afterwards by the ordinary tracking step, as if one process had done it all.
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

WARMUP_S = 1.0
MIN_CHUNK_S = 8.0  # shorter clips are not worth a worker's start-up (~1 s)


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
    """What every worker needs to run the model the same way (plain, picklable)."""

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
    report: Callable[[int], None] | None = None,
) -> Detections:
    """Poses in frames [start, stop) of the clip; frames before `keep_from` only warm up the
    tracker and are not returned. `report(n)` is told of every n newly kept frames."""
    found = Detections()
    with PoseEstimator(settings.model, max_persons=settings.max_persons, video=True) as estimator:
        frames = prefetch(_rgb_frames(Path(path), stride=settings.stride, start=start, stop=stop,
                                      turn=settings.turn, max_side=settings.max_side))
        for frame, rgb in frames:
            poses = drop_duplicates(estimator.detect(rgb, frame.time_s * 1000.0, frame_size=settings.frame_size))
            if frame.index < keep_from:
                continue
            found.indices.append(frame.index)
            found.times.append(frame.time_s)
            found.poses.append(poses)
            if report and len(found.indices) % 10 == 0:
                report(10)
    if report:
        report(len(found.indices) % 10)
    return found


def plan_chunks(frame_count: int, fps: float, stride: int, workers: int) -> list[tuple[int, int, int]]:
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
    """Processes worth starting for this clip: one per core for clips long enough to gain."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, int(info.duration_s // MIN_CHUNK_S)))


def _save(found: Detections, path: Path) -> None:
    """Write detections as flat arrays (one row per pose) for the parent process."""
    owner = [k for k, poses in enumerate(found.poses) for _ in poses]
    flat = [pose for poses in found.poses for pose in poses]

    def stack(name: str, shape: tuple[int, ...]) -> np.ndarray:
        return np.array([getattr(pose, name) for pose in flat], dtype=np.float32).reshape((len(flat), *shape))

    np.savez(path, indices=np.array(found.indices, dtype=np.int64), times=np.array(found.times),
             owner=np.array(owner, dtype=np.int64), xy=stack("xy", (33, 2)), z=stack("z", (33,)),
             visibility=stack("visibility", (33,)), presence=stack("presence", (33,)), world=stack("world", (33, 3)))


def _load(path: Path) -> Detections:
    with np.load(path) as data:
        found = Detections(data["indices"].tolist(), data["times"].tolist(), [[] for _ in data["indices"]])
        for row, frame in enumerate(data["owner"]):
            found.poses[frame].append(Pose(data["xy"][row], data["z"][row], data["visibility"][row],
                                           data["presence"][row], data["world"][row]))
    return found


def _run_chunks(path: Path, settings: Settings, chunks: list[tuple[int, int | None, int]], tick) -> Detections:
    """One `python -m gaitcheck.detect` process per chunk (nothing of the caller's main module
    is re-imported, unlike multiprocessing's spawn); progress comes back on their stdout."""
    import json
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gaitcheck-chunks-") as folder:
        outputs = [Path(folder) / f"chunk{k}.npz" for k in range(len(chunks))]
        logs = [output.with_suffix(".log") for output in outputs]  # a file, not a pipe: it never fills up
        children = []
        for (start, stop, keep_from), output, log in zip(chunks, outputs, logs):
            job = {"path": str(path), "settings": settings.__dict__, "start": start, "stop": stop,
                   "keep_from": keep_from, "output": str(output)}
            with open(log, "w") as errors:
                children.append(subprocess.Popen([sys.executable, "-m", "gaitcheck.detect", json.dumps(job)],
                                                 stdout=subprocess.PIPE, stderr=errors, text=True))
        lock = threading.Lock()

        def follow(child) -> None:
            for line in child.stdout:
                if line.strip().isdigit():
                    with lock:
                        tick(int(line))

        readers = [threading.Thread(target=follow, args=(child,), daemon=True) for child in children]
        for reader in readers:
            reader.start()
        try:
            failures = [log.read_text(errors="replace").strip().splitlines()[-1:]
                        for child, log in zip(children, logs) if child.wait() != 0]
        except BaseException:
            for child in children:
                child.kill()
            raise
        for reader in readers:
            reader.join()
        if failures:
            raise RuntimeError(f"a pose worker failed: {failures[0]}")
        found = Detections()
        for output in outputs:  # in chunk order, so frames stay in order
            found.extend(_load(output))
    return found


def detect_all(
    path: str | Path, info: video.VideoInfo, settings: Settings, *, workers: int = 1,
    progress: Progress | None = None,
) -> Detections:
    """Poses in every analysed frame, in frame order, using `workers` processes.

    Should a worker process fail, the whole pass runs again in this process."""
    expected = max(1, -(-info.frame_count // settings.stride))
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(min(done, expected), max(expected, done))

    if workers > 1:
        try:
            return _run_chunks(Path(path), settings, plan_chunks(info.frame_count, info.fps, settings.stride, workers), tick)
        except RuntimeError:
            done = 0
    return detect_range(path, settings, report=tick)


def _worker_main(job_text: str) -> None:
    """Entry point of a chunk worker: run the chunk, save it, print progress ticks."""
    import json

    job = json.loads(job_text)
    settings = Settings(**{**job["settings"], "frame_size": tuple(job["settings"]["frame_size"])})

    def report(n: int) -> None:
        print(n, flush=True)

    found = detect_range(job["path"], settings, job["start"], job["stop"], job["keep_from"], report)
    _save(found, Path(job["output"]))


if __name__ == "__main__":
    import sys

    _worker_main(sys.argv[1])
