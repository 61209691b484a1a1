"""Every sample clip analysed once per test session, shared by the report tests.

The pose model runs once per sample (in this process, no CLI start-up) and the cleaned series
is saved as `.npz` in a session temp folder; tests then analyse those files, which needs no
inference, so the report tests stay quick. Every frame is analysed, as `gaitcheck analyze`
does, because test_samples_verdicts.py checks the verdicts samples/README.md promises.

`run_analyze` runs the CLI's `main()` in this process (no interpreter start-up per call).
"""
from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
SAMPLE_NAMES = sorted(path.stem for path in SAMPLES.glob("*.mp4"))

_SERIES: dict[str, Path] = {}


def sample_series(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """The saved series (.npz) of samples/NAME.mp4, made on first use in this session."""
    if name not in _SERIES:
        from gaitcheck.analysis import analyze_path

        folder = tmp_path_factory.getbasetemp() / "sample-series"
        folder.mkdir(exist_ok=True)
        path = folder / f"{name}.npz"
        analyze_path(SAMPLES / f"{name}.mp4", save_series_to=path)
        _SERIES[name] = path
    return _SERIES[name]


def run_analyze(*args) -> tuple[int, str, str]:
    """`gaitcheck analyze ARGS` in this process: (exit code, stdout, stderr)."""
    from gaitcheck.cli import main

    out, err = io.StringIO(), io.StringIO()
    argv = sys.argv
    sys.argv = ["gaitcheck", "analyze", *map(str, args)]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    finally:
        sys.argv = argv
    return code, out.getvalue(), err.getvalue()
