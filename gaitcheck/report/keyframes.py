"""Key frames: for a rule that warned or failed, one frame of the clip showing it, with the
skeleton and the offending angle drawn.

The frame is chosen from the metric's per-frame series: for a posture held over frames (trunk
lean…) the frame whose value is nearest the reported median, i.e. a typical moment rather than
an outlier; for a swing or a drop, the frame at its extreme; for step timing, a heel strike in
the middle of the walk. Frames are decoded from the clip itself, so a saved series whose clip
is not at hand gets no image (the caller says so).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitcheck.analysis import Analysis, is_series_file
from gaitcheck.report.drawing import ANGLES, BGR, draw_angle, draw_skeleton, unlevel
from gaitcheck.report.series_table import SHOWN_BY, frame_series, walk_of

MAX_SIDE = 400  # key frames are cropped to the walker and scaled to this longer side


@dataclass(frozen=True)
class KeyFrame:
    """One rule's key frame as PNG bytes, with what it shows."""

    rule_id: str
    metric: str
    frame: int  # index in the clip
    time_s: float
    value: float  # the metric's per-frame value there (NaN when it has none)
    png: bytes


def clip_of(analysis: Analysis) -> Path | None:
    """The video the analysis came from, if it is at hand (a saved series remembers its clip)."""
    for candidate in (analysis.input.path, analysis.series.source):
        if candidate and not is_series_file(candidate) and Path(candidate).is_file():
            return Path(candidate)
    return None


def key_row(analysis: Analysis, metric: str, value: float | None, frames: dict[str, np.ndarray] | None = None) -> int | None:
    """The series row that best shows `metric` (see the module docstring), or None."""
    walk = walk_of(analysis)
    frames = frames if frames is not None else frame_series(walk)
    in_pass = np.isfinite(walk.forward) | np.isfinite(walk.right)
    if metric in frames and value is not None:
        column = frames[metric]
        finite = np.flatnonzero(np.isfinite(column))
        if len(finite):
            return int(finite[np.argmin(np.abs(column[finite] - value))])
    if metric in SHOWN_BY and SHOWN_BY[metric] in frames:
        column = frames[SHOWN_BY[metric]]
        finite = np.flatnonzero(np.isfinite(column))
        if len(finite):
            return int(finite[np.argmax(np.abs(column[finite]))])
    strikes = sorted(int(f) for frames_ in walk.events.heel_strikes.values() for f in frames_ if in_pass[int(f)])
    if strikes:
        return strikes[len(strikes) // 2]
    rows = np.flatnonzero(in_pass & np.isfinite(walk.xy).all(axis=(1, 2)))
    return int(rows[len(rows) // 2]) if len(rows) else None


def decode_frame(clip: Path, frame_index: int, turn: int = 0) -> np.ndarray | None:
    """One upright frame of the clip (BGR), or None if it cannot be decoded."""
    from gaitcheck.video import frames

    for frame in frames(clip, start=frame_index, stop=frame_index + 1, turn=turn):
        return frame.image
    return None


def crop_box(points: np.ndarray, width: int, height: int, margin: float = 0.2) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1): the points' box plus a margin, inside the frame (the whole frame if
    there are no points)."""
    finite = points[np.isfinite(points).all(axis=1)]
    if not len(finite):
        return 0, 0, width, height
    low, high = finite.min(axis=0), finite.max(axis=0)
    pad = margin * float(max(high - low))
    x0, y0 = int(max(0, low[0] - pad)), int(max(0, low[1] - pad))
    x1, y1 = int(min(width, high[0] + pad)), int(min(height, high[1] + pad))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return 0, 0, width, height
    return x0, y0, x1, y1


def annotate_frame(image: np.ndarray, xy: np.ndarray, metric: str, sign: float, roll_deg: float,
                   status: str, label: str) -> np.ndarray:
    """The frame cropped to the walker, scaled so its longer side is MAX_SIDE, with the
    skeleton and the metric's angle(s) drawn at that scale (crisp lines on a small walker)."""
    import cv2

    height, width = image.shape[:2]
    x0, y0, x1, y1 = crop_box(unlevel(xy, roll_deg, width, height), width, height)
    scale = MAX_SIDE / max(x1 - x0, y1 - y0)
    picture = cv2.resize(image[y0:y1, x0:x1], (round((x1 - x0) * scale), round((y1 - y0) * scale)),
                         interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    offset = np.array([x0, y0], float)
    to_image = lambda points: (unlevel(points, roll_deg, width, height) - offset) * scale  # noqa: E731
    draw_skeleton(picture, to_image(xy))
    for angle in ANGLES.get(metric, lambda *_: [])(xy, sign):
        draw_angle(picture, angle, to_image, BGR.get(status, BGR["fail"]), label)
    return picture


def key_frame(analysis: Analysis, rule: dict, clip: Path, frames: dict[str, np.ndarray] | None = None) -> KeyFrame | None:
    """The key frame of one judged rule from its clip, or None when no frame shows it."""
    import cv2

    walk = walk_of(analysis)
    frames = frames if frames is not None else frame_series(walk)
    metric = rule["metric"]
    row = key_row(analysis, metric, rule.get("value"), frames)
    if row is None:
        return None
    series = analysis.series
    image = decode_frame(clip, int(series.frame_index[row]), series.turn)
    if image is None:
        return None
    column = frames.get(metric, frames.get(SHOWN_BY.get(metric, ""), None))
    value = float(column[row]) if column is not None else float("nan")
    sign = walk.forward[row] if np.isfinite(walk.forward[row]) else walk.right[row]
    roll = float(series.processing.get("level_roll_deg", 0.0))
    label = f"{value:+.0f} deg" if np.isfinite(value) and metric.endswith("_deg") else ""
    picture = annotate_frame(image, series.xy[row], metric, float(sign), roll, rule["status"], label)
    ok, png = cv2.imencode(".png", picture)
    if not ok:
        return None
    return KeyFrame(rule["id"], metric, int(series.frame_index[row]), float(series.times[row]), value, png.tobytes())
