"""Gait events: heel strikes and toe offs per foot, only inside the view's passes.

Side passes — the Zeni method (Zeni et al. 2008, Gait & Posture 27:710): along the walking
direction, a foot's heel is furthest ahead of the pelvis (mid-hip) at heel strike and its toe
furthest behind at toe off. So heel strikes are the maxima of (heel − pelvis)·forward and toe
offs the minima of (toe − pelvis)·forward. Relative to the pelvis, the method does not care
whether the walker crosses the picture, walks on a treadmill or is followed by a panning camera.

Front/back passes — foot depth from the picture: a foot closer to the camera stands lower in the
image (the camera looks down on the floor). A foot is furthest ahead of the other one at its
heel strike, so heel strikes are the maxima of ±(y_foot − y_other foot) (+ walking towards the
camera, − away), in torso lengths so that the growing or shrinking figure does not matter. Toe
off is the first frame after the other foot's strike at which the foot moves forward (in
depth) faster than a fifth of its swing peak: approximate, a frame or two late.

Peaks come from scipy.signal.find_peaks with a prominence of a quarter of the signal's range in
the pass and a minimum spacing of MIN_STRIDE_S between strikes of one foot: walking cadence
stays below 200 steps/min (a run), so one foot strikes at most every 0.6 s.

Then the order checks, which drop events rather than return wrong ones: per foot, strikes and
toe offs must alternate (two strikes without a toe off between them keep the more prominent);
a toe off must follow a strike of the other foot (double support), and a strike must follow the
same foot's toe off; two strikes of the same foot with no strike of the other between them and
closer than 0.75 of the median stride keep the more prominent.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import signal

from gaitcheck.landmarks import Landmark as L
from gaitcheck.series import LandmarkSeries
from gaitcheck.view import AWAY, TOWARDS, Pass, View, _smooth, torso_length

MIN_STRIDE_S = 0.6  # same-foot strikes at most every 0.6 s (200 steps/min)
PROMINENCE_SHARE = 0.25  # of the signal's 5–95 percentile range in the pass
MIN_RANGE_TORSO = 0.15  # a foot signal flatter than this (torso lengths) is not walking
SIDES = ("left", "right")
_FOOT = {
    "left": (L.LEFT_HEEL, L.LEFT_FOOT_INDEX, L.LEFT_ANKLE),
    "right": (L.RIGHT_HEEL, L.RIGHT_FOOT_INDEX, L.RIGHT_ANKLE),
}


@dataclass(frozen=True)
class GaitEvents:
    """Heel strikes and toe offs per foot, as sorted frame indices into the series."""

    heel_strikes: dict[str, np.ndarray]
    toe_offs: dict[str, np.ndarray]
    method: str
    dropped: int
    passes: tuple[Pass, ...] = ()
    times: np.ndarray = field(default_factory=lambda: np.zeros(0))  # the series' times, for durations

    def _pass_of(self, frame: int) -> int:
        for i, one in enumerate(self.passes):
            if one.start <= frame < one.stop:
                return i
        return -1

    def _strikes(self) -> list[tuple[int, str]]:
        return sorted((int(f), side) for side in SIDES for f in self.heel_strikes.get(side, ()))

    def strides(self, side: str) -> list[tuple[int, int]]:
        """Consecutive strikes of one foot within one pass, with one strike of the other foot between."""
        other = "right" if side == "left" else "left"
        strikes = np.asarray(self.heel_strikes.get(side, ()), dtype=int)
        others = np.asarray(self.heel_strikes.get(other, ()), dtype=int)
        out = []
        for a, b in zip(strikes[:-1], strikes[1:]):
            if self._pass_of(a) != self._pass_of(b) or self._pass_of(a) < 0:
                continue
            if np.count_nonzero((others > a) & (others < b)) == 1:
                out.append((int(a), int(b)))
        return out

    def steps(self) -> list[tuple[int, int, str]]:
        """Consecutive strikes of opposite feet within one pass: (start, end, side of the end strike)."""
        strikes = self._strikes()
        out = []
        for (a, side_a), (b, side_b) in zip(strikes[:-1], strikes[1:]):
            if side_a != side_b and self._pass_of(a) == self._pass_of(b) >= 0:
                out.append((a, b, side_b))
        return out

    def cadence_spm(self) -> float:
        """Steps per minute from the step durations (median), NaN without steps."""
        steps = self.steps()
        if not steps or not len(self.times):
            return float("nan")
        durations = np.array([self.times[b] - self.times[a] for a, b, _ in steps])
        return float(60.0 / np.median(durations))


# --- signals ---------------------------------------------------------------------------------


def _zeni_signals(series: LandmarkSeries, one: Pass, scale: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per foot: (heel − pelvis)·forward and (toe − pelvis)·forward in torso lengths."""
    xy = series.xy.astype(float)[one.start:one.stop]
    pelvis = 0.5 * (xy[:, L.LEFT_HIP, 0] + xy[:, L.RIGHT_HIP, 0])
    out = {}
    for side in SIDES:
        heel, toe, _ = _FOOT[side]
        out[side] = ((xy[:, heel, 0] - pelvis) * one.forward_sign / scale,
                     (xy[:, toe, 0] - pelvis) * one.forward_sign / scale)
    return out


