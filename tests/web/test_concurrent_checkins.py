"""Twenty check-ins at the same moment on a real `ldn serve`: none fails, every day is stored.

Three rounds of 20 simultaneous POSTs (one logged-in session, real HTTP, CSRF) for 60 different
days. On the embedded SQLite database this failed with 500 "database is locked" before the
database took its write lock at the start of each transaction (settings.SQLITE_OPTIONS). The same
test runs on PostgreSQL when DATABASE_URL names one. The figures go to artifacts/.
"""

from __future__ import annotations

import datetime as dt
import json
import threading

from tests.web.processes import (
    ARTIFACTS,
    Browser,
    field_names,
    on_postgres,
    own_database,
    process_env,
    served,
    shell,
)

ROUNDS, AT_ONCE = 3, 20
PASSWORD = "concurrent check-ins 2026"

SETUP = f"""
from ldn.web.accounts.models import PatientProfile, User
from ldn.web.journal.models import Symptom
user = User.objects.create_user("pat", "pat@example.org", {PASSWORD!r})
PatientProfile.objects.create(user=user, time_zone="UTC")
Symptom.objects.create(patient=user, key="pain", name="Pain")
print("ready")
"""

STORED = """
import json
from ldn.web.journal.models import DailyEntry, SymptomRating
days = DailyEntry.objects.filter(patient__username="pat").values_list("day", flat=True)
ratings = SymptomRating.objects.filter(entry__patient__username="pat").count()
print(json.dumps({"days": sorted(d.isoformat() for d in days), "ratings": ratings}))
"""


def _round(browser: Browser, days: list[dt.date], symptom_field: str) -> list[str]:
    """POST one check-in per day, all released at once; returns what went wrong."""
    start = threading.Barrier(len(days))
    errors: list[str] = []

    def post(day: dt.date) -> None:
        start.wait()
        try:
            status, page = browser.request(
                "POST",
                f"/journal/checkin/{day.isoformat()}/",
                {"dose_status": "none", symptom_field: str(day.day % 11)},
            )
        except OSError as exc:
            errors.append(f"{day}: {exc}")
            return
        if status != 302:
            errors.append(f"{day}: HTTP {status} {page[:200]!r}")

    threads = [threading.Thread(target=post, args=(day,)) for day in days]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_twenty_simultaneous_checkins_all_save(tmp_path):
    with own_database() as database_url:
        env = process_env(tmp_path / "data", database_url)
        with served(env, tmp_path / "server.log") as port:
            assert "ready" in shell(env, SETUP)
            browser = Browser(port)
            browser.log_in("pat", PASSWORD)
            _, page = browser.request("GET", "/journal/checkin/")
            (symptom_field,) = field_names(page, r"symptom_\d+")
            today = dt.datetime.now(dt.UTC).date()
            days = [today - dt.timedelta(days=1 + i) for i in range(ROUNDS * AT_ONCE)]
            errors = []
            for r in range(ROUNDS):
                errors += _round(browser, days[r * AT_ONCE : (r + 1) * AT_ONCE], symptom_field)
            stored = json.loads(shell(env, STORED).strip().splitlines()[-1])
    database = "PostgreSQL" if on_postgres() else "SQLite"
    figures = (
        f"{database}: {ROUNDS} rounds of {AT_ONCE} simultaneous check-ins; "
        f"requests {len(days)}, errors {len(errors)}, days stored {len(stored['days'])}, "
        f"symptom ratings stored {stored['ratings']}"
    )
    print(figures)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"concurrent-checkins-{database.lower()}.txt").write_text(
        figures + "\n" + "\n".join(errors) + "\n"
    )
    assert errors == []
    assert stored["days"] == sorted(d.isoformat() for d in days)
    assert stored["ratings"] == len(days)
