"""The batch's summary: one row per clip, as `summary.csv` and as a sortable `index.html`.

Both are pure renderings of the per-clip result records, so they can be rewritten at any
moment (after each clip, after Ctrl-C) and always agree with the results on disk.
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from gaitcheck.atomic import atomic_path

# The metric names DESIGN.md fixes, in its order: the summary's metric columns.
KEY_METRICS = (
    "trunk_lean_deg", "lateral_trunk_lean_deg", "head_forward_deg", "head_pitch_deg", "head_tilt_deg",
    "shoulder_tilt_deg", "pelvic_drop_deg", "elbow_flare_deg", "arm_swing_left_deg", "arm_swing_right_deg",
    "arm_swing_asymmetry_pct", "arm_leg_coordination", "arm_midline_crossing", "cadence_spm",
    "step_time_asymmetry_pct", "step_length_asymmetry_pct", "stride_time_cv_pct", "heel_strike_pct",
)
PENDING = {"status": "pending", "error": "not analysed yet (the run was interrupted)"}


def _number(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _shown(text: str) -> str:
    """Text every file can hold: name bytes that are not UTF-8 become U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def summary_rows(records: list[dict], rule_ids: list[str]) -> list[dict[str, str]]:
    """One flat row per clip (all values text), in the order of `records`."""
    return [{key: _shown(value) for key, value in row.items()} for row in _rows(records, rule_ids)]


def _rows(records: list[dict], rule_ids: list[str]) -> list[dict[str, str]]:
    rows = []
    for record in records:
        rules = record.get("rules") or {}
        metrics = record.get("metrics") or {}
        row = {
            "clip": record.get("label") or record["path"], "path": record["path"],
            "status": record["status"], "verdict": record.get("verdict") or "",
            "camera": record.get("camera") or "",
        }
        row.update({f"rule:{rule}": rules.get(rule, "") for rule in rule_ids})
        row.update({metric: _number(metrics.get(metric)) for metric in KEY_METRICS})
        outputs = record.get("outputs") or {}
        row.update(seconds=_number(record.get("seconds")), report=outputs.get("json", ""),
                   html=outputs.get("html", ""), error=record.get("error") or "")
        rows.append(row)
    return rows


def csv_text(rows: list[dict[str, str]], rule_ids: list[str]) -> str:
    columns = (["clip", "path", "status", "verdict", "camera"] + [f"rule:{r}" for r in rule_ids]
               + list(KEY_METRICS) + ["seconds", "report", "html", "error"])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gaitcheck batch: {count} clips</title>
<style>
body {{ font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; }}
th, td {{ border: 1px solid #ccc; padding: .25em .5em; text-align: left; white-space: nowrap; }}
th {{ background: #f2f2f2; cursor: pointer; user-select: none; }}
th.asc::after {{ content: " \\25B2"; }} th.desc::after {{ content: " \\25BC"; }}
td.error {{ white-space: normal; min-width: 24em; max-width: 40em; }}
.pass, .good, .ok {{ background: #dff3df; }} .warn, .needs_attention {{ background: #fff3cd; }}
.fail, .poor, .failed, .crashed, .timeout, .error {{ background: #f8d7da; }}
.not_measurable, .not_analysable, .pending {{ color: #777; }}
small {{ color: #666; }}
</style></head><body>
<h1>gaitcheck batch</h1>
<p>{counts}. Click a column heading to sort. <small>An educational aid, not a medical device.</small></p>
<table id="clips"><thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody></table>
<script>
document.querySelectorAll("#clips th").forEach(function (th, column) {{
  th.addEventListener("click", function () {{
    var body = document.querySelector("#clips tbody");
    var ascending = !th.classList.contains("asc");
    document.querySelectorAll("#clips th").forEach(function (h) {{ h.classList.remove("asc", "desc"); }});
    th.classList.add(ascending ? "asc" : "desc");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {{
      var x = a.cells[column].textContent, y = b.cells[column].textContent;
      var nx = parseFloat(x), ny = parseFloat(y);
      var order = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
      return ascending ? order : -order;
    }});
    rows.forEach(function (row) {{ body.appendChild(row); }});
  }});
}});
</script>
</body></html>
"""


def index_html(rows: list[dict[str, str]], rule_ids: list[str]) -> str:
    """A self-contained page (no network) with a sortable table linking every report."""
    e = html.escape
    columns = ["clip", "status", "verdict", "camera"] + [f"rule:{r}" for r in rule_ids] + ["seconds", "error"]
    head = "".join(f"<th>{e(c.removeprefix('rule:'))}</th>" for c in columns)
    lines = []
    for row in rows:
        cells = []
        for column in columns:
            value = row.get(column, "")
            if column == "clip":
                target = row.get("html") or row.get("report")
                text = f'<a href="{e(target)}">{e(value)}</a>' if target else e(value)
                cells.append(f'<td title="{e(row["path"])}">{text}</td>')
            else:
                css = " error" if column == "error" else ""
                reason = f' title="{e(row["error"])}"' if column == "status" and row.get("error") else ""
                cells.append(f'<td class="{e(value)}{css}"{reason}>{e(value)}</td>')
        lines.append("<tr>" + "".join(cells) + "</tr>")
    tally: dict[str, int] = {}
    for row in rows:
        tally[row["status"]] = tally.get(row["status"], 0) + 1
    counts = ", ".join(f"{n} {status}" for status, n in sorted(tally.items())) or "no clips"
    return _PAGE.format(count=len(rows), counts=e(counts), head=head, body="\n".join(lines))


def write_summary(outdir: Path, records: list[dict], rule_ids: list[str]) -> None:
    """Write summary.csv and index.html atomically (each is either the old or the new one)."""
    rows = summary_rows(records, rule_ids)
    with atomic_path(outdir / "summary.csv") as temp:
        temp.write_text(csv_text(rows, rule_ids), encoding="utf-8")
    with atomic_path(outdir / "index.html") as temp:
        temp.write_text(index_html(rows, rule_ids), encoding="utf-8")
