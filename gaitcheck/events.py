"""Gait events: heel strikes and toe offs per foot, only inside the view's passes.

Side passes — the Zeni method (Zeni et al. 2008, Gait & Posture 27:710): along the walking
direction, a foot's heel is furthest ahead of the pelvis (mid-hip) at heel strike and its toe
furthest behind at toe off. So heel strikes are the maxima of (heel − pelvis)·forward and toe
offs the minima of (toe − pelvis)·forward. Relative to the pelvis, the method does not care
whether the walker crosses the picture, walks on a treadmill or is followed by a panning camera.

Front/back passes — the feet are poorly seen end-on (MediaPipe even reverses their depth
order from behind on the synthetic walkers), so the strikes come from the pelvis bob: the body
is lowest just after each heel strike (see `_bob_strikes`; lags contact by ~50 ms), and each
strike's foot from the leading foot (walking towards) and the pelvis sway, alternating. Toe offs
come from the foot's own motion in depth: where its image speed (down the picture walking
towards, up walking away) rises through a tenth of the way to its swing peak; approximate.
Strike times are sub-frame here too (parabola through the bob's peak).

Side passes (not oblique ones) then average each strike's time with the pelvis bob's nearest
maximum (`_bob_blend`): the feet time the far foot worst, the bob times both feet alike.

Side peaks come from scipy.signal.find_peaks with a prominence of 0.4 of the signal's 5–95
percentile range in the pass and a minimum spacing of MIN_STRIDE_S between strikes of one
foot: walking cadence stays below 200 steps/min, so one foot strikes at most every 0.6 s.
Of two side strike peaks closer than MIN_STEP_S, the one with a heel further ahead of the pelvis
wins unless the other is clearly taller (see `_leading_peaks`).
Strike and toe-off times are refined to sub-frame precision (parabola through the peak) in
`heel_strike_times` / `toe_off_times`; `cadence_spm` uses them.

Then the order checks (see `_order_checks`), which drop events rather than return wrong ones:
no implausibly short strides or steps, and a toe off follows the other foot's strike.
`strides` and `steps` pair only strikes that alternate within one pass.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import signal

from gaitcheck.landmarks import Landmark as L
from gaitcheck.series import LandmarkSeries
from gaitcheck.view import AWAY, TOWARDS, Pass, View, _smooth, torso_length

PEAK_FIT_S = 0.07  # a strike's sub-frame time: parabola fitted to the signal within this of its peak
EDGE_S = 0.3  # the low-pass filter's edge effects reach about this far into a track
MAX_CONTACT_LAG_S = 0.15  # the Zeni maximum follows the mid-heel peak by at most this
MIN_STRIDE_S = 0.6  # same-foot strikes at most every 0.6 s (200 steps/min)
PROMINENCE_SHARE = 0.4  # of the signal's 5–95 percentile range in the pass
ENVELOPE_PROMINENCE_SHARE = 0.25  # the leading-foot envelope swings less than one foot's signal
MIN_RANGE_TORSO = 0.15  # a foot signal flatter than this (torso lengths) is not walking
REACH_WEIGHT = 0.25  # rival strike peaks: rank by mid-heel height + this × the leading heel's reach
MIN_STEP_S = 0.3  # consecutive strikes of the two feet at most every 0.3 s (200 steps/min)
BOB_BAND_HZ = (0.8, 4.0)  # step frequencies: 48 to 240 steps/min
BOB_EDGE_S = 0.15  # a bob peak closer than this to a track's end is the band-pass filter's edge (seen: 0.13 s
# into two synthetic front clips, 0.4 s before the first true strike)
BOB_MIN_RMS = 0.006  # torso lengths: walkers measured 0.015–0.12 (real and synthetic); less is standing
MAX_STEP_S = 1.2  # without a stride to compare with, a longer step (50 steps/min) is not one
BOB_WEIGHT = 0.5  # side passes: a strike's time moves this share of the way to the bob's (see `_bob_blend`)
BOB_MATCH_S = 0.1  # a bob maximum further than this from a side strike (after the median lag) is not its partner
SWING_SHARE = 0.1  # front/back toe off: the foot starts moving at this share of its swing peak
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
    # side passes: share of strikes whose pose-model foot label agreed with the alternation
    # (1.0: labels consistent; near 0.5: the model mixed the feet up, which foot is which is a
    # guess — per-foot metrics should not trust it; cadence and asymmetry magnitudes are fine)
    side_agreement: float = float("nan")

    def pass_of(self, frame: int) -> int:
        """Index of the pass holding `frame`, −1 outside every pass."""
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
            if self.pass_of(a) != self.pass_of(b) or self.pass_of(a) < 0:
                continue
            if np.count_nonzero((others > a) & (others < b)) == 1:
                out.append((int(a), int(b)))
        return out

    def steps(self) -> list[tuple[int, int, str]]:
        """Consecutive strikes of opposite feet within one pass: (start, end, side of the end strike)."""
        strikes = self._strikes()
        limit = self._longest_step()
        out = []
        for (a, side_a), (b, side_b) in zip(strikes[:-1], strikes[1:]):
            if side_a != side_b and self.pass_of(a) == self.pass_of(b) >= 0 and 0 < b - a <= limit:
                out.append((a, b, side_b))
        return out

    def _longest_step(self) -> float:
        """Frames: 0.75 of the median stride, or MAX_STEP_S without strides. A longer "step"
        spans a strike that was dropped."""
        rate = 1.0 / float(np.median(np.diff(self.times))) if len(self.times) > 1 else 30.0
        strides = [b - a for side in SIDES for a, b in self.strides(side)]
        return 0.75 * float(np.median(strides)) if strides else MAX_STEP_S * rate

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


def _zeni_events(series: LandmarkSeries, one: Pass, scale: float) -> tuple[dict, dict, dict, list]:
    """Side pass: Zeni strikes and toe offs, robust to the pose model mixing up the feet.

    In a side view the pose model often swaps the labels of the near and far foot where the
    legs cross (on some synthetic walkers at nearly every step). The timing does not need the
    labels: the foot furthest ahead of the pelvis, whichever it is, peaks at every heel strike
    (the envelope max(left, right) of (heel − pelvis)·forward), and the foot furthest behind at
    every toe off. Strikes then alternate feet, and which foot comes first follows the labels
    (the alternation most of them agree with). Where the labels were mixed up the feet's order
    is a guess: `side_agreement` (returned) says how many labels agreed; the near/far foot's
    height in the picture was tried as a tie-break and was no better than chance. Cadence,
    step-time asymmetry and stride variability do not depend on which foot is which.
    A toe off belongs to the foot that did not just strike.
    Returns (strikes, toe offs) per side as (frames, weights), the sub-frame offset per frame,
    and per strike whether its label agreed.
    """
    rate = series.sample_rate
    sig = _zeni_signals(series, one, scale)
    with np.errstate(invalid="ignore"):
        lead = mid_heel_signal(sig["left"][0], sig["right"][0])
        trail = np.fmin(sig["left"][1], sig["right"][1])
    hs_frames, hs_weights = _leading_peaks(lead, np.fmax(sig["left"][0], sig["right"][0]), rate)
    to_frames, to_weights = _peaks(-trail, rate, MIN_STEP_S, ENVELOPE_PROMINENCE_SHARE)
    order = np.argsort(hs_frames)
    hs_frames, hs_weights = hs_frames[order], hs_weights[order]
    peaks = hs_frames + _vertex_fit(lead, hs_frames, max(1, int(round(PEAK_FIT_S * rate))))
    lags = _contact_lags(peaks, np.fmax(sig["left"][0], sig["right"][0]), rate)
    shift = float(np.nanmedian(lags)) if np.isfinite(lags).any() else 0.0
    peaks = _envelope_at_edges(peaks + shift, np.fmax(sig["left"][0], sig["right"][0]), rate)
    if not one.oblique:  # walked diagonally, the bob's image height also carries the approach (see `_bob_blend`)
        xy = series.xy.astype(float)[one.start:one.stop]
        hip_y = 0.5 * (xy[:, L.LEFT_HIP, 1] + xy[:, L.RIGHT_HIP, 1]) / scale
        bob = [a + p + o for a, _, found, _, offsets in _bob_peaks(hip_y, rate) for p, o in zip(found, offsets)]
        peaks = _bob_blend(peaks, np.asarray(bob, dtype=float), rate)
    hs_frames, hs_offsets = _shifted(peaks, len(lead))
    fine = {int(f): float(o) for f, o in zip(hs_frames, hs_offsets)}
    fine.update({-1 - int(f): float(o) for f, o in zip(to_frames, _vertex(-trail, to_frames))})
    sides = np.empty(len(hs_frames), dtype=object)
    agree = []
    gaps = np.diff(hs_frames)
    typical = np.median(gaps) if len(gaps) else 0
    chains = np.split(np.arange(len(hs_frames)), np.flatnonzero(gaps > 1.6 * typical) + 1) if len(gaps) else [np.arange(len(hs_frames))]
    for chain in chains:
        if not len(chain):
            continue
        frames = hs_frames[chain]
        label = np.sign(sig["left"][0][frames] - sig["right"][0][frames])  # + = "left" leads
        pattern = np.where(np.arange(len(chain)) % 2 == 0, 1.0, -1.0)
        score = np.nanmean(pattern * label)
        first_left = not score < 0
        agree.extend(pattern * label * (1 if first_left else -1) > 0)
        for i, k in enumerate(chain):
            sides[k] = "left" if (i % 2 == 0) == first_left else "right"
    hs = {side: (hs_frames[sides == side], hs_weights[sides == side]) for side in SIDES}
    to_found: dict[str, list] = {side: [] for side in SIDES}
    to_kept: dict[str, list] = {side: [] for side in SIDES}
    for f, w in zip(to_frames, to_weights):
        before = np.flatnonzero(hs_frames <= f)
        after = np.flatnonzero(hs_frames > f)
        if len(before):
            side = "right" if sides[before[-1]] == "left" else "left"
        elif len(after):
            side = sides[after[0]]
        else:
            continue
        to_found[side].append(f)
        to_kept[side].append(w)
    to = {side: (np.asarray(to_found[side], dtype=int), np.asarray(to_kept[side], dtype=float)) for side in SIDES}
    return hs, to, fine, agree


def _leading_peaks(mid: np.ndarray, reach: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Side-pass strike candidates: maxima of the mid-heel signal, at most one per MIN_STEP_S,
    with their prominences. Where two compete, the one ranked higher by mid + REACH_WEIGHT ×
    reach wins (`reach`: the leading heel's (heel − pelvis)·forward, furthest out at a strike).

    Where the pose model loses the legs for a few frames (a walker passing behind someone, both
    feet drawn under the pelvis) the mid-heel mean can make a peak as tall as the real one a
    quarter second later, with no foot ahead of the pelvis; ranked by height alone, on
    sports2d_demo_2persons it won the spacing contest and hid the true strike (and the same
    walk at half the frame rate kept the other one: cadence 97 vs 100 steps/min)."""
    found, prominence = _peaks(mid, rate, 0.0, ENVELOPE_PROMINENCE_SHARE)
    rank = mid[found] + REACH_WEIGHT * np.nan_to_num(reach[found])
    chosen: list[int] = []
    for k in np.argsort(-rank, kind="stable"):
        if all(abs(found[k] - found[c]) >= MIN_STEP_S * rate for c in chosen):
            chosen.append(int(k))
    chosen.sort()
    return found[chosen], prominence[chosen]


