"""gaitcheck against a plain MediaPipe script, on the synthetic side-view clips' ground truth.

    python bench/baseline.py SUITE_DIR --reports DIR [--limit N]

Issue #4 asks gaitcheck to beat a plain ~30-line MediaPipe script on every metric it shares
with one. This runs such a script, written the way one usually is, on every side-view clip
(`*.mp4` whose `*.truth.json` says `side`) of SUITE_DIR, and scores it and gaitcheck's reports
(`DIR/NAME.json`, as `bench/accuracy.py --analyze` writes them) against the same truth:

- trunk lean: mid-hip → mid-shoulder from vertical, median over the clip, + towards the
  walking direction (taken from the hips' travel over the whole clip);
- head forward: mid-shoulder → mid-ear from vertical, the same way;
- arm swing per arm: the 5th-95th percentile range of the (unsigned) angle at the shoulder
  between the elbow and the hip, a kinder reading than the usual max - min;
- cadence: peaks of the feet's horizontal separation |left ankle - right ankle| (one per
  step), steps per minute between the first and the last.

The script sees what gaitcheck's pose model sees (the same model file, every frame, VIDEO
mode), so the difference is what gaitcheck does with the landmarks. Arm swing is scored on the
arms gaitcheck reports (the near arm: it leaves the far one absent, with the reason) and, for
the script, also on every arm. Prints mean absolute errors side by side and their ratio, and
the sagittal angles once more with the script told the true walking direction: its own guess
flips their sign on a treadmill, a panning camera or a walker who turns back.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ARMS = {"arm_swing_left_deg": (11, 13, 23), "arm_swing_right_deg": (12, 14, 24)}  # shoulder, elbow, hip
RELATIVE_FROM = 5.0  # arm swings drawn smaller than this are not scored relatively (as accuracy.py)


def plain_landmarks(path: Path, model: Path) -> tuple[np.ndarray, float]:
    """(T, 33, 2) pixel landmarks of the first pose per frame (NaN where none) and the fps."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(base_options=BaseOptions(model_asset_path=str(model)),
                                           running_mode=vision.RunningMode.VIDEO, num_poses=1)
    capture = cv2.VideoCapture(str(path))
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    frames = []
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            height, width = frame.shape[:2]
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=cv2.cvtColor(frame, cv2.COLOR_BGR2RGB))
            result = landmarker.detect_for_video(image, int(len(frames) * 1000 / fps))
            if result.pose_landmarks:
                frames.append([(p.x * width, p.y * height) for p in result.pose_landmarks[0]])
            else:
                frames.append([(np.nan, np.nan)] * 33)
    capture.release()
    return np.array(frames, dtype=float), fps


