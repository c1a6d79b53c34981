"""The visit report: same content as a page and a PDF; two pages for six months; `ldn report`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from ldn.cli import app
from ldn.dosing import PlanStep, TitrationPlan
from ldn.web.accounts.models import Share
from ldn.web.clinic import report
from ldn.web.clinic.models import VisitQuestion
from ldn.web.journal.demo import create_demo_patient
from ldn.web.journal.models import QuestionnaireResponse
from ldn.web.therapy import plans

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def demo():
    user, _ = create_demo_patient(TODAY)
    first_dose = min(user.doses.filter(status="taken").values_list("day", flat=True))
    plan = TitrationPlan(
        start=first_dose, steps=(PlanStep(1.5, 0, 14), PlanStep(3, 14, 28), PlanStep(4.5, 28))
    )
    plans.save_version(user, plan, author=user, reason="Starting LDN")
    VisitQuestion.objects.create(patient=user, text="Can I take LDN in the morning instead?")
    QuestionnaireResponse.objects.create(
        patient=user, instrument="gad7", answers={f"gad7_{i}": 2 for i in range(1, 8)},
        completed_on=TODAY - dt.timedelta(days=20),
    )  # fmt: skip
    return user


def six_months(user) -> report.VisitReport:
    start = TODAY - dt.timedelta(days=181)
    return report.build(user, start, TODAY, areas=set(Share.all_areas()), reader=user)


def test_six_months_fit_on_two_pages(demo):
    pdf, pages = report.render_pdf(six_months(demo))
    assert pdf.startswith(b"%PDF") and pages == 2


def test_the_page_and_the_pdf_share_one_body_with_every_section(client, demo):
    client.force_login(demo)
    url = (
        reverse("clinic:report", args=[demo.pk])
        + f"?start={TODAY - dt.timedelta(days=181)}&end={TODAY}"
    )
    page = client.get(url).content.decode()
    for heading in (
        "Symptoms (weekly mean", "Dose and adherence", "Is LDN helping?", "Side effects",
        "Questionnaires", "Medication screening", "questions for this visit",
    ):  # fmt: skip
        assert heading in page, heading
    assert page.count("<svg") >= 2 and "Can I take LDN in the morning instead?" in page
    pdf = client.get(reverse("clinic:report_pdf", args=[demo.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_clinician_sees_only_the_shared_sections_and_the_report_is_logged(client, world):
    from ldn.web.clinic.models import AuditEvent

    share = world.alice.shares_given.get(clinician=world.bob)
    share.areas = ["journal"]
    share.save()
    client.force_login(world.bob)
    page = client.get(reverse("clinic:report", args=[world.alice.pk])).content.decode()
    assert "Symptoms (weekly mean" in page and "Dose and adherence" not in page
    assert AuditEvent.objects.filter(patient=world.alice, action="report").exists()


def test_a_backwards_range_is_refused_at_the_field(client, world):
    client.force_login(world.alice)
    url = reverse("clinic:report", args=[world.alice.pk]) + "?start=2026-11-01&end=2026-10-01"
    assert "The end must not be before the start." in client.get(url).content.decode()


def test_ldn_report_writes_the_pdf(demo, tmp_path):
    out = tmp_path / "visit.pdf"
    args = [
        "report",
        "--user",
        "demo",
        "--from",
        "2026-05-28",
        "--to",
        "2026-11-25",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF") and "(2 pages" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--user", "nobody", "--from", "2026-01-01", "--to", "2026-02-01"],
            "no patient with the username 'nobody'",
        ),
        (
            ["--user", "demo", "--from", "2026-13-01", "--to", "2026-02-01"],
            "--from must be a date as YYYY-MM-DD",
        ),
        (
            ["--user", "demo", "--from", "2026-03-01", "--to", "2026-02-01"],
            "--to must not be before --from",
        ),
    ],
)
def test_ldn_report_errors_are_one_line(args, message, tmp_path, world):
    result = CliRunner().invoke(app, ["report", *args, "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output
