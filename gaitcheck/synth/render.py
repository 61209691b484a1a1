"""Drawing: flat-shaded capsule limbs, an ellipsoid torso and head with face, hair and ears,
painted far to near over the room, then the camera roll, blur and sensor noise.

Every shape is placed from the same projected points the truth is computed from, so what is
drawn is what the truth says.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gaitcheck.synth.camera import Camera
from gaitcheck.synth.look import Look, Scenery
from gaitcheck.synth.scene import Patch, clip_near

SHIFT = 4  # sub-pixel bits for cv2 polygon drawing
_CIRCLE = np.stack([np.cos(np.linspace(0, 2 * np.pi, 24, endpoint=False)),
                    np.sin(np.linspace(0, 2 * np.pi, 24, endpoint=False))], -1)


def _sphere(n: int = 14) -> np.ndarray:
    """Unit-sphere sample points (deterministic)."""
    lat = np.linspace(-np.pi / 2, np.pi / 2, n)
    lon = np.linspace(0, 2 * np.pi, 2 * n, endpoint=False)
    la, lo = np.meshgrid(lat, lon)
    return np.stack([np.cos(la) * np.cos(lo), np.sin(la), np.cos(la) * np.sin(lo)], -1).reshape(-1, 3)


_SPHERE = _sphere()


@dataclass(frozen=True)
class Person:
    """One person at one instant: world points and axes, body size, and look."""

    points: dict[str, np.ndarray]
    trunk_axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    pelvis_axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    head_axes: tuple[np.ndarray, np.ndarray, np.ndarray]
    stature: float
    look: Look


@dataclass(frozen=True)
class Shape:
    """A filled 2D polygon (level pixel coordinates) at a depth, with its colour."""

    depth: float
    polygon: np.ndarray
    colour: tuple[int, int, int]
    outline: bool = True


def shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    """Darker (factor < 1) or lighter version of a BGR colour."""
    return tuple(int(np.clip(c * factor, 0, 255)) for c in colour)  # type: ignore[return-value]


def _hull(points: np.ndarray) -> np.ndarray:
    return cv2.convexHull(points.astype(np.float32)).reshape(-1, 2)


def _capsule(a: np.ndarray, ra: float, b: np.ndarray, rb: float) -> np.ndarray:
    return _hull(np.vstack([a + ra * _CIRCLE, b + rb * _CIRCLE]))


class _Projector:
    """Weak-perspective projection of one person's points at one instant."""

    def __init__(self, camera: Camera, person: Person, t: float) -> None:
        self.camera, self.t = camera, t
        self.ref = person.points["pelvis"]
        _, self.scale = camera.weak(self.ref[None], self.ref, t)

    def __call__(self, points: np.ndarray) -> np.ndarray:
        return self.camera.weak(np.atleast_2d(points), self.ref, self.t)[0]

    def depth(self, point: np.ndarray) -> float:
        return float(self.camera.depth(point, self.t))


