"""Many clips: plan (what is already done), run (local processes or a Dask cluster), store.

Layout of OUTDIR:

    reports/<stem>.json   the report-v1 JSON of each analysed clip (and .html when available;
                          .frames.csv and .strides.csv with --csv; .annotated.webm with --annotate)
    state/<stem>.json     the clip's result record: content hash, settings key, status, reason,
                          verdict, rule statuses, metric values, seconds. Written last and
                          atomically, so its presence means the clip's outputs are complete.
    summary.csv, index.html   rebuilt from the records (after each clip, and at the end).

A rerun reuses a record whose content hash and settings key match and whose status is "ok" or
"failed" (a clip that cannot be analysed fails the same way again); crashed, timed-out and
errored clips are tried again. The parent process is the only writer, whatever the backend:
workers (local or on a cluster) send their documents back and never write into OUTDIR.
"""
from __future__ import annotations

import hashlib
import importlib.util
import json
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from gaitcheck.atomic import atomic_path
from gaitcheck.batch_inputs import Clip, content_hash
from gaitcheck.batch_summary import PENDING, write_summary
from gaitcheck.errors import OutputError

REUSABLE = {"ok", "failed"}
NOT_ANALYSED = {"failed", "crashed", "timeout", "error"}
SUMMARY_EVERY_S = 1.0
RECORD_VERSION = 1


@dataclass(frozen=True)
class Settings:
    """What decides the result of a clip besides its content (not --jobs, not where it runs)."""

    options: dict  # extract options (model, stride, max_side, max_persons, person, turn)
    rules_path: str | None = None
    formats: tuple[str, ...] = ("json", "html")  # and "csv", "annotate" on request
    use_cache: bool = True  # read and write the series cache (never changes a result: not in the key)


def settings_key(settings: Settings) -> str:
    """A hash of everything that changes a clip's result: code version, model bytes, rules
    bytes (bundled and the user's), extraction options, requested formats and whether the
    HTML and CSV renderers exist. (Not the code itself: after changing gaitcheck without a new
    version, use --force.)"""
    from importlib import resources

    from gaitcheck import __version__
    from gaitcheck.model import find_model

    options = dict(settings.options)
    model = options.pop("model", None)
    available = {name: importlib.util.find_spec(f"gaitcheck.report.{name}") is not None
                 for name in ("html", "csv_report", "annotate")}
    facts = {
        "version": __version__, "record": RECORD_VERSION, "options": options,
        "model": content_hash(find_model(model)),
        "rules": hashlib.sha256(resources.files("gaitcheck").joinpath("rules.toml").read_bytes()).hexdigest(),
        "user_rules": content_hash(settings.rules_path) if settings.rules_path else None,
        "formats": sorted(settings.formats), "renderers": available,
    }
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()[:16]


@dataclass
class Plan:
    """The clips to run and the records that can be reused."""

    clips: list[Clip]
    hashes: dict[str, str]  # stem -> content hash ("" if unreadable)
    reused: dict[str, dict]  # stem -> record
    todo: list[Clip]


def record_path(outdir: Path, stem: str) -> Path:
    return outdir / "state" / f"{stem}.json"


