"""Camera view, walking direction, passes and camera roll, decided once per clip.

Everything is read off the landmark series (pixels, x right, y down), expressed in torso
lengths (mid-shoulder to mid-hip) so that it does not depend on the frame size or distance:

- **body shape**: shoulder width / torso length is small side-on (< ~0.4) and large facing or
  backing the camera (> ~0.5);
- **which way the body faces**: side-on, the nose is ahead of the ears and the toes ahead of
  the heels; frontal, the subject's left shoulder/hip is on the image right when they face the
  camera (MediaPipe labels sides correctly from behind as well, checked on the real clips);
- **travel**: horizontal speed of the mid-hip (torso lengths/s), and growth of the apparent
  size (d log torso / dt; + = coming closer).

A *pass* is a stretch of steady walking in one direction: side-on frames moving faster than a
speed threshold, or frontal frames facing one way. A broad-on body that crosses the picture
the way its face and feet point is walking diagonally: an oblique pass, labelled by its screen
direction (camera "oblique"; its median shoulder width says so). Turns (slow, or the body neither side-on
nor frontal) fall between passes. A clip without travel (treadmill, or a camera panning with
the walker) is one pass whose direction comes from where the body faces.

The walking direction of a side pass is the direction of travel. A person walking backwards
(sports2d_side_older_woman does on her return) travels one way and faces the other:
`Pass.facing_sign` says which way the body faces, `Pass.backwards` flags the disagreement.

The clip's camera and direction are those with the most frames in passes; each pass keeps
its own (`Pass.camera`). So h36m_front_then_back (towards, turn, away) is "front"/"towards"
(its towards pass is longer) with passes towards then away, and per-pass metrics can use the
right sign for each. Confidence = share of pass frames seen from that camera × (0.5 + 0.25 ×
how clearly the body shape says so + 0.25 × how well facing cues agree with the direction).

Camera roll: see `estimate_roll`.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, replace

import numpy as np
from scipy import signal

from gaitcheck.landmarks import FEET, Landmark as L, foot_visibility
from gaitcheck.series import LandmarkSeries
from gaitcheck.sides import CLEAR_ORDER as FACING_MIN, FRONTAL_MIN_WIDTH, GROWTH_DECIDES  # thresholds shared with the relabelling

LEFT_TO_RIGHT, RIGHT_TO_LEFT, TOWARDS, AWAY = "left_to_right", "right_to_left", "towards", "away"

SIDE_MAX_WIDTH = 0.42  # shoulder width / torso length at or below which the body is side-on
OBLIQUE_FACING = 0.25  # |nose + toes ahead| / torso: a frontal-looking body clearly turned sideways
OBLIQUE_SPEED = 0.8  # torso lengths/s across the picture, the way it faces: a diagonal walk
MIN_SPEED = 0.6  # torso lengths per second: slower lateral motion is not steady walking
SPEED_SHARE = 0.4  # ... nor is motion slower than this share of the clip's walking speed
STATIONARY_RANGE = 2.0  # hip travel (torso lengths) below which a clip counts as stationary
MIN_PASS_S = 1.0  # shorter stretches are not passes
MIN_OBLIQUE_S = 1.5  # ... and shorter diagonal ones neither (a turn looks like one briefly)
BRIDGE_S = 0.4  # same-direction stretches closer than this are one pass
MAX_ROLL = 12.0  # a larger apparent roll is a diagonal path or a bad fit, not a tilted phone
FRONTAL_ROLL_DEADBAND = 4.0  # frontal roll cue error reaches ~3° on level cameras: smaller tilts count as level
MIN_GROWTH = 0.03  # 1/s: slower change of apparent size is no evidence of walking towards/away
MIN_FLOOR_SPAN = 1.0  # torso lengths of floor (x extent of stance points) for a side roll
NEAR_FOOT_MARGIN = 0.1  # visibility: a foot this much less visible than the other is the far one


@dataclass(frozen=True)
class Pass:
    """A stretch of steady walking in one direction: frames [start, stop) of the series."""

    start: int
    stop: int
    direction: str  # left_to_right | right_to_left | towards | away
    facing_sign: int = 0  # +1 body faces +x, −1 faces −x (side-on), 0 frontal/unknown
    oblique: bool = False  # a lateral pass walked diagonally (broad-on to the camera)

    @property
    def forward_sign(self) -> int:
        """+1 when travelling towards +x in the image, −1 towards −x, 0 towards/away."""
        return {LEFT_TO_RIGHT: 1, RIGHT_TO_LEFT: -1}.get(self.direction, 0)

    @property
    def camera(self) -> str:
        """The camera this pass is seen from: side (or oblique) for lateral passes, front/back otherwise."""
        return {TOWARDS: "front", AWAY: "back"}.get(self.direction, "oblique" if self.oblique else "side")

    @property
    def backwards(self) -> bool:
        """Travelling one way while facing the other (walking backwards)."""
        return self.forward_sign != 0 and self.facing_sign == -self.forward_sign

    def __len__(self) -> int:
        return self.stop - self.start


@dataclass(frozen=True)
class View:
    """The camera view and walking direction of a clip, its passes and the camera roll.

    roll_deg: how far the picture is rotated **clockwise on screen** (a floor line that falls
    to the right, dy/dx > 0 with y down, has + roll). `level` turns it back.
    """

    camera: str  # side | front | back | oblique
    direction: str  # the dominant direction over the clip
    confidence: float  # 0..1
    passes: tuple[Pass, ...]
    roll_deg: float
    roll_source: str
    cues: dict


# --- per-frame cues ------------------------------------------------------------------------


def _mid(xy: np.ndarray, a: L, b: L) -> np.ndarray:
    return 0.5 * (xy[:, a] + xy[:, b])


def _smooth(x: np.ndarray, rate: float, cutoff_hz: float) -> np.ndarray:
    """Zero-lag low-pass of a 1-D signal with NaN gaps (bridged linearly, NaN again after)."""
    good = np.isfinite(x)
    if good.sum() < 2:
        return np.full_like(x, np.nan, dtype=float)
    idx = np.arange(len(x))
    filled = np.interp(idx, idx[good], x[good])
    if len(x) > 15 and cutoff_hz < rate / 2 * 0.95:
        sos = signal.butter(2, cutoff_hz / (rate / 2), output="sos")
        filled = signal.sosfiltfilt(sos, filled, padlen=min(len(x) - 1, 3 * 5 * 2))
    return np.where(good, filled, np.nan)


def torso_length(series: LandmarkSeries) -> np.ndarray:
    """(T,) mid-shoulder to mid-hip distance in pixels, spikes removed (median over ~0.3 s)."""
    xy = series.xy
    length = np.linalg.norm(_mid(xy, L.LEFT_SHOULDER, L.RIGHT_SHOULDER) - _mid(xy, L.LEFT_HIP, L.RIGHT_HIP), axis=1)
    kernel = max(3, int(round(0.3 * series.sample_rate)) | 1)
    good = np.isfinite(length)
    if good.sum() >= kernel:
        length[good] = signal.medfilt(length[good], kernel)
    return length


def frame_cues(series: LandmarkSeries) -> dict[str, np.ndarray]:
    """Per-frame view cues (torso lengths, seconds), smoothed over about a step."""
    xy = series.xy.astype(float)
    rate = series.sample_rate
    torso = torso_length(series)
    scale = np.nanmedian(torso) if np.isfinite(torso).any() else np.nan
    hip = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP)
    shoulder_width = np.linalg.norm(xy[:, L.LEFT_SHOULDER] - xy[:, L.RIGHT_SHOULDER], axis=1)
    order = (xy[:, L.LEFT_SHOULDER, 0] - xy[:, L.RIGHT_SHOULDER, 0] + xy[:, L.LEFT_HIP, 0] - xy[:, L.RIGHT_HIP, 0]) / torso
    nose_ahead = (xy[:, L.NOSE, 0] - _mid(xy, L.LEFT_EAR, L.RIGHT_EAR)[:, 0]) / torso
    toe_ahead = (_mid(xy, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX)[:, 0] - _mid(xy, L.LEFT_HEEL, L.RIGHT_HEEL)[:, 0]) / torso
    speed_x = np.gradient(_smooth(hip[:, 0], rate, 1.0)) * rate / scale if len(xy) > 1 else np.zeros(len(xy))
    growth = np.gradient(np.log(_smooth(torso, rate, 0.7))) * rate if len(xy) > 1 else np.zeros(len(xy))
    return {
        "torso_px": torso,
        "hip_x": hip[:, 0],
        "width": _smooth(shoulder_width / torso, rate, 1.0),
        "order": _smooth(order, rate, 1.0),
        "facing": _smooth(nose_ahead + toe_ahead, rate, 1.0),
        "speed_x": _smooth(speed_x, rate, 0.7),
        "growth": growth,
    }


# --- passes --------------------------------------------------------------------------------


def _runs(labels: np.ndarray) -> list[tuple[int, int, int]]:
    """(start, stop, label) of each run of equal non-zero labels."""
    runs, start = [], 0
    for i in range(1, len(labels) + 1):
        if i == len(labels) or labels[i] != labels[start]:
            if labels[start] != 0:
                runs.append((start, i, int(labels[start])))
            start = i
    return runs


_CODES = {1: LEFT_TO_RIGHT, -1: RIGHT_TO_LEFT, 2: TOWARDS, -2: AWAY, 3: LEFT_TO_RIGHT, -3: RIGHT_TO_LEFT}  # 3: diagonal


def frame_labels(cues: dict[str, np.ndarray], rate: float) -> tuple[np.ndarray, bool]:
    """Per-frame direction code (±1 lateral, ±2 towards/away, ±3 diagonal, 0 none) and whether the clip is stationary."""
    width, speed, facing, order = cues["width"], cues["speed_x"], cues["facing"], cues["order"]
    hip_x = cues["hip_x"][np.isfinite(cues["hip_x"])]
    scale = np.nanmedian(cues["torso_px"])
    travel = (np.percentile(hip_x, 95) - np.percentile(hip_x, 5)) / scale if len(hip_x) else 0.0
    stationary = bool(travel < STATIONARY_RANGE)
    labels = np.zeros(len(width), dtype=int)
    with np.errstate(invalid="ignore"):
        side_on = width <= SIDE_MAX_WIDTH + 0.08  # a little slack: the width wobbles with the arm swing
        frontal = width >= FRONTAL_MIN_WIDTH
        if stationary:
            lateral = np.where(side_on & (np.abs(facing) > 0.05), np.sign(facing), 0)
        else:
            moving = np.abs(speed)
            threshold = max(MIN_SPEED, SPEED_SHARE * np.nanpercentile(moving[side_on], 75)) if side_on.any() else MIN_SPEED
            lateral = np.where(side_on & (moving >= threshold), np.sign(speed), 0)
        towards = np.where(frontal & (np.abs(order) >= FACING_MIN), 2 * np.sign(order), 0)
        # broad-on but crossing the picture the way the face and feet point: a diagonal walk
        # (oblique view), labelled by its screen direction
        diagonal = (frontal & (np.abs(facing) >= OBLIQUE_FACING) & (np.abs(speed) >= OBLIQUE_SPEED)
                    & (np.sign(facing) == np.sign(speed)))
        towards = np.where(diagonal, 3 * np.sign(speed), towards)
    labels = np.where(lateral != 0, lateral, towards).astype(int)
    labels[~np.isfinite(width)] = 0
    return _settle_broad_on(labels, cues, rate), stationary


def _settle_broad_on(labels: np.ndarray, cues: dict[str, np.ndarray], rate: float) -> np.ndarray:
    """One label per stretch of broad-on frames: a diagonal walk or a straight one, as a whole.

    Frame by frame, a walker crossing diagonally with the face and feet about OBLIQUE_FACING
    off the camera flickers between "towards" and "diagonal" (fresh seed 7401: runs of 10-25
    frames each, none long enough to be a pass, so the clip had no pass and read as a front
    view). Each stretch of broad-on frames (±2, ±3; gaps up to BRIDGE_S) is diagonal when its
    median facing and median speed are (OBLIQUE_FACING, OBLIQUE_SPEED, the same way), and
    straight towards/away otherwise, each frame then by its shoulder/hip order as before."""
    out = labels.copy()
    broad = np.flatnonzero(np.isin(np.abs(labels), (2, 3)))
    if not len(broad):
        return out
    lateral_before = np.cumsum(np.abs(labels) == 1)  # a lateral frame between two broad-on ones splits them
    breaks = np.flatnonzero((np.diff(broad) > BRIDGE_S * rate + 1) | (np.diff(lateral_before[broad]) > 0))
    for stretch in np.split(broad, breaks + 1):
        with np.errstate(invalid="ignore"):
            facing = float(np.nanmedian(cues["facing"][stretch]))
            speed = float(np.nanmedian(cues["speed_x"][stretch]))
        if abs(facing) >= OBLIQUE_FACING and abs(speed) >= OBLIQUE_SPEED and np.sign(facing) == np.sign(speed):
            out[stretch] = 3 * int(np.sign(speed))
        else:
            order = cues["order"][stretch]
            with np.errstate(invalid="ignore"):
                out[stretch] = np.where(np.abs(order) >= FACING_MIN, 2 * np.sign(order), 0).astype(int)
    return out


def _towards_or_away(code: int, growth: np.ndarray) -> int:
    """A frontal run's direction code (+2 towards, −2 away): the apparent size decides when it
    clearly changes (GROWTH_DECIDES), the shoulder/hip order only when it does not (a
    treadmill). The order assumes the pose model labels sides right from behind as well; on
    two of four freshly seeded synthetic walkers seen from behind it labelled them as if
    facing the camera (order +1, shrinking at 0.22/s) and the clip read as "front"."""
    trend = float(np.nanmedian(growth)) if np.isfinite(growth).any() else 0.0
    if abs(trend) >= GROWTH_DECIDES:
        return 2 if trend > 0 else -2
    return code


def find_passes(series: LandmarkSeries, cues: dict[str, np.ndarray] | None = None) -> tuple[Pass, ...]:
    """Stretches of steady walking in one direction, turns and standing left out."""
    cues = cues if cues is not None else frame_cues(series)
    labels, _ = frame_labels(cues, series.sample_rate)
    rate = series.sample_rate
    runs = _runs(labels)
    merged: list[list[int]] = []
    for start, stop, code in runs:
        if merged and merged[-1][2] == code and start - merged[-1][1] <= BRIDGE_S * rate:
            merged[-1][1] = stop
        else:
            merged.append([start, stop, code])
    passes = []
    for start, stop, code in merged:
        if stop - start < MIN_PASS_S * rate:
            continue
        if abs(code) == 2:
            code = _towards_or_away(code, cues["growth"][start:stop])
        facing = 0
        if abs(code) in (1, 3):
            median = np.nanmedian(cues["facing"][start:stop])
            facing = int(np.sign(median)) if abs(median) > 0.05 else 0
        oblique = abs(code) == 3 or (abs(code) == 1 and bool(np.nanmedian(cues["width"][start:stop]) > SIDE_MAX_WIDTH))
        if oblique and stop - start < MIN_OBLIQUE_S * rate:
            continue  # turning round sweeps the body across the picture for a moment too
        passes.append(Pass(int(start), int(stop), _CODES[code], facing, oblique))
    return tuple(passes)


# --- camera roll ---------------------------------------------------------------------------


def _fit_slope(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[float, int]:
    """Common slope dy/dx of lines with one intercept per group; trimmed least squares."""
    keep = np.ones(len(x), bool)
    slope = np.nan
    for _ in range(3):
        xd, yd = x.copy(), y.copy()
        for g in np.unique(groups[keep]):
            member = groups == g
            xd[member] -= np.mean(x[member & keep])
            yd[member] -= np.mean(y[member & keep])
        denom = np.sum(xd[keep] ** 2)
        if denom <= 0:
            return np.nan, 0
        slope = float(np.sum(xd[keep] * yd[keep]) / denom)
        residual = yd - slope * xd
        mad = np.median(np.abs(residual[keep])) + 1e-9
        keep = np.abs(residual) <= 3.5 * 1.4826 * mad
    return slope, int(keep.sum())


def _stance_points(series: LandmarkSeries, one: Pass, scale: float) -> np.ndarray:
    """(n, 3) rows (x, y, group) of floor points: each foot's heel and toe in early stance.

    A foot is in stance while it moves backwards relative to the pelvis (it stands on the
    ground while the body goes on; on a treadmill the belt carries it back): the Zeni phases
    without needing the events. From 10% to 50% of each stance the foot is flat and the heel not
    yet lifting (a lifting heel that slides back on a treadmill would tilt the line). Stances
    near the frame's edge (walker entering or leaving, lens distortion) are left out.
    Measured against the synthetic truth and the lines of the rooms in the real clips, every
    frame counting beats one point per stance (mean error 0.4° against 0.8°).

    Not the far foot (its heel and toe NEAR_FOOT_MARGIN less visible than the other foot's):
    the pose model's far foot drifts up and down behind the near leg, and tilted the line by
    3-5° on level synthetic cameras. Floor-line error on 32 seeded and fresh synthetic side
    clips: mean 0.99° (worst 4.7°) with both feet, 0.71° (2.8°) without the far foot; with no
    margin 0.61°, but the room's lines in bg_side_no_arm_swing_08 then disagree by 1.7°.
    """
    xy = series.xy.astype(float)
    rate = series.sample_rate
    frames = np.arange(one.start, one.stop)
    pelvis = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP)[frames, 0]
    edge = 0.05 * series.width
    seen = {side: foot_visibility(series.visibility[frames], side) for side in FEET}
    points = []
    for foot, (side, (heel, toe)) in enumerate(FEET.items()):
        near = seen[side] >= seen["right" if side == "left" else "left"] - NEAR_FOOT_MARGIN
        relative = _smooth(xy[frames, heel, 0] - pelvis, rate, 4.0) * one.forward_sign
        velocity = np.gradient(relative) * rate if len(frames) > 1 else np.zeros(len(frames))
        for start, stop, _ in _runs((velocity < 0).astype(int)):
            n = stop - start
            if n < 0.1 * rate:
                continue
            span = np.arange(start + int(0.1 * n), start + max(int(0.5 * n), int(0.1 * n) + 1))
            early = frames[span[near[span]]]
            for k, landmark in enumerate((heel, toe)):
                p = xy[early, landmark]
                for x, y in p[np.isfinite(p).all(axis=1)]:
                    if edge <= x <= series.width - edge:
                        points.append((x, y, foot * 2 + k))
    return np.array(points, dtype=float).reshape(-1, 3)


def estimate_roll(series: LandmarkSeries, passes: tuple[Pass, ...], camera: str,
                  torso: np.ndarray | None = None) -> tuple[float, str, dict]:
    """Camera roll (degrees, + = picture turned clockwise on screen) and the cue it came from.

    Side (and oblique) views: the floor line. The heel and toe of each foot in mid-stance lie
    on the floor, which a level camera sees as a horizontal line when the walker crosses at a
    constant distance; one common slope with an intercept per (pass, foot, landmark) — near
    and far foot stand at different depths — fitted by trimmed least squares. Needs a torso
    length of floor; more than MAX_ROLL is not believed (a diagonal path, not a tilted phone).

    Front/back views: the lower-body axis. Over whole strides the pelvis sits above the middle
    of the feet, so the median direction feet-midpoint → mid-hip is the vertical; it is
    independent of the trunk, shoulders and head whose tilts the metrics measure. It is only
    good to ~3° (2.5° on level synthetic cameras, up to 3° on the real front/back clips), so a
    tilt under 4° is taken as level.
    """
    if not passes:
        return 0.0, "none: no steady walking", {}
    torso = torso if torso is not None else torso_length(series)
    scale = float(np.nanmedian(torso)) if np.isfinite(torso).any() else np.nan
    lateral = [p for p in passes if p.forward_sign != 0]
    frontal = [p for p in passes if p.forward_sign == 0]
    if camera in ("side", "oblique"):
        chunks = []
        for i, one in enumerate(lateral):
            pts = _stance_points(series, one, scale)
            if len(pts):
                pts[:, 2] += 4 * i
                chunks.append(pts)
        pts = np.concatenate(chunks) if chunks else np.zeros((0, 3))
        span = 0.0
        if len(pts):
            span = max(float(np.ptp(pts[pts[:, 2] == g, 0])) for g in np.unique(pts[:, 2])) / scale
        if len(pts) < 6 or span < MIN_FLOOR_SPAN:
            return 0.0, f"none: too little floor seen in stance ({span:.1f} torso lengths)", {"floor_span_torso": round(span, 2)}
        slope, used = _fit_slope(pts[:, 0], pts[:, 1], pts[:, 2])
        roll = float(np.degrees(np.arctan(slope))) if np.isfinite(slope) else np.nan
        cues = {"floor_points": used, "floor_span_torso": round(span, 2), "floor_angle_deg": _round(roll)}
        if not np.isfinite(roll) or abs(roll) > MAX_ROLL:
            return 0.0, f"none: floor line {roll:.0f}° off horizontal (path not across the picture?)", cues
        return roll, "floor line through the stance feet", cues
    if frontal:
        xy = series.xy.astype(float)
        frames = np.concatenate([np.arange(p.start, p.stop) for p in frontal])
        feet = xy[frames][:, [L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX]].mean(axis=1)
        axis = _mid(xy, L.LEFT_HIP, L.RIGHT_HIP)[frames] - feet
        angle = np.degrees(np.arctan2(axis[:, 0], -axis[:, 1]))
        angle = angle[np.isfinite(angle)]
        if len(angle) < series.sample_rate:
            return 0.0, "none: too few frontal frames", {}
        roll = float(np.median(angle))
        cues = {"body_axis_deg": _round(roll), "body_axis_frames": int(len(angle))}
        if abs(roll) < FRONTAL_ROLL_DEADBAND:
            return 0.0, f"none: lower-body axis within {FRONTAL_ROLL_DEADBAND:.1f}° of vertical (the cue's accuracy)", cues
        if abs(roll) > MAX_ROLL:
            return 0.0, f"none: lower-body axis {roll:.0f}° off vertical", cues
        return roll, "lower-body axis (feet midpoint to mid-hip) over the frontal passes", cues
    return 0.0, "none: no steady walking", {}


# --- the view ------------------------------------------------------------------------------


def _camera_of(one: Pass, width: float) -> str:
    return one.camera


def estimate_view(series: LandmarkSeries) -> View:
    """Camera, direction, passes and roll of a (cleaned) series, from the whole clip."""
    with warnings.catch_warnings():  # all-NaN stretches (nobody in view) are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        return _estimate_view(series)


def _estimate_view(series: LandmarkSeries) -> View:
    cues = frame_cues(series)
    labels, stationary = frame_labels(cues, series.sample_rate)
    passes = find_passes(series, cues)
    width = cues["width"]
    record: dict = {"stationary": stationary, "width_median": _round(np.nanmedian(width) if np.isfinite(width).any() else np.nan)}
    if passes:
        cams = [_camera_of(p, float(np.nanmedian(width[p.start:p.stop]))) for p in passes]
        frames_by_cam: dict[str, int] = {}
        frames_by_dir: dict[str, int] = {}
        for p, cam in zip(passes, cams):
            frames_by_cam[cam] = frames_by_cam.get(cam, 0) + len(p)
            frames_by_dir[p.direction] = frames_by_dir.get(p.direction, 0) + len(p)
        camera = max(frames_by_cam, key=frames_by_cam.get)
        direction = max(frames_by_dir, key=frames_by_dir.get)
        inside = np.concatenate([np.arange(p.start, p.stop) for p in passes])
        w = float(np.nanmedian(width[inside]))
        if camera in ("side", "oblique"):
            margin = np.clip((FRONTAL_MIN_WIDTH + 0.1 - w) / 0.25, 0, 1)
            facing = np.array([p.facing_sign * p.forward_sign for p in passes if p.forward_sign])
            agree = float(np.mean(facing != 0)) if len(facing) else 0.0
        else:
            margin = np.clip((w - SIDE_MAX_WIDTH) / 0.2, 0, 1)
            order = cues["order"][inside]
            agree = float(np.nanmean(np.abs(order) >= FACING_MIN))
        growth = float(np.nanmedian(cues["growth"][inside]))
        if camera in ("front", "back") and abs(growth) > MIN_GROWTH and (growth > 0) != (camera == "front"):
            agree *= 0.5  # facing the camera but getting smaller (or the reverse): doubt
        share = frames_by_cam[camera] / sum(frames_by_cam.values())
        confidence = float(np.clip(share * (0.5 + 0.25 * margin + 0.25 * agree), 0, 1))
        record.update(
            width_in_passes=_round(w), growth_per_s=_round(growth), direction_agreement=_round(agree),
            passes=[{"start": p.start, "stop": p.stop, "direction": p.direction, "camera": c,
                     "facing_sign": p.facing_sign} for p, c in zip(passes, cams)],
            frames_by_camera=frames_by_cam,
        )
    else:
        w = float(np.nanmedian(width)) if np.isfinite(width).any() else np.nan
        camera, direction, confidence = _fallback(cues, w)
        record["note"] = "no steady walking found; view from the whole clip's body shape"
    roll, source, roll_cues = estimate_roll(series, passes, camera, cues["torso_px"])
    record.update(roll_cues)
    return View(camera, direction, round(confidence, 3), passes, roll, source, record)


def _fallback(cues: dict[str, np.ndarray], width: float) -> tuple[str, str, float]:
    if not np.isfinite(width):
        return "oblique", LEFT_TO_RIGHT, 0.0
    if width <= SIDE_MAX_WIDTH:
        facing = np.nanmedian(cues["facing"])
        return "side", LEFT_TO_RIGHT if facing >= 0 else RIGHT_TO_LEFT, 0.3
    if width >= FRONTAL_MIN_WIDTH:
        order = np.nanmedian(cues["order"])
        return ("front", TOWARDS, 0.3) if order >= 0 else ("back", AWAY, 0.3)
    return "oblique", LEFT_TO_RIGHT if np.nanmedian(cues["speed_x"]) >= 0 else RIGHT_TO_LEFT, 0.1


def _round(v: float) -> float | None:
    return round(float(v), 3) if np.isfinite(v) else None


# --- levelling -----------------------------------------------------------------------------


def rotate(series: LandmarkSeries, degrees: float) -> LandmarkSeries:
    """The series with its pixel coordinates turned `degrees` clockwise on screen about the frame centre."""
    theta = np.radians(degrees)
    c, s = np.cos(theta), np.sin(theta)
    centre = np.array([series.width / 2.0, series.height / 2.0])
    d = series.xy - centre
    xy = np.stack([c * d[..., 0] - s * d[..., 1], s * d[..., 0] + c * d[..., 1]], axis=-1) + centre
    return replace(series, xy=xy.astype(series.xy.dtype))


def level(series: LandmarkSeries, view: View) -> LandmarkSeries:
    """The series turned by −roll about the frame centre so the floor is horizontal (a new value)."""
    out = rotate(series, -view.roll_deg)
    return replace(out, processing=dict(series.processing, level_roll_deg=round(view.roll_deg, 3),
                                        level_source=view.roll_source))
