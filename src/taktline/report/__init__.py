"""Reports of stored runs: a self-contained HTML file with a KPI table and Plotly charts."""

from taktline.report.charts import Chart, charts_for
from taktline.report.html import render_report, write_report

__all__ = ["Chart", "charts_for", "render_report", "write_report"]
