"""A run as one self-contained HTML file: KPI table with confidence intervals, then charts.

Plotly's JavaScript is inlined once in the page's head, so the file opens with no
network at all (e-mail it, put it on a share, open it on the shop floor).
"""

from __future__ import annotations

import html
import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from plotly.offline import get_plotlyjs

from taktline.fileio import atomic_write_text
from taktline.report.charts import Chart, charts_for
from taktline.store import RunRecord, RunStore

MAX_TABLE_ROWS = 200

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1200px; padding: 1rem 2rem; color: #212121; }
h1 { margin-bottom: .2rem; } .sub { color: #616161; margin-top: 0; }
table { border-collapse: collapse; margin: .5rem 0 1.5rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #e0e0e0; padding: .3rem .7rem; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f5f5f5; }
.chart { margin: 1.5rem 0; border: 1px solid #eeeeee; border-radius: 6px; padding: .5rem; }
.note { color: #616161; font-size: .9rem; margin: .2rem .5rem; }
details { margin: .5rem 0; } summary { cursor: pointer; font-weight: 600; }
code { background: #f5f5f5; padding: 0 .2rem; }
"""


@cache
def plotly_js() -> str:
    """Plotly's JavaScript bundle (shipped inside the plotly package; no CDN)."""
    return get_plotlyjs()


def format_number(value: Any) -> str:
    """Numbers for people: thousands separators, at most three significant decimals."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return html.escape(str(value))
    if isinstance(value, int) or (float(value).is_integer() and abs(value) >= 100):
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.1f}"
    return f"{value:,.3g}" if abs(value) < 1 else f"{value:,.2f}"


def kpi_rows(kpis: dict[str, Any]) -> list[dict[str, Any]]:
    """KPIs as rows of name, value, CI low, CI high, unit (numbers stay numbers)."""
    rows = []
    for name, kpi in kpis.items():
        if isinstance(kpi, dict):
            rows.append(
                {
                    "kpi": name,
                    "value": kpi.get("value", kpi.get("mean")),
                    "ci_low": kpi.get("ci_low"),
                    "ci_high": kpi.get("ci_high"),
                    "unit": kpi.get("unit", ""),
                }
            )
        else:
            rows.append({"kpi": name, "value": kpi, "ci_low": None, "ci_high": None, "unit": ""})
    return rows


def kpi_table_html(kpis: dict[str, Any]) -> str:
    """The KPI table: value and, where the engine gives one, its confidence interval."""
    rows = kpi_rows(kpis)
    if not rows:
        return "<p>No KPIs recorded.</p>"
    level = next((k.get("ci_level") for k in kpis.values() if isinstance(k, dict)), None)
    ci_head = f"{level:.0%} CI" if isinstance(level, float) else "95% CI"
    body = "".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            html.escape(r["kpi"]),
            format_number(r["value"]),
            (
                f"{format_number(r['ci_low'])} – {format_number(r['ci_high'])}"
                if r["ci_low"] is not None and r["ci_high"] is not None
                else "–"
            ),
            html.escape(str(r["unit"] or "")),
        )
        for r in rows
    )
    return (
        f'<table class="kpis"><thead><tr><th>KPI</th><th>value</th><th>{ci_head}</th>'
        f"<th>unit</th></tr></thead><tbody>{body}</tbody></table>"
    )


def _meta_html(run: RunRecord) -> str:
    items = [
        ("run", run.id),
        ("kind", run.kind),
        ("created (UTC)", run.created.strftime("%Y-%m-%d %H:%M:%S")),
        ("scenario", run.scenario_name or "–"),
        ("scenario SHA-256", (run.scenario_sha256 or "–")[:16] + "…"),
        ("fingerprint", run.fingerprint),
        ("seed", "–" if run.seed is None else str(run.seed)),
        ("parameters", json.dumps(run.parameters, sort_keys=True)),
        ("taktline", run.software_version),
    ]
    if run.label:
        items.insert(2, ("label", run.label))
    body = "".join(
        f"<tr><td>{html.escape(k)}</td><td><code>{html.escape(v)}</code></td></tr>"
        for k, v in items
    )
    return f'<table class="meta"><tbody>{body}</tbody></table>'


def chart_html(chart: Chart) -> str:
    """One chart's div and script (Plotly's library itself is loaded once per page)."""
    div = chart.figure.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{chart.key}",
        config={"displaylogo": False, "responsive": True},
    )
    note = f'<p class="note">{html.escape(chart.note)}</p>' if chart.note else ""
    return f'<section class="chart" data-chart="{html.escape(chart.key)}">{div}{note}</section>'


def _tables_html(tables: dict[str, pd.DataFrame]) -> str:
    parts = []
    for name, frame in tables.items():
        shown = frame.head(MAX_TABLE_ROWS)
        more = (
            f" (first {MAX_TABLE_ROWS} of {len(frame):,} rows)"
            if len(frame) > MAX_TABLE_ROWS
            else f" ({len(frame):,} rows)"
        )
        parts.append(
            f"<details><summary>{html.escape(name)}{more}</summary>"
            + shown.to_html(index=False, float_format=lambda v: f"{v:,.4g}", border=0)
            + "</details>"
        )
    return "".join(parts)


def render_report(run: RunRecord, tables: dict[str, pd.DataFrame]) -> str:
    """The whole report page for a run, as HTML text."""
    charts = charts_for(run, tables)
    title = f"taktline {run.kind} run {run.id}"
    subtitle = f"{run.scenario_name or 'no scenario'}" + (f" — {run.label}" if run.label else "")
    charts_html = "".join(chart_html(c) for c in charts) or "<p>No chartable results.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>{_STYLE}</style>
<script type="text/javascript">{plotly_js()}</script>
</head><body>
<h1>{html.escape(title)}</h1>
<p class="sub">{html.escape(subtitle)}</p>
<h2>Key figures</h2>
{kpi_table_html(run.kpis)}
<h2>Charts</h2>
{charts_html}
<h2>Run</h2>
{_meta_html(run)}
<h2>Tables</h2>
{_tables_html(tables)}
</body></html>
"""


def write_report(store: RunStore, run_id: str, path: str | os.PathLike[str]) -> Path:
    """Render a stored run's report and write it atomically to ``path``."""
    run = store.get(run_id)
    return atomic_write_text(path, render_report(run, store.tables(run.id)))
