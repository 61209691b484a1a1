"""`gaitcheck analyze CLIP [CLIP2]`: measure the walk and report it.

Outputs: the terminal table, `--json`, `--csv`, `--html`, `--annotate`. Exit 0 when analysed,
1 when nothing could be judged (the outputs are still written: they say why), 5 when
`--fail-on` is tripped; see README for every code.
"""
from __future__ import annotations

import click

from gaitcheck.commands.options import TURNS, check_fast, pose_options, speed_options

FAIL_ON = {"warn": ("warn", "fail"), "fail": ("fail",)}


def tripped(rules: list[dict], level: str | None) -> list[str]:
    """Ids of the rules whose status reaches `level` (warn: warn or fail; fail: fail)."""
    if not level:
        return []
    return [rule["id"] for rule in rules if rule["status"] in FAIL_ON[level]]


def write_outputs(analyses: list, document: dict, *, json_path: str | None, csv_target: str | None,
                  html_path: str | None, videos: list[tuple]) -> None:
    """Every file output asked for (each written atomically); the annotated videos come before
    the HTML page that embeds them. `videos` pairs each clip's video file with its output."""
    import json as jsonlib

    if json_path == "-":
        click.echo(jsonlib.dumps(document, indent=2, ensure_ascii=False))
    elif json_path:
        from gaitcheck.report.json_report import write_json

        write_json(document, json_path)
    if csv_target:
        from gaitcheck.report.csv_report import write_csv

        for analysis in analyses:
            write_csv(analysis, csv_target, several=len(analyses) > 1)
    if videos:
        from gaitcheck.report.annotate import write_annotated

        for analysis, (source, video) in zip(analyses, videos):
            write_annotated(analysis, document, source, video)
    if html_path:
        from gaitcheck.report.html import render_html, video_items, write_html

        page = render_html(analyses, document, videos=video_items([video for _, video in videos], html_path))
        write_html(page, html_path)


@click.command()
@click.argument("clips", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--json", "json_path", type=click.Path(path_type=str), default=None,
              help="Write the report-v1 JSON here ('-' for stdout).")
@click.option("--csv", "csv_target", type=click.Path(path_type=str), default=None,
              help="Write per-frame angles and per-stride values as CSV: into a folder (DIR/<clip>.frames.csv, "
                   "DIR/<clip>.strides.csv) or with a file-name prefix (PREFIX.frames.csv, PREFIX.strides.csv).")
@click.option("--html", "html_path", type=click.Path(path_type=str), default=None,
              help="Write a self-contained HTML report (verdict, rule table, key frames, plots, strides).")
@click.option("--annotate", "annotate_path", type=click.Path(path_type=str), default=None,
              help="Write the clip with skeleton, live angles and rule flags as a WebM video (VP8); with --html the "
                   "page embeds it. Several clips: one video each, OUT.<clip>.webm.")
@click.option("--save-series", type=click.Path(path_type=str), default=None,
              help="Also save the walker's cleaned landmark series (.npz): analysing that file later needs no inference.")
@click.option("--rules", "rules_path", type=click.Path(path_type=str), default=None,
              help="A rules file (TOML) whose tables override the bundled rules.")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default=None,
              help="Exit with code 5 when any rule reaches this status (warn: warn or fail), after writing every output.")
@pose_options
@speed_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or table.")
def analyze(clips, json_path, csv_target, html_path, annotate_path, save_series, rules_path, fail_on, model, stride, max_side, max_persons,
            person, turn, fast, no_cache, quiet) -> None:
    """Measure the posture and gait of the walker in CLIP (a video, or a saved .npz series).

    Give two clips of the same walk (a side view and a front or back view) to judge every rule
    from the view that measures it best, in one report.
    """
    from gaitcheck.analysis import analyze_path, is_series_file
    from gaitcheck.atomic import check_not_input, check_output_path
    from gaitcheck.commands.progress import frame_progress
    from gaitcheck.errors import FailOnTripped, InputError, NotAnalysableError
    from gaitcheck.model import find_model
    from gaitcheck.report.annotate import annotated_paths
    from gaitcheck.report.combine import merged_metrics
    from gaitcheck.report.csv_report import check_csv_target
    from gaitcheck.report.json_report import report_dict
    from gaitcheck.report.keyframes import clip_of
    from gaitcheck.rules import judge, load_rules
    from gaitcheck.video import check_readable_file

    check_fast(fast, stride)
    for clip in clips:
        check_readable_file(clip)
    if save_series and len(clips) > 1:
        raise InputError(save_series, "--save-series takes one clip; analyse each clip on its own to save its series")
    rules = load_rules(rules_path)
    for output in (json_path, html_path, save_series):
        if output and output != "-":
            check_output_path(output)
            check_not_input(output, *clips, rules_path)
    if csv_target:
        check_csv_target(csv_target, list(clips))
    videos = annotated_paths(annotate_path, list(clips)) if annotate_path else []
    for video in videos:
        check_output_path(video)
        check_not_input(video, *clips)
    options = dict(model=model, stride=stride, max_side=max_side, max_persons=max_persons,
                   person=person, turn=TURNS[turn], fast=fast)
    if not all(is_series_file(clip) for clip in clips):
        find_model(model)
    analyses = []
    for clip in clips:
        with frame_progress(clip, quiet or json_path == "-") as progress:
            analyses.append(analyze_path(clip, extract_options=options, progress=progress, save_series_to=save_series,
                                         use_cache=not no_cache))
    sources = [clip_of(analysis) for analysis in analyses] if videos else []
    for clip, source in zip(clips, sources):
        if source is None:
            raise InputError(clip, "--annotate needs the video this series came from, which is not at hand")
    results, verdict = judge(rules, merged_metrics(analyses))
    document = report_dict(analyses, results, verdict)

    write_outputs(analyses, document, json_path=json_path, csv_target=csv_target, html_path=html_path,
                  videos=list(zip(sources, videos)))
    if not quiet and json_path != "-":
        from gaitcheck.report.terminal import print_report

        print_report(analyses, document)

    if verdict == "not_analysable":
        raise NotAnalysableError(", ".join(clips), "no posture rule could be judged from this walk "
                                 "(see the report's reasons); the outputs were written")
    failing = tripped(results, fail_on)
    if failing:
        raise FailOnTripped(", ".join(clips), f"--fail-on {fail_on}: {', '.join(failing)}")
