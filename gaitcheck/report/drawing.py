"""Drawing on video frames: the walker's skeleton and the angle a metric measures.

Shared by the key frames of the HTML report and the annotated video. Landmarks arrive in the
analysis's levelled pixels; `unlevel` turns them back onto the recorded frame (the camera roll
the analysis removed), so the drawing sits on the body and the reference lines (vertical,
horizontal, trunk axis) are the ones the metric was measured against.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gaitcheck.landmarks import FEET, SKELETON, Landmark as L

BGR = {"pass": (90, 170, 60), "warn": (0, 190, 240), "fail": (40, 40, 220), "bone": (235, 235, 235),
       "joint": (255, 160, 40), "ref": (200, 200, 200), "text": (255, 255, 255)}


def unlevel(points: np.ndarray, roll_deg: float, width: int, height: int) -> np.ndarray:
    """(…, 2) levelled pixels back to the recorded frame: turned `roll_deg` clockwise about the
    frame centre (the inverse of `gaitcheck.view.level`)."""
    theta = np.radians(roll_deg)
    c, s = np.cos(theta), np.sin(theta)
    centre = np.array([width / 2.0, height / 2.0])
    d = np.asarray(points, dtype=float) - centre
    return np.stack([c * d[..., 0] - s * d[..., 1], s * d[..., 0] + c * d[..., 1]], axis=-1) + centre


@dataclass(frozen=True)
class Angle:
    """One angle to draw: from `base`, the measured segment to `tip` against the reference
    direction `ref` (a unit vector), in levelled pixels."""

    base: np.ndarray
    tip: np.ndarray
    ref: np.ndarray


def _mid(xy: np.ndarray, a: int, b: int) -> np.ndarray:
    return 0.5 * (xy[a] + xy[b])


def _up() -> np.ndarray:
    return np.array([0.0, -1.0])


def _horizontal_towards(base: np.ndarray, tip: np.ndarray) -> np.ndarray:
    return np.array([1.0 if tip[0] >= base[0] else -1.0, 0.0])


def _trunk_down(xy: np.ndarray) -> np.ndarray:
    down = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP) - _mid(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    return down / (np.linalg.norm(down) or 1.0)


def _vertical(base: int | tuple[int, int], tip: tuple[int, int]) -> Callable[[np.ndarray, float], list[Angle]]:
    def angles(xy: np.ndarray, sign: float) -> list[Angle]:
        b = _mid(xy, *base) if isinstance(base, tuple) else xy[base]
        return [Angle(b, _mid(xy, *tip), _up())]
    return angles


def _line(left: int, right: int) -> Callable[[np.ndarray, float], list[Angle]]:
    def angles(xy: np.ndarray, sign: float) -> list[Angle]:
        return [Angle(xy[left], xy[right], _horizontal_towards(xy[left], xy[right]))]
    return angles


def _arms(*sides: str) -> Callable[[np.ndarray, float], list[Angle]]:
    joints = {"left": (L.LEFT_SHOULDER, L.LEFT_ELBOW), "right": (L.RIGHT_SHOULDER, L.RIGHT_ELBOW)}

    def angles(xy: np.ndarray, sign: float) -> list[Angle]:
        return [Angle(xy[joints[s][0]], xy[joints[s][1]], _trunk_down(xy)) for s in sides]
    return angles


def _gaze(xy: np.ndarray, sign: float) -> list[Angle]:
    ear, eye = _mid(xy, L.LEFT_EAR, L.RIGHT_EAR), _mid(xy, L.LEFT_EYE, L.RIGHT_EYE)
    forward = sign if np.isfinite(sign) and sign else (1.0 if eye[0] >= ear[0] else -1.0)
    return [Angle(ear, eye + (eye - ear) * 2.0, np.array([forward, 0.0]))]


def _feet(xy: np.ndarray, sign: float) -> list[Angle]:
    out = []
    for heel, toe in FEET.values():
        out.append(Angle(xy[heel], xy[toe], _horizontal_towards(xy[heel], xy[toe])))
    return out


# Metric name -> the angle(s) it measures, from one frame's (33, 2) levelled landmarks and the
# frame's sign (forward on screen for side passes, the subject's right for front/back).
ANGLES: dict[str, Callable[[np.ndarray, float], list[Angle]]] = {
    "trunk_lean_deg": _vertical((L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.RIGHT_SHOULDER)),
    "lateral_trunk_lean_deg": _vertical((L.LEFT_HIP, L.RIGHT_HIP), (L.LEFT_SHOULDER, L.RIGHT_SHOULDER)),
    "head_forward_deg": _vertical((L.LEFT_SHOULDER, L.RIGHT_SHOULDER), (L.LEFT_EAR, L.RIGHT_EAR)),
    "head_pitch_deg": _gaze,
    "head_tilt_deg": _line(L.LEFT_EAR, L.RIGHT_EAR),
    "shoulder_tilt_deg": _line(L.LEFT_SHOULDER, L.RIGHT_SHOULDER),
    "pelvic_drop_deg": _line(L.LEFT_HIP, L.RIGHT_HIP),
    "elbow_flare_deg": _arms("left", "right"),
    "arm_midline_crossing": _arms("left", "right"),
    "arm_swing_left_deg": _arms("left"),
    "arm_swing_right_deg": _arms("right"),
    "arm_swing_asymmetry_pct": _arms("left", "right"),
    "arm_leg_coordination": _arms("left", "right"),
    "heel_strike_pct": _feet,
    "step_length_asymmetry_pct": _feet,
    "step_time_asymmetry_pct": _feet,
    "stride_time_cv_pct": _feet,
    "cadence_spm": _feet,
}


def _pt(p: np.ndarray) -> tuple[int, int]:
    return int(round(float(p[0]))), int(round(float(p[1])))


def draw_skeleton(image: np.ndarray, xy: np.ndarray, thickness: int = 2) -> None:
    """Bones and joints of one frame's (33, 2) image-pixel landmarks, in place (NaN skipped)."""
    import cv2

    for a, b in SKELETON:
        if np.isfinite(xy[a]).all() and np.isfinite(xy[b]).all():
            cv2.line(image, _pt(xy[a]), _pt(xy[b]), BGR["bone"], thickness, cv2.LINE_AA)
    for point in xy:
        if np.isfinite(point).all():
            cv2.circle(image, _pt(point), thickness + 1, BGR["joint"], -1, cv2.LINE_AA)


