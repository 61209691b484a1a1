"""The pose pass split into time chunks over worker processes gives what one process gives."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gaitcheck.detect import plan_chunks
from gaitcheck.extract import extract


@pytest.mark.parametrize("frames, stride, workers", [(300, 1, 2), (301, 2, 2), (1000, 3, 4), (50, 1, 3)])
def test_chunks_cover_every_analysed_frame_once(frames, stride, workers):
    kept = []
    for start, stop, keep_from in plan_chunks(frames, 30.0, stride, workers):
        assert start <= keep_from and start % stride == 0 and keep_from % stride == 0
        end = frames if stop is None else stop
        kept += [i for i in range(start, end) if (i - start) % stride == 0 and i >= keep_from]
    assert kept == list(range(0, frames, stride))


def _frame_differences(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Largest landmark distance per frame between two (T, 33, 2) series, frames seen in both."""
    both = ~np.isnan(a).any(axis=(1, 2)) & ~np.isnan(b).any(axis=(1, 2))
    return np.abs(a[both] - b[both]).max(axis=(1, 2))


def test_two_chunks_match_one_pass(tmp_path):
    """Splitting the clip in two threads leaves the walker's series as one pass would give it.

    In one-person tracking MediaPipe's landmarks depend a little on the frames before (each
    frame's crop comes from the last frame's landmarks): one pass started at another frame
    differs by a few pixels too. The chunked series must differ from the single pass no more
    than that, with the same frames and the same detections."""
    clip = tmp_path / "long.mp4"
    done = subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(clip), "--treadmill", "--duration", "9",
                           "--size", "320x240", "--seed", "5"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    one = extract(clip, workers=1, turn=0, second_look=False).series
    two = extract(clip, workers=2, turn=0, second_look=False).series
    assert np.array_equal(one.frame_index, two.frame_index)
    assert np.array_equal(one.detected, two.detected)
    seam = plan_chunks(len(one), one.fps, 1, 2)[1][2]
    later = extract_range(clip, start=seam - 30)  # a single pass started a second before the seam

    chunked = _frame_differences(one.xy[seam:], two.xy[seam:])
    restarted = _frame_differences(one.xy[seam:], later[30:])
    assert np.median(chunked) <= max(1.5 * np.median(restarted), 1.0)
    assert np.median(chunked) < 5.0  # pixels, in a 240-pixel-high frame
    assert np.array_equal(one.xy[:seam], two.xy[:seam])  # the first chunk is the single pass


def extract_range(clip, start: int) -> np.ndarray:
    """The (first) person's landmarks from a one-thread pass that starts at frame `start`."""
    from gaitcheck.detect import Settings, detect_range
    from gaitcheck.video import probe

    info = probe(clip)
    found = detect_range(clip, Settings(None, 1, 0, None, 2, (info.width, info.height)), start=start)
    return np.array([poses[0].xy if poses else np.full((33, 2), np.nan) for poses in found.poses])



def test_one_wanted_person_is_still_found_afresh_in_every_frame():
    """MediaPipe asked for one pose tracks its crops from frame to frame and under-reads the
    body's angles (this clip's 15.9° slouch read 11.9°); the pass always asks for two."""
    from gaitcheck.analysis import analyze_series

    clip = Path(__file__).resolve().parents[1] / "samples" / "walk_side_slouch.mp4"
    drawn = json.loads(clip.with_suffix(".truth.json").read_text())["metrics"]["trunk_lean_deg"]["value"]
    for wanted in (1, 2):
        measured = analyze_series(extract(clip, max_persons=wanted, turn=0).series).metrics["trunk_lean_deg"].value
        assert abs(measured - drawn) < 2.0, (wanted, measured, drawn)


