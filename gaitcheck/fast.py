"""`--fast`: analyse fewer frames, chosen from the clip's frame rate.

The pose pass costs per frame, so analysing every second frame of a 30 fps clip halves it.
The metrics rest on the walker's motion up to ~6 Hz (the low-pass cutoff), and strike times
are interpolated between samples, so ~15 analysed frames per second keep them within the
accuracy targets (measured on the synthetic suite: see bench/fast.py and the README's
Performance section). The stride is the largest that keeps at least `MIN_FAST_RATE` frames per
second, so a 25 fps clip stays at every frame and a 60 fps clip takes every fourth.
"""
from __future__ import annotations

from pathlib import Path

MIN_FAST_RATE = 15.0  # analysed frames per second --fast keeps, at least


def fast_stride(fps: float) -> int:
    """The frame stride --fast uses for a clip of `fps` frames per second (1 = every frame)."""
    if not fps or fps != fps or fps <= 0:  # unknown or NaN rate: stay safe
        return 1
    return max(1, int((fps + 1e-6) // MIN_FAST_RATE))


def fast_options(path: str | Path, options: dict) -> dict:
    """`options` with `fast` resolved: --fast's stride for this clip (its frame rate probed)."""
    options = dict(options)
    if not options.pop("fast", False):
        return options
    from gaitcheck.video import probe

    options["stride"] = fast_stride(probe(path).fps)
    return options
