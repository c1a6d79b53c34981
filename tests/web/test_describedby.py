"""Every aria-describedby on a patient's pages points at an element that exists.

Django adds aria-describedby="<id>_helptext" (and "<id>_error") to a field with help text (or
errors); a template that prints the help under another id leaves screen readers announcing
nothing. The walk signs up a new account, creates what the UI lets it create, then opens every
page without parameters, a day's entry, and forms re-shown with errors.
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ldn.web.journal.models import DailyEntry

pytestmark = pytest.mark.django_db

SKIP = {"logout", "journal:export", "admin"}  # a POST-only logout, a zip download, staff pages


class Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"] or "")
        for ref in (a.get("aria-describedby") or "").split():
            self.described.append((f"<{tag} name={a.get('name')}>", ref))


def missing_ids(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    return [f"{tag} -> #{ref}" for tag, ref in parser.described if ref not in parser.ids]


def plain_urls() -> list[str]:
    out = []

    def walk(patterns: list, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if not p.pattern.converters and p.namespace != "admin":
                    walk(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
            elif isinstance(p, URLPattern) and not p.pattern.converters and p.name:
                name = f"{namespace}{p.name}"
                if name not in SKIP:
                    out.append(reverse(name))

    walk(get_resolver().url_patterns, "")
    return sorted(set(out))


@pytest.fixture
def newcomer(client):
    password = "a-long-pass-phrase-42"
    client.post(reverse("signup"), {"username": "newcomer", "email": "n@example.org",
                                    "password1": password, "password2": password})  # fmt: skip
    step = lambda name: reverse("onboarding_step", args=[name])  # noqa: E731
    client.post(step("conditions"), {"known": ["fibromyalgia"]})
    client.post(step("symptoms"), {"suggested": ["pain", "fatigue"]})
    client.post(step("medications"), {"name": "ibuprofen"})
    start = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    client.post(step("plan"), {"template": "ldnrt-standard", "start": start, "reason": "Start"})
    client.post(reverse("journal:checkin"), {"sleep_hours": "7"})
    return client


def test_every_page_a_new_patient_reaches_has_its_described_by_ids(newcomer):
    failures = {}
    pages = plain_urls() + [
        reverse("journal:entry", args=[DailyEntry.objects.get().pk]),
        *(reverse("onboarding_step", args=[s]) for s in
          ("zone", "bedtime", "conditions", "symptoms", "medications", "plan", "reminders")),
    ]  # fmt: skip
    checked = 0
    for url in pages:
        response = newcomer.get(url)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            checked += 1
            if bad := missing_ids(response.content.decode()):
                failures[url] = bad
    assert failures == {}
    assert checked >= 25


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("journal:checkin", {"dose_status": "taken", "sleep_hours": "99"}),
        ("journal:symptoms", {"new-name": ""}),
        ("therapy:medications", {"name": ""}),
        ("therapy:plan_edit", {"template": "custom", "steps": "nonsense"}),
        ("profile", {"time_zone": "Factory"}),
    ],
)
def test_forms_shown_again_with_errors_point_at_their_messages(newcomer, url, data):
    page = newcomer.post(reverse(url), data).content.decode()
    assert "_error" in page
    assert missing_ids(page) == []


def test_the_check_finds_a_dangling_reference():
    assert missing_ids('<input aria-describedby="x_helptext"><p id="x_help"></p>') == [
        "<input name=None> -> #x_helptext"
    ]
