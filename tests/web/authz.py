"""The authorization walk: every URL that takes an object id, asked by every role.

A URL pattern with parameters must appear in OBJECT_URLS (how to fill its parameters and
whether it reads or writes) or in NOT_OWNED (with the reason it carries no patient data);
otherwise the walk reports it, so a new view cannot ship without being checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class ObjectUrl:
    kwargs: Callable[[object], dict[str, object]]
    method: str = "get"  # "post" for views that change data

    @property
    def writes(self) -> bool:
        return self.method == "post"


OBJECT_URLS: dict[str, ObjectUrl] = {
    "patient_overview": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "journal:entry": ObjectUrl(lambda w: {"pk": w.entry.pk}),
    "journal:entry_delete": ObjectUrl(lambda w: {"pk": w.entry.pk}, method="post"),
}

NOT_OWNED: dict[str, str] = {
    "password_reset_confirm": "a signed reset token, not a record id",
}
NOT_OWNED_NAMESPACES = {"admin": "staff-only Django admin with its own permission checks"}

# Owner last: a write by the owner may delete the object the others were asked about.
ROLES = ("anonymous", "mallory", "charlie", "dave", "bob", "alice")


def parameterised_urls(urlconf: str | None = None) -> Iterator[str]:
    """Names (with namespaces) of every URL pattern that takes parameters."""

    def walk(patterns: list, namespace: str, inherited: bool) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, ns, inherited or bool(p.pattern.converters))
            elif isinstance(p, URLPattern) and (p.pattern.converters or inherited):
                yield f"{namespace}{p.name}"

    yield from walk(get_resolver(urlconf).url_patterns, "", False)


def uncovered_urls(
    urlconf: str | None = None, registry: dict[str, ObjectUrl] = OBJECT_URLS
) -> list[str]:
    out = []
    for name in parameterised_urls(urlconf):
        if name in registry or name in NOT_OWNED or name.split(":")[0] in NOT_OWNED_NAMESPACES:
            continue
        out.append(name)
    return out


def expected(role: str, spec: ObjectUrl) -> str:
    if role == "anonymous":
        return "login"
    if role in ("mallory", "charlie", "dave"):
        return "404"
    if role == "bob":
        return "403" if spec.writes else "200"
    return "ok"


def outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code in (200, 302) and not response.get("Location", "").startswith(
        "/accounts/login/"
    ):
        return "200" if response.status_code == 200 else "ok"
    return str(response.status_code)


def check_url(name: str, spec: ObjectUrl, world: object, urlconf: str | None = None) -> list[str]:
    url = reverse(name, kwargs=spec.kwargs(world), urlconf=urlconf)
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        response = getattr(client, spec.method)(url)
        got, want = outcome(response), expected(role, spec)
        ok = got in ("200", "ok") if want == "ok" else got == want
        if not ok:
            failures.append(
                f"{name} {spec.method.upper()} {url} as {role}: expected {want}, got {got}"
            )
    return failures