def mid_heel_signal(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Side-pass strike signal: the mean of both heels' (heel − pelvis)·forward; it peaks at
    every heel strike, whichever foot lands.

    Why not the leading-foot envelope max(left, right): in side views the pose model swaps the
    near and far foot for a frame or two around the far foot's strike, and the low-pass filter
    (run per labelled track, before this) smears the swap into both tracks, so the envelope's
    peak at a far-foot strike came 40–120 ms late on half the synthetic side clips (step-time
    asymmetry read 16–28% on symmetric walkers). The mean is invariant to the labels and
    commutes with the linear filter, so a swap does not move it. Mechanically it rises while a
    foot swings forward faster than the stance foot goes back, and falls in double support: its
    peak leads contact (by ~45 ms on the synthetic walkers, both feet alike; a constant lead
    cancels in step times, cadence and variability)."""
    return 0.5 * (left + right)


def _contact_lags(peaks: np.ndarray, envelope: np.ndarray, rate: float) -> np.ndarray:
    """Per mid-heel peak: frames to the leading-foot envelope's maximum (Zeni's contact) within
    MAX_CONTACT_LAG_S after it; NaN where there is none.

    The mid-heel signal leads contact by a walker-dependent ~45-65 ms, the same for both feet;
    the median of these lags moves every strike to Zeni's definition of contact. The median,
    because a far-foot lag is now and then too long (the label swap the mid-heel signal avoids);
    and over both feet, because which foot is which may be a guess (a near-foot-only lag moved
    with the labels). Keeping each strike's own envelope time was tried: its noise came back
    into the step times (step-time asymmetry MAE 5.0 instead of 4.2 points on the seeded suite)."""
    reach = max(2, int(round(MAX_CONTACT_LAG_S * rate)))
    lags = np.full(len(peaks), np.nan)
    for i, p in enumerate(peaks):
        a = int(np.floor(p))
        window = envelope[max(a, 0):a + reach + 1]
        if a < 0 or len(window) < 3 or not np.isfinite(window).all():
            continue
        k = int(np.argmax(window))
        if 0 < k < len(window) - 1:
            lags[i] = a + k + float(_vertex(envelope, np.array([a + k]))[0]) - p
    return lags


def _envelope_at_edges(positions: np.ndarray, envelope: np.ndarray, rate: float) -> np.ndarray:
    """Strikes within EDGE_S of either end of the signal's gap-free stretch take the leading-foot
    envelope's own maximum (within MAX_CONTACT_LAG_S) instead: the low-pass filter's edge padding
    bends the slow mid-heel signal more than the sharp envelope (a synthetic 1.8 s clip's first
    strike: 58 ms late from the mid-heel peak, 26 ms from the envelope)."""
    out = positions.copy()
    edge = EDGE_S * rate
    reach = max(2, int(round(MAX_CONTACT_LAG_S * rate)))
    for a, b in _finite_runs(envelope, 3):
        for i, p in enumerate(positions):
            if not (a <= p < b) or (edge <= p - a and edge <= b - 1 - p):
                continue
            lo, hi = max(a, int(round(p)) - reach), min(b, int(round(p)) + reach + 1)
            k = lo + int(np.argmax(envelope[lo:hi]))
            if lo < k < hi - 1:
                out[i] = k + float(_vertex(envelope, np.array([k]))[0])
    return out


def _shifted(positions: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Sub-frame positions as (frame, offset in −0.5..0.5) pairs, kept inside [0, n)."""
    frames = np.clip(np.round(positions), 0, n - 1).astype(int)
    return frames, np.clip(positions - frames, -0.5, 0.5)


