"""Write output files all-or-nothing: to a temporary name beside the target, then rename."""
from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from gaitcheck.errors import OutputError

_REASONS = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "its folder does not exist",
    errno.EISDIR: "is a folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


def output_problem(error: OSError) -> str:
    """A short human reason for an OSError met while writing."""
    return _REASONS.get(error.errno, error.strerror or str(error))


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces `target`, on failure it vanishes.

    A symlink is written through (the file it points to is replaced, the link stays); a target
    that exists but is no regular file (a FIFO, /dev/stdout, a device) is written directly,
    since renaming over it would replace the pipe or device node itself.
    Errors from the file system become an `OutputError` naming `target`.
    """
    target = check_output_path(target)
    real = Path(os.path.realpath(target))
    if real.exists() and not real.is_file():
        try:
            yield real
        except OSError as error:
            raise OutputError(target, f"cannot be written: {output_problem(error)}") from None
        return
    short = real.name  # the temporary name must fit the file system's limit too (255 bytes)
    while len(os.fsencode(short)) > 100:
        short = short[:-1]
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{short}.", suffix=".tmp", dir=real.parent)
        os.close(handle)
    except OSError as error:
        raise OutputError(target, f"cannot be written: {output_problem(error)}") from None
    temp = Path(temp_name)
    try:
        yield temp
        os.chmod(temp, 0o644)
        os.replace(temp, real)
    except OSError as error:
        raise OutputError(target, f"cannot be written: {output_problem(error)}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()


def check_output_path(target: str | Path) -> Path:
    """Fail early (before long work) if `target` could not be written: a folder, no folder, no access."""
    target = Path(target)
    try:
        is_folder, has_folder = target.is_dir(), target.parent.is_dir()
    except OSError as error:  # a name too long for the file system
        raise OutputError(target, f"cannot be written: {output_problem(error)}") from None
    if is_folder:
        raise OutputError(target, "is a folder; give a file name")
    if not has_folder:
        raise OutputError(target, "its folder does not exist")
    if not os.access(target.parent, os.W_OK):
        raise OutputError(target, "cannot be written: permission denied")
    return target


def check_not_input(target: str | Path, *inputs: str | Path) -> None:
    """Refuse an output that is one of the inputs: writing it would destroy what is read."""
    from gaitcheck.errors import InputError

    target = Path(target)
    if not target.exists():
        return
    for source in inputs:
        try:
            if source and Path(source).exists() and os.path.samefile(target, source):
                raise InputError(target, "is the input file: writing there would destroy it; give another name")
        except OSError:
            continue
