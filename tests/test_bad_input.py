"""Issue 8: bad and awkward inputs never break gaitcheck, and nothing is ever lost.

Every case is generated here from one short synthetic walk (tests/bad_inputs.py). For each:
either one line `gaitcheck: <file>: <problem>` with the documented exit code, or a report whose
absent metrics and unjudged rules say why; never a traceback or an "internal error"; never a
partial output or a temporary file left in the output folder. The README's "Troubleshooting"
table lists the same cases with their outcomes.

tests/test_cli_errors.py already covers missing path, folder, empty file, text named .mp4,
audio-only and undecodable clips for `info` and `landmarks`, nobody in view for `landmarks`,
output a folder or in a missing folder, a /sys write and Ctrl-C; this file does not repeat them.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from bad_inputs import (SIZE, absent, check_report, faststart_h264, ffmpeg_exe, flip_bytes, frame_data_span,
                        leftovers, no_bug_output, one_clean_line, run_ffmpeg, synth, transform, truncate)
from conftest import run_cli, write_clip

pytestmark = pytest.mark.skipif(ffmpeg_exe() is None, reason="needs imageio-ffmpeg's ffmpeg binary")

UNICODE_FOLDER = "Gänge & Schritte 🚶"
PORTRAIT_HEIGHT = 568  # 320×568: 9:16
UNICODE_NAME = "süd walk — ünïcødé 步行 (1).mp4"


# --- the corpus: each input made once per session, on first use ------------------------------


class Corpus:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self.made:
            self.made[name] = getattr(self, "make_" + name)(self.folder / f"{name}.mp4")
        return self.made[name]

    # sources
    def make_walk(self, out):  # 2.5 s side view, 320×180, 24 fps
        return synth(out)

    def make_phone(self, out):  # the same walk as a phone would store it: H.264, index first
        return faststart_h264(self["walk"], out)

    # damaged files
    def make_truncated_10(self, out):
        return truncate(self["phone"], out, 0.10)

    def make_truncated_50(self, out):
        return truncate(self["phone"], out, 0.50)

    def make_truncated_90(self, out):
        return truncate(self["phone"], out, 0.90)

    def make_truncated_no_index(self, out):  # index at the end (OpenCV's writer): cut off with it
        return truncate(self["walk"], out, 0.50)

    def make_flipped_bytes(self, out):  # 40 random bytes of frame data flipped
        data = self["phone"].read_bytes()
        start, stop = frame_data_span(data)
        rng = np.random.default_rng(1)
        out.write_bytes(flip_bytes(data, rng.integers(start, stop, 40), rng.integers(1, 256, 40)))
        return out

    def make_unknown_codec(self, out):  # the sample entry's codec name damaged: OpenCV finds no decoder
        out.write_bytes(self["phone"].read_bytes().replace(b"avc1", b"zzzz"))
        return out

    def make_zero_video_frames(self, out):  # a video track with no frames in it
        run_ffmpeg("-f", "lavfi", "-i", "testsrc=size=160x120:rate=25:duration=1", "-frames:v", "0",
                   "-c:v", "libx264", out)
        return out

    def make_audio_only(self, out):
        run_ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", out)
        return out

    # too little walk
    def make_one_frame(self, out):
        run_ffmpeg("-i", self["walk"], "-frames:v", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p", out)
        return out

    def make_single_step(self, out):  # 2 s at 30 steps/min: one heel strike
        return synth(out, "--set", "cadence_spm=30", seconds=2.0)

    def make_nobody(self, out):  # plain grey frames, 1 s: a valid clip with nobody in it
        return write_clip(out, (np.full((120, 160, 3), 128, np.uint8) for _ in range(24)), 24.0)

    # the walker badly framed or lit
    def make_leaving_midway(self, out):  # crop to the left half: the walker walks out halfway
        return transform(self["walk"], out, lambda image, k, n: np.ascontiguousarray(image[:, : SIZE[0] // 2]))

    def make_feet_cut_off(self, out):  # crop the bottom 28%: shins and feet out of frame
        return transform(self["walk"], out, lambda image, k, n: np.ascontiguousarray(image[: int(SIZE[1] * 0.72)]))

    def make_two_people(self, out):
        return synth(out, "--second-person")

    def make_very_dark(self, out):  # 6% of the light
        return transform(self["walk"], out, lambda image, k, n: (image.astype(np.float32) * 0.06).astype(np.uint8))

    # awkward formats
    def make_4k(self, out):  # 1 s upscaled to 3840×2160
        run_ffmpeg("-i", self["walk"], "-t", "1", "-vf", "scale=3840:2160:flags=bicubic", "-c:v", "libx264",
                   "-preset", "ultrafast", "-pix_fmt", "yuv420p", out)
        return out

    def make_portrait_rotation(self, out):  # a portrait phone clip: frames stored sideways + flag
        stored = self.folder / "portrait_stored.mp4"  # the walk in a 9:16 frame, turned on its side
        run_ffmpeg("-i", self["walk"], "-vf", f"pad={SIZE[0]}:{PORTRAIT_HEIGHT}:0:(oh-ih)/2,transpose=2",
                   "-c:v", "libx264", "-pix_fmt", "yuv420p", stored)
        run_ffmpeg("-display_rotation", -90, "-i", stored, "-c", "copy", out)  # "turn 90° cw to show"
        return out

    def make_variable_frame_rate(self, out):  # 30 frames at 24 fps, then 30 at 12 fps
        run_ffmpeg("-i", self["walk"], "-vf", "setpts='if(lt(N,30),N/24,1.25+(N-30)/12)/TB'",
                   "-fps_mode", "passthrough", "-c:v", "libx264", "-pix_fmt", "yuv420p", out)
        return out

    def make_unicode_path(self, out):
        folder = self.folder / UNICODE_FOLDER
        folder.mkdir(exist_ok=True)
        target = folder / UNICODE_NAME
        shutil.copyfile(self["walk"], target)
        return target


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Corpus:
    return Corpus(tmp_path_factory.mktemp("bad_inputs"))


# --- one analyze run per case, shared by the tests ------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    outdir: Path
    clip: Path
    series: Path | None = None

    @property
    def document(self) -> dict | None:
        path = self.outdir / "report.json"
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


@pytest.fixture(scope="session")
def analysed(corpus, tmp_path_factory):
    done: dict[str, Outcome] = {}

    def run(name: str, *extra: str) -> Outcome:
        if name not in done:
            clip = corpus[name]
            outdir = tmp_path_factory.mktemp(f"out_{name}")
            # the orientation check (pose model on stills) only where it is part of the case
            turn = ("--turn", "auto" if name in AUTO_TURN else "0")
            if name == "unicode_path":  # the series is kept for the tests that need one (no rerun)
                series_folder = tmp_path_factory.mktemp("series") / "Ausgabe ü ✓"
                series_folder.mkdir()
                extra = ("--save-series", series_folder / SERIES_NAME, *extra)
            code, out, err = run_cli("analyze", clip, "--json", outdir / "report.json", "-q", *turn, *extra,
                                     cwd=clip.parent, timeout=600)
            series = series_folder / SERIES_NAME if name == "unicode_path" else None
            done[name] = Outcome(code, out, err, outdir, clip, series)
        return done[name]

    return run


AUTO_TURN = {"portrait_rotation", "two_people", "nobody", "very_dark", "unicode_path"}

# What each case must come to: "error" = exit 1 and one line, nothing written; "report" =
# exit 0 and a report; "not_analysable" = exit 1 after writing a report that says why nothing
# could be judged (analyze's documented behaviour for a not_analysable verdict).
CASES = [  # case, outcome, words in the error line or a report note
    ("truncated_10", "error", "no decodable video frames"),
    ("truncated_50", "report", "cut short"),
    ("truncated_90", "report", "cut short"),
    ("truncated_no_index", "error", "cut short"),
    ("flipped_bytes", "report_or_not_analysable", ""),
    ("unknown_codec", "error", "not a video"),  # OpenCV's own "[ERROR…] … open" lines must not show
    ("zero_video_frames", "error", "not a video"),
    ("audio_only", "error", "sound only"),
    ("one_frame", "not_analysable", ""),
    ("single_step", "report", ""),
    ("nobody", "error", "nobody found"),
    ("leaving_midway", "report", ""),
    ("feet_cut_off", "report", "feet are outside the picture"),
    ("two_people", "report", ""),
    ("very_dark", "error", "very dark"),
    ("4k", "report_or_not_analysable", ""),  # 1 s: too short for most metrics
    ("portrait_rotation", "report", ""),
    ("variable_frame_rate", "report", ""),
    ("unicode_path", "report", ""),
]


def check_outcome(result: Outcome, outcome: str, words: str) -> dict | None:
    no_bug_output(result.err)
    assert leftovers(result.outdir) == [], "temporary or partial files left behind"
    if outcome == "report_or_not_analysable":
        outcome = "report" if result.code == 0 else "not_analysable"
    if outcome == "error":
        assert result.code == 1, result.err
        line = one_clean_line(result.err, result.clip)
        assert words in line
        assert list(result.outdir.iterdir()) == [], "an input that cannot be analysed writes nothing"
        return None
    document = result.document
    assert document is not None, f"exit {result.code}, no report: {result.err}"
    check_report(document)
    if outcome == "report":
        assert result.code == 0, result.err
        assert result.err.strip() == ""
        assert document["verdict"] != "not_analysable"
    else:
        assert result.code == 1, result.err
        one_clean_line(result.err, result.clip)
        assert document["verdict"] == "not_analysable"
        assert all(rule["status"] == "not_measurable" and rule["reason"] for rule in document["rules"])
    if words:
        assert any(words in note for note in document["notes"]), document["notes"]
    assert sorted(p.name for p in result.outdir.iterdir()) == ["report.json"]
    return document


@pytest.mark.parametrize("name, outcome, words", CASES, ids=[case[0] for case in CASES])
def test_bad_clip(analysed, name, outcome, words):
    document = check_outcome(analysed(name), outcome, words)
    if document is None:
        return
    facts, detection = document["input"], document["detection"]
    reasons = absent(document)
    if name == "one_frame":  # the walker is there, in one frame: nothing to measure over time
        assert detection["persons_seen"] == 1 and facts["frames"] == 1
    if name == "truncated_50":  # half the frames: say so, and measure what is there
        assert facts["frames"] < 40
    if name == "single_step":  # no stride: the stride metrics are absent, with the reason
        for metric in ("stride_time_cv_pct", "step_time_asymmetry_pct", "arm_swing_left_deg"):
            assert metric in reasons, metric
    if name == "leaving_midway":
        assert detection["frames_with_subject"] < 0.8
        assert facts["width"] == SIZE[0] // 2
    if name == "feet_cut_off":
        assert facts["height"] < SIZE[1]
    if name == "4k":  # decoded and scaled for the model; 1 s is too short for any rule
        assert (facts["width"], facts["height"]) == (3840, 2160)
    if name == "portrait_rotation":  # the flag applied: upright portrait, walked from the side
        assert (facts["width"], facts["height"]) == (SIZE[0], PORTRAIT_HEIGHT)
        assert document["view"]["camera"] == "side"
    if name == "variable_frame_rate":  # real timestamps: 30 frames at 24 fps + 30 at 12 fps
        assert facts["frames"] == 60
        strikes = [t for times in document["events"]["heel_strikes_s"].values() for t in times]
        assert strikes and max(strikes) <= 1.25 + 30 / 12
    if name == "two_people":
        assert document["view"]["camera"] == "side"
    if name == "unicode_path":
        assert facts["path"] == str(analysed(name).clip)


def test_report_matches_its_schema(analysed):
    jsonschema = pytest.importorskip("jsonschema")

    schema_path = Path(__file__).resolve().parents[1] / "gaitcheck" / "report" / "report-v1.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    for name in ("truncated_50", "one_frame", "leaving_midway"):
        jsonschema.validate(analysed(name).document, schema)


INFO_CASES = [  # case, exit code of `gaitcheck info`
    ("truncated_10", 1), ("truncated_50", 0), ("flipped_bytes", 0), ("zero_video_frames", 1), ("one_frame", 0),
    ("4k", 0), ("portrait_rotation", 0), ("variable_frame_rate", 0), ("unicode_path", 0),
]


@pytest.mark.parametrize("name, code", INFO_CASES, ids=[case[0] for case in INFO_CASES])
def test_info_on_awkward_clips(corpus, monkeypatch, capsys, name, code):
    clip = corpus[name]
    got, out, err = run_in_process_full(monkeypatch, capsys, "info", clip, "--json")
    assert got == code, err
    if code:
        one_clean_line(err, clip)
        return
    facts = json.loads(out)
    assert facts["frame_count"] >= 1 and facts["fps"] > 0
    if name == "4k":
        assert (facts["width"], facts["height"]) == (3840, 2160)
    if name == "portrait_rotation":
        assert (facts["width"], facts["height"], facts["rotation"]) == (SIZE[0], PORTRAIT_HEIGHT, 90)


def test_in_a_batch_the_other_clips_still_finish(corpus, tmp_path):
    """Bad clips in a batch are listed with their reasons; the good one is still reported."""
    import csv

    if not (Path(__file__).resolve().parents[1] / "gaitcheck" / "batch.py").is_file():
        pytest.skip("gaitcheck/batch.py is not in this build")
    junk = tmp_path / "notes.mp4"
    junk.write_text("not a video\n")
    clips = [corpus["truncated_10"], junk, corpus["walk"], corpus["zero_video_frames"]]
    outdir = tmp_path / "out"
    code, _, err = run_cli("batch", *clips, "-o", outdir, "-j", "1", "-q", "--no-html", "--turn", "0", timeout=600)
    assert code == 1, err  # some clips could not be analysed
    no_bug_output(err)
    for bad in (corpus["truncated_10"], junk, corpus["zero_video_frames"]):
        assert any(str(bad) in line for line in err.splitlines()), f"{bad} not listed: {err}"
    with open(outdir / "summary.csv", newline="", encoding="utf-8") as handle:
        rows = {Path(row["path"]).name: row for row in csv.DictReader(handle)}
    assert rows["walk.mp4"]["status"] == "ok" and rows["walk.mp4"]["report"]
    assert json.loads((outdir / rows["walk.mp4"]["report"]).read_text(encoding="utf-8"))["verdict"]
    for name in ("truncated_10.mp4", "notes.mp4", "zero_video_frames.mp4"):
        assert rows[name]["status"] != "ok" and rows[name]["error"], rows[name]
    assert leftovers(outdir) == []


# --- unicode and spaces in every path; the saved series is reused below ----------------------


SERIES_NAME = "série walk (2).npz"


@pytest.fixture(scope="session")
def saved_series(analysed) -> Path:
    """The walk's series, saved by `analyze --save-series` into a unicode folder (unicode case)."""
    result = analysed("unicode_path")
    assert result.code == 0, result.err
    target = result.series
    assert sorted(p.name for p in target.parent.iterdir()) == [SERIES_NAME]
    return target


def test_unicode_paths_in_and_out(saved_series, tmp_path):
    out = tmp_path / "résumé ✓ folder" / "rapport été 报告.json"
    out.parent.mkdir()
    code, stdout, err = run_cli("analyze", saved_series, "--json", out, cwd=saved_series.parent)
    assert code == 0, err
    assert err.strip() == "" and "Traceback" not in stdout
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["input"]["path"] == str(saved_series)
    assert saved_series.name in stdout  # the table names the file as given, unmangled
    assert leftovers(out.parent) == []


# --- outputs that cannot be written ---------------------------------------------------------


def analyze_output_options() -> list[str]:
    """The file options `analyze` has in this build (--html/--csv arrive with the report work)."""
    code, out, _ = run_cli("analyze", "--help")
    return [option for option in ("--json", "--html", "--save-series") if option in out]  # --csv takes a folder


def test_output_path_is_a_folder_for_each_analyze_output(saved_series, tmp_path, monkeypatch, capsys):
    folder = tmp_path / "report.json"
    folder.mkdir()
    for option in analyze_output_options():
        code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, option, folder, "-q")
        assert code == 3, f"{option}: {err}"
        assert "folder" in one_clean_line(err, folder)
        assert list(folder.iterdir()) == [] and [p.name for p in tmp_path.iterdir()] == ["report.json"]


