"""The clinician's patient list: flags, filters, sorting, and what is flagged at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ldn.dosing import PlanStep, TitrationPlan
from ldn.web.clinic import flags
from ldn.web.clinic.models import FollowUpOutcome, PatientFlags
from ldn.web.journal.models import DailyEntry, DoseLog, QuestionnaireResponse
from ldn.web.therapy import plans
from ldn.web.therapy.models import Acknowledgement, Finding, FollowUp, Screening

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def on_plan(patient, author, days_ago: int = 60) -> None:
    plan = TitrationPlan(start=today() - dt.timedelta(days=days_ago), steps=(PlanStep(4.5, 0),))
    plans.save_version(patient, plan, author=author, reason="Maintenance")


def log_doses(patient, taken: int, missed: int) -> None:
    """The last taken+missed evenings up to yesterday: first the missed ones, then taken."""
    for i in range(taken + missed):
        day = today() - dt.timedelta(days=i + 1)
        status = DoseLog.Status.TAKEN if i < taken else DoseLog.Status.MISSED
        DoseLog.objects.create(patient=patient, day=day, status=status, amount_mg=4.5)


def row_for(client, world) -> PatientFlags:
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    return PatientFlags.objects.get(patient=world.alice)


def phq9(item9: int) -> dict[str, int]:
    answers = {f"phq9_{i}": 1 for i in range(1, 9)}
    answers["phq9_9"] = item9
    return answers


def test_phq9_item_9_above_zero_is_flagged_at_once(client, world):
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))  # the row exists and is fresh for today
    QuestionnaireResponse.objects.create(
        patient=world.alice, instrument="phq9", answers=phq9(1), completed_on=today()
    )
    page = client.get(reverse("clinic:patients")).content.decode()
    assert "PHQ-9 item 9 above 0" in page
    row = PatientFlags.objects.get(patient=world.alice)
    assert row.has_questionnaire_alert and row.questionnaire_alerts[0]["id"] == "phq9_item9"


@pytest.mark.django_db(transaction=True)
def test_a_write_is_recomputed_after_commit_for_a_sharing_patient(world, monkeypatch):
    from huey.contrib.djhuey import HUEY

    flags.refresh([world.alice.pk])
    monkeypatch.setattr(HUEY, "immediate", True)  # the worker runs the queued refresh at once
    monkeypatch.setattr(flags, "REFRESH_DELAY_SECONDS", 0)
    cache.clear()  # no refresh marked as waiting by an earlier test
    runs = []
    original = flags._refresh_shared
    monkeypatch.setattr(flags, "_refresh_shared", lambda ids: runs.append(ids) or original(ids))
    with transaction.atomic():
        QuestionnaireResponse.objects.create(
            patient=world.alice, instrument="phq9", answers=phq9(2), completed_on=today()
        )
        DailyEntry.objects.create(patient=world.alice, day=today())
        assert PatientFlags.objects.get(patient=world.alice).stale
    assert runs == [{world.alice.pk}]  # once per transaction, however many writes
    row = PatientFlags.objects.get(patient=world.alice)
    assert not row.stale and row.has_questionnaire_alert


def test_a_check_in_leaves_the_flags_to_the_worker_and_the_list_shows_them_current(
    client, world, monkeypatch
):
    queued = []
    monkeypatch.setattr(flags, "refresh_soon", queued.append)
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    client.force_login(world.alice)
    with transaction.atomic():
        QuestionnaireResponse.objects.create(
            patient=world.alice, instrument="phq9", answers=phq9(2), completed_on=today()
        )
    row = PatientFlags.objects.get(patient=world.alice)
    assert row.stale and not row.has_questionnaire_alert  # not recomputed in the request
    client.force_login(world.bob)
    page = client.get(reverse("clinic:patients")).content.decode()
    assert "PHQ-9 item 9 above 0" in page  # the list recomputes the stale row when read
    assert not PatientFlags.objects.get(patient=world.alice).stale


def test_when_the_worker_is_behind_the_list_reruns_few_analyses_and_says_the_rest_are_pending(
    client, world, monkeypatch
):
    """Past FULL_PER_REQUEST stale rows the list refreshes every other flag (item 9 shows at
    once) but not the before/after analysis, and says so instead of "Nothing flagged"."""
    from ldn.web.clinic import integrations

    monkeypatch.setattr(flags, "refresh_soon", lambda ids: None)  # the worker is behind
    fits = []
    real = integrations.likely_worse
    monkeypatch.setattr(integrations, "likely_worse", lambda p, d: fits.append(p.pk) or real(p, d))
    client.force_login(world.bob)
    client.get(reverse("clinic:patients"))
    fits.clear()
    QuestionnaireResponse.objects.create(
        patient=world.alice, instrument="phq9", answers=phq9(2), completed_on=today()
    )
    monkeypatch.setattr(flags, "FULL_PER_REQUEST", 0)
    page = client.get(reverse("clinic:patients")).content.decode()
    assert "PHQ-9 item 9 above 0" in page and fits == []
    assert "Before/after analysis being updated" in page
    assert PatientFlags.objects.get(patient=world.alice).stale
    monkeypatch.setattr(flags, "FULL_PER_REQUEST", 10)
    page = client.get(reverse("clinic:patients")).content.decode()
    assert fits == [world.alice.pk] and "being updated" not in page
    assert not PatientFlags.objects.get(patient=world.alice).stale
    # A patient who does not share the analysis: every flag they share is fresh, so the list
    # says "Nothing flagged" rather than leaving the cell empty.
    from ldn.web.accounts.models import Share

    Share.objects.filter(patient=world.alice).update(areas=["journal", "plan"])
    PatientFlags.objects.filter(patient=world.alice).update(stale=True)
    monkeypatch.setattr(flags, "FULL_PER_REQUEST", 0)
    row = client.get(reverse("clinic:patients")).content.decode().split("<tbody>")[1]
    assert "Nothing flagged" in row and "being updated" not in row


def test_phq9_item_9_at_zero_with_a_mild_total_is_not_flagged(world):
    QuestionnaireResponse.objects.create(
        patient=world.alice, instrument="phq9", answers=phq9(0), completed_on=today()
    )
    flags.refresh([world.alice.pk])
    assert not PatientFlags.objects.get(patient=world.alice).has_questionnaire_alert


def test_adherence_below_80_percent_is_flagged_and_above_is_not(client, world):
    # 80 %: the conventional cut-off (Baumgartner et al. 2018, Front Pharmacol 9:1290).
    on_plan(world.alice, world.alice)
    log_doses(world.alice, taken=20, missed=8)  # 20/28 = 71 %
    row = row_for(client, world)
    assert row.adherence_low and round(row.adherence_pct) == 71
    DoseLog.objects.filter(patient=world.alice, status="missed").update(status="taken")
    flags.refresh([world.alice.pk])
    row = PatientFlags.objects.get(patient=world.alice)
    assert not row.adherence_low and row.adherence_pct == 100


def test_an_unresolved_contraindication_is_flagged_until_acknowledged(client, world):
    screening = Screening.objects.create(patient=world.alice, trigger="on_demand", fingerprint="x")
    Finding.objects.create(
        screening=screening, patient=world.alice, input="tramadol", kind="medication",
        rule="opioid_agonist", severity="contraindicated", message="Opioid", action="Stop",
    )  # fmt: skip
    assert row_for(client, world).contraindications == 1
    Acknowledgement.objects.create(
        patient=world.alice, input_key="tramadol", rule="opioid_agonist", note="tapering"
    )
    flags.refresh([world.alice.pk])
    assert PatientFlags.objects.get(patient=world.alice).contraindications == 0


def test_an_overdue_follow_up_is_flagged_until_marked_held(client, world):
    past = FollowUp.objects.create(
        patient=world.alice, when=timezone.now() - dt.timedelta(days=3), created_by=world.bob
    )
    row_for(client, world)
    page = client.get(reverse("clinic:patients") + "?flag=follow_up").content.decode()
    assert "Follow-up overdue" in page and "alice" in page
    client.post(reverse("clinic:follow_up_held", args=[past.pk]))
    assert FollowUpOutcome.objects.filter(follow_up=past).exists()
    flags.refresh([world.alice.pk])
    page = client.get(reverse("clinic:patients") + "?flag=follow_up").content.decode()
    assert "alice" not in page


def test_a_side_effect_is_new_only_if_not_seen_in_the_months_before(client, world):
    DailyEntry.objects.create(
        patient=world.alice, day=today() - dt.timedelta(days=3), side_effects=["vivid_dreams"]
    )
    assert row_for(client, world).new_side_effects == ["vivid_dreams"]
    DailyEntry.objects.create(
        patient=world.alice, day=today() - dt.timedelta(days=40), side_effects=["vivid_dreams"]
    )
    flags.refresh([world.alice.pk])
    assert PatientFlags.objects.get(patient=world.alice).new_side_effects == []


def test_filters_search_and_sorting(client, world):
    from ldn.web.accounts.models import Share
    from tests.conftest import make_patient

    zoe = make_patient("zoe")
    Share.objects.create(patient=zoe, clinician=world.bob, areas=Share.all_areas())
    DailyEntry.objects.create(patient=zoe, day=today(), side_effects=["nausea"])
    client.force_login(world.bob)
    default = client.get(reverse("clinic:patients")).content.decode()
    assert default.index("zoe") < default.index("alice")  # flagged first
    by_name = client.get(reverse("clinic:patients") + "?sort=name").content.decode()
    assert by_name.index("alice") < by_name.index("zoe")
    only = client.get(reverse("clinic:patients") + "?flag=side_effect").content.decode()
    assert "zoe" in only and ">alice<" not in only
    search = client.get(reverse("clinic:patients") + "?q=ali").content.decode()
    assert ">alice<" in search and ">zoe<" not in search


def test_patients_see_no_list(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("clinic:patients")).status_code == 403


def test_rows_from_an_earlier_day_are_recomputed_by_the_hourly_task(world):
    flags.refresh([world.alice.pk])
    PatientFlags.objects.filter(patient=world.alice).update(
        computed_for=today() - dt.timedelta(days=1)
    )
    DailyEntry.objects.filter(patient=world.alice).update(side_effects=["nausea"], day=today())
    assert flags.refresh_dated() == 1
    row = PatientFlags.objects.get(patient=world.alice)
    assert row.computed_for == today() and row.new_side_effects == ["nausea"]


def test_a_patients_writes_within_the_delay_queue_one_refresh(world, monkeypatch):
    """Check-in, correction, dose: one worker run REFRESH_DELAY_SECONDS after the first, which
    then reads all of them; a write after that run starts queues the next."""
    cache.clear()
    scheduled = []
    monkeypatch.setattr(
        flags.refresh_later, "schedule", lambda args, delay: scheduled.append((args, delay))
    )
    for _ in range(3):
        flags.refresh_soon([world.alice.pk])
    assert scheduled == [(([world.alice.pk],), flags.REFRESH_DELAY_SECONDS)]
    flags.refresh_later.call_local([world.alice.pk])  # the run starts: the mark is cleared
    flags.refresh_soon([world.alice.pk])
    assert len(scheduled) == 2
