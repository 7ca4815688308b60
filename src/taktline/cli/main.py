"""Entry point of the ``taktline`` command: registers each front-end module's commands."""

from __future__ import annotations

import typer

from taktline import __version__
from taktline.cli import balance, runs, scenario, sequence
from taktline.cli import simulate as simulate_cli
from taktline.cli.experiment import allocate_buffers, experiment
from taktline.cli.plan import plan, quote
from taktline.cli.report import report
from taktline.cli.run import run
from taktline.cli.serve import serve

app = typer.Typer(
    name="taktline",
    help="Digital twin and production planning for electric-vehicle assembly plants.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(scenario.app, name="scenario")
app.add_typer(balance.app, name="balance")
app.command("run")(run)
app.command("simulate")(simulate_cli.simulate)
app.command("plan")(plan)
app.command("quote")(quote)
app.add_typer(sequence.app, name="sequence")
app.add_typer(runs.app, name="runs")
app.command("report")(report)
app.command("serve")(serve)
app.command("experiment")(experiment)
app.command("allocate-buffers")(allocate_buffers)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"taktline {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Digital twin and production planning for electric-vehicle assembly plants."""


if __name__ == "__main__":  # pragma: no cover
    app()
