"""The JSON report, schema `gaitcheck/report-v1` (see DESIGN.md; a change of shape is a new
schema version).

One clip or several clips of the same walk: `input`, `view` and `events` describe the first
clip; `inputs` lists every clip with its view, and each metric names the clip it came from
(`source`; a metric made from two clips' metrics, such as the arm swing asymmetry of a walk
filmed once each way, names both: "a.mp4 + b.mp4") — additive fields, so the shape stays v1.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from gaitcheck.analysis import Analysis
from gaitcheck.atomic import atomic_path
from gaitcheck.report.combine import SOURCE_JOIN, pick_metrics

SCHEMA = "gaitcheck/report-v1"


def as_list(analysis: Analysis | Sequence[Analysis]) -> list[Analysis]:
    """One analysis or several, as a list."""
    return list(analysis) if isinstance(analysis, (list, tuple)) else [analysis]


def input_dict(analysis: Analysis) -> dict:
    facts = analysis.input
    return {"path": facts.path, "fps": round(facts.fps, 3), "frames": facts.frames,
            "duration_s": round(facts.duration_s, 3), "width": facts.width, "height": facts.height}


def view_dict(analysis: Analysis) -> dict:
    view = analysis.view
    return {
        "camera": view.camera, "direction": view.direction, "confidence": round(float(view.confidence), 3),
        "passes": [{"start": p.start, "stop": p.stop, "direction": p.direction} for p in view.passes],
        "roll_deg": round(float(view.roll_deg), 2), "roll_source": view.roll_source,
    }


def report_dict(analysis: Analysis | Sequence[Analysis], rules: list[dict] | None = None,
                verdict: str | None = None) -> dict:
    """The report-v1 document of one analysis, or of several clips of one walk merged (rules
    may be empty until rules are judged)."""
    analyses = as_list(analysis)
    first = analyses[0]
    picked = pick_metrics(analyses)
    return {
        "schema": SCHEMA,
        "input": input_dict(first),
        "inputs": [dict(input_dict(a), camera=a.view.camera, direction=a.view.direction) for a in analyses],
        "view": view_dict(first),
        "detection": {
            "frames_with_subject": round(float(min(a.frames_with_subject for a in analyses)), 4),
            "persons_seen": max(a.persons_seen for a in analyses),
        },
        "events": {
            "method": first.events.method,
            "heel_strikes_s": {side: [round(first.events.strike_time(int(i)), 3) for i in frames]
                               for side, frames in first.events.heel_strikes.items()},
        },
        "metrics": {name: dict(sourced.metric.to_json(),
                               source=SOURCE_JOIN.join(analyses[k].input.path for k in (sourced.source, *sourced.also)))
                    for name, sourced in sorted(picked.items())},
        "rules": rules or [],
        "verdict": verdict or "not_analysable",
        "notes": [note for a in analyses for note in a.notes],
    }


def write_json(document: dict, path: str | Path) -> Path:
    """Write the report atomically."""
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(path)
