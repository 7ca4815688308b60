"""``taktline balance``: line balancing (SALBP-1, SALBP-2, the plant's own lines)."""

import typer

app = typer.Typer(help="Balance lines: assign tasks to stations at a takt.", no_args_is_help=True)