@pytest.fixture
def immutable_folder(tmp_path):
    """A folder nobody, not even root, may create files in (chattr +i), or a skip."""
    folder = tmp_path / "locked"
    folder.mkdir()
    chattr = shutil.which("chattr")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder
        folder.chmod(0o755)
        return
    if chattr is None or subprocess.run([chattr, "+i", folder], capture_output=True).returncode != 0:
        pytest.skip("running as root, and this file system has no immutable flag (chattr +i): "
                    "no folder here is read-only for root")
    try:
        yield folder
    finally:
        subprocess.run([chattr, "-i", folder], capture_output=True)


def test_read_only_output_folder(saved_series, immutable_folder):
    target = immutable_folder / "report.json"
    code, _, err = run_cli("analyze", saved_series, "--json", target, "-q")
    assert code == 3, err
    assert "cannot be written" in one_clean_line(err, target)
    assert list(immutable_folder.iterdir()) == []


def run_in_process_full(monkeypatch, capsys, *argv: str) -> tuple[int, str, str]:
    """`gaitcheck ARGV` in this process (so a test can monkeypatch it): (exit code, out, err)."""
    from gaitcheck.cli import main

    capsys.readouterr()
    monkeypatch.setattr(sys, "argv", ["gaitcheck", *map(str, argv)])
    try:
        main()
        code = 0
    except SystemExit as exit_:
        code = 0 if exit_.code is None else exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_in_process(monkeypatch, capsys, *argv: str) -> tuple[int, str]:
    code, _, err = run_in_process_full(monkeypatch, capsys, *argv)
    return code, err


def enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("where", ["rename", "write"])
def test_full_disk_json_report(saved_series, tmp_path, monkeypatch, capsys, where):
    """The disk fills up while the report is written (simulated in-process): exit 3, one line,
    and neither the report nor its temporary file remains."""
    target = tmp_path / "report.json"
    if where == "rename":
        monkeypatch.setattr("gaitcheck.atomic.os.replace", enospc)
    else:
        real_write = Path.write_text

        def half_then_full(self, data, *args, **kwargs):  # the first half lands, then ENOSPC
            real_write(self, data[: len(data) // 2], *args, **kwargs)
            enospc()

        monkeypatch.setattr(Path, "write_text", half_then_full)
    code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, "--json", target, "-q")
    assert code == 3, err
    assert "no space left" in one_clean_line(err, target)
    assert list(tmp_path.iterdir()) == []


def test_full_disk_landmark_series(saved_series, tmp_path, monkeypatch):
    """The same for the series .npz (what `landmarks -o` and `--save-series` write)."""
    from gaitcheck.errors import OutputError
    from gaitcheck.series import load_series, save_series

    series = load_series(saved_series)
    real = np.savez_compressed

    def partial_then_full(handle, **arrays):
        real(handle, times=arrays["times"])  # some bytes reach the disk…
        enospc()  # …then it is full

    monkeypatch.setattr(np, "savez_compressed", partial_then_full)
    target = tmp_path / "series.npz"
    with pytest.raises(OutputError, match="no space left"):
        save_series(series, target)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_output_to_a_pipe_or_through_a_symlink(saved_series, tmp_path, monkeypatch, capsys):
    """`--json /dev/stdout`, a named pipe or a symlink: written into, never renamed over (which
    would replace the pipe, the device node or the link with a plain file)."""
    import threading

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, "--json", pipe, "-q")
    reader.join(timeout=30)
    assert code == 0, err
    assert received and json.loads(received[0])["schema"] == "gaitcheck/report-v1"
    assert pipe.is_fifo()

    real = tmp_path / "reports" / "real.json"
    real.parent.mkdir()
    link = tmp_path / "latest.json"
    link.symlink_to(real)
    code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, "--json", link, "-q")
    assert code == 0, err
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))["schema"] == "gaitcheck/report-v1"
    assert leftovers(tmp_path) == []


