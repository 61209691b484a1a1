"""Full, even steps: cadence, step time and length asymmetry, stride time variability."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.summary import Metric, absent, side_asymmetry
from gaitcheck.metrics.walk import Walk

HEELS = {"left": L.LEFT_HEEL, "right": L.RIGHT_HEEL}
TOO_FEW_STEPS = "needs at least three steps, one or more ending on each foot"
STEP_LENGTH_WINDOW_S = 0.15  # around a strike: contact comes up to ~0.1 s after the strike signal's peak


def step_length_px(walk: Walk, start: int, end: int) -> float:
    """Heel-to-heel distance along the walk at the strike ending a step (side passes; NaN
    elsewhere): the largest |left − right heel x| within STEP_LENGTH_WINDOW_S of the strike
    frame, but no further back than half the step.

    Unsigned and over a window, not signed at the strike frame: the pose model swaps the feet's
    labels now and then around a far-foot strike (a signed gap goes negative and the step is
    lost), and the strike signal (events.mid_heel_signal) peaks a little before contact, while
    the feet are still parting; their separation peaks at contact."""
    if not np.isfinite(walk.forward[end]):
        return float("nan")
    reach = max(1, int(round(STEP_LENGTH_WINDOW_S / max(float(np.median(np.diff(walk.times))), 1e-6))))
    a = max(end - reach, (start + end) // 2)
    b = min(end + reach + 1, len(walk.times))
    span = np.abs(walk.xy[a:b, HEELS["left"], 0] - walk.xy[a:b, HEELS["right"], 0])
    span = span[np.isfinite(walk.forward[a:b])]
    return float(np.nanmax(span)) if np.isfinite(span).any() else float("nan")


def _enough_steps(per_side: dict[str, list[float]]) -> bool:
    """Steps ending on each foot, and a second on one of them: with a single step per side
    the asymmetry has no scatter to show how far to trust it."""
    return bool(per_side["left"]) and bool(per_side["right"]) and len(per_side["left"]) + len(per_side["right"]) >= 3


def step_metrics(walk: Walk) -> list[Metric]:
    """From the heel strikes: cadence_spm (steps per minute), step_time_asymmetry_pct (mean
    step time ending on each foot), step_length_asymmetry_pct (heel-to-heel distance along the
    walk at each strike; side view), stride_time_cv_pct (per foot, mean of the two)."""
    steps = walk.events.steps()
    when = walk.events.strike_time  # sub-frame strike times: a frame's rounding is 3% of a step at 30 fps
    out: list[Metric] = []
    durations = {"left": [], "right": []}
    lengths = {"left": [], "right": []}
    for start, end, side in steps:
        durations[side].append(when(end) - when(start))
        gap = step_length_px(walk, start, end)
        if np.isfinite(gap) and gap > 0:
            lengths[side].append(gap)
    all_steps = durations["left"] + durations["right"]
    if all_steps:
        out.append(Metric("cadence_spm", 60.0 / float(np.mean(all_steps)), "steps/min", "any", len(all_steps), "steps",
                          {"step_s": [round(v, 4) for v in all_steps]}))
    else:
        out.append(absent("cadence_spm", "steps/min", "any", "no complete step found"))
    if _enough_steps(durations):
        value, error = side_asymmetry(durations["left"], durations["right"])
        out.append(Metric("step_time_asymmetry_pct", value, "%", "any", len(all_steps), "steps",
                          {"left_s": [round(v, 4) for v in durations["left"]],
                           "right_s": [round(v, 4) for v in durations["right"]]}, uncertainty=error))
    else:
        out.append(absent("step_time_asymmetry_pct", "%", "any", TOO_FEW_STEPS))
    if _enough_steps(lengths):
        value, error = side_asymmetry(lengths["left"], lengths["right"])
        out.append(Metric("step_length_asymmetry_pct", value, "%", "side", len(lengths["left"]) + len(lengths["right"]),
                          "steps", {"left_px": [round(v, 1) for v in lengths["left"]],
                                    "right_px": [round(v, 1) for v in lengths["right"]]}, uncertainty=error))
    else:
        out.append(absent("step_length_asymmetry_pct", "%", "side",
                          TOO_FEW_STEPS + " in a side view: film the walk from the side"))
    variability = []
    count = dof = 0
    for side in ("left", "right"):
        stride_times = [when(b) - when(a) for a, b in walk.strides(side)]
        if len(stride_times) >= 2:
            variability.append(100.0 * np.std(stride_times, ddof=1) / np.mean(stride_times))
            count += len(stride_times)
            dof += len(stride_times) - 1
    if variability:
        cv = float(np.mean(variability))
        # Standard error of a coefficient of variation from `dof` degrees of freedom (normal
        # data): CV / sqrt(2 dof). Two strides give a CV known to within ±70%.
        out.append(Metric("stride_time_cv_pct", cv, "%", "any", count, "strides", uncertainty=cv / np.sqrt(2 * dof)))
    else:
        out.append(absent("stride_time_cv_pct", "%", "any", "needs at least two strides of one foot"))
    return out
