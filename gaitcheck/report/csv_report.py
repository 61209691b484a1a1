"""CSV renderings: the per-frame angle series and the per-stride table of one clip.

`--csv DIR` writes `DIR/<clip>.frames.csv` and `DIR/<clip>.strides.csv`; `--csv PREFIX` writes
`PREFIX.frames.csv` and `PREFIX.strides.csv` (with several clips, `PREFIX.<clip>.frames.csv`…).
Empty cells are values the view cannot give (NaN), so spreadsheets read them as blanks.
"""
from __future__ import annotations

import csv
import math
from pathlib import Path

from gaitcheck.analysis import Analysis
from gaitcheck.atomic import atomic_path, check_output_path
from gaitcheck.report.series_table import FRAME_COLUMNS, STRIDE_COLUMNS, frame_series, stride_table, walk_of

FRAME_HEADER = ("time_s", "frame", "in_pass", *FRAME_COLUMNS)
STRIDE_HEADER = ("stride", "side", "plane", "start_s", "end_s", "duration_s", "start_frame", "end_frame", *STRIDE_COLUMNS)


def csv_paths(target: str | Path, clip: str | Path, several: bool = False) -> tuple[Path, Path]:
    """(frames.csv, strides.csv) for one clip, from a folder or a file-name prefix."""
    target, stem = Path(target), Path(clip).stem
    if target.is_dir() or str(target).endswith(("/", "\\")):
        base = target / stem
    else:
        base = target.parent / (f"{target.name}.{stem}" if several else target.name)
    return base.with_name(base.name + ".frames.csv"), base.with_name(base.name + ".strides.csv")


def check_csv_target(target: str | Path, clips: list[str]) -> None:
    """Fail early when a CSV output could not be written."""
    for clip in clips:
        for path in csv_paths(target, clip, len(clips) > 1):
            check_output_path(path)


def _cell(value: float, digits: int = 3) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def frame_rows(analysis: Analysis) -> list[list[str]]:
    """One row per analysed frame: time, clip frame index, whether it lies in a pass, every angle."""
    walk = walk_of(analysis)
    series = frame_series(walk)
    frame_index = analysis.series.frame_index
    rows = []
    for t in range(len(walk.times)):
        in_pass = math.isfinite(walk.forward[t]) or math.isfinite(walk.right[t])
        rows.append([_cell(float(walk.times[t]), 4), str(int(frame_index[t])), str(int(in_pass)),
                     *(_cell(float(series[name][t])) for name in FRAME_COLUMNS)])
    return rows


def stride_rows(analysis: Analysis) -> list[list[str]]:
    """One row per stride of either foot, in time order."""
    frame_index = analysis.series.frame_index
    rows = []
    for k, stride in enumerate(stride_table(walk_of(analysis)), start=1):
        rows.append([str(k), stride.side, stride.plane, _cell(stride.start_s, 4), _cell(stride.stop_s, 4),
                     _cell(stride.stop_s - stride.start_s, 4), str(int(frame_index[stride.start])),
                     str(int(frame_index[stride.stop])), *(_cell(stride.values[name]) for name in STRIDE_COLUMNS)])
    return rows


def _write(path: Path, header: tuple[str, ...], rows: list[list[str]]) -> None:
    with atomic_path(path) as temp:
        with open(temp, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)


def write_csv(analysis: Analysis, target: str | Path, several: bool = False) -> tuple[Path, Path]:
    """Write the frames and strides CSV files of one clip; return their paths."""
    frames_path, strides_path = csv_paths(target, analysis.input.path, several)
    _write(frames_path, FRAME_HEADER, frame_rows(analysis))
    _write(strides_path, STRIDE_HEADER, stride_rows(analysis))
    return frames_path, strides_path
