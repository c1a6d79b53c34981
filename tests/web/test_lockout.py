"""Lock-out per account and, higher, per address; trusted proxies; reset after a lock."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from ldn.web.accounts.lockout import client_ip
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

OFFICE = "203.0.113.7"


def attempt(client, username: str, password: str, address: str = OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_for_one_account_do_not_lock_a_colleague_at_the_same_address(
    client, world, settings
):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 429
    response = attempt(client, "mallory", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_locked_account_stays_locked_from_another_address(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD, address="198.51.100.1").status_code == 429


def test_many_failures_from_one_address_across_accounts_lock_the_address(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LDN_LOGIN_ADDRESS_FAILURE_LIMIT = 12
    for i in range(12):
        attempt(client, f"guess{i}", "wrong")
    assert attempt(client, "mallory", PASSWORD).status_code == 429
    assert attempt(client, "mallory", PASSWORD, address="198.51.100.1").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_anothers_failures(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(4):
        attempt(client, "alice", "wrong")
    assert attempt(client, "mallory", PASSWORD).status_code == 302
    client.logout()
    attempt(client, "alice", "wrong")
    assert attempt(client, "alice", PASSWORD).status_code == 429


def test_a_locked_account_can_reset_its_password_and_sign_in(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 5
    for _ in range(5):
        attempt(client, "alice", "wrong")
    client.post(reverse("password_reset"), {"email": "alice@example.org"})
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form_page = client.get(link.group(1), follow=True)
    new = "a brand new passphrase 77"
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert attempt(client, "alice", new).status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings):
    settings.LDN_TRUSTED_PROXY_COUNT = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.2"


def test_forwarded_for_is_read_from_the_right_behind_trusted_proxies(settings):
    settings.LDN_TRUSTED_PROXY_COUNT = 1
    spoofed = "6.6.6.6, 198.51.100.9"  # the client sent 6.6.6.6; our proxy appended the real one
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=spoofed)
    assert client_ip(request) == "198.51.100.9"
    settings.LDN_TRUSTED_PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.2"
    )
    assert client_ip(request) == "198.51.100.9"
