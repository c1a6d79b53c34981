"""A worker killed (SIGKILL) in the middle of sending: every due reminder still arrives exactly once.

A real `ldn worker` sends through Django's SMTP backend to a small SMTP server run by this test,
which records the Message-ID of every message it accepts. The server holds one conversation after
the recipient step, before the message is handed over; the test kills the worker there, then
starts a second worker once the lease has run out. Run on the SQLite queue and on Redis. A third
run kills the worker after the server accepted a message and before the worker recorded it: the
window no sender can close, where the message goes out twice with one Message-ID. The counts
(due, sent, duplicates, lost) are printed and saved to artifacts/.
"""

from __future__ import annotations

import email
import json
import os
import signal
import socketserver
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.web.processes import ARTIFACTS, LDN, ROOT, ldn, own_database, process_env, shell

DUE = 20
KILL_AFTER = 7  # messages accepted before the conversation the worker dies in
LEASE_SECONDS = 3

SETUP = f"""
import datetime as dt
from huey.contrib.djhuey import HUEY
from ldn.dosing import plan_from_steps
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.therapy import plans
from ldn.web.therapy.models import ReminderSettings

HUEY.flush()
for i in range({DUE}):
    user = User.objects.create_user(f"p{{i}}", f"p{{i}}@example.org", None)
    PatientProfile.objects.create(user=user, time_zone="UTC", bedtime=dt.time(22, 0))
    ReminderSettings.objects.create(patient=user, email_missed_dose=True)
    start = local_today(user) - dt.timedelta(days=30)
    plans.save_version(user, plan_from_steps("4.5@0", start), author=user, reason="Prescribed")
print("ready")
"""

ENQUEUE = """
from ldn.web.therapy.tasks import send_reminders_now
result = send_reminders_now()
print("queued")
"""

ENQUEUE_AND_WAIT = """
from ldn.web.therapy.tasks import send_reminders_now
print("sent", send_reminders_now()(blocking=True, timeout=120))
"""

OUTBOX = """
import json
from ldn.web.therapy.models import SentReminder
rows = SentReminder.objects.all()
print(json.dumps({"rows": rows.count(), "sent": rows.filter(sent_at__isnull=False).count(),
                  "ids": sorted(rows.values_list("message_id", flat=True))}))
"""


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP for smtplib: records each accepted message's Message-ID."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hold_after: int, hold_at: str) -> None:
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.accepted: list[str] = []
        self.hold_after = hold_after
        self.hold_at = hold_at  # "RCPT": before the message; "ACCEPTED": before the 250 reply
        self.holding = threading.Event()  # one conversation is paused there
        self.release = threading.Event()
        self.lock = threading.Lock()

    def hold(self, step: str, accepted_before: int) -> None:
        with self.lock:
            if step != self.hold_at or self.holding.is_set() or accepted_before < self.hold_after:
                return
            self.holding.set()
        self.release.wait(60)  # the worker is killed while waiting here


class _SmtpHandler(socketserver.StreamRequestHandler):
    server: SmtpSink

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self) -> None:
        try:
            self.reply("220 sink ESMTP")
            while line := self.rfile.readline():
                verb = line.decode(errors="replace").strip().split(" ", 1)[0].upper()
                if verb == "RCPT":
                    self.server.hold("RCPT", len(self.server.accepted))
                if verb == "DATA":
                    self.reply("354 end with <CRLF>.<CRLF>")
                    lines = []
                    while (data := self.rfile.readline()) not in (b".\r\n", b""):
                        lines.append(data)
                    message = email.message_from_bytes(b"".join(lines))
                    with self.server.lock:
                        before = len(self.server.accepted)
                        self.server.accepted.append(str(message["Message-ID"]))
                    self.server.hold("ACCEPTED", before)
                    self.reply("250 accepted")
                elif verb == "QUIT":
                    self.reply("221 bye")
                    return
                else:
                    self.reply("250 ok")
        except OSError:
            return  # the client died: nothing was accepted in this conversation


