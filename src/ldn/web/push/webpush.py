"""Sending one encrypted message to one device's push service (pywebpush: RFC 8291 aes128gcm
encryption with the device's keys, RFC 8292 VAPID signature with ours)."""

from __future__ import annotations

from django.conf import settings
from pywebpush import WebPushException
from pywebpush import webpush as _webpush

from ldn.web.push import vapid
from ldn.web.push.models import PushSubscription

# Seconds for the push service to answer (connect and read).
TIMEOUT = 10


class PushError(Exception):
    """The push service did not take the message; the outbox retries it."""


class Gone(PushError):
    """The push service says the subscription no longer exists (404/410): the device unsubscribed
    or the browser dropped it."""


def send(device: PushSubscription, payload: str, *, topic: str, ttl: int) -> None:
    info = {"endpoint": device.endpoint, "keys": {"p256dh": device.p256dh, "auth": device.auth}}
    try:
        _webpush(
            info,
            data=payload,
            vapid_private_key=vapid.signer(),
            vapid_claims={"sub": settings.LDN_VAPID_SUBJECT},
            headers={"Topic": topic[:32], "Urgency": "high"},
            ttl=ttl,
            timeout=TIMEOUT,
        )
    except WebPushException as exc:
        status = exc.status_code
        if status in (404, 410):
            raise Gone(f"push service answered {status}") from exc
        raise PushError(f"push service answered {status}: {exc.message}"[:200]) from exc
    except OSError as exc:  # requests' connection errors are OSErrors
        raise PushError(f"{type(exc).__name__}: {exc}"[:200]) from exc
