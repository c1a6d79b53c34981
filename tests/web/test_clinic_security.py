"""Two-factor sign-in for clinicians (optional for patients), lock-out, session expiry."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ldn.web.clinic import twofactor
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    # RFC 6238 TOTP from the device's own key, as an authenticator app computes it.
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def sign_in(client, username: str):
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


def test_a_clinician_must_set_up_two_factor_before_any_page(client, world):
    sign_in(client, "bob")
    for url in (
        reverse("dashboard"),
        reverse("clinic:patients"),
        reverse("clinic:patient", args=[world.alice.pk]),
        reverse("journal:entry", args=[world.entry.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("clinic:two_factor")
        ), url
    page = client.get(reverse("clinic:two_factor")).content.decode()
    assert "Set up two-factor sign-in" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    response = client.post(
        reverse("clinic:two_factor"), {"token": code_for(device), "next": "/clinic/patients/"}
    )
    assert 'href="/clinic/patients/"' in response.content.decode()  # after the recovery codes
    assert client.get(reverse("clinic:patients")).status_code == 200
    assert TOTPDevice.objects.get(user=world.bob).confirmed


def test_a_wrong_code_keeps_the_clinician_out(client, world):
    device = TOTPDevice.objects.create(user=world.bob, name="app", confirmed=True)
    sign_in(client, "bob")
    assert "Enter your sign-in code" in client.get(reverse("clinic:two_factor")).content.decode()
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("clinic:two_factor"), {"token": wrong})
    assert "That code is not right" in response.content.decode()
    assert client.get(reverse("clinic:patients")).status_code == 302


def test_a_patient_without_two_factor_signs_in_with_the_password_alone(client, world):
    sign_in(client, "alice")
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_patient_who_turned_two_factor_on_is_asked_for_the_code(client, world):
    device = TOTPDevice.objects.create(user=world.alice, name="app", confirmed=True)
    sign_in(client, "alice")
    assert client.get(reverse("dashboard")).status_code == 302
    client.post(reverse("clinic:two_factor"), {"token": code_for(device)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_patient_can_turn_two_factor_off_with_the_password_but_a_clinician_cannot(client, world):
    TOTPDevice.objects.create(user=world.alice, name="app", confirmed=True)
    client.force_login(world.alice)
    client.post(reverse("clinic:two_factor_disable"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=world.alice).exists()
    TOTPDevice.objects.create(user=world.bob, name="app", confirmed=True)
    client.force_login(world.bob)
    client.post(reverse("clinic:two_factor_disable"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=world.bob).exists()
    with pytest.raises(PermissionError):
        twofactor.disable(world.bob)


def test_repeated_wrong_passwords_lock_the_account(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = sign_in(client, "alice")  # the right password, too late
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_a_clinician_session_expires_after_idle_minutes(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    assert client.session.get_expiry_age() == 30 * 60  # the default of LDN_CLINICIAN_IDLE_SECONDS


def test_the_idle_limit_comes_from_settings(client, world, settings):
    settings.LDN_CLINICIAN_IDLE_SECONDS = 600
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    assert client.session.get_expiry_age() == 600


# --- a clinician's first sign-in and recovery codes ---------------------------------------------
def created_by_cli(email: str = "dr.new@example.org") -> str:
    from typer.testing import CliRunner

    from ldn.cli import app

    result = CliRunner().invoke(app, ["clinician", "create", "--email", email, "--name", "Dr New"])
    assert result.exit_code == 0, result.output
    assert "works for 72 hours" in result.output
    return result.output.split("password: ")[1].split()[0]


def test_the_one_time_password_leads_only_to_choosing_a_new_one(client, world):
    from ldn.web.accounts.models import User

    password = created_by_cli()
    client.post(reverse("login"), {"username": "dr.new@example.org", "password": password})
    response = client.get(reverse("clinic:patients"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    new = "a long new passphrase for dr new 77"
    client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    user = User.objects.get(username="dr.new@example.org")
    assert user.check_password(new)
    from ldn.web.clinic.models import TemporaryPassword

    response = client.get(reverse("clinic:patients"))
    assert not TemporaryPassword.objects.filter(user=user).exists()
    assert response["Location"].startswith(reverse("clinic:two_factor"))  # then the 2FA set-up


def test_the_one_time_password_expires_after_72_hours(client, world):
    import datetime as dt

    from django.utils import timezone

    from ldn.web.clinic.models import TemporaryPassword

    password = created_by_cli()
    TemporaryPassword.objects.update(issued_at=timezone.now() - dt.timedelta(hours=72, minutes=1))
    client.post(reverse("login"), {"username": "dr.new@example.org", "password": password})
    response = client.get(reverse("clinic:patients"))
    assert response.status_code == 403
    assert "This one-time password has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_setting_up_two_factor_gives_ten_recovery_codes_each_good_once(client, world):
    sign_in(client, "bob")
    client.get(reverse("clinic:two_factor"))
    device = TOTPDevice.objects.get(user=world.bob, confirmed=False)
    response = client.post(reverse("clinic:two_factor"), {"token": code_for(device), "next": "/"})
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "Save your recovery codes" in response.content.decode()
    client.post(reverse("logout"))
    for expected in ("/clinic/patients/", None):
        sign_in(client, "bob")
        response = client.post(
            reverse("clinic:two_factor"), {"token": codes[0], "next": "/clinic/patients/"}
        )
        if expected:
            assert response["Location"] == expected
            assert twofactor.recovery_codes_left(world.bob) == 9
            client.post(reverse("logout"))
        else:  # the same code a second time
            assert response.status_code == 200
            assert "was already used" in response.content.decode()
