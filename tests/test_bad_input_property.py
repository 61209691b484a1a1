"""Issue 8, properties: random damage to a valid clip never crashes or hangs gaitcheck; output
names made from input names never leave the output folder; file names are escaped in HTML.

The damaged clips run `python -m gaitcheck landmarks … -q` in a subprocess with a timeout, so a
crash (a signal), a hang or a traceback in the real program is caught as such.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bad_inputs import ffmpeg_exe, inside, leftovers, no_bug_output, one_clean_line, synth
from conftest import run_cli

HANG_S = 90  # a 1 s clip takes a few seconds; this long means stuck
NASTY = "<script>alert('x')</script> & \"quotes\" <b>"


@pytest.fixture(scope="module")
def small_clip(tmp_path_factory) -> Path:
    """A 1 s, 160×90 synthetic walk (H.264 when ffmpeg is there, else OpenCV's MPEG-4)."""
    folder = tmp_path_factory.mktemp("property")
    clip = synth(folder / "walk.mp4", seconds=1.0, size=(160, 90))
    if ffmpeg_exe() is not None:
        from bad_inputs import faststart_h264

        clip = faststart_h264(clip, folder / "walk_h264.mp4")
    return clip


@pytest.fixture(scope="module")
def small_series(small_clip, tmp_path_factory) -> Path:
    """The undamaged clip goes through: the baseline of the property test, and a series file."""
    out = tmp_path_factory.mktemp("series") / "walk.npz"
    code, _, err = run_cli("landmarks", small_clip, "-o", out, "-q", "--turn", "0", timeout=HANG_S)
    assert code == 0, err
    return out


def landmarks_with_timeout(clip: Path, out: Path) -> tuple[int, str]:
    env = dict(os.environ, COLUMNS="120", NO_COLOR="1", PYTHONIOENCODING="utf-8")
    try:
        done = subprocess.run([sys.executable, "-m", "gaitcheck", "landmarks", str(clip), "-o", str(out), "-q"],
                              capture_output=True, text=True, timeout=HANG_S, env=env)
    except subprocess.TimeoutExpired:
        pytest.fail(f"gaitcheck landmarks hung (> {HANG_S} s) on {clip}")
    return done.returncode, done.stderr


damage = st.lists(st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255)), min_size=1, max_size=24)


@settings(max_examples=8, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(flips=damage)
def test_random_byte_damage_never_crashes_or_hangs(small_clip, small_series, tmp_path_factory, flips):
    folder = tmp_path_factory.mktemp("damaged")
    data = bytearray(small_clip.read_bytes())
    for where, mask in flips:  # anywhere: container boxes as well as frame data
        data[int(where * len(data))] ^= mask
    clip = folder / "damaged.mp4"
    clip.write_bytes(bytes(data))
    out = folder / "series.npz"
    code, err = landmarks_with_timeout(clip, out)
    assert code in (0, 1), f"exit {code} (a negative code is a crash by signal): {err}"
    no_bug_output(err)
    assert leftovers(folder) == []
    if code == 0:
        from gaitcheck.series import load_series

        series = load_series(out)
        assert len(series) > 0 and np.all(np.diff(series.times) > 0)
    else:
        one_clean_line(err, clip)
        assert not out.exists()


# --- output names made from input names -------------------------------------------------------

def batch_available() -> bool:
    try:
        import gaitcheck.batch_inputs  # noqa: F401
    except ImportError:
        return False
    return True


file_names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
                     min_size=1, max_size=60).filter(lambda n: n not in (".", "..") and len(n.encode()) < 240)


@pytest.fixture(scope="module")
def names_folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("names")


@pytest.mark.skipif(not batch_available(), reason="gaitcheck/batch_inputs.py (batch) is not in this build")
@settings(max_examples=200, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=file_names, extension=st.sampled_from([".mp4", ".MOV", ""]))
def test_batch_output_names_stay_in_the_output_folder(names_folder, name, extension):
    """Whatever a clip is called, its output name is one safe file name inside OUTDIR/reports."""
    from gaitcheck.batch_inputs import find_clips

    clip = names_folder / f"{name}{extension}"
    clip.write_bytes(b"")
    try:
        (found,) = find_clips([str(clip)])
    finally:
        clip.unlink()
    stem = found.stem
    assert stem and "/" not in stem and "\\" not in stem and "\x00" not in stem
    assert stem not in (".", "..") and not stem.startswith(".")
    outdir = Path("/out/batch")
    for suffix in (".json", ".html", ".frames.csv"):
        target = outdir / "reports" / f"{stem}{suffix}"
        assert os.path.normpath(target).startswith(str(outdir / "reports") + os.sep)
        assert len(target.name.encode()) <= 255


