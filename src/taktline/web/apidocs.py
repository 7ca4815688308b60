"""``/docs``: the OpenAPI description as a plain HTML page that needs no network.

FastAPI's Swagger UI loads its JavaScript from a CDN, which a plant network often
cannot reach; this page renders the same ``/openapi.json`` on the server (every
path, method, parameter, request body and response), and links to Swagger UI
(``/docs/swagger``) for when a network is there.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 0 auto; padding: 1rem 2rem;
       color: #212121; }
.op { border: 1px solid #e0e0e0; border-radius: 6px; margin: .8rem 0; padding: .5rem .8rem; }
.method { display: inline-block; min-width: 4.5rem; font-weight: 700; color: white;
          border-radius: 3px; padding: 0 .4rem; text-align: center; margin-right: .5rem; }
.get { background: #1565c0; } .post { background: #2e7d32; } .delete { background: #c62828; }
.put, .patch { background: #ef6c00; }
code, pre { background: #f5f5f5; padding: 0 .2rem; } pre { padding: .5rem; overflow-x: auto; }
table { border-collapse: collapse; font-size: .9rem; }
td, th { border-bottom: 1px solid #eee; padding: .2rem .6rem; text-align: left; }
"""


def _schema_name(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_schema_name(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_schema_name(schema.get('items', {}))}"
    return str(schema.get("type", "object"))


def _text(value: str | None) -> str:
    """Escaped text with reStructuredText ``literals`` as <code>."""
    return re.sub(r"``(.+?)``", r"<code>\1</code>", html.escape(value or ""))


def api_docs_html(openapi: dict[str, Any]) -> str:
    """The page for an OpenAPI document."""
    info = openapi.get("info", {})
    parts = [
        f"<h1>{html.escape(info.get('title', 'API'))} {html.escape(info.get('version', ''))}</h1>",
        f"<p>{html.escape(info.get('description', ''))}</p>",
        '<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> · interactive (needs '
        'network for its scripts): <a href="/docs/swagger">Swagger UI</a> · '
        '<a href="/">dashboard</a></p>',
    ]
    for path, methods in openapi.get("paths", {}).items():
        for method, op in methods.items():
            params = op.get("parameters", [])
            rows = "".join(
                f"<tr><td><code>{html.escape(p['name'])}</code></td><td>{html.escape(p['in'])}"
                f"</td><td>{'required' if p.get('required') else ''}</td><td>"
                f"{html.escape(_schema_name(p.get('schema', {})))}</td><td>"
                f"{html.escape(p.get('description', '') or '')}</td></tr>"
                for p in params
            )
            body = op.get("requestBody", {}).get("content", {})
            bodies = ", ".join(
                f"{html.escape(kind)} ({html.escape(_schema_name(spec.get('schema', {})))})"
                for kind, spec in body.items()
            )
            responses = ", ".join(
                f"{code} {html.escape(r.get('description', ''))}"
                for code, r in op.get("responses", {}).items()
            )
            parts.append(
                f'<div class="op"><span class="method {method}">{method.upper()}</span>'
                f"<code>{html.escape(path)}</code> — {html.escape(op.get('summary', ''))}"
                f"<p>{_text(op.get('description'))}</p>"
                + (
                    f"<table><tr><th>parameter</th><th>in</th><th></th><th>type</th><th></th>"
                    f"</tr>{rows}</table>"
                    if rows
                    else ""
                )
                + (f"<p>Body: {bodies}</p>" if bodies else "")
                + f"<p>Responses: {responses}</p></div>"
            )
    schemas = openapi.get("components", {}).get("schemas", {})
    if schemas:
        parts.append("<h2>Schemas</h2>")
        for name, schema in schemas.items():
            parts.append(
                f"<details><summary><code>{html.escape(name)}</code></summary><pre>"
                f"{html.escape(json.dumps(schema, indent=2))}</pre></details>"
            )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{html.escape(info.get('title', 'API'))} API</title>"
        f'<link rel="icon" href="data:,"><style>{_STYLE}</style></head><body>'
        + "".join(parts)
        + "</body></html>"
    )