def test_unreadable_rules_file(tmp_path, monkeypatch):
    from gaitcheck.errors import InputError
    from gaitcheck.rules import load_rules

    path = tmp_path / "rules.toml"
    path.write_text("[verdict]\n", encoding="utf-8")

    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self))

    monkeypatch.setattr(Path, "read_text", denied)
    with pytest.raises(InputError, match="cannot be read"):
        load_rules(path)


def test_landmarks_output_is_the_input(corpus, tmp_path, monkeypatch, capsys):
    """`-o` naming the clip itself would replace the video by the series: refused up front."""
    clip = tmp_path / "walk.mp4"
    shutil.copyfile(corpus["walk"], clip)
    before = clip.read_bytes()
    code, err = run_in_process(monkeypatch, capsys, "landmarks", clip, "-o", tmp_path / "." / "walk.mp4", "-q")
    assert code == 2, err
    assert "is the input file" in one_clean_line(err)
    assert clip.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["walk.mp4"]


def test_analyze_output_is_the_input(saved_series, tmp_path, monkeypatch, capsys):
    series = tmp_path / "walk.npz"
    shutil.copyfile(saved_series, series)
    before = series.read_bytes()
    code, err = run_in_process(monkeypatch, capsys, "analyze", series, "--json", series, "-q")
    assert series.read_bytes() == before, "the input series was overwritten by the report"
    assert code == 2, err


