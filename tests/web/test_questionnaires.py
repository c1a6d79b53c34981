"""Questionnaire pages: scoring by the core, item 9 flagged at once, incomplete forms refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ldn.web.journal.models import QuestionnaireResponse

pytestmark = pytest.mark.django_db


def answers(prefix: str, n: int, value: int) -> dict[str, str]:
    return {f"{prefix}_{i}": str(value) for i in range(1, n + 1)}


def test_a_phq9_is_scored_and_banded(client, world):
    client.force_login(world.alice)
    data = answers("phq9", 9, 1) | {"phq9_9": "0"}
    response = client.post(reverse("journal:questionnaire_fill", args=["phq9"]), data, follow=True)
    saved = QuestionnaireResponse.objects.get(patient=world.alice, instrument="phq9")
    assert saved.total == 8 and saved.flags == []  # 8 is in the 5-9 "mild" band (Kroenke 2001)
    assert "Score <strong>8</strong>" in response.content.decode()


def test_item_9_above_zero_is_flagged_at_once_whatever_the_total(client, world):
    client.force_login(world.alice)
    data = answers("phq9", 9, 0) | {"phq9_9": "1"}
    response = client.post(reverse("journal:questionnaire_fill", args=["phq9"]), data, follow=True)
    saved = QuestionnaireResponse.objects.get(patient=world.alice, instrument="phq9")
    assert saved.total == 1 and [f["id"] for f in saved.flags] == ["item9_positive"]
    assert "Please talk to someone about this" in response.content.decode()


def test_an_incomplete_form_is_refused_not_prorated(client, world):
    client.force_login(world.alice)
    data = answers("gad7", 6, 2)
    response = client.post(reverse("journal:questionnaire_fill", args=["gad7"]), data)
    assert "every item is needed for a valid score" in response.content.decode()
    assert not QuestionnaireResponse.objects.filter(
        patient=world.alice, instrument="gad7", total=12
    ).exists()


def test_an_unknown_questionnaire_is_404(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("journal:questionnaire_fill", args=["sf36"])).status_code == 404