def _depth_signals(series: LandmarkSeries, one: Pass, torso: np.ndarray) -> dict[str, np.ndarray]:
    """Per foot: how far it is ahead of the other foot in depth, from image height (torso lengths)."""
    xy = series.xy.astype(float)[one.start:one.stop]
    sign = 1.0 if one.direction == TOWARDS else -1.0
    size = _smooth(torso[one.start:one.stop], series.sample_rate, 0.7)
    foot_y = {side: np.mean(xy[:, list(_FOOT[side]), 1], axis=1) for side in SIDES}
    ahead = sign * (foot_y["left"] - foot_y["right"]) / size
    return {"left": ahead, "right": -ahead}


def _finite_runs(x: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    good = np.isfinite(x)
    padded = np.concatenate([[False], good, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= min_len]


def _peaks(x: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Maxima of x (frame offsets) and their prominences, per gap-free stretch."""
    distance = max(1, int(MIN_STRIDE_S * rate))
    found, prominence = [], []
    for a, b in _finite_runs(x, max(3, int(0.5 * rate))):
        part = x[a:b]
        spread = np.percentile(part, 95) - np.percentile(part, 5)
        if spread < MIN_RANGE_TORSO:
            continue
        peaks, props = signal.find_peaks(part, prominence=PROMINENCE_SHARE * spread, distance=distance)
        found.extend(peaks + a)
        prominence.extend(props["prominences"])
    return np.asarray(found, dtype=int), np.asarray(prominence, dtype=float)


def _frontal_toe_offs(depth: dict[str, np.ndarray], strikes: dict[str, np.ndarray], rate: float) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Toe off of each foot: its first clear forward motion after the other foot's strike.

    While the other foot stands, the change of "how far this foot is ahead of the other" is this
    foot's own forward speed; toe off is where it first exceeds a fifth of its swing peak.
    """
    out = {}
    for side in SIDES:
        other = "right" if side == "left" else "left"
        velocity = np.gradient(_smooth(depth[side], rate, 4.0)) * rate
        own = strikes[side]
        found, weight = [], []
        for start in strikes[other]:
            later = own[own > start]
            stop = int(later[0]) if len(later) else len(velocity)
            window = velocity[start:stop]
            if len(window) < 3 or not np.isfinite(window).all():
                continue
            peak = float(np.max(window))
            moving = np.flatnonzero(window > 0.2 * peak)
            if peak > 0 and len(moving) and moving[0] < len(window) - 1:
                found.append(start + int(moving[0]))
                weight.append(peak)
        out[side] = (np.asarray(found, dtype=int), np.asarray(weight, dtype=float))
    return out


# --- order checks ----------------------------------------------------------------------------


def _order_checks(hs: dict[str, tuple[np.ndarray, np.ndarray]], to: dict[str, tuple[np.ndarray, np.ndarray]],
                  rate: float) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]:
    """Drop events that break the gait cycle's order; return kept strikes, toe offs, count dropped."""
    hs = {s: dict(zip(map(int, f), p)) for s, (f, p) in hs.items()}
    to = {s: dict(zip(map(int, f), p)) for s, (f, p) in to.items()}
    dropped = 0

    def drop(table: dict, frame: int) -> None:
        nonlocal dropped
        table.pop(frame, None)
        dropped += 1

    # 1. per foot: no two strikes (toe offs) without a toe off (strike) of that foot between.
    for side in SIDES:
        for mine, theirs in ((hs[side], to[side]), (to[side], hs[side])):
            changed = True
            while changed:
                changed = False
                frames = sorted(mine)
                for a, b in zip(frames[:-1], frames[1:]):
                    if not any(a < f < b for f in theirs):
                        drop(mine, a if mine[a] < mine[b] else b)
                        changed = True
                        break
    # 2. left and right strikes alternate: a same-foot pair with no other strike between,
    #    closer than 0.75 median stride, keeps the more prominent.
    strides = [b - a for s in SIDES for a, b in zip(sorted(hs[s])[:-1], sorted(hs[s])[1:])]
    typical = float(np.median(strides)) if strides else MIN_STRIDE_S * rate
    changed = True
    while changed:
        changed = False
        merged = sorted((f, s) for s in SIDES for f in hs[s])
        for (a, sa), (b, sb) in zip(merged[:-1], merged[1:]):
            if sa == sb and b - a < 0.75 * typical:
                drop(hs[sa], a if hs[sa][a] < hs[sa][b] else b)
                changed = True
                break
    # 3. a toe off follows a strike of the other foot; a strike follows its own foot's toe off.
    events = sorted([(f, "hs", s) for s in SIDES for f in hs[s]] + [(f, "to", s) for s in SIDES for f in to[s]])
    last_strike: str | None = None
    last_off: dict[str, bool] = {}
    for frame, kind, side in events:
        if kind == "to":
            if last_strike is not None and last_strike == side:
                drop(to[side], frame)
                continue
            last_off[side] = True
        else:
            last_strike = side
    for side in SIDES:
        frames_to = sorted(to[side])
        for frame in sorted(hs[side]):
            before = [f for f in frames_to if f < frame]
            own_strikes_before = [f for f in hs[side] if f < frame]
            if own_strikes_before and before and before[-1] < own_strikes_before[-1]:
                drop(hs[side], frame)
    return ({s: np.array(sorted(hs[s]), dtype=int) for s in SIDES},
            {s: np.array(sorted(to[s]), dtype=int) for s in SIDES}, dropped)


# --- entry point -----------------------------------------------------------------------------


def detect_events(series: LandmarkSeries, view: View) -> GaitEvents:
    """Heel strikes and toe offs inside the view's passes (frame indices into the series)."""
    rate = series.sample_rate
    torso = torso_length(series)
    scale = float(np.nanmedian(torso)) if np.isfinite(torso).any() else np.nan
    strikes: dict[str, list] = {s: [] for s in SIDES}
    offs: dict[str, list] = {s: [] for s in SIDES}
    dropped = 0
    methods = set()
    for one in view.passes:
        if one.forward_sign != 0:
            methods.add("Zeni (heel − pelvis along the walking direction)")
            sig = _zeni_signals(series, one, scale)
            hs = {s: _peaks(sig[s][0], rate) for s in SIDES}
            to = {s: _peaks(-sig[s][1], rate) for s in SIDES}
        else:
            methods.add("foot depth from image height (front/back)")
            depth = _depth_signals(series, one, torso)
            hs = {s: _peaks(depth[s], rate) for s in SIDES}
            to = _frontal_toe_offs(depth, {s: hs[s][0] for s in SIDES}, rate)
        kept_hs, kept_to, n = _order_checks(hs, to, rate)
        dropped += n
        for s in SIDES:
            strikes[s].extend(kept_hs[s] + one.start)
            offs[s].extend(kept_to[s] + one.start)
    return GaitEvents(
        heel_strikes={s: np.array(sorted(strikes[s]), dtype=int) for s in SIDES},
        toe_offs={s: np.array(sorted(offs[s]), dtype=int) for s in SIDES},
        method="; ".join(sorted(methods)) or "none: no passes",
        dropped=dropped, passes=view.passes, times=np.asarray(series.times),
    )
