"""How well does MediaPipe see the synthetic walkers? Detection rate and joint error vs truth.

    python bench/accuracy.py SUITE_DIR [--generate] [--limit N] [--json OUT]

Reads every `*.mp4` with a `*.truth.json` beside it in SUITE_DIR (`--generate` renders the
fixed suite there first, as `gaitcheck synth --suite SUITE_DIR` does), runs the pose model
on every frame and prints, per clip and overall:
- detection: share of frames in which the model finds the walker (a pose whose body joints
  lie within 25% of body height of the drawn ones, so a second person does not count);
- joint error per landmark group: median distance between detected and drawn positions, in
  pixels and as % of body height; also with left/right allowed to swap (the model often
  swaps sides in a side view, which the pipeline has to handle), and how often it swapped.

When gaitcheck's metrics and rules exist this is where their error against the truth
(per metric mean absolute error, share of matching verdicts) gets reported too.
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
                    best = (score, straight, either, swapped)
            if best is None:
                continue
            found += 1
            errors.append(best[1] / height[i])
            sided.append(best[2] / height[i])
            swaps += best[3]
    frames = min(len(drawn), truth["input"]["frames"])
    out = {"clip": video.name, "view": truth["view"]["camera"], "preset": truth["generator"]["preset"],
           "frames": frames, "detected": found, "detection_rate": found / frames if frames else 0.0,
           "swapped_frames": swaps, "median_body_height_px": float(np.median(height))}
    if errors:
        e, s = np.array(errors), np.array(sided)
        out["error_pct_height"] = {g: float(100 * np.median(e[:, list(idx)])) for g, idx in GROUPS.items()}
        out["error_pct_height_sides_free"] = {g: float(100 * np.median(s[:, list(idx)])) for g, idx in GROUPS.items()}
        out["error_px_sides_free"] = {g: float(np.median(s[:, list(idx)] * np.median(height))) for g, idx in GROUPS.items()}
    return out


def _estimator(persons: int):
    from gaitcheck.pose import PoseEstimator

    return PoseEstimator(max_persons=max(1, persons))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("suite", type=Path)
    parser.add_argument("--generate", action="store_true", help="render the fixed suite into SUITE first")
    parser.add_argument("--limit", type=int, default=0, help="only the first N clips")
    parser.add_argument("--json", type=Path, help="also write the results here")
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
    if args.json:
        args.json.write_text(json.dumps({"clips": results, "detection_rate": found / frames,
                                         "by_view": by_view, "errors": by_group}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
