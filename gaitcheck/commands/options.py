"""Options shared by the commands that run the pose model."""
from __future__ import annotations

import click

TURNS = {"auto": None, "0": 0, "90": 90, "180": 180, "270": 270}


def pose_options(command):
    """Add --model, --stride, --max-side, --max-persons, --person and --turn to a command."""
    decorators = [
        click.option("--model", type=click.Path(dir_okay=False), default=None,
                     help="Pose Landmarker .task file (default: the bundled model)."),
        click.option("--stride", type=click.IntRange(1, 100), default=1, show_default=True,
                     help="Analyse every N-th frame."),
        click.option("--max-side", type=click.IntRange(64, 8192), default=1280, show_default=True,
                     help="Scale frames down to this longer side for inference (coordinates stay in full-size pixels)."),
        click.option("--max-persons", type=click.IntRange(1, 10), default=2, show_default=True,
                     help="How many people the model looks for per frame."),
        click.option("--person", type=click.IntRange(0, None), default=0, show_default=True,
                     help="Which tracked person to analyse: 0 = the walker (most walking-like travel), 1 = the next, …"),
        click.option("--turn", type=click.Choice(list(TURNS)), default="auto", show_default=True,
                     help="Clockwise turn to stand the frames upright; auto detects clips stored sideways."),
    ]
    for decorate in reversed(decorators):
        command = decorate(command)
    return command


def speed_options(command):
    """Add --fast and --no-cache to a command that analyses clips."""
    command = click.option("--no-cache", "no_cache", is_flag=True,
                           help="Neither read nor write the series cache (always run the pose model).")(command)
    return click.option("--fast", is_flag=True,
                        help="Analyse fewer frames, keeping at least 24 per second (a 60 fps clip: every second "
                             "frame, about twice as fast; 25-30 fps clips: every frame). Not with --stride.")(command)


def check_fast(fast: bool, stride: int) -> None:
    """--fast chooses the stride itself: giving both is a usage error."""
    if fast and stride != 1:
        raise click.UsageError("--fast chooses the frame stride from the clip's frame rate; give --fast or --stride, not both")
