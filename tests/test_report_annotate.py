"""The annotated video: a WebM (VP8) with a frame for every frame of the clip, written
atomically; a saved series whose clip is gone is refused before anything is written."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
from sample_reports import run_analyze, sample_series

from gaitcheck.report.annotate import annotated_paths, live_status, nearest_row
from gaitcheck.series import load_series, save_series


def test_annotated_webm_has_every_frame(tmp_path_factory, tmp_path):
    import cv2

    series_path = sample_series(tmp_path_factory, "walk_front_elbows_out")
    series = load_series(series_path)
    video = tmp_path / "walk.webm"
    code, _, err = run_analyze(series_path, "--annotate", video, "-q")
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["walk.webm"]  # no temporary left behind
    assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML: Matroska/WebM
    capture = cv2.VideoCapture(str(video))
    count, first = 0, None
    while True:
        ok, image = capture.read()
        if not ok:
            break
        first = image if first is None else first
        count += 1
    capture.release()
    probe = cv2.VideoCapture(series.source)
    expected = int(probe.get(cv2.CAP_PROP_FRAME_COUNT))
    probe.release()
    assert count == expected
    assert first.shape[:2] == (series.height, series.width)


def test_annotate_needs_the_clip(tmp_path_factory, tmp_path):
    series = load_series(sample_series(tmp_path_factory, "walk_front_elbows_out"))
    orphan = tmp_path / "orphan.npz"
    save_series(replace(series, source=str(tmp_path / "gone.mp4")), orphan)
    code, _, err = run_analyze(orphan, "--annotate", tmp_path / "out.webm", "-q")
    assert code == 2 and "not at hand" in err
    assert not (tmp_path / "out.webm").exists()


def test_helpers():
    indices = np.array([0, 2, 4, 6])
    assert [nearest_row(indices, f) for f in (0, 1, 3, 6, 9, 10)] == [0, 0, 1, 3, 3, None]
    threshold = {"kind": "max", "pass": 8.0, "warn": 10.0}
    assert [live_status(v, threshold) for v in (-5.0, 9.0, -12.0)] == ["pass", "warn", "fail"]
    assert live_status(float("nan"), threshold) == ""
    ceiling = {"kind": "upper", "pass": 10.0, "warn": 15.0}
    assert [live_status(v, ceiling) for v in (-30.0, 12.0, 16.0)] == ["pass", "warn", "fail"]
    assert [p.name for p in annotated_paths("out/a.webm", ["x/side.mp4", "front.mp4"])] == ["a.side.webm", "a.front.webm"]
