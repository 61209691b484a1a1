"""The terminal report reads whole in an ordinary 80-column terminal."""
from __future__ import annotations

import pytest
from rich.console import Console
from sample_reports import sample_series

from gaitcheck.analysis import analyze_path
from gaitcheck.report.json_report import report_dict
from gaitcheck.report.terminal import metric_label, print_report, with_unit
from gaitcheck.rules import judge, load_rules


def test_metric_names_read_as_words_with_their_unit():
    assert metric_label("step_time_asymmetry_pct") == "step time asymmetry"
    assert metric_label("arm_swing_left_deg") == "arm swing left"
    assert with_unit("7.5 ± 1.0", "deg") == "7.5 ± 1.0°" and with_unit("|x| ≤ 6", "%") == "|x| ≤ 6%"
    assert with_unit("101.5", "steps/min") == "101.5 steps/min" and with_unit("", "deg") == ""


@pytest.mark.parametrize("width", [80, 120])
def test_every_judged_rule_shows_its_value_and_threshold_whole(tmp_path_factory, width):
    """At 80 columns the rule table used to cut the metric names ("trunk_lea…") and wrap the
    value against its threshold over four lines; each judged rule now shows its metric in
    words, the value with its unit and what passes, none of it cut."""
    analysis = analyze_path(sample_series(tmp_path_factory, "walk_side_slouch"))
    results, verdict = judge(load_rules(), analysis.metrics)
    console = Console(width=width, record=True, color_system=None)
    print_report(analysis, report_dict(analysis, results, verdict), console)
    text = console.export_text()
    table = text[text.index("posture rules"):text.index("verdict:")]
    assert "…" not in table
    words = " ".join(table.replace("│", " ").split())
    judged = [r for r in results if r["value"] is not None]
    assert len(judged) >= 5
    for rule in judged:
        value = with_unit(f"{rule['value']:.1f}", rule["unit"]).split(" ")[0]
        assert metric_label(rule["metric"]).split(" ")[0] in words and value.rstrip("%°") in words, rule["id"]
        assert with_unit(rule["threshold"]["text"], rule["unit"]).split(" ")[-1] in words, rule["id"]
