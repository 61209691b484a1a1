"""Cameras: where the phone stands for each view, and how world points become pixels.

The walker is projected with weak perspective about its pelvis (one scale per instant, the
scale of a pinhole camera at the pelvis depth): a person seen from a few metres is close to
that, the figure still grows as it walks towards the camera, and every drawn angle is exactly
the angle the posture sets. The scenery uses full perspective. A camera roll (a tilted phone)
turns the whole picture about the image centre after drawing.

Views: "side" (direction left_to_right or right_to_left), "front" (walking towards the
camera), "back" (walking away) and "oblique" (towards the camera at 45°, crossing the picture
left_to_right or right_to_left).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VIEWS = ("side", "front", "back", "oblique")
SIDE_DIRECTIONS = ("left_to_right", "right_to_left")
DIRECTION_OF_VIEW = {"front": "towards", "back": "away"}
UP = np.array([0.0, 1.0, 0.0])


@dataclass(frozen=True)
class Camera:
    """A level pinhole camera that may pan along world x, then rolled by `roll_deg`.

    `roll_deg` > 0 turns the picture counter-clockwise on screen (the floor line rises to the
    right). Pixel coordinates: x right, y down, in the output frame.
    """

    position: np.ndarray  # at t = 0
    forward: np.ndarray  # unit, horizontal
    focal: float  # pixels
    cx: float
    cy: float
    width: int
    height: int
    roll_deg: float = 0.0
    pan_speed: float = 0.0  # m/s along world x (a tracking shot)

    @property
    def right(self) -> np.ndarray:
        return np.cross(self.forward, UP)

    def at(self, t: float) -> np.ndarray:
        """Camera position at time t."""
        return self.position + np.array([self.pan_speed * t, 0.0, 0.0])

    def depth(self, points: np.ndarray, t: float) -> np.ndarray:
        """Distance of points (…, 3) along the viewing direction."""
        return (points - self.at(t)) @ self.forward

    def perspective(self, points: np.ndarray, t: float) -> np.ndarray:
        """Level (unrolled) pixel coordinates of world points (…, 3) by full perspective."""
        rel = points - self.at(t)
        z = np.maximum(rel @ self.forward, 1e-3)
        return np.stack([self.cx + self.focal * (rel @ self.right) / z,
                         self.cy - self.focal * (rel @ UP) / z], -1)

    def weak(self, points: np.ndarray, ref: np.ndarray, t: float) -> tuple[np.ndarray, float]:
        """Level pixel coordinates of a body's points by weak perspective about `ref`.

        Returns the coordinates and the scale (pixels per metre) used.
        """
        centre = self.perspective(ref, t)
        scale = self.focal / float(self.depth(ref, t))
        rel = points - ref
        return np.stack([centre[0] + scale * (rel @ self.right),
                         centre[1] - scale * (rel @ UP)], -1), scale

    def roll_matrix(self) -> np.ndarray:
        """2×3 affine taking level pixel coordinates to the rolled output frame."""
        a = np.radians(self.roll_deg)
        c, s = np.cos(a), np.sin(a)
        ox, oy = self.width / 2.0, self.height / 2.0
        # Counter-clockwise on screen with y down.
        rot = np.array([[c, s], [-s, c]])
        return np.hstack([rot, (np.array([ox, oy]) - rot @ np.array([ox, oy]))[:, None]])

    def roll(self, level: np.ndarray) -> np.ndarray:
        """Level pixel coordinates (…, 2) → output pixel coordinates."""
        m = self.roll_matrix()
        return level @ m[:, :2].T + m[:, 2]

    def unroll(self, pixels: np.ndarray) -> np.ndarray:
        """Output pixel coordinates → level coordinates (undo the roll)."""
        m = self.roll_matrix()
        return (pixels - m[:, 2]) @ np.linalg.inv(m[:, :2]).T


def walking_direction(view: str, direction: str | None) -> str:
    """The direction label of a view: side/oblique views cross the screen, front/back don't."""
    if view in ("side", "oblique"):
        return direction or "left_to_right"
    return DIRECTION_OF_VIEW[view]


def frame_camera(view: str, direction: str, speed: float, duration: float, stature: float,
                 width: int, height: int, roll_deg: float, rng: np.random.Generator) -> Camera:
    """A camera that keeps a walker going from x=0 along +x (z=0) at `speed` in frame.

    Side views pan with the walker when the walk is too long to fit at a usable size.
    """
    travel = speed * duration
    if view == "side":
        distance = 5.0 + rng.uniform(-0.5, 0.5)
        scale = min(0.66 * height / stature, 0.84 * width / (travel + 1.0))
        pan = 0.0
        if scale < 0.5 * height / stature:  # too long to fit: track the walker instead
            scale = 0.62 * height / stature
            pan = speed
        side = 1.0 if direction == "left_to_right" else -1.0
        start_x = 0.0 if pan else travel / 2.0
        position = np.array([start_x + rng.uniform(-0.1, 0.1), 1.0, side * distance])
        forward = np.array([0.0, 0.0, -side])
        focal = scale * distance
        # Centre the figure vertically: mid-body (0.5 stature) at mid-frame.
        cy = height / 2.0 - scale * (1.0 - 0.5 * stature)
        return Camera(position, forward, focal, width / 2.0, cy, width, height, roll_deg, pan)
    near = 2.9 + rng.uniform(-0.2, 0.2)
    cam_height = 0.5 * stature
    focal = 0.82 * height * near / stature
    lateral = rng.uniform(-0.25, 0.25)
    if view == "oblique":
        # Ahead of the walker and 45° to one side, looking at the middle of the walk.
        side = 1.0 if direction == "left_to_right" else -1.0
        near += 0.6
        azimuth = np.radians(45.0 + rng.uniform(-5.0, 5.0))
        position = np.array([travel + near * np.cos(azimuth), cam_height, side * near * np.sin(azimuth)])
        target = np.array([travel / 2.0, cam_height, 0.0])
        forward = (target - position) / np.linalg.norm(target - position)
        focal = 0.8 * height * near / stature
        return Camera(position, forward, focal, width / 2.0, height / 2.0, width, height, roll_deg)
    if view == "front":
        position = np.array([travel + near, cam_height, lateral])
        forward = np.array([-1.0, 0.0, 0.0])
    else:
        position = np.array([-near, cam_height, lateral])
        forward = np.array([1.0, 0.0, 0.0])
    return Camera(position, forward, focal, width / 2.0, height / 2.0, width, height, roll_deg)
