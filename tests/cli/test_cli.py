"""The `ldn` command: one-line errors, version, and every command documented."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

from ldn import __version__
from ldn.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run_ldn(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script as a user would, in a fresh process."""
    full_env = {**os.environ, **env}
    full_env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for their own use
    for key, value in env.items():
        if value is None:
            full_env.pop(key)
    return subprocess.run(
        [sys.executable, "-m", "ldn", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
    )


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"ldn {__version__}"


def test_serve_rejects_a_port_that_is_not_a_number_in_one_line():
    result = run_ldn("serve", "--port", "notaport")
    assert result.returncode == 1
    assert (
        result.stderr
        == "Error: --port must be a whole number between 1 and 65535, got 'notaport'\n"
    )
    assert result.stdout == ""


def test_an_invalid_database_url_is_one_clear_line(tmp_path):
    result = run_ldn("demo", DATABASE_URL="foo://nowhere", LDN_DATA_DIR=str(tmp_path))
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: DATABASE_URL is not a valid database URL")


def test_an_empty_database_url_is_one_clear_line(tmp_path):
    result = run_ldn("demo", DATABASE_URL="", LDN_DATA_DIR=str(tmp_path))
    assert result.stderr == (
        "Error: DATABASE_URL is set but empty; unset it for the embedded SQLite database or give "
        "a URL such as postgres://user:password@host:5432/dbname\n"
    )


def test_an_unreachable_database_is_one_clear_line(tmp_path):
    result = run_ldn(
        "demo", DATABASE_URL="postgres://u:p@127.0.0.1:1/ldn", LDN_DATA_DIR=str(tmp_path)
    )
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("Error: cannot prepare the database:")


def test_demo_prints_the_login_on_lines_of_their_own(tmp_path):
    result = run_ldn("demo", LDN_DATA_DIR=str(tmp_path), DATABASE_URL=None)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "username: demo" in lines
    assert any(line.startswith("password: ") and len(line) > 15 for line in lines)
    assert (tmp_path / "ldn.sqlite3").exists()


def test_two_data_dirs_never_share_a_database(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    run_ldn("demo", LDN_DATA_DIR=str(a), DATABASE_URL=None)
    assert (a / "ldn.sqlite3").exists() and not (b / "ldn.sqlite3").exists()


def _commands(group=None, prefix=""):
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", command


def test_every_command_has_help_with_an_example():
    missing = [name for name, cmd in _commands() if "Example:" not in (cmd.help or "")]
    assert missing == []


def test_every_command_is_in_the_cli_docs():
    docs = (ROOT / "docs" / "cli.md").read_text()
    missing = [name for name, _ in _commands() if f"ldn {name}" not in docs]
    assert missing == []


def test_production_mode_passes_the_deploy_checks(tmp_path):
    result = run_ldn(
        "manage",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        LDN_ENV="production",
        SECRET_KEY="x" * 20 + "production-secret-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="ldn.example.org",
        LDN_DATA_DIR=str(tmp_path),
        DATABASE_URL=None,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_ldn(
        "manage", "check", LDN_ENV="production", SECRET_KEY="", LDN_DATA_DIR=str(tmp_path)
    )
    assert result.stderr == "Error: SECRET_KEY must be set when LDN_ENV=production\n"