def _forward_speed(series: LandmarkSeries, one: Pass, torso: np.ndarray) -> dict[str, np.ndarray]:
    """Per foot: image speed towards the walking direction in depth (torso lengths/s).

    Walking towards the camera a foot coming forward moves down the picture (+y), walking away
    it moves up; a standing foot does not move (on a treadmill it drifts back slowly).
    """
    xy = series.xy.astype(float)[one.start:one.stop]
    rate = series.sample_rate
    sign = 1.0 if _approaching(series, one) else -1.0
    size = _smooth(torso[one.start:one.stop], rate, 0.7)
    out = {}
    for side in SIDES:
        for name, landmark in (("heel", _FOOT[side][0]), ("toe", _FOOT[side][1])):
            y = xy[:, landmark, 1]
            speed = np.gradient(_smooth(y, rate, 5.0)) * rate if len(y) > 1 else np.zeros(len(y))
            out[f"{side}_{name}"] = sign * speed / size
    return out


def _swing_toe_offs(heel_speed: np.ndarray, toe_speed: np.ndarray, rate: float) -> tuple[np.ndarray, np.ndarray]:
    """Toe offs of one foot (frames, weights): each swing is a peak of the heel's forward speed;
    the toe leaves the floor at the last frame before it where the toe's speed is still below
    SWING_SHARE of the way from standing (the median speed) to the peak."""
    peaks, weights = _peaks(heel_speed, rate)
    base = np.nanmedian(toe_speed) if np.isfinite(toe_speed).any() else 0.0
    found, kept = [], []
    for p, w in zip(peaks, weights):
        level = base + SWING_SHARE * (heel_speed[p] - base)
        below = np.flatnonzero(~(toe_speed[:p + 1] > level))
        if len(below) and np.isfinite(toe_speed[below[-1]]):
            found.append(below[-1])
            kept.append(w)
    return np.asarray(found, dtype=int), np.asarray(kept, dtype=float)