def read_record(outdir: Path, stem: str) -> dict | None:
    try:
        record = json.loads(record_path(outdir, stem).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _reusable(record: dict | None, outdir: Path, digest: str, key: str) -> bool:
    if not record or record.get("status") not in REUSABLE:
        return False
    if not digest or record.get("content_hash") != digest or record.get("settings_key") != key:
        return False
    return all((outdir / name).is_file() for name in (record.get("outputs") or {}).values())


def plan(clips: list[Clip], outdir: Path, key: str, *, force: bool = False) -> Plan:
    """Hash every clip and find which ones already have a matching result."""
    hashes, reused, todo = {}, {}, []
    for clip in clips:
        try:
            hashes[clip.stem] = content_hash(clip.path)
        except OSError:
            hashes[clip.stem] = ""
        record = None if force else read_record(outdir, clip.stem)
        if _reusable(record, outdir, hashes[clip.stem], key):
            reused[clip.stem] = record
        else:
            todo.append(clip)
    return Plan(clips, hashes, reused, todo)


def store_result(outdir: Path, clip: Clip, digest: str, key: str, result: dict) -> dict:
    """Write a clip's reports, then its record (all atomically); return the record."""
    documents = result.get("documents") or {}
    outputs = {}
    if documents.get("json") is not None:
        from gaitcheck.report.json_report import write_json

        outputs["json"] = f"reports/{clip.stem}.json"
        write_json(documents["json"], outdir / outputs["json"])
    if documents.get("html"):
        outputs["html"] = f"reports/{clip.stem}.html"
        with atomic_path(outdir / outputs["html"]) as temp:
            temp.write_text(documents["html"], encoding="utf-8")
    for name, text in (documents.get("csv") or {}).items():
        outputs[f"{name}_csv"] = f"reports/{clip.stem}.{name}.csv"
        with atomic_path(outdir / outputs[f"{name}_csv"]) as temp:
            temp.write_text(text, encoding="utf-8")
    if documents.get("annotated"):
        from gaitcheck.batch_clip import ANNOTATED_SUFFIX

        outputs["annotated"] = f"reports/{clip.stem}{ANNOTATED_SUFFIX}"
        with atomic_path(outdir / outputs["annotated"]) as temp:
            temp.write_bytes(documents["annotated"])
    record = {key_: value for key_, value in result.items() if key_ != "documents"}
    record.update(path=clip.path, label=clip.label, stem=clip.stem, content_hash=digest, settings_key=key,
                  outputs=outputs, record_version=RECORD_VERSION,
                  finished_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
    with atomic_path(record_path(outdir, clip.stem)) as temp:
        # ASCII escapes: a clip name that is not UTF-8 survives the round trip unchanged
        temp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    return record


def prepare_outdir(outdir: Path) -> Path:
    """Create OUTDIR and its sub-folders, or fail with the one-line OutputError (exit 3)."""
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(outdir, "is a file; give a folder for the batch's outputs")
    try:
        for folder in (outdir, outdir / "reports", outdir / "state"):
            folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from gaitcheck.atomic import output_problem

        raise OutputError(outdir, f"cannot be created: {output_problem(error)}") from None
    return outdir


class Listener:
    """What a progress display hears (all no-ops here)."""

    def planned(self, total: int, reused: int) -> None: ...
    def started(self, clip: Clip) -> None: ...
    def finished(self, clip: Clip, record: dict) -> None: ...


@dataclass
class Outcome:
    """How a batch ended: every clip's record (or pending), in input order."""

    records: list[dict]
    analysed: int = 0
    reused: int = 0
    interrupted: bool = False
    not_analysed: list[dict] = field(default_factory=list)


@dataclass
class _StopFlag:
    """Set by Ctrl-C: the run stops between results instead of being torn mid-write."""

    set: bool = False

    def __call__(self) -> bool:
        return self.set


def _interruptible(stop: _StopFlag):
    """Install a SIGINT handler that sets `stop` (main thread only); returns the restorer."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = signal.getsignal(signal.SIGINT)

    def handle(signum, frame) -> None:
        if stop.set:  # a second Ctrl-C: stop at once
            raise KeyboardInterrupt
        stop.set = True

    signal.signal(signal.SIGINT, handle)
    return lambda: signal.signal(signal.SIGINT, previous)


def _size(clip: Clip) -> int:
    try:
        return Path(clip.path).stat().st_size
    except OSError:
        return 0


def task_of(clip: Clip, settings: Settings) -> dict:
    return {"path": clip.path, "stem": clip.stem, "options": settings.options,
            "rules_path": settings.rules_path, "formats": list(settings.formats),
            "use_cache": settings.use_cache}


def run_batch(clips: list[Clip], outdir: Path, settings: Settings, *, jobs: int = 1,
              timeout: float | None = None, scheduler: str | None = None, force: bool = False,
              listener: Listener | None = None) -> Outcome:
    """Run every clip not already done, keep OUTDIR's summary in step, return the outcome."""
    from gaitcheck.rules import load_rules

    listener = listener or Listener()
    rule_ids = [rule.id for rule in load_rules(settings.rules_path).rules]
    outdir = prepare_outdir(Path(outdir))
    key = settings_key(settings)
    work = plan(clips, outdir, key, force=force)
    listener.planned(len(clips), len(work.reused))
    done: dict[str, dict] = dict(work.reused)
    by_stem = {clip.stem: clip for clip in clips}
    last_summary = 0.0

    def records() -> list[dict]:
        # the path as named in this run (a reused record may come from another working folder)
        return [{**(done.get(c.stem) or PENDING), "path": c.path, "label": c.label, "stem": c.stem} for c in clips]

    def on_start(task: dict) -> None:
        listener.started(by_stem[task["stem"]])

    def on_result(task: dict, result: dict) -> None:
        nonlocal last_summary
        clip = by_stem[task["stem"]]
        record = store_result(outdir, clip, work.hashes[clip.stem], key, result)
        done[clip.stem] = record
        listener.finished(clip, record)
        if time.monotonic() - last_summary >= SUMMARY_EVERY_S:
            write_summary(outdir, records(), rule_ids)
            last_summary = time.monotonic()

    stop = _StopFlag()
    restore = _interruptible(stop)
    completed = False
    try:
        # longest first (by file size), so a long clip does not start last and hold up the end
        tasks = [task_of(clip, settings) for clip in sorted(work.todo, key=_size, reverse=True)]
        if scheduler:
            from gaitcheck.batch_dask import run_on_cluster

            for task in tasks:  # workers have their own working folder: give them absolute paths
                task.update(path=str(Path(task["path"]).absolute()), shown_as=task["path"])

            completed = run_on_cluster(scheduler, tasks, on_start=on_start, on_result=on_result, should_stop=stop)
        else:
            from gaitcheck.batch_clip import process_clip, warm_up
            from gaitcheck.batch_pool import LocalPool

            pool = LocalPool(process_clip, jobs, timeout, warm_up)
            completed = pool.run(tasks, on_start=on_start, on_result=on_result, should_stop=stop)
    except KeyboardInterrupt:
        completed = False
    finally:
        from gaitcheck.batch_pool import sigint_ignored

        with sigint_ignored():  # a last Ctrl-C must not leave the summary behind the records
            write_summary(outdir, records(), rule_ids)
        restore()
    final = records()
    return Outcome(
        records=final, analysed=len(done) - len(work.reused), reused=len(work.reused),
        interrupted=not completed, not_analysed=[r for r in final if r["status"] in NOT_ANALYSED],
    )
