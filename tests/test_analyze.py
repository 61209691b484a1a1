"""`gaitcheck analyze`: report-v1 JSON on a sample clip, and the same report from its saved
series without running the pose model."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from cli_probe import analyze_loads_mediapipe

REPO = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((REPO / "gaitcheck" / "report" / "report-v1.schema.json").read_text())
DESIGN_METRICS = {
    "trunk_lean_deg", "lateral_trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "head_tilt_deg",
    "shoulder_tilt_deg", "pelvic_drop_deg", "elbow_flare_deg", "arm_swing_left_deg", "arm_swing_right_deg",
    "arm_swing_asymmetry_pct", "arm_leg_coordination", "arm_midline_crossing", "cadence_spm",
    "step_time_asymmetry_pct", "step_length_asymmetry_pct", "stride_time_cv_pct", "heel_strike_pct",
}


@pytest.fixture(scope="module")
def slouch(tmp_path_factory):
    """The slouch sample analysed once: (json report, saved series path)."""
    out = tmp_path_factory.mktemp("analyze")
    report, series = out / "slouch.json", out / "slouch.npz"
    done = subprocess.run([sys.executable, "-m", "gaitcheck", "analyze", str(REPO / "samples" / "walk_side_slouch.mp4"),
                           "--json", str(report), "--save-series", str(series), "-q"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads(report.read_text()), series


def test_report_follows_the_contract(slouch):
    report, _ = slouch
    jsonschema.validate(report, SCHEMA)
    assert set(report["metrics"]) >= DESIGN_METRICS
    assert report["view"]["camera"] == "side"
    assert report["detection"]["frames_with_subject"] > 0.95
    assert len(report["rules"]) == 10
    stand_tall = next(rule for rule in report["rules"] if rule["id"] == "stand_tall")
    assert stand_tall["status"] in ("warn", "fail")  # the slouch sample leans 16° forward
    assert report["metrics"]["trunk_lean_deg"]["value"] > 10


def test_saved_series_gives_the_same_report_without_inference(slouch, tmp_path):
    report, series = slouch
    assert not analyze_loads_mediapipe(series, tmp_path / "again.json")
    again = json.loads((tmp_path / "again.json").read_text())
    for name, metric in report["metrics"].items():
        assert again["metrics"][name]["value"] == pytest.approx(metric["value"], abs=1e-6), name
    assert [r["status"] for r in again["rules"]] == [r["status"] for r in report["rules"]]
