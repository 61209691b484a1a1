#!/usr/bin/env python3
"""Frames per second for one clip, in one run:

  (a) decoding alone: an OpenCV read loop, nothing else;
  (b) a plain MediaPipe loop: decode → RGB → PoseLandmarker.detect_for_video, one pose, the
      bundled full model, full resolution (what a hand-written script would do);
  (c) `gaitcheck landmarks` through the Python API: gaitcheck.extract.extract() with its default
      options (orientation from the pass, two poses asked per frame, frames over 1280 px
      scaled down, one thread per core, second look, tracking) + clean();

and the ratio (c)/(b). Usage:  python bench/throughput.py [CLIP] [--json] [--breakdown]
(--breakdown adds (c) on one thread, and without the second look, to see where time goes.)

Without CLIP it takes the longest side-view clip listed in ../shared/clips/MANIFEST.tsv, or,
when that folder is absent, the largest clip in samples/.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"


def default_clip() -> Path:
    manifest = CLIPS / "MANIFEST.tsv"
    if manifest.is_file():
        with open(manifest, newline="", encoding="utf-8") as handle:
            rows = [row for row in csv.DictReader(handle, delimiter="\t")
                    if row["view"].strip() == "side" and (CLIPS / row["file"]).is_file()]
        if rows:
            return CLIPS / max(rows, key=lambda row: float(row["duration_s"]))["file"]
    samples = sorted((REPO / "samples").glob("*.mp4"), key=lambda p: p.stat().st_size)
    if samples:
        return samples[-1]
    sys.exit("throughput: no clip given, no ../shared/clips and no samples/*.mp4; pass a CLIP")


def decode_only(path: Path) -> int:
    import cv2

    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    count = 0
    try:
        while True:
            ok, _ = capture.read()
            if not ok:
                break
            count += 1
    finally:
        capture.release()
    return count


def plain_mediapipe(path: Path, model: Path, poses: int = 1) -> int:
    """The hand-written script: decode → RGB → detect_for_video asking for `poses` poses."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)),
        running_mode=vision.RunningMode.VIDEO,
        num_poses=poses,
    )
    landmarker = vision.PoseLandmarker.create_from_options(options)
    capture = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    count = 0
    try:
        while True:
            ok, frame = capture.read()
            if not ok:
                break
            rgb = cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
            landmarker.detect_for_video(image, int(count * 1000 / fps))
            count += 1
    finally:
        capture.release()
        landmarker.close()
    return count


def gaitcheck_landmarks(path: Path, model: Path, **options) -> tuple[int, float]:
    from gaitcheck.extract import extract
    from gaitcheck.series import clean

    found = extract(path, model=model, **options)
    clean(found.series)
    return found.frames_read, found.series.detected_fraction


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("clip", nargs="?", type=Path, help="the clip to time (default: see above)")
    parser.add_argument("--model", type=Path, default=None, help="Pose Landmarker .task (default: bundled)")
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON line")
    parser.add_argument("--breakdown", action="store_true",
                        help="also time (c) on one thread, and without the second look")
    args = parser.parse_args()

    import cv2
    import mediapipe

    from gaitcheck.model import find_model
    from gaitcheck.video import probe

    clip = args.clip or default_clip()
    model = find_model(args.model)
    info = probe(clip)
    print(f"clip   {clip}")
    print(f"       {info.width}×{info.height}, {info.fps:.2f} fps, {info.frame_count} frames, {info.codec}")
    print(f"host   {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}; mediapipe {mediapipe.__version__}, "
          f"opencv {cv2.__version__}, python {sys.version.split()[0]}")
    print()

    figures = {}
    rows = [
        ("a", "decoding alone (cv2 read loop)", decode_only, (clip,)),
        ("b", "plain MediaPipe loop (1 pose, full model, full resolution)", plain_mediapipe, (clip, model)),
        ("c", "gaitcheck landmarks (extract() defaults + clean())", gaitcheck_landmarks, (clip, model)),
    ]
    if args.breakdown:
        rows += [
            ("c1", "  (c) on one thread (workers=1)", gaitcheck_landmarks, (clip, model, {"workers": 1})),
            ("c2", "  (c) without the second look", gaitcheck_landmarks, (clip, model, {"second_look": False})),
        ]
    for key, label, function, function_args in rows:
        options = function_args[-1] if isinstance(function_args[-1], dict) else {}
        function_args = function_args[:-1] if options else function_args
        result, seconds = timed(lambda: function(*function_args, **options))
        frames = result[0] if isinstance(result, tuple) else result
        figures[key] = {"frames": frames, "seconds": seconds, "fps": frames / seconds if seconds else 0.0}
        extra = f"   (walker found in {result[1]:.1%} of frames)" if isinstance(result, tuple) else ""
        print(f"({key}) {label:<60}{'' if len(key) > 1 else ' '} {frames:5d} frames in {seconds:7.2f} s = {frames / seconds:7.1f} frames/s{extra}",
              flush=True)
    ratio = figures["c"]["fps"] / figures["b"]["fps"] if figures["b"]["fps"] else float("nan")
    print(f"\n(c)/(b) = {ratio:.2f}")
    if args.json:
        print(json.dumps({"clip": str(clip), "figures": figures, "ratio_c_over_b": ratio}))


if __name__ == "__main__":
    main()
