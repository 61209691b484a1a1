"""A whole analysis as one pure step over a landmark series: view → level → events → metrics.

`analyze_series` takes a raw or cleaned series and returns an `Analysis` value, which the
report renderings turn into JSON, tables and pages. `analyze_path` accepts a clip (runs the
pose model) or a saved `.npz` series (no inference).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from gaitcheck.landmarks import Landmark
from gaitcheck.metrics import POSE_MODEL_BIAS, Metric, compute_metrics
from gaitcheck.series import LandmarkSeries, clean, load_series, save_series

if TYPE_CHECKING:
    from gaitcheck.cache import Walk


@dataclass(frozen=True)
class ClipFacts:
    """What the report says about its input."""

    path: str
    fps: float
    frames: int
    duration_s: float
    width: int
    height: int


@dataclass(frozen=True)
class Analysis:
    """Everything measured about one walk."""

    input: ClipFacts
    view: object  # gaitcheck.view.View
    events: object  # gaitcheck.events.GaitEvents
    metrics: dict[str, Metric]
    frames_with_subject: float
    persons_seen: int
    series: LandmarkSeries
    notes: list[str] = field(default_factory=list)


def is_series_file(path: str | Path) -> bool:
    return str(path).lower().endswith(".npz")


def display_path(path: str | Path) -> str:
    """The path as text every report can hold: bytes of a name that are not UTF-8 (an old
    camera's Latin-1 name) become U+FFFD instead of breaking the JSON/HTML/CSV writers."""
    text = str(path)
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def facts_of(series: LandmarkSeries, path: str) -> ClipFacts:
    path = display_path(path)
    duration = float(series.times[-1] - series.times[0]) + 1.0 / series.sample_rate if len(series) else 0.0
    return ClipFacts(path, series.fps, len(series), duration, series.width, series.height)


FEET = (Landmark.LEFT_HEEL, Landmark.RIGHT_HEEL, Landmark.LEFT_FOOT_INDEX, Landmark.RIGHT_FOOT_INDEX)
OUT_OF_PICTURE_SHARE = 0.2  # of the frames with the walker, above which the report says so


def framing_notes(series: LandmarkSeries) -> list[str]:
    """Say when the walker's feet lie outside the picture (filmed too close, or cropped): the
    pose model then guesses them, and every step and heel value rests on those guesses."""
    seen = series.detected
    if not seen.any():
        return []
    feet = series.xy[seen][:, list(FEET), :]
    outside = (feet[..., 0] < 0) | (feet[..., 0] > series.width) | (feet[..., 1] < 0) | (feet[..., 1] > series.height)
    share = float(np.mean(outside.any(axis=1)))
    if share <= OUT_OF_PICTURE_SHARE:
        return []
    return [f"the feet are outside the picture in {share:.0%} of the frames with the walker: step timing "
            "and heel-strike values rest on the pose model's guesses (film the whole body, feet included)"]


def analyze_series(series: LandmarkSeries, *, facts: ClipFacts | None = None, persons_seen: int = 1,
                   notes: list[str] | None = None) -> Analysis:
    """View, levelling, gait events and every metric of one walker's series."""
    from gaitcheck.events import detect_events
    from gaitcheck.view import estimate_view, level

    if series.processing.get("lowpass_hz") is None and "max_gap_s" not in series.processing:
        series = clean(series)
    notes = list(notes or []) + framing_notes(series)
    view = estimate_view(series)
    levelled = level(series, view)
    events = detect_events(levelled, view)
    metrics = compute_metrics(levelled, view, events, bias=POSE_MODEL_BIAS)
    return Analysis(
        input=facts or facts_of(series, series.source), view=view, events=events, metrics=metrics,
        frames_with_subject=series.detected_fraction, persons_seen=persons_seen, series=levelled,
        notes=notes,
    )


def decoding_notes(frame_index, announced: int, stride: int = 1) -> list[str]:
    """What the report must say when a clip could not be read whole: cut short, damaged frames."""
    notes = []
    if len(frame_index) == 0:
        return notes
    last = int(frame_index[-1])
    if announced > 1 and last + 1 < 0.9 * announced:
        notes.append(f"only the first {last + 1} of the {announced} frames the file announces could be "
                     "decoded: the clip seems cut short (an unfinished copy or download?)")
    lost = len(range(int(frame_index[0]), last + 1, max(1, stride))) - len(frame_index)
    if lost > 0:
        notes.append(f"{lost} damaged frame{'s' if lost > 1 else ''} could not be decoded and "
                     f"{'were' if lost > 1 else 'was'} skipped")
    return notes


def analyze_path(path: str | Path, *, extract_options: dict | None = None, progress=None,
                 save_series_to: str | Path | None = None, use_cache: bool = True) -> Analysis:
    """Analyse a clip, or a saved `.npz` series without running the pose model.

    A clip's raw series comes from the series cache when it was extracted before with the same
    options (see cache.py; `use_cache=False` skips it); `extract_options` may hold `fast=True`
    (see fast.py)."""
    from gaitcheck.cache import cached_walk
    from gaitcheck.fast import fast_options

    if is_series_file(path):
        series = load_series(path)
        return analyze_series(series, facts=facts_of(series, str(path)))
    options = fast_options(path, extract_options or {})
    found = cached_walk(path, options, progress=progress, use_cache=use_cache)
    return analyze_walk(found, path, stride=options.get("stride", 1), save_series_to=save_series_to)


def analyze_walk(found: Walk, path: str | Path, *, stride: int = 1,
                 save_series_to: str | Path | None = None) -> Analysis:
    """Analyse the raw series extracted from the clip at `path` (every `stride`-th frame): clean
    it, note what could not be decoded, and measure it. The step after `cache.cached_walk`."""
    notes = decoding_notes(found.series.frame_index, found.frame_count, stride)
    if found.turn_reason:
        notes.append(f"stored sideways without a rotation flag: {found.turn_reason}")
    cleaned = clean(found.series)
    if save_series_to:
        save_series(cleaned, save_series_to)
    facts = ClipFacts(display_path(path), found.fps, found.frames_read, found.duration_s, cleaned.width, cleaned.height)
    return analyze_series(cleaned, facts=facts, persons_seen=found.persons_seen, notes=notes)
