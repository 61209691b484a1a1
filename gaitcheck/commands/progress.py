"""Rich progress and summaries for the commands (on stderr, so stdout stays for data)."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def frame_progress(clip: str, quiet: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar over frames, yielding the callback extract() calls (None when quiet)."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
               TextColumn("frames"), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(escape(Path(clip).name), total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


def print_extraction(found, output: str) -> None:
    """A few lines on what extraction found."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(stderr=True)
    series = found.series
    console.print(f"[bold]{escape(str(found.info.path))}[/]: {found.frames_read} frames, "
                  f"{series.width}×{series.height}, {found.info.fps:.2f} fps")
    if found.orientation.turn:
        console.print(f"  [yellow]stored sideways without a rotation flag[/]: {escape(found.orientation.reason)}")
    console.print(f"  walker found in {series.detected_fraction:.1%} of frames; "
                  f"{found.persons_seen} person(s) tracked, analysing #{found.person}")
    console.print(f"  series written to [bold]{escape(str(output))}[/]")
