"""Small instances for the sequencing tests (imported by the tests and by conftest)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
REPO = HERE.parent.parent
BENCH = REPO.parent / "shared" / "benchmarks" / "car-sequencing"

# A small ROADEF instance written with every quirk of the real files: no trailing ';'
# on the vehicle lines, no final newline, a trailing blank line, trailing spaces.
TINY_ROADEF = {
    "optimization_objectives.txt": (
        "rank;objective name;\n1;high_priority_level_and_easy_to_satisfy_ratio_constraints;\n"
        "2;paint_color_batches;\n3;low_priority_level_ratio_constraints;"
    ),
    "paint_batch_limit.txt": "limitation;\n2;",
    "ratios.txt": "Ratio;Prio;Ident;\n1/2;1;HPRC1;   \n2/3;0;LPRC1;\n",
    "vehicles.txt": (
        "Date;SeqRank;Ident;Paint Color;HPRC1;LPRC1\n"
        "2004 10 1;7;p1;3;1;1\n"
        "2004 10 1;8;p2;1;1;0\n"
        "2004 10 2;1;c1;1;1;1\n"
        "2004 10 2;2;c2;1;1;1\n"
        "2004 10 2;3;c3;2;0;1\n"
        "2004 10 2;4;c4;2;0;0\n"
        "2004 10 2;5;c5;1;1;0\n"
        "2004 10 2;6;c6;3;0;0\n\n"
    ),
}


def write_folder(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder
