"""`--fast`: the stride it picks from the frame rate, its use on a clip, and its usage errors."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from gaitcheck.fast import MIN_FAST_RATE, fast_options, fast_stride

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "walk_side_slouch.mp4"


@pytest.mark.parametrize("fps", [5, 12, 15, 23.976, 24, 25, 29.97, 30, 47.95, 48, 50, 59.94, 60, 90, 120, 240])
def test_stride_keeps_the_analysed_rate_and_no_more(fps):
    stride = fast_stride(fps)
    assert stride >= 1
    assert fps / stride >= MIN_FAST_RATE or stride == 1  # never below the rate, unless the clip is
    assert fps / (stride + 1) < MIN_FAST_RATE  # one more would fall below it: the largest such stride


@pytest.mark.parametrize("fps", [0, -1, math.nan, None])
def test_an_unknown_rate_analyses_every_frame(fps):
    assert fast_stride(fps) == 1


def test_options_without_fast_are_left_alone(tiny_clip):
    options = {"stride": 3, "max_side": 640}
    assert fast_options(tiny_clip, options) == options
    assert fast_options(tiny_clip, dict(options, fast=False)) == options


def test_fast_options_set_the_stride_of_the_clip_rate(tiny_clip):
    resolved = fast_options(tiny_clip, {"fast": True, "max_side": 640})
    assert resolved == {"stride": fast_stride(25.0), "max_side": 640}  # tiny_clip runs at 25 fps


@pytest.mark.parametrize("command", ["analyze", "batch"])
def test_fast_and_stride_together_is_a_usage_error(command, tiny_clip, tmp_path, cli):
    extra = ["-o", str(tmp_path / "out")] if command == "batch" else []
    code, out, err = cli(command, tiny_clip, *extra, "--fast", "--stride", "2")
    assert code == 2
    assert "--fast" in err and "--stride" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_fast_analyses_the_frames_its_stride_keeps(tmp_path, ffmpeg):
    from gaitcheck.commands.analyze import analyze

    clip = tmp_path / "walk_60fps.mp4"  # 2 s at 60 fps: --fast must thin it
    ffmpeg("-i", SAMPLE, "-t", "2", "-an", "-vf", "fps=60", "-c:v", "mpeg4", "-q:v", "3", clip)
    result = CliRunner().invoke(analyze, [str(clip), "--fast", "--json", str(tmp_path / "r.json"), "-q"],
                                catch_exceptions=False)
    assert result.exit_code in (0, 1)
    frames = json.loads((tmp_path / "r.json").read_text())["input"]["frames"]
    stride = fast_stride(60.0)
    assert stride > 1 and frames == math.ceil(120 / stride)
