"""A second look at the frames where the walker went missing: zoom in where they should be.

The pose detector sees the whole frame shrunk to 224×224, so a walker far from the camera
(a back view walking away, a front view still far off) can be a few dozen pixels tall there
and be missed, while the frames around show where they are. For each such frame near the
walker's track, predict the walker's box from the nearest sightings (interpolated inside a
gap, held and widened before the first and after the last), crop it, and run the model on
the crop in still-image mode. A find counts only if it is where and as big as predicted.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitcheck import video

from gaitcheck.pose import Pose, PoseEstimator
from gaitcheck.track import body_height, hip_centre


REACH_S = 2.0  # how far before the first / after the last sighting to look
BOX_SIDE = 2.4  # crop side in body heights (shoulder→ankle), around the hips
GROWTH_PER_S = 0.6  # extra body heights of crop per second away from a sighting
MAX_SIDE = 3.6
SAME_PERSON = 0.5  # hips closer than this many body heights belong to one person
MIN_INSIDE = 0.5  # share of a predicted box that must lie in the picture to be worth a look
EDGE_REACH_S = 0.4  # … unless it is this close to a sighting
READ_THROUGH = 60  # frames between two wanted ones below which decoding on beats a seek


@dataclass(frozen=True)
class Box:
    """A square crop: centre and side in frame pixels."""

    cx: float
    cy: float
    side: float
    height: float  # the predicted body height
    away_s: float = 0.0  # time to the nearest sighting

    def inside_share(self, width: int, height: int) -> float:
        """The share of the box that lies inside a width × height picture."""
        x0, y0, x1, y1 = self.bounds()
        inside = max(0, min(x1, width) - max(x0, 0)) * max(0, min(y1, height) - max(y0, 0))
        return inside / max((x1 - x0) * (y1 - y0), 1)

    def bounds(self) -> tuple[int, int, int, int]:
        half = self.side / 2
        return (int(round(self.cx - half)), int(round(self.cy - half)),
                int(round(self.cx + half)), int(round(self.cy + half)))


def predict_boxes(
    sighted: np.ndarray, centres: np.ndarray, heights: np.ndarray, times: np.ndarray, reach_s: float = REACH_S
) -> dict[int, Box]:
    """Boxes where the walker should be in each missing frame within reach of a sighting.

    sighted: (T,) bool; centres: (T, 2) hip centres; heights: (T,) body heights (NaN unsighted).
    """
    seen = np.flatnonzero(sighted)
    boxes: dict[int, Box] = {}
    if len(seen) == 0:
        return boxes
    for frame in np.flatnonzero(~sighted):
        t = times[frame]
        after = seen[seen > frame]
        before = seen[seen < frame]
        if len(before) and len(after):
            a, b = before[-1], after[0]
            w = (t - times[a]) / max(times[b] - times[a], 1e-9)
            centre = (1 - w) * centres[a] + w * centres[b]
            height = (1 - w) * heights[a] + w * heights[b]
            away = min(t - times[a], times[b] - t)
        else:
            nearest = before[-1] if len(before) else after[0]
            away = abs(t - times[nearest])
            if away > reach_s:
                continue
            centre, height = centres[nearest], heights[nearest]
        side = height * min(BOX_SIDE + GROWTH_PER_S * away, MAX_SIDE)
        boxes[int(frame)] = Box(float(centre[0]), float(centre[1]), float(side), float(height), float(away))
    return boxes


def crop(image: np.ndarray, box: Box, scale: float) -> tuple[np.ndarray, float, float]:
    """Cut the box (in frame pixels) out of an image scaled by `scale`; pad outside the frame.

    Returns the crop and the frame-pixel position of its top-left corner.
    """
    import cv2

    x0, y0, x1, y1 = (round(v * scale) for v in box.bounds())
    h, w = image.shape[:2]
    pad = max(0, -x0, -y0, x1 - w, y1 - h)
    if pad:
        image = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT)
    cut = image[y0 + pad:y1 + pad, x0 + pad:x1 + pad]
    return cut, x0 / scale, y0 / scale


def look_again(
    path: str | Path,
    boxes: dict[int, Box],
    frame_index: Sequence[int],
    frame_size: tuple[int, int],
    *,
    turn: int = 0,
    model: str | Path | None = None,
    others: dict[int, list[np.ndarray]] | None = None,
) -> dict[int, Pose]:
    """Run the model on the predicted crops; return the accepted poses by analysed-frame number.

    `frame_index` maps analysed-frame numbers to clip frame indices (they differ with a stride).
    `others` holds, per analysed frame, the hip centres of the other people the first pass
    found: a find standing on one of them is that person, not the walker.
    """
    # A box mostly outside the picture, more than a moment from a sighting, is a walker who
    # has left it: on sports2d_side_older_woman 72 of 96 boxes lay half outside and found
    # nobody; on the bg_side clips such boxes found the walker only within 0.33 s of a sighting.
    boxes = {k: box for k, box in boxes.items()
             if box.inside_share(*frame_size) >= MIN_INSIDE or box.away_s <= EDGE_REACH_S}
    if not boxes:
        return {}
    wanted = {frame_index[k]: k for k in boxes}
    # one thread: a second landmarker would cost ~60 MB for a stage that takes a second or two
    return _look_in(path, stretches(sorted(wanted)), wanted, boxes, frame_size, turn, model, others or {})


def _look_in(path, runs, wanted: dict[int, int], boxes: dict[int, Box], frame_size, turn, model,
             others: dict[int, list[np.ndarray]]) -> dict[int, Pose]:
    import cv2

    found: dict[int, Pose] = {}
    with PoseEstimator(model, max_persons=1, video=False) as estimator:
        for first, last in runs:
            for frame in video.frames(path, turn=turn, start=first, stop=last + 1):
                k = wanted.get(frame.index)
                if k is None:
                    continue
                box = boxes[k]
                scale = frame.image.shape[1] / frame_size[0]
                cut, left, top = crop(frame.image, box, scale)
                if cut.size == 0:
                    continue
                side_px = cut.shape[1]
                poses = estimator.detect(cv2.cvtColor(cut, cv2.COLOR_BGR2RGB))
                for pose in poses:
                    mapped = _to_frame(pose, side_px / box.side, left, top)
                    if _plausible(mapped, box) and not _someone_else(mapped, others.get(k, [])):
                        found[k] = mapped
                        break
    return found


def stretches(indices: Sequence[int], join_within: int = READ_THROUGH) -> list[tuple[int, int]]:
    """Sorted frame indices as (first, last) runs to decode: indices closer than
    `join_within` frames share a run (reading on is cheaper than seeking, which decodes from
    the keyframe before), farther ones start a new run with a seek."""
    runs: list[tuple[int, int]] = []
    for index in indices:
        if runs and index - runs[-1][1] <= join_within:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


def _to_frame(pose: Pose, pixels_per_frame_pixel: float, left: float, top: float) -> Pose:
    factor = 1.0 / pixels_per_frame_pixel
    xy = pose.xy * factor + np.array([left, top], dtype=np.float32)
    return Pose(xy=xy.astype(np.float32), z=pose.z * factor, visibility=pose.visibility,
                presence=pose.presence, world=pose.world)


def _plausible(pose: Pose, box: Box) -> bool:
    """The find must stand where the box predicted and be about the predicted size."""
    centre = hip_centre(pose.xy)
    height = body_height(pose.xy)
    near = np.hypot(centre[0] - box.cx, centre[1] - box.cy) <= box.side / 2
    return bool(near and 0.6 <= height / box.height <= 1.67)


def _someone_else(pose: Pose, other_hips: list[np.ndarray]) -> bool:
    """Whether the find stands where the first pass already saw another person."""
    centre, height = hip_centre(pose.xy), body_height(pose.xy)
    return any(np.hypot(*(centre - hips)) < SAME_PERSON * height for hips in other_hips)
