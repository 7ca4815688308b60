"""The web service: scenarios, runs started in the background, their KPIs, charts and reports.

``create_app(store)`` builds the FastAPI application; ``taktline serve`` runs it
with uvicorn. OpenAPI at ``/openapi.json``, as a page that needs no network at
``/docs`` (Swagger UI, whose scripts come from a CDN, at ``/docs/swagger``). The
dashboard (``/``) is a page of the same app, and Plotly's JavaScript is served by
the app itself (``/static/plotly.js``), so nothing comes from the network.

When a token is set (``taktline serve`` sets one whenever it listens on anything but
loopback), every request that starts or changes something must carry it in
``X-Taktline-Token`` or ``Authorization: Bearer``.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from taktline import __version__
from taktline.errors import InputError
from taktline.model import builtin_scenario_text, builtin_scenarios, scenario_from_yaml
from taktline.model.loader import DEFAULT_SCENARIO
from taktline.report import charts_for, render_report
from taktline.report.html import kpi_rows, plotly_js
from taktline.store import NotFoundError, RunStore
from taktline.store.compare import compare_runs
from taktline.web.apidocs import api_docs_html
from taktline.web.dashboard import dashboard_html
from taktline.web.jobs import JobQueue
from taktline.workflow.jobs import JOB_KINDS, default_kind, prepare
from taktline.workflow.whatif import WhatIf, whatif_choices

MAX_SCENARIO_BYTES = 2_000_000


class RunRequest(BaseModel):
    """``POST /runs``: what to run, on which scenario, with which changes."""

    model_config = ConfigDict(extra="forbid")

    kind: str | None = Field(
        default=None, description="capacity, simulate, ... (default: simulate when available)"
    )
    scenario: str | None = Field(
        default=None,
        description="a built-in scenario name or an uploaded scenario's id (default: yizhuang)",
    )
    parameters: dict[str, Any] = Field(default_factory=dict, description="the kind's parameters")
    what_if: WhatIf | None = Field(default=None, description="changes to try on the scenario")
    with_baseline: bool = Field(
        default=False,
        description="also make sure the same run without the what-if exists (for side by side)",
    )


def _problems(error: InputError) -> list[dict[str, Any]]:
    return [{"line": p.line, "field": p.field, "message": p.message} for p in error.problems]


def create_app(store: RunStore | str | os.PathLike[str], token: str | None = None) -> FastAPI:
    """The FastAPI application over a run store (a :class:`RunStore` or a path to one)."""
    owned = not isinstance(store, RunStore)
    runs = RunStore(store) if owned else store
    queue = JobQueue(runs)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        queue.shutdown()
        if owned:
            runs.close()

    app = FastAPI(
        title="taktline",
        version=__version__,
        description="Digital twin and production planning for EV assembly plants: "
        "scenarios, runs, KPIs, charts and reports.",
        lifespan=lifespan,
        docs_url="/docs/swagger",
        redoc_url=None,
    )
    app.state.store = runs
    app.state.jobs = queue
    app.state.token = token

    def require_token(request: Request) -> None:
        """Requests that start or change something carry the token (when one is set)."""
        if token is None:
            return
        given = request.headers.get("x-taktline-token", "")
        bearer = request.headers.get("authorization", "")
        if bearer.lower().startswith("bearer "):
            given = given or bearer[7:].strip()
        if not secrets.compare_digest(given.encode(), token.encode()):
            raise HTTPException(
                status_code=401,
                detail="this server needs its token to start or change anything: send it in "
                "the X-Taktline-Token header (or Authorization: Bearer)",
            )

    @app.exception_handler(NotFoundError)
    async def _not_found(_: Request, error: NotFoundError) -> JSONResponse:
        return JSONResponse(status_code=404, content={"detail": str(error)})

    @app.exception_handler(InputError)
    async def _bad_input(_: Request, error: InputError) -> JSONResponse:
        return JSONResponse(status_code=422, content={"detail": _problems(error)})

    @app.exception_handler(RequestValidationError)
    async def _bad_request(_: Request, error: RequestValidationError) -> JSONResponse:
        detail = [
            {
                "line": None,
                "field": ".".join(str(p) for p in item["loc"] if p != "body") or None,
                "message": item["msg"],
            }
            for item in error.errors()
        ]
        return JSONResponse(status_code=422, content={"detail": detail})

    # -- scenarios ----------------------------------------------------------------------
    def scenario_source(name: str | None) -> tuple[str, str]:
        """(file name, YAML text) of a built-in or uploaded scenario."""
        name = name or DEFAULT_SCENARIO
        if name in builtin_scenarios():
            return f"<built-in {name}>", builtin_scenario_text(name)
        stored_name, text = runs.scenario_text(name)
        return f"{stored_name}.yaml", text

    @app.get("/api/info", tags=["service"])
    def info() -> dict[str, Any]:
        """Version, the kinds of run this server can start, and whether it needs a token."""
        return {
            "version": __version__,
            "kinds": {name: kind.parameters for name, kind in JOB_KINDS.items()},
            "default_kind": default_kind(),
            "default_scenario": DEFAULT_SCENARIO,
            "token_required": token is not None,
        }

    @app.post(
        "/scenarios",
        status_code=201,
        tags=["scenarios"],
        dependencies=[Depends(require_token)],
        openapi_extra={
            "requestBody": {
                "content": {"application/yaml": {"schema": {"type": "string"}}},
                "required": True,
            }
        },
    )
    async def upload_scenario(
        request: Request,
        filename: str = Query("upload.yaml", description="name used in error messages"),
    ) -> dict[str, Any]:
        """Upload a scenario as YAML (the request body); it is validated and kept.

        A bad file is answered with 422 and a list of ``{line, field, message}``.
        """
        body = await request.body()
        if len(body) > MAX_SCENARIO_BYTES:
            raise HTTPException(413, f"a scenario must be under {MAX_SCENARIO_BYTES:,} bytes")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"not UTF-8 text (byte {error.start})", file=filename) from None
        scenario = scenario_from_yaml(text, filename)
        sha = runs.put_scenario(scenario.name, text, filename)
        return {
            "id": sha[:12],
            "sha256": sha,
            "name": scenario.name,
            "plants": [p.id for p in scenario.plants],
        }

    @app.get("/scenarios", tags=["scenarios"])
    def list_scenarios() -> dict[str, Any]:
        """Built-in scenarios and the uploaded ones (newest first)."""
        uploaded = [{"id": s["sha256"][:12], **s} for s in runs.scenarios()]
        return {"builtin": builtin_scenarios(), "uploaded": uploaded}

    @app.get("/scenarios/{scenario_id}", tags=["scenarios"])
    def get_scenario(scenario_id: str, yaml: bool = False) -> dict[str, Any]:
        """A scenario's name, plants and what-if choices (buffers, stations); its YAML on
        request."""
        filename, text = scenario_source(scenario_id)
        scenario = scenario_from_yaml(text, filename)
        doc: dict[str, Any] = {
            "id": scenario_id,
            "name": scenario.name,
            "plants": [p.id for p in scenario.plants],
            "choices": whatif_choices(scenario),
        }
        if yaml:
            doc["yaml"] = text
        return doc

    # -- runs ---------------------------------------------------------------------------
    @app.post("/runs", status_code=202, tags=["runs"], dependencies=[Depends(require_token)])
    def start_run(request: RunRequest) -> dict[str, Any]:
        """Start a run in the background; follow it at ``/jobs/{id}``.

        Everything is checked before the job is queued: an unknown scenario is a 404,
        bad parameters or a what-if naming an unknown buffer a 422.
        """
        kind = request.kind or default_kind()
        filename, text = scenario_source(request.scenario)
        job = prepare(kind, text, filename, request.parameters, request.what_if)
        baseline = None
        if request.with_baseline and request.what_if is not None and not request.what_if.empty:
            baseline = prepare(kind, text, filename, request.parameters, None)
        return {"job": queue.submit(job, baseline).to_dict()}

    @app.get("/jobs", tags=["runs"])
    def list_jobs() -> list[dict[str, Any]]:
        """Jobs of this server (newest first) with their status and progress."""
        return [j.to_dict() for j in queue.all()]

    @app.get("/jobs/{job_id}", tags=["runs"])
    def get_job(job_id: str) -> dict[str, Any]:
        """A job's status (queued, running, done, failed), progress 0–1, and its run ids."""
        job = queue.get(job_id)
        if job is None:
            raise HTTPException(404, f"no job {job_id!r} (jobs are forgotten on restart)")
        return job.to_dict()

    @app.get("/runs", tags=["runs"])
    def list_runs(
        kind: str | None = None, limit: int = Query(100, ge=1, le=10_000)
    ) -> list[dict[str, Any]]:
        """Stored runs, newest first."""
        return [r.to_dict() for r in runs.list(kind=kind, limit=limit)]

    @app.get("/runs/{run_id}", tags=["runs"])
    def get_run(run_id: str, scenario: bool = False) -> dict[str, Any]:
        """A run's metadata, KPIs and table names (its scenario's YAML on request)."""
        return runs.get(run_id).to_dict(with_scenario=scenario)

    @app.delete(
        "/runs/{run_id}", status_code=204, tags=["runs"], dependencies=[Depends(require_token)]
    )
    def delete_run(run_id: str) -> Response:
        """Remove a run and its tables."""
        runs.delete(run_id)
        return Response(status_code=204)

    @app.get("/runs/{run_id}/kpis", tags=["runs"])
    def get_kpis(run_id: str) -> list[dict[str, Any]]:
        """KPIs as rows: kpi, value, ci_low, ci_high, unit."""
        return kpi_rows(runs.get(run_id).kpis)

    @app.get("/runs/{run_id}/tables/{name}", tags=["runs"])
    def get_table(run_id: str, name: str, limit: int = Query(1000, ge=1, le=1_000_000)) -> Response:
        """One result table of a run as a list of records."""
        frame = runs.table(run_id, name).head(limit)
        return Response(
            frame.to_json(orient="records", date_format="iso"), 200, media_type="application/json"
        )

    @app.get("/runs/{run_id}/charts", tags=["runs"])
    def get_charts(run_id: str) -> Response:
        """The run's charts as Plotly figures (what the report and the dashboard draw)."""
        run = runs.get(run_id)
        charts = charts_for(run, runs.tables(run.id))
        body = ",".join(
            f'{{"key":{json.dumps(c.key)},"title":{json.dumps(c.title)},'
            f'"note":{json.dumps(c.note)},"figure":{c.figure.to_json()}}}'
            for c in charts
        )
        return Response("[" + body + "]", 200, media_type="application/json")

    @app.get("/runs/{run_id}/report", response_class=HTMLResponse, tags=["runs"])
    def get_report(run_id: str) -> HTMLResponse:
        """The run's self-contained HTML report."""
        run = runs.get(run_id)
        return HTMLResponse(render_report(run, runs.tables(run.id)))

    @app.get("/runs/{run_id}/compare/{other_id}", tags=["runs"])
    def compare(run_id: str, other_id: str) -> dict[str, Any]:
        """Two runs' KPIs side by side, and whether they had the same inputs."""
        return compare_runs(runs.get(run_id), runs.get(other_id))

    # -- dashboard -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def dashboard() -> HTMLResponse:
        return HTMLResponse(dashboard_html())

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs() -> HTMLResponse:
        return HTMLResponse(api_docs_html(app.openapi()))

    @app.get("/static/plotly.js", include_in_schema=False)
    def plotly_bundle() -> Response:
        return Response(
            plotly_js(),
            media_type="application/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    return app
