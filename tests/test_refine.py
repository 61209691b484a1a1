"""The second look: which predicted crops are worth running the model on."""
from __future__ import annotations

import numpy as np

import gaitcheck.refine as refine
from gaitcheck.refine import Box, predict_boxes, stretches


def test_inside_share_of_a_box():
    assert Box(50, 50, 20, 10).inside_share(100, 100) == 1.0
    assert Box(0, 50, 20, 10).inside_share(100, 100) == 0.5  # half over the left edge
    assert Box(-30, 50, 20, 10).inside_share(100, 100) == 0.0


def test_boxes_carry_their_distance_from_a_sighting():
    sighted = np.array([True, True, False, False, False, True])
    centres = np.tile([[50.0, 50.0]], (6, 1))
    boxes = predict_boxes(sighted, centres, np.full(6, 20.0), np.arange(6) / 10.0)
    assert [round(boxes[k].away_s, 2) for k in (2, 3, 4)] == [0.1, 0.2, 0.1]


def test_a_walker_who_left_the_picture_is_not_looked_for(monkeypatch):
    """Mostly-outside boxes far from any sighting are skipped; near a sighting, or inside, kept."""
    looked: list[int] = []
    monkeypatch.setattr(refine, "_look_in", lambda path, runs, wanted, *rest: looked.extend(sorted(wanted)) or {})
    boxes = {
        1: Box(-5, 50, 40, 20, away_s=0.1),  # mostly outside, just after the last sighting: look
        2: Box(-5, 50, 40, 20, away_s=1.5),  # mostly outside, long gone: skip
        3: Box(50, 50, 40, 20, away_s=1.5),  # inside, however long ago: look
    }
    refine.look_again("clip.mp4", boxes, list(range(10)), (100, 100))
    assert looked == [1, 3]


def test_stretches_join_near_frames_and_seek_to_far_ones():
    assert stretches([1, 2, 5, 200, 230, 900], join_within=60) == [(1, 5), (200, 230), (900, 900)]
