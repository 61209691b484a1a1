"""`gaitcheck analyze CLIP`: measure the walk and report it."""
from __future__ import annotations

import click

from gaitcheck.commands.options import TURNS, pose_options


@click.command()
@click.argument("clip", type=click.Path(path_type=str))
@click.option("--json", "json_path", type=click.Path(path_type=str), default=None,
              help="Write the report-v1 JSON here ('-' for stdout).")
@click.option("--save-series", type=click.Path(path_type=str), default=None,
              help="Also save the walker's cleaned landmark series (.npz): analysing that file later needs no inference.")
@click.option("--rules", "rules_path", type=click.Path(path_type=str), default=None,
              help="A rules file (TOML) whose tables override the bundled rules.")
@pose_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or table.")
def analyze(clip, json_path, save_series, rules_path, model, stride, max_side, max_persons, person, turn, quiet) -> None:
    """Measure the posture and gait of the walker in CLIP (a video, or a saved .npz series)."""
    import json as jsonlib

    from gaitcheck.analysis import analyze_path, is_series_file
    from gaitcheck.atomic import check_output_path
    from gaitcheck.commands.progress import frame_progress
    from gaitcheck.model import find_model
    from gaitcheck.report.json_report import report_dict, write_json
    from gaitcheck.video import check_readable_file

    from gaitcheck.rules import judge, load_rules

    check_readable_file(clip)
    rules = load_rules(rules_path)
    for output in (json_path, save_series):
        if output and output != "-":
            check_output_path(output)
    options = dict(model=model, stride=stride, max_side=max_side, max_persons=max_persons,
                   person=person, turn=TURNS[turn])
    if not is_series_file(clip):
        find_model(model)
    with frame_progress(clip, quiet or json_path == "-") as progress:
        analysis = analyze_path(clip, extract_options=options, progress=progress, save_series_to=save_series)
    results, verdict = judge(rules, analysis.metrics)
    document = report_dict(analysis, results, verdict)
    if json_path == "-":
        click.echo(jsonlib.dumps(document, indent=2, ensure_ascii=False))
    elif json_path:
        write_json(document, json_path)
    if not quiet and json_path != "-":
        from gaitcheck.report.terminal import print_report

        print_report(analysis, document)
