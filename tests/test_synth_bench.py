"""bench/accuracy.py scores reports against synthetic truth the way its docstring says."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from gaitcheck.synth.clip import ClipSpec, compute_truth

BENCH = Path(__file__).resolve().parent.parent / "bench" / "accuracy.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_accuracy", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_perfect_report_scores_zero_error_and_full_agreement(bench):
    truth = compute_truth(ClipSpec(preset="slouch", view="side", seed=2, duration=3))
    report = {"view": {"camera": "side", "direction": truth["view"]["direction"]},
              "metrics": {k: {"value": m["value"]} for k, m in truth["metrics"].items() if m["value"] is not None},
              "rules": [{"id": r["id"], "status": r["status"]} for r in truth["rules"]]}
    summary = bench.summarise_reports([(report, truth)])
    assert summary["verdict_match"] == 1.0 and summary["view_match"] == 1.0
    assert all(v == 0 for v in summary["metric_mae"].values())
    assert "trunk_lean_deg" in summary["metric_mae"]


def test_errors_and_wrong_verdicts_are_counted(bench):
    truth = compute_truth(ClipSpec(preset="slouch", view="side", seed=2, duration=3))
    lean = truth["metrics"]["trunk_lean_deg"]["value"]
    report = {"view": {"camera": "front"},
              "metrics": {"trunk_lean_deg": {"value": lean - 4.0}},
              "rules": [{"id": "stand_tall", "status": "pass"}]}  # truth says fail
    summary = bench.summarise_reports([(report, truth)])
    assert summary["metric_mae"] == {"trunk_lean_deg": pytest.approx(4.0)}
    assert summary["verdict_match_per_rule"]["stand_tall"] == 0.0
    assert summary["view_match"] == 0.0
    assert summary["verdict_match"] < 1.0


def test_a_wrong_walking_direction_is_a_wrong_view(bench):
    """Issue #4 asks for view *and* direction on every clip."""
    truth = compute_truth(ClipSpec(preset="good", view="side", seed=2, duration=3))
    other = {"left_to_right": "right_to_left", "right_to_left": "left_to_right"}[truth["view"]["direction"]]
    report = {"view": {"camera": "side", "direction": other}, "metrics": {}, "rules": []}
    assert bench.summarise_reports([(report, truth)])["view_match"] == 0.0


def test_relative_targets_are_scored_as_a_share_of_the_truth(bench):
    """Arm swing's target is relative (within 15%): an arm reading 10% over its truth scores
    10%, while an arm held still (drawn 0°) is left out of the relative figure."""
    swinging = compute_truth(ClipSpec(preset="good", view="side", seed=2, duration=3))
    still = compute_truth(ClipSpec(preset="stiff_arms", view="side", seed=2, duration=3))
    pairs = []
    for truth in (swinging, still):
        metrics = {k: {"value": m["value"]} for k, m in truth["metrics"].items() if m["value"] is not None}
        metrics["arm_swing_left_deg"] = {"value": 1.1 * truth["metrics"]["arm_swing_left_deg"]["value"] + 0.5 * (truth is still)}
        pairs.append(({"view": truth["view"], "metrics": metrics, "rules": []}, truth))
    relative = bench.summarise_reports(pairs)["metric_relative"]["arm_swing_left_deg"]
    assert relative["n"] == 1 and relative["mean"] == pytest.approx(0.1)
