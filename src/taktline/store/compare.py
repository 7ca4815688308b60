"""Two runs side by side: are they the same inputs, and how do their KPIs differ?"""

from __future__ import annotations

from typing import Any

from taktline.store.runs import RunRecord


def kpi_value(kpi: Any) -> float | None:
    """The number of a KPI stored either as a number or as ``{"value": ..., "ci_low": ...}``."""
    if isinstance(kpi, dict):
        kpi = kpi.get("value", kpi.get("mean"))
    return float(kpi) if isinstance(kpi, int | float) and not isinstance(kpi, bool) else None


def _text(kpi: Any) -> str | None:
    """A non-numeric KPI (a bottleneck's station, say) as text, else None."""
    if isinstance(kpi, dict):
        kpi = kpi.get("value")
    return None if kpi is None else str(kpi)


def _better(kpi: Any) -> str | None:
    """Which way is good for a KPI ("higher", "lower"), when its engine says so."""
    return kpi.get("better") if isinstance(kpi, dict) else None


def compare_runs(a: RunRecord, b: RunRecord) -> dict[str, Any]:
    """KPIs of ``a`` and ``b`` with the difference and relative change (b against a).

    ``verdict`` says whether the change is "better" or "worse" for KPIs that carry a
    ``better`` direction ("higher" for throughput, "lower" for lead time).

    ``same_inputs`` is true when both runs have the same fingerprint (kind, scenario
    text, parameters, seed): with a deterministic engine their results must agree.
    """
    rows = []
    for name in list(dict.fromkeys([*a.kpis, *b.kpis])):
        va, vb = kpi_value(a.kpis.get(name)), kpi_value(b.kpis.get(name))
        delta = vb - va if va is not None and vb is not None else None
        relative = delta / abs(va) if delta is not None and va else None
        shown_a = va if va is not None else _text(a.kpis.get(name))
        shown_b = vb if vb is not None else _text(b.kpis.get(name))
        better = _better(a.kpis.get(name)) or _better(b.kpis.get(name))
        verdict = None
        if delta and better in ("higher", "lower"):
            verdict = "better" if (delta > 0) == (better == "higher") else "worse"
        rows.append(
            {
                "kpi": name,
                "a": shown_a,
                "b": shown_b,
                "delta": delta,
                "relative": relative,
                "verdict": verdict,
            }
        )
    differences = {
        key: {"a": getattr(a, key), "b": getattr(b, key)}
        for key in ("kind", "scenario_name", "scenario_sha256", "seed", "software_version")
        if getattr(a, key) != getattr(b, key)
    }
    changed = sorted(
        key
        for key in set(a.parameters) | set(b.parameters)
        if a.parameters.get(key) != b.parameters.get(key)
    )
    if changed:
        differences["parameters"] = {
            key: {"a": a.parameters.get(key), "b": b.parameters.get(key)} for key in changed
        }
    return {
        "a": a.id,
        "b": b.id,
        "same_inputs": a.fingerprint == b.fingerprint,
        "fingerprints": {"a": a.fingerprint, "b": b.fingerprint},
        "differences": differences,
        "kpis": rows,
    }
