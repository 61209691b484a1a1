"""Ground truth of a synthetic clip, measured on the drawn 2D skeleton.

Every metric is computed from the landmark pixels the renderer drew, after undoing the known
camera roll (so angles are relative to the true vertical, as the pipeline measures them once
it has levelled the picture), with ../shared/DESIGN.md's conventions: sagittal angles
+ = towards the walking direction whatever the screen direction, frontal angles + = towards
the subject's right (for a tilt: the subject's right side lower).

Definitions the renderer uses (the metrics issue may refine them; keep the two in step):
- trunk_lean_deg: mid-hip→mid-shoulder from vertical (side). lateral_trunk_lean_deg: same,
  frontal (front/back).
- head_forward_deg: mid-shoulder→mid-ear from vertical, + forward (side).
- head_pitch_deg: mid-ear→mid-eye below horizontal, + looking down (side), from the line of a
  level head (the eye sits ~14° above the ear: LEVEL_EYE_RISE_DEG). gaitcheck measures the
  same turn of the rigid head on the face line (gaitcheck.metrics.head).
- head_tilt_deg, shoulder_tilt_deg: ear line, shoulder line from horizontal (front/back).
- pelvic_drop_deg: per stride, half the peak-to-peak hip-line tilt; median over strides.
- elbow_flare_deg: shoulder→elbow against the trunk axis (mid-shoulder→mid-hip), + away
  from the body, mean of both arms, median over frames (front/back).
- arm_swing_*_deg: per stride, peak-to-peak of the signed shoulder→elbow angle to the trunk
  axis (+ forward); median over strides (side). arm_swing_asymmetry_pct: |L−R| / mean(L, R).
- arm_leg_coordination: −corr(arm angle, same-side thigh angle), mean of both sides (+1 =
  each arm swings opposite its leg).
- arm_midline_crossing: per stride and arm, how far the wrist travels towards the trunk axis,
  as a share of the shoulder width; median (front).
- cadence_spm, step_time_asymmetry_pct, stride_time_cv_pct: from the heel-strike times.
  step_length_asymmetry_pct: heel-to-heel distance along the walk at each strike (side).
- heel_strike_pct: share of initial contacts where the drawn heel→toe line points > 5° up.
Heel strike = the instant a foot's lowest sole point reaches the floor after a swing.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from gaitcheck.landmarks import Landmark as L

# On a level head the eye sits above the ear: eye height ~0.936 and tragion ~0.925 of stature,
# the eye ~8 cm (0.045 of stature) in front of it (skeleton.EYE_RISE, EYE_AHEAD), so the
# ear→eye line rises ~14°.
LEVEL_EYE_RISE_DEG = 13.7

SIDE_METRICS = {"trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "arm_swing_left_deg",
                "arm_swing_right_deg", "arm_swing_asymmetry_pct", "arm_leg_coordination",
                "step_length_asymmetry_pct", "heel_strike_pct"}
FRONTAL_METRICS = {"lateral_trunk_lean_deg", "head_tilt_deg", "shoulder_tilt_deg",
                   "pelvic_drop_deg", "elbow_flare_deg", "arm_midline_crossing"}
ANY_VIEW_METRICS = {"cadence_spm", "step_time_asymmetry_pct", "stride_time_cv_pct"}
UNITS = {"pct": "%", "deg": "deg", "spm": "steps/min"}


@dataclass(frozen=True)
class Geometry:
    """How to read signs off the screen for one view."""

    view: str  # side | front | back
    forward_sign: float  # screen-x sign of the walking direction (side views)
    right_sign: float  # screen-x sign of the subject's right (front/back)


def geometry(view: str, direction: str) -> Geometry:
    """Sign conventions for a view and walking direction."""
    forward = -1.0 if direction == "right_to_left" else 1.0
    right = -1.0 if view == "front" else 1.0
    return Geometry(view, forward, right)


# ---- per-frame measures on (n, 33, 2) level pixel arrays ------------------------------------
def _mid(lm: np.ndarray, a: L, b: L) -> np.ndarray:
    return 0.5 * (lm[:, a] + lm[:, b])


def _from_vertical(vec: np.ndarray, sign: float) -> np.ndarray:
    """Angle of a vector from straight up, + towards screen-x `sign`."""
    return np.degrees(np.arctan2(sign * vec[:, 0], -vec[:, 1]))


def _tilt(left: np.ndarray, right: np.ndarray, right_sign: float) -> np.ndarray:
    """Line tilt from horizontal, + when the subject's right end is lower."""
    v = right - left
    return np.degrees(np.arctan2(v[:, 1], right_sign * v[:, 0]))