def plain_metrics(xy: np.ndarray, fps: float, direction: float | None = None) -> dict[str, float]:
    """What the plain script reports from its landmarks; `direction` (+1 walking to the right)
    overrides the one it takes from the hips' travel."""
    from scipy.signal import find_peaks

    mid = lambda a, b: (xy[:, a] + xy[:, b]) / 2  # noqa: E731
    hips, shoulders, ears = mid(23, 24), mid(11, 12), mid(7, 8)
    seen = np.flatnonzero(np.isfinite(hips[:, 0]))
    if direction is None:
        direction = np.sign(hips[seen[-1], 0] - hips[seen[0], 0]) or 1.0

    def lean(v: np.ndarray) -> float:
        return float(np.nanmedian(np.degrees(np.arctan2(direction * v[:, 0], -v[:, 1]))))

    out = {"trunk_lean_deg": lean(shoulders - hips), "head_forward_deg": lean(ears - shoulders)}
    for name, (shoulder, elbow, hip) in ARMS.items():
        a, b = xy[:, elbow] - xy[:, shoulder], xy[:, hip] - xy[:, shoulder]
        cos = np.sum(a * b, axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
        angle = np.degrees(np.arccos(np.clip(cos, -1, 1)))
        out[name] = float(np.nanpercentile(angle, 95) - np.nanpercentile(angle, 5))
    separation = np.abs(xy[:, 27, 0] - xy[:, 28, 0])
    separation = np.interp(np.arange(len(separation)), np.flatnonzero(np.isfinite(separation)),
                           separation[np.isfinite(separation)])
    peaks, _ = find_peaks(separation, distance=max(1, int(0.3 * fps)), prominence=0.2 * np.ptp(separation))
    out["cadence_spm"] = 60.0 * (len(peaks) - 1) * fps / (peaks[-1] - peaks[0]) if len(peaks) > 1 else float("nan")
    return out


def reported(report: dict, name: str) -> float:
    metric = report.get("metrics", {}).get(name)
    value = metric.get("value") if isinstance(metric, dict) else None
    return float("nan") if value is None else float(value)


def score(rows: list[dict]) -> list[tuple[str, str, float, float, int]]:
    """(metric, unit, script error, gaitcheck error, clips) over the rows both measured."""
    out = []
    for name, relative in (("trunk_lean_deg", False), ("head_forward_deg", False), ("arm_swing", True),
                           ("cadence_spm", True)):
        names = list(ARMS) if name == "arm_swing" else [name]
        pairs = []
        for row in rows:
            for n in names:
                truth, script, ours = row["truth"].get(n), row["script"].get(n), row["gaitcheck"].get(n)
                if truth is None or not np.isfinite(script) or not np.isfinite(ours):
                    continue
                if relative and abs(truth) < (RELATIVE_FROM if name == "arm_swing" else 1.0):
                    continue
                scale = abs(truth) / 100.0 if relative else 1.0
                pairs.append((abs(script - truth) / scale, abs(ours - truth) / scale))
        if pairs:
            script_err, ours_err = np.mean(pairs, axis=0)
            out.append((name, "%" if relative else "deg", float(script_err), float(ours_err), len(pairs)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--reports", type=Path, required=True, help="gaitcheck's NAME.json reports (accuracy.py --analyze)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N side clips")
    args = parser.parse_args(argv)
    from gaitcheck.model import find_model

    model = find_model()
    rows = []
    clips = [c for c in sorted(args.suite.glob("*.mp4")) if c.with_suffix(".truth.json").exists()
             and json.loads(c.with_suffix(".truth.json").read_text())["view"]["camera"] == "side"]
    for clip in clips[: args.limit or None]:
        report_path = args.reports / f"{clip.stem}.json"
        if not report_path.exists():
            print(f"{clip.name}: no gaitcheck report in {args.reports}, skipped", file=sys.stderr)
            continue
        truth_file = json.loads(clip.with_suffix(".truth.json").read_text())
        truth, view = {n: m.get("value") for n, m in truth_file["metrics"].items()}, truth_file["view"]
        report = json.loads(report_path.read_text())
        xy, fps = plain_landmarks(clip, model)
        script = plain_metrics(xy, fps)
        told = plain_metrics(xy, fps, 1.0 if view["direction"] == "left_to_right" else -1.0)
        ours = {n: reported(report, n) for n in script}
        rows.append({"clip": clip.stem, "truth": truth, "script": script, "told": told, "gaitcheck": ours})
        print(f"{clip.stem:<40} trunk {script['trunk_lean_deg']:6.1f} / {ours['trunk_lean_deg']:6.1f} "
              f"(truth {truth['trunk_lean_deg']:5.1f})  cadence {script['cadence_spm']:6.1f} / "
              f"{ours['cadence_spm']:6.1f} (truth {truth['cadence_spm']:5.1f})", flush=True)
    print(f"\nmean absolute error on {len(rows)} side clips: plain MediaPipe script / gaitcheck")
    worse = 0
    for name, unit, script_err, ours_err, n in score(rows):
        ratio = script_err / ours_err if ours_err else float("inf")
        worse += ours_err >= script_err
        print(f"  {name:<18} {script_err:7.2f} {unit:<3} / {ours_err:6.2f} {unit:<3}  script error is {ratio:4.1f}x gaitcheck's  ({n} values)")
    for name, unit, script_err, ours_err, n in score([{**r, "script": r["told"]} for r in rows])[:2]:
        worse += ours_err >= script_err
        print(f"  {name:<18} {script_err:7.2f} {unit:<3} / {ours_err:6.2f} {unit:<3}  the script told the walking "
              f"direction (the truth's): {script_err / ours_err:4.1f}x")
    all_arms = [abs(r["script"][n] - r["truth"][n]) / abs(r["truth"][n]) * 100 for r in rows for n in ARMS
                if r["truth"].get(n) is not None and abs(r["truth"][n]) >= RELATIVE_FROM]
    if all_arms:
        print(f"  arm swing, script on every arm (near and far): {np.mean(all_arms):.1f}% ({len(all_arms)} arms)")
    print("gaitcheck beats the script on every metric" if not worse else f"gaitcheck is not better on {worse} line(s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
