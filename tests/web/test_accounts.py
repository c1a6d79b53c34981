"""Sign-up, roles, profile, passwords."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ldn.web.accounts.models import PatientProfile, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much better passphrase 2026"


def test_sign_up_creates_a_patient_with_a_profile_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "erin",
            "email": "erin@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("onboarding")
    user = User.objects.get(username="erin")
    assert user.role == User.Role.PATIENT
    assert PatientProfile.objects.filter(user=user).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_up_cannot_grant_the_clinician_role(client):
    client.post(
        reverse("signup"),
        {
            "username": "mallet",
            "email": "m@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "clinician",
        },
    )
    assert User.objects.get(username="mallet").role == User.Role.PATIENT


def test_sign_up_shows_the_problem_at_the_field(client):
    response = client.post(
        reverse("signup"),
        {"username": "erin", "email": "not-an-email", "password1": "short", "password2": "short"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert "This password is too short." in response.content.decode()
    assert not User.objects.filter(username="erin").exists()


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = User.objects.create_user("hash", "h@example.org", PASSWORD)
    assert user.password.startswith("argon2$")


def test_argon2_is_the_configured_default():
    from ldn.web import settings as configured

    assert configured.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_and_logout(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response["Location"] == reverse("dashboard")
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("login"))


def test_login_with_a_wrong_password_says_so(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_change_done")
    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, world):
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link[link.index("/accounts/") :].strip()
    form_url = client.get(path)["Location"]  # Django swaps the token for a session marker
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("password_reset_complete")
    world.alice.refresh_from_db()
    assert world.alice.check_password(NEW_PASSWORD)


def test_profile_saves_conditions_and_rejects_an_unknown_time_zone(client, world):
    client.force_login(world.alice)
    data = {
        "time_zone": "Mars/Olympus",
        "sex": "female",
        "pregnancy": "not_pregnant",
        "conditions_text": "fibromyalgia, Hashimoto's thyroiditis",
    }
    response = client.post(reverse("profile"), data)
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in (
        response.content.decode()
    )
    data["time_zone"] = "America/New_York"
    client.post(reverse("profile"), data)
    profile = PatientProfile.objects.get(user=world.alice)
    assert profile.time_zone == "America/New_York"
    assert profile.conditions == ["fibromyalgia", "Hashimoto's thyroiditis"]


def test_a_clinician_sees_only_patients_who_share_with_them(client, world):
    client.force_login(world.bob)
    page = client.get(reverse("dashboard"), follow=True).content.decode()
    assert "alice" in page and "mallory" not in page
    client.force_login(world.dave)  # revoked
    assert "alice" not in client.get(reverse("dashboard"), follow=True).content.decode()


def test_revoking_a_share_takes_effect_at_once(client, world):
    client.force_login(world.bob)
    url = reverse("patient_overview", args=[world.alice.pk])
    assert client.get(url).status_code == 200
    world.alice.shares_given.get(clinician=world.bob).revoke()
    assert client.get(url).status_code == 404