def draw_label(image: np.ndarray, text: str, at: tuple[int, int], color: tuple[int, int, int], scale: float = 0.5,
               outline: bool = True) -> None:
    """Text, with a dark outline (readable on any background) unless it sits on a panel."""
    import cv2

    if outline:
        cv2.putText(image, text, at, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), 3, cv2.LINE_AA)
    cv2.putText(image, text, at, cv2.FONT_HERSHEY_SIMPLEX, scale, color, 1, cv2.LINE_AA)


def draw_angle(image: np.ndarray, angle: Angle, to_image: Callable[[np.ndarray], np.ndarray], color, label: str = "") -> None:
    """The measured segment (thick, `color`), the reference line (dashed grey) and an arc
    between them from the base point."""
    import cv2

    if not (np.isfinite(angle.base).all() and np.isfinite(angle.tip).all() and np.isfinite(angle.ref).all()):
        return
    length = float(np.linalg.norm(angle.tip - angle.base)) or 1.0
    reach = max(length, 40.0)
    base, tip = to_image(angle.base), to_image(angle.base + (angle.tip - angle.base) / length * reach)
    ref_end = to_image(angle.base + angle.ref * reach)
    steps = 12
    for k in range(steps):  # dashed reference line
        if k % 2 == 0:
            a, b = base + (ref_end - base) * k / steps, base + (ref_end - base) * (k + 1) / steps
            cv2.line(image, _pt(a), _pt(b), BGR["ref"], 1, cv2.LINE_AA)
    cv2.line(image, _pt(base), _pt(tip), color, 3, cv2.LINE_AA)
    radius = 0.35 * reach
    u, v = (ref_end - base) / reach, (tip - base) / reach
    start, stop = np.arctan2(u[1], u[0]), np.arctan2(v[1], v[0])
    sweep = (stop - start + np.pi) % (2 * np.pi) - np.pi
    arc = [base + radius * np.array([np.cos(start + sweep * t), np.sin(start + sweep * t)]) for t in np.linspace(0, 1, 16)]
    cv2.polylines(image, [np.array([_pt(p) for p in arc], np.int32)], False, color, 2, cv2.LINE_AA)
    if label:
        mid = base + (radius + 14) * np.array([np.cos(start + sweep / 2), np.sin(start + sweep / 2)])
        draw_label(image, label, _pt(mid), BGR["text"])


def darken(image: np.ndarray, x0: int, y0: int, x1: int, y1: int, alpha: float = 0.6) -> None:
    """Darken a rectangle in place: a panel for text."""
    region = image[max(0, y0):y1, max(0, x0):x1]
    region[:] = (region * (1.0 - alpha)).astype(image.dtype)
