"""Real `ldn worker` runs on the SQLite and the Redis queue: two workers, one e-mail each.

Each run uses its own data folder (SQLite database + Huey file), so it never touches the test
database. The worker's console e-mail backend prints the messages; they are saved to artifacts/.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LDN = str(Path(sys.executable).with_name("ldn"))
ARTIFACTS = ROOT / "artifacts"

SETUP = """
import datetime as dt
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from ldn.dosing import plan_from_steps
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.accounts.clock import local_today
from ldn.web.therapy import plans
from ldn.web.therapy.models import FollowUp, ReminderSettings

HUEY.flush()
alice = User.objects.create_user("alice", "alice@example.org", "pw-not-used-0123456789")
PatientProfile.objects.create(user=alice, time_zone="Europe/Berlin", bedtime=dt.time(22, 0))
ReminderSettings.objects.create(patient=alice, email_missed_dose=True, email_follow_up=True)
start = local_today(alice) - dt.timedelta(days=30)
plans.save_version(alice, plan_from_steps("4.5@0", start), author=alice, reason="Prescribed")
FollowUp.objects.create(patient=alice, when=timezone.now() + dt.timedelta(hours=12),
                        note="Review with Dr Lee", created_by=alice)
print("ready")
"""

ENQUEUE_TWICE = """
from ldn.web.therapy.tasks import send_reminders_now
first, second = send_reminders_now(), send_reminders_now()
print("sent", first(blocking=True, timeout=90), second(blocking=True, timeout=90))
"""


def _env(tmp_path: Path, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {
        "LDN_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "worker-test-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789",
        "LDN_BASE_URL": "https://ldn.example.org",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def _ldn(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [LDN, *args], env=env, capture_output=True, text=True, timeout=180, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _run_two_workers(tmp_path: Path, redis_url: str | None) -> tuple[str, list[str]]:
    env = _env(tmp_path, redis_url)
    _ldn(env, "manage", "migrate", "--verbosity", "0")
    assert "ready" in _ldn(env, "manage", "shell", "-c", SETUP)
    outputs = [tmp_path / f"worker{i}.out" for i in (1, 2)]
    workers = [
        subprocess.Popen(
            [
                LDN,
                "worker",
                "--workers",
                "1",
                "--no-periodic",
            ],  # one thread each: console e-mails never interleave
            env=env,
            stdout=out.open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        for out in outputs
    ]
    try:
        time.sleep(2)  # let both consumers start polling
        result = _ldn(env, "manage", "shell", "-c", ENQUEUE_TWICE)
    finally:
        for w in workers:
            w.send_signal(signal.SIGINT)  # graceful: finish the task in hand
        for w in workers:
            try:
                w.wait(timeout=30)
            except subprocess.TimeoutExpired:
                w.kill()
    return result, [out.read_text() for out in outputs]


def _emails(output: str) -> list[str]:
    """The messages Django's console backend printed (each ends with a line of 79 dashes)."""
    return [chunk.strip() for chunk in output.split("-" * 79) if "Subject: LDN Companion:" in chunk]


def _check_and_save(result: str, outputs: list[str], name: str, banner: str) -> None:
    assert any(banner in out for out in outputs), outputs
    emails = [e[e.index("Content-Type") :] for out in outputs for e in _emails(out)]
    subjects = sorted(
        line for e in emails for line in e.splitlines() if line.startswith("Subject:")
    )
    # Two tasks on two workers: the missed dose and the follow-up each went out once.
    assert len(emails) == 2, outputs
    assert "no dose logged" in subjects[1] and "follow-up appointment" in subjects[0]
    counts = next(line for line in result.splitlines() if line.startswith("sent ")).split()[1:]
    assert sum(map(int, counts)) == 2  # the two task runs together sent two e-mails, not four
    missed = next(e for e in emails if "no dose logged" in e)
    assert "https://ldn.example.org/therapy/taken/" in missed and "4.5 mg" in missed
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_text("\n\n" + ("=" * 79 + "\n").join(e + "\n" for e in emails))


def test_two_sqlite_queue_workers_send_each_reminder_once(tmp_path):
    result, outputs = _run_two_workers(tmp_path, None)
    _check_and_save(result, outputs, "reminder-email-sqlite.txt", "queue on SQLite")


def test_two_redis_queue_workers_send_each_reminder_once(tmp_path):
    redis_url = os.environ.get("LDN_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail(
            "LDN_TEST_REDIS_URL is not set: run the suite with scripts/test (make test), which "
            "starts a private redis-server and exports its URL"
        )
    result, outputs = _run_two_workers(tmp_path, redis_url)
    _check_and_save(result, outputs, "reminder-email-redis.txt", "queue on Redis")


def test_ldn_worker_refuses_a_bad_worker_count_in_one_line():
    from typer.testing import CliRunner

    from ldn.cli import app

    result = CliRunner().invoke(app, ["worker", "--workers", "0"])
    assert result.exit_code == 1
    assert "--workers must be between 1 and 16, got 0" in result.output
    assert "Traceback" not in result.output
