"""The room behind the walker: a floor, a far wall with doors, windows and posters, floor
boards running towards the wall. World-anchored polygons, so a panning camera sees the room
move and the floor–wall line shows the camera roll.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitcheck.synth.camera import UP, Camera
from gaitcheck.synth.look import Scenery


@dataclass(frozen=True)
class Patch:
    """A flat world polygon (n, 3) and its BGR colour."""

    corners: np.ndarray
    colour: tuple[int, int, int]


def _shade(colour: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(int(np.clip(c * factor, 0, 255)) for c in colour)  # type: ignore[return-value]


def _rect(origin: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.array([origin, origin + a, origin + a + b, origin + b])


def build_room(camera: Camera, scenery: Scenery, duration: float, rng: np.random.Generator,
               wall_distance: float) -> list[Patch]:
    """Patches to paint in order (far to near) for a camera whose wall is `wall_distance` away."""
    fwd, right = camera.forward, camera.right
    base = camera.position * np.array([1.0, 0.0, 1.0])
    reach = 1.6 * camera.width / camera.focal * wall_distance + abs(camera.pan_speed) * duration + 6.0
    wall_foot = base + fwd * wall_distance - right * reach
    patches = [Patch(_rect(wall_foot, 2 * reach * right, 4.0 * UP), scenery.wall)]
    patches.append(Patch(_rect(wall_foot, 2 * reach * right, 0.12 * UP), _shade(scenery.wall, 0.7)))
    floor_near = base + fwd * 0.25 - right * reach
    patches.append(Patch(_rect(floor_near, 2 * reach * right, fwd * (wall_distance - 0.25)), scenery.floor))
    spacing = float(rng.uniform(0.5, 1.2))
    for a in np.arange(-reach, reach, spacing):
        start = base + fwd * 0.25 + right * a
        patches.append(Patch(_rect(start, 0.025 * right, fwd * (wall_distance - 0.25)),
                             _shade(scenery.floor, 0.8)))
    a = -reach + float(rng.uniform(0.0, 1.5))
    while a < reach:
        kind = int(rng.integers(3))
        colour = scenery.accents[int(rng.integers(len(scenery.accents)))]
        foot = base + fwd * (wall_distance - 0.01) + right * a
        if kind == 0:  # door
            w, h, lift = 0.9, 2.05, 0.0
        elif kind == 1:  # window
            w, h, lift = float(rng.uniform(0.8, 1.6)), 1.0, 1.0
        else:  # poster / picture
            w, h, lift = float(rng.uniform(0.4, 0.8)), float(rng.uniform(0.5, 0.9)), 1.3
        patches.append(Patch(_rect(foot + lift * UP, w * right, h * UP), colour))
        a += w + float(rng.uniform(0.8, 3.0))
    return patches


def clip_near(points: np.ndarray, camera: Camera, t: float, near: float = 0.2) -> np.ndarray:
    """Cut a convex world polygon to the part at least `near` metres in front of the camera."""
    depth = camera.depth(points, t) - near
    out = []
    n = len(points)
    for i in range(n):
        p, q = points[i], points[(i + 1) % n]
        dp, dq = depth[i], depth[(i + 1) % n]
        if dp >= 0:
            out.append(p)
        if (dp >= 0) != (dq >= 0):
            out.append(p + (q - p) * (dp / (dp - dq)))
    return np.array(out)
