"""The admin pages: a second factor, the right role, no secrets shown, every look audited."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from ldn.web.accounts.models import PatientProfile, User
from ldn.web.clinic.models import AuditEvent
from tests.conftest import PASSWORD
from tests.web.test_clinic_security import code_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(db) -> User:
    call_command(
        "createsuperuser", "--noinput", username="root", email="root@example.org", stdout=StringIO()
    )
    user = User.objects.get(username="root")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in_with_code(client, user: User) -> None:
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    client.post(reverse("clinic:two_factor"), {"token": code_for(device), "next": "/admin/"})


def test_createsuperuser_makes_an_administrator_not_a_patient(root):
    assert root.role == User.Role.ADMIN
    assert not root.is_patient and root.is_administrator


def test_a_password_alone_does_not_open_the_admin(client, root):
    client.post(reverse("login"), {"username": "root", "password": PASSWORD})
    for url in ("/admin/", "/admin/accounts/patientprofile/", "/admin/accounts/user/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("clinic:two_factor")), url


def test_the_admin_login_form_is_never_a_password_only_way_in(client, root):
    response = client.post(
        reverse("admin:login"), {"username": "root", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


def test_with_the_second_factor_the_admin_opens(client, root):
    sign_in_with_code(client, root)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "LDN Companion administration" in response.content.decode()


def test_an_authenticator_secret_is_never_shown(client, root, world):
    sign_in_with_code(client, root)
    secret = TOTPDevice.objects.create(user=world.bob, name="bob's app", confirmed=True)
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    detail = client.get(f"/admin/otp_totp/totpdevice/{secret.pk}/change/").content.decode()
    assert "bob" in listing
    for page in (listing, detail):
        assert secret.key not in page
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_a_password_hash_is_never_shown(client, root, world):
    sign_in_with_code(client, root)
    page = client.get(f"/admin/accounts/user/{world.alice.pk}/change/").content.decode()
    algorithm, *_, digest = world.alice.password.split("$")
    assert digest[:6] not in page
    assert "salt" not in page.lower() and "hash:" not in page.lower()


def test_an_administrator_reading_a_profile_is_in_the_patients_access_log(client, root, world):
    profile = PatientProfile.objects.get(user=world.alice)
    sign_in_with_code(client, root)
    before = AuditEvent.objects.filter(patient=world.alice).count()
    assert client.get(f"/admin/accounts/patientprofile/{profile.pk}/change/").status_code == 200
    event = AuditEvent.objects.filter(patient=world.alice).first()
    assert AuditEvent.objects.filter(patient=world.alice).count() == before + 1
    assert event.actor == root and event.action == "read"
    assert "administrator" in event.what


def test_the_access_log_page_shows_the_administrators_look_to_the_patient(client, root, world):
    profile = PatientProfile.objects.get(user=world.alice)
    sign_in_with_code(client, root)
    client.get(f"/admin/accounts/patientprofile/{profile.pk}/change/")
    client.logout()
    client.force_login(world.alice)
    page = client.get(reverse("clinic:access_log")).content.decode()
    assert "root" in page and "administrator" in page


def test_an_administrators_change_and_list_are_audited(client, root, world):
    sign_in_with_code(client, root)
    client.get("/admin/accounts/user/")
    assert AuditEvent.objects.filter(patient=world.alice, action="list", actor=root).exists()
    assert AuditEvent.objects.filter(patient=world.mallory, action="list", actor=root).exists()
    share = world.alice.shares_given.first()
    client.post(f"/admin/accounts/share/{share.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(patient=world.alice, action="write", actor=root).exists()


def test_an_administrator_cannot_turn_two_factor_off(client, root):
    TOTPDevice.objects.create(user=root, name="app", confirmed=True)
    from ldn.web.clinic import twofactor

    with pytest.raises(PermissionError):
        twofactor.disable(root)
