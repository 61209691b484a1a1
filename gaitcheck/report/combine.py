"""Two (or more) clips of one walk merged into one set of metrics.

Each metric is taken from the clip that measures it best: a clip whose camera view supports the
metric (a side clip for trunk lean, a front/back clip for shoulder tilt) and, among those, the
one resting on the most strides or frames. Metrics that no clip measures stay absent, with the
reasons of every clip. A metric made of two others that two clips measure one each (the arm
swing asymmetry of a walk filmed once each way: each side view sees its near arm) is made from
the picked pair.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from gaitcheck.analysis import Analysis
from gaitcheck.metrics import Metric
from gaitcheck.metrics.arms import swing_asymmetry

# name -> (the metrics it is made of, how): made anew when no single clip measures it
DERIVED = {"arm_swing_asymmetry_pct": (("arm_swing_left_deg", "arm_swing_right_deg"), swing_asymmetry)}


@dataclass(frozen=True)
class Sourced:
    """A metric and the index of the clip it came from (and of further clips it rests on)."""

    metric: Metric
    source: int
    also: tuple[int, ...] = ()


SOURCE_JOIN = " + "  # between the clips a derived metric's JSON `source` names


def source_names(source: str) -> str:
    """A metric's JSON `source` for a table: the clips' file names without their folders."""
    return SOURCE_JOIN.join(Path(part).name for part in source.split(SOURCE_JOIN))


def view_supports(camera: str, metric_view: str) -> bool:
    """Whether a clip filmed from `camera` is a view the metric is meant to be measured from."""
    if metric_view == "any":
        return True
    return camera in metric_view.split("/")


def _score(analysis: Analysis, metric: Metric) -> tuple[int, int]:
    return (int(view_supports(analysis.view.camera, metric.view)), metric.n)


def pick_metrics(analyses: Sequence[Analysis]) -> dict[str, Sourced]:
    """Every metric name of every clip, each from the clip that measures it best."""
    names = sorted({name for analysis in analyses for name in analysis.metrics})
    picked = {}
    for name in names:
        candidates = [(k, a.metrics[name]) for k, a in enumerate(analyses) if name in a.metrics]
        present = [(k, m) for k, m in candidates if m.present]
        if present:
            # max() keeps the first of equals: the earlier clip wins a tie.
            k, metric = max(present, key=lambda item: _score(analyses[item[0]], item[1]))
        else:
            k, metric = candidates[0]
            reasons = sorted({m.reason for _, m in candidates if m.reason})
            if len(reasons) > 1:
                metric = replace(metric, reason="; ".join(reasons))
        picked[name] = Sourced(metric, k)
    for name, (parts, make) in DERIVED.items():
        found = [picked.get(part) for part in parts]
        if name in picked and not picked[name].metric.present and all(f and f.metric.present for f in found):
            sources = tuple(sorted({f.source for f in found}))
            picked[name] = Sourced(make(*(f.metric for f in found)), sources[0], sources[1:])
    return picked


def merged_metrics(analyses: Sequence[Analysis]) -> dict[str, Metric]:
    """The picked metrics without their sources: what the rules are judged on."""
    return {name: sourced.metric for name, sourced in pick_metrics(analyses).items()}
