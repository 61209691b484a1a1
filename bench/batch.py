#!/usr/bin/env python3
"""Throughput of `gaitcheck batch --jobs 2` against `--jobs 1` on the same clips, in one run.

Usage:  python bench/batch.py [CLIP_OR_FOLDER ...] [--jobs 1 2] [--repeat N] [--synth N] [--json]

Without clips it takes samples/*.mp4, or, when there are none, renders `--synth` tiny walks
(3 s, 640×360) into a temporary folder. Each run is the real command line in a fresh output
folder (`gaitcheck batch CLIPS -o TMP --jobs J --quiet --no-html`), timed wall-clock from start
to exit, so worker start-up and model loading count. It also times loading the pose model in a
fresh process (the first load pays mediapipe's start-up; later ones do not), which is what a
worker process that outlives its clips saves per clip.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GAITCHECK = [sys.executable, "-m", "gaitcheck"]

MODEL_LOAD = """
import time
t0 = time.perf_counter()
from gaitcheck.pose import PoseEstimator
t1 = time.perf_counter()
loads = []
for video in (True, False, True, True):
    s = time.perf_counter(); PoseEstimator(video=video).close(); loads.append(time.perf_counter() - s)
print(round(t1 - t0, 3), *[round(x, 3) for x in loads])
"""


def synth_clips(folder: Path, count: int) -> list[Path]:
    views = ("side", "front", "back")
    clips = []
    for k in range(count):
        out = folder / f"synth_{k}.mp4"
        subprocess.run(GAITCHECK + ["synth", str(out), "--duration", "3", "--view", views[k % 3], "--seed", str(k + 1)],
                       check=True, capture_output=True)
        clips.append(out)
    return clips


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_batch(clips: list[Path], jobs: int) -> tuple[float, float, int]:
    """Wall seconds of one fresh batch run, the CPU seconds it used (all its processes), and
    its exit code. CPU / wall shows how many cores the run got: on a machine shared with other
    work, a low figure means the cores were busy elsewhere, not that the workers idled."""
    with tempfile.TemporaryDirectory(prefix="gaitcheck-bench-") as out:
        cpu, start = _child_cpu(), time.perf_counter()
        done = subprocess.run(GAITCHECK + ["batch", *map(str, clips), "-o", out, "--jobs", str(jobs),
                                           "--quiet", "--no-html"], capture_output=True, text=True)
        return time.perf_counter() - start, _child_cpu() - cpu, done.returncode


def model_load_times() -> list[float]:
    """[import seconds, first load, then three more loads] in a fresh process."""
    done = subprocess.run([sys.executable, "-c", MODEL_LOAD], capture_output=True, text=True, check=True)
    return [float(x) for x in done.stdout.split()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clips", nargs="*")
    parser.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="Runs per --jobs value (alternating); the best counts.")
    parser.add_argument("--synth", type=int, default=6, help="How many clips to render when none are given.")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    scratch = tempfile.TemporaryDirectory(prefix="gaitcheck-bench-clips-")
    clips = [Path(c) for c in args.clips] or sorted((REPO / "samples").glob("*.mp4"))
    if not clips:
        clips = synth_clips(Path(scratch.name), args.synth)
    load = model_load_times()
    print(f"# {len(clips)} inputs; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    print(f"model: import {load[0]:.2f} s, first load {load[1]:.2f} s, later loads "
          f"{min(load[2:]):.2f}-{max(load[2:]):.2f} s")
    best: dict[int, float] = {}
    for round_ in range(args.repeat):
        for jobs in args.jobs:
            seconds, cpu, code = timed_batch(clips, jobs)
            best[jobs] = min(best.get(jobs, float("inf")), seconds)
            print(f"--jobs {jobs}: {seconds:6.1f} s  {60 * len(clips) / seconds:6.1f} clips/min  "
                  f"{cpu:6.1f} CPU s = {cpu / seconds:.2f} cores busy  (exit {code}, "
                  f"load average {os.getloadavg()[0]:.2f})")
    base = best[args.jobs[0]]
    for jobs in args.jobs[1:]:
        print(f"throughput --jobs {jobs} / --jobs {args.jobs[0]}: {base / best[jobs]:.2f}x "
              f"(load average {os.getloadavg()[0]:.2f} at end)")
    if args.json:
        print(json.dumps({"clips": len(clips), "seconds": best, "model_load_s": load,
                          "speedup": {j: base / best[j] for j in args.jobs[1:]}}))
    scratch.cleanup()


if __name__ == "__main__":
    main()