def _approaching(series: LandmarkSeries, one: Pass) -> bool:
    """Whether the walker comes towards the camera in this pass (an oblique pass: from the
    figure growing; front/back passes say so themselves)."""
    if one.direction in (TOWARDS, AWAY):
        return one.direction == TOWARDS
    torso = torso_length(series)[one.start:one.stop]
    good = np.isfinite(torso) & (torso > 0)
    if good.sum() < 3:
        return True
    return bool(np.polyfit(series.times[one.start:one.stop][good], np.log(torso[good]), 1)[0] >= 0)


def _bob_strikes(series: LandmarkSeries, one: Pass, scale: float) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], dict]:
    """Front/back heel strikes from the pelvis bob, sides from the leading foot and the sway.

    The body is lowest in double support, just after a heel strike: the strikes are the
    pelvis bob's maxima (`_bob_peaks`, sub-frame). Each strike's foot: the pelvis sway (towards
    the foot about to stand) and, walking towards the camera, the leading foot (its heel lower
    in the picture) vote; the strikes of a chain then alternate feet, in whichever order agrees
    best with the votes. On the synthetic walkers this lags the true contact by ~50 ms (the
    body keeps sinking briefly after contact). Also returns each strike's sub-frame offset
    (frame → −0.5..0.5): rounded to frames, symmetric synthetic walkers read up to 12%
    step-time asymmetry.
    """
    xy = series.xy.astype(float)[one.start:one.stop]
    rate = series.sample_rate
    hip = 0.5 * (xy[:, L.LEFT_HIP] + xy[:, L.RIGHT_HIP]) / scale
    towards = _approaching(series, one)
    sign = 1.0 if towards else -1.0  # + = towards the subject's left on screen
    # the leading foot at a strike, walking towards: its heel is down and nearer (lower in the
    # picture) while the trailing heel is lifted; both effects agree.
    foot_y = {side: xy[:, _FOOT[side][0], 1] / scale for side in SIDES}
    strikes: dict[str, list] = {s: [] for s in SIDES}
    weights: dict[str, list] = {s: [] for s in SIDES}
    fine: dict[int, float] = {}
    sway_band = signal.butter(2, [0.4 / (rate / 2), min(2.0, _band_top(rate)) / (rate / 2)], btype="band", output="sos")
    for a, b, peaks, prominences, offsets in _bob_peaks(hip[:, 1], rate):
        fine.update({a + int(p): float(o) for p, o in zip(peaks, offsets)})
        sway = np.gradient(signal.sosfiltfilt(sway_band, sign * hip[a:b, 0]))
        sway = sway / (np.std(sway) + 1e-12)
        lead = sign * (foot_y["left"][a:b] - foot_y["right"][a:b])
        lead = np.where(np.isfinite(lead), lead, 0.0)
        lead = lead / (np.std(lead) + 1e-12)
        # + = the left foot strikes. From behind, MediaPipe's feet are not to be trusted (on the
        # synthetic walkers their depth order came out reversed): only the sway votes there.
        votes = 0.5 * np.sign(sway[peaks]) + (np.sign(lead[peaks]) if towards else 0.0)
        gaps = np.diff(peaks)
        typical = np.median(gaps) if len(gaps) else 0
        chains = np.split(np.arange(len(peaks)), np.flatnonzero(gaps > 1.6 * typical) + 1) if len(gaps) else [np.arange(len(peaks))]
        for chain in chains:
            pattern = np.where(np.arange(len(chain)) % 2 == 0, 1.0, -1.0)
            first_left = np.sum(pattern * votes[chain]) >= 0
            for i, k in enumerate(chain):
                side = "left" if (i % 2 == 0) == first_left else "right"
                strikes[side].append(a + peaks[k])
                weights[side].append(float(prominences[k]))
    return {s: (np.asarray(strikes[s], dtype=int), np.asarray(weights[s], dtype=float)) for s in SIDES}, fine


