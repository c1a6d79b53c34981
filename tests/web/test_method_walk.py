"""Every URL, with and without parameters, asked with every method by every kind of user:
a method the view does not accept gets 405, whoever asks; a method it accepts never does.

The accepted methods are what the view declares with ldn.web.methods.methods(); a view that
declares none fails here, so a new view cannot ship without saying what it accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ldn.web.accounts.models import User

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
IDENTITIES = ("anonymous", "alice", "mallory", "bob", "charlie", "dave", "admin")
SAMPLE = {"int": 1, "isodate": dt.date(2026, 1, 5)}


def all_urls() -> Iterator[tuple[str, URLPattern]]:
    def walk(patterns: list, namespace: str) -> Iterator[tuple[str, URLPattern]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":  # Django's admin: its own views, behind 2FA
                    continue
                yield from walk(
                    p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace
                )
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}", p

    yield from walk(get_resolver().url_patterns, "")


def sample_url(name: str, pattern: URLPattern) -> str:
    # Any well-formed value will do: the method is refused before the view looks anything up.
    kwargs = {
        key: SAMPLE.get(type(converter).__name__.removesuffix("Converter").lower(), "x")
        for key, converter in pattern.pattern.converters.items()
    }
    return reverse(name, kwargs=kwargs)


URLS = sorted(all_urls())


def test_every_view_says_which_methods_it_accepts():
    silent = [name for name, p in URLS if not hasattr(p.callback, "allowed_methods")]
    assert silent == []


@pytest.mark.parametrize("name", [name for name, _ in URLS])
def test_a_method_the_view_does_not_accept_gets_405_whoever_asks(world, name):
    pattern = dict(URLS)[name]
    allowed = getattr(pattern.callback, "allowed_methods", frozenset())
    url = sample_url(name, pattern)
    admin = User.objects.create_superuser("root", "root@example.org", "pw-not-used-here-1")
    users = {
        "admin": admin,
        **{n: getattr(world, n) for n in IDENTITIES if n not in ("anonymous", "admin")},
    }
    wrong = []
    for identity in IDENTITIES:
        client = Client()
        if identity != "anonymous":
            client.force_login(users[identity])
        for method in METHODS:
            if method in allowed:
                continue
            status = client.generic(method, url).status_code
            if status != 405:
                wrong.append(f"{method} {url} as {identity}: {status}")
    assert wrong == []
    accepted = Client().generic(sorted(allowed)[0], url).status_code if allowed else 405
    assert accepted != 405, f"{name} refuses the method it declares"
