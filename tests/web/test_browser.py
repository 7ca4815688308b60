"""End to end in headless Chromium: the dashboard's what-if, and a report opened from disk."""

from __future__ import annotations

from pathlib import Path

from taktline.model import builtin_scenario_text
from taktline.report import charts_for, write_report
from taktline.store import RunStore
from taktline.workflow.jobs import run_and_record


def _charts_drawn(page, selector: str) -> int:  # type: ignore[no-untyped-def]
    """How many Plotly charts under ``selector`` have drawn their SVG with marks in it."""
    return page.eval_on_selector_all(
        f"{selector} .js-plotly-plot",
        "nodes => nodes.filter(n => n.querySelector('.main-svg') && "
        "n.querySelectorAll('.point, .trace path, .bars path').length > 0).length",
    )


def test_dashboard_what_if_against_the_baseline(
    page,
    live_server: str,
    output_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=yes]", timeout=20_000)
    assert page.input_value("#wf-kind") == "simulate"  # the engine is there: what-ifs simulate
    page.select_option("#wf-station", "eol-rolls-adas")
    page.fill("#wf-station-ct", "170")  # the bottleneck, slower still
    page.select_option("#wf-buffer", "pbs")
    page.fill("#wf-buffer-cap", "300")
    page.fill("#wf-horizon", "7d")
    page.fill("#wf-reps", "3")
    page.click("#whatif-submit")
    # generous: on a fresh checkout the server compiles the simulation kernel first (~45 s)
    page.wait_for_selector("#view[data-ready=comparison]", timeout=240_000)
    assert page.get_attribute("#job-status", "data-status") == "done"
    for side in ("baseline", "whatif"):
        drawn = _charts_drawn(page, f'[data-side="{side}"]')
        assert drawn >= 5, f"{side}: {drawn} charts drawn"
    for key in ("throughput", "station-states-phase1", "buffer-levels-phase1", "wip"):
        assert page.locator(f'[data-side="whatif"] [data-chart="{key}"] .main-svg').count() >= 1
    # two servers at 170 s make 42.4 jobs/h at most: the what-if must lose output
    change = page.locator('#compare-kpis tr[data-kpi="phase1 throughput"] td').nth(3)
    assert change.get_attribute("class") == "down worse", change.inner_text()
    assert page.locator("#runs tbody tr").count() == 2  # the baseline and the what-if
    ranges = page.evaluate(
        """() => ["baseline", "whatif"].map((side) => document.querySelector(
            `[data-side="${side}"] [data-chart="throughput"]`)._fullLayout.yaxis.range)"""
    )
    assert ranges[0] == ranges[1]  # one scale for both sides
    page.screenshot(path=str(output_dir / "dashboard.png"), full_page=False)
    page.click("#runs tbody tr:nth-child(2)")  # the baseline on its own
    page.wait_for_selector("#run-charts [data-chart='throughput'] .main-svg", timeout=20_000)
    assert "fingerprint" in page.inner_text("#view")
    assert page.errors == []


def test_dashboard_reports_a_bad_what_if(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=yes]", timeout=20_000)
    page.select_option("#wf-station", "ga-trim-1")
    page.fill("#wf-station-ct", "95")  # slower than the paced line's 76 s takt
    page.click("#whatif-submit")
    page.wait_for_selector("#job-status[data-status=failed]", timeout=20_000)
    assert "takt" in page.inner_text("#job-status")


def test_dashboard_uploads_a_scenario(page, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server + "/")
    page.wait_for_selector("body[data-ready=yes]", timeout=20_000)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: broken\nplants: [\n")
    page.set_input_files("#wf-upload", str(bad))
    page.wait_for_selector("#upload-status.failed", timeout=10_000)
    assert "bad.yaml:3" in page.inner_text("#upload-status")
    good = Path(__file__).resolve().parents[2] / "examples" / "plants" / "two-shop.yaml"
    page.set_input_files("#wf-upload", str(good))
    page.wait_for_function(
        "document.getElementById('upload-status').textContent.includes('is valid')"
    )
    assert "two-shop" in page.inner_text("#wf-scenario")
    options = page.eval_on_selector_all("#wf-buffer option", "os => os.map(o => o.value)")
    assert "body-store" in options  # the what-if form now offers the uploaded plant's buffers
    # the browser logs the bad file's 422 itself; nothing else may go wrong
    assert [e for e in page.errors if "status of 422" not in e] == []


def test_report_renders_every_chart_without_console_errors(
    page,
    tmp_path: Path,
    output_dir: Path,  # type: ignore[no-untyped-def]
) -> None:
    with RunStore(tmp_path / "runs.duckdb") as store:
        run = run_and_record(store, "capacity", builtin_scenario_text())
        expected = len(charts_for(run, store.tables(run.id)))
        report = write_report(store, run.id, tmp_path / "report.html")
    requested: list[str] = []  # the report must need nothing from any network
    page.route("http*://**", lambda route: (requested.append(route.request.url), route.abort()))
    page.goto(report.resolve().as_uri())
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= {expected}",
        timeout=20_000,
    )
    assert expected >= 3
    assert _charts_drawn(page, "body") == expected
    page.screenshot(path=str(output_dir / "report.png"), full_page=False)
    assert page.errors == []
    assert requested == []


def test_api_docs_page_needs_no_network(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server)
            else (requested.append(route.request.url), route.abort())
        ),
    )
    response = page.goto(live_server + "/docs")
    assert response is not None and response.status == 200
    assert page.locator(".op").count() >= 15  # every operation of the API
    assert requested == [] and page.errors == []