def _band_top(rate: float) -> float:
    """BOB_BAND_HZ's upper edge, kept below the Nyquist frequency of low frame rates."""
    return BOB_BAND_HZ[1] if BOB_BAND_HZ[1] < rate / 2 * 0.95 else rate / 2 * 0.9


def _bob_peaks(hip_y: np.ndarray, rate: float) -> list[tuple[int, int, np.ndarray, np.ndarray, np.ndarray]]:
    """The pelvis bob's maxima (lowest body, just after each heel strike) per gap-free stretch
    of the mid-hip height `hip_y` (torso lengths, image y down): (start, stop, peak frames
    within the stretch, prominences, sub-frame offsets).

    Band-passed to step frequencies (BOB_BAND_HZ: removes the drift as the walker comes closer
    or goes away) and divided by its running RMS (the bob looks bigger as the walker comes
    closer). Peaks within BOB_EDGE_S of a stretch's ends are the filter's edge, not strikes, and
    so is a short first or last step near them (`_short_edge_steps`); a bob smaller than
    BOB_MIN_RMS is landmark jitter. The offsets are the vertex of a parabola fitted to the bob:
    rounded to frames, a strike is off by up to 6% of a step at 30 fps."""
    band = signal.butter(2, [BOB_BAND_HZ[0] / (rate / 2), _band_top(rate) / (rate / 2)], btype="band", output="sos")
    envelope = signal.butter(2, 0.5 / (rate / 2), output="sos")
    out = []
    for a, b in _finite_runs(hip_y, max(int(1.5 * rate), 16)):
        bob = signal.sosfiltfilt(band, hip_y[a:b])
        rms = np.sqrt(np.clip(signal.sosfiltfilt(envelope, bob ** 2), 1e-12, None))
        bob = bob / rms
        peaks, props = signal.find_peaks(bob, prominence=1.0, distance=max(1, int(MIN_STEP_S * rate)))
        edge = max(2, int(round(BOB_EDGE_S * rate)))
        inside = (peaks >= edge) & (peaks < b - a - edge) & (rms[peaks] >= BOB_MIN_RMS)
        inside &= ~_short_edge_steps(peaks, b - a, EDGE_S * rate)
        peaks = peaks[inside]
        if len(peaks):
            offsets = _vertex_fit(bob, peaks, max(1, int(round(PEAK_FIT_S * rate))))
            out.append((a, b, peaks, np.minimum(props["prominences"][inside], 10.0), offsets))
    return out


