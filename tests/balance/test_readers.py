"""The .IN2 and .alb readers: every quirk of the published files, and broken files.

The quirks are quoted from ``shared/benchmarks/salbp/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from taktline.balance import read_alb, read_in2, read_instance
from taktline.errors import InputError

DATA = Path(__file__).parent / "data"

MERTENS_TEXT = (
    "7\r\n1\r\n5\r\n4\r\n3\r\n5\r\n6\r\n5\r\n1,2\r\n1,4\r\n2,3\r\n2,5\r\n4,7\r\n5,6\r\n-1,-1\r\n"
)


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("latin-1") if isinstance(data, str) else data)
    return path


# -- .IN2 quirks -------------------------------------------------------------------------------


def test_mertens_example_of_the_readme() -> None:
    inst = read_in2(DATA / "MERTENS.IN2")
    assert inst.n == 7
    assert inst.times == (1, 5, 4, 3, 5, 6, 5)
    assert inst.t_sum == 29
    assert inst.arcs == ((1, 2), (1, 4), (2, 3), (2, 5), (4, 7), (5, 6))
    assert inst.cycle_time is None  # "The cycle time is **not** in the file"


def test_crlf_line_endings() -> None:
    """README: "Plain text, **CRLF line endings**, one value per line."."""
    raw = (DATA / "MERTENS.IN2").read_bytes()
    assert b"\r\n" in raw
    assert read_in2(DATA / "MERTENS.IN2") == read_in2(DATA / "MERTENS.IN2")


def test_lf_and_crlf_read_alike(tmp_path: Path) -> None:
    crlf = read_in2(write(tmp_path, "A.IN2", MERTENS_TEXT))
    lf = read_in2(write(tmp_path, "B.IN2", MERTENS_TEXT.replace("\r\n", "\n")))
    assert (crlf.times, crlf.arcs) == (lf.times, lf.arcs)


def test_code_page_bytes_after_the_end_mark() -> None:
    """README: "eleven carry free-text source notes (mostly German, in a DOS code page: bytes
    such as
    0x94 are not valid UTF-8, so read the files as latin-1/CP850 or as bytes)"."""
    raw = (DATA / "ARC111.IN2").read_bytes()
    assert b"\x94" in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert read_in2(DATA / "ARC111.IN2").n == 111


def test_arc111_trap_transitive_arcs_after_the_end_mark() -> None:
    """README: "`ARC111.IN2` is a trap: after the end mark it says "Transitive Pfeile
    gelöscht: 24.5.93"
    (transitive arcs deleted) and then lists three arcs, `43,91`, `72,91`, `75,91`, that
    are *not* part of the graph."."""
    inst = read_in2(DATA / "ARC111.IN2")
    for arc in [(43, 91), (72, 91), (75, 91)]:
        assert arc not in inst.arcs
    assert len(inst.arcs) == 176  # the README's table: ARC111.IN2 has 176 arcs
    assert inst.t_sum == 150399


def test_dos_end_of_file_byte() -> None:
    """README: "`ARC83.IN2` ends with a DOS end-of-file byte (0x1A)."."""
    assert (DATA / "ARC83.IN2").read_bytes().endswith(b"\x1a")
    inst = read_in2(DATA / "ARC83.IN2")
    assert (inst.n, inst.t_sum, len(inst.arcs)) == (83, 75707, 113)


def test_no_line_break_after_the_end_mark() -> None:
    """README: "`BARTHOLD.IN2` and `WEE-MAG.IN2` have no line break after `-1,-1`."."""
    for name, n, t_sum, arcs in [("BARTHOLD.IN2", 148, 5634, 175), ("WEE-MAG.IN2", 75, 1499, 87)]:
        assert (DATA / name).read_bytes().endswith(b"-1,-1")
        inst = read_in2(DATA / name)
        assert (inst.n, inst.t_sum, len(inst.arcs)) == (n, t_sum, arcs)


def test_stop_reading_at_the_end_mark(tmp_path: Path) -> None:
    """README: "Every file contains the end mark `-1,-1`. **Stop reading there.**"."""
    junk = MERTENS_TEXT + "\r\n\x94 Bemerkung\r\n3,1\r\nnot data\r\n\x1a"
    inst = read_in2(write(tmp_path, "X.IN2", junk))
    assert len(inst.arcs) == 6


