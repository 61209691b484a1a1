"""Exit codes of `gaitcheck analyze`: 0 analysed, 1 nothing could be judged (outputs still
written), 2 usage, 3 output not writable, 5 `--fail-on` tripped (outputs still written)."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sample_reports import run_analyze, sample_series

from gaitcheck.series import load_series, save_series


@pytest.fixture(scope="module")
def good_front(tmp_path_factory):
    return sample_series(tmp_path_factory, "walk_front_elbows_out")


def statuses(path) -> set[str]:
    return {rule["status"] for rule in json.loads(path.read_text())["rules"]}


def test_fail_on_warn_and_fail(good_front, tmp_path):
    report = tmp_path / "r.json"
    code, _, err = run_analyze(good_front, "--json", report, "-q")
    assert code == 0, err
    found = statuses(report)
    assert "fail" in found  # elbows held out 35°
    code, _, err = run_analyze(good_front, "--json", report, "-q", "--fail-on", "fail")
    assert code == 5 and err.count("\n") == 1 and "--fail-on fail" in err and "elbows_at_sides" in err
    assert report.is_file()
    code, _, _ = run_analyze(good_front, "-q", "--fail-on", "warn")
    assert code == 5
    code, _, err = run_analyze(good_front, "-q", "--fail-on", "sometimes")
    assert code == 2, err


def test_fail_on_follows_the_rules_in_force(good_front, tmp_path):
    """With the elbow limit relaxed, --fail-on fail trips only if another rule still fails."""
    lenient = tmp_path / "lenient.toml"
    lenient.write_text('[[rules.elbows_at_sides.checks]]\nmetric = "elbow_flare_deg"\npass = 80.0\nwarn = 85.0\n')
    report = tmp_path / "r.json"
    code, _, err = run_analyze(good_front, "--json", report, "-q", "--rules", lenient, "--fail-on", "fail")
    rules = {rule["id"]: rule["status"] for rule in json.loads(report.read_text())["rules"]}
    assert rules["elbows_at_sides"] == "pass"
    assert code == (5 if "fail" in rules.values() else 0), err


def test_nothing_judged_exits_1_and_still_writes_the_report(good_front, tmp_path):
    series = load_series(good_front)
    short = tmp_path / "short.npz"
    keep = slice(0, 6)
    save_series(replace(series, times=series.times[keep], frame_index=series.frame_index[keep], xy=series.xy[keep],
                        visibility=series.visibility[keep], presence=series.presence[keep],
                        world=series.world[keep], detected=series.detected[keep]), short)
    report, table = tmp_path / "short.json", tmp_path / "short"
    code, _, err = run_analyze(short, "--json", report, "--csv", table, "-q")
    assert code == 1, err
    assert err.startswith("gaitcheck: ") and err.count("\n") == 1
    assert json.loads(report.read_text())["verdict"] == "not_analysable"
    assert (tmp_path / "short.frames.csv").is_file()


def test_usage_and_output_errors(good_front, tmp_path):
    code, _, err = run_analyze(tmp_path / "missing.mp4")
    assert code == 2 and "no such file" in err
    code, _, err = run_analyze(good_front, "--csv", tmp_path / "no" / "such" / "prefix", "-q")
    assert code == 3 and "folder does not exist" in err
    code, _, _ = run_analyze(good_front, good_front, "--save-series", tmp_path / "s.npz", "-q")
    assert code == 2
