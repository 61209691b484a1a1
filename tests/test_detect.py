"""The pose pass split into time chunks over worker processes gives what one process gives."""
from __future__ import annotations

import subprocess
import sys

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


def test_paint_out_greys_each_body_box_and_nothing_else():
    from gaitcheck.detect import paint_out

    image = np.zeros((100, 200, 3), dtype=np.uint8)
    body = np.array([[40.0, 20.0], [60.0, 80.0], [np.nan, np.nan]])  # in a frame twice the image's size
    out = paint_out(image, [body], scale=0.5, margin=0.1)
    grey = np.argwhere(out[..., 0] == 128)
    (top, left), (bottom, right) = grey.min(axis=0), grey.max(axis=0)
    assert (left, top, right, bottom) == (17, 7, 32, 42)  # x 20..30, y 10..40, grown by 3 px (end exclusive)
    assert (out == 128).sum() == (bottom - top + 1) * (right - left + 1) * 3
    assert image.max() == 0  # the caller's frame is untouched


@pytest.mark.parametrize("second_person", [False, True])
def test_census_looks_for_two_only_when_someone_else_is_there(tmp_path, monkeypatch, second_person):
    """One tracked person costs one pose per frame; a second walker makes the pass look for two."""
    import gaitcheck.detect as detect
    from gaitcheck.video import probe

    clip = tmp_path / "walk.mp4"
    command = [sys.executable, "-m", "gaitcheck", "synth", str(clip), "--duration", "4", "--size", "480x270",
               "--seed", "3"] + (["--second-person"] if second_person else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    looked_for = []
    real = detect.PoseEstimator

    def counting(*args, **kwargs):
        if kwargs.get("video"):
            looked_for.append(kwargs["max_persons"])
        return real(*args, **kwargs)

    monkeypatch.setattr(detect, "PoseEstimator", counting)
    info = probe(clip)
    found = detect.detect_range(clip, detect.Settings(None, 1, 0, None, 2, (info.width, info.height)))
    most = max(len(poses) for poses in found.poses)
    if second_person:
        assert looked_for == [1, 2] and most == 2
    else:
        assert looked_for == [1] and most == 1
