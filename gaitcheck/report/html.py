"""The HTML report: one self-contained page (inline CSS, images as data URIs, no network).

It shows the verdict, the rule table (status, value against threshold, advice, related advice,
the threshold's source), a key frame for every rule that warned or failed, time-series plots
with the threshold bands, the per-stride table, the metrics and the disclaimer. The jinja2
template escapes every string (file names and metadata may hold anything, `<script>` too).
"""
from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from gaitcheck.analysis import Analysis
from gaitcheck.atomic import atomic_path
from gaitcheck.report.combine import source_names
from gaitcheck.report.json_report import as_list
from gaitcheck.report.series_table import SHOWN_BY, STRIDE_COLUMNS, frame_series, stride_table, walk_of
from gaitcheck.report.text import measured, number as _number

DISCLAIMER = "gaitcheck is an educational aid, not a medical device."
EMBED_VIDEO_BYTES = 32 * 1024 * 1024  # larger annotated videos are linked, not embedded
VERDICT_TEXT = {"good": "Good", "needs_attention": "Needs attention", "poor": "Poor", "not_analysable": "Not analysable"}


def data_uri(payload: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _source_of(analyses: list[Analysis], document: dict, metric: str | None) -> Analysis:
    """The analysis a metric came from (the first clip when unknown)."""
    source = document["metrics"].get(metric or "", {}).get("source")
    return next((a for a in analyses if a.input.path == source), analyses[0])


def rule_rows(document: dict) -> list[dict]:
    """The rule table as plain strings."""
    rows = []
    for rule in document["rules"]:
        threshold = rule.get("threshold") or {}
        rows.append({
            "id": rule["id"], "title": rule.get("title", rule["id"]), "status": rule["status"],
            "metric": rule.get("metric") or "",
            "value": f"{measured(rule['value'], rule.get('uncertainty'))} {rule.get('unit', '')}".strip()
            if rule["value"] is not None else "",
            "threshold": f"pass {threshold['text']}, warn up to {threshold['warn']:g}" if threshold else "",
            "source": threshold.get("source", ""), "advice": rule.get("advice", ""),
            "related": rule.get("related_advice", ""), "reason": rule.get("reason") or "",
        })
    return rows


def key_frame_items(analyses: list[Analysis], document: dict) -> tuple[list[dict], list[str]]:
    """(key frames as image data, notes on rules without one) for each warned or failed rule."""
    from gaitcheck.report.keyframes import clip_of, key_frame

    items, notes = [], []
    for rule in document["rules"]:
        if rule["status"] not in ("warn", "fail"):
            continue
        analysis = _source_of(analyses, document, rule["metric"])
        clip = clip_of(analysis)
        if clip is None:
            notes.append(f"{rule.get('title', rule['id'])}: no key frame, the clip of {analysis.input.path} is not at hand "
                         "(this report was made from a saved series)")
            continue
        frame = key_frame(analysis, rule, clip)
        if frame is None:
            notes.append(f"{rule.get('title', rule['id'])}: no frame shows {rule['metric']}")
            continue
        items.append({"title": rule.get("title", rule["id"]), "status": rule["status"], "metric": frame.metric,
                      "time": f"{frame.time_s:.2f}", "frame": frame.frame, "clip": Path(clip).name,
                      "value": _number(frame.value), "src": data_uri(frame.png, "image/png")})
    return items, notes


def plot_items(analyses: list[Analysis], document: dict) -> list[dict]:
    """One plot per judged rule whose metric has a per-frame series."""
    from gaitcheck.report.plots import series_svg

    cache: dict[int, dict[str, np.ndarray]] = {}
    items = []
    for rule in document["rules"]:
        metric = rule.get("metric")
        if rule["status"] == "not_measurable" or not metric:
            continue
        analysis = _source_of(analyses, document, metric)
        frames = cache.setdefault(id(analysis), frame_series(walk_of(analysis)))
        column = metric if metric in frames else SHOWN_BY.get(metric)
        if column not in frames or not np.isfinite(frames[column]).any():
            continue
        same = column == metric  # the band and the reported value apply to this very series
        svg = series_svg(analysis.series.times, frames[column], f"{rule.get('title', rule['id'])}: {column}",
                         "deg", rule.get("threshold") if same else None, rule.get("value") if same else None)
        items.append({"title": rule.get("title", rule["id"]), "column": column,
                      "src": data_uri(svg.encode("utf-8"), "image/svg+xml")})
    return items


def stride_items(analyses: list[Analysis]) -> list[dict]:
    """Per clip: the per-stride table, only the columns that hold a value."""
    out = []
    for analysis in analyses:
        strides = stride_table(walk_of(analysis))
        columns = [c for c in STRIDE_COLUMNS if any(math.isfinite(s.values[c]) for s in strides)]
        rows = [{"side": s.side, "plane": s.plane, "start": f"{s.start_s:.2f}", "end": f"{s.stop_s:.2f}",
                 "duration": f"{s.stop_s - s.start_s:.2f}", "cells": [_number(s.values[c]) for c in columns]}
                for s in strides]
        out.append({"clip": analysis.input.path, "columns": columns, "rows": rows})
    return out


def clip_items(analyses: list[Analysis]) -> list[dict]:
    return [{"path": a.input.path, "size": f"{a.input.width}×{a.input.height}", "fps": f"{a.input.fps:.2f}",
             "duration": f"{a.input.duration_s:.1f}", "camera": a.view.camera,
             "direction": a.view.direction.replace("_", " "), "found": f"{a.frames_with_subject:.0%}"}
            for a in analyses]


def metric_rows(document: dict, several: bool) -> list[dict]:
    rows = []
    for name, metric in sorted(document["metrics"].items()):
        rows.append({"name": name, "value": measured(metric["value"], metric.get("uncertainty")), "unit": metric["unit"],
                     "basis": f"{metric['n']} {metric.get('basis', '')}" if metric["value"] is not None else "",
                     "reason": metric.get("reason", ""), "source": source_names(metric.get("source", "")) if several else ""})
    return rows


def video_items(videos: Sequence[str | Path], page: str | Path, embed_up_to: int = EMBED_VIDEO_BYTES) -> list[tuple[str, str]]:
    """(caption, src) of annotated videos for the page: embedded as data URIs, so the page
    stays one file, unless a video is too big to inline (then linked relative to the page)."""
    import os

    out = []
    for video in map(Path, videos):
        if video.stat().st_size <= embed_up_to:
            src = data_uri(video.read_bytes(), "video/webm")
        else:
            src = Path(os.path.relpath(video.resolve(), Path(page).resolve().parent)).as_posix()
        out.append((f"{video.name}: skeleton, live angles and rule flags", src))
    return out


def render_html(analysis: Analysis | Sequence[Analysis], document: dict, *,
                videos: Sequence[tuple[str, str]] = ()) -> str:
    """The report page. `videos` are (caption, src) of annotated videos: a data URI to embed
    one, or a relative path to link it."""
    from jinja2 import Environment, PackageLoader

    analyses = as_list(analysis)
    environment = Environment(loader=PackageLoader("gaitcheck.report", "templates"), autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    key_frames, notes = key_frame_items(analyses, document)
    return environment.get_template("report.html.j2").render(
        title=", ".join(Path(a.input.path).name for a in analyses),
        verdict=document["verdict"], verdict_text=VERDICT_TEXT.get(document["verdict"], document["verdict"]),
        clips=clip_items(analyses), rules=rule_rows(document), key_frames=key_frames,
        notes=list(document.get("notes", [])) + notes, plots=plot_items(analyses, document),
        strides=stride_items(analyses), metrics=metric_rows(document, len(analyses) > 1),
        videos=[{"caption": caption, "src": src} for caption, src in videos], disclaimer=DISCLAIMER,
        schema=document["schema"],
    )


def write_html(page: str, path: str | Path) -> Path:
    """Write the page atomically."""
    with atomic_path(path) as temp:
        temp.write_text(page, encoding="utf-8")
    return Path(path)
