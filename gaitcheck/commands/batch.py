"""`gaitcheck batch PATH... -o OUTDIR`: many clips, in parallel, resumable, locally or on Dask."""
from __future__ import annotations

import os

import click

from gaitcheck.commands.options import TURNS, check_fast, pose_options, speed_options


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("-o", "--out", "outdir", required=True, type=click.Path(path_type=str),
              help="Folder for the reports, summary.csv and index.html (created if missing).")
@click.option("-j", "--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes [default: the number of cores].")
@click.option("--timeout", type=click.FloatRange(0, None, min_open=True), default=None,
              help="Give up on a clip after this many seconds (local runs) [default: no limit].")
@click.option("--scheduler", default=None, metavar="tcp://HOST:PORT",
              help="Run on this dask.distributed scheduler (needs gaitcheck[dask]; workers must see the clips at the same paths).")
@click.option("--rules", "rules_path", type=click.Path(path_type=str), default=None,
              help="A rules file (TOML) whose tables override the bundled rules.")
@click.option("--no-html", is_flag=True, help="No HTML page per clip.")
@click.option("--csv", "with_csv", is_flag=True, help="Also write each clip's per-frame and per-stride CSV (reports/<name>.frames.csv, .strides.csv).")
@click.option("--annotate", is_flag=True, help="Also write each clip's annotated video (reports/<name>.annotated.webm: skeleton, live angles, rule flags).")
@click.option("--force", is_flag=True, help="Analyse every clip again, even those already done.")
@pose_options
@speed_options
@click.option("-q", "--quiet", is_flag=True, help="No progress display or closing summary (failures are still listed).")
def batch(paths, outdir, jobs, timeout, scheduler, rules_path, no_html, with_csv, annotate, force,
          model, stride, max_side, max_persons, person, turn, fast, no_cache, quiet) -> None:
    """Analyse every clip in PATHS (files, folders searched recursively, globs) into OUTDIR.

    Each clip gets reports/<name>.json (and .html); OUTDIR/summary.csv and OUTDIR/index.html
    list every clip with its status. A rerun skips clips already done with the same content and
    settings. Exit status: 0 every clip analysed, 1 some could not be (listed, with the reason),
    2 usage error, 3 OUTDIR not writable, 130 interrupted (finished results are kept: rerun).
    """
    import sys
    from pathlib import Path

    from gaitcheck.batch import Settings, run_batch
    from gaitcheck.batch_inputs import find_clips
    from gaitcheck.errors import EXIT_INTERRUPTED, EXIT_NOT_ANALYSED, InputError
    from gaitcheck.model import find_model
    from gaitcheck.rules import load_rules

    check_fast(fast, stride)
    clips = find_clips(list(paths))
    if not clips:
        raise InputError(None, "no video clips found in " + ", ".join(paths))
    load_rules(rules_path)  # a bad rules file is a usage error before any work
    find_model(model)
    options = dict(model=model, stride=stride, max_side=max_side, max_persons=max_persons,
                   person=person, turn=TURNS[turn], **({"fast": True} if fast else {}))
    formats = (("json",) + (() if no_html else ("html",)) + (("csv",) if with_csv else ())
               + (("annotate",) if annotate else ()))
    settings = Settings(options, rules_path, formats, use_cache=not no_cache)
    jobs = jobs or _default_jobs()
    if quiet:
        outcome = run_batch(clips, Path(outdir), settings, jobs=jobs, timeout=timeout,
                            scheduler=scheduler, force=force)
    else:
        from gaitcheck.commands.batch_progress import BatchProgress

        with BatchProgress(len(clips), jobs if not scheduler else None) as listener:
            outcome = run_batch(clips, Path(outdir), settings, jobs=jobs, timeout=timeout,
                                scheduler=scheduler, force=force, listener=listener)
    for record in outcome.not_analysed:
        click.echo(f"gaitcheck: {record['path']}: {record['error']} [{record['status']}]", err=True)
    if not quiet:
        ok = sum(1 for r in outcome.records if r["status"] == "ok")
        click.echo(f"{len(clips)} clips: {ok} reported, {len(outcome.not_analysed)} not analysed "
                   f"({outcome.analysed} run now, {outcome.reused} reused) → {Path(outdir) / 'index.html'}", err=True)
    if outcome.interrupted:
        click.echo("gaitcheck: interrupted; finished clips are kept, run the same command again to finish", err=True)
        sys.exit(EXIT_INTERRUPTED)
    if outcome.not_analysed:
        sys.exit(EXIT_NOT_ANALYSED)
