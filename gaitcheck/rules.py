"""Posture rules: thresholds (from `rules.toml`, with their sources), verdicts and advice.

A user's rules file overrides the bundled one table by table (a rule's advice, one check's
thresholds…). A malformed file gets a one-line error naming the file and the line.
"""
from __future__ import annotations

import copy
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gaitcheck.errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SCHEMA = "gaitcheck/rules-v1"
STATUSES = ("pass", "warn", "fail", "not_measurable")
FRONTAL_VIEWS = {"front", "back"}

# How a check reads its thresholds: "max" bounds the size |x| (a lean either way is a lean),
# "upper" bounds the signed value (only one direction is a fault: looking down, not up),
# "min" asks the value to reach the threshold (arm swing).
KINDS = ("max", "upper", "min")
THRESHOLD_TEXT = {"max": "|x| ≤ {:g}", "upper": "x ≤ {:g}", "min": "x ≥ {:g}"}


def status_of(kind: str, value: float, pass_at: float, warn_at: float, uncertainty: float = 0.0) -> str:
    """pass / warn / fail of one value against a check's thresholds.

    A value known only to within `uncertainty` (one standard error) is given its benefit: it
    is judged at the end of that band nearest to passing, so a rule flags what the walk shows
    beyond the measurement's own scatter (two steps a side cannot show a 7% asymmetry)."""
    if kind == "min":
        value = value + uncertainty
        return "pass" if value >= pass_at else "warn" if value >= warn_at else "fail"
    size = max(0.0, abs(value) - uncertainty) if kind == "max" else value - uncertainty
    return "pass" if size <= pass_at else "warn" if size <= warn_at else "fail"


@dataclass(frozen=True)
class Check:
    """One metric judged against pass/warn thresholds."""

    metric: str
    views: tuple[str, ...]
    kind: str  # one of KINDS
    pass_at: float
    warn_at: float
    source: str

    def status(self, value: float, uncertainty: float = 0.0) -> str:
        return status_of(self.kind, value, self.pass_at, self.warn_at, uncertainty)

    def threshold_text(self) -> str:
        return THRESHOLD_TEXT[self.kind].format(self.pass_at)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    advice: str
    related: str
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    poor_when_failing: int
    source: str


def _merge(base: dict, override: dict) -> dict:
    """Deep-merge tables; a list of checks merges by metric name."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if key == "checks" and isinstance(value, list) and isinstance(out.get(key), list):
            by_metric = {check.get("metric"): check for check in out[key]}
            for check in value:
                name = check.get("metric") if isinstance(check, dict) else None
                if name in by_metric:
                    by_metric[name].update(check)
                else:
                    out[key].append(check)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "rules file not found") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a rules file") from None
    except UnicodeDecodeError:
        raise InputError(path, "rules file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(path, f"rules file is not valid TOML: {error}") from None
    except OSError as error:  # no permission, a device, an I/O error
        raise InputError(path, f"rules file cannot be read: {error.strerror or error}") from None


VIEWS = ("side", "front", "back", "oblique")


def _build(data: dict, origin: str) -> RuleSet:
    def fail(where: str, problem: str) -> InputError:
        return InputError(origin, f"rules file: {where}: {problem}")

    def number(check: dict, key: str, where: str) -> float:
        value = check[key]
        # TOML has true/false, strings and nan/inf too: none of them is a threshold
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value \
                or value in (float("inf"), float("-inf")):
            raise fail(where, f"'pass' and 'warn' must be numbers (finite): '{key}' is {value!r}")
        return float(value)

    def text(table: dict, key: str, where: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise fail(where, f"'{key}' must be a string, not {value!r}")
        return value

    rules = []
    tables = data.get("rules") or {}
    if not isinstance(tables, dict):
        raise fail("[rules]", "must be a table of rules")
    for rule_id, table in tables.items():
        if not isinstance(table, dict):
            raise fail(f"[rules.{rule_id}]", "must be a table")
        listed = table.get("checks") or []
        if not isinstance(listed, list):
            raise fail(f"rules.{rule_id}.checks", f"must be a list of tables ([[rules.{rule_id}.checks]])")
        checks = []
        for k, check in enumerate(listed):
            where = f"rules.{rule_id}.checks[{k}]"
            if not isinstance(check, dict):
                raise fail(where, "must be a table")
            try:
                kind = check["kind"]
                pass_at, warn_at = number(check, "pass", where), number(check, "warn", where)
                views = check["views"]
                metric = check["metric"]
            except KeyError as missing:
                raise fail(where, f"missing {missing.args[0]!r}") from None
            if not isinstance(metric, str) or not metric:
                raise fail(where, f"'metric' must be a metric name, not {metric!r}")
            if not isinstance(views, list) or not views or not all(v in VIEWS for v in views):
                raise fail(where, f"'views' must be a list of {', '.join(VIEWS)}, not {views!r}")
            if kind not in KINDS:
                raise fail(where, f"kind must be one of {', '.join(map(repr, KINDS))}, not {kind!r}")
            if (kind != "min" and warn_at < pass_at) or (kind == "min" and warn_at > pass_at):
                raise fail(where, "'warn' must lie beyond 'pass'")
            checks.append(Check(metric, tuple(views), kind, pass_at, warn_at, text(check, "source", where)))
        where = f"[rules.{rule_id}]"
        rules.append(Rule(rule_id, text(table, "title", where, rule_id), text(table, "advice", where),
                          text(table, "related", where), tuple(checks)))
    verdict = data.get("verdict") or {}
    if not isinstance(verdict, dict):
        raise fail("[verdict]", "must be a table")
    poor = verdict.get("poor_when_failing", 3)
    if isinstance(poor, bool) or not isinstance(poor, int) or poor < 1:
        raise fail("[verdict]", f"poor_when_failing must be a whole number of at least 1, not {poor!r}")
    return RuleSet(tuple(rules), poor, origin)


def bundled_rules_path() -> Path:
    return Path(str(resources.files("gaitcheck"))) / "rules.toml"


def load_rules(override: str | Path | None = None) -> RuleSet:
    """The bundled rules, with a user's file merged over them."""
    base = _read_toml(bundled_rules_path())
    if override is None:
        return _build(base, str(bundled_rules_path()))
    override = Path(override)
    return _build(_merge(base, _read_toml(override)), str(override))


