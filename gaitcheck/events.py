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
PROMINENCE_SHARE = 0.4  # of the signal's 5–95 percentile range in the pass
MIN_RANGE_TORSO = 0.15  # a foot signal flatter than this (torso lengths) is not walking
SWING_SHARE = 0.1  # front/back: a foot is swinging while its speed is above this share of the peak
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
    heel_strike_times: dict[str, np.ndarray] = field(default_factory=dict)  # seconds, sub-frame (Zeni peaks: parabola)
    toe_off_times: dict[str, np.ndarray] = field(default_factory=dict)

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

    def strike_time(self, frame: int) -> float:
        """Sub-frame time (s) of the heel strike at `frame` (its frame's time if not refined)."""
        for side in SIDES:
            frames = self.heel_strikes.get(side, np.zeros(0, int))
            hit = np.flatnonzero(frames == frame)
            if len(hit) and side in self.heel_strike_times:
                return float(self.heel_strike_times[side][hit[0]])
        return float(self.times[frame])

    def cadence_spm(self) -> float:
        """Steps per minute: steps over the time they span, summed over passes; NaN without steps.

        The whole span rather than a median of single steps, so a frame's rounding does not
        move it by a frame per step (3% at 30 fps).
        """
        steps = self.steps()
        if not steps or not len(self.times):
            return float("nan")
        durations = np.array([self.strike_time(b) - self.strike_time(a) for a, b, _ in steps])
        return float(60.0 * len(durations) / durations.sum())


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


def _forward_speed(series: LandmarkSeries, one: Pass, torso: np.ndarray) -> dict[str, np.ndarray]:
    """Per foot: image speed towards the walking direction in depth (torso lengths/s).

    Walking towards the camera a foot coming forward moves down the picture (+y), walking away
    it moves up; a standing foot does not move (on a treadmill it drifts back slowly).
    """
    xy = series.xy.astype(float)[one.start:one.stop]
    rate = series.sample_rate
    sign = 1.0 if one.direction == TOWARDS else -1.0
    size = _smooth(torso[one.start:one.stop], rate, 0.7)
    out = {}
    for side in SIDES:
        for name, landmark in (("heel", _FOOT[side][0]), ("toe", _FOOT[side][1])):
            y = xy[:, landmark, 1]
            speed = np.gradient(_smooth(y, rate, 5.0)) * rate if len(y) > 1 else np.zeros(len(y))
            out[f"{side}_{name}"] = sign * speed / size
    return out


def _swing_events(speed: np.ndarray, toe_speed: np.ndarray, rate: float) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """(strikes, toe offs) of one foot from its forward speed: each swing is a speed peak; the
    foot leaves the floor where the speed rises through SWING_SHARE of the way from standing
    to the peak and strikes where it falls back through it. Returns (frames, weights) twice."""
    peaks, weights = _peaks(speed, rate)
    strikes, offs, ws, wo = [], [], [], []
    for speed_of, found, kept, sign in ((speed, strikes, ws, 1), (toe_speed, offs, wo, -1)):
        base = np.nanmedian(speed_of) if np.isfinite(speed_of).any() else 0.0
        for p, w in zip(peaks, weights):
            level = base + SWING_SHARE * (speed[p] - base)
            if sign > 0:  # the heel lands: the first frame after the peak back below the level
                below = np.flatnonzero(~(speed_of[p:] > level))
                frame = p + below[0] if len(below) else -1
            else:  # the toe leaves: the last frame before the peak below the level
                below = np.flatnonzero(~(speed_of[:p + 1] > level))
                frame = below[-1] if len(below) else -1
            if frame >= 0 and np.isfinite(speed_of[frame]):
                found.append(frame)
                kept.append(w)
    return ((np.asarray(strikes, dtype=int), np.asarray(ws)), (np.asarray(offs, dtype=int), np.asarray(wo)))


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

    typical = MIN_STRIDE_S * rate
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
    # 2. strides of plausible length: two strikes of one foot closer than 0.7 of the median
    #    stride (a landmark glitch between the feet makes such a peak) keep the more prominent.
    changed = True
    while changed:
        changed = False
        pairs = [(a, b, s) for s in SIDES for a, b in zip(sorted(hs[s])[:-1], sorted(hs[s])[1:])]
        if not pairs:
            break
        typical = float(np.median([b - a for a, b, _ in pairs]))
        for a, b, side in sorted(pairs, key=lambda pair: pair[1] - pair[0]):
            if b - a < 0.7 * typical:
                drop(hs[side], a if hs[side][a] < hs[side][b] else b)
                changed = True
            break
    # 2b. left and right strikes alternate: two strikes of one foot with none of the other
    #     between keep the more prominent, unless a whole stride apart (a missed strike).
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
    strike_t: dict[str, list] = {s: [] for s in SIDES}
    off_t: dict[str, list] = {s: [] for s in SIDES}
    frames = np.arange(len(series))
    dropped = 0
    methods = set()
    for one in view.passes:
        if one.forward_sign != 0:
            methods.add("Zeni (heel − pelvis along the walking direction)")
            sig = _zeni_signals(series, one, scale)
            hs = {s: _peaks(sig[s][0], rate) for s in SIDES}
            to = {s: _peaks(-sig[s][1], rate) for s in SIDES}
        else:
            methods.add("foot swing speed in depth from vertical image motion (front/back)")
            speed = _forward_speed(series, one, torso)
            found = {s: _swing_events(speed[f"{s}_heel"], speed[f"{s}_toe"], rate) for s in SIDES}
            hs = {s: found[s][0] for s in SIDES}
            to = {s: found[s][1] for s in SIDES}
        kept_hs, kept_to, n = _order_checks(hs, to, rate)
        dropped += n
        for s in SIDES:
            strikes[s].extend(kept_hs[s] + one.start)
            offs[s].extend(kept_to[s] + one.start)
            if one.forward_sign != 0:
                hs_fine = kept_hs[s] + _vertex(sig[s][0], kept_hs[s])
                to_fine = kept_to[s] + _vertex(-sig[s][1], kept_to[s])
            else:
                hs_fine, to_fine = kept_hs[s].astype(float), kept_to[s].astype(float)
            strike_t[s].extend(np.interp(hs_fine + one.start, frames, series.times))
            off_t[s].extend(np.interp(to_fine + one.start, frames, series.times))
    return GaitEvents(
        heel_strikes={s: np.array(sorted(strikes[s]), dtype=int) for s in SIDES},
        toe_offs={s: np.array(sorted(offs[s]), dtype=int) for s in SIDES},
        method="; ".join(sorted(methods)) or "none: no passes",
        dropped=dropped, passes=view.passes, times=np.asarray(series.times),
        heel_strike_times={s: np.array(sorted(strike_t[s])) for s in SIDES},
        toe_off_times={s: np.array(sorted(off_t[s])) for s in SIDES},
    )


def _vertex(x: np.ndarray, peaks: np.ndarray) -> np.ndarray:
    """Sub-frame offset (−0.5..0.5) of each peak: the vertex of the parabola through its neighbours."""
    out = np.zeros(len(peaks))
    for i, p in enumerate(peaks):
        if 0 < p < len(x) - 1:
            a, b, c = x[p - 1], x[p], x[p + 1]
            denom = a - 2 * b + c
            if np.isfinite(denom) and denom < 0:
                out[i] = float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5))
    return out
