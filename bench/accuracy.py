"""How well does MediaPipe see the synthetic walkers? Detection rate and joint error vs truth.

    python bench/accuracy.py SUITE_DIR [--generate] [--limit N] [--json OUT]
                             [--analyze] [--reports DIR] [--no-detect]

Reads every `*.mp4` with a `*.truth.json` beside it in SUITE_DIR (`--generate` renders the
fixed suite there first, as `gaitcheck synth --suite SUITE_DIR` does), runs the pose model
on every frame and prints, per clip and overall:
- detection: share of frames in which the model finds the walker (a pose whose body joints
  lie within 25% of body height of the drawn ones, so a second person does not count);
- joint error per landmark group: median distance between detected and drawn positions, in
  pixels and as % of body height; also with left/right allowed to swap (the model often
  swaps sides in a side view, which the pipeline has to handle), and how often it swapped.

- posture angles: the renderer's own per-frame definitions (gaitcheck/synth/truth.py) applied
  to the detected landmarks (sides put right, the known camera roll taken out), median over
  the clip, against the truth: an early look at how far the pose model alone moves each
  angle, before any smoothing or view logic of the pipeline.

`--analyze` first runs `gaitcheck analyze CLIP --json DIR/NAME.json` on every clip (one at a
time; DIR is --reports, default SUITE_DIR/reports), then `gaitcheck analyze THERE BACK` on each
walk the suite films once each way (`gaitcheck.synth.suite.BOTH_WAYS`): the arm swing
asymmetry, which a side view alone cannot give (it sees its near arm only), is scored on those
merged reports. With `--reports DIR` it reads gaitcheck's JSON reports (schema gaitcheck/report-v1,
one `NAME.json` per clip `NAME.mp4`) and prints, per metric, the mean absolute error
against the truth (with how many clips it rests on, and how many reports left it absent where
the truth has a value: an absent metric is not scored, so it is counted instead) and the
share of (clip, rule) verdicts that match (`warn` counts as neither pass nor fail).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gaitcheck.landmarks import MIRROR, Landmark as L  # noqa: E402

GROUPS = {
    "head": (L.NOSE, L.LEFT_EYE, L.RIGHT_EYE, L.LEFT_EAR, L.RIGHT_EAR),
    "shoulders": (L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    "elbows": (L.LEFT_ELBOW, L.RIGHT_ELBOW),
    "wrists": (L.LEFT_WRIST, L.RIGHT_WRIST),
    "hips": (L.LEFT_HIP, L.RIGHT_HIP),
    "knees": (L.LEFT_KNEE, L.RIGHT_KNEE),
    "ankles": (L.LEFT_ANKLE, L.RIGHT_ANKLE),
    "feet": (L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX),
}
BODY = [i for g in ("shoulders", "hips", "knees", "ankles") for i in GROUPS[g]]
MATCH = 0.25  # a detection is "the walker" if its body joints are this close (share of height)


def _frames(path: Path):
    import cv2

    cap = cv2.VideoCapture(str(path))
    try:
        while True:
            ok, bgr = cap.read()
            if not ok:
                return
            yield cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    finally:
        cap.release()


def _error(detected: np.ndarray, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Per-landmark distance (33,), the same with sides allowed to swap, and whether swapped."""
    straight = np.linalg.norm(detected - drawn, axis=1)
    mirrored = np.linalg.norm(detected[list(MIRROR)] - drawn, axis=1)
    swapped = mirrored[BODY].mean() < straight[BODY].mean()
    return straight, (mirrored if swapped else straight), bool(swapped)


