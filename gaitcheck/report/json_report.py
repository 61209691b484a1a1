"""The JSON report, schema `gaitcheck/report-v1` (see DESIGN.md; a change of shape is a new
schema version)."""
from __future__ import annotations

import json
from pathlib import Path

from gaitcheck.analysis import Analysis
from gaitcheck.atomic import atomic_path

SCHEMA = "gaitcheck/report-v1"


def report_dict(analysis: Analysis, rules: list[dict] | None = None, verdict: str | None = None) -> dict:
    """The report-v1 document of an analysis (rules may be empty until rules are judged)."""
    view = analysis.view
    return {
        "schema": SCHEMA,
        "input": {
            "path": analysis.input.path, "fps": round(analysis.input.fps, 3), "frames": analysis.input.frames,
            "duration_s": round(analysis.input.duration_s, 3), "width": analysis.input.width,
            "height": analysis.input.height,
        },
        "view": {
            "camera": view.camera, "direction": view.direction, "confidence": round(float(view.confidence), 3),
            "passes": [{"start": p.start, "stop": p.stop, "direction": p.direction} for p in view.passes],
            "roll_deg": round(float(view.roll_deg), 2), "roll_source": view.roll_source,
        },
        "detection": {
            "frames_with_subject": round(float(analysis.frames_with_subject), 4),
            "persons_seen": analysis.persons_seen,
        },
        "events": {
            "method": analysis.events.method,
            "heel_strikes_s": {side: [round(float(analysis.series.times[i]), 3) for i in frames]
                               for side, frames in analysis.events.heel_strikes.items()},
        },
        "metrics": {name: metric.to_json() for name, metric in sorted(analysis.metrics.items())},
        "rules": rules or [],
        "verdict": verdict or "not_analysable",
        "notes": analysis.notes,
    }


def write_json(document: dict, path: str | Path) -> Path:
    """Write the report atomically."""
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Path(path)