def _bob_blend(strikes: np.ndarray, bob: np.ndarray, rate: float) -> np.ndarray:
    """Side-pass strike positions (sub-frame) moved BOB_WEIGHT of the way to the pelvis bob's
    maximum nearest each, after taking out the median lag between the two.

    The feet time strikes from the foot positions and the pose model's far foot is its weakest
    landmark: on synthetic side walkers the mid-heel peak at far-foot strikes wandered by
    20-45 ms against the near foot's on some clips (a symmetric walker read 13-17% step-time
    asymmetry), while the bob, from the hips alone, is the same for both feet. The two err
    independently: per clip, the far-minus-near timing error over the synthetic side clips
    (suite, fresh seeds, samples: 55 clips) was 13.2 ms RMS from the feet, 10.3 from the bob and
    8.0 from their mean. Strikes without a bob maximum within BOB_MATCH_S keep their own time.
    Not for oblique passes: walked diagonally, the hips' image height also carries the approach,
    whose speed varies from step to step with a limp; the suite's oblique limp (step time
    asymmetry 15.6%) read 4.5% with the blend, 18.7% without."""
    if len(strikes) < 2 or len(bob) < 2:
        return strikes
    nearest = bob[np.argmin(np.abs(bob[None, :] - strikes[:, None]), axis=1)]
    gap = nearest - strikes
    close = np.abs(gap) <= MAX_CONTACT_LAG_S * rate
    if close.sum() < 2:
        return strikes
    gap = gap - np.median(gap[close])
    matched = close & (np.abs(gap) <= BOB_MATCH_S * rate)
    return np.where(matched, strikes + BOB_WEIGHT * gap, strikes)


EDGE_STEP_SHARE = 0.75  # of the median step: a shorter first or last step, near a signal's end, is its edge


