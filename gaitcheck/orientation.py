"""Find clips stored sideways without a rotation flag, from the poses: bodies should stand up.

A few frames spread over the clip go through the pose model in still-image mode. If the
bodies found lie on their side (the hip→shoulder line points left or right, or down), the
clip needs turning; if nobody is found upright, the other three turns are tried and the one
that finds the most people wins.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitcheck.landmarks import Landmark
from gaitcheck.pose import Pose

_SHOULDERS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
_HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


@dataclass(frozen=True)
class Orientation:
    """The clockwise turn (0, 90, 180, 270) that makes the clip upright, and how it was found."""

    turn: int
    frames_checked: int
    bodies_found: int
    reason: str


def body_axis_turn(pose: Pose) -> int:
    """The clockwise turn that would stand this body up, from its hip→shoulder direction."""
    up = np.mean(pose.xy[_SHOULDERS], axis=0) - np.mean(pose.xy[_HIPS], axis=0)
    angle = np.degrees(np.arctan2(up[0], -up[1]))  # 0 = pointing up, +90 = pointing right
    if -45 <= angle <= 45:
        return 0
    if 45 < angle <= 135:
        return 270  # head to the right: turn counter-clockwise
    if -135 <= angle < -45:
        return 90  # head to the left: turn clockwise
    return 180


def vote(poses_per_frame: list[list[Pose]]) -> tuple[int, int]:
    """The most common stand-up turn over the frames' main bodies, and how many voted."""
    votes = [body_axis_turn(poses[0]) for poses in poses_per_frame if poses]
    if not votes:
        return 0, 0
    values, counts = np.unique(votes, return_counts=True)
    return int(values[np.argmax(counts)]), len(votes)
