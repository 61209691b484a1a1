"""`gaitcheck batch`: bad clips listed with their reasons, crash/timeout isolation, resuming
without inference, Ctrl-C then rerun, and a Dask cluster giving the local results.

Inference is counted across processes with the worker's documented test hook
(`GAITCHECK_BATCH_INFERENCE_LOG`, one line per clip that reaches the pipeline); crashes and
hangs are faked with `GAITCHECK_BATCH_FAULT=abort:NAME|hang:NAME` (see gaitcheck/batch_clip.py).
Clips are tiny renders (2 s, 320×180) to keep the machine's few cores free.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import pytest

from gaitcheck.batch_inputs import find_clips, output_stem
from gaitcheck.batch_summary import index_html, summary_rows

GAITCHECK = [sys.executable, "-m", "gaitcheck"]
GOOD = ("a/walk.mp4", "b/walk.mp4")  # same name, different folders: must not collide
FIRST_FLAGS = ["--jobs", "2", "--csv", "--annotate"]
BAD = {"corrupt.mp4": "damaged", "notes.mov": "not a video", "empty_room.mp4": "nobody found"}


def run(args, env=None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(GAITCHECK + [str(a) for a in args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300, **kwargs)


def read_summary(outdir: Path) -> list[dict]:
    with open(outdir / "summary.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def inference_count(log: Path) -> int:
    return len(log.read_text().splitlines()) if log.exists() else 0


def _empty_room(path: Path) -> None:
    import cv2
    import numpy as np

    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), 15, (320, 180))
    for _ in range(20):
        frame = np.full((180, 320, 3), (90, 110, 120), np.uint8)
        cv2.rectangle(frame, (40, 100), (120, 170), (60, 60, 60), -1)
        writer.write(frame)
    writer.release()


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> Path:
    """Two tiny good walks (same file name in two folders), a truncated clip, a text file with a
    video extension, a clip of an empty room, and a non-video file the folder scan must skip."""
    root = tmp_path_factory.mktemp("clips")
    for seed, (name, view) in enumerate(zip(GOOD, ("side", "front"))):
        (root / name).parent.mkdir(parents=True)
        done = run(["synth", root / name, "--duration", "2", "--size", "320x180", "--view", view,
                    "--seed", seed + 1])
        assert done.returncode == 0, done.stderr
        (root / name).with_suffix(".truth.json").unlink()
    (root / "corrupt.mp4").write_bytes((root / GOOD[0]).read_bytes()[:3000])
    (root / "notes.mov").write_text("not a video at all\n")
    _empty_room(root / "empty_room.mp4")
    (root / "README.txt").write_text("skipped by the folder scan\n")
    return root


@pytest.fixture(scope="module")
def first_run(clips, tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """The folder analysed once, with two workers."""
    outdir = tmp_path_factory.mktemp("batch") / "out"
    log = outdir.parent / "inference.log"
    done = run(["batch", clips, "-o", outdir, *FIRST_FLAGS], env={"GAITCHECK_BATCH_INFERENCE_LOG": str(log)})
    return outdir, log, done


def test_inputs_names_stay_inside_outdir_and_never_collide(tmp_path):
    (tmp_path / "x" / "deep").mkdir(parents=True)
    for name in ("x/walk.mp4", "x/deep/walk.MOV", "x/deep/skip.txt", "y.mp4", "x/.hidden/z.mp4"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"1")
    (tmp_path / "notes.txt").write_text("named explicitly: taken, then reported")
    found = find_clips([str(tmp_path / "x"), str(tmp_path / "*.mp4"), str(tmp_path / "notes.txt"),
                        str(tmp_path / "x" / "walk.mp4")])  # a duplicate
    assert [c.label for c in found] == ["deep/walk.MOV", "walk.mp4", "y.mp4", "notes.txt"]
    assert len({c.stem for c in found}) == len(found)
    for name in ("../../etc/passwd", "/abs/olute.mp4", "..", "a\\..\\b.mp4", "<b>\"'.mp4", "é 漢字.mp4", ".mp4"):
        stem = output_stem(tmp_path / name)
        assert "/" not in stem and "\\" not in stem and not stem.startswith(".")
        assert (tmp_path / f"{stem}.json").resolve().parent == tmp_path.resolve()
    assert output_stem("/a/walk.mp4") != output_stem("/b/walk.mp4")


def test_summary_holds_names_that_are_not_utf8(tmp_path):
    from gaitcheck.batch_summary import write_summary

    name = os.fsdecode(b"caf\xe9.mp4")  # an old camera's Latin-1 name, as Linux hands it over
    write_summary(tmp_path, [{"path": name, "label": name, "status": "failed", "error": "x"}], [])
    assert "caf\ufffd.mp4" in (tmp_path / "summary.csv").read_text(encoding="utf-8")
    assert "caf\ufffd.mp4" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_index_escapes_and_links():
    record = {"path": "<script>x</script>.mp4", "label": "<script>x</script>.mp4", "status": "failed",
              "error": "a & b", "outputs": {}}
    ok = {"path": "w.mp4", "label": "w.mp4", "status": "ok", "verdict": "good", "rules": {"stand_tall": "pass"},
          "outputs": {"json": "reports/w-1.json"}}
    page = index_html(summary_rows([record, ok], ["stand_tall"]), ["stand_tall"])
    assert "<script>x" not in page and "&lt;script&gt;" in page and "a &amp; b" in page
    assert 'href="reports/w-1.json"' in page and "http" not in page


def test_folder_good_and_bad_clips(clips, first_run):
    outdir, log, done = first_run
    assert done.returncode == 1, done.stderr  # documented: some clips could not be analysed
    rows = {row["path"]: row for row in read_summary(outdir)}
    assert set(rows) == {str(clips / n) for n in (*GOOD, *BAD)}  # README.txt skipped
    for name in GOOD:
        row = rows[str(clips / name)]
        assert row["status"] == "ok" and row["verdict"] and not row["error"]
        report = json.loads((outdir / row["report"]).read_text())
        assert report["schema"] == "gaitcheck/report-v1" and report["input"]["path"] == str(clips / name)
        assert report["verdict"] == row["verdict"]
        assert all(row[f"rule:{r['id']}"] == r["status"] for r in report["rules"])
    assert rows[str(clips / GOOD[0])]["report"] != rows[str(clips / GOOD[1])]["report"]
    for name in BAD:
        row = rows[str(clips / name)]
        assert row["status"] == "failed" and row["error"], row
        assert f"{clips / name}: " in done.stderr  # listed with its reason
    assert "nobody found" in rows[str(clips / "empty_room.mp4")]["error"]
    assert "not a video" in rows[str(clips / "notes.mov")]["error"]
    page = (outdir / "index.html").read_text()
    linked = [row["html"] or row["report"] for row in rows.values() if row["status"] == "ok"]
    assert len(linked) == 2 and all(f'href="{target}"' in page and (outdir / target).is_file() for target in linked)
    good = [row for row in rows.values() if row["status"] == "ok"]
    reports = outdir / "reports"
    if find_spec("gaitcheck.report.html"):  # renderers written in parallel: used once they exist
        assert all(row["html"].endswith(".html") for row in good)
    if find_spec("gaitcheck.report.csv_report"):
        assert all((reports / Path(row["report"]).name.replace(".json", ".strides.csv")).is_file() for row in good)
    if find_spec("gaitcheck.report.annotate"):
        for row in good:
            video = Path(row["report"]).name.replace(".json", ".annotated.webm")
            assert (reports / video).stat().st_size > 1000
            assert not row["html"] or video in (outdir / row["html"]).read_text()
    assert inference_count(log) == 5  # every readable clip reached the pipeline once


def test_second_run_does_no_inference(clips, first_run):
    outdir, log, _ = first_run
    before = inference_count(log)
    records = {p.name: p.read_bytes() for p in (outdir / "state").iterdir()}
    again = run(["batch", clips, "-o", outdir, *FIRST_FLAGS, "-q"], env={"GAITCHECK_BATCH_INFERENCE_LOG": str(log)})
    assert again.returncode == 1
    assert inference_count(log) == before
    assert {p.name: p.read_bytes() for p in (outdir / "state").iterdir()} == records
    assert [r["status"] for r in read_summary(outdir)].count("ok") == 2
    copy = outdir.parent / "copy"
    shutil.copytree(outdir, copy)
    changed = run(["batch", clips / "notes.mov", "-o", copy, "-q", "--max-side", "640"],
                  env={"GAITCHECK_BATCH_INFERENCE_LOG": str(log)})
    assert changed.returncode == 1 and inference_count(log) == before + 1  # other settings: run again


def test_crash_and_timeout_cost_one_clip_each(tmp_path):
    paths = [tmp_path / name for name in ("crash.mp4", "hang.mp4", "after.mp4")]
    for path in paths:
        path.write_text("junk")
    done = run(["batch", *paths, "-o", tmp_path / "out", "--jobs", "1", "--timeout", "3", "-q"],
               env={"GAITCHECK_BATCH_FAULT": "abort:crash.mp4,hang:hang.mp4"})
    assert done.returncode == 1, done.stderr
    rows = {Path(r["path"]).name: r for r in read_summary(tmp_path / "out")}
    assert rows["crash.mp4"]["status"] == "crashed" and "crashed (SIGABRT)" in rows["crash.mp4"]["error"]
    assert rows["hang.mp4"]["status"] == "timeout" and "--timeout 3" in rows["hang.mp4"]["error"]
    # one worker, replaced twice: the clip after both still ran (and failed for its own reason)
    assert rows["after.mp4"]["status"] == "failed" and "not a video" in rows["after.mp4"]["error"]


def test_sigint_then_rerun_gives_complete_summary(clips, tmp_path):
    outdir = tmp_path / "out"
    log = tmp_path / "inference.log"
    env = {**os.environ, "GAITCHECK_BATCH_INFERENCE_LOG": str(log)}
    inputs = [str(clips / n) for n in (*GOOD, "empty_room.mp4")]
    process = subprocess.Popen(GAITCHECK + ["batch", *inputs, "-o", str(outdir), "--jobs", "1", "-q"],
                               env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list((outdir / "state").glob("*.json")):
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    rows = read_summary(outdir)
    assert len(rows) == 3
    finished = [r for r in rows if r["status"] != "pending"]
    assert 1 <= len(finished) < 3 or inference_count(log) == 3
    assert len(list((outdir / "state").glob("*.json"))) == len(finished)  # summary agrees with the results
    assert all((outdir / r["report"]).is_file() for r in finished if r["status"] == "ok")
    assert not list(outdir.rglob("*.tmp"))
    ran_before = inference_count(log)

    again = run(["batch", *inputs, "-o", outdir, "--jobs", "1", "-q"], env={"GAITCHECK_BATCH_INFERENCE_LOG": str(log)})
    assert again.returncode == 1  # the empty room
    rows = read_summary(outdir)
    assert [r["status"] for r in rows] == ["ok", "ok", "failed"]
    assert all((outdir / r["report"]).is_file() for r in rows[:2])
    assert inference_count(log) - ran_before == 3 - len(finished)  # only the clips not finished before


def test_dask_cluster_gives_the_local_results(clips, first_run):
    """Clips named relative to the client's folder (the worker's is elsewhere) are found, and
    the summary rows and JSON reports equal the local run's."""
    distributed = pytest.importorskip("distributed")
    outdir, _, _ = first_run
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        remote = outdir.parent / "dask"
        done = run(["batch", *GOOD, "-o", remote, "--scheduler", cluster.scheduler_address, "-q"], cwd=clips)
    assert done.returncode == 0, done.stderr
    local = {r["path"]: r for r in read_summary(outdir)}
    rows = read_summary(remote)
    assert len(rows) == len(GOOD)
    for row in rows:
        expected = local[str(clips / row["path"])]
        assert {k: v for k, v in row.items() if k not in ("seconds", "clip", "path")} == \
               {k: v for k, v in expected.items() if k not in ("seconds", "clip", "path")}
        report = json.loads((remote / row["report"]).read_text())
        assert report["input"]["path"] == row["path"]  # as the user named it
        # the same numbers everywhere; the clip's name (wherever the report cites it) as named
        named = (remote / row["report"]).read_text().replace(json.dumps(row["path"]), json.dumps(expected["path"]))
        assert json.loads(named) == json.loads((outdir / expected["report"]).read_text())


def test_usage_and_output_errors(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run(["batch", tmp_path / "empty", "-o", tmp_path / "out"])
    assert done.returncode == 2 and "no video clips" in done.stderr
    done = run(["batch", tmp_path / "missing*.mp4", "-o", tmp_path / "out"])
    assert done.returncode == 2 and "no such file" in done.stderr
    (tmp_path / "empty" / "x.mp4").write_text("junk")
    (tmp_path / "file").write_text("")
    done = run(["batch", tmp_path / "empty", "-o", tmp_path / "file"])
    assert done.returncode == 3 and "is a file" in done.stderr
