"""The Typer application every area module adds its commands to, and the error boundary."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from ldn import __version__

app = typer.Typer(
    name="ldn",
    help="LDN Companion: journal, titration, safety screening and statistics for low-dose naltrexone.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `Error: message` on stderr and exit; the one way commands report user errors."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ldn {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """LDN Companion command line."""


def main() -> None:
    """Console-script entry point: turn any unexpected exception into one line, never a traceback."""
    try:
        app(standalone_mode=True)
    except KeyboardInterrupt:
        typer.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # the last line of defence: one line, never a traceback
        typer.echo(f"Error: {type(exc).__name__}: {exc}".splitlines()[0], err=True)
        sys.exit(1)
