"""Rules: the bundled file, a user's overrides, malformed files, statuses and the verdict."""
from __future__ import annotations

import pytest

from gaitcheck.errors import InputError
from gaitcheck.metrics.summary import Metric, absent
from gaitcheck.rules import judge, load_rules, overall_verdict

RULE_IDS = {"stand_tall", "head_over_shoulders", "shoulders_level", "gaze_forward", "engage_core",
            "elbows_at_sides", "natural_arm_swing", "arm_midline", "full_even_steps", "heel_to_toe"}


def side_metrics(**values) -> dict:
    return {name: Metric(name, value, "deg", "side", 20) for name, value in values.items()}


def test_bundled_rules_cover_every_rule_with_sourced_thresholds():
    rules = load_rules()
    assert {rule.id for rule in rules.rules} == RULE_IDS
    for rule in rules.rules:
        assert rule.advice and rule.checks
        for check in rule.checks:
            assert check.source, f"{rule.id}/{check.metric} has no source"


def test_statuses_follow_the_thresholds():
    rules = load_rules()
    results, verdict = judge(rules, side_metrics(trunk_lean_deg=4.0, head_forward_deg=14.0, head_pitch_deg=25.0))
    status = {r["id"]: r["status"] for r in results}
    assert status["stand_tall"] == "pass"
    assert status["head_over_shoulders"] == "warn"
    assert status["gaze_forward"] == "fail"
    assert status["engage_core"] == "not_measurable"
    assert verdict == "needs_attention"
    # Lean is judged on its size, whichever way it goes.
    results, _ = judge(rules, side_metrics(trunk_lean_deg=-14.0))
    assert results[0]["status"] == "fail"
    # Gaze is judged one way only: looking down is the fault, a raised chin is not.
    for pitch, expected in ((-25.0, "pass"), (12.0, "warn"), (16.0, "fail")):
        results, _ = judge(rules, side_metrics(head_pitch_deg=pitch))
        gaze = next(r for r in results if r["id"] == "gaze_forward")
        assert gaze["status"] == expected, pitch
        assert gaze["threshold"]["text"] == "x ≤ 10"


def test_a_one_sided_check_is_written_upper(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\nkind = "upper"\n'
                    'pass = 5\nwarn = 8\nviews = ["side"]\nsource = "test"\n')
    results, _ = judge(load_rules(path), side_metrics(trunk_lean_deg=-20.0))
    assert results[0]["status"] == "pass"
    results, _ = judge(load_rules(path), side_metrics(trunk_lean_deg=6.0))
    assert results[0]["status"] == "warn"
    path.write_text('[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\nkind = "upper"\n'
                    'pass = 5\nwarn = 3\nviews = ["side"]\nsource = "test"\n')
    with pytest.raises(InputError, match="beyond"):
        load_rules(path)


def test_not_measurable_carries_the_metrics_reason():
    metrics = {"pelvic_drop_deg": absent("pelvic_drop_deg", "deg", "front/back", "needs a front or back view")}
    results, verdict = judge(load_rules(), metrics)
    engage = next(r for r in results if r["id"] == "engage_core")
    assert engage["status"] == "not_measurable" and "front or back view" in engage["reason"]
    assert verdict == "not_analysable"


def test_user_file_overrides_one_threshold_and_keeps_the_rest(tmp_path):
    custom = tmp_path / "strict.toml"
    custom.write_text('[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\npass = 2.0\nwarn = 3.0\n')
    rules = load_rules(custom)
    results, _ = judge(rules, side_metrics(trunk_lean_deg=4.0))
    assert results[0]["status"] == "fail"
    stand_tall = next(r for r in rules.rules if r.id == "stand_tall")
    assert {c.metric for c in stand_tall.checks} == {"trunk_lean_deg", "lateral_trunk_lean_deg"}
    assert stand_tall.checks[0].source  # the bundled source survives an override of numbers


def test_malformed_rules_file_names_the_file_and_line(tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text('[rules.stand_tall]\ntitle = "x"\nadvice = \n')
    with pytest.raises(InputError) as error:
        load_rules(broken)
    assert str(broken) in error.value.message and "line 3" in error.value.message


def test_rules_file_with_wrong_types_is_refused(tmp_path):
    wrong = tmp_path / "wrong.toml"
    wrong.write_text('[[rules.stand_tall.checks]]\nmetric = "trunk_lean_deg"\npass = "eight"\n')
    with pytest.raises(InputError, match="must be numbers"):
        load_rules(wrong)


def test_overall_verdict():
    def results(*statuses):
        return [{"status": s} for s in statuses]

    assert overall_verdict(results("pass", "not_measurable")) == "good"
    assert overall_verdict(results("pass", "warn")) == "needs_attention"
    assert overall_verdict(results("fail", "fail", "fail", "pass")) == "poor"
    assert overall_verdict(results("not_measurable")) == "not_analysable"


def test_a_value_is_judged_beyond_its_own_uncertainty():
    """Few steps cannot show a small asymmetry: a metric with a standard error is judged at the
    end of its band nearest to passing, and a well-measured one as it is."""
    rules = load_rules()

    def full_even_steps(value: float, uncertainty: float | None) -> dict:
        metric = Metric("step_time_asymmetry_pct", value, "%", "any", 6, "steps", uncertainty=uncertainty)
        results, _ = judge(rules, {"step_time_asymmetry_pct": metric})
        return next(r for r in results if r["id"] == "full_even_steps")

    assert full_even_steps(8.0, None)["status"] == "warn"
    assert full_even_steps(8.0, 0.5)["status"] == "warn"
    noisy = full_even_steps(8.0, 3.0)
    assert noisy["status"] == "pass" and noisy["uncertainty"] == 3.0 and noisy["value"] == 8.0
    assert full_even_steps(-8.0, 3.0)["status"] == "pass"
    assert full_even_steps(20.0, 3.0)["status"] == "fail"  # a clear limp stays a limp
    # A floor ("min") gets the benefit upwards: arm swing 18° ± 3 reaches a 20° pass.
    swing = judge(rules, {"arm_swing_left_deg": Metric("arm_swing_left_deg", 18.0, "deg", "side", 4, "strides", uncertainty=3.0)})[0]
    arm = next(r for r in swing if r["id"] == "natural_arm_swing")
    check = next(c for c in rules.rules if c.id == "natural_arm_swing").checks[0]
    assert arm["status"] == check.status(21.0)