def test_read_instance_dispatches_on_the_suffix() -> None:
    assert read_instance(DATA / "MERTENS.IN2").n == 7
    assert read_instance(DATA / "instance_n=20_1.alb").n == 20


# -- .alb quirks -------------------------------------------------------------------------------


def test_alb_decimal_comma_in_the_order_strength() -> None:
    """README: "The decimal separator varies: a **comma** (`0,268`) in 515 of the n=20 files
    and in all
    n=1000 files, a point (`0.196`) in the other 10 n=20 files"."""
    comma = read_alb(DATA / "instance_n=20_1.alb")
    assert "0,268" in (DATA / "instance_n=20_1.alb").read_bytes().decode("latin-1")
    assert comma.order_strength == pytest.approx(0.268)
    point = read_alb(DATA / "instance_n=20_516.alb")
    assert "0.274" in (DATA / "instance_n=20_516.alb").read_bytes().decode("latin-1")
    assert point.order_strength == pytest.approx(0.274)


def test_alb_sections() -> None:
    inst = read_alb(DATA / "instance_n=20_1.alb")
    assert inst.n == 20
    assert inst.cycle_time == 1000  # "(it is 1000 in all 2100 files)"
    assert inst.times[0] == 142 and inst.times[-1] == 186
    assert inst.arcs[0] == (1, 6) and inst.arcs[-1] == (15, 19)
    assert inst.t_sum == 2882  # otto2013_salbp1_bounds.csv, column t_sum


def test_alb_read_by_tag_not_by_line_number(tmp_path: Path) -> None:
    """README: "Read by tag, not by line number (the number of blank lines between sections
    varies)."."""
    text = (DATA / "instance_n=20_1.alb").read_bytes().decode("latin-1")
    spaced = text.replace("\r\n\r\n", "\r\n\r\n\r\n\r\n")
    spaced_inst = read_alb(write(tmp_path, "instance_n=20_1.alb", spaced))
    assert spaced_inst == read_alb(DATA / "instance_n=20_1.alb")


def test_alb_crlf_and_lf(tmp_path: Path) -> None:
    text = (DATA / "instance_n=20_2.alb").read_bytes().decode("latin-1")
    assert "\r\n" in text
    lf = read_alb(write(tmp_path, "instance_n=20_2.alb", text.replace("\r\n", "\n")))
    assert lf == read_alb(DATA / "instance_n=20_2.alb")


# -- broken files: name, line, what was expected ------------------------------------------------