def measure_clip(video: Path, estimator_factory) -> dict:
    """Detection and per-landmark error for one clip."""
    truth = json.loads(video.with_name(video.stem + ".truth.json").read_text())
    drawn = np.array(truth["frames"]["landmarks_px"])
    height = np.array(truth["frames"]["body_height_px"])
    fps = truth["input"]["fps"]
    found = 0
    errors, sided, swaps = [], [], 0
    detected: dict[int, np.ndarray] = {}
    with estimator_factory(truth["persons"]) as estimator:
        for i, rgb in enumerate(_frames(video)):
            if i >= len(drawn):
                break
            poses = estimator.detect(rgb, 1000.0 * i / fps)
            best = None
            for pose in poses:
                straight, either, swapped = _error(pose.xy, drawn[i])
                score = either[BODY].mean() / height[i]
                if score < MATCH and (best is None or score < best[0]):
                    best = (score, straight, either, swapped, pose.xy[list(MIRROR)] if swapped else pose.xy)
            if best is None:
                continue
            found += 1
            detected[i] = best[4]
            errors.append(best[1] / height[i])
            sided.append(best[2] / height[i])
            swaps += best[3]
    frames = min(len(drawn), truth["input"]["frames"])
    out = {"clip": video.name, "view": truth["view"]["camera"], "preset": truth["generator"]["preset"],
           "frames": frames, "detected": found, "detection_rate": found / frames if frames else 0.0,
           "swapped_frames": swaps, "median_body_height_px": float(np.median(height)),
           "angles": _angles(detected, truth)}
    if errors:
        e, s = np.array(errors), np.array(sided)
        out["error_pct_height"] = {g: float(100 * np.median(e[:, list(idx)])) for g, idx in GROUPS.items()}
        out["error_pct_height_sides_free"] = {g: float(100 * np.median(s[:, list(idx)])) for g, idx in GROUPS.items()}
        out["error_px_sides_free"] = {g: float(np.median(s[:, list(idx)] * np.median(height))) for g, idx in GROUPS.items()}
    return out


FRAME_ANGLES = ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "lateral_trunk_lean_deg",
                "head_tilt_deg", "shoulder_tilt_deg")


def _angles(detected: dict[int, np.ndarray], truth: dict) -> dict[str, dict[str, float]]:
    """Median per-frame posture angles, detected vs drawn, on the frames where the walker was found."""
    from gaitcheck.synth import truth as synth_truth

    if not detected:
        return {}
    frames = sorted(detected)
    xy = np.array([detected[i] for i in frames])
    roll = np.radians(truth["view"]["camera_roll_deg"])
    centre = np.array([truth["input"]["width"], truth["input"]["height"]]) / 2.0
    c, s = np.cos(roll), np.sin(roll)
    level = (xy - centre) @ np.array([[c, -s], [s, c]]).T + centre
    g = synth_truth.geometry(truth["view"]["camera"], truth["view"]["direction"])
    series = synth_truth.frame_series(level, g)
    out = {}
    for name in FRAME_ANGLES:
        if name in series:
            drawn = np.array(truth["frames"]["series"][name])[frames]
            out[name] = {"truth": float(np.median(drawn)), "detected": float(np.median(series[name]))}
    flare = "elbow_flare_left_deg"
    if flare in series:
        drawn = 0.5 * (np.array(truth["frames"]["series"][flare]) + np.array(truth["frames"]["series"]["elbow_flare_right_deg"]))
        found = 0.5 * (series[flare] + series["elbow_flare_right_deg"])
        out["elbow_flare_deg"] = {"truth": float(np.median(drawn[frames])), "detected": float(np.median(found))}
    return out


# Metrics whose target is relative (issue #4: arm swing within 15%, cadence within 2%): their
# error is also printed as a share of the truth, where the truth is big enough to divide by
# (arms held still, drawn 0°, are scored in degrees only).
RELATIVE = {"arm_swing_left_deg": 5.0, "arm_swing_right_deg": 5.0, "cadence_spm": 1.0}


