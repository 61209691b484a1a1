"""The command line through `python -m gaitcheck`: fast help, and every error path gives one
line naming the file, the documented exit code, no traceback and no (partial) output file.

Exit codes (gaitcheck/errors.py): 1 not analysable, 2 usage/input, 3 output cannot be written.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import DATA, write_clip

# --- help is instant: no mediapipe, no cv2 ----------------------------------------------------


def test_help_lists_the_commands(cli):
    code, out, err = cli("--help")
    assert code == 0, err
    assert "info" in out and "landmarks" in out
    assert err == ""


@pytest.mark.parametrize("argv", [["--help"], ["info", "--help"], ["landmarks", "--help"], ["--version"]])
def test_help_does_not_import_mediapipe_or_cv2(argv):
    script = (
        "import sys, click\n"
        "from gaitcheck.cli import cli\n"
        "try:\n"
        f"    cli.main({argv!r}, standalone_mode=False)\n"
        "except click.exceptions.Exit:\n"
        "    pass\n"
        "heavy = sorted(m for m in ('mediapipe', 'cv2', 'scipy') if m in sys.modules)\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Usage" in done.stdout or "version" in done.stdout
    heavy = done.stdout.strip().splitlines()[-1]
    assert heavy.startswith("HEAVY=")
    assert "mediapipe" not in heavy and "cv2" not in heavy, heavy


# --- inputs that cannot be analysed ---------------------------------------------------------


def make_input(kind: str, folder: Path, ffmpeg=None, blank_clip: Path | None = None) -> Path:
    """Make one kind of bad input in `folder` and return its path."""
    if kind == "missing":
        return folder / "missing.mp4"
    if kind == "folder":
        path = folder / "clips.mp4"
        path.mkdir()
        return path
    if kind == "empty":
        path = folder / "empty.mp4"
        path.write_bytes(b"")
        return path
    if kind == "text":
        path = folder / "notes.mp4"
        path.write_text("these are not video frames\n" * 20)
        return path
    if kind == "audio_only":  # a valid MP4 with zero video frames
        path = folder / "audio_only.mp4"
        ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", path)
        return path
    if kind == "undecodable":  # a valid container whose frame data is zeroed out
        source = folder / "source.mp4"
        ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=1", "-c:v", "libx264",
               "-pix_fmt", "yuv420p", "-movflags", "+faststart", source)
        data = bytearray(source.read_bytes())
        start = data.find(b"mdat") + 4
        data[start:] = bytes(len(data) - start)
        source.unlink()
        path = folder / "undecodable.mp4"
        path.write_bytes(bytes(data))
        return path
    if kind == "nobody":
        path = folder / "nobody.mp4"
        path.write_bytes(blank_clip.read_bytes())
        return path
    raise ValueError(kind)


INPUT_CASES = [  # kind, exit code, words the message must contain
    ("missing", 2, "no such file"),
    ("folder", 2, "folder"),
    ("empty", 1, "empty"),
    ("text", 1, "video"),
    ("audio_only", 1, ""),
    ("undecodable", 1, ""),
]


def assert_one_clean_line(err: str, named: Path | str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected exactly one line on stderr, got {len(lines)}:\n{err}"
    assert lines[0].startswith("gaitcheck: "), lines[0]
    assert str(named) in lines[0], f"the message must name {named}: {lines[0]}"
    return lines[0]


@pytest.mark.parametrize("kind, code, words", INPUT_CASES, ids=[c[0] for c in INPUT_CASES])
def test_info_on_bad_input(cli, tmp_path, ffmpeg, kind, code, words):
    path = make_input(kind, tmp_path, ffmpeg)
    before = sorted(p.name for p in tmp_path.iterdir())
    got, out, err = cli("info", path.name, cwd=tmp_path)
    assert got == code, err
    line = assert_one_clean_line(err, path.name)
    assert words in line
    assert out == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("kind, code, words", INPUT_CASES + [("nobody", 1, "nobody found")],
                         ids=[c[0] for c in INPUT_CASES] + ["nobody"])
def test_landmarks_on_bad_input(cli, tmp_path, ffmpeg, blank_clip, kind, code, words):
    path = make_input(kind, tmp_path, ffmpeg, blank_clip)
    before = sorted(p.name for p in tmp_path.iterdir())
    got, out, err = cli("landmarks", path.name, "-o", "series.npz", cwd=tmp_path)
    assert got == code, err
    line = assert_one_clean_line(err, path.name)
    assert words in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "no output or temporary file may be left"


def test_info_json_on_a_good_clip(cli, tiny_clip):
    code, out, err = cli("info", tiny_clip, "--json")
    assert code == 0, err
    facts = json.loads(out)
    assert (facts["width"], facts["height"], facts["frame_count"]) == (160, 96, 40)
    assert facts["fps"] == pytest.approx(25.0)


# --- outputs that cannot be written ---------------------------------------------------------


@pytest.fixture(scope="module")
def figure_clip(tmp_path_factory) -> Path:
    """A short clip of a standing drawn figure (tests/data/figure.png): someone to find."""
    import cv2

    image = cv2.imread(str(DATA / "figure.png"), cv2.IMREAD_COLOR)
    image = cv2.resize(image, (240, 320), interpolation=cv2.INTER_AREA)
    return write_clip(tmp_path_factory.mktemp("figure") / "figure.mp4", [image] * 5, 10.0)


def test_output_is_a_folder(cli, tmp_path, figure_clip):
    target = tmp_path / "out"
    target.mkdir()
    code, _, err = cli("landmarks", figure_clip, "-o", target, cwd=tmp_path)
    assert code == 3, err
    assert_one_clean_line(err, target)
    assert list(target.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["out"]


def test_output_folder_does_not_exist(cli, tmp_path, figure_clip):
    target = tmp_path / "no" / "such" / "series.npz"
    code, _, err = cli("landmarks", figure_clip, "-o", target, cwd=tmp_path)
    assert code == 3, err
    assert_one_clean_line(err, target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_output_folder_read_only(cli, tmp_path, figure_clip):
    if os.geteuid() == 0:
        pytest.skip("running as root: a chmod 555 folder is still writable for root "
                    "(test_output_folder_refuses_even_root covers the late failure)")
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        code, _, err = cli("landmarks", figure_clip, "-o", folder / "series.npz", cwd=tmp_path)
        assert code == 3, err
        assert_one_clean_line(err, folder / "series.npz")
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/sys/kernel").is_dir(),
                    reason="needs Linux sysfs (a folder nobody, not even root, can create files in)")
def test_output_folder_refuses_even_root(cli, tmp_path, figure_clip):
    """A folder that passes the early access check (for root) but refuses the file at the end:
    the work is done, then writing fails; exit 3, one line, and nothing left behind."""
    target = Path("/sys/gaitcheck-test-series.npz")
    try:
        code, _, err = cli("landmarks", figure_clip, "-o", target, "-q", cwd=tmp_path)
    finally:
        if target.is_file():  # never expected; do not leave litter if a kernel allowed it
            target.unlink()
    assert code == 3, err
    assert_one_clean_line(err, target)
    assert not list(Path("/sys").glob(".gaitcheck-test-series.npz.*"))
    assert list(tmp_path.iterdir()) == []


# --- success on a real clip -----------------------------------------------------------------


@pytest.mark.clips
def test_landmarks_on_a_short_real_clip(cli, tmp_path, real_clip):
    from gaitcheck import video
    from gaitcheck.series import load_series

    clip = real_clip("bg_side_normal_01.mp4")
    code, out, err = cli("landmarks", clip, "-o", "walk.npz", "--max-side", "640", cwd=tmp_path)
    assert code == 0, err
    assert "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["walk.npz"]
    series = load_series(tmp_path / "walk.npz")
    frames = sum(1 for _ in video.frames(clip, max_side=64))
    assert len(series) == frames
    np.testing.assert_array_equal(series.frame_index, np.arange(frames))
    assert np.all(np.diff(series.times) > 0)
    assert (series.width, series.height) == (960, 540)
    print(f"{clip.name}: walker found in {series.detected_fraction:.1%} of {frames} frames")
    assert series.detected_fraction > 0.6
    assert series.processing.get("lowpass_hz") == 6.0
    assert Path(series.source).name == clip.name


@pytest.mark.clips
@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
def test_interrupted_run_leaves_nothing(tmp_path, real_clip, ffmpeg):
    import signal
    import time

    # three times the older woman's walk (40 s, ~15 s of work on both cores): long enough to
    # be interrupted in the middle of the pose pass on any machine of this kind
    clip = tmp_path.parent / f"{tmp_path.name}-long.mp4"
    ffmpeg("-stream_loop", 2, "-i", real_clip("sports2d_side_older_woman.mp4"), "-c", "copy", clip)
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1")
    # Ctrl-C at its default in the run, as in a terminal: a test run started in the background
    # of a script (`(pytest &)`) inherits SIGINT ignored, and so would the child.
    process = subprocess.Popen([sys.executable, "-m", "gaitcheck", "landmarks", clip, "-o", "series.npz"],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(6)  # well into the pose model's work
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the run finished before it could be interrupted (very fast machine)")
    assert process.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err and lines == ["gaitcheck: interrupted"], err
    assert list(tmp_path.iterdir()) == []
