"""One adherence, five screens: the insights dashboard, the plan page, the visit report, `ldn
journal stats` and the clinic list give the same count for the same patient.

The definition (ldn.dosing.adherence): a night is due when the plan schedules a dose (a pause is
not due); adherence is taken / due; a due night with nothing logged is "not logged", apart from
"missed", but not taken either; tonight is not due yet.

Run: bash scripts/test tests/web/test_adherence_agreement.py -q
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ldn.cli import app
from ldn.dosing import Pause, PlanStep, TitrationPlan
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import Share
from ldn.web.clinic import report
from ldn.web.clinic.models import PatientFlags
from ldn.web.journal import services, symptoms
from ldn.web.therapy import plans
from tests.conftest import make_clinician, make_patient

pytestmark = pytest.mark.django_db

PLAN_DAYS = 21  # the plan started 21 nights ago: nights -21 .. -1 are counted
PAUSE = range(-10, -7)  # nights -10, -9, -8: a surgery pause, not due
MISSED = (-20, -3)
UNLOGGED = (-19, -15, -6, -2)
# Due: 21 - 3 paused = 18; taken: 18 - 2 missed - 4 not logged = 12 (67 %).
DUE, TAKEN = 18, 12


def build_patient():
    """A patient built as the UI builds one: a plan with a pause, daily check-ins; one dose
    logged as taken inside the pause (taken while not planned: it must not count)."""
    pat = make_patient("pat")
    today = local_today(pat)
    start = today - dt.timedelta(days=PLAN_DAYS)
    pause = Pause(
        today + dt.timedelta(days=PAUSE[0]), today + dt.timedelta(days=PAUSE[-1]), "surgery"
    )
    plan = TitrationPlan(start=start, steps=(PlanStep(4.5, 0),), pauses=(pause,))
    plans.save_version(pat, plan, author=pat, reason="Prescribed")
    pain = symptoms.add(pat, "Pain")
    for offset in range(-PLAN_DAYS - 30, 0):  # a month of baseline before the plan
        day = today + dt.timedelta(days=offset)
        if offset < -PLAN_DAYS or offset in UNLOGGED:
            status = None
        elif offset in MISSED:
            status = "missed"
        else:
            status = "taken"  # pause nights included: logged, but not due
        values = {"dose_status": status, "dose_mg": 4.5} if status else {}
        services.save_checkin(pat, day, values, {pain.pk: 5}, by=pat)
    return pat, today


def test_the_dashboard_plan_page_report_cli_and_clinic_list_agree(client):
    pat, today = build_patient()
    doc = make_clinician("doc")
    Share.objects.create(patient=pat, clinician=doc, areas=Share.all_areas())

    client.force_login(pat)
    board = client.get(reverse("insights:dashboard")).context["board"]
    dashboard = (board.adherence.taken, board.adherence.days)

    weeks = client.get(reverse("therapy:plan")).context["adherence"]
    plan_page = (sum(w.taken for w in weeks), sum(w.planned for w in weeks))

    visit = report.build(
        pat, today - dt.timedelta(days=60), today, areas=set(Share.all_areas()), reader=doc
    )
    visit_report = (visit.taken, visit.planned)

    result = CliRunner().invoke(app, ["journal", "stats", "--user", "pat", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    cli = (stats["doses_taken"], stats["doses_due"])

    client.force_login(doc)
    page = client.get(reverse("clinic:patients")).content.decode()
    row = PatientFlags.objects.get(patient=pat)

    assert dashboard == plan_page == visit_report == cli == (TAKEN, DUE)
    assert round(row.adherence_pct, 1) == round(100 * TAKEN / DUE, 1) == 66.7
    assert (row.missed_doses, row.unlogged_nights) == (len(MISSED), len(UNLOGGED))
    assert (stats["doses_missed"], stats["doses_not_logged"]) == (len(MISSED), len(UNLOGGED))
    assert '<td data-label="Adherence (28 d)">67%</td>' in page


def test_a_night_with_nothing_logged_is_not_missed_but_not_taken_either(client):
    pat, today = build_patient()
    client.force_login(pat)
    html = client.get(reverse("insights:dashboard")).content.decode()
    assert (
        f"<strong>{TAKEN} of {DUE} due doses</strong> logged as taken (67%), "
        f"{len(MISSED)} missed, {len(UNLOGGED)} not logged." in html
    )
