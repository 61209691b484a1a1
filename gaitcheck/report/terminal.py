"""The report as rich tables in the terminal: clip facts, the rule verdicts, the metrics."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from gaitcheck.analysis import Analysis
from gaitcheck.report.combine import source_names
from gaitcheck.report.text import measured

STYLE = {"pass": "green", "warn": "yellow", "fail": "bold red", "not_measurable": "dim"}
VERDICT_STYLE = {"good": "bold green", "needs_attention": "bold yellow", "poor": "bold red",
                 "not_analysable": "bold dim"}


UNIT_SUFFIXES = ("_deg", "_pct", "_spm")
UNIT_SIGNS = {"deg": "°", "%": "%"}


def metric_label(name: str) -> str:
    """A metric's name as words: "step_time_asymmetry_pct" -> "step time asymmetry"."""
    for suffix in UNIT_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    return name.replace("_", " ")


def with_unit(text: str, unit: str) -> str:
    """"7.5" and "deg" -> "7.5°"; other units follow after a space."""
    if not text or not unit:
        return text
    return f"{text}{UNIT_SIGNS[unit]}" if unit in UNIT_SIGNS else f"{text} {unit}"


def _value(rule: dict) -> str:
    """What was measured against what passes, on two short lines so that the table keeps the
    metric's name whole in an 80-column terminal: "trunk lean 0.7°" / "pass |x| ≤ 8"."""
    if rule["value"] is None:
        return ""
    value = with_unit(measured(rule["value"], rule.get("uncertainty")), rule.get("unit", ""))
    threshold = rule.get("threshold")
    threshold = f"\n[dim]pass {escape(with_unit(threshold['text'], rule.get('unit', '')))}[/]" if threshold else ""
    return f"{escape(metric_label(rule['metric']))} {value}{threshold}"


def print_clip(console: Console, analysis: Analysis) -> None:
    """One clip's facts and view, two lines."""
    facts, view = analysis.input, analysis.view
    console.print(f"[bold]{escape(facts.path)}[/]  {facts.width}×{facts.height}, {facts.fps:.2f} fps, "
                  f"{facts.duration_s:.1f} s; walker in {analysis.frames_with_subject:.0%} of frames")
    console.print(f"view: [bold]{view.camera}[/], walking {view.direction.replace('_', ' ')} "
                  f"(confidence {view.confidence:.2f}), {len(view.passes)} pass(es); "
                  f"camera roll {view.roll_deg:+.1f}° ({view.roll_source})")
    for note in analysis.notes:
        console.print(f"[yellow]note:[/] {escape(note)}")


def print_report(analysis: Analysis | Sequence[Analysis], document: dict, console: Console | None = None) -> None:
    """Facts and view of each clip, one row per rule (status, value against threshold,
    advice), then the metrics with what each rests on (and, for several clips, which clip)."""
    console = console or Console()
    analyses = list(analysis) if isinstance(analysis, (list, tuple)) else [analysis]
    for one in analyses:
        print_clip(console, one)

    rules = Table(title="posture rules", title_justify="left", expand=True)
    rules.add_column("rule", ratio=2, min_width=12)
    rules.add_column("status", min_width=10)
    rules.add_column("measured", ratio=3, min_width=16)
    rules.add_column("what to do", ratio=4)
    for rule in document["rules"]:
        status = rule["status"]
        advice = escape(rule["advice"]) if status in ("warn", "fail") else ""
        if status == "not_measurable" and rule["reason"]:
            advice = f"[dim]{escape(rule['reason'].split('; ')[0].split(': ', 1)[-1])}[/]"
        rules.add_row(rule.get("title", rule["id"]), f"[{STYLE[status]}]{status.replace('_', ' ')}[/]",
                      _value(rule), advice)
    console.print(rules)
    verdict = document["verdict"]
    console.print(f"verdict: [{VERDICT_STYLE.get(verdict, 'bold')}]{verdict.replace('_', ' ')}[/]")

    several = len(analyses) > 1
    metrics = Table(title="metrics", title_justify="left")
    for column in ("metric", "value", "unit", "rests on") + (("from",) if several else ()):
        metrics.add_column(column)
    absent = []
    for name, metric in sorted(document["metrics"].items()):
        if metric["value"] is None:
            absent.append(name)
            continue
        row = [name, measured(metric["value"], metric.get("uncertainty")), metric["unit"], f"{metric['n']} {metric.get('basis', '')}"]
        if several:
            row.append(escape(source_names(metric.get("source", ""))))
        metrics.add_row(*row)
    console.print(metrics)
    if absent:
        console.print(f"[dim]not measured from this view: {', '.join(absent)}[/]")
    console.print("[dim]gaitcheck is an educational aid, not a medical device.[/]")
