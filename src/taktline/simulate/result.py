"""What :func:`taktline.simulate.simulate` returns: tidy tables and a JSON document."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from taktline.analysis.stats import summarize
from taktline.simulate.network import NSRV, Network

SCALAR_KPIS = (
    "throughput_jph",
    "throughput_cal_jph",
    "throughput_jpd",
    "throughput_per_shift",
    "takt_attainment",
    "wip",
    "lead_time_s",
    "lead_time_p50_s",
    "lead_time_p95_s",
    "finished",
    "released",
    "scrapped",
    "reworked",
)
STATION_FIELDS = (
    "working",
    "blocked",
    "starved",
    "failed",
    "off_shift",
    "availability",
    "performance",
    "quality",
    "oee",
    "bottleneck_share",
    "shifting_share",
)
TOTAL = "total"


@dataclass
class SimulationResult:
    """KPIs per replication and summarised with 95 % Student-t confidence intervals.

    - ``kpis``: one row per (plant, kpi) with ``mean, ci95, sd, min, max, n``;
      plant ``"total"`` sums the plants (throughput, WIP) or pools them (lead time);
    - ``replications``: one row per (replication, plant) with every scalar KPI;
    - ``stations``: one row per station: mean state shares (working, blocked,
      starved, failed, off shift: they sum to 1), OEE and its factors, and the share
      of time it is the momentary (and shifting) bottleneck;
    - ``buffers``: mean and maximum level, capacity, and the level distribution;
    - ``bottleneck``: per plant, the station that is the momentary bottleneck longest;
    - ``event_log`` (if asked for): every event of replication 0, see
      :func:`taktline.simulate.engine.event_log`.
    """

    scenario: str
    horizon_s: float
    warmup_s: float
    warmup_method: str
    replications_n: int
    seed: int
    wall_s: float
    kpis: pd.DataFrame
    replications: pd.DataFrame
    stations: pd.DataFrame
    buffers: pd.DataFrame
    bottleneck: dict[str, dict[str, Any]]
    conservation: pd.DataFrame
    workers: int = 1
    extra: dict[str, Any] = field(default_factory=dict)
    event_log: pd.DataFrame | None = None  # with simulate(..., event_log=True)

    def kpi(self, name: str, plant: str = TOTAL) -> tuple[float, float]:
        """``(mean, ci95 half-width)`` of one KPI."""
        row = self.kpis[(self.kpis.plant == plant) & (self.kpis.kpi == name)]
        if row.empty:
            raise KeyError(f"{plant}/{name}")
        return float(row["mean"].iloc[0]), float(row["ci95"].iloc[0])

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` document."""

        def block(plant: str) -> dict[str, Any]:
            sub = self.kpis[self.kpis.plant == plant]
            return {
                r.kpi: {"mean": r.mean, "ci95": r.ci95, "sd": r.sd, "min": r.min, "max": r.max}
                for r in sub.itertuples()
            }

        plants = [p for p in self.kpis.plant.unique() if p != TOTAL]
        top = self.bottleneck.get(plants[0], {}) if len(plants) == 1 else {}
        if len(plants) > 1:
            worst = min(plants, key=lambda p: self.kpi("throughput_jph", p)[0])
            top = {**self.bottleneck.get(worst, {}), "plant": worst}
        return {
            "scenario": self.scenario,
            "horizon_s": self.horizon_s,
            "warmup_s": self.warmup_s,
            "warmup_method": self.warmup_method,
            "replications": self.replications_n,
            "seed": self.seed,
            "workers": self.workers,
            "wall_s": self.wall_s,
            "kpis": block(TOTAL),
            "plants": {p: {"kpis": block(p), "bottleneck": self.bottleneck.get(p)} for p in plants},
            "bottleneck": top,
            "bottleneck_by_plant": self.bottleneck,
            "stations": self.stations.replace({np.nan: None}).to_dict(orient="records"),
            "buffers": [
                {**row, "distribution": [float(x) for x in dist]}
                for row, dist in zip(
                    self.buffers.drop(columns=["distribution"])
                    .replace({np.nan: None})
                    .to_dict(orient="records"),
                    self.buffers["distribution"],
                    strict=True,
                )
            ],
            **self.extra,
        }


