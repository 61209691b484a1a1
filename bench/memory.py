"""Peak memory of `gaitcheck analyze` on a 10 s and a 10 min clip: is it flat in the clip's length?

    python bench/memory.py                       # loops ../shared/clips/md_side_P2_E2T1_90.mp4
    python bench/memory.py --source CLIP.mp4 --lengths 10 600 --json

Builds each test clip by looping a real side-view clip (1280×720, 30 fps) with the ffmpeg
binary of imageio-ffmpeg (stream copy, so building costs seconds; without ../shared/clips a
`gaitcheck synth` clip is looped instead), then runs

    gaitcheck analyze CLIP --json OUT --no-cache -q

as a subprocess and samples, every ~50 ms, VmRSS (/proc/PID/status) of that process and of
every descendant (the time-chunk workers analyze starts for long clips). It prints the peak of
the sum over the tree, the largest single process at any sample, the peak PSS sum (shared
pages split between the processes that map them, from /proc/PID/smaps_rollup: the honest
figure when workers share libraries; RSS sums count those pages once per process), the
largest process count and the wall time. Linux only (/proc).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = REPO.parent / "shared" / "clips" / "md_side_P2_E2T1_90.mp4"
SAMPLE_EVERY_S = 0.05
LIMIT_MB = 600


def ffmpeg_exe() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def build_clip(source: Path, seconds: float, target: Path) -> Path:
    """`source` looped to last `seconds` (stream copy: the frames are the source's own)."""
    subprocess.run([ffmpeg_exe(), "-y", "-v", "error", "-stream_loop", "-1", "-i", str(source), "-t", f"{seconds}",
                    "-an", "-c", "copy", str(target)], check=True, timeout=600)
    return target


def synth_source(folder: Path) -> Path:
    """A rendered side-view walker, when no real clip is at hand."""
    target = folder / "synth_side.mp4"
    subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(target)], check=True, timeout=600)
    return target


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        parent = int(stat[stat.rindex(b")") + 2:].split()[1])  # after "pid (comm) state"
        tree.setdefault(parent, []).append(int(entry))
    return tree


def tree_of(root: int) -> list[int]:
    """`root` and all its descendants now."""
    tree, found, todo = _children(), [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += tree.get(pid, [])
    return found


def _kib(path: str, field: str) -> int:
    try:
        with open(path, encoding="ascii", errors="replace") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def measure(command: list[str]) -> dict:
    """Run `command`, sampling its process tree's memory until it exits."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = peak_single = most = 0
    while process.poll() is None:
        pids = tree_of(process.pid)
        rss = [_kib(f"/proc/{pid}/status", "VmRSS:") for pid in pids]
        pss = [_kib(f"/proc/{pid}/smaps_rollup", "Pss:") for pid in pids]
        peak_rss, peak_pss = max(peak_rss, sum(rss)), max(peak_pss, sum(pss))
        peak_single, most = max(peak_single, max(rss, default=0)), max(most, len(pids))
        time.sleep(SAMPLE_EVERY_S)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    return {"exit": process.returncode, "seconds": round(time.perf_counter() - started, 1),
            "peak_rss_sum_mb": round(peak_rss / 1024, 1), "peak_pss_sum_mb": round(peak_pss / 1024, 1),
            "peak_single_mb": round(peak_single / 1024, 1), "processes": most,
            "stderr_tail": stderr.strip().splitlines()[-1:] if process.returncode else []}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="clip to loop (default: a real side-view clip)")
    parser.add_argument("--lengths", type=float, nargs="+", default=[10, 600], help="clip lengths in seconds")
    parser.add_argument("--fast", action="store_true", help="run analyze with --fast too")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gaitcheck-memory-") as scratch:
        folder = Path(scratch)
        source = args.source or (DEFAULT_SOURCE if DEFAULT_SOURCE.is_file() else synth_source(folder))
        print(f"source {source.name}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; limit {LIMIT_MB} MB")
        results = []
        for seconds in args.lengths:
            clip = build_clip(source, seconds, folder / f"loop_{int(seconds)}s.mp4")
            command = [sys.executable, "-m", "gaitcheck", "analyze", str(clip), "--json", str(folder / "out.json"),
                       "--no-cache", "-q", *(["--fast"] if args.fast else [])]
            result = {"length_s": seconds, "clip_mb": round(clip.stat().st_size / 2**20, 1), **measure(command)}
            results.append(result)
            verdict = "within" if result["peak_rss_sum_mb"] <= LIMIT_MB else "OVER"
            print(f"  {seconds:>5g} s clip ({result['clip_mb']} MB): peak RSS of the tree {result['peak_rss_sum_mb']} MB "
                  f"({verdict} {LIMIT_MB}), PSS {result['peak_pss_sum_mb']} MB, largest process "
                  f"{result['peak_single_mb']} MB, up to {result['processes']} processes, {result['seconds']} s, "
                  f"exit {result['exit']} {' '.join(result['stderr_tail'])}", flush=True)
    if args.json:
        print(json.dumps({"source": str(source), "results": results}))


if __name__ == "__main__":
    main()