def compare_report(report: dict, truth: dict) -> dict:
    """Metric errors and verdict matches of one gaitcheck report (report-v1) against the truth."""
    errors, relative, missing = {}, {}, []
    for name, metric in truth["metrics"].items():
        got = report.get("metrics", {}).get(name)
        if metric.get("value") is None:
            continue
        if not isinstance(got, dict) or got.get("value") is None:
            missing.append(name)  # the truth has a value, the report none: counted, not scored
            continue
        errors[name] = abs(float(got["value"]) - float(metric["value"]))
        if name in RELATIVE and abs(float(metric["value"])) >= RELATIVE[name]:
            relative[name] = errors[name] / abs(float(metric["value"]))
    got_rules = {r["id"]: r.get("status") for r in report.get("rules", [])}
    verdicts = {rule["id"]: {"truth": rule["status"], "report": got_rules.get(rule["id"])}
                for rule in truth["rules"]}
    return {"errors": errors, "relative": relative, "missing": missing, "verdicts": verdicts,
            "view_match": all(report.get("view", {}).get(key) == truth["view"][key] for key in ("camera", "direction"))}


def summarise_reports(pairs: list[tuple[dict, dict]]) -> dict:
    """Across clips: mean absolute error per metric, share of matching verdicts, per rule too."""
    compared = [compare_report(report, truth) for report, truth in pairs]
    names = sorted({n for c in compared for n in c["errors"]} | {n for c in compared for n in c["missing"]})
    scored = {n: sum(n in c["errors"] for c in compared) for n in names}
    # MAE only where some report measured the metric; metric_absent counts the rest
    mae = {n: float(np.mean([c["errors"][n] for c in compared if n in c["errors"]])) for n in names if scored[n]}
    absent = {n: sum(n in c.get("missing", []) for c in compared) for n in names}
    relative = {n: [c["relative"][n] for c in compared if n in c.get("relative", {})] for n in RELATIVE}
    relative = {n: {"mean": float(np.mean(v)), "max": float(np.max(v)), "n": len(v)} for n, v in relative.items() if v}
    matches = [(rule, v["truth"] == v["report"]) for c in compared for rule, v in c["verdicts"].items()]
    per_rule = {}
    for rule in sorted({r for r, _ in matches}):
        hits = [m for r, m in matches if r == rule]
        per_rule[rule] = sum(hits) / len(hits)
    return {"clips": len(compared), "metric_mae": mae, "metric_relative": relative, "metric_scored": scored,
            "metric_absent": absent,
            "verdict_match": sum(m for _, m in matches) / len(matches) if matches else None,
            "verdict_match_per_rule": per_rule, "verdicts": [c["verdicts"] for c in compared],
            "view_match": sum(c["view_match"] for c in compared) / len(compared) if compared else None}


def both_ways(clips: list[Path]) -> dict[str, tuple[Path, Path]]:
    """The suite's walks filmed once each way (gaitcheck.synth.suite.BOTH_WAYS) whose two clips
    are both here: report name -> (clip there, clip back)."""
    from gaitcheck.synth.suite import BOTH_WAYS

    by_name = {clip.stem: clip for clip in clips}
    return {name: (by_name[a], by_name[b]) for name, (a, b) in BOTH_WAYS.items() if a in by_name and b in by_name}


def run_analysis(clips: list[Path], reports: Path) -> None:
    """`gaitcheck analyze` on each clip (a separate process each, one at a time), then on each
    both-ways pair as one report (NAME.json for the pair's name)."""
    import subprocess

    reports.mkdir(parents=True, exist_ok=True)
    root = Path(__file__).resolve().parent.parent
    jobs = [(clip.stem, [clip]) for clip in clips] + [(name, list(pair)) for name, pair in both_ways(clips).items()]
    for name, inputs in jobs:
        out = reports / f"{name}.json"
        done = subprocess.run([sys.executable, "-m", "gaitcheck", "analyze", *map(str, inputs), "--json", str(out), "-q"],
                              cwd=root, capture_output=True, text=True)
        status = "ok" if done.returncode == 0 else f"exit {done.returncode}: {done.stderr.strip()[-200:]}"
        print(f"analyze {' + '.join(clip.name for clip in inputs)}: {status}", flush=True)


