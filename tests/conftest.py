"""Shared fixtures: the real clips (skipped when absent), small generated clips, a CLI runner.

Slow tests (`@pytest.mark.slow`: model rebuild, every real clip at full settings) are skipped
unless GAITCHECK_SLOW=1 is set, so the plain `pytest` command stays quick.
"""
from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
DATA = Path(__file__).resolve().parent / "data"


# --- slow tests: opt in ---------------------------------------------------------------------


def pytest_collection_modifyitems(config, items):
    if os.environ.get("GAITCHECK_SLOW") == "1":
        return
    skip = pytest.mark.skip(reason="slow test: set GAITCHECK_SLOW=1 to run it")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# --- the series cache: each test its own ----------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _session_series_cache(tmp_path_factory):
    """Module- and session-scoped fixtures run before the per-test cache below: give them a
    scratch cache too, so no test reads or fills the user's ~/.cache."""
    old = os.environ.get("GAITCHECK_CACHE_DIR")
    os.environ["GAITCHECK_CACHE_DIR"] = str(tmp_path_factory.mktemp("series-cache"))
    yield
    if old is None:
        os.environ.pop("GAITCHECK_CACHE_DIR", None)
    else:
        os.environ["GAITCHECK_CACHE_DIR"] = old


@pytest.fixture(autouse=True)
def series_cache(tmp_path_factory, monkeypatch) -> Path:
    """An empty series cache folder for this test ($GAITCHECK_CACHE_DIR, also seen by subprocesses)."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("GAITCHECK_CACHE_DIR", str(folder))
    return folder


# --- real clips -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def clips_dir() -> Path:
    """../shared/clips, or a clean skip when this checkout has no such folder."""
    if not (CLIPS / "MANIFEST.tsv").is_file():
        pytest.skip(f"real clips not available ({CLIPS} is absent)")
    return CLIPS


@pytest.fixture(scope="session")
def real_clip(clips_dir: Path) -> Callable[[str], Path]:
    """real_clip(name) -> path of that real clip, skipping when it is missing."""

    def get(name: str) -> Path:
        path = clips_dir / name
        if not path.is_file():
            pytest.skip(f"real clip {name} not in {clips_dir}")
        return path

    return get


def read_manifest(clips: Path) -> list[dict[str, str]]:
    with open(clips / "MANIFEST.tsv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="session")
def manifest(clips_dir: Path) -> list[dict[str, str]]:
    return read_manifest(clips_dir)


# --- generated clips --------------------------------------------------------------------------

TINY_SIZE = (160, 96)  # width, height
TINY_FPS = 25.0
TINY_FRAMES = 40


def tiny_frame(index: int, width: int = TINY_SIZE[0], height: int = TINY_SIZE[1]) -> np.ndarray:
    """A BGR test frame: grey, a red block in the top-left corner, the frame's number as a bar.

    The red block shows which way the frame is turned; the bar's length (index × 3 px along the
    bottom) shows which frame it is, even after lossy compression.
    """
    import cv2

    image = np.full((height, width, 3), 60, np.uint8)
    cv2.rectangle(image, (0, 0), (width // 5 - 1, height // 4 - 1), (0, 0, 255), -1)
    image[height - 8 :, : min(width, 3 * index + 3)] = 255
    return image


def frame_number(image: np.ndarray) -> int:
    """Read back the number tiny_frame() drew (from the length of the white bar)."""
    row = image[-4, :, :].mean(axis=1)
    return int(round(np.count_nonzero(row > 160) / 3)) - 1


def write_clip(path: Path, images, fps: float) -> Path:
    """Write BGR images as an MPEG-4 clip with OpenCV (no ffmpeg binary needed)."""
    import cv2

    images = list(images)
    height, width = images[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
    assert writer.isOpened(), f"OpenCV cannot write {path}"
    try:
        for image in images:
            writer.write(image)
    finally:
        writer.release()
    return path


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory) -> Path:
    """A 1.6 s, 25 fps, 160×96 clip of numbered frames (see tiny_frame)."""
    path = tmp_path_factory.mktemp("tiny") / "tiny.mp4"
    return write_clip(path, (tiny_frame(i) for i in range(TINY_FRAMES)), TINY_FPS)


@pytest.fixture(scope="session")
def blank_clip(tmp_path_factory) -> Path:
    """A 1 s clip of plain grey frames: a valid video with nobody in it."""
    path = tmp_path_factory.mktemp("blank") / "blank.mp4"
    return write_clip(path, (np.full((120, 160, 3), 128, np.uint8) for _ in range(25)), 25.0)


@pytest.fixture(scope="session")
def ffmpeg() -> Callable[..., None]:
    """ffmpeg(*args): run the ffmpeg binary from imageio-ffmpeg (skips when it is missing)."""
    try:
        import imageio_ffmpeg

        exe = imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as error:  # not installed, or no binary for this platform
        pytest.skip(f"no ffmpeg binary (pip install imageio-ffmpeg): {error}")

    def run(*args: str) -> None:
        done = subprocess.run([exe, "-y", "-hide_banner", "-v", "error", *map(str, args)],
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"ffmpeg {' '.join(map(str, args))} failed: {done.stderr}")

    return run


# --- the command line ------------------------------------------------------------------------


def run_cli(*args: str, cwd: str | Path | None = None, env: dict[str, str] | None = None,
            timeout: float = 300) -> tuple[int, str, str]:
    """Run `python -m gaitcheck ARGS` in a fresh interpreter; return (exit code, stdout, stderr)."""
    full_env = dict(os.environ, COLUMNS="120", NO_COLOR="1", PYTHONIOENCODING="utf-8")
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-m", "gaitcheck", *map(str, args)],
        cwd=cwd, env=full_env, capture_output=True, text=True, timeout=timeout,
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def cli() -> Callable[..., tuple[int, str, str]]:
    """cli(*args, cwd=…, env=…) -> (code, stdout, stderr) of `python -m gaitcheck`."""
    return run_cli