@pytest.mark.skipif(sys.platform != "linux", reason="file names as raw bytes (Linux)")
def test_file_names_that_are_not_utf8(corpus, saved_series, tmp_path):
    """An old camera's Latin-1 name: OpenCV segfaulted on it; JSON could not hold it."""
    clip = tmp_path / os.fsdecode(b"caf\xe9 walk.mp4")
    shutil.copyfile(corpus["walk"], clip)
    code, out, err = run_cli("info", clip, "--json")  # a subprocess: a crash must not take pytest down
    assert code == 0, f"exit {code} (negative: killed by a signal): {err}"
    assert json.loads(out)["width"] == SIZE[0]

    series = tmp_path / os.fsdecode(b"s\xe9rie.npz")
    shutil.copyfile(saved_series, series)
    report = tmp_path / os.fsdecode(b"rapport \xe9.json")
    code, _, err = run_cli("analyze", series, "--json", report, "-q")
    assert code == 0, err
    no_bug_output(err)
    assert json.loads(report.read_bytes().decode("utf-8"))["input"]["path"].endswith("s\ufffdrie.npz")
    assert leftovers(tmp_path) == []


def test_names_too_long_and_symlink_loops(saved_series, tmp_path, monkeypatch, capsys):
    long_name = tmp_path / ("a" * 300 + ".mp4")
    code, err = run_in_process(monkeypatch, capsys, "info", long_name)
    assert code == 2 and "too long" in one_clean_line(err, long_name)
    code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, "--json", tmp_path / ("b" * 300 + ".json"))
    assert code == 3 and "too long" in one_clean_line(err)
    loop = tmp_path / "loop.mp4"
    loop.symlink_to(loop)
    code, err = run_in_process(monkeypatch, capsys, "info", loop)
    assert code == 2 and "symbolic links" in one_clean_line(err, loop)
    # the longest name the file system allows still works (its temporary name must fit too)
    longest = tmp_path / ("é" * 125 + ".json")  # 255 bytes
    code, err = run_in_process(monkeypatch, capsys, "analyze", saved_series, "--json", longest, "-q")
    assert code == 0, err
    assert json.loads(longest.read_text(encoding="utf-8"))["schema"] == "gaitcheck/report-v1"
    assert leftovers(tmp_path) == []


# --- a rules file with wrong types ------------------------------------------------------------

