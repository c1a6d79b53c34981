"""`ldn serve`, `ldn demo`, `ldn manage` and `ldn clinician`: the commands that need Django."""

from __future__ import annotations

import os

import typer

from ldn.cli.main import app, fail


def setup_django() -> None:
    """Configure Django once; a bad setting becomes one `Error:` line, not a traceback."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ldn.web.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        fail(str(exc))


def _migrate() -> None:
    from django.core.management import call_command
    from django.db import DatabaseError

    try:
        call_command("migrate", interactive=False, verbosity=0)
    except DatabaseError as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(f"cannot prepare the database: {first_line}")


def _print_demo_login() -> None:
    from ldn.web.accounts.clock import zone_today
    from ldn.web.journal.demo import DEMO_TIME_ZONE, DemoError, create_demo_patient

    try:
        user, password = create_demo_patient(zone_today(DEMO_TIME_ZONE))
    except DemoError as exc:
        fail(str(exc))
    typer.echo("Demo patient (synthetic data) ready:")
    typer.echo(f"username: {user.username}")
    typer.echo(f"password: {password}")


def _parse_port(raw: str) -> int:
    if not raw.isdigit() or not 1 <= int(raw) <= 65535:
        fail(f"--port must be a whole number between 1 and 65535, got {raw!r}")
    return int(raw)


def _start_worker_threads() -> None:
    """Run the reminder queue inside this process, so one command gives a working app.

    Huey's consumer installs its own SIGINT/SIGTERM handlers; the server's are put back so
    Ctrl+C still stops everything (the worker threads are daemons and end with the process).
    """
    import signal

    from huey.contrib.djhuey import HUEY

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    HUEY.create_consumer(workers=1, worker_type="thread", periodic=True).start()
    for sig, handler in saved.items():
        signal.signal(sig, handler)


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: str = typer.Option("8000", help="Port to listen on (1-65535)."),
    demo: bool = typer.Option(False, "--demo", help="Create or refresh the demo patient first."),
    worker: bool = typer.Option(
        True, "--worker/--no-worker", help="Also run the reminder queue in this process."
    ),
) -> None:
    """Apply migrations, then serve the web app.

    Example: ldn serve --demo --port 8000
    """
    port_number = _parse_port(port)
    setup_django()
    _migrate()
    if demo:
        _print_demo_login()
    from django.conf import settings
    from django.core.management import call_command

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        typer.echo(f"Database: {settings.DATABASES['default']['NAME']}")
    if worker:
        _start_worker_threads()
        typer.echo("Reminder queue: running in this process (or run `ldn worker` separately).")
    typer.echo(f"LDN Companion running at http://{host}:{port_number}/  (Ctrl+C to stop)")
    call_command("runserver", f"{host}:{port_number}", use_reloader=False, skip_checks=False)


@app.command("demo")
def demo_command() -> None:
    """Create or refresh the synthetic demo patient and print its login.

    Example: ldn demo
    """
    setup_django()
    _migrate()
    _print_demo_login()


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def manage(ctx: typer.Context) -> None:
    """Run a Django management command against the app's settings.

    Example: ldn manage check --deploy
    """
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ldn manage", *ctx.args])


clinician_app = typer.Typer(help="Manage clinician accounts (an administrator's job).")
app.add_typer(clinician_app, name="clinician")


@clinician_app.command("create")
def clinician_create(
    email: str = typer.Option(..., help="The clinician's e-mail; also their username."),
    name: str = typer.Option("", help="Full name shown to patients."),
) -> None:
    """Create a clinician account and print a one-time password to hand over.

    Example: ldn clinician create --email dr.lee@example.org --name "Dr Ana Lee"
    """
    setup_django()
    _migrate()
    import secrets

    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    from ldn.web.accounts.models import User

    try:
        validate_email(email)
    except ValidationError:
        fail(f"--email must be an e-mail address, got {email!r}")
    if User.objects.filter(username=email).exists():
        fail(f"an account called {email!r} already exists")
    first, _, last = name.partition(" ")
    password = secrets.token_urlsafe(12)
    from ldn.web.clinic import accounts_hygiene

    user = User.objects.create_user(
        email,
        email=email,
        password=password,
        first_name=first,
        last_name=last,
        role=User.Role.CLINICIAN,
    )
    accounts_hygiene.issue(user)
    typer.echo(f"username: {email}")
    typer.echo(f"password: {password}")
    typer.echo(
        f"This one-time password works for {accounts_hygiene.TEMPORARY_PASSWORD_HOURS} hours; "
        "at first sign-in the clinician must choose a new one."
    )
