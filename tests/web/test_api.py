"""Every endpoint of the web service, good requests and bad ones (each a 4xx that says why)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webtools import wait_for_job

from taktline.model import builtin_scenario_text

GOOD = builtin_scenario_text()


def _run(client: TestClient, **request: object) -> dict:
    """Start a run (nominal capacity unless told: it is instant) and wait for it."""
    request.setdefault("kind", "capacity")
    response = client.post("/runs", json=request)
    assert response.status_code == 202, response.text
    job = wait_for_job(client, response.json()["job"]["id"])
    assert job["status"] == "done", job
    return job


# -- service -------------------------------------------------------------------------
def test_info_lists_kinds_and_says_no_token_on_loopback(client: TestClient) -> None:
    info = client.get("/api/info").json()
    assert "capacity" in info["kinds"]
    assert info["default_kind"] in info["kinds"]
    assert info["token_required"] is False


def test_openapi_docs_and_dashboard_are_served(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "<code>/runs/{run_id}/report</code>" in docs.text and "<script" not in docs.text
    assert client.get("/docs/swagger").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/scenarios", "/runs", "/runs/{run_id}/report", "/jobs/{job_id}"):
        assert path in paths
    page = client.get("/")
    assert page.status_code == 200 and '<script src="/static/plotly.js">' in page.text
    script = client.get("/static/plotly.js")
    assert script.status_code == 200 and "plotly" in script.text[:2000].lower()
    assert "cdn" not in page.text.lower()


# -- scenarios -----------------------------------------------------------------------
def test_upload_a_scenario_is_content_addressed(client: TestClient) -> None:
    first = client.post("/scenarios", content=GOOD.encode(), params={"filename": "y.yaml"})
    assert first.status_code == 201, first.text
    again = client.post("/scenarios", content=GOOD.encode())
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["name"] == "yizhuang"
    listed = client.get("/scenarios").json()
    assert "yizhuang" in listed["builtin"]
    assert [s["id"] for s in listed["uploaded"]] == [first.json()["id"]]
    one = client.get(f"/scenarios/{first.json()['id']}", params={"yaml": True}).json()
    assert one["yaml"] == GOOD
    assert one["choices"]["buffers"]["pbs"] == 200


@pytest.mark.parametrize(
    ("body", "line", "field", "words"),
    [
        (b"name: [unclosed\n", 2, None, "YAML syntax error"),
        (b"", 1, None, "empty"),
        (b"- a\n- b\n", 1, None, "mapping"),
        (b"name: x\nname: y\n", 2, None, "given twice"),
        (
            GOOD.replace("cycle_time_s: 72", "cycle_time_s: -72", 1).encode(),
            None,
            "cycle_time_s",
            "> 0",
        ),
        (
            GOOD.replace("name: yizhuang", "name: yizhuang\nspeed: 3", 1).encode(),
            None,
            "speed",
            "not a known field",
        ),
        ("name: café\n".encode("latin-1"), None, None, "UTF-8"),
    ],
)
def test_bad_scenarios_are_422_with_line_and_field(
    client: TestClient, body: bytes, line: int | None, field: str | None, words: str
) -> None:
    response = client.post("/scenarios", content=body, params={"filename": "bad.yaml"})
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert all(set(p) == {"line", "field", "message"} for p in problems)
    assert any(words in p["message"] for p in problems), problems
    if line is not None:
        assert problems[0]["line"] == line
    if field is not None:
        hit = next(p for p in problems if field in (p["field"] or ""))
        assert hit["line"] is not None and hit["line"] > 1


def test_an_oversized_scenario_is_413(client: TestClient) -> None:
    response = client.post("/scenarios", content=b"#" * 2_000_001)
    assert response.status_code == 413
    assert "under 2,000,000 bytes" in response.json()["detail"]


def test_unknown_scenario_is_404(client: TestClient) -> None:
    response = client.get("/scenarios/no-such-plant")
    assert response.status_code == 404
    assert "no-such-plant" in response.json()["detail"]


# -- runs ----------------------------------------------------------------------------
def test_start_a_run_follow_it_and_read_everything_of_it(client: TestClient) -> None:
    job = _run(client, kind="capacity")
    assert job["progress"] == 1.0 and job["run_id"]
    assert any(j["id"] == job["id"] for j in client.get("/jobs").json())
    run_id = job["run_id"]
    run = client.get(f"/runs/{run_id}").json()
    assert run["kind"] == "capacity" and run["scenario"]["name"] == "yizhuang"
    assert "yaml" not in run["scenario"]
    assert (
        client.get(f"/runs/{run_id}", params={"scenario": True}).json()["scenario"]["yaml"] == GOOD
    )
    assert [r["id"] for r in client.get("/runs").json()] == [run_id]
    kpis = {k["kpi"]: k for k in client.get(f"/runs/{run_id}/kpis").json()}
    assert kpis["phase1 jobs/h"]["value"] == pytest.approx(3600 / 76)  # the paced GA takt
    stations = client.get(f"/runs/{run_id}/tables/stations").json()
    assert {s["station"] for s in stations} >= {"ga-trim-1", "track-drive"}
    charts = client.get(f"/runs/{run_id}/charts").json()
    assert {"shop-rates", "station-capacity-phase1"} <= {c["key"] for c in charts}
    assert all(c["figure"]["data"] for c in charts)
    report = client.get(f"/runs/{run_id}/report")
    assert report.status_code == 200 and "Plotly.newPlot" in report.text


def test_the_same_inputs_are_recognisably_the_same_run(client: TestClient) -> None:
    short = {"horizon": "2d", "replications": 2, "seed": 7}
    first = _run(client, kind="simulate", parameters=short)
    second = _run(client, kind="simulate", parameters=short)
    comparison = client.get(f"/runs/{first['run_id']}/compare/{second['run_id']}").json()
    assert comparison["same_inputs"] is True
    # the same seed gives the same replications: every KPI agrees exactly
    assert all(row["a"] == row["b"] for row in comparison["kpis"])
    assert any(row["kpi"] == "throughput" and row["a"] > 0 for row in comparison["kpis"])
    reseeded = _run(client, kind="simulate", parameters={**short, "seed": 8})
    differs = client.get(f"/runs/{first['run_id']}/compare/{reseeded['run_id']}").json()
    assert differs["same_inputs"] is False
    assert differs["differences"]["seed"] == {"a": 7, "b": 8}
    other = _run(client, parameters={"year": 2024})
    assert (
        client.get(f"/runs/{first['run_id']}/compare/{other['run_id']}").json()["same_inputs"]
        is False
    )


def test_what_if_runs_beside_a_reused_baseline(client: TestClient) -> None:
    slower = {"cycle_times_s": {"eol-rolls-adas": 160}}
    job = _run(client, what_if=slower, with_baseline=True)
    base, variant = job["baseline_run_id"], job["run_id"]
    kpis = {k["kpi"]: k["value"] for k in client.get(f"/runs/{variant}/kpis").json()}
    # two servers at 160 s: 45 jobs/h, now slower than the 76 s takt of assembly
    assert kpis["phase1 jobs/h"] == pytest.approx(3600 / 80)
    assert client.get(f"/runs/{variant}").json()["label"] == "what-if: eol-rolls-adas=160s"
    again = _run(client, what_if={"add_shift": True}, with_baseline=True)
    assert again["baseline_run_id"] == base  # the same baseline inputs: not run twice


def test_a_plan_run_with_its_charts(client: TestClient) -> None:
    job = _run(client, kind="plan", parameters={"from": "2024-03", "to": "2025-12"})
    run = client.get(f"/runs/{job['run_id']}").json()
    assert run["kind"] == "plan" and run["parameters"] == {"from": "2024-03", "to": "2025-12"}
    keys = [c["key"] for c in client.get(f"/runs/{job['run_id']}/charts").json()]
    assert keys[:2] == ["plan-months", "plan-backlog"]


def test_a_sequenced_day_keeps_every_window_within_its_limit(client: TestClient) -> None:
    parameters = {"cars": 200, "iterations": 20000, "seed": 3, "plant": "phase2"}
    job = _run(client, kind="sequence", parameters=parameters)
    run = client.get(f"/runs/{job['run_id']}").json()
    loads = client.get(f"/runs/{job['run_id']}/tables/option_load", params={"limit": 10**6})
    sequence = client.get(f"/runs/{job['run_id']}/tables/sequence", params={"limit": 10**6})
    assert len(sequence.json()) == 200 == run["kpis"]["cars"]
    # our own count of cars over p in every window of q must match the engine's excess
    for option in {row["option"] for row in loads.json()}:
        rows = [r for r in loads.json() if r["option"] == option]
        over = sum(max(0, r["load"] - r["p"]) for r in rows)
        assert over == run["kpis"][f"{option} excess"]["value"]
    keys = [c["key"] for c in client.get(f"/runs/{job['run_id']}/charts").json()]
    assert "colour-batches" in keys and any(k.startswith("option-load-") for k in keys)


def test_delete_a_run(client: TestClient) -> None:
    run_id = _run(client)["run_id"]
    assert client.delete(f"/runs/{run_id}").status_code == 204
    assert client.get(f"/runs/{run_id}").status_code == 404


@pytest.mark.parametrize(
    ("request_body", "status", "words"),
    [
        ({"kind": "teleport"}, 422, "unknown run kind"),
        ({"kind": "capacity", "parameters": {"year": "soon"}}, 422, "whole number"),
        ({"kind": "capacity", "parameters": {"horizon": 3}}, 422, "unknown parameter"),
        ({"kind": "simulate", "parameters": {"horizon": "forever"}}, 422, "duration"),
        ({"kind": "simulate", "parameters": {"replications": 0}}, 422, "whole number"),
        ({"kind": "simulate", "parameters": {"seed": -1}}, 422, "whole number"),
        ({"kind": "simulate", "parameters": {"start": "yesterday"}}, 422, "date"),
        ({"kind": "simulate", "parameters": {"warmup": "long"}}, 422, "duration"),
        ({"kind": "plan", "parameters": {"from": "March"}}, 422, "month such as"),
        ({"kind": "sequence", "parameters": {"plant": "phase9"}}, 422, "unknown plant"),
        ({"kind": "sequence", "parameters": {"day": "soon"}}, 422, "date such as"),
        ({"kind": "sequence", "parameters": {"cars": 0}}, 422, "whole number"),
        ({"kind": "plan", "parameters": {"from": "2026-01", "to": "2025-01"}}, 422, "after"),
        ({"scenario": "atlantis"}, 404, "atlantis"),
        ({"what_if": {"buffers": {"no-such-buffer": 3}}}, 422, "unknown buffer"),
        ({"what_if": {"buffers": {"pbs": -1}}}, 422, ">= 0"),
        ({"what_if": {"cycle_times_s": {"ga-trim-1": 90}}}, 422, "takt"),
        ({"what_if": {"buffers": {"pbs": "many"}}}, 422, "integer"),
        ({"colour": "red"}, 422, "Extra inputs"),
    ],
)
def test_bad_run_requests_are_4xx_with_a_clear_message(
    client: TestClient, request_body: dict, status: int, words: str
) -> None:
    response = client.post("/runs", json=request_body)
    assert response.status_code == status, response.text
    assert words in str(response.json()["detail"])
    assert client.get("/jobs").json() == []  # nothing was started


def test_malformed_json_body_is_422(client: TestClient) -> None:
    response = client.post(
        "/runs", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in str(response.json()["detail"])


@pytest.mark.parametrize(
    "path",
    [
        "/runs/19990101-000000-ffffff",
        "/runs/19990101-000000-ffffff/kpis",
        "/runs/19990101-000000-ffffff/charts",
        "/runs/19990101-000000-ffffff/report",
        "/runs/19990101-000000-ffffff/tables/stations",
        "/jobs/job-000000-ffffff",
    ],
)
def test_unknown_ids_are_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "no " in response.json()["detail"]


def test_unknown_table_and_compare_with_unknown_run_are_404(client: TestClient) -> None:
    run_id = _run(client)["run_id"]
    assert client.get(f"/runs/{run_id}/tables/nothing").status_code == 404
    assert client.get(f"/runs/{run_id}/compare/nope").status_code == 404
    assert client.get("/runs", params={"limit": 0}).status_code == 422


# -- token ---------------------------------------------------------------------------
def test_token_guards_everything_that_starts_or_changes(token_client: TestClient) -> None:
    assert token_client.get("/api/info").json()["token_required"] is True
    assert token_client.get("/runs").status_code == 200  # reading stays open
    denied = token_client.post("/runs", json={"kind": "capacity"})
    assert denied.status_code == 401 and "token" in denied.json()["detail"]
    assert token_client.post("/scenarios", content=GOOD.encode()).status_code == 401
    wrong = token_client.post(
        "/runs", json={"kind": "capacity"}, headers={"X-Taktline-Token": "guess"}
    )
    assert wrong.status_code == 401
    ok = token_client.post(
        "/runs", json={"kind": "capacity"}, headers={"X-Taktline-Token": "s3cret"}
    )
    assert ok.status_code == 202
    run_id = wait_for_job(token_client, ok.json()["job"]["id"])["run_id"]
    assert token_client.delete(f"/runs/{run_id}").status_code == 401
    bearer = token_client.delete(f"/runs/{run_id}", headers={"Authorization": "Bearer s3cret"})
    assert bearer.status_code == 204