WRONG_RULES = {
    "rules_not_a_table": "rules = 5\n",
    "verdict_not_a_table": "verdict = 3\n",
    "checks_not_a_list": "[rules.stand_tall]\nchecks = 5\n",
    "check_not_a_table": "[rules.stand_tall]\nchecks = [1, 2]\n",
    "threshold_a_string": '[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\npass = "5"\n',
    "threshold_a_boolean": '[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\npass = true\n',
    "threshold_nan": '[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\npass = nan\n',
    "views_a_string": '[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\nviews = "side"\n',
    "views_numbers": ('[[rules.new_rule.checks]]\nmetric = "trunk_lean_deg"\nkind = "max"\npass = 1\n'
                      'warn = 2\nviews = [1, 2]\n'),
    "metric_a_number": '[[rules.stand_tall.checks]]\nmetric = 7\nkind = "max"\npass = 1\nwarn = 2\nviews = ["side"]\n',
    "title_a_list": "[rules.stand_tall]\ntitle = [1, 2]\n",
    "advice_a_table": "[rules.stand_tall]\nadvice = {a = 1}\n",
    "poor_when_failing_a_string": '[verdict]\npoor_when_failing = "3"\n',
    "poor_when_failing_zero": "[verdict]\npoor_when_failing = 0\n",
}


@pytest.mark.parametrize("name", sorted(WRONG_RULES))
def test_rules_file_with_wrong_types_in_process(tmp_path, name):
    from gaitcheck.errors import InputError
    from gaitcheck.rules import load_rules

    path = tmp_path / "rules.toml"
    path.write_text(WRONG_RULES[name], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_rules(path)
    assert caught.value.exit_code == 2
    assert str(path) in caught.value.message and "rules file" in caught.value.message


@pytest.mark.parametrize("name", ["rules_not_a_table"])
def test_rules_file_with_wrong_types_on_the_command_line(saved_series, tmp_path, name):
    rules = tmp_path / "my rules.toml"
    rules.write_text(WRONG_RULES[name], encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run_cli("analyze", saved_series, "--rules", rules, "--json", out / "report.json", "-q")
    assert code == 2, err
    one_clean_line(err, rules)
    assert list(out.iterdir()) == []


# --- saved series that are not series -------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "truncated"])
def test_damaged_series_file(saved_series, tmp_path, monkeypatch, capsys, kind):
    bad = tmp_path / "walk.npz"
    if kind == "text":
        bad.write_text("not a series\n")
    else:
        data = saved_series.read_bytes()
        bad.write_bytes(data[: len(data) // 2])
    code, err = run_in_process(monkeypatch, capsys, "analyze", bad, "--json", tmp_path / "report.json", "-q")
    assert code == 2, err  # a series file is given by the user like a rules file: usage/input
    assert "landmark series" in one_clean_line(err, bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.npz"]


# --- file names in the terminal output: rich markup must not eat them ----------------------


def test_file_names_that_look_like_markup(saved_series, tmp_path):
    """rich treats '[...]' as markup: a folder named 'a[/b]' must print as itself, not crash."""
    folder = tmp_path / "takes [/b] [red]"  # the folders 'takes [' and 'b] [red]'
    folder.mkdir(parents=True)
    clip = folder / "walk [final].npz"
    shutil.copyfile(saved_series, clip)
    code, out, err = run_cli("analyze", clip, cwd=tmp_path, env={"COLUMNS": "400"})
    assert code == 0, err
    no_bug_output(err)
    assert str(clip) in out


def test_landmarks_summary_prints_markup_like_names(capsys):
    """`landmarks` prints a summary after writing the series; a name rich reads as markup
    ('[/b]' closes a tag it never opened) must not turn a finished run into an error."""
    from types import SimpleNamespace

    from gaitcheck.commands.progress import print_extraction

    path = "takes [/b]/walk [/].mp4"
    found = SimpleNamespace(
        info=SimpleNamespace(path=path, fps=24.0), frames_read=60, person=0, persons_seen=1,
        series=SimpleNamespace(width=320, height=180, detected_fraction=1.0),
        orientation=SimpleNamespace(turn=0, reason="upright"))
    print_extraction(found, "out [/i]/series.npz")
    err = capsys.readouterr().err
    assert path in err.replace("\n", "") and "out [/i]/series.npz" in err.replace("\n", "")
