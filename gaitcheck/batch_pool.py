"""Local worker processes that survive their clips: a crash or a hang costs one clip, not the pool.

`concurrent.futures.ProcessPoolExecutor` breaks as a whole when one worker dies (a decoder
segfault), and cannot stop a hung task. Here each worker is a spawned process with its own
pipe; the parent waits on all pipes and process sentinels at once, so it sees a result, a dead
worker (its exit signal becomes the clip's reason) or a clip past its deadline (the worker is
killed), and in the last two cases starts a fresh worker and goes on.

Workers ignore SIGINT: Ctrl-C is the parent's to handle (it stops the pool, keeps what is done).
"""
from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait

POLL_S = 0.2
STARTED = "started"  # a worker's acknowledgement that it began a task
STARTUP_LIMIT_S = 300.0  # a worker that never acknowledges its first clip (stuck starting up)


def _worker_main(connection: Connection, function: Callable[[dict], dict],
                 warm_up: Callable[[], None] | None) -> None:
    """Warm up (imports, first model load), then run tasks from the pipe until told to stop
    (None) or the parent goes away. Each task is acknowledged (STARTED) before it runs, so its
    timeout counts the clip's own time, not the worker's start-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if warm_up is not None:
        try:
            warm_up()
        except Exception:  # the clips will meet the same problem and report it
            pass
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        connection.send(STARTED)
        connection.send(function(task))


@contextlib.contextmanager
def sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while a worker is spawned (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class _Worker:
    process: multiprocessing.Process
    connection: Connection
    task: dict | None = None
    started: float = 0.0
    acknowledged: bool = False
    deadline: float = float("inf")


def death_reason(exitcode: int | None) -> str:
    """Why a worker died, in words: a signal name for a crash, else the exit status."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"signal {-exitcode}"
        return f"the worker crashed ({name}) while analysing this clip"
    return f"the worker exited unexpectedly (status {exitcode}) while analysing this clip"


@dataclass
class LocalPool:
    """`jobs` worker processes running `function` (a picklable module-level function)."""

    function: Callable[[dict], dict]
    jobs: int
    timeout: float | None = None
    warm_up: Callable[[], None] | None = None  # run once by each worker before its first task
    _context: object = field(default_factory=lambda: multiprocessing.get_context("spawn"))
    _workers: list[_Worker] = field(default_factory=list)

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(child, self.function, self.warm_up),
                                        daemon=True)
        with sigint_ignored():  # inherited through exec: a terminal's Ctrl-C never reaches a starting worker
            process.start()
        child.close()
        return _Worker(process, parent)

    def _stop(self, worker: _Worker, kill: bool = False) -> None:
        if kill:
            worker.process.kill()
        else:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        worker.process.join(timeout=None if kill else 5)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.connection.close()

    def run(self, tasks: Iterable[dict], *, on_start: Callable[[dict], None],
            on_result: Callable[[dict, dict], None], should_stop: Callable[[], bool]) -> bool:
        """Run every task; `on_result(task, result)` in the parent as each ends (a crash or a
        timeout gives a result with status "crashed"/"timeout"). Returns False if stopped early."""
        queue = deque(tasks)
        if not queue:
            return True
        try:
            self._workers = [self._start() for _ in range(max(1, min(self.jobs, len(queue))))]
            while queue or any(w.task is not None for w in self._workers):
                if should_stop():
                    return False
                for index, worker in enumerate(self._workers):
                    if worker.task is None and queue:
                        if not worker.process.is_alive():  # died after its last result
                            self._stop(worker, kill=True)
                            worker = self._workers[index] = self._start()
                        worker.task = queue.popleft()
                        worker.started, worker.acknowledged = time.monotonic(), False
                        worker.deadline = float("inf")  # set when the worker says it started
                        worker.connection.send(worker.task)
                        on_start(worker.task)
                self._wait_once(on_result)
            return True
        finally:
            for worker in self._workers:
                self._stop(worker, kill=worker.task is not None)
            self._workers = []

    def _wait_once(self, on_result: Callable[[dict, dict], None]) -> None:
        busy = [w for w in self._workers if w.task is not None]
        soonest = min((w.deadline for w in busy), default=float("inf"))
        pause = max(0.0, min(POLL_S, soonest - time.monotonic()))
        ready = set(wait([w.connection for w in busy] + [w.process.sentinel for w in busy], timeout=pause))
        for index, worker in enumerate(self._workers):
            if worker.task is None:
                continue
            task, outcome = worker.task, None
            if worker.connection in ready:
                try:
                    outcome = worker.connection.recv()
                except (EOFError, OSError):
                    outcome = None
                if outcome == STARTED:
                    worker.acknowledged = True
                    worker.started = time.monotonic()
                    worker.deadline = worker.started + self.timeout if self.timeout else float("inf")
                    continue
                if outcome is not None:
                    worker.task = None
                    on_result(task, outcome)
                    continue
            if worker.process.sentinel in ready or outcome is None and worker.connection in ready:
                worker.process.join(timeout=5)
                failure = {"status": "crashed", "error": death_reason(worker.process.exitcode)}
            elif time.monotonic() >= worker.deadline:
                failure = {"status": "timeout", "error": f"took longer than --timeout {self.timeout:g} s"}
            elif not worker.acknowledged and time.monotonic() - worker.started > STARTUP_LIMIT_S:
                failure = {"status": "crashed", "error": f"the worker did not start within {STARTUP_LIMIT_S:g} s"}
            else:
                continue
            seconds = round(time.monotonic() - worker.started, 3)
            worker.task = None
            self._stop(worker, kill=True)
            self._workers[index] = self._start()
            on_result(task, {"path": task["path"], "stem": task["stem"], "seconds": seconds, **failure})
