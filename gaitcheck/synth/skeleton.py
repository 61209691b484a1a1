"""The walker's 3D skeleton at any instant, from its posture, body size and stride schedule.

Walker coordinates: metres, x = walking direction, y = up, z = the walker's right; the floor
is y = 0. Segment lengths are Winter's fractions of stature. The joint-angle curves of gait.py
are the reference pattern: they say where each heel lands relative to the hip, the walking
speed and the pelvis bob. The drawn feet then rest on footprints (rolling about the heel, flat,
then about the toe, with the foot pitch curve) and swing between them; the knee follows by
two-link IK. So a foot never slides on the floor, and it comes to rest as it lands. On a
treadmill the same walk happens in the belt's frame, which moves back under the walker.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.special import betainc

from gaitcheck.landmarks import Landmark
from gaitcheck.synth import gait
from gaitcheck.synth.posture import Posture

# Winter (2009), segment lengths as fractions of stature.
THIGH = 0.245
SHANK = 0.246
ANKLE_HEIGHT = 0.039
FOOT = 0.152
TRUNK = 0.288  # hip joint (0.530) to shoulder (0.818)
SHOULDER_WIDTH = 0.24  # between shoulder joint centres (biacromial is 0.259)
HIP_WIDTH = 0.15  # between the hip landmarks
NECK_TO_EAR = 0.107  # mid-shoulder to the ears (tragus ~0.925)
EYE_AHEAD = 0.045  # eye in front of the ear (tragus), head level: ~8 cm
EYE_RISE = 0.011  # eye above the ear: eye height 0.936 vs tragus ~0.925 of stature
UPPER_ARM = 0.186
FOREARM = 0.146
HAND = 0.108

SIDES = ("left", "right")
SIGN = {"left": -1.0, "right": 1.0}  # along +z, the walker's right

X, Y, Z = np.eye(3)


TOE_OFF = 0.62  # stride phase of toe off: where the FOOT_* pitch curves end their push-off
SWING_LIFT = 0.04  # peak ankle lift in swing above the straight path, fraction of stature
LIFT_SKEW = 0.6  # u ** LIFT_SKEW puts the lift's peak early in swing, as real feet have it
SWING_BRAKE = 2.25  # speed ∝ (1 − u)^(SWING_BRAKE − 1) as the swing foot comes to rest
REACH = 0.999  # the farthest the drawn leg straightens, share of thigh + shank


def _sole_axes(pitch: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(heel → toe, up out of the sole) unit vectors (n, 2) of a foot at pitch (rad, toe up +)."""
    return np.stack([np.cos(pitch), np.sin(pitch)], -1), np.stack([-np.sin(pitch), np.cos(pitch)], -1)


def foot_points(ankle: np.ndarray, pitch: np.ndarray, stature: float) -> dict[str, np.ndarray]:
    """Foot points (n, 2) from the ankle and the foot pitch (rad, toe up +)."""
    along, normal = _sole_axes(pitch)
    ah = ANKLE_HEIGHT * stature
    fl = FOOT * stature
    return {
        "ankle": ankle,
        "heel": ankle - 0.22 * fl * along - 0.6 * ah * normal,
        "toe": ankle + 0.72 * fl * along - 0.65 * ah * normal,
        "sole_heel": ankle - 0.22 * fl * along - ah * normal,
        "sole_toe": ankle + 0.78 * fl * along - ah * normal,
        "toe_tip": ankle + 0.8 * fl * along - 0.5 * ah * normal,
    }


def stance_ankle(footprint: np.ndarray, pitch: np.ndarray, stature: float) -> np.ndarray:
    """Ankle (n, 2) of a foot resting on the floor whose flat sole heel point is at x =
    `footprint`: toe up it pivots on the sole heel point, heel up on the sole toe point, so
    the point touching the floor never moves."""
    along, normal = _sole_axes(pitch)
    ah = ANKLE_HEIGHT * stature
    fl = FOOT * stature
    heel = np.stack([footprint, np.zeros_like(footprint)], -1)
    toe = heel + np.array([fl, 0.0])
    on_heel = heel + 0.22 * fl * along + ah * normal
    on_toe = toe - 0.78 * fl * along + ah * normal
    return np.where((pitch >= 0)[:, None], on_heel, on_toe)


