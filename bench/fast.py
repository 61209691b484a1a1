"""`analyze --fast` against full rate: the speed-up on one clip, measured in one run.

    python bench/fast.py                 # a rendered 10 s, 60 fps, 1280×720 side-view walk
    python bench/fast.py ../shared/clips/sarwesh_side.mp4   # a real 60 fps clip
    python bench/fast.py CLIP.mp4 --rounds 2 --json
    python bench/fast.py --suite /tmp/suite3      # metric errors, full rate and --fast, same code
    python bench/fast.py --suite /tmp/suite3 --stride 2   # ... full rate and every second frame
    python bench/fast.py --render /tmp/suite60 --suite /tmp/suite60   # 20 clips at 60 fps first

Speed: each round times `analyze_path(CLIP)` (the whole analysis: orientation, pose pass,
second look, tracking, cleaning, events, metrics) at full rate and with `fast=True`, in this process, with
the series cache off; the two alternate so a change in machine load hits both. A first,
untimed run pays the imports and mediapipe's first model load. It prints the best time of
each, the frames each analysed, and the ratio full/fast (> 1: --fast is quicker), plus how far
the key metrics moved.

Error (`--suite DIR`, a folder of `gaitcheck synth` clips with NAME.truth.json beside each):
every clip is analysed at full rate and with --fast by the same code in this process (the
series cache on, so a second run redoes only the metrics), the reports go to
DIR/reports-full and DIR/reports-fast, and each metric with a target from issue #4 gets its
error against the truth at both rates (mean over clips; arm swing and cadence relative, in %)
and the mean change --fast makes (|fast - full|).
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
RENDERED = dict(seconds=10, fps=60, size="1280x720")  # --fast halves a 60 fps clip; 25-30 fps stay whole
KEY_METRICS = ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "cadence_spm",
               "arm_swing_left_deg", "arm_swing_right_deg", "step_time_asymmetry_pct", "heel_strike_pct")


def timed(clip: Path, fast: bool):
    from gaitcheck.analysis import analyze_path

    started = time.perf_counter()
    analysis = analyze_path(clip, extract_options={"fast": fast}, use_cache=False)
    return time.perf_counter() - started, analysis


# --render: (view, preset, direction) of the 60 fps suite, 5 s each, seeds 1…20
RENDER_SUITE = [
    ("side", "good", "left_to_right"), ("side", "good", "right_to_left"), ("side", "slouch", "left_to_right"),
    ("side", "slouch", "right_to_left"), ("side", "forward_head", "right_to_left"),
    ("side", "looking_down", "left_to_right"), ("side", "stiff_arms", "right_to_left"),
    ("side", "uneven_arms", "left_to_right"), ("side", "uneven_steps", "right_to_left"),
    ("side", "irregular_steps", "left_to_right"), ("side", "flat_foot", "left_to_right"),
    ("side", "good", "left_to_right"), ("side", "good", "right_to_left"),
    ("front", "good", None), ("front", "shoulder_tilt", None), ("front", "head_tilt", None),
    ("front", "side_lean", None), ("back", "good", None), ("back", "hip_drop", None), ("back", "shoulder_tilt", None),
]


def render_suite(folder: Path) -> None:
    """The 60 fps synthetic suite (--fast analyses it at 30 frames/s), with truth beside each clip."""
    folder.mkdir(parents=True, exist_ok=True)
    for seed, (view, preset, direction) in enumerate(RENDER_SUITE, start=1):
        target = folder / f"{view}_{preset}{'_' + direction if direction else ''}_{seed:02d}.mp4"
        if target.is_file() and target.with_suffix(".truth.json").is_file():
            continue
        subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(target), "--view", view, "--preset", preset,
                        *(["--direction", direction] if direction else []), "--fps", "60", "--duration", "5",
                        "--seed", str(seed)], check=True, capture_output=True, timeout=900)
        print(f"  rendered {target.name}", flush=True)


# issue #4's accuracy targets: (tolerance, "abs" in the metric's unit or "rel" in % of the truth)
TARGETS = {
    "trunk_lean_deg": (1.5, "abs"), "head_forward_deg": (3.0, "abs"), "head_pitch_deg": (4.0, "abs"),
    "shoulder_tilt_deg": (1.5, "abs"), "head_tilt_deg": (1.5, "abs"), "lateral_trunk_lean_deg": (2.0, "abs"),
    "arm_swing_left_deg": (15.0, "rel"), "arm_swing_right_deg": (15.0, "rel"),
    "arm_swing_asymmetry_pct": (10.0, "abs"), "cadence_spm": (2.0, "rel"),
    "step_time_asymmetry_pct": (3.0, "abs"), "heel_strike_pct": (10.0, "abs"),
}


def error(got: float, truth: float, kind: str) -> float:
    if kind == "rel":
        return 100.0 * abs(got - truth) / abs(truth) if truth else float("nan")
    return abs(got - truth)


def suite(folder: Path, as_json: bool, stride: int | None = None) -> None:
    """Full rate and --fast (or a fixed `stride`) over every clip of a synth suite, scored
    against the truth."""
    import numpy as np

    from gaitcheck.analysis import analyze_path
    from gaitcheck.errors import GaitcheckError
    from gaitcheck.report.json_report import report_dict
    from gaitcheck.rules import judge, load_rules

    rules = load_rules(None)
    rows: dict[str, dict[str, list[float]]] = {name: {"full": [], "fast": [], "change": []} for name in TARGETS}
    within = {name: {"full": 0, "fast": 0} for name in TARGETS}
    clips = sorted(p for p in folder.glob("*.mp4") if p.with_suffix(".truth.json").is_file())
    for clip in clips:
        truth = json.loads(clip.with_suffix(".truth.json").read_text())["metrics"]
        values = {}
        for label, options in (("full", {}), ("fast", {"stride": stride} if stride else {"fast": True})):
            try:
                analysis = analyze_path(clip, extract_options=options)
            except GaitcheckError as problem:
                print(f"  {clip.name} ({label}): {problem.message}")
                continue
            except Exception as bug:  # noqa: BLE001 - one clip's bug must not lose the others' figures
                print(f"  {clip.name} ({label}): internal error {type(bug).__name__}: {bug}")
                continue
            results, verdict = judge(rules, analysis.metrics)
            out = folder / f"reports-{label}" / f"{clip.stem}.json"
            out.parent.mkdir(exist_ok=True)
            out.write_text(json.dumps(report_dict(analysis, results, verdict), indent=1, default=str))
            values[label] = {n: m.value for n, m in analysis.metrics.items() if m.value is not None}
        for name, (tolerance, kind) in TARGETS.items():
            expected = (truth.get(name) or {}).get("value")
            got = [values.get(label, {}).get(name) for label in ("full", "fast")]
            if expected is None or None in got or (kind == "rel" and not expected):  # no relative error of 0
                continue
            for label, value in zip(("full", "fast"), got):
                err = error(value, expected, kind)
                rows[name][label].append(err)
                within[name][label] += err <= tolerance
            rows[name]["change"].append(error(got[1], got[0], kind) if kind == "abs" else
                                        100.0 * abs(got[1] - got[0]) / abs(expected))
        print(f"  {clip.name}: done", flush=True)
    fast_label = f"--stride {stride}" if stride else "--fast"
    print(f"\n{len(clips)} clips; 'fast' = {fast_label}; error against the truth (mean over the clips where both "
          "measured it; % = relative to the truth); change = mean |fast - full|; in target = clips within it")
    print(f"  {'metric':<26} {'target':>8} {'clips':>5} {'full':>8} {'fast':>8} {'change':>8} {'in target full/fast':>20}")
    table = {}
    for name, (tolerance, kind) in TARGETS.items():
        r = rows[name]
        if not r["full"]:
            continue
        unit = "%" if kind == "rel" else ""
        table[name] = {k: float(np.mean(v)) for k, v in r.items()} | {"clips": len(r["full"]), **{
            f"within_{k}": within[name][k] for k in ("full", "fast")}}
        print(f"  {name:<26} {tolerance:>7g}{unit or ' '} {len(r['full']):>5} {np.mean(r['full']):>8.2f} "
              f"{np.mean(r['fast']):>8.2f} {np.mean(r['change']):>8.2f} "
              f"{within[name]['full']:>12}/{within[name]['fast']}")
    if as_json:
        print(json.dumps({"suite": str(folder), "fast": fast_label, "metrics": table}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=1, help="timed rounds of each (best is kept)")
    parser.add_argument("--json", action="store_true", help="also print one JSON line")
    parser.add_argument("--suite", type=Path, default=None,
                        help="a folder of synth clips with truth: score full rate and --fast against it")
    parser.add_argument("--stride", type=int, default=None,
                        help="with --suite: compare full rate with this fixed stride instead of --fast")
    parser.add_argument("--render", type=Path, default=None,
                        help="first render the 60 fps synthetic suite (20 clips of 5 s) into this folder")
    args = parser.parse_args()
    if args.render:
        render_suite(args.render)
    if args.suite:
        suite(args.suite, args.json, args.stride)
        return
    if args.clip is None:
        with tempfile.TemporaryDirectory(prefix="gaitcheck-fast-") as scratch:
            speed(render(Path(scratch) / "side_60fps.mp4"), args)
    else:
        speed(args.clip, args)


def render(target: Path) -> Path:
    """A side-view synthetic walk at 60 fps (the kind of clip --fast speeds up)."""
    subprocess.run([sys.executable, "-m", "gaitcheck", "synth", str(target), "--view", "side",
                    "--duration", str(RENDERED["seconds"]), "--fps", str(RENDERED["fps"]),
                    "--size", RENDERED["size"]], check=True, capture_output=True, timeout=900)
    return target


def speed(clip: Path, args: argparse.Namespace) -> None:
    """Time analyze_path on `clip` at full rate and with --fast; print the ratio."""
    from gaitcheck.fast import fast_stride
    from gaitcheck.video import probe

    info = probe(clip)
    print(f"clip {clip.name}: {info.width}×{info.height}, {info.fps:.2f} fps, {info.frame_count} frames; "
          f"--fast stride {fast_stride(info.fps)}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    timed(clip, True)  # warm-up: imports, first model load
    best = {False: float("inf"), True: float("inf")}
    analyses = {}
    for _ in range(args.rounds):
        for fast in (False, True):
            seconds, analyses[fast] = timed(clip, fast)
            best[fast] = min(best[fast], seconds)
    for fast in (False, True):
        label = "fast" if fast else "full"
        print(f"  {label}: {best[fast]:6.2f} s for {analyses[fast].input.frames} analysed frames")
    ratio = best[False] / best[True]
    print(f"  full/fast time ratio: {ratio:.2f}x")
    moved = {}
    for name in KEY_METRICS:
        full, quick = analyses[False].metrics.get(name), analyses[True].metrics.get(name)
        if full is not None and quick is not None and full.value is not None and quick.value is not None:
            moved[name] = (float(full.value), float(quick.value))
            print(f"  {name:<26} full {full.value:8.2f}   fast {quick.value:8.2f}   change {quick.value - full.value:+7.2f}")
    if args.json:
        print(json.dumps({"clip": str(clip), "full_s": best[False], "fast_s": best[True], "ratio": ratio,
                          "frames": {"full": analyses[False].input.frames, "fast": analyses[True].input.frames},
                          "metrics": moved}))


if __name__ == "__main__":
    main()
