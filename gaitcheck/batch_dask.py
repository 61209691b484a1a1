"""Run a batch's clips on an existing dask.distributed cluster (the optional `dask` extra).

Workers must see the clips at the same paths as the client (a shared file system); each task
sends back only its result (report documents and a few numbers), never frames, and the client
writes every output. A task that kills its worker is retried by Dask and then reported as
crashed (KilledWorker); `--timeout` is not enforced on a cluster.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from gaitcheck.errors import InputError

POLL_S = 0.2
LOOK_S = 1.0


def _processing(client) -> set[str]:
    """Keys of the tasks the cluster's workers are running now (empty if it cannot say)."""
    try:
        return {str(key) for keys in client.processing().values() for key in keys}
    except Exception:
        return set()


def connect(address: str):
    """A Client on the scheduler at `address`, or a one-line usage error."""
    try:
        from distributed import Client
    except ImportError:
        raise InputError(None, "--scheduler needs dask.distributed: pip install 'gaitcheck[dask]'") from None
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise InputError(address, f"no Dask scheduler answered ({error})") from None


def run_on_cluster(address: str, tasks: list[dict], *, on_start: Callable[[dict], None],
                   on_result: Callable[[dict, dict], None], should_stop: Callable[[], bool]) -> bool:
    """Submit every task, hand each result to `on_result` as it arrives; False if stopped."""
    from gaitcheck.batch_clip import process_clip, warm_up

    client = connect(address)
    run = uuid.uuid4().hex[:8]
    try:
        try:  # Dask workers outlive tasks: imports and the first model load happen once each
            client.run(warm_up)
        except Exception:  # a worker that cannot warm up reports the problem on its clips
            pass
        pending = {}
        for number, task in enumerate(tasks):
            # one task group ("gaitcheck-clip"): the scheduler queues its tasks and hands each
            # worker thread one at a time, longest clips first (the order submitted)
            future = client.submit(process_clip, task, key=f"gaitcheck-clip-{run}-{number}", pure=False)
            pending[future] = task
        by_key = {future.key: task for future, task in pending.items()}
        seen: set[str] = set()
        last_look = 0.0
        while pending:
            if should_stop():
                client.cancel(list(pending))
                return False
            if time.monotonic() - last_look >= LOOK_S:  # which clips the workers are on now
                last_look = time.monotonic()
                for key in sorted(_processing(client) - seen):
                    if key in by_key:
                        seen.add(key)
                        on_start(by_key[key])
            finished = [future for future in pending if future.done()]
            if not finished:
                time.sleep(POLL_S)
            for future in finished:
                task = pending.pop(future)
                if future.status == "finished":
                    result = future.result()
                else:
                    try:
                        error = future.exception()
                        reason = f"the cluster could not run it: {type(error).__name__}: {error}"
                    except Exception:  # cancelled on the cluster's side
                        reason = f"the cluster gave up on it ({future.status})"
                    result = {"path": task["path"], "stem": task["stem"], "status": "crashed", "error": reason}
                on_result(task, result)
                future.release()
        return True
    finally:
        client.close()
