"""`ldn worker`: the task-queue consumer that sends reminder e-mails (Huey, SQLite or Redis)."""

from __future__ import annotations

import typer

from ldn.cli.main import app, fail
from ldn.cli.server import setup_django


@app.command()
def worker(
    workers: int = typer.Option(2, "--workers", "-w", help="Worker threads (1-16)."),
    periodic: bool = typer.Option(
        True, "--periodic/--no-periodic", help="Run the 15-minute reminder check."
    ),
) -> None:
    """Run the task queue: reminder e-mails every 15 minutes (Redis if REDIS_URL is set, else SQLite).

    Several workers may run at once: each reminder is queued once, and one killed mid-send is
    sent again by the next run (docs/durability.md says exactly what is guaranteed).
    Apply migrations first (`ldn serve` or `ldn manage migrate`).

    Example: ldn worker --workers 2
    """
    if not 1 <= workers <= 16:
        fail(f"--workers must be between 1 and 16, got {workers}")
    setup_django()
    from django.conf import settings
    from django.core.management import call_command

    backend = "Redis" if settings.REDIS_URL else f"SQLite ({settings.HUEY['filename']})"
    typer.echo(f"LDN Companion worker: {workers} thread(s), queue on {backend}  (Ctrl+C to stop)")
    try:
        call_command(
            "run_huey", workers=workers, worker_type="thread", periodic=periodic, flush_locks=False
        )
    except Exception as exc:  # a queue that cannot be reached ends in one line, not a traceback
        fail(f"the worker stopped: {exc}")