def judge(rules: RuleSet, metrics: dict) -> tuple[list[dict], str]:
    """Each rule's status from the metrics (gaitcheck.metrics.Metric by name), and the verdict.

    A check counts when its metric is present (the metric modules measure each only from the
    views that support it); a rule with no such check is not_measurable, with the reasons. The
    worst check decides the rule's status.
    """
    results = []
    for rule in rules.rules:
        judged, reasons = [], []
        for check in rule.checks:
            metric = metrics.get(check.metric)
            if metric is None or not metric.present:
                reason = metric.reason if metric is not None else "not measured"
                reasons.append(f"{check.metric}: {reason}")
                continue
            judged.append((check, metric, check.status(metric.value, metric.uncertainty or 0.0)))
        if not judged:
            results.append({"id": rule.id, "title": rule.title, "status": "not_measurable",
                            "metric": rule.checks[0].metric if rule.checks else None, "value": None,
                            "threshold": None, "reason": "; ".join(reasons), "advice": rule.advice,
                            "related_advice": rule.related})
            continue
        worst = max(judged, key=lambda item: STATUSES.index(item[2]))
        check, metric, status = worst
        results.append({
            "id": rule.id, "title": rule.title, "status": status, "metric": check.metric,
            "value": _rounded(metric.value), "unit": metric.unit, "uncertainty": _rounded(metric.uncertainty),
            "threshold": {"kind": check.kind, "pass": check.pass_at, "warn": check.warn_at,
                          "text": check.threshold_text(), "source": check.source},
            "checks": [{"metric": c.metric, "value": _rounded(m.value), "status": s, "uncertainty": _rounded(m.uncertainty)}
                       for c, m, s in judged],
            "reason": "; ".join(reasons) if reasons else None,
            "advice": rule.advice if status != "pass" else "", "related_advice": rule.related,
        })
    return results, overall_verdict(results, rules.poor_when_failing)


def _rounded(value: float | None) -> float | None:
    """A value as the report stores it (3 decimals), None kept."""
    return None if value is None else round(float(value), 3)


def overall_verdict(results: list[dict], poor_when_failing: int = 3) -> str:
    """good / needs_attention / poor from the rule statuses; not_analysable if none judged."""
    statuses = [r["status"] for r in results]
    if all(s == "not_measurable" for s in statuses):
        return "not_analysable"
    fails = statuses.count("fail")
    if fails >= poor_when_failing:
        return "poor"
    if fails or "warn" in statuses:
        return "needs_attention"
    return "good"
