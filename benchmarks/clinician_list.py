"""Server time of the clinician's patient list: 1,000 shared patients, each with a year of data,
must render in < 100 ms.

The list reads the denormalised PatientFlags table. Reference measured in the same run: the
flags computed on the fly for all patients (what a list sorted by "needs attention" would have
to do without the table), without even the analysis verdicts.
Usage: .venv/bin/python benchmarks/clinician_list.py [--patients 1000] [--days 365]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time

BUDGET_MS = 100.0


def setup(data_dir: str) -> None:
    os.environ["LDN_DATA_DIR"] = data_dir
    os.environ.setdefault(
        "SECRET_KEY", "benchmark-key-0123456789abcdefghijklmnopqrstuvwxyz0123456789"
    )
    os.environ["DJANGO_SETTINGS_MODULE"] = "ldn.web.settings"
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)


def populate(n_patients: int, n_days: int, today: dt.date) -> object:
    import numpy as np
    from django.utils import timezone

    from ldn.web.accounts.models import PatientProfile, Share, User
    from ldn.web.journal.models import (
        DailyEntry,
        DoseLog,
        QuestionnaireResponse,
        Symptom,
        SymptomRating,
    )
    from ldn.web.therapy.models import FollowUp, PlanVersion

    rng = np.random.default_rng(9)
    clinician = User.objects.create_user("dr", "dr@example.org", "x", role=User.Role.CLINICIAN)
    users = User.objects.bulk_create(
        User(username=f"p{i:04d}", first_name="Patient", last_name=f"{i:04d}", password="!")
        for i in range(n_patients)
    )
    PatientProfile.objects.bulk_create(PatientProfile(user=u, is_synthetic=True) for u in users)
    Share.objects.bulk_create(
        Share(patient=u, clinician=clinician, areas=Share.all_areas()) for u in users
    )
    start = today - dt.timedelta(days=n_days)
    PlanVersion.objects.bulk_create(
        PlanVersion(
            patient=u,
            number=1,
            name="custom",
            start=start + dt.timedelta(days=28),
            steps=[
                {"dose_mg": 1.5, "from_day": 0, "to_day": 14},
                {"dose_mg": 4.5, "from_day": 14, "to_day": None},
            ],
            author=u,
            author_name=u.username,
            reason="Starting LDN",
        )  # fmt: skip
        for u in users
    )
    symptoms = Symptom.objects.bulk_create(
        Symptom(patient=u, key=k, name=k.title(), position=j)
        for u in users
        for j, k in enumerate(("pain", "fatigue"))
    )
    by_patient: dict[int, list[Symptom]] = {}
    for s in symptoms:
        by_patient.setdefault(s.patient_id, []).append(s)
    effects = ["", "", "", "", "", "", "", "", "", "vivid_dreams", "headache"]
    for k, u in enumerate(users):
        adherent = rng.random() > 0.15
        entries = DailyEntry.objects.bulk_create(
            DailyEntry(
                patient=u,
                day=start + dt.timedelta(days=d),
                sleep_hours=7,
                side_effects=[e]
                if (e := effects[int(rng.integers(len(effects)))]) and d > n_days - 20
                else [],
            )  # fmt: skip
            for d in range(n_days)
        )
        SymptomRating.objects.bulk_create(
            SymptomRating(entry=e, symptom=s, score=int(rng.integers(2, 8)))
            for e in entries
            for s in by_patient[u.pk]
        )
        DoseLog.objects.bulk_create(
            DoseLog(
                patient=u,
                day=start + dt.timedelta(days=d),
                amount_mg=4.5,
                status="taken" if adherent or rng.random() > 0.4 else "missed",
            )  # fmt: skip
            for d in range(28, n_days)
        )
        if k % 50 == 0:
            QuestionnaireResponse.objects.create(
                patient=u, instrument="phq9", completed_on=today - dt.timedelta(days=3),
                answers={**{f"phq9_{i}": 1 for i in range(1, 9)}, "phq9_9": 1},
            )  # fmt: skip
        if k % 20 == 0:
            FollowUp.objects.create(patient=u, when=timezone.now() - dt.timedelta(days=5))
    return clinician


def timed(fn, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        setup(data_dir)
        from django.db import connection
        from django.test import Client
        from django.utils import timezone

        from ldn.web.accounts.models import User
        from ldn.web.clinic import flags

        today = timezone.localdate()
        t0 = time.perf_counter()
        clinician = populate(args.patients, args.days, today)
        print(
            f"data: {args.patients} patients x {args.days} days in {time.perf_counter() - t0:.0f} s"
        )
        ids = list(User.objects.filter(role="patient").values_list("pk", flat=True))
        t0 = time.perf_counter()
        flags.save(flags.compute(ids, today))  # the daily batch (no analysis verdicts)
        print(f"batch refresh of every patient's flags: {(time.perf_counter() - t0) * 1000:.0f} ms")
        one = timed(lambda: flags.refresh([ids[0]], today), 5)
        print(f"refresh after one patient's write (with analysis verdicts): {min(one):.0f} ms")

        client = Client()
        client.force_login(clinician)
        client.get("/clinic/patients/")  # warm templates and caches
        views = {
            "default (needs attention)": "/clinic/patients/",
            "sorted by name, page 10": "/clinic/patients/?sort=name&page=10",
            "filter: missed doses": "/clinic/patients/?flag=adherence",
            "search by name": "/clinic/patients/?q=0042",
        }
        worst = 0.0
        for label, url in views.items():
            ms = timed(lambda url=url: client.get(url), 15)
            med = statistics.median(ms)
            worst = max(worst, med)
            print(f"list, {label}: median {med:.1f} ms (min {min(ms):.1f}, max {max(ms):.1f})")
        page = client.get("/clinic/patients/").content.decode()
        shown = page.count('class="flag')
        print(f"flags shown on the first page: {shown}")
        reference = timed(lambda: flags.compute(ids, today), 3)
        print(f"reference, flags computed on the fly for all patients: {min(reference):.0f} ms")
        print(f"ratio reference / list: {min(reference) / worst:.0f}x")
        print(f"database: {connection.vendor}")
        ok = worst < BUDGET_MS
        print(
            f"{'PASS' if ok else 'FAIL'}: slowest list view {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)"
        )
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
