"""Medication list and screening: the contraindication banner on every patient page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ldn.web.accounts.models import PatientProfile
from ldn.web.journal.models import Medication
from ldn.web.therapy.models import Finding, Screening

BANNER = "Safety alert"


@pytest.fixture
def alice_client(client, world):
    client.force_login(world.alice)
    return client


def add(client, name: str):
    return client.post(reverse("therapy:medications"), {"name": name})


def test_adding_oxycodone_screens_it_as_contraindicated_and_stores_the_finding(alice_client, world):
    add(alice_client, "oxycodone")
    screening = Screening.objects.filter(patient=world.alice).first()
    assert screening.trigger == "medication_added"
    finding = screening.findings.get(input="oxycodone")
    # Naltrexone label: contraindicated with opioid analgesics (rules.yaml cites it).
    assert finding.severity == "contraindicated" and finding.references


@pytest.mark.parametrize("url", ["dashboard", "journal:checkin", "therapy:plan", "profile"])
def test_a_contraindication_is_on_every_patient_page_without_a_click(alice_client, url):
    add(alice_client, "Percocet 5/325")
    page = alice_client.get(reverse(url)).content.decode()
    assert BANNER in page and "Percocet 5/325" in page


def test_the_banner_is_not_shown_to_another_patient(alice_client, client, world):
    add(alice_client, "oxycodone")
    client.force_login(world.mallory)
    assert BANNER not in client.get(reverse("dashboard")).content.decode()


def test_an_unknown_name_is_shown_as_not_recognised_not_screened(alice_client):
    add(alice_client, "Zorblax 20 mg")
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert "Not recognised — not screened" in page and "Zorblax 20 mg" in page


def test_stopping_the_medication_resolves_the_banner_and_keeps_it_listed(alice_client, world):
    add(alice_client, "tramadol")
    med = Medication.objects.get(patient=world.alice, name="tramadol")
    alice_client.post(
        reverse("therapy:medication_stop", args=[med.pk]), {"stopped_on": "2020-01-01"}
    )
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert BANNER not in page and "tramadol" in page and "Stopped (1)" in page


def test_removing_the_medication_resolves_the_banner(alice_client, world):
    add(alice_client, "methadone")
    med = Medication.objects.get(patient=world.alice, name="methadone")
    alice_client.post(reverse("therapy:medication_delete", args=[med.pk]), {"confirmed": "yes"})
    assert BANNER not in alice_client.get(reverse("dashboard")).content.decode()


def test_removing_asks_first_and_a_post_without_the_confirmation_removes_nothing(
    alice_client, world
):
    add(alice_client, "methadone")
    med = Medication.objects.get(patient=world.alice, name="methadone")
    url = reverse("therapy:medication_delete", args=[med.pk])
    page = alice_client.get(url).content.decode()
    assert "Remove methadone?" in page and "Yes, remove methadone" in page
    alice_client.post(url)
    assert Medication.objects.filter(pk=med.pk).exists()
    response = alice_client.post(url, {"confirmed": "yes"})
    assert response["Location"] == reverse("therapy:medications")
    assert not Medication.objects.filter(pk=med.pk).exists()


def test_the_banner_names_each_ingredient_once_with_its_products(alice_client, world):
    for name in ("tramadol", "Tramadol 50 mg capsules", "oxycodone"):
        add(alice_client, name)
    page = alice_client.get(reverse("dashboard")).content.decode()
    assert page.count("<li><strong>Tramadol</strong>") == 1
    assert "(Tramadol 50 mg capsules)" in page
    assert page.count("<li><strong>Oxycodone</strong>") == 1


def test_planned_with_clinician_removes_the_banner_but_not_the_listed_finding(alice_client, world):
    add(alice_client, "oxycodone")
    finding = Finding.objects.filter(patient=world.alice, input="oxycodone").last()
    alice_client.post(
        reverse("therapy:finding_acknowledge", args=[finding.pk]),
        {"note": "Dr Lee: stop LDN 3 days before, short course after surgery"},
    )
    assert BANNER not in alice_client.get(reverse("dashboard")).content.decode()
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert "Planned with clinician" in page and "short course after surgery" in page
    assert "Contraindicated" in page


def test_renaming_an_acknowledged_medication_brings_the_banner_back(alice_client, world):
    add(alice_client, "oxycodone")
    finding = Finding.objects.filter(patient=world.alice, input="oxycodone").last()
    alice_client.post(reverse("therapy:finding_acknowledge", args=[finding.pk]), {"note": "ok"})
    med = Medication.objects.get(patient=world.alice, name="oxycodone")
    alice_client.post(reverse("therapy:medication_edit", args=[med.pk]), {"name": "oxycontin"})
    assert BANNER in alice_client.get(reverse("dashboard")).content.decode()


def test_a_condition_changed_on_the_profile_is_screened_on_the_next_page(alice_client, world):
    PatientProfile.objects.filter(user=world.alice).update(conditions=["liver failure"])
    page = alice_client.get(reverse("dashboard")).content.decode()
    assert BANNER in page and "liver failure" in page
    alice_client.get(reverse("therapy:medications"))  # the results page stores the new screen
    assert Screening.objects.filter(patient=world.alice).first().trigger == "record_changed"


def test_showing_the_banner_writes_nothing(alice_client, world):
    Medication.objects.create(patient=world.alice, name="oxycodone")
    before = Screening.objects.count()
    assert BANNER in alice_client.get(reverse("dashboard")).content.decode()
    assert Screening.objects.count() == before


def test_pregnancy_on_the_profile_is_screened(alice_client, world):
    PatientProfile.objects.filter(user=world.alice).update(pregnancy="pregnant")
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert "pregnancy" in page


def test_a_medication_added_outside_these_pages_is_screened_before_display(alice_client, world):
    Medication.objects.create(patient=world.alice, name="Tylenol with codeine")
    assert BANNER in alice_client.get(reverse("dashboard")).content.decode()


def test_screen_again_on_demand_stores_a_new_screening(alice_client, world):
    before = Screening.objects.filter(patient=world.alice).count()
    alice_client.post(reverse("therapy:rescreen"))
    assert Screening.objects.filter(patient=world.alice).count() == before + 1
    assert Screening.objects.filter(patient=world.alice).first().trigger == "on_demand"


def test_a_shared_clinician_sees_medications_read_only_and_cannot_write(client, world):
    Medication.objects.create(patient=world.alice, name="oxycodone")
    client.force_login(world.bob)
    page = client.get(reverse("therapy:patient_medications", args=[world.alice.pk]))
    assert page.status_code == 200 and "oxycodone" in page.content.decode()
    assert client.post(reverse("therapy:medications"), {"name": "x"}).status_code == 403
    med = Medication.objects.get(patient=world.alice, name="oxycodone")
    edit = reverse("therapy:medication_edit", args=[med.pk])
    assert client.post(edit, {"name": "changed"}).status_code == 403
    assert Medication.objects.get(pk=med.pk).name == "oxycodone"


def test_the_clinician_does_not_get_the_patients_banner_on_their_own_dashboard(client, world):
    Medication.objects.create(patient=world.alice, name="oxycodone")
    client.force_login(world.bob)
    assert BANNER not in client.get(reverse("dashboard")).content.decode()


def test_the_summary_leads_with_not_screened_and_links_to_the_pack_ingredients(alice_client, world):
    add(alice_client, "Zorblax 20 mg")
    add(alice_client, "ibuprofen")
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    med = Medication.objects.get(patient=world.alice, name="Zorblax 20 mg")
    lead = '<li class="lead">1 not screened — ask a pharmacist: Zorblax 20 mg</li>'
    assert lead in page
    assert "All 2 entries screened" not in page
    edit = reverse("therapy:medication_edit", args=[med.pk]) + "#id_contains"
    assert f'href="{edit}"' in page and "Add the ingredients printed on the pack" in page


def test_the_pack_ingredients_are_kept_with_the_name_and_screened(alice_client, world):
    alice_client.post(
        reverse("therapy:medications"), {"name": "Zorblax", "contains": "codeine; paracetamol"}
    )
    med = Medication.objects.get(patient=world.alice)
    assert med.name == "Zorblax (contains: codeine, paracetamol)"
    finding = (
        Screening.objects.filter(patient=world.alice).first().findings.get(substance="codeine")
    )
    assert finding.severity == "contraindicated"
    form = alice_client.get(reverse("therapy:medication_edit", args=[med.pk])).context["form"]
    assert form.initial["name"] == "Zorblax" and form.initial["contains"] == "codeine, paracetamol"


def test_name_and_ingredients_too_long_together_are_refused_at_the_field(alice_client, world):
    res = alice_client.post(
        reverse("therapy:medications"), {"name": "Z" * 100, "contains": "codeine, paracetamol"}
    )
    assert not Medication.objects.filter(patient=world.alice).exists()
    assert res.context["form"].errors["contains"] == [
        "Name and ingredients together must be at most 120 characters (got 133); shorten the "
        "name, e.g. leave out the strength."
    ]


def test_a_condition_typed_as_a_medication_is_named_as_a_condition(alice_client):
    add(alice_client, "fibromyalgia")
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert "This is a condition, not a medicine" in page
    assert "Not recognised" not in page


def test_the_page_warns_never_to_take_more_opioid_to_overcome_ldn(alice_client):
    page = alice_client.get(reverse("therapy:medications")).content.decode()
    assert "Never take more opioid to overcome LDN" in page
    assert "do not take more of it" in page


def test_the_banner_holds_exactly_the_unresolved_contraindications_of_the_full_evaluation(
    alice_client, world
):
    """The banner's narrowed reading (every page) agrees with `evaluate()` (the medication page):
    stored and re-screened findings, acknowledged and not, in the same order."""
    from ldn.web.therapy import screening

    def both():
        full = [v.finding for v in screening.evaluate(world.alice) if v.unresolved_contraindication]
        fast = screening.unresolved_contraindications(world.alice)
        return [(f.input, f.rule) for f in full], [(f.input, f.rule) for f in fast]

    assert both() == ([], [])
    for name in ("tramadol", "oxycodone", "Zorblax 20 mg", "sertraline"):
        add(alice_client, name)
    full, fast = both()
    assert len(full) >= 2 and fast == full
    finding = Finding.objects.filter(patient=world.alice, input="oxycodone").last()
    alice_client.post(reverse("therapy:finding_acknowledge", args=[finding.pk]), {"note": "ok"})
    full, fast = both()
    assert fast == full and all(i != "oxycodone" for i, _ in fast) and fast
    Medication.objects.create(patient=world.alice, name="methadone")  # screening now out of date
    full, fast = both()
    assert fast == full and any(i == "methadone" for i, _ in fast)
