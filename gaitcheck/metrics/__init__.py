"""Posture and gait metrics, one module per body region, each a pure function of a `Walk`.

`compute_metrics(series, view, events)` is the entry point: it cuts the levelled series into
passes (`walk.py`) and asks every region for its metrics; each metric says what it rests on,
or why it is absent.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from gaitcheck.metrics.arms import flare_metrics, swing_metrics
from gaitcheck.metrics.bias import NO_BIAS, POSE_MODEL_BIAS, ModelBias
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


def unbias(metrics: dict[str, Metric], bias: Mapping[str, float]) -> dict[str, Metric]:
    """Take a known landmark bias off metric values (and their inter-quartile ranges)."""
    out = dict(metrics)
    for name, offset in bias.items():
        metric = metrics.get(name)
        if metric is None or not metric.present:
            continue
        spread = dict(metric.spread)
        if "iqr" in spread:
            spread["iqr"] = [round(v - offset, 3) for v in spread["iqr"]]
        out[name] = replace(metric, value=metric.value - offset, spread=spread)
    return out


def compute_metrics(series, view, events, bias: ModelBias = NO_BIAS) -> dict[str, Metric]:
    """Metrics of a levelled, cleaned series with its view and gait events; `bias` (e.g.
    POSE_MODEL_BIAS for landmarks from the pose model) is taken off the values."""
    walk = build_walk(series, view, events, bias)
    return unbias(measure(walk), bias.offsets)


__all__ = ["NO_BIAS", "POSE_MODEL_BIAS", "Metric", "ModelBias", "Walk", "build_walk", "compute_metrics", "measure", "unbias"]
