"""CSV: the per-frame angle series and the per-stride table, their shape and their agreement
with the report's metrics."""
from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from sample_reports import SAMPLE_NAMES, run_analyze, sample_series

from gaitcheck.report.csv_report import FRAME_HEADER, STRIDE_HEADER, csv_paths

def read(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))

@pytest.fixture(scope="module")
def side_csv(tmp_path_factory):
    """The slouch sample's report and its two CSV files written into a folder."""

    series = sample_series(tmp_path_factory, "walk_side_slouch")
    out = tmp_path_factory.mktemp("csv")
    code, _, err = run_analyze(series, "--csv", out, "--json", out / "report.json", "-q")
    assert code == 0, err
    return json.loads((out / "report.json").read_text()), out / "walk_side_slouch.frames.csv", out / "walk_side_slouch.strides.csv"

def test_frame_table_has_a_row_per_frame_and_every_angle(side_csv):
    report, frames_path, _ = side_csv
    with open(frames_path, newline="", encoding="utf-8") as handle:
        assert tuple(next(csv.reader(handle))) == FRAME_HEADER
    rows = read(frames_path)
    assert len(rows) == report["input"]["frames"]
    times = [float(r["time_s"]) for r in rows]
    assert times == sorted(times)
    lean = np.array([float(r["trunk_lean_deg"]) for r in rows if r["trunk_lean_deg"]])
    assert np.median(lean) == pytest.approx(report["metrics"]["trunk_lean_deg"]["value"], abs=1e-3)
    # A side clip has no frontal angles: those cells are empty, not zeros.
    assert all(r["shoulder_tilt_deg"] == "" for r in rows)

def test_stride_table_matches_the_per_stride_metrics(side_csv):
    report, _, strides_path = side_csv
    rows = read(strides_path)
    assert rows and tuple(rows[0]) == STRIDE_HEADER
    assert {r["side"] for r in rows} == {"left", "right"}
    for r in rows:
        assert float(r["end_s"]) > float(r["start_s"])
        assert float(r["duration_s"]) == pytest.approx(float(r["end_s"]) - float(r["start_s"]), abs=2e-4)
    # The metric takes the strides of one foot; those values appear in the table.
    per_stride = report["metrics"]["arm_swing_left_deg"]["spread"]["per_stride"]
    table = [round(float(r["arm_swing_left_deg"]), 3) for r in rows if r["arm_swing_left_deg"]]
    assert set(per_stride) <= set(table)

def test_strike_times_are_the_ones_the_metrics_use(side_csv):
    """The JSON's and the stride table's strike times are the sub-frame times cadence and the
    step metrics rest on, not their frames' times: steps over the span they give reproduce the
    reported cadence (frame times read 101.6 for 102.0 steps/min on this clip)."""
    report, _, strides_path = side_csv
    strikes = sorted(t for times in report["events"]["heel_strikes_s"].values() for t in times)
    from_report = 60.0 * (len(strikes) - 1) / (strikes[-1] - strikes[0])  # one pass, no turn
    assert from_report == pytest.approx(report["metrics"]["cadence_spm"]["value"], abs=0.02)
    starts = {round(float(r["start_s"]), 3) for r in read(strides_path)}
    assert starts <= {round(t, 3) for t in strikes}

def test_csv_prefix_and_several_clips(tmp_path):
    assert csv_paths(tmp_path / "walk", "a/side.mp4") == (tmp_path / "walk.frames.csv", tmp_path / "walk.strides.csv")
    assert csv_paths(tmp_path / "walk", "side.mp4", several=True)[0] == tmp_path / "walk.side.frames.csv"
    assert csv_paths(tmp_path, "x/side.npz")[1] == tmp_path / "side.strides.csv"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_frame_columns_are_the_series_the_metrics_summarise(name, tmp_path_factory):
    """Each per-frame column named like a metric summarised over frames has that metric's median."""
    from gaitcheck.analysis import analyze_path
    from gaitcheck.report.series_table import FRAME_COLUMNS, frame_series, walk_of

    analysis = analyze_path(sample_series(tmp_path_factory, name))
    columns = frame_series(walk_of(analysis))
    checked = 0
    for column in FRAME_COLUMNS:
        metric = analysis.metrics.get(column)
        if metric is None or not metric.present or metric.basis != "frames":
            continue
        values = columns[column][np.isfinite(columns[column])]
        assert np.median(values) == pytest.approx(metric.value, abs=1e-6), column
        checked += 1
    assert checked >= 2