IN2_BROKEN = [
    ("empty", "", 1, "the number of tasks"),
    ("n not a number", "seven\r\n1\r\n-1,-1\r\n", 1, "the number of tasks"),
    ("n zero", "0\r\n-1,-1\r\n", 1, "the number of tasks"),
    ("time missing", "3\r\n1\r\n2\r\n-1,-1\r\n", 4, "the time of task 3 of 3"),
    ("decimal time", "2\r\n1.5\r\n2\r\n-1,-1\r\n", 2, "the time of task 1 of 2"),
    ("zero time", "2\r\n0\r\n2\r\n-1,-1\r\n", 2, "the time of task 1 of 2"),
    ("no end mark", "2\r\n1\r\n2\r\n1,2\r\n", 5, "the end mark '-1,-1'"),
    ("blank line before the end mark", "2\r\n1\r\n2\r\n\r\n1,2\r\n-1,-1\r\n", 4, "'i,j'"),
    ("arc out of range", "2\r\n1\r\n2\r\n1,3\r\n-1,-1\r\n", 4, "tasks 1..2"),
    ("arc with a semicolon", "2\r\n1\r\n2\r\n1;2\r\n-1,-1\r\n", 4, "'i,j'"),
    ("self-loop", "2\r\n1\r\n2\r\n2,2\r\n-1,-1\r\n", 4, "two different tasks"),
    ("spaces in an arc", "2\r\n1\r\n2\r\n1, 2\r\n-1,-1\r\n", 4, "'i,j'"),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "expected"), IN2_BROKEN, ids=[c[0] for c in IN2_BROKEN]
)
def test_broken_in2(tmp_path: Path, case: str, text: str, line: int, expected: str) -> None:
    path = write(tmp_path, "BROKEN.IN2", text)
    with pytest.raises(InputError) as info:
        read_in2(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, str(info.value)
    assert "expected" in problem.message and expected in problem.message, problem.message


def test_cycle_is_rejected(tmp_path: Path) -> None:
    path = write(tmp_path, "CYCLE.IN2", "3\r\n1\r\n1\r\n1\r\n1,2\r\n2,3\r\n3,1\r\n-1,-1\r\n")
    with pytest.raises(InputError, match="cycle"):
        read_in2(path)


ALB_HEAD = "<number of tasks>\r\n3\r\n\r\n<cycle time>\r\n10\r\n\r\n<order strength>\r\n0,5\r\n\r\n"
ALB_TIMES = "<task times>\r\n1 4\r\n2 5\r\n3 6\r\n\r\n"
ALB_PREC = "<precedence relations>\r\n1,2\r\n2,3\r\n\r\n<end>\r\n"
ALB_BROKEN = [
    (
        "text before the first tag",
        "hello\r\n" + ALB_HEAD + ALB_TIMES + ALB_PREC,
        1,
        "<number of tasks>",
    ),
    ("unknown tag", ALB_HEAD + "<colour>\r\nred\r\n" + ALB_TIMES + ALB_PREC, 10, "one of the tags"),
    ("no end tag", ALB_HEAD + ALB_TIMES + ALB_PREC.replace("<end>\r\n", ""), 19, "<end>"),
    (
        "n not a number",
        ALB_HEAD.replace("\r\n3\r\n", "\r\nthree\r\n", 1) + ALB_TIMES + ALB_PREC,
        2,
        "the number of tasks",
    ),
    (
        "too few task times",
        ALB_HEAD + ALB_TIMES.replace("3 6\r\n", "") + ALB_PREC,
        13,
        "3 task times",
    ),
    (
        "too many task times",
        ALB_HEAD + ALB_TIMES.replace("3 6\r\n", "3 6\r\n4 1\r\n") + ALB_PREC,
        14,
        "3 task times",
    ),
    (
        "task numbers out of order",
        ALB_HEAD + ALB_TIMES.replace("2 5", "3 5") + ALB_PREC,
        12,
        "for task 2",
    ),
    (
        "decimal comma in a task time",
        ALB_HEAD + ALB_TIMES.replace("2 5", "2 5,5") + ALB_PREC,
        12,
        "for task 2",
    ),
    (
        "bad order strength",
        ALB_HEAD.replace("0,5", "0,5,1") + ALB_TIMES + ALB_PREC,
        8,
        "order strength",
    ),
    (
        "arc to an unknown task",
        ALB_HEAD + ALB_TIMES + ALB_PREC.replace("2,3", "2,9"),
        17,
        "tasks 1..3",
    ),
    ("section twice", ALB_HEAD + ALB_TIMES + ALB_TIMES + ALB_PREC, 15, "each section once"),
    (
        "two cycle times",
        ALB_HEAD.replace("10\r\n", "10\r\n20\r\n") + ALB_TIMES + ALB_PREC,
        6,
        "one line with the cycle time",
    ),
]


@pytest.mark.parametrize(
    ("case", "text", "line", "expected"), ALB_BROKEN, ids=[c[0] for c in ALB_BROKEN]
)
def test_broken_alb(tmp_path: Path, case: str, text: str, line: int, expected: str) -> None:
    path = write(tmp_path, "broken.alb", text)
    with pytest.raises(InputError) as info:
        read_alb(path)
    problem = info.value.problems[0]
    assert problem.file == str(path)
    assert problem.line == line, str(info.value)
    assert "expected" in problem.message and expected in problem.message, problem.message


def test_good_synthetic_alb(tmp_path: Path) -> None:
    inst = read_alb(write(tmp_path, "ok.alb", ALB_HEAD + ALB_TIMES + ALB_PREC))
    assert (inst.times, inst.arcs, inst.cycle_time, inst.order_strength) == (
        (4, 5, 6),
        ((1, 2), (2, 3)),
        10,
        0.5,
    )


def test_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"\.IN2"):
        read_instance(write(tmp_path, "x.txt", "1\r\n"))
