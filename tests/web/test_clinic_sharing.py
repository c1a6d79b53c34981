"""Invitations become shares once, for a limited time, and revoking ends access at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ldn.web.accounts.models import Share
from ldn.web.clinic import sharing
from ldn.web.clinic.models import Invitation
from tests.conftest import make_clinician

pytestmark = pytest.mark.django_db


def invite(client, world, areas=("journal", "plan"), hours=72) -> str:
    client.force_login(world.alice)
    client.post(reverse("clinic:sharing"), {"areas": list(areas), "hours": hours})
    page = client.get(reverse("clinic:sharing")).content.decode()
    return re.search(r'data-testid="invitation-code">([A-Z0-9-]+)<', page).group(1)


def test_the_code_is_shown_once_and_only_its_hash_is_stored(client, world):
    code = invite(client, world)
    assert len(sharing.normalise(code)) == 10
    assert "invitation-code" not in client.get(reverse("clinic:sharing")).content.decode()
    stored = Invitation.objects.get(patient=world.alice)
    assert sharing.normalise(code) not in stored.code_hash and stored.areas == ["journal", "plan"]


def test_a_clinician_accepting_the_code_gets_a_share_with_the_chosen_areas(client, world):
    code = invite(client, world, areas=("journal",))
    erin = make_clinician("erin")
    client.force_login(erin)
    response = client.post(reverse("clinic:accept"), {"code": code.lower()})
    share = Share.objects.active().get(patient=world.alice, clinician=erin)
    assert share.areas == ["journal"]
    assert response["Location"] == reverse("clinic:patient", args=[world.alice.pk])
    assert "alice" in client.get(reverse("clinic:patients")).content.decode()


def test_a_code_works_only_once(client, world):
    code = invite(client, world)
    sharing.accept(code, make_clinician("erin"))
    client.force_login(make_clinician("frank"))
    response = client.post(reverse("clinic:accept"), {"code": code})
    assert "That code has already been used." in response.content.decode()
    assert not Share.objects.filter(clinician__username="frank").exists()


def test_an_expired_or_cancelled_code_is_refused(world):
    past = timezone.now() - dt.timedelta(hours=80)
    _, old = sharing.create_invitation(world.alice, ["journal"], 72, now=past)
    with pytest.raises(sharing.InvitationError, match="expired"):
        sharing.accept(old, world.charlie)
    invitation, code = sharing.create_invitation(world.alice, ["journal"])
    sharing.cancel(invitation)
    with pytest.raises(sharing.InvitationError, match="cancelled"):
        sharing.accept(code, world.charlie)


def test_a_patient_cannot_accept_an_invitation(client, world):
    _, code = sharing.create_invitation(world.alice, ["journal"])
    with pytest.raises(sharing.InvitationError, match="clinician accounts"):
        sharing.accept(code, world.mallory)
    client.force_login(world.mallory)
    assert client.get(reverse("clinic:accept")).status_code == 403


def test_an_invitation_needs_an_area_and_a_known_validity(world):
    with pytest.raises(sharing.InvitationError, match="areas must be some of"):
        sharing.create_invitation(world.alice, [])
    with pytest.raises(sharing.InvitationError, match="hours must be one of"):
        sharing.create_invitation(world.alice, ["journal"], hours=24 * 365)


def test_the_link_names_the_patient_and_what_is_shared(client, world):
    _, code = sharing.create_invitation(world.alice, ["journal", "medications"])
    client.force_login(world.charlie)
    page = client.get(reverse("clinic:join", args=[code])).content.decode()
    assert "alice" in page and "Journal, Medications and screening" in page


def test_accepting_again_replaces_the_old_share(world):
    _, code = sharing.create_invitation(world.alice, ["journal"])
    sharing.accept(code, world.bob)
    assert list(
        Share.objects.active().filter(clinician=world.bob).values_list("areas", flat=True)
    ) == [["journal"]]


def test_revoking_ends_access_on_the_next_request(client, world):
    client.force_login(world.bob)
    url = reverse("clinic:patient", args=[world.alice.pk])
    assert client.get(url).status_code == 200
    share = world.alice.shares_given.get(clinician=world.bob)
    alice = client.__class__()
    alice.force_login(world.alice)
    alice.post(reverse("clinic:share_revoke", args=[share.pk]))
    assert client.get(url).status_code == 404
    assert "alice" not in client.get(reverse("clinic:patients")).content.decode()


def test_a_share_without_the_plan_area_hides_the_plan_and_refuses_changes(client, world):
    _, code = sharing.create_invitation(world.alice, ["journal"])
    sharing.accept(code, world.bob)
    client.force_login(world.bob)
    page = client.get(reverse("clinic:patient", args=[world.alice.pk])).content.decode()
    assert "Adjust the plan" not in page
    response = client.post(
        reverse("clinic:adjust_plan", args=[world.alice.pk]),
        {"dose_mg": 3, "from_day": "2026-12-01", "reason": "x"},
    )
    assert response.status_code == 404
