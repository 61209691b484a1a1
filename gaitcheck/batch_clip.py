"""One clip of a batch, as run by a worker (a local process or a Dask worker).

`process_clip(task)` takes and returns plain values only, so the same function runs in a
spawned process or on a cluster, and only the result travels back: the report documents
(JSON, HTML text) and the few numbers the summary needs, never frames.

Test hook (documented in tests/test_batch.py): `GAITCHECK_BATCH_FAULT=abort:NAME` makes the
worker call `os.abort()` (a crash, as a decoder segfault would) on the clip whose file name is
NAME; `hang:NAME` makes it sleep for an hour there (for `--timeout`); several, comma-separated.
`GAITCHECK_BATCH_INFERENCE_LOG=FILE` appends one line per clip that runs the pose model, so a
test can count inference across processes.
"""
from __future__ import annotations

import os
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

FAULT_ENV = "GAITCHECK_BATCH_FAULT"
INFERENCE_LOG_ENV = "GAITCHECK_BATCH_INFERENCE_LOG"
ANNOTATED_SUFFIX = ".annotated.webm"  # reports/<stem>.annotated.webm, beside reports/<stem>.html


def _test_hooks(path: str) -> None:
    """The crash/hang hook for tests (see the module docstring); does nothing unless set."""
    for fault in os.environ.get(FAULT_ENV, "").split(","):
        kind, _, name = fault.partition(":")
        if name and Path(path).name == name:
            if kind == "abort":
                os.abort()
            if kind == "hang":
                time.sleep(3600)
    log = os.environ.get(INFERENCE_LOG_ENV)
    if log:
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"{path}\n")


@lru_cache(maxsize=4)
def _rules(rules_path: str | None):
    from gaitcheck.rules import load_rules

    return load_rules(rules_path)


def render_html(analysis, document: dict, video: str | None = None) -> str | None:
    """The per-clip HTML page, when the HTML renderer exists in this build (else None);
    `video` is the annotated video's file name beside the page, linked from it.

    The one place to switch on HTML: gaitcheck/report/html.py is written in parallel.
    """
    try:
        from gaitcheck.report.html import render_html as render
    except ImportError:
        return None
    if video:
        return render(analysis, document, videos=[(f"{video}: skeleton, live angles and rule flags", video)])
    return render(analysis, document)


def render_csv(analysis) -> dict[str, str] | None:
    """The per-frame and per-stride CSV texts, when the CSV renderer exists in this build."""
    try:
        from gaitcheck.report.csv_report import FRAME_HEADER, STRIDE_HEADER, frame_rows, stride_rows
    except ImportError:
        return None
    import csv
    import io

    texts = {}
    for name, header, rows in (("frames", FRAME_HEADER, frame_rows(analysis)),
                               ("strides", STRIDE_HEADER, stride_rows(analysis))):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        texts[name] = buffer.getvalue()
    return texts


def render_annotated(analysis, document: dict, path: str) -> bytes | None:
    """The annotated WebM's bytes, when the annotated-video renderer exists in this build.

    Made in a scratch folder on the worker and sent back, so the client stays the only writer
    of OUTDIR (on a cluster too)."""
    try:
        from gaitcheck.report.annotate import write_annotated
    except ImportError:
        return None
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gaitcheck-annotate-") as scratch:
        target = Path(scratch) / "annotated.webm"
        write_annotated(analysis, document, path, target)
        return target.read_bytes()


def key_numbers(document: dict) -> dict:
    """What the summary keeps of a report: verdict, view, each rule's status, metric values."""
    return {
        "verdict": document.get("verdict"),
        "camera": document.get("view", {}).get("camera"),
        "rules": {rule["id"]: rule["status"] for rule in document.get("rules", [])},
        "metrics": {name: metric.get("value") for name, metric in document.get("metrics", {}).items()},
    }


def warm_up() -> None:
    """Pay a worker's one-off costs before its first clip: imports and mediapipe's first model
    load (~1 s; later loads take ~0.1 s each)."""
    import gaitcheck.analysis  # noqa: F401
    import gaitcheck.extract  # noqa: F401
    from gaitcheck.pose import PoseEstimator

    PoseEstimator(video=True).close()


def process_clip(task: dict) -> dict:
    """Analyse one clip; never raises for a bad clip: the error goes into the result."""
    from gaitcheck.errors import GaitcheckError

    started = time.perf_counter()
    path = task["path"]
    result: dict = {"path": path, "stem": task["stem"]}
    try:
        from gaitcheck.analysis import analyze_path
        from gaitcheck.report.json_report import report_dict
        from gaitcheck.rules import judge
        from gaitcheck.video import check_readable_file

        check_readable_file(path)
        _test_hooks(path)
        # One process per clip already fills the cores: no time-chunk workers inside it.
        analysis = analyze_path(path, extract_options={"workers": 1, **task["options"]},
                                use_cache=task.get("use_cache", True))
        if task.get("shown_as") and task["shown_as"] != path:  # opened by absolute path on a cluster
            analysis = replace(analysis, input=replace(analysis.input, path=task["shown_as"]))
        results, verdict = judge(_rules(task.get("rules_path")), analysis.metrics)
        document = report_dict(analysis, results, verdict)
        formats = task.get("formats", ("json", "html"))
        annotated = render_annotated(analysis, document, path) if "annotate" in formats else None
        video = f"{task['stem']}{ANNOTATED_SUFFIX}" if annotated else None
        documents = {"json": document, "annotated": annotated,
                     "html": render_html(analysis, document, video) if "html" in formats else None,
                     "csv": render_csv(analysis) if "csv" in formats else None}
        result.update(status="ok", error="", documents=documents, **key_numbers(document))
    except GaitcheckError as error:
        result.update(status="failed", error=error.problem)
    except MemoryError:
        result.update(status="error", error="out of memory")
    except Exception as error:  # a bug in one clip must not stop the batch: keep its one line
        result.update(status="error", error=f"internal error: {type(error).__name__}: {error}")
    result["seconds"] = round(time.perf_counter() - started, 3)
    return result