def total_scalars(plant_kpis: list[dict]) -> dict[str, float]:
    """Site totals of one replication: rates and WIP add up, lead times pool."""
    s = [k["scalars"] for k in plant_kpis]
    total: dict[str, float] = {}
    for name in (
        "throughput_jph",
        "throughput_cal_jph",
        "throughput_jpd",
        "throughput_per_shift",
        "wip",
        "finished",
        "released",
        "scrapped",
        "reworked",
    ):
        total[name] = float(sum(x[name] for x in s))
    finished = total["finished"]
    total["lead_time_s"] = (
        sum(x["lead_time_s"] * x["finished"] for x in s if x["finished"]) / finished
        if finished
        else np.nan
    )
    leads = np.concatenate([k["lead_series"][1] for k in plant_kpis]) if plant_kpis else []
    total["lead_time_p50_s"] = float(np.percentile(leads, 50)) if len(leads) else np.nan
    total["lead_time_p95_s"] = float(np.percentile(leads, 95)) if len(leads) else np.nan
    planned = sum(x["finished"] / x["takt_attainment"] for x in s if x["takt_attainment"])
    total["takt_attainment"] = finished / planned if planned else np.nan
    return total


def summarise(
    scenario: str,
    names: list[str],
    networks: list[Network],
    reps: list[list[dict]],
    *,
    horizon: float,
    warmup: float,
    warmup_method: str,
    seed: int,
    wall_s: float,
    workers: int,
    extra: dict[str, Any] | None = None,
) -> SimulationResult:
    """Tidy tables and confidence intervals from the per-replication KPI dicts."""
    rows = []
    for i, plant_kpis in enumerate(reps):
        for name, k in zip(names, plant_kpis, strict=True):
            rows.append({"replication": i, "plant": name, **k["scalars"]})
        total = plant_kpis[0].get("_total") or total_scalars(plant_kpis)
        rows.append({"replication": i, "plant": TOTAL, **total})
    per_rep = pd.DataFrame(rows)
    kpi_rows = []
    for plant in [*names, TOTAL]:
        sub = per_rep[per_rep.plant == plant]
        for name in SCALAR_KPIS:
            kpi_rows.append({"plant": plant, "kpi": name, **summarize(sub[name].to_numpy())})
    kpis = pd.DataFrame(kpi_rows)

    st_rows, buf_rows, bottleneck, cons_rows = [], [], {}, []
    for p, (name, net) in enumerate(zip(names, networks, strict=True)):
        fields = {f: np.array([r[p]["stations"][f] for r in reps]) for f in STATION_FIELDS}
        for s, st_name in enumerate(net.station_names):
            row: dict[str, Any] = {
                "plant": name,
                "station": st_name,
                "group": net.station_group[s] if net.station_group else "",
                "servers": int(net.st_int[s, NSRV]),
                "repair_area": bool(net.is_repair[s]) if net.is_repair is not None else False,
            }
            for f in STATION_FIELDS:
                row[f] = float(np.nanmean(fields[f][:, s])) if len(reps) else np.nan
            oee = summarize(fields["oee"][:, s])
            row["oee_ci95"] = oee["ci95"]
            st_rows.append(row)
        share = np.nanmean(fields["bottleneck_share"], axis=0)
        if len(share) and np.any(np.isfinite(share)):
            best = int(np.nanargmax(share))
            ci = summarize(fields["bottleneck_share"][:, best])
            bottleneck[name] = {
                "station": net.station_names[best],
                "share": float(share[best]),
                "share_ci95": ci["ci95"],
                "shifting_share": float(np.nanmean(fields["shifting_share"][:, best])),
            }
        levels = np.array([r[p]["buffers"]["mean_level"] for r in reps])
        maxima = np.array([r[p]["buffers"]["max_level"] for r in reps])
        hists = np.array([r[p]["buffers"]["histogram"] for r in reps])
        for b, b_name in enumerate(net.buffer_names):
            lv = summarize(levels[:, b])
            cap = int(net.buf_cap[b])
            dist = hists[:, b, :].mean(axis=0) if len(reps) else np.zeros(1)
            top = int(np.max(np.nonzero(dist)[0])) + 1 if np.any(dist > 0) else 1
            buf_rows.append(
                {
                    "plant": name,
                    "buffer": b_name,
                    "capacity": cap if cap < (1 << 40) else None,
                    "mean_level": lv["mean"],
                    "mean_level_ci95": lv["ci95"],
                    "max_level": float(maxima[:, b].max()) if len(reps) else np.nan,
                    "distribution": dist[:top],
                }
            )
        for i, r in enumerate(reps):
            cons_rows.append({"replication": i, "plant": name, **r[p]["conservation"]})
    return SimulationResult(
        scenario=scenario,
        horizon_s=horizon,
        warmup_s=warmup,
        warmup_method=warmup_method,
        replications_n=len(reps),
        seed=seed,
        wall_s=wall_s,
        kpis=kpis,
        replications=per_rep,
        stations=pd.DataFrame(st_rows),
        buffers=pd.DataFrame(buf_rows),
        bottleneck=bottleneck,
        conservation=pd.DataFrame(cons_rows),
        workers=workers,
        extra=extra or {},
    )