def _worker(env: dict[str, str], out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [LDN, "worker", "--workers", "1", "--no-periodic"],
        env=env,
        stdout=out.open("w"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )


def _kill_mid_send_then_recover(
    tmp_path: Path, redis_url: str | None, queue: str, hold_at: str = "RCPT"
) -> dict[str, int]:
    sink = SmtpSink(KILL_AFTER, hold_at)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    try:
        with own_database() as database_url:
            extra = {
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(sink.server_address[1]),
                "EMAIL_USE_TLS": "0",
                "LDN_REMINDER_LEASE_SECONDS": str(LEASE_SECONDS),
            }
            if redis_url:
                extra["REDIS_URL"] = redis_url
            env = process_env(tmp_path / "data", database_url, **extra)
            ldn(env, "manage", "migrate", "--verbosity", "0")
            assert "ready" in shell(env, SETUP)

            first = _worker(env, tmp_path / "worker1.out")
            try:
                time.sleep(2)
                assert "queued" in shell(env, ENQUEUE)
                assert sink.holding.wait(120), (tmp_path / "worker1.out").read_text()
                first.send_signal(signal.SIGKILL)  # mid-send: leased, connected, not handed over
                first.wait(30)
            finally:
                if first.poll() is None:
                    first.kill()
                sink.release.set()
            accepted_before_kill = len(sink.accepted)

            time.sleep(LEASE_SECONDS + 1)  # the dead worker's lease runs out
            second = _worker(env, tmp_path / "worker2.out")
            try:
                time.sleep(2)
                result = shell(env, ENQUEUE_AND_WAIT)
            finally:
                second.send_signal(signal.SIGINT)
                try:
                    second.wait(30)
                except subprocess.TimeoutExpired:
                    second.kill()
            outbox = json.loads(shell(env, OUTBOX).strip().splitlines()[-1])
            sent_by_second = next(line for line in result.splitlines() if line.startswith("sent "))
    finally:
        sink.shutdown()
        sink.server_close()

    distinct = set(sink.accepted)
    counts = {
        "due": DUE,
        "sent": len(sink.accepted),
        "duplicates": len(sink.accepted) - len(distinct),
        "lost": DUE - len(distinct),
    }
    figures = (
        f"{queue} queue, SIGKILL at {hold_at} with {accepted_before_kill} accepted: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
        + f"; outbox rows {outbox['rows']}, marked sent {outbox['sent']}; second worker {sent_by_second}"
    )
    print(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"reminder-sigkill-{queue.lower()}-{hold_at.lower()}.txt").write_text(
        figures + "\n"
    )
    assert accepted_before_kill == KILL_AFTER + (hold_at == "ACCEPTED")
    assert distinct == set(outbox["ids"]) and outbox["rows"] == outbox["sent"] == DUE
    return counts


def test_a_worker_killed_mid_send_on_the_sqlite_queue_loses_and_repeats_nothing(tmp_path):
    counts = _kill_mid_send_then_recover(tmp_path, None, "SQLite")
    assert counts == {"due": DUE, "sent": DUE, "duplicates": 0, "lost": 0}


def test_a_worker_killed_after_the_server_accepted_resends_with_the_same_message_id(tmp_path):
    """The one window no sender can close (see ldn.web.therapy.reminders): the server said 250,
    the worker died before recording it. The copy sent again has the same Message-ID."""
    counts = _kill_mid_send_then_recover(tmp_path, None, "SQLite", hold_at="ACCEPTED")
    assert counts == {"due": DUE, "sent": DUE + 1, "duplicates": 1, "lost": 0}


def test_a_worker_killed_mid_send_on_the_redis_queue_loses_and_repeats_nothing(tmp_path):
    redis_url = os.environ.get("LDN_TEST_REDIS_URL")
    if not redis_url:
        pytest.fail(
            "LDN_TEST_REDIS_URL is not set: run the suite with scripts/test (make test), which "
            "starts a private redis-server and exports its URL"
        )
    counts = _kill_mid_send_then_recover(tmp_path, redis_url, "Redis")
    assert counts == {"due": DUE, "sent": DUE, "duplicates": 0, "lost": 0}
