"""`gaitcheck landmarks CLIP -o series.npz`: the walker's clean landmark series, saved."""
from __future__ import annotations

import click

from gaitcheck.commands.options import TURNS, pose_options


@click.command()
@click.argument("clip", type=click.Path(path_type=str))
@click.option("-o", "--output", required=True, type=click.Path(path_type=str), help="Where to write the series (.npz).")
@pose_options
@click.option("--cutoff", type=click.FloatRange(0, None), default=6.0, show_default=True,
              help="Low-pass cutoff in Hz (zero-lag Butterworth); 0 turns filtering off.")
@click.option("--max-gap", type=click.FloatRange(0, None), default=0.25, show_default=True,
              help="Fill gaps in a landmark's track up to this many seconds; longer gaps stay empty.")
@click.option("--raw", is_flag=True, help="Save the series as detected: no gap filling, no filter.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def landmarks(clip, output, model, stride, max_side, max_persons, person, turn, cutoff, max_gap, raw, quiet) -> None:
    """Find the walker in CLIP and save their landmark series (pixels over time)."""
    from gaitcheck.atomic import check_not_input, check_output_path
    from gaitcheck.commands.progress import frame_progress
    from gaitcheck.extract import extract
    from gaitcheck.model import find_model
    from gaitcheck.series import clean, save_series
    from gaitcheck.video import check_readable_file

    check_readable_file(clip)
    check_output_path(output)
    check_not_input(output, clip)
    find_model(model)
    with frame_progress(clip, quiet) as progress:
        found = extract(
            clip, model=model, stride=stride, max_side=max_side, max_persons=max_persons,
            person=person, turn=TURNS[turn], progress=progress,
        )
    series = found.series if raw else clean(found.series, cutoff_hz=cutoff, max_gap_s=max_gap)
    save_series(series, output)
    if not quiet:
        from gaitcheck.commands.progress import print_extraction

        print_extraction(found, output)
