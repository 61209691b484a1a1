"""The batch's rich progress display (stderr): clips done and failed, the current clips, ETA."""
from __future__ import annotations

from gaitcheck.batch import NOT_ANALYSED, Listener
from gaitcheck.batch_inputs import Clip


class BatchProgress(Listener):
    """A bar over clips plus one line per clip being analysed; a context manager."""

    def __init__(self, total: int, slots: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=Console(stderr=True))
        self.total = total
        self.done = self.failed = self.reused = 0
        self.main = self.progress.add_task("clips", total=total)
        self.current: dict[str, int] = {}  # stem -> task id of its line

    def __enter__(self) -> BatchProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def _describe(self) -> None:
        text = f"[bold]clips[/] {self.done} done · [red]{self.failed} failed[/]"
        if self.reused:
            text += f" · {self.reused} reused"
        self.progress.update(self.main, description=text, completed=self.done + self.failed)

    def planned(self, total: int, reused: int) -> None:
        self.reused = reused
        self.done = reused
        self._describe()

    def started(self, clip: Clip) -> None:
        self.current[clip.stem] = self.progress.add_task(f"  [dim]{clip.label}[/]", total=None)

    def finished(self, clip: Clip, record: dict) -> None:
        line = self.current.pop(clip.stem, None)
        if line is not None:
            self.progress.remove_task(line)
        if record["status"] in NOT_ANALYSED:
            self.failed += 1
            self.progress.console.print(f"[red]✗[/] {clip.label}: {record.get('error', '')}")
        else:
            self.done += 1
        self._describe()
