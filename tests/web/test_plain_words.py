"""No internal names on screen: a brand-new account's pages, once it has a plan of its own
steps and medications (made through the UI), show no snake_case keys in their visible text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from ldn.web.journal.models import Medication
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


class VisibleText(HTMLParser):
    """Text a person can read: text nodes outside script/style, plus alt and placeholder."""

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self.skip += 1
        for name, value in attrs:
            if name in ("alt", "placeholder", "title", "aria-label") and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self.skip:
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def internal_names(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return sorted(set(SNAKE.findall(" ".join(parser.parts))))


def test_the_detector_finds_a_key_in_text_but_not_in_attributes_or_scripts():
    html = '<p id="a_b">Scale nrs_0_10_generic</p><script>var x_y = 1</script><p>e-mail, 4.5 mg</p>'
    assert internal_names(html) == ["nrs_0_10_generic"]


@pytest.fixture
def newcomer(client):
    client.post(
        reverse("signup"),
        {
            "username": "nora",
            "email": "nora@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    steps = {"template": "custom", "reason": "Dr Lee's letter", "step-TOTAL_FORMS": "4"}
    steps |= {"step-INITIAL_FORMS": "0", "step-MIN_NUM_FORMS": "0", "step-MAX_NUM_FORMS": "40"}
    steps |= {"step-0-dose_mg": "1.5", "step-0-starts": "2026-01-05", "step-0-days": "14"}
    steps |= {"step-1-dose_mg": "3", "step-1-starts": "2026-01-19", "step-1-days": ""}
    assert client.post(reverse("therapy:plan_edit"), steps).status_code == 302
    for name in ("oxycodone", "ibuprofen 400 mg", "Zorblax 10 mg"):
        client.post(reverse("therapy:medications"), {"name": name})
    assert Medication.objects.filter(patient__username="nora").count() == 3
    return client


PAGES = [
    "dashboard",
    "profile",
    "therapy:plan",
    "therapy:plan_edit",
    "therapy:liquid",
    "therapy:dose_forms",
    "therapy:medications",
    "therapy:reminders",
    "journal:checkin",
    "insights:trial_new",
]


@pytest.mark.parametrize("name", PAGES)
def test_a_new_accounts_pages_show_no_internal_names(newcomer, name):
    response = newcomer.get(reverse(name))
    assert response.status_code == 200
    assert internal_names(response.content.decode()) == []


def test_a_medication_and_its_removal_page_show_no_internal_names(newcomer):
    med = Medication.objects.get(name="oxycodone")
    for url in (
        reverse("therapy:medication_edit", args=[med.pk]),
        reverse("therapy:medication_delete", args=[med.pk]),
    ):
        assert internal_names(newcomer.get(url).content.decode()) == [], url


def test_a_flagged_liquid_result_shows_no_internal_names(newcomer):
    data = {"tablet_mg": 50, "water_ml": 50, "dose_mg": 0.75, "syringe_resolution_ml": "0.5"}
    response = newcomer.get(reverse("therapy:liquid"), data | {"preparation": "plain_water"})
    assert response.context["result"].flagged
    assert internal_names(response.content.decode()) == []


def test_error_messages_of_the_liquid_calculator_show_no_internal_names(newcomer):
    data = {"tablet_mg": 50, "water_ml": 0, "dose_mg": 1, "syringe_resolution_ml": "0.1"}
    response = newcomer.get(reverse("therapy:liquid"), data | {"preparation": "plain_water"})
    assert response.context["form"].errors
    assert internal_names(response.content.decode()) == []
