"""`gaitcheck synth`: render synthetic walkers with known posture (clip + truth JSON).

Only click is imported at module level; the renderer (numpy, cv2) loads when the command runs.
"""
from __future__ import annotations

import click

PRESET_HELP = ("good, slouch, forward_head, looking_down, stiff_arms, uneven_arms, elbows_out, "
               "shoulder_tilt, head_tilt, side_lean, uneven_steps, irregular_steps, flat_foot, "
               "hip_drop, arms_parallel; combine with '+', e.g. slouch+stiff_arms")


def _size(ctx: click.Context, param: click.Parameter, value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise click.BadParameter("expected WIDTHxHEIGHT, e.g. 854x480") from None
    if not (64 <= w <= 3840 and 64 <= h <= 2160) or w % 2 or h % 2:
        raise click.BadParameter("width and height must be even, 64..3840 x 64..2160")
    return w, h


def _preset(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from gaitcheck.synth.posture import PRESETS

    unknown = [p for p in value.split("+") if p.strip() not in PRESETS]
    if unknown:
        raise click.BadParameter(f"unknown preset {unknown[0]!r}; known: {', '.join(PRESETS)}")
    return value


def _overrides(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> dict:
    from dataclasses import fields

    from gaitcheck.synth.posture import Posture

    types = {f.name: f.type for f in fields(Posture)}
    out: dict = {}
    for item in values:
        key, sep, raw = item.partition("=")
        if not sep or key not in types:
            raise click.BadParameter(f"{item!r}: expected FIELD=VALUE with FIELD one of {', '.join(types)}")
        if "bool" in str(types[key]):
            if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
                raise click.BadParameter(f"{item!r}: expected true or false")
            out[key] = raw.lower() in ("true", "1", "yes")
        else:
            try:
                out[key] = float(raw)
            except ValueError:
                raise click.BadParameter(f"{item!r}: expected a number") from None
    return out


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("out", required=False, type=click.Path(dir_okay=False, writable=True))
@click.option("--preset", default="good", show_default=True, callback=_preset, help=PRESET_HELP)
@click.option("--view", type=click.Choice(["side", "front", "back", "oblique"]), default="side", show_default=True,
              help="side = walking across the picture; front = towards the camera; back = away from it; "
                   "oblique = towards the camera at 45°.")
@click.option("--direction", type=click.Choice(["left_to_right", "right_to_left"]), default=None,
              help="Screen direction of a side or oblique view [default: left_to_right].")
@click.option("--seed", type=click.IntRange(0, 2**31 - 1), default=0, show_default=True,
              help="Fixes every random choice (body size, clothes, room, noise): same seed, same frames.")
@click.option("--duration", type=click.FloatRange(0.5, 600.0), default=5.0, show_default=True, help="Seconds.")
@click.option("--fps", type=click.FloatRange(5.0, 240.0), default=30.0, show_default=True)
@click.option("--size", default="640x360", show_default=True, callback=_size, help="WIDTHxHEIGHT in pixels.")
@click.option("--roll", "roll_deg", type=click.FloatRange(-45.0, 45.0), default=0.0, show_default=True,
              help="Camera roll in degrees (a tilted phone); + turns the picture counter-clockwise.")
@click.option("--treadmill", is_flag=True, help="Walk on the spot (stays in view: for long clips).")
@click.option("--second-person", is_flag=True, help="Another walker crosses in the background.")
@click.option("--clean", is_flag=True, help="No sensor noise and no blur.")
@click.option("--exact", is_flag=True,
              help="Use the preset's values as they stand (by default a walker's unset posture fields "
                   "vary a little by seed, always within the healthy range).")
@click.option("--stature", type=click.FloatRange(1.2, 2.2), default=None, help="Body height in metres [default: from the seed].")
@click.option("--set", "overrides", multiple=True, callback=_overrides, metavar="FIELD=VALUE",
              help="Set one posture parameter on top of the preset, e.g. --set trunk_lean_deg=10 (repeatable).")
@click.option("--suite", "suite_dir", type=click.Path(file_okay=False), default=None,
              help="Render the fixed regression suite (every view, every rule passing and failing) into DIR.")
@click.option("--reseed", type=click.IntRange(1, 2**30), default=None, metavar="N",
              help="With --suite: the same clips with every seed moved by N (fresh walkers, rooms and noise).")
@click.option("--samples", "samples_dir", type=click.Path(file_okay=False), default=None,
              help="Render the sample clips of samples/ into DIR.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def synth(out, preset, view, direction, seed, duration, fps, size, roll_deg, treadmill, second_person,
          clean, exact, stature, overrides, suite_dir, reseed, samples_dir, quiet) -> None:
    """Render a synthetic walker with known posture to OUT.mp4, and OUT.truth.json beside it.

    The truth JSON holds the exact value of every posture metric as drawn, the heel-strike
    times, the view and the verdict each rule should get. --suite DIR and --samples DIR
    render fixed, seeded sets of clips instead of OUT.
    """
    chosen = [x for x in (out, suite_dir, samples_dir) if x]
    if len(chosen) != 1:
        raise click.UsageError("give exactly one of OUT.mp4, --suite DIR or --samples DIR")
    if direction and view not in ("side", "oblique"):
        raise click.BadParameter("only a side or oblique view has a screen direction", param_hint="--direction")
    if reseed is not None and not suite_dir:
        raise click.BadParameter("only the suite can be reseeded", param_hint="--reseed")
    if out and not out.lower().endswith(".mp4"):
        raise click.BadParameter("the output must be an .mp4 file", param_hint="OUT")

    from pathlib import Path

    from gaitcheck.errors import OutputError

    if out:
        from gaitcheck.synth.clip import ClipSpec, check, render_clip

        target = Path(out)
        spec = ClipSpec(preset=preset, view=view, direction=direction, seed=seed, duration=duration,
                        fps=fps, width=size[0], height=size[1], roll_deg=roll_deg, treadmill=treadmill,
                        second_person=second_person, clean=clean, stature=stature, overrides=overrides,
                        vary=not exact)
        try:
            check(spec)
        except ValueError as error:
            raise click.UsageError(str(error)) from None
        if not target.parent.is_dir():
            raise OutputError(target, "cannot be written: its folder does not exist")
        with _progress(quiet) as bar:
            task = bar.add_task(target.name, total=None) if bar else None
            try:
                render_clip(spec, target, (lambda i, n: bar.update(task, completed=i, total=n)) if bar else None)
            except OSError as error:
                raise OutputError(target, f"cannot be written: {error.strerror or error}") from None
        click.echo(f"{target}  (+ {target.stem}.truth.json)")
        return

    from gaitcheck.synth.suite import SAMPLES, SUITE, render_set, reseeded

    folder = Path(suite_dir or samples_dir)
    specs = (reseeded(SUITE, reseed) if reseed else SUITE) if suite_dir else SAMPLES
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(folder, f"cannot be created: {error.strerror or error}") from None
    with _progress(quiet) as bar:
        if bar:
            total = sum(int(round(s.duration * s.fps)) for s in specs.values())
            task = bar.add_task(f"{len(specs)} clips", total=total)
            done: dict[str, int] = {}

            def update(name: str, i: int, n: int) -> None:
                done[name] = i
                bar.update(task, completed=sum(done.values()), description=name)
        try:
            paths = render_set(specs, folder, update if bar else None)
        except OSError as error:
            raise OutputError(folder, f"cannot be written: {error.strerror or error}") from None
    click.echo(f"{len(paths)} clips (+ truth JSON) in {folder}")


def _progress(quiet: bool):
    """A rich progress bar on stderr, or a do-nothing context when quiet."""
    import contextlib

    if quiet:
        return contextlib.nullcontext(None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("frames"), TimeRemainingColumn(), console=Console(stderr=True), transient=True)
