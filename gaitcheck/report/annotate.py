"""The annotated video (`--annotate out.webm`): every frame of the clip with the walker's
skeleton, the live value of each judged angle, and the rule flags.

Browsers play VP8/VP9 WebM, which OpenCV's wheel writes (it cannot write H.264); VP8 is used,
being quicker to encode. The file is written under a temporary name and renamed, like every
output; OpenCV picks the container from the file name, so the temporary name ends in .webm.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from gaitcheck.analysis import Analysis
from gaitcheck.atomic import atomic_path
from gaitcheck.errors import OutputError
from gaitcheck.report.drawing import ANGLES, BGR, darken, draw_angle, draw_label, draw_skeleton, unlevel
from gaitcheck.report.series_table import frame_series, walk_of
from gaitcheck.rules import status_of

FOURCC = "VP80"
MAX_SIDE = 960  # larger clips are scaled down: the overlay is for watching, not measuring


def live_status(value: float, threshold: dict | None) -> str:
    """pass / warn / fail of one frame's value against a rule's threshold ('' without one)."""
    if not threshold or not np.isfinite(value):
        return ""
    return status_of(threshold["kind"], value, threshold["pass"], threshold["warn"])


def judged_here(analysis: Analysis, document: dict) -> list[dict]:
    """The judged rules whose metric came from this clip and has a per-frame series."""
    sources = {name: metric.get("source", analysis.input.path) for name, metric in document["metrics"].items()}
    return [rule for rule in document["rules"]
            if rule["status"] != "not_measurable" and sources.get(rule["metric"]) == analysis.input.path]


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence native code writing to fd 2 (FFmpeg's 'tag not supported' note for WebM)."""
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def draw_overlay(image: np.ndarray, xy: np.ndarray, to_image, sign: float, rules: list[dict],
                 values: dict[str, float]) -> None:
    """Skeleton, the angle of each flagged rule, and a panel of live values and rule flags."""
    draw_skeleton(image, to_image(xy))
    lines = []
    for rule in rules:
        metric, value = rule["metric"], values.get(rule["metric"], float("nan"))
        status = live_status(value, rule.get("threshold")) if rule["metric"] in values else ""
        if rule["status"] in ("warn", "fail") and metric in ANGLES and np.isfinite(xy).all(axis=1).any():
            for angle in ANGLES[metric](xy, sign):
                draw_angle(image, angle, to_image, BGR.get(status or rule["status"], BGR["fail"]))
        live = f"  now {value:+.1f}" if np.isfinite(value) else ""
        lines.append((f"{rule.get('title', rule['id'])}: {rule['status']}{live}", BGR.get(status or rule["status"], BGR["text"])))
    if lines:
        darken(image, 0, 0, 330, 10 + 18 * len(lines))
    for k, (text, colour) in enumerate(lines):
        draw_label(image, text, (8, 22 + 18 * k), colour, 0.45, outline=False)


def nearest_row(indices: np.ndarray, frame: int, reach: int = 3) -> int | None:
    """The series row of the analysed frame nearest `frame` (within `reach` frames: with
    --stride the skeleton holds between analysed frames instead of flickering)."""
    if not len(indices):
        return None
    k = int(np.clip(np.searchsorted(indices, frame), 1, len(indices) - 1)) if len(indices) > 1 else 0
    best = min((k - 1, k) if len(indices) > 1 else (0,), key=lambda r: abs(int(indices[r]) - frame))
    return best if abs(int(indices[best]) - frame) <= reach else None


def write_annotated(analysis: Analysis, document: dict, clip: str | Path, target: str | Path) -> Path:
    """Write the annotated WebM of one clip to `target` (atomically)."""
    import cv2

    from gaitcheck.video import frames

    series, walk = analysis.series, walk_of(analysis)
    per_frame = frame_series(walk)
    rules = judged_here(analysis, document)
    indices = np.asarray(series.frame_index, dtype=int)
    roll = float(series.processing.get("level_roll_deg", 0.0))
    scale = min(1.0, MAX_SIDE / max(series.width, series.height))
    size = (int(round(series.width * scale)) // 2 * 2, int(round(series.height * scale)) // 2 * 2)
    fps = analysis.input.fps or series.fps
    with atomic_path(target) as temp:
        regular = temp.is_file()  # atomic_path hands over a pipe or device itself, to write into
        webm = temp.with_name(temp.name + ".webm") if regular else Path(tempfile.mkdtemp()) / "annotated.webm"
        try:
            with _quiet_stderr():
                writer = cv2.VideoWriter(str(webm), cv2.VideoWriter_fourcc(*FOURCC), fps, size)
            if not writer.isOpened():
                raise OutputError(target, "this OpenCV build cannot write VP8 WebM video")
            try:
                for frame in frames(clip, turn=series.turn):
                    image = frame.image if scale == 1 and frame.image.shape[1::-1] == size else cv2.resize(frame.image, size)
                    row = nearest_row(indices, frame.index)
                    if row is not None:
                        to_image = lambda p: unlevel(p, roll, series.width, series.height) * scale  # noqa: E731
                        sign = walk.forward[row] if np.isfinite(walk.forward[row]) else walk.right[row]
                        values = {m: float(per_frame[m][row]) for m in per_frame}
                        draw_overlay(image, series.xy[row], to_image, float(sign), rules, values)
                    writer.write(image)
            finally:
                writer.release()
            if regular:
                os.replace(webm, temp)
            else:
                with open(webm, "rb") as source, open(temp, "wb") as sink:
                    shutil.copyfileobj(source, sink)
        finally:
            with contextlib.suppress(OSError):
                webm.unlink()
            if not regular:
                shutil.rmtree(webm.parent, ignore_errors=True)
    return Path(target)


def annotated_paths(target: str | Path, clips: list[str]) -> list[Path]:
    """One video per clip: `target` itself, or `NAME.<clip>.webm` beside it for several clips."""
    target = Path(target)
    if len(clips) == 1:
        return [target]
    return [target.with_name(f"{target.stem}.{Path(clip).stem}{target.suffix or '.webm'}") for clip in clips]
