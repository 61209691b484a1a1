"""Clips stored sideways: with a rotation flag the decoder turns them; without one the poses
tell (orientation.py / extract.find_orientation), and extraction comes out upright."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import write_clip
from gaitcheck import video
from gaitcheck.extract import extract, find_orientation
from gaitcheck.landmarks import Landmark

pytestmark = pytest.mark.clips

SHOULDERS = [Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER]
HIPS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP]


def turned_copy(source: Path, target: Path, rotate_code: str | None, frames: int = 24, every: int = 3,
                max_side: int = 480) -> Path:
    """A short, small copy of a real clip with its pixels turned (no rotation flag)."""
    import cv2

    images = []
    for frame in video.frames(source, stride=every, stop=frames * every, max_side=max_side):
        image = frame.image if rotate_code is None else cv2.rotate(frame.image, getattr(cv2, rotate_code))
        images.append(image)
    info = video.probe(source)
    return write_clip(target, images, info.fps / every)


def test_flagless_rotated_clip_is_detected(real_clip):
    clip = real_clip("og_front_2persons_rotated.mp4")
    info = video.probe(clip)
    assert info.rotation == 0 and info.width > info.height  # stored sideways, no flag
    orientation = find_orientation(clip, info)
    assert orientation.turn == 90, orientation
    assert orientation.bodies_found >= 2


def test_upright_real_clip_is_left_alone(real_clip):
    clip = real_clip("bg_side_normal_01.mp4")
    orientation = find_orientation(clip, video.probe(clip))
    assert orientation.turn == 0, orientation
    assert orientation.bodies_found >= 4


@pytest.mark.parametrize("stored_as, needs", [("ROTATE_90_COUNTERCLOCKWISE", 90), ("ROTATE_90_CLOCKWISE", 270)])
def test_real_clip_turned_without_flag_is_detected(real_clip, tmp_path, stored_as, needs):
    # stored turned 270° clockwise (= 90° counter-clockwise) needs a 90° clockwise turn, and back
    clip = turned_copy(real_clip("bg_side_normal_01.mp4"), tmp_path / "sideways.mp4", stored_as)
    info = video.probe(clip)
    assert info.height > info.width and info.rotation == 0
    orientation = find_orientation(clip, info)
    assert orientation.turn == needs, orientation


def test_real_clip_with_rotation_flag_needs_no_turn(real_clip, tmp_path, ffmpeg):
    """A phone-style clip: pixels stored sideways plus a flag. The decoder applies the flag, so
    the pose check must find the bodies already upright (no double turn)."""
    stored = turned_copy(real_clip("bg_side_normal_01.mp4"), tmp_path / "stored.mp4", "ROTATE_90_COUNTERCLOCKWISE")
    flagged = tmp_path / "flagged.mp4"
    ffmpeg("-display_rotation", -90, "-i", stored, "-c", "copy", flagged)  # "turn 90° clockwise to show"
    info = video.probe(flagged)
    assert info.rotation == 90 and info.width > info.height
    orientation = find_orientation(flagged, info)
    assert orientation.turn == 0, orientation


def test_flagless_rotated_clip_is_extracted_upright(real_clip):
    clip = real_clip("og_front_2persons_rotated.mp4")
    found = extract(clip, max_side=640, stride=2)
    series = found.series
    assert found.orientation.turn == 90 and series.turn == 90
    assert (series.width, series.height) == (720, 1280)  # the upright frame
    seen = series.detected
    assert seen.mean() > 0.5, f"subject found in only {seen.mean():.0%} of frames"
    shoulders = np.nanmean(series.xy[seen][:, SHOULDERS], axis=1)
    hips = np.nanmean(series.xy[seen][:, HIPS], axis=1)
    upright = (hips[:, 1] - shoulders[:, 1]) > 2 * np.abs(hips[:, 0] - shoulders[:, 0])
    assert upright.mean() > 0.9, f"trunk upright in only {upright.mean():.0%} of detected frames"
    # in the upright frame's pixels (720 wide), not the stored frame's (1280 wide); a walker
    # leaving by the side has a hip a little outside the picture in the last frames
    hip_x = series.xy[seen][:, HIPS, 0]
    inside = (hip_x >= -50) & (hip_x <= series.width + 50)
    assert inside.mean() > 0.95 and np.all(hip_x < 1.25 * series.width), "coordinates must be in the upright frame"
