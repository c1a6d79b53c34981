"""The `ldn` command. Each area registers its sub-commands on the shared Typer app by import."""

# ruff: noqa: I001  (the area imports below must come after `app` exists)

from ldn.cli.main import app, main

# Area modules register their commands on `app` when imported; keep one line per area.
from ldn.cli import server  # noqa: E402,F401
from ldn.cli import clinic  # noqa: E402,F401
from ldn.cli import fhir  # noqa: E402,F401
from ldn.cli import worker  # noqa: E402,F401
from ldn.cli import journal  # noqa: E402,F401
from ldn.cli import simulate  # noqa: E402,F401
from ldn.cli import dosing  # noqa: E402,F401
from ldn.cli import analyze  # noqa: E402,F401
from ldn.cli import evidence  # noqa: E402,F401

__all__ = ["app", "main"]
