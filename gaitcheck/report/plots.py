"""Time-series plots for the HTML report: a metric's per-frame values over the walk, with the
rule's pass band (green) and warn band (amber) behind them and the reported value as a line.

Rendered with matplotlib's object API (no pyplot state, so it is safe in worker processes) to
SVG text, which the page embeds inline as an image: no network, crisp on any screen.
"""
from __future__ import annotations

import io

import numpy as np

PASS_COLOUR, WARN_COLOUR, LINE_COLOUR = "#cfe8c6", "#fbe6b0", "#1f5fa8"


def band_limits(threshold: dict | None) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """((pass low, pass high), (warn low, warn high)) of a size limit ('max': |x| ≤ pass), a
    ceiling ('upper': x ≤ pass) or a floor ('min': x ≥ pass), as value ranges; None without a
    threshold."""
    if not threshold:
        return None
    if threshold["kind"] == "max":
        return (-threshold["pass"], threshold["pass"]), (-threshold["warn"], threshold["warn"])
    if threshold["kind"] == "upper":
        return (-np.inf, threshold["pass"]), (-np.inf, threshold["warn"])
    return (threshold["pass"], np.inf), (threshold["warn"], np.inf)


def series_svg(times: np.ndarray, values: np.ndarray, title: str, unit: str, threshold: dict | None = None,
               reported: float | None = None) -> str:
    """An SVG plot of one per-frame series; with a threshold, the pass/warn bands behind it."""
    from matplotlib import rc_context

    # Text stays text (smaller files); stable ids, so the same report renders the same page.
    with rc_context({"svg.fonttype": "none", "svg.hashsalt": "gaitcheck"}):
        return _render(times, values, title, unit, threshold, reported)


def _render(times, values, title, unit, threshold, reported) -> str:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, 2.4), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    finite = values[np.isfinite(values)]
    low = float(np.min(finite)) if len(finite) else 0.0
    high = float(np.max(finite)) if len(finite) else 1.0
    bands = band_limits(threshold)
    if bands:
        (pass_low, pass_high), (warn_low, warn_high) = bands
        span = [low, high] + [v for v in (warn_low, warn_high) if np.isfinite(v)]
        low, high = min(span), max(span)
        pad = 0.1 * (high - low or 1.0)
        low, high = low - pad, high + pad
        axes.axhspan(max(warn_low, low), min(warn_high, high), color=WARN_COLOUR, lw=0, label="warn")
        axes.axhspan(max(pass_low, low), min(pass_high, high), color=PASS_COLOUR, lw=0, label="pass")
    axes.plot(times, values, color=LINE_COLOUR, lw=1.4, label="per frame")
    if reported is not None and np.isfinite(reported):
        axes.axhline(reported, color="#333333", lw=1, ls="--", label=f"reported {reported:.1f}")
    if bands:
        axes.set_ylim(low, high)
    axes.set_title(title.replace("$", r"\$"), fontsize=10, loc="left")  # a "$" in a user's title is not mathtext
    axes.set_xlabel("time (s)", fontsize=9)
    axes.set_ylabel(unit, fontsize=9)
    axes.tick_params(labelsize=8)
    axes.legend(fontsize=7, loc="upper right", ncols=4, frameon=False)
    axes.grid(alpha=0.3, lw=0.5)
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()