def swing_progress(u: np.ndarray) -> np.ndarray:
    """Share of the swing's forward travel done at swing time u (0→1).

    Speed ∝ u²(1 − u)^(SWING_BRAKE − 1): no speed or acceleration at toe off, and a late
    brake in terminal swing to a stop at contact, as a real foot does. A symmetric
    (minimum-jerk) profile brakes so early that the heel's farthest reach ahead of the
    pelvis (what Zeni's event detection looks for) came ~45 ms before contact.
    """
    return betainc(3.0, SWING_BRAKE, u)


def knee_by_ik(hip: np.ndarray, ankle: np.ndarray, thigh: float, shank: float) -> np.ndarray:
    """Knee (n, 2) of a two-link leg from hip to ankle, bending forward (+x); a target out of
    reach straightens the leg towards it."""
    d = ankle - hip
    dist = np.linalg.norm(d, axis=-1)
    reach = np.clip(dist, abs(thigh - shank) + 1e-9, thigh + shank)
    cos_a = np.clip((thigh ** 2 + reach ** 2 - shank ** 2) / (2 * thigh * reach), -1.0, 1.0)
    a = np.arccos(cos_a)
    direction = d / dist[:, None]
    # Rotate hip→ankle by a towards +x (counter-clockwise when the ankle is below the hip).
    c, s = np.cos(a), np.sin(a)
    rot = np.stack([c * direction[:, 0] - s * direction[:, 1], s * direction[:, 0] + c * direction[:, 1]], -1)
    return hip + thigh * rot


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)


def _deg(a: float | np.ndarray) -> np.ndarray:
    return np.radians(a)


@dataclass(frozen=True)
class Frame3D:
    """Everything the renderer needs at one instant, in walker coordinates (metres)."""

    points: dict[str, np.ndarray]  # named 3D points: landmarks by Landmark name, plus extras
    trunk_axes: tuple[np.ndarray, np.ndarray, np.ndarray]  # forward, up, right of the chest
    pelvis_axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    head_axes: tuple[np.ndarray, np.ndarray, np.ndarray]

    def landmarks(self) -> np.ndarray:
        """(33, 3) array in MediaPipe order."""
        return np.array([self.points[lm.name] for lm in Landmark])


