"""report-v1 JSON: every sample's report follows the shipped schema; two clips of one walk
merge into one report with each metric from the clip whose view measures it."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from sample_reports import SAMPLE_NAMES, run_analyze, sample_series

from gaitcheck.analysis import analyze_path
from gaitcheck.report.json_report import report_dict
from gaitcheck.rules import judge, load_rules

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "gaitcheck" / "report" / "report-v1.schema.json").read_text())
SIDE_ONLY = {"trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "arm_swing_left_deg", "heel_strike_pct"}
FRONT_ONLY = {"shoulder_tilt_deg", "lateral_trunk_lean_deg", "elbow_flare_deg", "head_tilt_deg"}


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_sample_report_follows_the_schema(name, tmp_path_factory):
    analysis = analyze_path(sample_series(tmp_path_factory, name))
    results, verdict = judge(load_rules(), analysis.metrics)
    document = report_dict(analysis, results, verdict)
    jsonschema.validate(document, SCHEMA)
    assert document["inputs"][0]["path"] == document["input"]["path"]
    assert all(metric["source"] == document["input"]["path"] for metric in document["metrics"].values())
    expected_camera = name.split("_")[1]  # walk_<view>_…
    assert document["view"]["camera"] == expected_camera


def test_two_views_merge_into_one_report(tmp_path_factory, tmp_path):
    side = sample_series(tmp_path_factory, "walk_side_slouch")
    front = sample_series(tmp_path_factory, "walk_front_shoulder_tilt")
    out = tmp_path / "both.json"
    code, _, err = run_analyze(side, front, "--json", out, "-q")
    assert code == 0, err
    document = json.loads(out.read_text())
    jsonschema.validate(document, SCHEMA)
    assert [i["camera"] for i in document["inputs"]] == ["side", "front"]
    assert document["input"]["path"] == str(side)
    for name in SIDE_ONLY:
        assert document["metrics"][name]["source"] == str(side), name
    for name in FRONT_ONLY:
        assert document["metrics"][name]["source"] == str(front), name
        assert document["metrics"][name]["value"] is not None, name
    status = {rule["id"]: rule["status"] for rule in document["rules"]}
    # A side clip alone cannot judge shoulders_level; with the front clip every rule is judged.
    assert status["shoulders_level"] != "not_measurable"
    assert status["stand_tall"] == "fail"  # 16° forward lean, from the side clip
    assert "not_measurable" not in status.values()


def test_two_side_clips_walking_opposite_ways_give_the_arm_swing_asymmetry(tmp_path_factory, tmp_path):
    """Each side view measures its near arm only; a walk filmed once each way has both arms, and
    the merged report makes their asymmetry (it was absent: neither clip had it)."""
    there = sample_series(tmp_path_factory, "walk_side_good")  # left to right: the right arm is near
    back = sample_series(tmp_path_factory, "walk_side_stiff_arms")  # right to left: the left arm, held still
    out = tmp_path / "both.json"
    code, _, err = run_analyze(there, back, "--json", out, "-q")
    assert code == 0, err
    document = json.loads(out.read_text())
    jsonschema.validate(document, SCHEMA)
    metrics = document["metrics"]
    left, right = metrics["arm_swing_left_deg"], metrics["arm_swing_right_deg"]
    assert (left["source"], right["source"]) == (str(back), str(there))
    asymmetry = metrics["arm_swing_asymmetry_pct"]
    assert asymmetry["source"] == f"{there} + {back}"
    mean = (left["value"] + right["value"]) / 2
    assert asymmetry["value"] == pytest.approx(100 * abs(left["value"] - right["value"]) / mean, abs=0.01)
    assert asymmetry["value"] > 100  # a still arm against a swinging one
    assert asymmetry["n"] == min(left["n"], right["n"])
