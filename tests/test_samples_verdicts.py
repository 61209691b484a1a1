"""Each clip in samples/ gets the verdicts samples/README.md promises (its truth's `rules`).

The samples are analysed as `gaitcheck analyze` does (every frame, shared with the report
tests). Where the pose model is known not to see what the sample draws, the pair is marked
xfail with the measured figures, so the miss stays visible and a fix shows up as XPASS.
"""
from __future__ import annotations

import json

import pytest

from sample_reports import SAMPLE_NAMES, SAMPLES, sample_series

RULE_IDS = ("stand_tall", "head_over_shoulders", "shoulders_level", "gaze_forward", "engage_core",
            "elbows_at_sides", "natural_arm_swing", "arm_midline", "full_even_steps", "heel_to_toe")

# (sample, rule) -> why it misses, with the figures measured on 2026-11-25 (walk_side_slouch's and walk_back_hip_drop's steps on 2026-12-04).
KNOWN_MISSES = {
    ("walk_back_hip_drop", "engage_core"):
        "pelvic drop drawn 11°, read 2.2° (3.9° as a raw peak to peak): MediaPipe's hip points barely follow the hip line's tilt",
    ("walk_back_hip_drop", "full_even_steps"):
        "the pelvis bob seen from behind finds all six inner strikes now, but lags the left foot's by "
        "46-70 ms and the right's by 15-29: step time asymmetry 12.4% for an even walk (66.6% while "
        "it found 4 of 7)",
    ("walk_side_slouch", "full_even_steps"):
        "the far foot's strikes read ~40 ms early from the feet; averaged with the pelvis bob, step time "
        "asymmetry 8.3% for 0.1% (14.6% from the feet alone), a warn instead of a pass",
    ("walk_front_shoulder_tilt", "shoulders_level"):
        "shoulder tilt drawn 7.0°, read 3.6° (frame IQR 2.5-6.3°; 5.3° on the walker before the feet "
        "stopped sliding, same upper body): MediaPipe's shoulder line is noisy from the front",
}


def _pairs():
    for name in SAMPLE_NAMES:
        for rule in RULE_IDS:
            marks = [pytest.mark.xfail(reason=KNOWN_MISSES[(name, rule)], strict=False)] if (name, rule) in KNOWN_MISSES else []
            yield pytest.param(name, rule, marks=marks, id=f"{name}-{rule}")


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict:
    """Rule statuses of every sample's report: {sample: {rule: status}}."""
    from gaitcheck.analysis import analyze_path
    from gaitcheck.rules import judge, load_rules

    rules = load_rules()
    out = {}
    for name in SAMPLE_NAMES:
        analysis = analyze_path(sample_series(tmp_path_factory, name))
        results, _ = judge(rules, analysis.metrics)
        out[name] = {r["id"]: (r["status"], r.get("value"), r.get("uncertainty")) for r in results}
    return out


@pytest.mark.parametrize("name, rule", list(_pairs()))
def test_sample_gets_the_promised_verdict(verdicts, name, rule):
    promised = {r["id"]: r["status"] for r in json.loads((SAMPLES / f"{name}.truth.json").read_text())["rules"]}
    status, value, uncertainty = verdicts[name][rule]
    assert status == promised[rule], f"{name} {rule}: {status} (value {value} ± {uncertainty}), promised {promised[rule]}"
