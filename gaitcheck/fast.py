"""`--fast`: analyse fewer frames, as many fewer as the clip's frame rate allows.

The pose pass costs per frame, so analysing every second frame of a 60 fps clip halves it.
Step timing needs the analysed rate, though. On the synthetic suite (bench/fast.py --suite),
30 fps clips analysed at 15 frames/s (every second frame) lost step timing: clips with
step-time asymmetry within its 3-point target fell from 23 to 13 of 42 (error 4.0 -> 5.3
points; with the metric code of an hour earlier, cadence and heel-strike share fell too). 60
fps clips analysed at 30 frames/s moved every metric by less than its target on average (the
most: step-time asymmetry by 1.8 of 3 points, cadence by 0.8 of 2 %). So --fast takes the
largest stride that keeps at least `MIN_FAST_RATE` analysed frames per second: 25-30 fps clips
are analysed whole, 50-60 fps every second frame, 120 fps every fifth.
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
