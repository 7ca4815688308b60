"""What-if changes (the dashboard's form) and the ``serve`` command's token rule."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from taktline.cli.main import app
from taktline.cli.serve import is_loopback
from taktline.errors import InputError
from taktline.model import default_scenario, load_scenario
from taktline.workflow.summary import summarize
from taktline.workflow.whatif import WhatIf, _add_shift, apply_whatif, whatif_choices

REPO = Path(__file__).resolve().parents[2]


def test_a_buffer_and_a_cycle_time_change_in_every_plant() -> None:
    changed = apply_whatif(
        default_scenario(), WhatIf(buffers={"pbs": 321}, cycle_times_s={"ga-trim-2": 61})
    )
    for plant in changed.plants:
        assert next(b for b in plant.buffers if b.id == "pbs").capacity == 321
        assert plant.station("ga-trim-2").cycle_time_s == 61
    assert default_scenario().plants[0].station("ga-trim-2").cycle_time_s == 60  # untouched


def test_one_more_shift_fills_what_is_left_of_the_day() -> None:
    base = default_scenario()
    more = apply_whatif(base, WhatIf(add_shift=True))
    shifts = more.calendar.shift_patterns["two-shifts-10h"].shifts
    # early 06:00 + 10.5 h, late 17:00 + 10.5 h: 21.5 h used, 2.5 h left from 03:30
    assert shifts[-1].start == time(3, 30) and shifts[-1].hours == 2.5
    one = more.calendar.shift_patterns["one-shift"].shifts
    assert one[-1].start == time(17, 0) and one[-1].hours == 8  # after 08:00 + 9 h
    day_before = summarize(base).plants[0]
    day_after = summarize(more).plants[0]
    assert day_before.working_hours_per_day == 20
    assert day_after.working_hours_per_day == 22.5
    assert day_after.jobs_per_day == pytest.approx(3600 / 76 * 22.5)  # the 76 s takt


def test_no_shift_to_add() -> None:
    full = {
        "calendar": {
            "shift_patterns": {
                "all": {
                    "shifts": [
                        {"name": "a", "start": "00:00", "hours": 12},
                        {"name": "b", "start": "12:00", "hours": 12},
                    ]
                }
            }
        }
    }
    with pytest.raises(InputError, match="already covers 24 hours"):
        _add_shift(full, 8)
    line = load_scenario(REPO / "examples/lines/l10-det.yaml")
    assert line.calendar is None
    with pytest.raises(InputError, match="round the clock"):
        apply_whatif(line, WhatIf(add_shift=True))


def test_unknown_ids_are_all_reported_with_their_field() -> None:
    with pytest.raises(InputError) as caught:
        apply_whatif(
            default_scenario(),
            WhatIf(buffers={"nope": 1, "pbs": 3}, cycle_times_s={"ghost": 60}),
        )
    fields = [p.field for p in caught.value.problems]
    assert fields == ["what_if.buffers.nope", "what_if.cycle_times_s.ghost"]


def test_a_what_if_that_breaks_the_plant_is_located() -> None:
    with pytest.raises(InputError) as caught:
        apply_whatif(default_scenario(), WhatIf(cycle_times_s={"ga-trim-1": 90}))
    assert any("takt" in p.message for p in caught.value.problems)


def test_choices_and_labels() -> None:
    choices = whatif_choices(default_scenario())
    assert choices["buffers"]["pbs"] == 200 and choices["stations"]["eol-rolls-adas"] == 150
    assert choices["has_calendar"] is True
    assert WhatIf().empty and WhatIf().describe() == "baseline"
    label = WhatIf(buffers={"pbs": 3}, add_shift=True, shift_hours=6).describe()
    assert label == "pbs=3, +1 shift (6 h)"


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.9.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_requires_a_token_off_loopback(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import uvicorn

    started = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.append((app, kw)))
    monkeypatch.delenv("TAKTLINE_TOKEN", raising=False)
    store = str(tmp_path / "runs.duckdb")
    open_ = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9", "--store", store])
    assert open_.exit_code == 0, open_.output
    web_app, options = started[-1]
    assert options["host"] == "0.0.0.0" and options["port"] == 9
    token = web_app.state.token
    assert token and len(token) >= 20 and f"?token={token}" in open_.stderr
    local = CliRunner().invoke(app, ["serve", "--port", "9", "--store", store])
    assert local.exit_code == 0 and started[-1][0].state.token is None
    given = CliRunner().invoke(
        app, ["serve", "--port", "9", "--store", store], env={"TAKTLINE_TOKEN": "abc"}
    )
    assert given.exit_code == 0 and started[-1][0].state.token == "abc"
    bad = CliRunner().invoke(app, ["serve", "--port", "70000", "--store", store])
    assert bad.exit_code == 2
