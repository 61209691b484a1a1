"""The libraries' own log lines on fd 2 are dropped; everything else reaches stderr."""
from __future__ import annotations

import subprocess
import sys

from gaitcheck.native_log import is_noise

LITERT_NOTE = (b"W0000 00:00:1795562931.655541    8961 inference_runner_litert.cc:1433] Input tensor memory "
               b"is not aligned according to LiteRt's memory alignment requirements.")


def test_library_info_and_warning_lines_are_noise_errors_are_not():
    assert is_noise(LITERT_NOTE)
    assert is_noise(b"I0000 00:00:1795557948.753589    9755 landmark_projection_calculator.cc:81] Using NORM_RECT")
    assert is_noise(b"INFO: [compiled_model.cc:1022] Flatbuffer model initialized directly")
    assert is_noise(b"WARNING: Logging before InitGoogle() is written to STDERR")
    assert not is_noise(b"E0000 00:00:1795557948.753589    9755 graph.cc:12] the graph failed")
    assert not is_noise(b"gaitcheck: clip.mp4: no such file")
    assert not is_noise(b"INFO: a user's own line without the library's bracket")


def test_fd2_goes_through_the_filter_and_python_stderr_goes_straight(tmp_path):
    script = f"""
import os, sys
from gaitcheck.native_log import filtered_native_stderr
with filtered_native_stderr():
    os.write(2, {LITERT_NOTE!r} + b"\\n")          # as MediaPipe's C++ code writes it
    os.write(2, b"E0000 00:00:1.0 1 graph.cc:12] kept\\n")
    print("gaitcheck: one line", file=sys.stderr)  # as click.echo(err=True) writes it
os.write(2, b"after\\n")
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.decode().splitlines()
    assert "gaitcheck: one line" in lines and "after" in lines
    assert any(line.endswith("kept") for line in lines)
    assert not any("inference_runner_litert" in line for line in lines)
    assert len(lines) == 3
