"""Two-factor sign-in with TOTP (django-otp): required for clinicians, optional for patients.

A password sign-in by a clinician, or by a patient who turned 2FA on, leaves the session
*pending*: TwoFactorMiddleware lets it reach only the 2FA page and log-out until a current
code from the authenticator app is entered. (Test clients' `force_login` skips the whole
sign-in, the second factor included, as it skips the password.)
"""

from __future__ import annotations

import base64
import io
import secrets

import qrcode
import qrcode.image.svg
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ldn.web.accounts.models import User

PENDING = "ldn_2fa_pending"
DEVICE_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def required(user: User) -> bool:
    """Clinicians and administrators must use a second factor; patients may choose to."""
    return user.is_clinician or user.is_administrator


def needs_second_factor(user: User) -> bool:
    return required(user) or confirmed_device(user) is not None


@receiver(user_logged_in)
def _mark_pending(sender: object, request: HttpRequest, user: User, **kwargs: object) -> None:
    # Only a sign-in over HTTP (a request with a method) starts the two-step flow.
    if getattr(request, "method", None) and needs_second_factor(user):
        request.session[PENDING] = True


def is_pending(request: HttpRequest) -> bool:
    user = request.user
    if not user.is_authenticated or not request.session.get(PENDING):
        return False
    return not user.is_verified()  # type: ignore[union-attr]


def setup_device(user: User) -> TOTPDevice:
    """The user's unconfirmed device (made once), whose key the authenticator app scans."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG QR code (no image request, no third party)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


def new_recovery_codes(user: User) -> list[str]:
    """Ten single-use codes (django-otp static device) replacing any earlier ones; shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def verify(request: HttpRequest, token: str) -> bool:
    """Check `token` against the user's authenticator app, or against one of their recovery
    codes (which is then used up); on success the session is verified."""
    user = request.user
    assert isinstance(user, User)
    letters = "".join(ch for ch in token.lower() if ch.isalnum())
    if any(ch.isalpha() for ch in letters):
        device = StaticDevice.objects.filter(user=user, confirmed=True).first()
        if device is None or not device.verify_token(letters):
            return False
    else:
        token = "".join(ch for ch in token if ch.isdigit())
        device = confirmed_device(user) or TOTPDevice.objects.filter(user=user).first()
        if device is None or not token or not device.verify_token(token):
            return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    request.session.cycle_key()  # a new session id once the second factor is in
    otp_login(request, device)
    request.session.pop(PENDING, None)
    return True


def disable(user: User) -> None:
    """Patients may turn 2FA off again; clinicians may not."""
    if required(user):
        raise PermissionError("two-factor sign-in is required for clinicians and administrators")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
