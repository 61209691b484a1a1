"""Posture and gait metrics, one module per body region, each a pure function of a `Walk`.

`compute_metrics(series, view, events)` is the entry point: it cuts the levelled series into
passes (`walk.py`) and asks every region for its metrics; each metric says what it rests on,
or why it is absent.
"""
from __future__ import annotations

from gaitcheck.metrics.arms import flare_metrics, swing_metrics
from gaitcheck.metrics.feet import feet_metrics
from gaitcheck.metrics.head import head_metrics
from gaitcheck.metrics.pelvis import pelvis_metrics
from gaitcheck.metrics.shoulders import shoulder_metrics
from gaitcheck.metrics.steps import step_metrics
from gaitcheck.metrics.summary import Metric
from gaitcheck.metrics.trunk import trunk_metrics
from gaitcheck.metrics.walk import Walk, build_walk

REGIONS = (trunk_metrics, head_metrics, shoulder_metrics, pelvis_metrics, flare_metrics, swing_metrics,
           step_metrics, feet_metrics)


def measure(walk: Walk) -> dict[str, Metric]:
    """Every metric of every region, by name."""
    return {metric.name: metric for region in REGIONS for metric in region(walk)}


def compute_metrics(series, view, events) -> dict[str, Metric]:
    """Metrics of a levelled, cleaned series with its view and gait events."""
    return measure(build_walk(series, view, events))


__all__ = ["Metric", "Walk", "build_walk", "compute_metrics", "measure"]
