"""Two (or more) clips of one walk merged into one set of metrics.

Each metric is taken from the clip that measures it best: a clip whose camera view supports the
metric (a side clip for trunk lean, a front/back clip for shoulder tilt) and, among those, the
one resting on the most strides or frames. Metrics that no clip measures stay absent, with the
reasons of every clip.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from gaitcheck.analysis import Analysis
from gaitcheck.metrics import Metric


@dataclass(frozen=True)
class Sourced:
    """A metric and the index of the clip it came from."""

    metric: Metric
    source: int


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
    return picked


def merged_metrics(analyses: Sequence[Analysis]) -> dict[str, Metric]:
    """The picked metrics without their sources: what the rules are judged on."""
    return {name: sourced.metric for name, sourced in pick_metrics(analyses).items()}
