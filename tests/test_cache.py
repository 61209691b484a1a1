"""The series cache: re-analysing a clip with other rules runs no pose model; anything that
changes the series (an option, the clip's bytes) misses; a damaged entry or an unwritable
cache folder never fails the analysis.

Inference is counted in-process (click's CliRunner) by wrapping PoseEstimator.detect, which
every pose pass, second look and orientation probe goes through. The clip is 2 s of a sample,
short enough to run in one process (no time-chunk workers).
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from gaitcheck import cache

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "samples" / "walk_side_slouch.mp4"
STRICT_RULES = """
[[rules.stand_tall.checks]]
metric = "trunk_lean_deg"
pass = 1.0
warn = 2.0
"""


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory, ffmpeg) -> Path:
    """The first 2 s of the slouch sample (60 frames)."""
    path = tmp_path_factory.mktemp("cache-clip") / "slouch_2s.mp4"
    ffmpeg("-i", SAMPLE, "-t", "2", "-an", "-c:v", "mpeg4", "-q:v", "3", path)
    return path


@pytest.fixture
def detections(monkeypatch) -> list[int]:
    """A one-item list holding how many times PoseEstimator.detect ran since the test began."""
    from gaitcheck.pose import PoseEstimator

    count = [0]
    real = PoseEstimator.detect

    def counted(self, *args, **kwargs):
        count[0] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PoseEstimator, "detect", counted)
    return count


def analyze(*args: str) -> tuple[int, str]:
    """`gaitcheck analyze ARGS` in this process: (exit code, stderr)."""
    from gaitcheck.commands.analyze import analyze as command

    result = CliRunner().invoke(command, [*map(str, args), "-q"], catch_exceptions=False)
    return result.exit_code, result.stderr if result.stderr_bytes is not None else result.output


def metrics(report: Path) -> dict[str, float | None]:
    return {name: m.get("value") for name, m in json.loads(report.read_text())["metrics"].items()}


def test_other_rules_reuse_the_series_without_inference(short_clip, detections, tmp_path, series_cache):
    code, _ = analyze(short_clip, "--json", tmp_path / "first.json")
    assert code in (0, 1) and detections[0] > 0
    assert len(list(series_cache.glob("*.npz"))) == 1
    ran = detections[0]
    rules = tmp_path / "strict.toml"
    rules.write_text(STRICT_RULES)
    code, _ = analyze(short_clip, "--rules", rules, "--json", tmp_path / "second.json")
    assert code in (0, 1)
    assert detections[0] == ran  # no pose model at all
    first, second = metrics(tmp_path / "first.json"), metrics(tmp_path / "second.json")
    assert first == second
    statuses = {r["id"]: r["status"] for r in json.loads((tmp_path / "second.json").read_text())["rules"]}
    assert statuses["stand_tall"] == "fail"  # the other rules were applied to the reused series


def test_no_cache_runs_the_model_and_writes_nothing(short_clip, detections, tmp_path, series_cache):
    analyze(short_clip, "--no-cache", "--json", tmp_path / "a.json")
    ran = detections[0]
    assert ran > 0 and not list(series_cache.iterdir())
    analyze(short_clip, "--json", tmp_path / "b.json")
    assert detections[0] > ran  # nothing was cached, so this one ran the model again
    assert metrics(tmp_path / "a.json") == metrics(tmp_path / "b.json")


def test_a_changed_option_misses(short_clip, detections, tmp_path, series_cache):
    analyze(short_clip, "--json", tmp_path / "every.json")
    ran = detections[0]
    analyze(short_clip, "--stride", "2", "--json", tmp_path / "second.json")
    assert detections[0] > ran
    assert len(list(series_cache.glob("*.npz"))) == 2
    every = json.loads((tmp_path / "every.json").read_text())["input"]["frames"]
    second = json.loads((tmp_path / "second.json").read_text())["input"]["frames"]
    assert second == (every + 1) // 2  # every second frame, not the cached series


def test_key_follows_the_clip_bytes_and_every_option(short_clip, tmp_path):
    options = dict(model=None, stride=1, max_side=1280, max_persons=2, person=0, turn=None)
    key = cache.entry_key(short_clip, options)
    assert cache.entry_key(short_clip, dict(options)) == key
    assert cache.entry_key(short_clip, dict(options, workers=1)) == key  # how, not what
    for name, value in (("stride", 2), ("max_side", 640), ("max_persons", 1), ("person", 1), ("turn", 90)):
        assert cache.entry_key(short_clip, dict(options, **{name: value})) != key, name
    changed = tmp_path / "changed.mp4"
    changed.write_bytes(short_clip.read_bytes() + b"\0")
    assert cache.entry_key(changed, options) != key
    renamed = tmp_path / "renamed.mp4"
    renamed.write_bytes(short_clip.read_bytes())
    assert cache.entry_key(renamed, options) == key  # keyed by content, not by name


def test_a_damaged_entry_is_ignored_and_replaced(short_clip, detections, tmp_path, series_cache):
    analyze(short_clip, "--json", tmp_path / "first.json")
    (entry,) = series_cache.glob("*.npz")
    entry.write_bytes(entry.read_bytes()[: entry.stat().st_size // 2])  # cut short
    ran = detections[0]
    code, _ = analyze(short_clip, "--json", tmp_path / "again.json")
    assert code in (0, 1) and detections[0] > ran
    assert metrics(tmp_path / "again.json") == metrics(tmp_path / "first.json")
    ran = detections[0]
    analyze(short_clip, "--json", tmp_path / "third.json")
    assert detections[0] == ran  # the entry was written anew and now hits


def test_a_foreign_file_under_the_key_is_a_miss(short_clip, series_cache):
    options = dict(stride=1)
    key = cache.entry_key(short_clip, options)
    series_cache.mkdir(exist_ok=True)
    cache.entry_path(key).write_text("not an npz")
    assert cache.read_entry(key, short_clip) is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_cache_folder_still_analyses(short_clip, tmp_path, monkeypatch, capsys):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setenv(cache.ENV_DIR, str(locked / "series"))
    monkeypatch.setattr(cache, "_warned", False)
    try:
        code, stderr = analyze(short_clip, "--json", tmp_path / "report.json")
    finally:
        locked.chmod(0o700)
    assert code in (0, 1) and (tmp_path / "report.json").is_file()
    warnings = [line for line in stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and "not written" in warnings[0]


def test_a_cache_path_that_is_a_file_still_analyses(short_clip, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "series"))
    monkeypatch.setattr(cache, "_warned", False)
    code, stderr = analyze(short_clip, "--json", tmp_path / "report.json")
    assert code in (0, 1) and (tmp_path / "report.json").is_file()
    assert sum("cache" in line for line in stderr.splitlines()) == 1


def test_cache_folder_default_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv(cache.ENV_DIR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "gaitcheck" / "series"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache.cache_dir() == tmp_path / "home" / ".cache" / "gaitcheck" / "series"


def test_a_failing_cache_write_costs_one_warning(short_clip, tmp_path, monkeypatch):
    """As root the chmod test above cannot lock a folder: make the write itself fail."""
    import errno

    import gaitcheck.series

    def refuse(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(gaitcheck.series, "save_series", refuse)
    monkeypatch.setattr(cache, "_warned", False)
    code, stderr = analyze(short_clip, "--json", tmp_path / "one.json")
    assert code in (0, 1) and (tmp_path / "one.json").is_file()
    warnings = [line for line in stderr.splitlines() if "cache" in line]
    assert len(warnings) == 1 and "read-only" in warnings[0]


def test_batch_fills_and_reuses_the_cache(short_clip, tmp_path, series_cache, cli):
    """Batch workers (other processes) share the cache: a second batch with other rules reads
    the entry the first wrote (a miss would write it again: a new file, so a new inode); --no-cache
    leaves the cache alone."""
    code, _, err = cli("batch", short_clip, "-o", tmp_path / "first", "--jobs", "1", "-q", "--no-html")
    assert code in (0, 1), err
    (entry,) = series_cache.glob("*.npz")
    written = entry.stat().st_ino
    rules = tmp_path / "strict.toml"
    rules.write_text(STRICT_RULES)
    code, _, err = cli("batch", short_clip, "-o", tmp_path / "second", "--jobs", "1", "-q", "--no-html",
                       "--rules", rules)
    assert code in (0, 1), err
    assert entry.stat().st_ino == written
    first = json.loads(next((tmp_path / "first" / "reports").glob("*.json")).read_text())
    second = json.loads(next((tmp_path / "second" / "reports").glob("*.json")).read_text())
    assert first["metrics"] == second["metrics"]
    entry.unlink()
    code, _, err = cli("batch", short_clip, "-o", tmp_path / "third", "--jobs", "1", "-q", "--no-html", "--no-cache")
    assert code in (0, 1), err
    assert not list(series_cache.glob("*.npz"))


def test_a_copy_under_another_name_hits_and_reports_its_own_name(short_clip, detections, tmp_path):
    analyze(short_clip, "--json", tmp_path / "first.json")
    ran = detections[0]
    copy = tmp_path / "renamed walk.mp4"
    copy.write_bytes(short_clip.read_bytes())
    analyze(copy, "--json", tmp_path / "copy.json")
    assert detections[0] == ran
    report = json.loads((tmp_path / "copy.json").read_text())
    assert report["input"]["path"] == str(copy)
    assert metrics(tmp_path / "copy.json") == metrics(tmp_path / "first.json")


def test_prune_drops_the_least_recently_used_entries_first(tmp_path):
    for age, name in enumerate(["newest", "middle", "oldest"]):
        entry = tmp_path / f"{name}.npz"
        entry.write_bytes(b"x" * 100)
        os.utime(entry, (1_000_000 - age * 10, 1_000_000 - age * 10))
    (tmp_path / "other.txt").write_bytes(b"x" * 1000)  # not an entry: never touched
    cache.prune(tmp_path, 250)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["middle.npz", "newest.npz", "other.txt"]
    cache.prune(tmp_path, 1000)
    assert len(list(tmp_path.glob("*.npz"))) == 2


def test_a_hit_marks_the_entry_recently_used(short_clip, tmp_path, series_cache):
    analyze(short_clip, "--json", tmp_path / "first.json")
    (entry,) = series_cache.glob("*.npz")
    os.utime(entry, (1_000_000, 1_000_000))
    analyze(short_clip, "--json", tmp_path / "again.json")
    assert entry.stat().st_mtime > 1_000_000


def test_a_hit_never_loads_the_pose_model(short_clip, tmp_path):
    from cli_probe import analyze_loads_mediapipe

    analyze(short_clip, "--json", tmp_path / "first.json")
    assert not analyze_loads_mediapipe(short_clip, tmp_path / "again.json")
    assert metrics(tmp_path / "again.json") == metrics(tmp_path / "first.json")