def _to_trunk(lm: np.ndarray, start: L, end: L, sign: float) -> np.ndarray:
    """Signed angle of start→end against the trunk axis pointing down, + towards screen `sign`."""
    down = _mid(lm, L.LEFT_HIP, L.RIGHT_HIP) - _mid(lm, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    down = down / np.linalg.norm(down, axis=1, keepdims=True)
    normal = np.stack([down[:, 1], -down[:, 0]], -1)  # screen-right of "down"
    seg = lm[:, end] - lm[:, start]
    return np.degrees(np.arctan2(sign * np.sum(seg * normal, 1), np.sum(seg * down, 1)))


def frame_series(lm: np.ndarray, g: Geometry) -> dict[str, np.ndarray]:
    """Per-frame angles and distances from level landmark pixels (n, 33, 2)."""
    hip = _mid(lm, L.LEFT_HIP, L.RIGHT_HIP)
    shoulder = _mid(lm, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    ear = _mid(lm, L.LEFT_EAR, L.RIGHT_EAR)
    eye = _mid(lm, L.LEFT_EYE, L.RIGHT_EYE)
    f, r = g.forward_sign, g.right_sign
    out: dict[str, np.ndarray] = {}
    if g.view == "oblique":  # foreshortened both ways: no angle is what it seems
        return out
    if g.view == "side":
        out["trunk_lean_deg"] = _from_vertical(shoulder - hip, f)
        out["head_forward_deg"] = _from_vertical(ear - shoulder, f)
        gaze = eye - ear
        out["head_pitch_deg"] = np.degrees(np.arctan2(gaze[:, 1], f * gaze[:, 0])) + LEVEL_EYE_RISE_DEG
        out["arm_angle_left_deg"] = _to_trunk(lm, L.LEFT_SHOULDER, L.LEFT_ELBOW, f)
        out["arm_angle_right_deg"] = _to_trunk(lm, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, f)
        for side, h, k in (("left", L.LEFT_HIP, L.LEFT_KNEE), ("right", L.RIGHT_HIP, L.RIGHT_KNEE)):
            thigh = lm[:, k] - lm[:, h]
            out[f"thigh_angle_{side}_deg"] = np.degrees(np.arctan2(f * thigh[:, 0], thigh[:, 1]))
    else:
        out["lateral_trunk_lean_deg"] = _from_vertical(shoulder - hip, r)
        out["head_tilt_deg"] = _tilt(lm[:, L.LEFT_EAR], lm[:, L.RIGHT_EAR], r)
        out["shoulder_tilt_deg"] = _tilt(lm[:, L.LEFT_SHOULDER], lm[:, L.RIGHT_SHOULDER], r)
        out["hip_tilt_deg"] = _tilt(lm[:, L.LEFT_HIP], lm[:, L.RIGHT_HIP], r)
        flare_left = _to_trunk(lm, L.LEFT_SHOULDER, L.LEFT_ELBOW, -r)
        flare_right = _to_trunk(lm, L.RIGHT_SHOULDER, L.RIGHT_ELBOW, r)
        out["elbow_flare_left_deg"], out["elbow_flare_right_deg"] = flare_left, flare_right
        width = np.linalg.norm(lm[:, L.RIGHT_SHOULDER] - lm[:, L.LEFT_SHOULDER], axis=1)
        down = hip - shoulder
        down = down / np.linalg.norm(down, axis=1, keepdims=True)
        normal = np.stack([down[:, 1], -down[:, 0]], -1)
        for side, wrist, sign in (("left", L.LEFT_WRIST, -r), ("right", L.RIGHT_WRIST, r)):
            out[f"wrist_out_{side}"] = sign * np.sum((lm[:, wrist] - shoulder) * normal, 1) / width
    return out


# ---- summaries ------------------------------------------------------------------------------
def _metric(name: str, value: float | None, n: int, spread: object = None, reason: str | None = None) -> dict:
    unit = UNITS.get(name.rsplit("_", 1)[-1], "")
    if name == "arm_leg_coordination":
        unit = "r"
    if name == "arm_midline_crossing":
        unit = "shoulder widths"
    if value is None or not np.isfinite(value):
        return {"value": None, "unit": unit, "n": n, "reason": reason or "not enough data"}
    return {"value": round(float(value), 3), "unit": unit, "n": n, "spread": spread}


def _frames_metric(name: str, values: np.ndarray) -> dict:
    q1, q3 = np.percentile(values, [25, 75])
    return _metric(name, float(np.median(values)), len(values), {"iqr": [round(float(q1), 3), round(float(q3), 3)]})


def _per_stride(values: np.ndarray, t: np.ndarray, bounds: np.ndarray, fn) -> list[float]:
    out = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        inside = (t >= a) & (t < b)
        if inside.sum() >= 5:
            out.append(float(fn(values[inside])))
    return out


def _strides_metric(name: str, per: list[float]) -> dict:
    if not per:
        return _metric(name, None, 0, reason="no complete stride in the clip")
    return _metric(name, float(np.median(per)), len(per), {"per_stride": [round(v, 3) for v in per]})


def _asymmetry(a: float, b: float) -> float:
    mean = 0.5 * (a + b)
    return 0.0 if mean == 0 else 100.0 * abs(a - b) / mean


def heel_strike_times(contact_height, start: float, end: float, step: float = 0.001) -> np.ndarray:
    """Heel strikes of one foot: first floor contact (< 3 mm) after each swing peak.

    `contact_height(t)` gives the foot's lowest sole point above the floor (vectorised).
    """
    margin = 1.5
    t = np.arange(start - margin, end + step / 2, step)
    h = contact_height(t)
    peaks, _ = find_peaks(h, prominence=0.05)  # swing peaks, not push-off wobbles
    strikes = []
    for p in peaks:
        down = np.nonzero(h[p:] < 0.003)[0]
        if len(down):
            strikes.append(t[p + down[0]])
    strikes = np.array(strikes)
    return strikes[(strikes >= start) & (strikes <= end)]


def summarise(series: dict[str, np.ndarray], t: np.ndarray, strikes: dict[str, np.ndarray],
              strike_geometry: dict[str, list[dict]], g: Geometry) -> dict[str, dict]:
    """Clip-level metric values from the per-frame series and the heel strikes."""
    m: dict[str, dict] = {}
    bounds = strikes["right"] if len(strikes["right"]) >= 2 else strikes["left"]
    if g.view == "side":
        for name in ("trunk_lean_deg", "head_forward_deg", "head_pitch_deg"):
            m[name] = _frames_metric(name, series[name])
        swing = {}
        for side in ("left", "right"):
            per = _per_stride(series[f"arm_angle_{side}_deg"], t, bounds, np.ptp)
            m[f"arm_swing_{side}_deg"] = _strides_metric(f"arm_swing_{side}_deg", per)
            swing[side] = m[f"arm_swing_{side}_deg"]["value"]
        if swing["left"] is None or swing["right"] is None:
            m["arm_swing_asymmetry_pct"] = _metric("arm_swing_asymmetry_pct", None, 0)
        else:
            m["arm_swing_asymmetry_pct"] = _metric("arm_swing_asymmetry_pct", _asymmetry(swing["left"], swing["right"]),
                                                   m["arm_swing_left_deg"]["n"])
        coordination = []
        for side in ("left", "right"):
            arm, thigh = series[f"arm_angle_{side}_deg"], series[f"thigh_angle_{side}_deg"]
            if np.ptp(arm) > 1.0:
                coordination.append(-float(np.corrcoef(arm, thigh)[0, 1]))
        m["arm_leg_coordination"] = _metric("arm_leg_coordination",
                                            float(np.mean(coordination)) if coordination else None,
                                            len(t), reason="the arms do not swing")
        lengths = {s: [e["step_length_px"] for e in strike_geometry[s]] for s in ("left", "right")}
        if lengths["left"] and lengths["right"]:
            value = _asymmetry(float(np.mean(lengths["left"])), float(np.mean(lengths["right"])))
            m["step_length_asymmetry_pct"] = _metric("step_length_asymmetry_pct", value,
                                                     len(lengths["left"]) + len(lengths["right"]),
                                                     {"left_px": [round(v, 2) for v in lengths["left"]],
                                                      "right_px": [round(v, 2) for v in lengths["right"]]})
        else:
            m["step_length_asymmetry_pct"] = _metric("step_length_asymmetry_pct", None, 0)
        contacts = [e["foot_pitch_deg"] for s in ("left", "right") for e in strike_geometry[s]]
        heel_first = [p > 5.0 for p in contacts]
        m["heel_strike_pct"] = _metric("heel_strike_pct", 100.0 * np.mean(heel_first) if contacts else None,
                                       len(contacts), {"foot_pitch_deg": [round(p, 2) for p in contacts]})
    elif g.view in ("front", "back"):
        for name in ("lateral_trunk_lean_deg", "head_tilt_deg", "shoulder_tilt_deg"):
            m[name] = _frames_metric(name, series[name])
        flare = 0.5 * (series["elbow_flare_left_deg"] + series["elbow_flare_right_deg"])
        m["elbow_flare_deg"] = _frames_metric("elbow_flare_deg", flare)
        per = _per_stride(series["hip_tilt_deg"], t, bounds, lambda v: 0.5 * np.ptp(v))
        m["pelvic_drop_deg"] = _strides_metric("pelvic_drop_deg", per)
        travel = [v for side in ("left", "right")
                  for v in _per_stride(series[f"wrist_out_{side}"], t, bounds, np.ptp)]
        m["arm_midline_crossing"] = _strides_metric("arm_midline_crossing", travel)
        if g.view == "back":
            m["arm_midline_crossing"] = _metric("arm_midline_crossing", None, 0,
                                                reason="wrist travel to the midline is judged from the front")
    m.update(_timing_metrics(strikes))
    unmeasurable = {"side": FRONTAL_METRICS, "oblique": SIDE_METRICS | FRONTAL_METRICS}.get(g.view, SIDE_METRICS)
    for name in unmeasurable:
        m[name] = _metric(name, None, 0, reason=f"not measurable from {'an' if g.view[0] in 'ao' else 'a'} {g.view} view")
    return dict(sorted(m.items()))


def _timing_metrics(strikes: dict[str, np.ndarray]) -> dict[str, dict]:
    events = sorted([(float(t), s) for s in ("left", "right") for t in strikes[s]])
    m: dict[str, dict] = {}
    if len(events) >= 2:
        span = events[-1][0] - events[0][0]
        m["cadence_spm"] = _metric("cadence_spm", 60.0 * (len(events) - 1) / span, len(events))
    else:
        m["cadence_spm"] = _metric("cadence_spm", None, len(events))
    steps = {"left": [], "right": []}
    for (t0, s0), (t1, s1) in zip(events[:-1], events[1:]):
        if s0 != s1:
            steps[s1].append(t1 - t0)
    if steps["left"] and steps["right"]:
        value = _asymmetry(float(np.mean(steps["left"])), float(np.mean(steps["right"])))
        m["step_time_asymmetry_pct"] = _metric("step_time_asymmetry_pct", value,
                                               len(steps["left"]) + len(steps["right"]),
                                               {"left_s": [round(v, 4) for v in steps["left"]],
                                                "right_s": [round(v, 4) for v in steps["right"]]})
    else:
        m["step_time_asymmetry_pct"] = _metric("step_time_asymmetry_pct", None, 0)
    strides = [np.diff(strikes[s]) for s in ("left", "right") if len(strikes[s]) >= 3]
    if strides:
        cv = float(np.mean([100.0 * np.std(d, ddof=1) / np.mean(d) for d in strides]))
        m["stride_time_cv_pct"] = _metric("stride_time_cv_pct", cv, sum(len(d) for d in strides))
    else:
        m["stride_time_cv_pct"] = _metric("stride_time_cv_pct", None, 0,
                                          reason="fewer than two strides per side")
    return m


# ---- verdicts -------------------------------------------------------------------------------
def verdicts(metrics: dict[str, dict], view: str) -> list[dict]:
    """Expected status of every rule: the project's rules (gaitcheck/rules.toml) applied to
    the true metric values, exactly as `gaitcheck analyze` applies them to measured ones."""
    from gaitcheck.metrics.summary import Metric
    from gaitcheck.rules import judge, load_rules

    values = {name: Metric(name, m["value"], m.get("unit", ""), view, m.get("n", 0), reason=m.get("reason"))
              for name, m in metrics.items()}
    results, _ = judge(load_rules(), values)
    return [{"id": r["id"], "status": r["status"], "metric": r["metric"], "value": r["value"],
             "reason": r["reason"]} for r in results]
