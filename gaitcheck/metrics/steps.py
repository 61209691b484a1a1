"""Full, even steps: cadence, step time and length asymmetry, stride time variability."""
from __future__ import annotations

import numpy as np

from gaitcheck.landmarks import Landmark as L
from gaitcheck.metrics.summary import Metric, absent, asymmetry_pct, side_asymmetry
from gaitcheck.metrics.walk import Walk

HEELS = {"left": L.LEFT_HEEL, "right": L.RIGHT_HEEL}
TOO_FEW_STEPS = "needs at least three steps, one or more ending on each foot"
STEP_LENGTH_WINDOW_S = 0.15  # around a strike: contact comes up to ~0.1 s after the strike signal's peak
# A step shorter than this share of the same foot's other steps (their median) is a lost foot, not a
# step: the pose model collapses the heels together where the walker leaves the picture or passes
# behind someone (real clips: 57-77 px among 135-150 px steps of the same foot). Only short steps
# go (a lost foot reads short), and only against the same foot, so a real limp — every step of
# one foot short — is kept whichever foot has more steps.
LOST_STEP_SHARE = 0.7


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


def plausible_steps(lengths: np.ndarray) -> np.ndarray:
    """Which step lengths of one foot (px) are at least LOST_STEP_SHARE of the median of that
    foot's other steps (a lone step is kept: there is nothing to compare it with)."""
    lengths = np.asarray(lengths, dtype=float)
    if len(lengths) < 2:
        return np.ones(len(lengths), dtype=bool)
    others = np.array([np.median(np.delete(lengths, i)) for i in range(len(lengths))])
    return lengths >= LOST_STEP_SHARE * others


def step_length_asymmetry(left: list[float], right: list[float]) -> tuple[float, dict[str, list[float]], list[float]]:
    """Asymmetry (%) of the per-foot median step lengths after dropping lost steps
    (`plausible_steps`); also the kept lengths per foot and the dropped ones. NaN when a foot
    has no step left.

    A real clip has 2-4 steps per foot, so one mismeasured step decides the value: one lost
    step read 23-42% on healthy walkers (bg_side_normal_01, og_side_portrait_demo1). The median
    (the mean for two steps) also resists a long misreading the drop rule lets through."""
    kept: dict[str, list[float]] = {}
    dropped: list[float] = []
    for side, lengths in (("left", np.asarray(left, dtype=float)), ("right", np.asarray(right, dtype=float))):
        keep = plausible_steps(lengths)
        kept[side] = [float(v) for v in lengths[keep]]
        dropped += [float(v) for v in lengths[~keep]]
    if not kept["left"] or not kept["right"]:
        return float("nan"), kept, dropped
    return asymmetry_pct(np.median(kept["left"]), np.median(kept["right"])), kept, dropped


def within_pass_cv(stride_times: list[float], passes: list[int]) -> tuple[float, int, int]:
    """Coefficient of variation (%) of one foot's stride times about the mean of their own
    pass, pooled over passes; its degrees of freedom (strides minus passes; 0 = none) and the
    strides it rests on (a pass with one stride adds nothing).

    Within passes, because variability is the stride-to-stride scatter at one pace: a walker
    who goes back a little faster than they came (h36m_front_then_back: strides 1.0 s towards
    the camera, 1.15 s away) read 11.6% pooled over both passes, a fall-risk figure."""
    times = np.asarray(stride_times, dtype=float)
    labels = np.asarray(passes)
    squares, dof, used = 0.0, 0, 0
    for label in np.unique(labels):
        group = times[labels == label]
        if len(group) >= 2:
            squares += float(np.sum((group / group.mean() - 1.0) ** 2))
            dof += len(group) - 1
            used += len(group)
    return (100.0 * np.sqrt(squares / dof), dof, used) if dof else (float("nan"), 0, 0)


def step_metrics(walk: Walk) -> list[Metric]:
    """From the heel strikes: cadence_spm (steps per minute), step_time_asymmetry_pct (mean
    step time ending on each foot), step_length_asymmetry_pct (heel-to-heel distance along the
    walk at each strike, median per foot; side view), stride_time_cv_pct (per foot within each pass, mean of the two feet).
    The asymmetries and the CV carry their standard error (`Metric.uncertainty`): 2-4 steps
    per foot leave them that uncertain, and the rules judge them beyond it."""
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
    value, kept, dropped = step_length_asymmetry(lengths["left"], lengths["right"])
    if np.isfinite(value) and _enough_steps(kept):
        _, error = side_asymmetry(kept["left"], kept["right"])  # the error of the means: near enough for medians of 2-4
        out.append(Metric("step_length_asymmetry_pct", value, "%", "side", len(kept["left"]) + len(kept["right"]),
                          "steps", {"left_px": [round(v, 1) for v in kept["left"]],
                                    "right_px": [round(v, 1) for v in kept["right"]],
                                    "dropped_px": [round(v, 1) for v in dropped]}, uncertainty=error))
    else:
        out.append(absent("step_length_asymmetry_pct", "%", "side",
                          TOO_FEW_STEPS + " in a side view: film the walk from the side"))
    cvs, counts, dofs = [], 0, 0
    for side in ("left", "right"):
        strides = walk.strides(side)
        cv, dof, used = within_pass_cv([when(b) - when(a) for a, b in strides], [walk.events.pass_of(a) for a, _ in strides])
        if dof:
            cvs.append(cv)
            counts += used
            dofs += dof
    if cvs:
        cv = float(np.mean(cvs))
        # Standard error of a coefficient of variation from `dof` degrees of freedom (normal
        # data): CV / sqrt(2 dof). Two strides give a CV known to within ±70%.
        out.append(Metric("stride_time_cv_pct", cv, "%", "any", counts, "strides", uncertainty=cv / np.sqrt(2 * dofs)))
    else:
        out.append(absent("stride_time_cv_pct", "%", "any", "needs at least two strides of one foot in one pass"))
    return out