def test_empty_stretches_are_looked_at_every_third_frame(tmp_path, monkeypatch):
    """Half a second after anyone was last seen only every third frame goes through the model;
    from the first frame with someone, every frame does; every frame is still in the result."""
    import gaitcheck.detect as detect
    from gaitcheck.pose import Pose
    from gaitcheck.video import probe

    clip = tmp_path / "walk.mp4"
    done = subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(clip), "--duration", "3",
                           "--size", "320x180", "--seed", "2"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    person_from_ms = 2000.0  # the fake model sees someone from 2 s on
    seen_at: list[float] = []

    class FakeEstimator:
        def __init__(self, *args, **kwargs):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def detect(self, rgb, time_ms, frame_size=None):
            seen_at.append(time_ms)
            if time_ms < person_from_ms:
                return []
            xy = np.tile(np.array([[100.0, 50.0]], dtype=np.float32), (33, 1)) + np.arange(33)[:, None]
            zeros = np.zeros(33, dtype=np.float32)
            return [Pose(xy, zeros, zeros + 1, zeros + 1, np.zeros((33, 3), dtype=np.float32))]

    monkeypatch.setattr(detect, "PoseEstimator", FakeEstimator)
    info = probe(clip)
    found = detect.detect_range(clip, detect.Settings(None, 1, 0, None, 2, (info.width, info.height)))
    assert found.indices == list(range(info.frame_count))  # every frame is in the result
    times = np.array(found.times) * 1000.0
    looked = np.isin(np.round(times, 3), np.round(seen_at, 3))
    before, after = looked[times < person_from_ms], looked[times >= person_from_ms + 100]
    patient = times[: len(before)] - times[0] < detect.EMPTY_BEFORE_SKIPPING_S * 1000.0
    assert before[patient].all()  # a walker missed for a moment is looked for in every frame
    assert 0.25 < before[~patient].mean() < 0.45  # then one frame in three
    assert after.all()
    assert all(bool(poses) == (t >= person_from_ms and looked_at)
               for poses, t, looked_at in zip(found.poses, times, looked))


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_ctrl_c_waits_until_every_chunk_has_closed_its_landmarker(monkeypatch):
    """A Ctrl-C while the chunks run: _run_chunks raises only once every chunk has stopped and
    closed its landmarker. On CPython 3.11 a Ctrl-C inside Thread.join marks the joined thread
    stopped while it still runs; waiting on joins then let a chunk close its landmarker after
    the CLI had put stderr back, and MediaPipe's teardown lines reached the user's terminal."""
    import signal
    import threading
    import time

    from gaitcheck import detect

    closed: list[int] = []
    running = threading.Barrier(3)

    def chunk_that_closes_slowly(path, settings, start, stop, keep_from, report, cancel):
        running.wait()
        cancel.wait(timeout=10)
        # finishing a frame and closing the landmarker; the first chunk, the one the main thread
        # waits on when the Ctrl-C lands, takes longest, so returning early shows in `closed`
        time.sleep(0.6 if start == 0 else 0.1)
        closed.append(start)
        return detect.Detections()

    monkeypatch.setattr(detect, "detect_range", chunk_that_closes_slowly)

    def ctrl_c() -> None:
        running.wait()
        time.sleep(0.2)  # the main thread is waiting on the chunks by now
        # sent to the main thread, so it lands inside its wait, where join-based waiting broke
        signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)

    # Ctrl-C raises KeyboardInterrupt, as in a terminal, even when the test run inherited
    # SIGINT ignored (started in the background of a script: `(pytest &)`).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    threading.Thread(target=ctrl_c, daemon=True).start()
    closed_when_raised: list[int] = []
    try:
        with pytest.raises(KeyboardInterrupt):
            try:
                detect._run_chunks(Path("clip.mp4"), None, [(0, 10, 0), (10, None, 10)], lambda n: None)
            except KeyboardInterrupt:
                closed_when_raised = sorted(closed)
                raise
    finally:
        signal.signal(signal.SIGINT, previous)
    assert closed_when_raised == [0, 10]
