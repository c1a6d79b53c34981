"""The cast every web test uses: patient alice, her clinician bob (shared), clinician charlie
(not shared), clinician dave (share revoked) and another patient, mallory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

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