@dataclass(frozen=True)
class Walker:
    """A walker: posture, stature (m) and stride schedule; `pose(t)` gives the skeleton."""

    posture: Posture
    stature: float
    schedule: gait.Schedule
    treadmill: bool = False

    # ---- legs -------------------------------------------------------------------------------
    def _reference_leg(self, side: str, t: np.ndarray) -> dict[str, np.ndarray]:
        """Leg points relative to the hip joint (x, y) from the joint-angle curves alone.

        This is the intended gait pattern, not what is drawn: it places the footprints (where
        the heel lands relative to the hip), sets the walking speed and the pelvis bob. The
        drawn leg (`_leg`) puts its foot on those footprints and finds the knee by IK.
        """
        H = self.stature
        p = self.posture
        phase = self.schedule.cycles(t, side)
        scale = p.step_scale_left if side == "left" else p.step_scale_right
        thigh = _deg(gait.thigh_angle(phase, scale))
        shank = thigh - _deg(gait.knee_flexion(phase))
        pitch = _deg(gait.foot_pitch(phase, p.heel_strike))
        knee = np.stack([THIGH * H * np.sin(thigh), -THIGH * H * np.cos(thigh)], -1)
        ankle = knee + np.stack([SHANK * H * np.sin(shank), -SHANK * H * np.cos(shank)], -1)
        return {"knee": knee, **foot_points(ankle, pitch, H)}

    def _hip_offsets(self, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Pelvic obliquity (rad, + right hip lower) and pelvic yaw (rad) at times t."""
        left = self.schedule.cycles(t, "left")
        # Left single stance (left phase ~0.1–0.5): the right (swing) side drops, and back.
        obliquity = _deg(self.posture.pelvic_drop_deg) * np.sin(2 * np.pi * left)
        yaw = _deg(4.0) * np.cos(2 * np.pi * self.schedule.cycles(t, "right"))
        return obliquity, yaw

    def _hip_joint(self, side: str, obliquity: np.ndarray, yaw: np.ndarray) -> np.ndarray:
        """Hip joint relative to the pelvis centre, (n, 3)."""
        half = 0.5 * HIP_WIDTH * self.stature * SIGN[side]
        return half * np.stack([np.sin(yaw) * np.cos(obliquity), -np.sin(obliquity),
                                np.cos(yaw) * np.cos(obliquity)], -1)

    def _reference_height(self, t: np.ndarray) -> np.ndarray:
        """Height of the pelvis centre that puts the reference legs' lowest sole point on the
        floor: the vertical bob of the intended gait pattern."""
        obliquity, yaw = self._hip_offsets(t)
        lowest = []
        for side in SIDES:
            leg = self._reference_leg(side, t)
            hip_y = self._hip_joint(side, obliquity, yaw)[..., 1]
            lowest.append(np.minimum(leg["sole_heel"][..., 1], leg["sole_toe"][..., 1]) + hip_y)
        return -np.minimum(*lowest)

    def pelvis_height(self, t: np.ndarray) -> np.ndarray:
        """The reference bob, lowered where a foot on its footprint would be out of the leg's
        reach (so the drawn leg never stretches)."""
        t = np.atleast_1d(t)
        height = self._reference_height(t)
        obliquity, yaw = self._hip_offsets(t)
        reach = REACH * (THIGH + SHANK) * self.stature
        for side in SIDES:
            offset = self._hip_joint(side, obliquity, yaw)
            ankle, _ = self._foot(side, t)
            dx = ankle[:, 0] - self._hip_x(side, t)
            top = ankle[:, 1] + np.sqrt(np.maximum(reach ** 2 - dx ** 2, 0.0)) - offset[:, 1]
            height = np.minimum(height, top)
        return height

    def _hip(self, side: str, t: np.ndarray, height: np.ndarray) -> np.ndarray:
        """Hip joint (x, y) in the ground frame (on a treadmill: the belt's frame), (n, 2),
        with the pelvis centre at `height`."""
        obliquity, yaw = self._hip_offsets(t)
        offset = self._hip_joint(side, obliquity, yaw)[..., :2]
        return np.stack([self.ground_speed * t, height], -1) + offset

    def _hip_x(self, side: str, t: np.ndarray) -> np.ndarray:
        """Hip joint x in the ground frame (independent of the pelvis height)."""
        obliquity, yaw = self._hip_offsets(t)
        return self.ground_speed * t + self._hip_joint(side, obliquity, yaw)[..., 0]

    def _contact_times(self, side: str) -> np.ndarray:
        """Nominal initial contacts of one foot: the times its stride count is a whole number."""
        strikes = self.schedule.right_strikes
        count = np.arange(len(strikes), dtype=float)
        shift = self.schedule.left_offset if side == "left" else 0.0
        return np.interp(count + shift, count, strikes)

    @cached_property
    def _footprints(self) -> dict[str, np.ndarray]:
        """Where each foot's sole heel point rests on the floor in stance k (ground frame):
        where the reference leg puts it at that contact, relative to the hip then."""
        out = {}
        for side in SIDES:
            t = self._contact_times(side)
            out[side] = self._hip_x(side, t) + self._reference_leg(side, t)["sole_heel"][:, 0]
        return out

    def _foot(self, side: str, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ankle (n, 2) in the ground frame and foot pitch (rad) of one foot at times t.

        Stance (phase 0 to TOE_OFF): the foot rolls on its footprint, about the heel while
        toe up, about the toe while heel up. Swing: the ankle goes from its toe-off pose to
        the next contact pose (`swing_progress`: arriving with no horizontal speed),
        lifted by a skewed half sine for clearance (high early, landing at a steady rate).
        """
        H = self.stature
        heel_first = self.posture.heel_strike
        phase = np.atleast_1d(self.schedule.cycles(t, side))
        prints = self._footprints[side]
        k = np.clip(np.floor(phase).astype(int), 0, len(prints) - 2)
        frac = phase - k
        pitch = _deg(gait.foot_pitch(phase, heel_first))
        stance = stance_ankle(prints[k], pitch, H)
        start = stance_ankle(prints[k], np.full_like(phase, _deg(gait.foot_pitch(TOE_OFF, heel_first))), H)
        end = stance_ankle(prints[k + 1], np.full_like(phase, _deg(gait.foot_pitch(0.0, heel_first))), H)
        u = np.clip((frac - TOE_OFF) / (1.0 - TOE_OFF), 0.0, 1.0)
        swing = start + (end - start) * swing_progress(u)[:, None]
        swing[:, 1] += SWING_LIFT * H * np.sin(np.pi * u ** LIFT_SKEW)
        ankle = np.where((frac < TOE_OFF)[:, None], stance, swing)
        return ankle, pitch

    def _leg(self, side: str, t: np.ndarray, height: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """Drawn leg points (x, y) in the ground frame: foot from `_foot`, knee by IK (pass the
        pelvis height when it is already known: it costs both feet and both reference legs)."""
        H = self.stature
        t = np.atleast_1d(t)
        hip = self._hip(side, t, self.pelvis_height(t) if height is None else height)
        ankle, pitch = self._foot(side, t)
        knee = knee_by_ik(hip, ankle, THIGH * H, SHANK * H)
        return {"hip": hip, "knee": knee, **foot_points(ankle, pitch, H)}

    def foot_contact_height(self, side: str, t: np.ndarray) -> np.ndarray:
        """Height above the floor of one foot's lowest sole point (0 = on the floor)."""
        leg = self._leg(side, t)
        return np.minimum(leg["sole_heel"][..., 1], leg["sole_toe"][..., 1])

    @cached_property
    def ground_speed(self) -> float:
        """Walking speed over the ground (m/s) (on a treadmill: the belt speed).

        The speed that lets a foot resting on its footprint follow the reference leg at both
        ends of stance: from the heel ahead of the hip at contact to the toe behind it at toe
        off, the hip passes the reach of both plus the foot's length (mean of both legs).
        """
        H = self.stature
        strike = self.schedule.right_strikes
        stance = TOE_OFF * self.schedule.stride_time()
        travel = []
        for side in SIDES:
            t0 = self._contact_times(side)[len(strike) // 2]
            t = np.array([t0, t0 + stance])
            leg = self._reference_leg(side, t)
            travel.append(leg["sole_heel"][0, 0] + FOOT * H - leg["sole_toe"][1, 0])
        return float(np.mean(travel) / stance)

    @property
    def speed(self) -> float:
        """How fast the walker moves through the room (m/s): 0 on a treadmill."""
        return 0.0 if self.treadmill else self.ground_speed

    @property
    def belt_speed(self) -> float:
        """On a treadmill the belt carries the stance foot back at the would-be walking speed."""
        return self.ground_speed

    # ---- whole body at one instant ----------------------------------------------------------
    def pose(self, t: float) -> Frame3D:
        """The full skeleton at time t (seconds)."""
        H = self.stature
        p = self.posture
        ta = np.array([t])
        obliquity, yaw = (v[0] for v in self._hip_offsets(ta))
        phase_left = float(self.schedule.cycles(t, "left"))
        phase_right = float(self.schedule.cycles(t, "right"))
        sway = -0.018 * np.sin(2 * np.pi * phase_left)  # towards the stance leg
        # Ground frame → room: a treadmill belt carries the ground back under the walker.
        shift = np.array([self.speed * t - self.ground_speed * t, 0.0, 0.0])
        height = self.pelvis_height(ta)
        pelvis = np.array([self.ground_speed * t, float(height[0]), sway]) + shift
        pts: dict[str, np.ndarray] = {"pelvis": pelvis}

        for side in SIDES:
            hip = pelvis + self._hip_joint(side, np.array([obliquity]), np.array([yaw]))[0]
            leg = self._leg(side, ta, height)
            pts[f"{side.upper()}_HIP"] = hip
            for key, value in leg.items():
                if key != "hip":
                    pts[f"{side}_{key}"] = np.array([value[0, 0], value[0, 1], hip[2]]) + shift
            pts[f"{side.upper()}_KNEE"] = pts[f"{side}_knee"]
            pts[f"{side.upper()}_ANKLE"] = pts[f"{side}_ankle"]
            pts[f"{side.upper()}_HEEL"] = pts[f"{side}_heel"]
            pts[f"{side.upper()}_FOOT_INDEX"] = pts[f"{side}_toe"]
        hip_mid = 0.5 * (pts["LEFT_HIP"] + pts["RIGHT_HIP"])

        # Trunk: a straight line from mid-hip to mid-shoulder at the posture's lean.
        lean = p.trunk_lean_deg + 0.8 * np.sin(4 * np.pi * phase_right)
        trunk_dir = _unit(np.array([np.tan(_deg(lean)), 1.0, np.tan(_deg(p.lateral_lean_deg))]))
        shoulder_mid = hip_mid + TRUNK * H * trunk_dir
        tilt = _deg(p.shoulder_tilt_deg)
        twist = -0.8 * yaw
        shoulder_line = np.array([np.sin(twist) * np.cos(tilt), -np.sin(tilt),
                                  np.cos(twist) * np.cos(tilt)])
        for side in SIDES:
            pts[f"{side.upper()}_SHOULDER"] = shoulder_mid + 0.5 * SHOULDER_WIDTH * H * SIGN[side] * shoulder_line
        up = trunk_dir
        right = _unit(shoulder_line - np.dot(shoulder_line, up) * up)
        forward = np.cross(up, right)
        pts["shoulder_mid"] = shoulder_mid
        pts["hip_mid"] = hip_mid

        # Arms swing in the sagittal plane of the trunk (the chest twist does not turn it), so
        # the drawn side-view swing is exactly the posture's.
        arm_right = _unit(Z - np.dot(Z, up) * up)
        self._arms(pts, np.cross(up, arm_right), up, arm_right, phase_left, phase_right)
        head_axes = self._head(pts, shoulder_mid)
        pelvis_right = _unit(pts["RIGHT_HIP"] - pts["LEFT_HIP"])
        pelvis_axes = (np.cross(Y, pelvis_right), Y, pelvis_right)
        return Frame3D(points=pts, trunk_axes=(forward, up, right), pelvis_axes=pelvis_axes,
                       head_axes=head_axes)

    def _arms(self, pts: dict, forward: np.ndarray, up: np.ndarray, right: np.ndarray,
              phase_left: float, phase_right: float) -> None:
        """Shoulder→elbow swings opposite the contralateral leg; the elbow flexes forward."""
        H = self.stature
        p = self.posture
        offset = -4.0
        for side in SIDES:
            amplitude = p.arm_swing_left_deg if side == "left" else p.arm_swing_right_deg
            other = phase_right if side == "left" else phase_left
            wave = np.cos(2 * np.pi * other)  # +1 when the other leg strikes: this arm forward
            swing = _deg(offset + 0.5 * amplitude * wave)
            abduct = _deg(p.elbow_flare_deg)
            s = SIGN[side]
            upper = (np.sin(swing) * np.cos(abduct) * forward - np.cos(swing) * np.cos(abduct) * up
                     + s * np.sin(abduct) * right)
            shoulder = pts[f"{side.upper()}_SHOULDER"]
            elbow = shoulder + UPPER_ARM * H * upper
            flex = _deg(np.clip(20.0 + 0.5 * (np.degrees(swing) - offset) + 6.0 * wave * (amplitude > 0), 8.0, 70.0))
            bend = _unit(forward - np.dot(forward, upper) * upper)
            fore = np.cos(flex) * upper + np.sin(flex) * bend
            towards_mid = _deg(p.arm_midline_deg) * max(0.0, wave)
            side_axis = _unit(right - np.dot(right, fore) * fore)
            fore = _unit(np.cos(towards_mid) * fore - s * np.sin(towards_mid) * side_axis)
            wrist = elbow + FOREARM * H * fore
            hand_dir = _unit(fore + 0.25 * bend)
            name = side.upper()
            pts[f"{name}_ELBOW"] = elbow
            pts[f"{name}_WRIST"] = wrist
            pts[f"{name}_INDEX"] = wrist + 0.75 * HAND * H * hand_dir + 0.012 * H * forward
            pts[f"{name}_PINKY"] = wrist + 0.68 * HAND * H * hand_dir - 0.012 * H * forward
            pts[f"{name}_THUMB"] = wrist + 0.42 * HAND * H * hand_dir + 0.025 * H * forward - 0.01 * H * s * right
            pts[f"{side}_hand_tip"] = wrist + 0.8 * HAND * H * hand_dir

    def _head(self, pts: dict, shoulder_mid: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Ears over the shoulders at the head-forward angle; pitch and tilt turn the head."""
        H = self.stature
        p = self.posture
        neck_dir = _unit(np.array([np.tan(_deg(p.head_forward_deg)), 1.0,
                                   np.tan(_deg(p.lateral_lean_deg))]))
        ear_mid = shoulder_mid + NECK_TO_EAR * H * neck_dir
        # The eye sits EYE_RISE above and EYE_AHEAD in front of the ear; the head turns down
        # from level by the posture's head pitch, so the ear→eye line reads that pitch below
        # its level-head line.
        pitch = _deg(p.head_pitch_deg)
        tilt = _deg(p.head_tilt_deg)
        f = np.array([np.cos(pitch), -np.sin(pitch), 0.0])
        r = np.cos(tilt) * Z + np.sin(tilt) * np.cross(f, Z)
        u = np.cross(r, f)
        centre = ear_mid + 0.003 * H * f + 0.012 * H * u
        pts["head_centre"] = centre
        pts["ear_mid"] = ear_mid
        pts["neck_top"] = ear_mid - 0.03 * H * u
        for side in SIDES:
            s = SIGN[side]
            name = side.upper()
            eye = ear_mid + EYE_AHEAD * H * f + EYE_RISE * H * u + 0.02 * H * s * r
            pts[f"{name}_EYE"] = eye
            pts[f"{name}_EYE_INNER"] = eye - 0.008 * H * s * r
            pts[f"{name}_EYE_OUTER"] = eye + 0.008 * H * s * r
            pts[f"{name}_EAR"] = ear_mid + 0.047 * H * s * r
            pts[f"MOUTH_{name}"] = centre + 0.045 * H * f - 0.045 * H * u + 0.014 * H * s * r
        pts["NOSE"] = centre + 0.066 * H * f - 0.024 * H * u
        pts["nose_root"] = centre + 0.05 * H * f - 0.008 * H * u
        return f, u, r


def place(points: dict[str, np.ndarray], origin: np.ndarray, heading_deg: float) -> dict[str, np.ndarray]:
    """Walker coordinates → world: rotate by the heading about the vertical, then shift."""
    h = np.radians(heading_deg)
    rot = np.array([[np.cos(h), 0.0, np.sin(h)], [0.0, 1.0, 0.0], [-np.sin(h), 0.0, np.cos(h)]])
    return {k: origin + rot @ v for k, v in points.items()}


def rotate_axes(axes: tuple[np.ndarray, ...], heading_deg: float) -> tuple[np.ndarray, ...]:
    """Turn direction vectors by the heading (no shift)."""
    h = np.radians(heading_deg)
    rot = np.array([[np.cos(h), 0.0, np.sin(h)], [0.0, 1.0, 0.0], [-np.sin(h), 0.0, np.cos(h)]])
    return tuple(rot @ a for a in axes)