NASTY_FILES = [
    "../escape.mp4", "..mp4", ".hidden.mp4", "-rf.mp4", "a\\..\\..\\b.mp4", "con.mp4",
    "x" * 240 + ".mp4", "new\nline.mp4", "ünï ✓ 🚶.mp4", "<script>alert(1)<\\script>.mp4", "sp ace .mp4",
]


@pytest.mark.skipif(not batch_available(), reason="gaitcheck/batch_inputs.py (batch) is not in this build")
def test_batch_with_hostile_file_names_writes_only_inside_its_folder(tmp_path):
    """Files that are not videos, with hostile names: each fails with its reason, every output
    lands inside OUTDIR, nothing is written elsewhere, and index.html escapes the names."""
    clips = tmp_path / "in"
    (clips / "sub").mkdir(parents=True)
    for name in NASTY_FILES:
        target = clips / "sub" / name.replace("../", "")
        target.write_text("not a video\n")
    # a name that climbs out of the folder it is given in, through a real '..'
    escape = tmp_path / "escape.mp4"
    escape.write_text("not a video\n")
    before = {p for p in tmp_path.rglob("*")}
    outdir = tmp_path / "out"
    code, out, err = run_cli("batch", clips / "sub", str(clips / "sub" / ".." / ".." / "escape.mp4"),
                             *[str(clips / "sub" / n.replace("../", "")) for n in (".hidden.mp4",)],
                             "-o", outdir, "-j", "1", "-q", timeout=300)
    assert code == 1, err  # nothing could be analysed: 1, with each clip listed
    assert "Traceback" not in err and "internal error" not in err
    written = {p for p in tmp_path.rglob("*")} - before
    assert written, "the batch wrote nothing at all"
    for path in written:
        assert inside(outdir, path), f"{path} is outside {outdir}"
    assert leftovers(outdir) == []
    index = outdir / "index.html"
    if index.is_file():
        page = index.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)" in page


@pytest.mark.skipif(not batch_available() or sys.platform != "linux", reason="batch, and raw byte names (Linux)")
def test_batch_with_a_name_that_is_not_utf8(tmp_path):
    """An old camera's Latin-1 name: the batch records it and writes its summary."""
    clips = tmp_path / "in"
    clips.mkdir()
    (clips / os.fsdecode(b"caf\xe9.mp4")).write_text("not a video\n")
    code, _, err = run_cli("batch", clips, "-o", tmp_path / "out", "-j", "1", "-q", timeout=300)
    no_bug_output(err)
    assert code == 1, err
    assert (tmp_path / "out" / "summary.csv").is_file()


# --- the HTML report escapes names that come from files --------------------------------------


def html_available() -> bool:
    code, out, _ = run_cli("analyze", "--help")
    return code == 0 and "--html" in out


def test_html_report_escapes_file_names(small_series, tmp_path):
    if not html_available():
        pytest.skip("gaitcheck analyze has no --html in this build (report work not merged yet)")
    folder = tmp_path / NASTY.replace("/", "|")
    folder.mkdir()
    clip = folder / f"{NASTY.replace('/', '|')}.npz"
    shutil.copyfile(small_series, clip)
    page = tmp_path / "report.html"
    code, _, err = run_cli("analyze", clip, "--html", page, "-q")
    assert code in (0, 1), err  # 1: a 1 s walk may be too short to judge; the report is written
    no_bug_output(err)
    text = page.read_text(encoding="utf-8")
    assert "<script>alert(" not in text, "a file name reached the page as markup"
    assert "&lt;script&gt;alert(" in text, "the file name should appear, escaped"
    assert "&quot;quotes&quot;" in text or "&#34;quotes&#34;" in text or '"quotes"' not in text
    assert leftovers(tmp_path) == []
