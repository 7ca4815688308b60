"""Readers and writers: the quirks of the public files, round trips, broken files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sequence_fixtures import DATA, TINY_ROADEF, write_folder
from typer.testing import CliRunner

from taktline.cli.sequence import app
from taktline.errors import InputError
from taktline.sequence import (
    read_csplib,
    read_csplib_collection,
    read_csplib_solution,
    read_roadef,
    read_roadef_solution,
    write_csplib,
    write_csplib_solution,
    write_roadef,
    write_roadef_solution,
)


def test_dincbas_example():
    inst = read_csplib(DATA / "dincbas_10.txt")
    assert (inst.n_cars, inst.n_options, inst.n_classes) == (10, 5, 6)
    assert inst.p.tolist() == [1, 2, 1, 2, 1]
    assert inst.q.tolist() == [2, 3, 3, 5, 5]
    assert inst.demand.tolist() == [1, 1, 2, 2, 2, 2]
    assert inst.options[0].tolist() == [1, 0, 1, 1, 0]


def test_csplib_whitespace_quirks(tmp_path: Path):
    # trailing spaces on lines 2-3 (Gagne files), tabs, comments, no final newline
    text = "# a comment\n10 5 6\n1 2 1 2 1 \n2 3 3 5 5 \n" + "\n".join(
        "\t".join(line.split()) for line in (DATA / "dincbas_10.txt").read_text().splitlines()[3:]
    )
    path = tmp_path / "quirky.txt"
    path.write_text(text)
    inst = read_csplib(path)
    assert inst.n_cars == 10 and inst.demand.tolist() == [1, 1, 2, 2, 2, 2]


def test_csplib_round_trip(tmp_path: Path):
    inst = read_csplib(DATA / "dincbas_10.txt")
    back = read_csplib(write_csplib(inst, tmp_path / "x.txt"))
    assert (back.p == inst.p).all() and (back.q == inst.q).all()
    assert (back.demand == inst.demand).all() and (back.options == inst.options).all()
    seq = [0, 1, 5, 2, 4, 3, 3, 4, 2, 5]
    assert read_csplib_solution(write_csplib_solution(seq, tmp_path / "s.txt")) == seq


def test_csplib_collection_restores_missing_capacities(tmp_path: Path):
    body = (DATA / "dincbas_10.txt").read_text().splitlines()
    lines = [
        "free text",
        "",
        "#-----",
        "# Problem 1/10  (no capacities)",
        "#-----",
        body[0],
        *body[3:],
        "",
        "#Problem 2/10",
        body[0],
        "1 1 1 1 1",
        "3 3 3 3 3",
        *body[3:],
    ]
    path = tmp_path / "data.txt"
    path.write_text("\n".join(lines) + "\n")
    coll = read_csplib_collection(path)
    assert list(coll) == ["1/10", "2/10"]
    assert coll["1/10"].p.tolist() == [1, 2, 1, 2, 1]
    assert coll["1/10"].q.tolist() == [2, 3, 3, 5, 5]
    assert coll["2/10"].q.tolist() == [3, 3, 3, 3, 3]


def test_roadef_quirks(tiny_roadef: Path):
    inst = read_roadef(tiny_roadef)
    assert inst.objectives == ("hprc", "paint", "lprc")
    assert inst.batch_limit == 2
    assert [(r.ident, r.n, r.p, r.high) for r in inst.ratios] == [
        ("HPRC1", 1, 2, True),
        ("LPRC1", 2, 3, False),
    ]
    assert inst.prev_idents == ("p1", "p2")
    assert inst.idents == ("c1", "c2", "c3", "c4", "c5", "c6")
    assert inst.colours.tolist() == [1, 1, 2, 2, 1, 3]
    assert inst.options[:, 0].tolist() == [1, 1, 0, 0, 1, 0]
    assert inst.weight("hprc") == 10**6 and inst.weight("paint") == 1000
    assert inst.weight("lprc") == 1


def test_roadef_option_columns_by_name(tiny_roadef: Path):
    text = (tiny_roadef / "vehicles.txt").read_text().splitlines()
    swapped = ["Date;SeqRank;Ident;Paint Color;LPRC1;HPRC1;"]
    for line in text[1:]:
        if line:
            f = line.split(";")
            swapped.append(";".join([*f[:4], f[5], f[4]]) + ";")
    (tiny_roadef / "vehicles.txt").write_text("\n".join(swapped))
    inst = read_roadef(tiny_roadef)
    assert inst.options[:, 0].tolist() == [1, 1, 0, 0, 1, 0]


def test_roadef_duplicate_ident_allowed_in_previous_day(tiny_roadef: Path):
    path = tiny_roadef / "vehicles.txt"
    path.write_text(path.read_text().replace(";p2;", ";p1;"))
    assert read_roadef(tiny_roadef).prev_idents == ("p1", "p1")


def test_roadef_round_trip(tiny_roadef: Path, tmp_path: Path):
    inst = read_roadef(tiny_roadef)
    back = read_roadef(write_roadef(inst, tmp_path / "copy"))
    assert back.objectives == inst.objectives and back.ratios == inst.ratios
    assert back.idents == inst.idents and back.prev_idents == inst.prev_idents
    assert np.array_equal(back.options, inst.options)
    assert np.array_equal(back.prev_colours, inst.prev_colours)
    sol = list(reversed(inst.idents))
    assert read_roadef_solution(write_roadef_solution(sol, tmp_path / "s.txt")) == sol


def test_real_roadef_files_read(bench: Path):
    for folder in sorted((bench / "roadef2005").glob("*/*")):
        inst = read_roadef(folder)
        assert inst.n_cars > 0 and len(inst.prev_idents) > 0


# ------------------------------------------------------------------- broken files

CSPLIB_BROKEN = [
    ("empty", "", 0, "empty file"),
    ("header words", "ten 5 6\n", 1, "'n k c'"),
    ("header length", "10 5\n", 1, "3 integers"),
    ("short p line", "10 5 6\n1 2 1 2\n", 2, "expected 5 values"),
    ("p > q", "10 5 6\n1 2 1 2 1\n2 3 3 5 0\n", 3, "0 <= p <= q"),
    ("missing classes", "10 5 6\n1 2 1 2 1\n2 3 3 5 5\n0 1 1 0 1 1 0\n", 5, "class line 1"),
    ("class index", "10 5 1\n1 2 1 2 1\n2 3 3 5 5\n1 10 1 0 1 1 0\n", 4, "class index 0"),
    ("flag", "10 5 1\n1 2 1 2 1\n2 3 3 5 5\n0 10 1 0 2 1 0\n", 4, "flags 0 or 1"),
    ("demand sum", "10 5 1\n1 2 1 2 1\n2 3 3 5 5\n0 9 1 0 1 1 0\n", 4, "add up to 9"),
]


@pytest.mark.parametrize(
    ("label", "text", "line", "fragment"), CSPLIB_BROKEN, ids=[c[0] for c in CSPLIB_BROKEN]
)
def test_broken_csplib(tmp_path: Path, label: str, text: str, line: int, fragment: str):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        read_csplib(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert (problem.line or 0) == line
    assert fragment in problem.message


ROADEF_BROKEN = [
    (
        "ratio syntax",
        "ratios.txt",
        "Ratio;Prio;Ident;\n1-2;1;HPRC1;\n2/3;0;LPRC1;\n",
        2,
        "ratio 'N/P'",
    ),
    (
        "ratio priority",
        "ratios.txt",
        "Ratio;Prio;Ident;\n1/2;2;HPRC1;\n2/3;0;LPRC1;\n",
        2,
        "priority",
    ),
    (
        "objective name",
        "optimization_objectives.txt",
        "rank;objective name;\n1;colours;\n",
        2,
        "expected one of",
    ),
    (
        "objective rank",
        "optimization_objectives.txt",
        "rank;objective name;\n2;paint_color_batches;\n",
        2,
        "expected rank 1",
    ),
    ("batch limit", "paint_batch_limit.txt", "limitation;\nmany;\n", 2, "batch limit"),
    ("header", "paint_batch_limit.txt", "limit;\n3;\n", 1, "expected header"),
    (
        "option column",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC9\n",
        1,
        "option columns",
    ),
    (
        "field count",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n2004 10 2;1;c1;1;1\n",
        2,
        "expected 6 fields",
    ),
    (
        "option flag",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n2004 10 2;1;c1;1;1;x\n",
        2,
        "0 or 1",
    ),
    (
        "colour",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n2004 10 2;1;c1;red;1;0\n",
        2,
        "colour code",
    ),
    (
        "third date",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n2004 10 1;1;a;1;1;0\n2004 10 2;1;b;1;1;0\n"
        "2004 10 3;1;c;1;1;0\n",
        4,
        "third",
    ),
    (
        "duplicate day-D ident",
        "vehicles.txt",
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n2004 10 2;1;a;1;1;0\n2004 10 2;2;a;1;0;0\n",
        3,
        "repeats line 2",
    ),
]


@pytest.mark.parametrize(
    ("label", "name", "text", "line", "fragment"), ROADEF_BROKEN, ids=[c[0] for c in ROADEF_BROKEN]
)
def test_broken_roadef(tmp_path: Path, label: str, name: str, text: str, line: int, fragment: str):
    folder = write_folder(tmp_path / "bad", {**TINY_ROADEF, name: text})
    with pytest.raises(InputError) as info:
        read_roadef(folder)
    problem = info.value.problems[0]
    assert problem.file == str(folder / name)
    assert problem.line == line
    assert fragment in problem.message


def test_missing_roadef_file(tiny_roadef: Path):
    (tiny_roadef / "ratios.txt").unlink()
    with pytest.raises(InputError, match=r"ratios\.txt"):
        read_roadef(tiny_roadef)


def test_cli_reports_broken_file_without_traceback(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_text("10 5 6\n1 2 1 2 1\n2 3 x 5 5\n")
    result = CliRunner().invoke(app, ["csplib", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