def person_shapes(camera: Camera, person: Person, t: float) -> list[Shape]:
    """The person's body parts as depth-tagged 2D polygons."""
    P = person.points
    H = person.stature
    look = person.look
    proj = _Projector(camera, person, t)
    s = proj.scale
    to_cam = camera.at(t) - P["pelvis"]
    to_cam = to_cam / np.linalg.norm(to_cam)
    walker_right = person.pelvis_axes[2]
    facing = float(np.dot(walker_right, to_cam))
    shapes: list[Shape] = []

    def colour_for(side: str, colour: tuple[int, int, int]) -> tuple[int, int, int]:
        near = facing if side == "right" else -facing
        return shade(colour, 0.78) if near < -0.3 else colour

    def capsule(a: str | np.ndarray, ra: float, b: str | np.ndarray, rb: float,
                colour: tuple[int, int, int], bias: float = 0.0) -> None:
        pa = P[a] if isinstance(a, str) else a
        pb = P[b] if isinstance(b, str) else b
        two = proj(np.stack([pa, pb]))
        g = look.girth
        shapes.append(Shape(proj.depth(0.5 * (pa + pb)) + bias,
                            _capsule(two[0], g * ra * H * s, two[1], g * rb * H * s), colour))

    for side in ("left", "right"):
        S = side.upper()
        sleeve = look.shirt
        legwear = look.legwear
        # Legs.
        # Thigh tapering to a narrow knee, then a calf bulge: the knee shows in every view.
        capsule(f"{S}_HIP", 0.064, f"{S}_KNEE", 0.038, colour_for(side, legwear))
        lower = look.skin if look.shorts else legwear
        calf = P[f"{S}_KNEE"] + 0.3 * (P[f"{S}_ANKLE"] - P[f"{S}_KNEE"])
        capsule(f"{S}_KNEE", 0.036, calf, 0.042, colour_for(side, lower))
        capsule(calf, 0.042, f"{S}_ANKLE", 0.025, colour_for(side, lower))
        if look.shorts:
            knee_top = P[f"{S}_HIP"] + 0.55 * (P[f"{S}_KNEE"] - P[f"{S}_HIP"])
            capsule(f"{S}_KNEE", 0.044, knee_top, 0.047, colour_for(side, look.skin), -0.001)
            capsule(f"{S}_HIP", 0.064, knee_top, 0.05, colour_for(side, legwear), -0.002)
        capsule(f"{side}_heel", 0.022, f"{side}_toe_tip", 0.017, colour_for(side, look.shoes), -0.01)
        capsule(f"{S}_ANKLE", 0.019, f"{side}_heel", 0.022, colour_for(side, look.shoes), -0.011)
        # Arms: upper arm, forearm, hand.
        upper = sleeve
        capsule(f"{S}_SHOULDER", 0.043, f"{S}_ELBOW", 0.034, colour_for(side, upper))
        fore = sleeve if look.long_sleeves else look.skin
        capsule(f"{S}_ELBOW", 0.033, f"{S}_WRIST", 0.025, colour_for(side, fore), -0.005)
        capsule(f"{S}_WRIST", 0.024, f"{side}_hand_tip", 0.019, colour_for(side, look.skin), -0.01)

    # Torso: hull of a chest ring and a hip ring. The chest rings lie along the shoulder joint
    # line, not the trunk's own right (which tips with a lateral lean): drawn shoulders that tip
    # while the joints stay level would show a tilt the truth does not have.
    fwd, up, _ = person.trunk_axes
    right = P["RIGHT_SHOULDER"] - P["LEFT_SHOULDER"]
    right = right / np.linalg.norm(right)
    fwd = np.cross(up, right)
    fwd = fwd / np.linalg.norm(fwd)
    pf, _, pr = person.pelvis_axes
    ring = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    g = look.girth  # depth and waist follow the build; the shoulders stay on the joints
    chest = (P["shoulder_mid"] - 0.015 * H * up)[None] + (0.125 * H * np.cos(ring))[:, None] * right \
        + (0.065 * g * H * np.sin(ring))[:, None] * fwd
    waist = (P["hip_mid"] + 0.06 * H * up)[None] + (0.1 * g * H * np.cos(ring))[:, None] * pr \
        + (0.06 * g * H * np.sin(ring))[:, None] * pf
    hips = (P["hip_mid"] - 0.035 * H * up)[None] + (0.105 * g * H * np.cos(ring))[:, None] * pr \
        + (0.068 * g * H * np.sin(ring))[:, None] * pf
    # A smaller ring just above the shoulder line rounds the top into sloping shoulders.
    yoke = (P["shoulder_mid"] + 0.012 * H * up)[None] + (0.085 * H * np.cos(ring))[:, None] * right \
        + (0.04 * g * H * np.sin(ring))[:, None] * fwd
    upper_body = _hull(proj(np.vstack([yoke, chest, waist])))
    shapes.append(Shape(proj.depth(P["hip_mid"] + 0.15 * H * up), upper_body, look.shirt))
    shapes.append(Shape(proj.depth(P["hip_mid"]) + 0.001, _hull(proj(np.vstack([waist, hips]))), look.legwear))
    # Neck and head.
    capsule(P["shoulder_mid"] + 0.02 * H * up, 0.03, "neck_top", 0.027, shade(look.skin, 0.92), 0.02)
    shapes.extend(_head_shapes(proj, person, to_cam))
    return shapes


