"""The subscription a browser hands over, and the missed-dose channel choice."""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from django import forms

from ldn.web.push.models import PushSettings

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}


def _b64url_bytes(value: str, name: str, size: int) -> str:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) != size:
        raise forms.ValidationError(
            f"keys.{name} must be {size} bytes in base64url, got {len(value)} characters that are not",
            code="bad_key",
        )
    return value


class SubscriptionForm(forms.Form):
    """PushSubscription.toJSON() of the browser: endpoint and keys.p256dh / keys.auth."""

    endpoint = forms.URLField(max_length=1000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=64)
    label = forms.CharField(max_length=120, required=False)

    def clean_endpoint(self) -> str:
        endpoint: str = self.cleaned_data["endpoint"]
        parts = urlsplit(endpoint)
        # Push services are https; plain http only to this machine (a local test push service).
        if parts.scheme != "https" and (parts.scheme != "http" or parts.hostname not in LOOPBACK):
            raise forms.ValidationError(
                f"endpoint must be an https:// push service address, got {parts.scheme}://",
                code="not_https",
            )
        return endpoint

    def clean_p256dh(self) -> str:
        return _b64url_bytes(self.cleaned_data["p256dh"], "p256dh", 65)

    def clean_auth(self) -> str:
        return _b64url_bytes(self.cleaned_data["auth"], "auth", 16)


class PushSettingsForm(forms.ModelForm):
    class Meta:
        model = PushSettings
        fields = ["missed_dose_push"]


class ActionForm(forms.Form):
    ACTIONS = {"taken": "Taken", "skip": "Skip", "snooze": "Snooze 30 min"}

    token = forms.CharField(max_length=400)
    action = forms.ChoiceField(choices=list(ACTIONS.items()))
