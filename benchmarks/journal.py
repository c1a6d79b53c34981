"""Journal speed on five years of data, beside an empty account measured in the same run.

Prints the server time of the check-in and history pages (median of repeated requests through
Django's test client, so no network) for a patient with 5 years x 10 symptoms and for an empty
account, their ratio, and the time to import that history as our CSV.

Run: .venv/bin/python benchmarks/journal.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

os.environ.setdefault("LDN_DATA_DIR", tempfile.mkdtemp(prefix="ldn-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ldn.web.settings")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from ldn.interop import DayRecord, LdnDose, parse_import, write_csv  # noqa: E402
from ldn.web.accounts.models import PatientProfile, User  # noqa: E402
from ldn.web.journal.records import commit_import  # noqa: E402

YEARS, SYMPTOMS, REPEATS = 5, 10, 15


def synthetic_days(today: date, rng: np.random.Generator) -> list[DayRecord]:
    n = 365 * YEARS
    names = [f"Symptom {i + 1}" for i in range(SYMPTOMS)]
    scores = np.clip(rng.normal(5, 2, size=(n, SYMPTOMS)).round(), 0, 10).astype(int)
    days = []
    for i in range(n):
        day = today - timedelta(days=n - i)
        dose = LdnDose("taken", 4.5, None) if i > 28 else None
        days.append(
            DayRecord(
                day=day,
                scores={names[j]: int(scores[i, j]) for j in range(SYMPTOMS)},
                sleep_hours=7.0,
                stress=int(rng.integers(0, 11)),
                dose=dose,
            )
        )
    return days


def patient(name: str) -> User:
    user = User.objects.create_user(name, f"{name}@example.org", "benchmark-password-123")
    PatientProfile.objects.create(user=user, time_zone="UTC")
    return user


def server_ms(client: Client, url: str) -> tuple[float, int]:
    client.get(url)  # warm caches and templates
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(samples), len(queries)


def main() -> int:
    call_command("migrate", verbosity=0)
    today = date.today()
    days = synthetic_days(today, np.random.default_rng(1))
    csv_text = write_csv(days)

    heavy, empty = patient("heavy"), patient("empty")
    start = time.perf_counter()
    preview = parse_import("ours", csv_text.encode(), today=today, known_symptoms=[])
    parsed = time.perf_counter()
    result = commit_import(heavy, preview, by=heavy)
    done = time.perf_counter()
    print(
        f"import of {len(days)} days x {SYMPTOMS} symptoms ({len(csv_text) / 1e6:.2f} MB CSV): "
        f"{done - start:.2f} s (parse {parsed - start:.2f} s, store {done - parsed:.2f} s); "
        f"{result.created} days created"
    )

    for label, url in (
        ("check-in", "/journal/checkin/"),
        ("history (1 year)", "/journal/history/"),
        ("history (all 5 years)", "/journal/history/?range=all"),
    ):
        times = {}
        for user in (empty, heavy):
            client = Client()
            client.force_login(user)
            times[user.username] = server_ms(client, url)
        (e_ms, e_q), (h_ms, h_q) = times["empty"], times["heavy"]
        print(
            f"{label:24s} 5 years: {h_ms:6.1f} ms ({h_q} queries)   empty: {e_ms:6.1f} ms "
            f"({e_q} queries)   ratio {h_ms / e_ms:4.1f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
