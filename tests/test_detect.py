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


def test_two_workers_match_one(tmp_path):
    clip = tmp_path / "long.mp4"
    done = subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(clip), "--treadmill", "--duration", "9",
                           "--size", "320x240", "--seed", "5"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    one = extract(clip, workers=1, turn=0, second_look=False).series
    two = extract(clip, workers=2, turn=0, second_look=False).series
    assert np.array_equal(one.frame_index, two.frame_index)
    assert np.array_equal(one.detected, two.detected)
    # After a second of warm-up the tracker has settled: the chunk seam leaves no trace.
    assert np.nanmax(np.abs(one.xy - two.xy)) < 2.0
