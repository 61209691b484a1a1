"""Keep MediaPipe's and LiteRT's own log lines off the user's terminal, and nothing else.

The C++ libraries under mediapipe write glog/absl lines ("W0000 00:00:… file.cc:123] …",
"INFO: [file.cc:36] …") straight to file descriptor 2, at moments Python cannot predict: the
first frame with a person, a LiteRT note about an unaligned input tensor, a teardown. Quieting
fd 2 around chosen calls (pose.py does) misses some, and a stray line breaks the one-line
error contract. So the CLI sends fd 2 through a pipe for the whole run: a thread forwards
every line except those library info/warning lines to the real stderr, while Python's own
stderr (click's messages, rich's progress bars) writes to the real stderr directly.
Error and fatal lines from the libraries ("E…", "F…") still show, except OpenCV's video capture
messages: gaitcheck says itself, in one line, what is wrong with a clip it cannot read.
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import sys
import threading
from collections.abc import Iterator

NOISE = re.compile(
    rb"^(?:[IW]\d{4} [\d:. ]+\s+\d+ [\w./+-]+:\d+\]"  # glog/absl info and warning lines
    rb"|INFO: \["  # LiteRT's own info lines
    # OpenCV's video capture ("[ERROR:0@0.02] global cap_ffmpeg_impl.hpp:1412 open Could not find
    # decoder…"): a clip it cannot open or read gets gaitcheck's own one-line message instead
    rb"|\[ ?(?:ERROR|WARN|INFO):\d+@[\d.]+\] global cap[_.]"
    rb"|WARNING: (?:Logging before InitGoogle|All log messages before absl))"
)


def is_noise(line: bytes) -> bool:
    """Whether a line written to fd 2 is one of the libraries' info or warning lines."""
    return NOISE.match(line) is not None


def _writes_to_fd2(stream) -> bool:
    try:
        return stream.fileno() == 2
    except (AttributeError, OSError, ValueError):
        return False


@contextlib.contextmanager
def filtered_native_stderr() -> Iterator[None]:
    """For the duration: fd 2 goes through the filter; sys.stderr writes to the real stderr."""
    try:
        sys.stderr.flush()
        real = os.dup(2)
        read_end, write_end = os.pipe()
    except (OSError, ValueError, AttributeError):  # no usable fd 2 (embedded, closed): leave it
        yield
        return
    os.dup2(write_end, 2)
    os.close(write_end)
    previous = sys.stderr
    python_stderr = None
    if _writes_to_fd2(previous):  # not when stderr is captured (a test runner, a notebook)
        # line-buffered: each line reaches the terminal in one write, never cut by a library line
        python_stderr = io.TextIOWrapper(os.fdopen(os.dup(real), "wb", buffering=0),
                                         encoding=getattr(previous, "encoding", None) or "utf-8",
                                         errors="backslashreplace", line_buffering=True)
        sys.stderr = python_stderr

    def forward() -> None:
        pending = b""
        with os.fdopen(read_end, "rb", buffering=0) as source:
            while chunk := source.read(65536):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                kept = b"".join(line + b"\n" for line in lines if not is_noise(line))
                if kept:
                    os.write(real, kept)
        if pending and not is_noise(pending):
            os.write(real, pending)

    thread = threading.Thread(target=forward, name="gaitcheck-native-stderr", daemon=True)
    thread.start()
    try:
        yield
    finally:
        if python_stderr is not None:
            with contextlib.suppress(Exception):
                python_stderr.flush()
            sys.stderr = previous
        os.dup2(real, 2)  # closes our pipe end at fd 2: the forwarder sees the end of it
        thread.join(timeout=2.0)  # a child process may still hold the pipe: do not wait on it
        os.close(real)
