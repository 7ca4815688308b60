"""The dashboard: one page (HTML, CSS, plain JavaScript) over the service's own API.

Left: the what-if form (a buffer, a cycle time, one more shift) and the stored runs.
Right: the selected run's KPIs and charts, or a what-if run beside its baseline.
The page is kept as a string in this module so it ships inside the package.
"""

from __future__ import annotations

from taktline import __version__

_PAGE = r"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>taktline dashboard</title>
<link rel="icon" href="data:,">
<script src="/static/plotly.js"></script>
<style>
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212121;
       background: #fafafa; }
header { background: #263238; color: white; padding: .6rem 1.2rem; display: flex;
         align-items: baseline; gap: 1rem; }
header h1 { font-size: 1.25rem; margin: 0; } header span { color: #b0bec5; font-size: .9rem; }
main { display: grid; grid-template-columns: 340px 1fr; gap: 1rem; padding: 1rem; }
.panel { background: white; border: 1px solid #e0e0e0; border-radius: 6px; padding: .8rem; }
.panel h2 { font-size: 1rem; margin: 0 0 .6rem; }
label { display: block; font-size: .85rem; color: #455a64; margin-top: .5rem; }
select, input[type=number], input:not([type]) { width: 100%; padding: .3rem; font-size: .9rem; }
.row { display: grid; grid-template-columns: 2fr 1fr; gap: .4rem; }
button { margin-top: .8rem; padding: .5rem .9rem; background: #1565c0; color: white;
         border: 0; border-radius: 4px; font-size: .95rem; cursor: pointer; }
button:disabled { background: #90a4ae; }
progress { width: 100%; height: .8rem; margin-top: .5rem; }
#job-status, .status { font-size: .85rem; color: #455a64; min-height: 1.2rem; }
#job-status.failed, .status.failed { color: #c62828; }
table { border-collapse: collapse; width: 100%; font-size: .85rem; }
th, td { border-bottom: 1px solid #eeeeee; padding: .25rem .4rem; text-align: right; }
th:first-child, td:first-child, td.text, th.text { text-align: left; }
#runs tbody tr { cursor: pointer; } #runs tbody tr:hover { background: #e3f2fd; }
#runs tbody tr.selected { background: #bbdefb; }
.kind { font-size: .75rem; padding: 0 .3rem; border-radius: 3px; background: #eceff1; }
.compare-grid { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; }
.side h3 { margin: .2rem 0; font-size: .95rem; } .side .label { color: #616161; font-size: .8rem; }
.chart { min-height: 380px; border: 1px solid #f0f0f0; border-radius: 4px; margin-bottom: .6rem; }
.better { color: #2e7d32; } .worse { color: #c62828; }
a { color: #1565c0; }
.muted { color: #78909c; font-size: .85rem; }
</style></head>
<body>
<header><h1>taktline</h1><span>digital twin of the plant · __VERSION__</span>
<span id="service-note"></span></header>
<main>
<div>
  <section class="panel" id="whatif">
    <h2>What if…</h2>
    <form id="whatif-form">
      <label>Scenario <select id="wf-scenario"></select></label>
      <label>or upload one (YAML) <input id="wf-upload" type="file" accept=".yaml,.yml"></label>
      <div id="upload-status" class="status"></div>
      <label>Run <select id="wf-kind"></select></label>
      <label>Buffer and its capacity</label>
      <div class="row"><select id="wf-buffer"><option value="">(unchanged)</option></select>
        <input id="wf-buffer-cap" type="number" min="0" step="1" placeholder="jobs"></div>
      <label>Station and its cycle time, s</label>
      <div class="row"><select id="wf-station"><option value="">(unchanged)</option></select>
        <input id="wf-station-ct" type="number" min="1" step="0.5" placeholder="s"></div>
      <label><input id="wf-shift" type="checkbox"> add a shift (8 h) every working day</label>
      <div class="row sim-only"><label>Horizon <input id="wf-horizon" value="14d"></label>
        <label>Replications <input id="wf-reps" type="number" min="1" max="500" value="5">
        </label></div>
      <button id="whatif-submit" type="submit">Run what-if against the baseline</button>
      <progress id="job-progress" max="1" value="0"></progress>
      <div id="job-status" data-status="idle"></div>
    </form>
  </section>
  <section class="panel" style="margin-top:1rem">
    <h2>Runs <span class="muted" id="runs-count"></span></h2>
    <table id="runs"><thead><tr><th class="text">run</th><th class="text">kind</th>
      <th class="text">label</th></tr></thead><tbody></tbody></table>
  </section>
</div>
<section class="panel" id="view">
  <p class="muted">Choose a run on the left, or start a what-if.</p>
</section>
</main>
<script>
"use strict";
const params = new URLSearchParams(location.search);
if (params.get("token")) sessionStorage.setItem("taktline-token", params.get("token"));
const token = sessionStorage.getItem("taktline-token") || "";
const $ = (id) => document.getElementById(id);
const esc = (s) => String(s ?? "").replace(/[&<>"]/g,
  (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}[c]));

async function api(path, options = {}) {
  const headers = Object.assign({"Content-Type": "application/json"}, options.headers || {});
  if (token) headers["X-Taktline-Token"] = token;
  const response = await fetch(path, Object.assign({}, options, {headers}));
  const body = response.headers.get("content-type")?.includes("json")
    ? await response.json() : await response.text();
  if (!response.ok) {
    const detail = body && body.detail;
    const text = Array.isArray(detail)
      ? detail.map((d) => [d.line && `line ${d.line}`, d.field, d.message].filter(Boolean)
          .join(": ")).join("; ")
      : (detail || response.statusText);
    throw new Error(text);
  }
  return body;
}

function fmt(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v !== "number") return esc(v);
  const a = Math.abs(v);
  if (a >= 100) return v.toLocaleString("en", {maximumFractionDigits: a >= 1000 ? 0 : 1});
  return v.toLocaleString("en", {maximumSignificantDigits: 3});
}

function kpiValue(k) { return (k && typeof k === "object") ? (k.value ?? k.mean) : k; }

function kpiTable(kpis) {
  const rows = Object.entries(kpis).map(([name, k]) => {
    const ci = (k && typeof k === "object" && k.ci_low != null)
      ? `${fmt(k.ci_low)} – ${fmt(k.ci_high)}` : "–";
    const unit = (k && typeof k === "object" && k.unit) || "";
    return `<tr><td>${esc(name)}</td><td>${fmt(kpiValue(k))}</td><td>${ci}</td>` +
      `<td class="text">${esc(unit)}</td></tr>`;
  }).join("");
  return `<table class="kpis"><thead><tr><th>KPI</th><th>value</th><th>95% CI</th>` +
    `<th class="text">unit</th></tr></thead><tbody>${rows}</tbody></table>`;
}

async function drawCharts(runId, container) {
  const charts = await api(`/runs/${runId}/charts`);
  container.innerHTML = "";
  for (const chart of charts) {
    const div = document.createElement("div");
    div.className = "chart";
    div.dataset.chart = chart.key;
    container.appendChild(div);
    const fig = chart.figure;
    fig.layout.height = 380;
    await Plotly.newPlot(div, fig.data, fig.layout, {displaylogo: false, responsive: true});
  }
  return charts.length;
}

async function showRun(runId) {
  document.querySelectorAll("#runs tbody tr").forEach(
    (tr) => tr.classList.toggle("selected", tr.dataset.run === runId));
  const run = await api(`/runs/${runId}`);
  $("view").innerHTML = `<h2>${esc(run.kind)} run ${esc(run.id)}</h2>` +
    `<p class="muted">${esc(run.scenario.name)} ${run.label ? "· " + esc(run.label) : ""} · ` +
    `fingerprint ${esc(run.fingerprint)} · <a href="/runs/${run.id}/report" target="_blank">` +
    `report</a></p>${kpiTable(run.kpis)}<div id="run-charts"></div>`;
  await drawCharts(run.id, $("run-charts"));
}

async function showComparison(baseId, runId) {
  const [base, run, cmp] = await Promise.all([
    api(`/runs/${baseId}`), api(`/runs/${runId}`), api(`/runs/${baseId}/compare/${runId}`)]);
  const rows = cmp.kpis.map((r) => {
    const cls = (r.delta > 0 ? "up" : (r.delta < 0 ? "down" : "")) +
      (r.verdict ? " " + r.verdict : "");
    const rel = r.relative == null ? "" : ` (${(100 * r.relative).toFixed(1)}%)`;
    return `<tr data-kpi="${esc(r.kpi)}"><td>${esc(r.kpi)}</td>` +
      `<td>${fmt(r.a)}</td><td>${fmt(r.b)}</td>` +
      `<td class="${cls}">${r.delta == null ? "–" : (r.delta > 0 ? "+" : "") + fmt(r.delta)}` +
      `${rel}</td></tr>`;
  }).join("");
  $("view").innerHTML = `<h2>What-if against the baseline</h2>` +
    `<p class="muted">${esc(run.label || "")}</p>` +
    `<table id="compare-kpis"><thead><tr><th>KPI</th><th>baseline</th><th>what-if</th>` +
    `<th>change</th></tr></thead><tbody>${rows}</tbody></table>` +
    `<div class="compare-grid" id="compare">` +
    `<div class="side" data-side="baseline"><h3>Baseline</h3><div class="label">` +
    `<a href="/runs/${base.id}/report" target="_blank">${esc(base.id)}</a></div>` +
    `<div class="charts"></div></div>` +
    `<div class="side" data-side="whatif"><h3>What-if</h3><div class="label">` +
    `<a href="/runs/${run.id}/report" target="_blank">${esc(run.id)}</a></div>` +
    `<div class="charts"></div></div></div>`;
  await drawCharts(base.id, document.querySelector('[data-side="baseline"] .charts'));
  await drawCharts(run.id, document.querySelector('[data-side="whatif"] .charts'));
  await shareScales();
  $("view").dataset.ready = "comparison";
}

async function shareScales() {
  // The same y scale on both sides, so that a taller bar means more.
  for (const left of document.querySelectorAll('[data-side="baseline"] .chart')) {
    const right = document.querySelector(
      `[data-side="whatif"] .chart[data-chart="${left.dataset.chart}"]`);
    if (!right || !left._fullLayout || !right._fullLayout) continue;
    const [a, b] = [left._fullLayout.yaxis, right._fullLayout.yaxis];
    if (a.type !== "linear" || b.type !== "linear") continue;
    const range = [Math.min(a.range[0], b.range[0]), Math.max(a.range[1], b.range[1])];
    await Plotly.relayout(left, {"yaxis.range": range});
    await Plotly.relayout(right, {"yaxis.range": range});
  }
}

async function uploadScenario(event) {
  const file = event.target.files[0];
  if (!file) return;
  const status = $("upload-status");
  status.className = ""; status.textContent = "validating…";
  try {
    const headers = {"Content-Type": "application/yaml"};
    if (token) headers["X-Taktline-Token"] = token;
    const response = await fetch(`/scenarios?filename=${encodeURIComponent(file.name)}`,
      {method: "POST", headers, body: await file.text()});
    const body = await response.json();
    if (!response.ok) {
      const detail = Array.isArray(body.detail) ? body.detail : [{message: body.detail}];
      status.className = "failed";
      status.innerHTML = detail.map((d) => esc(
        [d.line && `${file.name}:${d.line}`, d.field, d.message].filter(Boolean).join(": ")))
        .join("<br>");
      return;
    }
    const option = document.createElement("option");
    option.value = body.id;
    option.textContent = `${body.name} (uploaded ${body.id})`;
    $("wf-scenario").appendChild(option);
    $("wf-scenario").value = body.id;
    await loadScenario(body.id);
    status.textContent = `${body.name} is valid (${body.plants.length} plant(s))`;
  } catch (error) {
    status.className = "failed"; status.textContent = error.message;
  }
}

async function loadRuns() {
  const runs = await api("/runs?limit=200");
  $("runs-count").textContent = `(${runs.length})`;
  $("runs").querySelector("tbody").innerHTML = runs.map((r) =>
    `<tr data-run="${esc(r.id)}"><td class="text">${esc(r.id)}</td>` +
    `<td class="text"><span class="kind">${esc(r.kind)}</span></td>` +
    `<td class="text">${esc(r.label || r.scenario.name || "")}</td></tr>`).join("");
  document.querySelectorAll("#runs tbody tr").forEach(
    (tr) => tr.addEventListener("click", () => showRun(tr.dataset.run)));
}

async function loadScenario(id) {
  const scenario = await api(`/scenarios/${encodeURIComponent(id)}`);
  const fill = (select, entries, unit) => {
    select.innerHTML = `<option value="">(unchanged)</option>` + entries.map(([k, v]) =>
      `<option value="${esc(k)}" data-now="${v}">${esc(k)} (now ${v}${unit})</option>`).join("");
  };
  fill($("wf-buffer"), Object.entries(scenario.choices.buffers), "");
  fill($("wf-station"), Object.entries(scenario.choices.stations), " s");
  $("wf-shift").disabled = !scenario.choices.has_calendar;
}

async function init() {
  const info = await api("/api/info");
  $("wf-kind").innerHTML = Object.keys(info.kinds).map((k) =>
    `<option ${k === info.default_kind ? "selected" : ""}>${esc(k)}</option>`).join("");
  const scenarios = await api("/scenarios");
  $("wf-scenario").innerHTML = scenarios.builtin.map((s) =>
    `<option ${s === info.default_scenario ? "selected" : ""}>${esc(s)}</option>`).join("") +
    scenarios.uploaded.map((s) =>
      `<option value="${esc(s.id)}">${esc(s.name)} (uploaded ${esc(s.id)})</option>`).join("");
  if (info.token_required && !token) {
    $("service-note").textContent = "read-only: open the link with ?token=… to start runs";
  }
  $("wf-scenario").addEventListener("change", () => loadScenario($("wf-scenario").value));
  const simOnly = () => document.querySelectorAll(".sim-only").forEach(
    (el) => { el.style.display = $("wf-kind").value === "simulate" ? "" : "none"; });
  $("wf-kind").addEventListener("change", simOnly);
  simOnly();
  $("wf-buffer").addEventListener("change", (e) => {
    const opt = e.target.selectedOptions[0];
    $("wf-buffer-cap").value = opt && opt.dataset.now ? Number(opt.dataset.now) * 2 : "";
  });
  $("wf-station").addEventListener("change", (e) => {
    const opt = e.target.selectedOptions[0];
    $("wf-station-ct").value = opt && opt.dataset.now ? Number(opt.dataset.now) * 0.9 : "";
  });
  await loadScenario($("wf-scenario").value);
  await loadRuns();
  $("whatif-form").addEventListener("submit", startWhatIf);
  $("wf-upload").addEventListener("change", uploadScenario);
  document.body.dataset.ready = "yes";
}

function whatIf() {
  const change = {};
  if ($("wf-buffer").value && $("wf-buffer-cap").value !== "") {
    change.buffers = {[$("wf-buffer").value]: parseInt($("wf-buffer-cap").value, 10)};
  }
  if ($("wf-station").value && $("wf-station-ct").value !== "") {
    change.cycle_times_s = {[$("wf-station").value]: parseFloat($("wf-station-ct").value)};
  }
  if ($("wf-shift").checked) change.add_shift = true;
  return change;
}

async function startWhatIf(event) {
  event.preventDefault();
  const status = $("job-status");
  status.className = ""; status.dataset.status = "starting";
  $("whatif-submit").disabled = true;
  try {
    const change = whatIf();
    if (!Object.keys(change).length) throw new Error("change a buffer, a cycle time or the shifts");
    const kind = $("wf-kind").value;
    const parameters = kind === "simulate"
      ? {horizon: $("wf-horizon").value, replications: parseInt($("wf-reps").value, 10)} : {};
    const started = await api("/runs", {method: "POST", body: JSON.stringify({
      kind, scenario: $("wf-scenario").value, parameters, what_if: change,
      with_baseline: true})});
    let job = started.job;
    while (job.status === "queued" || job.status === "running") {
      status.textContent = `${job.status}: ${job.message}`;
      status.dataset.status = job.status;
      $("job-progress").value = job.progress;
      await new Promise((r) => setTimeout(r, 300));
      job = await api(`/jobs/${job.id}`);
    }
    $("job-progress").value = job.progress;
    if (job.status === "failed") throw new Error(job.message);
    status.textContent = `done: run ${job.run_id} against ${job.baseline_run_id}`;
    await loadRuns();
    await showComparison(job.baseline_run_id, job.run_id);
    status.dataset.status = "done";
  } catch (error) {
    status.textContent = error.message;
    status.className = "failed"; status.dataset.status = "failed";
  } finally {
    $("whatif-submit").disabled = false;
  }
}

init().catch((error) => { $("view").textContent = "cannot reach the service: " + error.message; });
</script>
</body></html>
"""


def dashboard_html() -> str:
    """The dashboard page."""
    return _PAGE.replace("__VERSION__", __version__)