def _head_shapes(proj: _Projector, person: Person, to_cam: np.ndarray) -> list[Shape]:
    """Face, hair caps, ears, eyes, nose and mouth; features only where they face the camera."""
    P = person.points
    H = person.stature
    look = person.look
    f, u, r = person.head_axes
    s = proj.scale
    centre = P["head_centre"]
    radii = np.array([0.058, 0.066, 0.05]) * H  # along f, u, r
    head_depth = proj.depth(centre) - 0.03 * H
    unit = _SPHERE
    surface = centre + (unit[:, 0:1] * radii[0]) * f + (unit[:, 1:2] * radii[1]) * u + (unit[:, 2:3] * radii[2]) * r
    shapes = [Shape(head_depth, _hull(proj(surface)), look.skin)]
    # Hair: the visible part of a slightly larger shell, top cap and back cap.
    shell_centre = centre - 0.006 * H * f + 0.006 * H * u
    shell = shell_centre + (unit[:, 0:1] * radii[0] * 1.06) * f + (unit[:, 1:2] * radii[1] * 1.06) * u \
        + (unit[:, 2:3] * radii[2] * 1.08) * r
    normals = unit / radii * np.array([1.0, 1.0, 1.0])
    world_n = normals[:, 0:1] * f + normals[:, 1:2] * u + normals[:, 2:3] * r
    visible = world_n @ to_cam > -0.05
    for region in (unit[:, 1] > 0.45, unit[:, 0] < -0.35):
        chosen = shell[visible & region]
        if len(chosen) >= 3:
            shapes.append(Shape(head_depth - 0.001, _hull(proj(chosen)), look.hair, outline=False))
    ear_r = 0.016 * H * s
    facing = float(np.dot(f, to_cam))
    for side, sign in (("LEFT", -1.0), ("RIGHT", 1.0)):
        side_facing = float(np.dot(sign * r, to_cam))
        ear_depth = head_depth + (-0.01 if side_facing > 0.5 else 0.01 * H)
        e = proj(P[f"{side}_EAR"])[0]
        # No dark outline: a ringed ear reads as an eye to the pose model.
        shapes.append(Shape(ear_depth, _hull(e + np.array([0.7, 1.2]) * ear_r * _CIRCLE), shade(look.skin, 0.88), False))
        eye_normal = f + 0.45 * sign * r
        if float(np.dot(eye_normal / np.linalg.norm(eye_normal), to_cam)) > 0.2:
            p = proj(P[f"{side}_EYE"])[0]
            shapes.append(Shape(head_depth - 0.02, _hull(p + np.array([1.1, 0.7]) * 0.009 * H * s * _CIRCLE), (245, 245, 245), False))
            shapes.append(Shape(head_depth - 0.021, _hull(p + 0.0055 * H * s * _CIRCLE), (40, 30, 25), False))
    if facing > -0.25:
        nose = proj(np.stack([P["nose_root"], P["NOSE"]]))
        shapes.append(Shape(head_depth - 0.022, _capsule(nose[0], 0.009 * H * s, nose[1], 0.008 * H * s), shade(look.skin, 0.85), False))
        mouth = proj(np.stack([P["MOUTH_LEFT"], P["MOUTH_RIGHT"]]))
        if facing > 0.3:
            shapes.append(Shape(head_depth - 0.023, _capsule(mouth[0], 0.004 * H * s, mouth[1], 0.004 * H * s), (60, 50, 150), False))
        else:
            front = proj(centre + 0.04 * H * f - 0.045 * H * u)[0]
            near = mouth[0] if float(np.dot(-r, to_cam)) > 0 else mouth[1]
            shapes.append(Shape(head_depth - 0.023, _capsule(near, 0.004 * H * s, front, 0.004 * H * s), (60, 50, 150), False))
    return shapes


def _fill(canvas: np.ndarray, polygon: np.ndarray, colour: tuple[int, int, int], offset: float,
          outline: bool) -> None:
    pts = np.round((polygon + offset) * (1 << SHIFT)).astype(np.int32)
    cv2.fillPoly(canvas, [pts], colour, cv2.LINE_AA, SHIFT)
    if outline:
        cv2.polylines(canvas, [pts], True, shade(colour, 0.6), 1, cv2.LINE_AA, SHIFT)


def draw_frame(camera: Camera, room: list[Patch], people: list[Person], t: float,
               scenery: Scenery, rng: np.random.Generator) -> np.ndarray:
    """One BGR frame of the clip at time t (people are painted far to near)."""
    margin = 0 if camera.roll_deg == 0 else int(0.3 * max(camera.width, camera.height))
    canvas = np.zeros((camera.height + 2 * margin, camera.width + 2 * margin, 3), np.uint8)
    canvas[:] = scenery.wall
    for patch in room:
        corners = clip_near(patch.corners, camera, t)
        if len(corners) >= 3:
            _fill(canvas, camera.perspective(corners, t), patch.colour, margin, False)
    shapes = [shape for person in people for shape in person_shapes(camera, person, t)]
    for shape in sorted(shapes, key=lambda sh: -sh.depth):
        _fill(canvas, shape.polygon, shape.colour, margin, shape.outline)
    if margin:
        m = camera.roll_matrix()
        m = np.hstack([m[:, :2], (m[:, 2] - m[:, :2] @ np.array([margin, margin]))[:, None]])
        canvas = cv2.warpAffine(canvas, m, (camera.width, camera.height), flags=cv2.INTER_LINEAR)
    if scenery.exposure != 1.0:
        canvas = cv2.convertScaleAbs(canvas, alpha=scenery.exposure)
    if scenery.blur_sigma > 0:
        canvas = cv2.GaussianBlur(canvas, (0, 0), scenery.blur_sigma)
    if scenery.noise_sigma > 0:
        noise = rng.normal(0.0, scenery.noise_sigma, canvas.shape)
        canvas = np.clip(canvas.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return canvas