def _short_edge_steps(peaks: np.ndarray, length: int, reach: float) -> np.ndarray:
    """(len(peaks),) bool: the first or last peak of a signal of `length` frames when it lies
    within `reach` frames of that end and its step to the next peak is under EDGE_STEP_SHARE
    of the median step. The band-pass bends the bob near a track's end: on a real walker
    leaving the picture (og_front_2persons_rotated) a peak 0.17 s from the end made a 0.37 s
    step among 0.53 s ones, and the cadence read 4% fast at 30 frames/s but not at 15."""
    out = np.zeros(len(peaks), dtype=bool)
    if len(peaks) < 3:
        return out
    typical = float(np.median(np.diff(peaks)))
    if peaks[0] < reach and peaks[1] - peaks[0] < EDGE_STEP_SHARE * typical:
        out[0] = True
    if peaks[-1] >= length - reach and peaks[-1] - peaks[-2] < EDGE_STEP_SHARE * typical:
        out[-1] = True
    return out


def _finite_runs(x: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    good = np.isfinite(x)
    padded = np.concatenate([[False], good, [False]])
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= min_len]


def _peaks(x: np.ndarray, rate: float, spacing_s: float = MIN_STRIDE_S,
           share: float = PROMINENCE_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Maxima of x (frame offsets) and their prominences, per gap-free stretch."""
    distance = max(1, int(spacing_s * rate))
    found, prominence = [], []
    for a, b in _finite_runs(x, max(3, int(0.5 * rate))):
        part = x[a:b]
        spread = np.percentile(part, 95) - np.percentile(part, 5)
        if spread < MIN_RANGE_TORSO:
            continue
        peaks, props = signal.find_peaks(part, prominence=share * spread, distance=distance)
        found.extend(peaks + a)
        prominence.extend(props["prominences"])
    return np.asarray(found, dtype=int), np.asarray(prominence, dtype=float)


# --- order checks ----------------------------------------------------------------------------


def _order_checks(hs: dict[str, tuple[np.ndarray, np.ndarray]], to: dict[str, tuple[np.ndarray, np.ndarray]],
                  rate: float) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], int]:
    """Drop events that break the gait cycle's order; return kept strikes, toe offs, count dropped.

    Events come with a weight (peak prominence); a rule that finds two events in conflict drops
    the weaker. The rules run again after every drop until none fires:
    1. two strikes (or two toe offs) of one foot are at least 0.8 of the median stride apart —
       a landmark glitch where the feet cross makes such a short-lived peak. Further apart with
       nothing between is a missed event, and both stay;
    2. a step (strike to strike of the other foot) is at least 0.3 of the median stride: two
       feet do not land together;
    3. a toe off follows a strike of the other foot (it ends double support): if the last
       strike up to a foot's toe off is its own, the toe off goes.
    Strides and steps (`GaitEvents.strides`, `.steps`) then only pair events that alternate.
    """
    table = {("hs", s): dict(zip(map(int, f), map(float, w))) for s, (f, w) in hs.items()}
    table.update({("to", s): dict(zip(map(int, f), map(float, w))) for s, (f, w) in to.items()})
    dropped = 0

    def weaker(kind: str, side: str, a: int, b: int) -> tuple[str, str, int]:
        events = table[(kind, side)]
        return kind, side, a if events[a] < events[b] else b

    def conflict() -> tuple[str, str, int] | None:
        pairs = [(kind, s, a, b) for kind in ("hs", "to") for s in SIDES
                 for a, b in zip(sorted(table[(kind, s)])[:-1], sorted(table[(kind, s)])[1:])]
        strides = [b - a for kind, _, a, b in pairs if kind == "hs"] or [b - a for *_, a, b in pairs]
        typical = float(np.median(strides)) if strides else MIN_STRIDE_S * rate
        for kind, side, a, b in sorted(pairs, key=lambda pair: pair[3] - pair[2]):  # 1.
            if b - a < 0.8 * typical:
                return weaker(kind, side, a, b)
        strikes = sorted((f, s) for s in SIDES for f in table[("hs", s)])
        for (a, sa), (b, sb) in zip(strikes[:-1], strikes[1:]):  # 2.
            if sa != sb and b - a < 0.3 * typical:
                return ("hs", sa, a) if table[("hs", sa)][a] < table[("hs", sb)][b] else ("hs", sb, b)
        for side in SIDES:  # 3.
            for off in table[("to", side)]:
                before = [s for f, s in strikes if f <= off]
                if before and before[-1] == side and not any(f == off for f, s in strikes if s != side):
                    return "to", side, off
        return None

    while (found := conflict()) is not None:
        kind, side, frame = found
        table[(kind, side)].pop(frame)
        dropped += 1
    return ({s: np.array(sorted(table[("hs", s)]), dtype=int) for s in SIDES},
            {s: np.array(sorted(table[("to", s)]), dtype=int) for s in SIDES}, dropped)


# --- entry point -----------------------------------------------------------------------------


def detect_events(series: LandmarkSeries, view: View) -> GaitEvents:
    """Heel strikes and toe offs inside the view's passes (frame indices into the series)."""
    with warnings.catch_warnings():  # all-NaN stretches (a foot out of view) are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        return _detect_events(series, view)


def _detect_events(series: LandmarkSeries, view: View) -> GaitEvents:
    rate = series.sample_rate
    torso = torso_length(series)
    scale = float(np.nanmedian(torso)) if np.isfinite(torso).any() else np.nan
    strikes: dict[str, list] = {s: [] for s in SIDES}
    offs: dict[str, list] = {s: [] for s in SIDES}
    strike_t: dict[str, list] = {s: [] for s in SIDES}
    off_t: dict[str, list] = {s: [] for s in SIDES}
    frames = np.arange(len(series))
    agreement: list = []
    dropped = 0
    methods = set()
    for one in view.passes:
        # Oblique passes (walked diagonally across the picture) travel across it too: the feet
        # reach ahead of the pelvis along the screen direction as in a side view, and since the
        # synthetic feet stopped sliding that times their strikes better than the pelvis bob
        # (seeded oblique clips: step time asymmetry 9.8 -> 1.9% for 0.1%, 8.2 -> 16.4% for 15.6%).
        if one.forward_sign != 0:
            methods.add("Zeni (heel − pelvis along the walking direction), averaged with the pelvis bob in side views")
            hs, to, fine, agree = _zeni_events(series, one, scale)
            agreement.extend(agree)
        else:
            methods.add("pelvis bob with leading foot and sway (front/back); toe offs from foot swing speed")
            hs, fine = _bob_strikes(series, one, scale)
            speed = _forward_speed(series, one, torso)
            to = {s: _swing_toe_offs(speed[f"{s}_heel"], speed[f"{s}_toe"], rate) for s in SIDES}
        kept_hs, kept_to, n = _order_checks(hs, to, rate)
        dropped += n
        for s in SIDES:
            strikes[s].extend(kept_hs[s] + one.start)
            offs[s].extend(kept_to[s] + one.start)
            hs_fine = kept_hs[s] + np.array([fine.get(int(f), 0.0) for f in kept_hs[s]])
            to_fine = kept_to[s] + np.array([fine.get(-1 - int(f), 0.0) for f in kept_to[s]])
            strike_t[s].extend(np.interp(hs_fine + one.start, frames, series.times))
            off_t[s].extend(np.interp(to_fine + one.start, frames, series.times))
    return GaitEvents(
        heel_strikes={s: np.array(sorted(strikes[s]), dtype=int) for s in SIDES},
        toe_offs={s: np.array(sorted(offs[s]), dtype=int) for s in SIDES},
        method="; ".join(sorted(methods)) or "none: no passes",
        dropped=dropped, passes=view.passes, times=np.asarray(series.times),
        heel_strike_times={s: np.array(sorted(strike_t[s])) for s in SIDES},
        toe_off_times={s: np.array(sorted(off_t[s])) for s in SIDES},
        side_agreement=float(np.mean(agreement)) if agreement else float("nan"),
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


def _vertex_fit(x: np.ndarray, peaks: np.ndarray, half: int) -> np.ndarray:
    """Sub-frame offset of each peak: the vertex of a least-squares parabola through the
    2·half + 1 samples around it (steadier than three points when the landmarks jitter);
    falls back to the three-point vertex where the fit is not a clean maximum near the peak."""
    out = _vertex(x, peaks)
    for i, p in enumerate(peaks):
        a, b = p - half, p + half + 1
        if half < 2 or a < 0 or b > len(x) or not np.isfinite(x[a:b]).all():
            continue
        c2, c1, _ = np.polyfit(np.arange(-half, half + 1), x[a:b], 2)
        if c2 < 0 and abs(-c1 / (2 * c2)) <= 1.0:
            out[i] = -c1 / (2 * c2)
    return out