ARM_SWINGS = ("arm_swing_left_deg", "arm_swing_right_deg", "arm_swing_asymmetry_pct")


def score_both_ways(clips: list[Path], reports: Path) -> dict:
    """Arm swing of each both-ways pair's merged report against the walker's truth: the only
    reports where a side view gives both arms (one clip each way)."""
    errors: dict[str, list[float]] = {name: [] for name in ARM_SWINGS}
    absent = {name: 0 for name in ARM_SWINGS}
    scored = 0
    for name, (there, _) in both_ways(clips).items():
        report_path = reports / f"{name}.json"
        if not report_path.exists():
            continue
        scored += 1
        report = json.loads(report_path.read_text())
        truth = json.loads(there.with_name(there.stem + ".truth.json").read_text())
        for metric in ARM_SWINGS:
            got = report["metrics"].get(metric, {}).get("value")
            if got is None:
                absent[metric] += 1
            else:
                errors[metric].append(abs(got - truth["metrics"][metric]["value"]))
    return {"pairs": scored, "metric_mae": {n: float(np.mean(e)) for n, e in errors.items() if e},
            "metric_scored": {n: len(e) for n, e in errors.items()}, "metric_absent": absent}


def _estimator(persons: int):
    from gaitcheck.pose import PoseEstimator

    return PoseEstimator(max_persons=max(1, persons))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--generate", action="store_true", help="render the fixed suite into SUITE first")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clips")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--reports", type=Path, help="folder of gaitcheck JSON reports NAME.json to score")
    parser.add_argument("--no-detect", action="store_true", help="skip the detection pass (only score reports)")
    parser.add_argument("--analyze", action="store_true", help="run `gaitcheck analyze` on every clip first")
    parser.add_argument("--mismatches", action="store_true",
                        help="list every (clip, rule) whose verdict differs from the truth's")
    args = parser.parse_args(argv)
    if args.generate:
        from gaitcheck.synth.suite import render_suite

        render_suite(args.suite)
    clips = sorted(p for p in args.suite.glob("*.mp4") if p.with_name(p.stem + ".truth.json").exists())
    if args.limit:
        clips = clips[: args.limit]
    if not clips:
        print(f"no clips with truth in {args.suite}", file=sys.stderr)
        return 1
    summary: dict = {}
    if args.analyze:
        args.reports = args.reports or args.suite / "reports"
        run_analysis(clips, args.reports)
    if args.reports:
        pairs, scored = [], []
        for clip in clips:
            report = args.reports / f"{clip.stem}.json"
            if report.exists():
                scored.append(clip.stem)
                pairs.append((json.loads(report.read_text()),
                              json.loads(clip.with_name(clip.stem + ".truth.json").read_text())))
        summary["reports"] = summarise_reports(pairs)
        r = summary["reports"]
        print(f"reports scored: {r['clips']}  verdicts matching: "
              f"{100 * r['verdict_match']:.1f}%  view and direction right: {100 * r['view_match']:.1f}%" if pairs else "no reports found")
        for name, gone in r["metric_absent"].items():
            value = r["metric_mae"].get(name)
            print(f"  {name:<28} " + (f"MAE {value:8.2f}" if value is not None else "MAE        -")
                  + f"  on {r['metric_scored'][name]:>2} clips"
                  + (f"  (absent from {gone} report(s) where the truth has a value)" if gone else ""))
            if name in r["metric_relative"]:
                rel = r["metric_relative"][name]
                print(f"  {'':<28} relative {100 * rel['mean']:5.1f}%  (worst {100 * rel['max']:.1f}%, "
                      f"on {rel['n']} clips with a truth of {RELATIVE[name]:g} or more)")
        for rule, value in r["verdict_match_per_rule"].items():
            print(f"  {rule:<28} verdicts matching {100 * value:5.1f}%")
        pairs_summary = summary["both_ways"] = score_both_ways(clips, args.reports)
        if pairs_summary["pairs"]:
            print(f"both-ways walks (one walker filmed once each way, two clips merged into one report): "
                  f"{pairs_summary['pairs']}")
            for name in ARM_SWINGS:
                value = pairs_summary["metric_mae"].get(name)
                gone = pairs_summary["metric_absent"][name]
                print(f"  {name:<28} " + (f"MAE {value:8.2f}" if value is not None else "MAE        -")
                      + f"  on {pairs_summary['metric_scored'][name]:>2} pairs" + (f"  (absent from {gone})" if gone else ""))
        if args.mismatches:
            for name, verdicts in zip(scored, r["verdicts"]):
                for rule, v in verdicts.items():
                    if v["truth"] != v["report"]:
                        print(f"  mismatch {name:<36} {rule:<20} truth {v['truth']:<15} reported {v['report']}")
    if args.no_detect:
        if args.json:
            args.json.write_text(json.dumps(summary, indent=1))
        return 0
    results = []
    start = time.time()
    for clip in clips:
        r = measure_clip(clip, _estimator)
        results.append(r)
        groups = r.get("error_pct_height_sides_free", {})
        print(f"{r['clip']:<40} {r['view']:<5} {r['detected']:>4}/{r['frames']:<4} "
              f"{100 * r['detection_rate']:6.1f}%  swapped {r['swapped_frames']:>3}  "
              + " ".join(f"{g}={v:.1f}" for g, v in groups.items()), flush=True)
    frames = sum(r["frames"] for r in results)
    found = sum(r["detected"] for r in results)
    print(f"\nclips {len(results)}  frames {frames}  detected {found}  rate {100 * found / frames:.2f}%  "
          f"worst clip {min(100 * r['detection_rate'] for r in results):.1f}%  ({time.time() - start:.0f}s)")
    by_group = {}
    for key in ("error_pct_height", "error_pct_height_sides_free", "error_px_sides_free"):
        by_group[key] = {g: float(np.median([r[key][g] for r in results if key in r])) for g in GROUPS}
        print(f"median over clips, {key}: " + "  ".join(f"{g} {v:.1f}" for g, v in by_group[key].items()))
    by_view = {}
    for view in sorted({r["view"] for r in results}):
        rs = [r for r in results if r["view"] == view]
        by_view[view] = sum(r["detected"] for r in rs) / sum(r["frames"] for r in rs)
        print(f"  {view:<5} detection {100 * by_view[view]:.2f}%  "
              + "  ".join(f"{g} {np.median([r['error_pct_height_sides_free'][g] for r in rs if 'error_pct_height_sides_free' in r]):.1f}%"
                          for g in GROUPS))
    angle_errors = {}
    for name in (*FRAME_ANGLES, "elbow_flare_deg"):
        pairs_ = [r["angles"][name] for r in results if name in r.get("angles", {})]
        if pairs_:
            diff = np.array([p["detected"] - p["truth"] for p in pairs_])
            truth_v = np.array([p["truth"] for p in pairs_])
            found_v = np.array([p["detected"] for p in pairs_])
            slope = float(np.polyfit(truth_v, found_v, 1)[0]) if np.ptp(truth_v) > 1 else float("nan")
            angle_errors[name] = {"clips": len(pairs_), "mae": float(np.mean(np.abs(diff))),
                                  "bias": float(np.mean(diff)), "slope": slope}
    print("posture angles, renderer's definitions on detected landmarks (median per clip vs truth):")
    for name, e in angle_errors.items():
        print(f"  {name:<24} clips {e['clips']:>2}  MAE {e['mae']:5.2f}°  bias {e['bias']:+5.2f}°  slope {e['slope']:.2f}")
    if args.json:
        args.json.write_text(json.dumps({**summary, "clips": results, "detection_rate": found / frames,
                                         "by_view": by_view, "errors": by_group, "angles": angle_errors}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
