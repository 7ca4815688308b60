"""``taktline sequence``: mixed-model sequencing (CSPLib, ROADEF 2005, the plant's day)."""

import typer

app = typer.Typer(help="Sequence a day's mixed-model production.", no_args_is_help=True)
