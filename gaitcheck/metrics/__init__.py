"""Posture and gait metrics, one module per body region, each a pure function of a `Walk`.

`compute_metrics(series, view, events)` is the entry point: it cuts the levelled series into
passes (`walk.py`) and asks every region for its metrics; each metric says what it rests on,
or why it is absent.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

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


@dataclass(frozen=True)
class ModelBias:
    """What a landmark source is known to get wrong, taken off the metrics measured on it:
    `offsets` come off metric values (in the metric's unit); `pitch_per_head_forward` is the
    share of head forward the landmarks add to head pitch, taken off frame by frame."""

    offsets: Mapping[str, float] = field(default_factory=dict)
    pitch_per_head_forward: float = 0.0


# MediaPipe's known bias, taken off when the landmarks come from the pose model. Offsets are the
# median error on the seeded synthetic suite's 20 side clips of ordinary posture (not slouched,
# head forward or looking down); on fresh seeds' such clips the median error left is +0.9°
# (head forward) and −1.0° (head pitch).
# - Its ear landmark sits ahead of the ear: head forward read 0.78 × drawn + 7.8° over all 26
#   side clips, 6.3° over the truth on ordinary posture; real walkers with ordinary posture read
#   15-18° where posture studies put the ear 5-11° ahead of the shoulder. Only the offset is
#   taken off (a slope would amplify noise).
# - It turns the face down with the neck: on walkers whose head stays level the face line read
#   about half a degree of pitch per degree of head forward (0.6 on the 29 seeded side clips
#   other than the looking-down ones, samples included; 0.5 on fresh seeds' 24), so a slouched walker looking ahead read 8-12° down. That share
#   is taken off frame by frame (`Walk.pitch_per_head_forward`); the offset follows it: a level
#   head's face line read 15.5° up once the share was off.
POSE_MODEL_BIAS = ModelBias({"head_forward_deg": 6.3, "head_pitch_deg": -15.5}, pitch_per_head_forward=0.5)
NO_BIAS = ModelBias()


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
    walk = build_walk(series, view, events, bias.pitch_per_head_forward)
    return unbias(measure(walk), bias.offsets)


__all__ = ["NO_BIAS", "POSE_MODEL_BIAS", "Metric", "ModelBias", "Walk", "build_walk", "compute_metrics", "measure", "unbias"]
