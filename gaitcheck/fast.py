"""`--fast`: analyse fewer frames, as many fewer as the clip's frame rate allows.

The pose pass costs per frame, so analysing every second frame of a 60 fps clip halves it.
Step timing needs the analysed rate, though. On the synthetic suite (bench/fast.py --suite),
30 fps clips analysed at 15 frames/s (every second frame) lost step timing: clips with cadence
within 2 % fell from 40 to 34 of 42, with step-time asymmetry within 3 points from 30 to 15,
with heel-strike share within 10 points from 16 to 10 of 22. 60 fps clips analysed at 30
frames/s moved every metric by less than its target on average (cadence by 0.5 %, trunk lean
by 0.7°). So --fast takes the largest stride that keeps at least `MIN_FAST_RATE` analysed
frames per second: 25-30 fps clips are analysed whole, 50-60 fps every second frame, 120 fps
every fifth.
"""
from __future__ import annotations

from pathlib import Path

MIN_FAST_RATE = 24.0  # analysed frames per second --fast keeps, at least


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
