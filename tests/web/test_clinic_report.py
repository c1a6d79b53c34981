"""The visit report: same content as a page and a PDF; a summary page then two more for six
months; the patient named on every page; `ldn report`."""

from __future__ import annotations

import datetime as dt
import subprocess

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


def pdf_pages(pdf: bytes, tmp_path) -> list[str]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def test_six_months_fit_on_a_summary_page_and_two_more(demo):
    pdf, pages = report.render_pdf(six_months(demo))
    assert pdf.startswith(b"%PDF") and pages == 3


def test_every_page_names_the_patient_with_birth_date_sex_conditions_and_page_x_of_y(
    demo, tmp_path
):
    profile = demo.profile
    texts = pdf_pages(report.render_pdf(six_months(demo))[0], tmp_path)
    assert len(texts) == 3
    born = f"born {profile.date_of_birth:%-d %b %Y}"
    for i, text in enumerate(texts, start=1):
        head = text.splitlines()[0]
        assert "Demo Patient (synthetic)" in head and born in head, head
        assert "sex: female" in head and "fibromyalgia" in head and f"page {i} of 3" in head


def test_the_first_page_summarises_plan_adherence_verdicts_medications_and_questions(
    demo, tmp_path
):
    first = pdf_pages(report.render_pdf(six_months(demo))[0], tmp_path)[0]
    for words in (
        "Current plan", "tonight 4.5 mg", "Adherence in the period", "due doses logged as taken",
        "Analysis verdicts", "95% CI", "Current medications", "Low-dose naltrexone",
        "PHQ-9 / GAD-7", "Can I take LDN in the morning instead?",
    ):  # fmt: skip
        assert words in first, words
    assert "Symptoms (weekly mean" not in first


def test_a_contraindication_leads_the_first_page(demo, tmp_path, client):
    client.force_login(demo)
    client.post(reverse("therapy:medications"), {"name": "tramadol"})
    first = pdf_pages(report.render_pdf(six_months(demo))[0], tmp_path)[0]
    assert "Contraindicated with LDN (unresolved)" in first and "tramadol" in first
    assert first.index("Contraindicated with LDN") < first.index("Summary")


def test_plan_changes_shared_notes_and_follow_ups_of_the_period_are_in_the_report(client, world):
    client.force_login(world.bob)
    patient_id = world.alice.pk
    client.post(
        reverse("clinic:adjust_plan", args=[patient_id]),
        {"dose_mg": "1.5", "from_day": dt.date.today().isoformat(), "reason": "Start low"},
    )
    client.post(
        reverse("clinic:note_create", args=[patient_id]),
        {"text": "Discussed sleep", "shared_with_patient": "on"},
    )
    client.post(reverse("clinic:note_create", args=[patient_id]), {"text": "Private thought"})
    client.post(reverse("clinic:follow_up_create", args=[patient_id]),
                {"day": (dt.date.today() + dt.timedelta(days=28)).isoformat(), "time": "09:00",
                 "note": "Review dose"})  # fmt: skip
    page = client.get(reverse("clinic:report", args=[patient_id])).content.decode()
    assert "Start low" in page and "Discussed sleep" in page and "Review dose" in page
    assert "Private thought" not in page


def test_timing_changes_of_the_period_are_a_line_in_plan_changes(client, world):
    from ldn.web.living.models import TimingChange

    today = dt.date.today()
    for ago, when, clock in ((400, "bedtime", dt.time(22, 0)), (10, "morning", dt.time(7, 30))):
        TimingChange.objects.create(
            patient=world.alice, day=today - dt.timedelta(ago), time_of_day=when,
            dose_time=clock, reason="Sleep",
        )  # fmt: skip
    client.force_login(world.alice)
    page = client.get(reverse("clinic:report", args=[world.alice.pk])).content.decode()
    assert (
        f"<strong>Timing changes:</strong> from {today - dt.timedelta(10):%-d %b %Y} "
        "morning dose at 07:30." in page
    )
    assert "bedtime dose at 22:00" not in page  # before the period


def test_a_report_without_timing_changes_says_none(client, world):
    client.force_login(world.alice)
    page = client.get(reverse("clinic:report", args=[world.alice.pk])).content.decode()
    assert "<strong>Timing changes:</strong> none in this period." in page


def test_the_pdf_file_name_has_the_patient_and_the_dates(client, demo):
    client.force_login(demo)
    url = reverse("clinic:report_pdf", args=[demo.pk]) + "?start=2026-06-01&end=2026-11-25"
    response = client.get(url)
    assert response["Content-Disposition"] == (
        'attachment; filename="ldn-visit-report-demo-patient-synthetic-2026-06-01-to-2026-11-25.pdf"'
    )


def test_a_period_longer_than_a_year_covers_the_last_year_and_says_so(client, world):
    client.force_login(world.alice)
    url = reverse("clinic:report", args=[world.alice.pk]) + "?start=2024-01-01&end=2026-11-25"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["report"].start == dt.date(2025, 11, 25)
    assert "You asked for 1 Jan 2024 to 25 Nov 2026; a report covers at most one year" in (
        response.content.decode()
    )


def test_the_page_and_the_pdf_share_one_body_with_every_section(client, demo):
    client.force_login(demo)
    url = (
        reverse("clinic:report", args=[demo.pk])
        + f"?start={TODAY - dt.timedelta(days=181)}&end={TODAY}"
    )
    page = client.get(url).content.decode()
    for heading in (
        "Symptoms (weekly mean", "Dose and adherence", "Is LDN helping?", "Side effects",
        "Questionnaires", "Medication screening", "The patient's questions", "Plan changes in the period",
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
    assert (
        "Not shared with the reader: Analysis, Medications and screening, Plan, Questionnaires."
        in page
    )
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
    assert out.read_bytes().startswith(b"%PDF") and "(3 pages" in result.output


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
