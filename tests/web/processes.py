"""Real processes for the durability tests: `ldn` commands, a served app, a database of their own.

Each run gets its own data folder. On PostgreSQL (DATABASE_URL set) it also gets a database of its
own, created and dropped here, so the processes never touch the test database or another run's.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LDN = str(Path(sys.executable).with_name("ldn"))
ARTIFACTS = ROOT / "artifacts"


def on_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextlib.contextmanager
def own_database() -> Iterator[str | None]:
    """A fresh PostgreSQL database URL for the processes (dropped after), or None for SQLite."""
    if not on_postgres():
        yield None
        return
    import psycopg

    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"ldn_proc_{secrets.token_hex(4)}"
    admin = url._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def process_env(data_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env |= {
        "LDN_DATA_DIR": str(data_dir),
        "SECRET_KEY": "process-test-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789",
        "PYTHONUNBUFFERED": "1",
    }
    if database_url:
        env["DATABASE_URL"] = database_url
    return env | extra


def ldn(env: dict[str, str], *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [LDN, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    return ldn(env, "manage", "shell", "-c", code)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def served(env: dict[str, str], log: Path) -> Iterator[int]:
    """`ldn serve` (migrations, runserver, the in-process queue) on a free port, stopped after."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [LDN, "serve", "--port", str(port)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Browser:
    """A logged-in session over real HTTP: its cookies, and the CSRF token forms send back."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.csrf})
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key] = rest.split(";", 1)[0]
            return response.status, text
        finally:
            conn.close()

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def log_in(self, username: str, password: str) -> None:
        self.request("GET", "/accounts/login/")
        status, page = self.request(
            "POST", "/accounts/login/", {"username": username, "password": password}
        )
        assert status == 302, page[-2000:]


def field_names(page: str, pattern: str) -> list[str]:
    """The distinct `name="…"` attributes of a page's inputs that match a regular expression."""
    return sorted(set(re.findall(rf'name="({pattern})"', page)))
