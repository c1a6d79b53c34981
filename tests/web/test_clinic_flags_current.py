"""Flags current after every kind of change, worst first, in words, and only for shared areas;
contraindications first; a revoked share explained."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ldn.dosing import PlanStep, TitrationPlan
from ldn.interop.records import DayRecord, ImportPreview
from ldn.web.accounts.models import Share
from ldn.web.clinic import sharing
from ldn.web.clinic.models import PatientFlags
from ldn.web.journal.models import DoseLog, QuestionnaireResponse
from ldn.web.journal.records import commit_import
from ldn.web.therapy import plans
from tests.conftest import make_clinician, make_patient

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def imported(*days: DayRecord) -> ImportPreview:
    return ImportPreview(source="ours", days=days, problems=(), rows_read=len(days))


def share(patient, clinician, areas=None) -> Share:
    code = sharing.create_invitation(patient, areas or Share.all_areas())[1]
    return sharing.accept(code, clinician)


def test_tramadol_and_a_new_headache_show_on_the_patient_view_right_after_accepting(client, world):
    patient = make_patient("erin")
    client.force_login(patient)
    client.post(reverse("therapy:medications"), {"name": "tramadol"})
    client.post(reverse("journal:checkin"), {"dose_status": "none", "side_effects": ["headache"]})
    code = sharing.create_invitation(patient, Share.all_areas())[1]
    client.force_login(world.bob)
    response = client.post(reverse("clinic:accept"), {"code": code})
    assert response["Location"] == reverse("clinic:patient", args=[patient.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Nothing flagged" not in page
    assert "Contraindicated with LDN" in page and "tramadol" in page
    assert "Unresolved contraindication: see medications" in page
    assert "New side effect: headache" in page
    # the red box comes before everything else on the page
    assert page.index('class="contra"') < page.index("Needs attention")


def test_an_import_marks_the_flags_stale_and_the_view_shows_the_new_side_effect(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert not PatientFlags.objects.get(patient=world.alice).has_new_side_effect
    commit_import(
        world.alice,
        imported(DayRecord(day=today(), side_effects=("vivid_dreams",))),
        by=world.alice,
    )
    assert PatientFlags.objects.get(patient=world.alice).stale
    page = client.get(reverse("clinic:patient", args=[world.alice.pk])).content.decode()
    assert "New side effect: vivid dreams" in page and "vivid_dreams" not in page


def test_a_plan_change_by_the_clinician_refreshes_the_dose_at_once(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    client.post(
        reverse("clinic:adjust_plan", args=[world.alice.pk]),
        {"dose_mg": "3", "from_day": today().isoformat(), "reason": "start"},
    )
    assert PatientFlags.objects.get(patient=world.alice).stale
    client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert PatientFlags.objects.get(patient=world.alice).current_dose_mg == 3


def _on_plan(patient, days_ago: int = 40) -> None:
    plan = TitrationPlan(start=today() - dt.timedelta(days=days_ago), steps=(PlanStep(4.5, 0),))
    plans.save_version(patient, plan, author=patient, reason="Maintenance")


def test_the_list_puts_the_worst_flag_first_then_the_count(client):
    doctor = make_clinician("doctor")
    many, contra, item9 = make_patient("many"), make_patient("contra"), make_patient("item9")
    for p in (many, contra, item9):
        share(p, doctor)
    _on_plan(many)
    for i in range(1, 29):  # 10 skipped, 18 not logged: missed doses; plus a side effect
        if i <= 10:
            DoseLog.objects.create(
                patient=many, day=today() - dt.timedelta(days=i), status="missed"
            )
    commit_import(many, imported(DayRecord(day=today(), side_effects=("insomnia",))), by=many)
    client.force_login(contra)
    client.post(reverse("therapy:medications"), {"name": "tramadol"})
    answers = {f"phq9_{i}": 0 for i in range(1, 9)} | {"phq9_9": 1}
    QuestionnaireResponse.objects.create(
        patient=item9, instrument="phq9", answers=answers, completed_on=today()
    )
    client.force_login(doctor)
    response = client.get(reverse("clinic:patients"))
    names = [row.display_name for row in response.context["page"].object_list]
    assert names == ["item9", "contra", "many"]
    page = response.content.decode()
    assert (
        "Missed doses: 0% of due doses taken in 28 days (10 doses logged as skipped, 18 nights not logged)"
        in page
    )
    assert "New side effect: trouble sleeping" in page


def test_a_clinician_shared_only_questionnaires_sees_no_plan_journal_or_medication_flags(client):
    doctor = make_clinician("doctor")
    patient = make_patient("quinn")
    client.force_login(patient)
    client.post(reverse("therapy:medications"), {"name": "tramadol"})
    _on_plan(patient)
    share(patient, doctor, ["questionnaires"])
    client.force_login(doctor)
    listing = client.get(reverse("clinic:patients")).content.decode()
    assert "Unresolved contraindication:" not in listing
    assert "plan not shared" in listing and "journal not shared" in listing
    assert "4.5 mg" not in listing
    view = client.get(reverse("clinic:patient", args=[patient.pk]))
    assert view.status_code == 200
    page = view.content.decode()
    assert "Not shared with you: Journal, Analysis, Medications and screening, Plan." in page
    assert "tramadol" not in page and "Tonight" not in page
    assert "Nothing flagged in the areas shared with you." in page


def test_a_revoked_share_shows_a_page_that_says_so_with_a_way_back(client, world):
    client.force_login(world.dave)
    response = client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "This patient stopped sharing with you" in page
    assert f'href="{reverse("clinic:patients")}"' in page
    assert "alice" not in page.lower().replace("alice@", "")


def test_a_stranger_still_gets_the_plain_not_found(client, world):
    client.force_login(world.charlie)
    response = client.get(reverse("clinic:patient", args=[world.alice.pk]))
    assert response.status_code == 404
    assert "stopped sharing" not in response.content.decode()


def test_the_list_labels_each_cell_for_a_phone(client, world):
    client.force_login(world.bob)
    page = client.get(reverse("clinic:patients")).content.decode()
    for label in ("Needs attention", "Dose tonight", "Adherence (28 d)", "Last entry"):
        assert f'data-label="{label}"' in page
