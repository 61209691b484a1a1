"""HTML report: one self-contained page (nothing fetched), every part present, every string
from file names escaped, key frames only when the clip is at hand."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace

import pytest
from sample_reports import run_analyze, sample_series

from gaitcheck.report.html import DISCLAIMER
from gaitcheck.series import load_series, save_series


@pytest.fixture(scope="module")
def slouch_page(tmp_path_factory):
    """The slouch sample's HTML page and JSON report, from its saved series (clip at hand)."""
    series = sample_series(tmp_path_factory, "walk_side_slouch")
    out = tmp_path_factory.mktemp("html")
    code, _, err = run_analyze(series, "--html", out / "r.html", "--json", out / "r.json", "-q")
    assert code == 0, err
    return (out / "r.html").read_text(encoding="utf-8"), json.loads((out / "r.json").read_text())


def test_page_is_self_contained_and_complete(slouch_page):
    page, report = slouch_page
    assert not re.findall(r'(?:src|href)="(?!data:|#)', page), "everything must be inline"
    assert "<link rel=\"stylesheet\"" not in page and "<script" not in page
    assert 'name="viewport"' in page and "@media" in page
    assert page.count(DISCLAIMER) == 1
    rows = re.findall(r'<tr id="rule-([a-z_]+)">', page)
    assert rows == [rule["id"] for rule in report["rules"]]
    flagged = [rule for rule in report["rules"] if rule["status"] in ("warn", "fail")]
    assert flagged, "the slouch sample fails stand_tall"
    assert len(re.findall(r'<figure class="keyframe">\s*<img src="data:image/png;base64,', page)) == len(flagged)
    assert page.count('src="data:image/svg+xml;base64,') >= 2  # trunk lean and head forward plots at least
    for rule in report["rules"]:
        if rule.get("threshold"):
            assert rule["threshold"]["source"].split(" ")[0] in page
    assert '<table class="strides">' in page


def test_file_names_are_escaped(tmp_path_factory, tmp_path):
    series = sample_series(tmp_path_factory, "walk_side_stiff_arms")
    hostile = tmp_path / "<script>alert(1)<script><img src=x onerror=alert(2)>.npz"
    shutil.copy(series, hostile)
    page_path = tmp_path / "page.html"
    code, _, err = run_analyze(hostile, "--html", page_path, "-q")
    assert code in (0, 5), err
    page = page_path.read_text(encoding="utf-8")
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;script&gt;" in page


def test_saved_series_without_its_clip_gets_a_note_instead_of_images(tmp_path_factory, tmp_path):
    series = load_series(sample_series(tmp_path_factory, "walk_front_elbows_out"))
    orphan = tmp_path / "orphan.npz"
    save_series(replace(series, source=str(tmp_path / "gone.mp4")), orphan)
    page_path = tmp_path / "orphan.html"
    run_analyze(orphan, "--html", page_path, "-q")
    page = page_path.read_text(encoding="utf-8")
    assert "data:image/png" not in page
    assert "no key frame" in page and "not at hand" in page


def test_two_views_page_shows_each_rule_from_its_clip(tmp_path_factory, tmp_path):
    side = sample_series(tmp_path_factory, "walk_side_slouch")
    front = sample_series(tmp_path_factory, "walk_front_shoulder_tilt")
    page_path = tmp_path / "both.html"
    code, out, err = run_analyze(side, front, "--html", page_path)
    assert code == 0, err
    assert "from" in out and "walk_front_shoulder_tilt" in out  # the terminal's metric table names each clip
    page = page_path.read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, flags=re.S)
    assert any("Stand tall" in c and "walk_side_slouch.mp4" in c for c in captions)
    shoulders = re.search(r'<tr id="rule-shoulders_level">.*?</tr>', page, flags=re.S).group(0)
    assert "not measurable" not in shoulders
    if "fail" in shoulders or "warn" in shoulders:
        assert any("Shoulders level" in c and "walk_front_shoulder_tilt.mp4" in c for c in captions)
    assert page.count('<table class="strides">') == 2
