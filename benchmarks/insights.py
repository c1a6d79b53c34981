"""Server time of the insights dashboard with 5 years x 10 symptoms, against an empty account.

Builds a throw-away SQLite database (migrated), a patient with 5 years of daily check-ins (10
symptoms, habits, tags, side effects, a dose log every night) and a patient with no data, then
times GET /insights/ through Django's test client (middleware, view, queries, template) with
time.perf_counter.

The diary is read from the database on every request. The two costly pure analyses (before/after,
triggers) are memoised under a SHA-256 of their exact inputs, so a hit can never be stale:
"cold" clears that memo before every request (everything recomputed: what a view costs when the
worker has not yet run after a change), "precomputed" clears it and lets the worker's task
(`ldn.web.insights.tasks.warm_up`, queued after every journal change) fill it first, which is the
normal path. Runs twice: with the BLAS default thread count and with
OPENBLAS_NUM_THREADS=1 (small matrices: threads only contend on a busy server).
Usage: .venv/bin/python benchmarks/insights.py [repeats]
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time

BUDGET_MS = 100.0
YEARS, SYMPTOMS = 5, 10


def setup() -> None:
    os.environ["LDN_DATA_DIR"] = tempfile.mkdtemp(prefix="ldn-bench-")
    os.environ.setdefault("SECRET_KEY", "bench-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ldn.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)


def make_patient(username: str, today: dt.date, years: int) -> object:
    import numpy as np

    from ldn.web.accounts.models import PatientProfile, User
    from ldn.web.journal.models import DailyEntry, DoseLog, Symptom, SymptomRating

    user = User.objects.create_user(username, f"{username}@example.org", "x")
    PatientProfile.objects.create(user=user, time_zone="Europe/London")
    if not years:
        return user
    rng = np.random.default_rng(5)
    n = years * 365
    first = today - dt.timedelta(days=n)
    baseline = 42
    symptoms = Symptom.objects.bulk_create(
        Symptom(patient=user, key=f"s{i}", name=f"Symptom {i + 1}", position=i)
        for i in range(SYMPTOMS)
    )
    noise = np.zeros((SYMPTOMS, n))
    shocks = rng.normal(0, 1.1 * np.sqrt(1 - 0.5**2), (SYMPTOMS, n))
    for t in range(1, n):
        noise[:, t] = 0.5 * noise[:, t - 1] + shocks[:, t]
    on = (np.arange(n) >= baseline).astype(float)
    scores = np.clip(np.rint(5.5 - 1.0 * on + noise), 0, 10).astype(int)
    entries = DailyEntry.objects.bulk_create(
        DailyEntry(
            patient=user,
            day=first + dt.timedelta(days=i),
            side_effects=["vivid_dreams"] if i >= baseline and rng.random() < 0.1 else [],
            sleep_hours=round(float(rng.normal(7, 1)), 1),
            stress=int(rng.integers(0, 11)),
            exercise_minutes=int(rng.integers(0, 90)),
            alcohol_units=int(rng.integers(0, 3)),
            tags=["weather change"] if rng.random() < 0.1 else [],
        )
        for i in range(n)
        if rng.random() > 0.05
    )
    SymptomRating.objects.bulk_create(
        SymptomRating(entry=e, symptom=s, score=int(scores[j, (e.day - first).days]))
        for e in entries
        for j, s in enumerate(symptoms)
    )
    dose = [1.5] * 14 + [3.0] * 14
    DoseLog.objects.bulk_create(
        DoseLog(
            patient=user,
            day=first + dt.timedelta(days=i),
            status="taken" if rng.random() > 0.05 else "missed",
            amount_mg=dose[i - baseline] if i - baseline < len(dose) else 4.5,
        )
        for i in range(baseline, n)
    )
    return user


def time_dashboard(user: object, repeats: int, cold: bool) -> list[float]:
    from django.core.cache import cache
    from django.test import Client

    from ldn.web.insights.tasks import warm_up

    client = Client()
    client.force_login(user)
    client.get("/insights/")  # warm imports and the knowledge base
    out = []
    for _ in range(repeats):
        cache.clear()
        if not cold:
            warm_up.call_local(user.pk)  # what the worker does after a journal change
        t0 = time.perf_counter()
        response = client.get("/insights/")
        out.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    return out


def row(label: str, times: list[float], base: float) -> str:
    med = statistics.median(times)
    verdict = "ok" if med < BUDGET_MS else "over budget"
    return (
        f"{label:34s} median {med:6.1f} ms  best {min(times):6.1f} ms  "
        f"{med / base:5.1f}x empty  {med / BUDGET_MS:4.2f}x budget ({verdict})"
    )


def measure(repeats: int) -> None:
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    today = dt.date(2026, 11, 25)
    empty = make_patient("empty", today, 0)
    full = make_patient("full", today, YEARS)
    base = time_dashboard(empty, repeats, cold=True)
    cold = time_dashboard(full, repeats, cold=True)
    warm = time_dashboard(full, repeats, cold=False)
    client = Client()
    client.force_login(full)
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get("/insights/").content)
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    b = statistics.median(base)
    print(f"-- BLAS threads: {threads}; {len(queries)} queries, {size / 1024:.0f} KiB HTML")
    print(f"{'empty account':34s} median {b:6.1f} ms  best {min(base):6.1f} ms")
    print(row(f"{YEARS} y x {SYMPTOMS} symptoms, cold (no memo)", cold, b))
    print(row(f"{YEARS} y x {SYMPTOMS} symptoms, precomputed", warm, b))


def main() -> None:
    repeats = sys.argv[1] if len(sys.argv) > 1 else "15"
    if os.environ.get("LDN_BENCH_CHILD"):
        measure(int(repeats))
        return
    print(f"Insights dashboard server time, {repeats} requests per row (budget {BUDGET_MS:.0f} ms)")
    for threads in (None, "1"):
        env = {**os.environ, "LDN_BENCH_CHILD": "1"}
        if threads:
            env.update(OPENBLAS_NUM_THREADS=threads, OMP_NUM_THREADS=threads)
        subprocess.run([sys.executable, __file__, repeats], env=env, check=True)


if __name__ == "__main__":
    main()
