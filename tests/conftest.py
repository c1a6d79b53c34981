"""The cast every web test uses: patient alice, her clinician bob (shared), clinician charlie
(not shared), clinician dave (share revoked) and another patient, mallory."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date

import pytest
import time_machine

PASSWORD = "correct horse battery staple 42"


@dataclass
class World:
    alice: object
    mallory: object
    bob: object
    charlie: object
    dave: object
    entry: object
    questionnaire: object = None


def make_patient(username: str):
    from ldn.web.accounts.models import PatientProfile, User

    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD)
    PatientProfile.objects.create(user=user, time_zone="Europe/Berlin")
    return user


def make_clinician(username: str):
    from ldn.web.accounts.models import User

    return User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, role=User.Role.CLINICIAN
    )


@pytest.fixture
def world(db) -> World:
    from ldn.web.accounts.models import Share
    from ldn.web.journal.models import DailyEntry, Symptom, SymptomRating

    alice, mallory = make_patient("alice"), make_patient("mallory")
    bob, charlie, dave = make_clinician("bob"), make_clinician("charlie"), make_clinician("dave")
    Share.objects.create(patient=alice, clinician=bob, areas=Share.all_areas())
    Share.objects.create(patient=alice, clinician=dave, areas=Share.all_areas()).revoke()
    pain = Symptom.objects.create(patient=alice, key="pain", name="Pain")
    entry = DailyEntry.objects.create(patient=alice, day=date(2026, 11, 1), sleep_hours=7)
    SymptomRating.objects.create(entry=entry, symptom=pain, score=6)
    from ldn.web.journal.models import QuestionnaireResponse

    questionnaire = QuestionnaireResponse.objects.create(
        patient=alice, instrument="gad7", answers={f"gad7_{i}": 1 for i in range(1, 8)},
        total=7, band="mild", completed_on=date(2026, 11, 1),
    )  # fmt: skip
    return World(alice, mallory, bob, charlie, dave, entry, questionnaire)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that check hashing itself ask for it explicitly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The instant tests that depend on the date run at: after the world's entries (2026-11-01), a
# Wednesday, mid-morning in Europe/Berlin, far from midnight and from a DST change. The clock
# ticks on from there (durations and ordering by timestamp still work); only this process moves.
FROZEN_AT = dt.datetime(2026, 11, 18, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def frozen_clock():
    """Freeze the date (time-machine) for a test whose result depends on what day it is."""
    with time_machine.travel(FROZEN_AT, tick=True) as traveller:
        yield traveller


# Modules whose tests read "today" or "now" from the real clock (local_today, timezone.now,
# date.today) and would otherwise depend on the day and hour they run: each of their tests runs
# at FROZEN_AT. Not here: modules whose code compares against file modification times or spawns
# worker processes (time-machine moves this process only), e.g. test_transfer.py, whose pending
# uploads age by st_mtime.
FROZEN_CLOCK_MODULES = frozenset({
    "test_checkin.py",
    "test_clinic_fhir.py",
    "test_clinic_flags_current.py",
    "test_clinic_list.py",
    "test_clinic_patient.py",
    "test_clinic_security.py",
    "test_clinic_sharing.py",
    "test_clinician_writes.py",
    "test_describedby.py",
    "test_dose_rule_entry.py",
    "test_history.py",
    "test_insights.py",
    "test_insights_trial.py",
    "test_insights_warmup.py",
    "test_journal_queries.py",
    "test_living.py",
    "test_onboarding.py",
    "test_therapy_liquid.py",
    "test_therapy_plans.py",
    "test_therapy_reminders.py",
    "test_trial_blinding.py",
})  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen_clock_for_date_dependent_modules(request):
    if request.path.name in FROZEN_CLOCK_MODULES and request.path.parent.name == "web":
        request.getfixturevalue("frozen_clock")
