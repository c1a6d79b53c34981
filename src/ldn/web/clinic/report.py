"""The visit report: one data object rendered by one template as a web page and, through
WeasyPrint, as a PDF. Charts are drawn by ldn.web.charts and its templates, each with a table
or a sentence beside it. Sections appear only for the areas the reader may see.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.text import slugify

from ldn.dosing.tolerance import TIMING, DoseChange
from ldn.journal import SIDE_EFFECTS
from ldn.journal.questionnaires import QuestionnaireError, instruments, score_questionnaire
from ldn.web import charts
from ldn.web.accounts import clock
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import Share, User
from ldn.web.clinic import integrations
from ldn.web.clinic.flags import chips, current_row, questionnaire_alerts, rules
from ldn.web.clinic.models import ClinicianNote, VisitQuestion
from ldn.web.journal.models import DailyEntry, Medication, SymptomRating
from ldn.web.living import services as living
from ldn.web.living.models import PlannedProcedure
from ldn.web.therapy import plans as therapy_plans

LOW_PCT = float(rules()["flags"]["adherence_low"]["threshold_pct"])
STATIC = Path(__file__).resolve().parents[1] / "static"
CSS_PATHS = (STATIC / "clinic" / "report.css",)  # the charts' own CSS goes inside their SVG


@dataclass(frozen=True)
class SymptomSeries:
    name: str
    css: str  # its colour class in charts.css
    weeks: list[tuple[dt.date, float | None]]
    first: float | None
    last: float | None
    days: int


@dataclass(frozen=True)
class DoseWeek:
    start: dt.date
    dose_mg: float | None
    planned: int
    taken: int

    @property
    def pct(self) -> float | None:
        return None if self.planned == 0 else 100.0 * self.taken / self.planned


@dataclass(frozen=True)
class SideEffectRow:
    name: str
    days: int
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class QuestionnaireRow:
    instrument: str
    taken_on: dt.date
    total: int
    band: str
    flags: list[str]
    key: str = ""


# Short column heads for the compact table (one row per date keeps six months on two pages).
QUESTIONNAIRE_COLUMNS = (("phq9", "PHQ-9"), ("gad7", "GAD-7"), ("pgic", "PGIC"))


@dataclass(frozen=True)
class QuestionnaireDay:
    taken_on: dt.date
    cells: list[QuestionnaireRow | None]
    flags: list[str]


MAX_DAYS = 366  # a report covers at most this many days; a longer request keeps the last ones


@dataclass(frozen=True)
class ScoreTrend:
    """One questionnaire's totals in the period: first and last, and how many times taken."""

    name: str
    first: int
    first_on: dt.date
    last: int
    last_on: dt.date
    last_band: str
    count: int


@dataclass
class VisitReport:
    patient: User
    start: dt.date
    end: dt.date
    generated_at: dt.datetime
    generated_by: str
    areas: set[str]
    asked_start: dt.date | None = None  # set when a longer period was cut to the last year
    date_of_birth: dt.date | None = None
    sex: str = ""
    conditions: list[str] = field(default_factory=list)
    chips: list[object] = field(default_factory=list)
    contraindications: list[object] = field(default_factory=list)
    medications: list[object] = field(default_factory=list)
    plan_summary: str = ""
    tonight_mg: float | None = None
    follow_ups: list[object] = field(default_factory=list)
    notes: list[object] = field(default_factory=list)
    symptoms: list[SymptomSeries] = field(default_factory=list)
    symptom_chart: charts.ReportChart | None = None
    entries: int = 0
    dose_weeks: list[DoseWeek] = field(default_factory=list)
    dose_chart: charts.ReportChart | None = None
    taken: int = 0
    planned: int = 0
    plan_changes: list[object] = field(default_factory=list)
    timing_changes: list[DoseChange] = field(default_factory=list)
    procedures: list[object] = field(default_factory=list)
    side_effects: list[SideEffectRow] = field(default_factory=list)
    questionnaires: list[QuestionnaireRow] = field(default_factory=list)
    findings: list[object] = field(default_factory=list)
    verdicts: list[integrations.Verdict] = field(default_factory=list)
    verdict_message: str = ""
    questions: list[VisitQuestion] = field(default_factory=list)

    @property
    def adherence_pct(self) -> float | None:
        return None if self.planned == 0 else 100.0 * self.taken / self.planned

    @property
    def questionnaire_days(self) -> list[QuestionnaireDay]:
        return questionnaire_days(self.questionnaires)

    @property
    def questionnaire_columns(self) -> tuple[tuple[str, str], ...]:
        return QUESTIONNAIRE_COLUMNS

    def shows(self, area: str) -> bool:
        return area in self.areas

    @property
    def not_shared(self) -> list[str]:
        labels = dict(Share.Area.choices)
        return [str(labels[a]) for a in Share.all_areas() if a not in self.areas]

    @property
    def name(self) -> str:
        return self.patient.get_full_name() or self.patient.get_username()

    @property
    def identity_line(self) -> str:
        """Who the report is about, repeated in every page's header."""
        born = f"born {self.date_of_birth:%-d %b %Y}" if self.date_of_birth else "born: not given"
        conditions = ", ".join(self.conditions) or "conditions: none recorded"
        return f"{self.name} · {born} · sex: {self.sex} · {conditions} · ID {self.patient.pk}"

    @property
    def filename(self) -> str:
        slug = slugify(self.name) or f"patient-{self.patient.pk}"
        return f"ldn-visit-report-{slug}-{self.start}-to-{self.end}.pdf"

    @property
    def trends(self) -> list[ScoreTrend]:
        out = []
        for key in ("phq9", "gad7"):
            rows = sorted(
                (q for q in self.questionnaires if q.key == key), key=lambda q: q.taken_on
            )
            if rows:
                first, last = rows[0], rows[-1]
                out.append(
                    ScoreTrend(
                        first.instrument,
                        first.total,
                        first.taken_on,
                        last.total,
                        last.taken_on,
                        last.band,
                        len(rows),
                    )
                )
        return out


def _weeks(start: dt.date, end: dt.date) -> list[dt.date]:
    monday = start - dt.timedelta(days=start.weekday())
    return [monday + dt.timedelta(days=7 * i) for i in range((end - monday).days // 7 + 1)]


def _symptoms(report: VisitReport) -> None:
    rows = SymptomRating.objects.filter(
        entry__patient=report.patient, entry__day__gte=report.start, entry__day__lte=report.end
    ).values_list("symptom__name", "symptom__position", "entry__day", "score")
    by_symptom: dict[str, list[tuple[dt.date, int]]] = defaultdict(list)
    order: dict[str, int] = {}
    for name, position, day, score in rows:
        by_symptom[name].append((day, score))
        order[name] = position
    weeks = _weeks(report.start, report.end)
    for i, name in enumerate(
        sorted(by_symptom, key=lambda n: (order[n], n))[: charts.SERIES_CLASSES]
    ):
        sums: dict[dt.date, list[int]] = defaultdict(list)
        for day, score in by_symptom[name]:
            sums[day - dt.timedelta(days=day.weekday())].append(score)
        series = [(w, sum(sums[w]) / len(sums[w]) if sums[w] else None) for w in weeks]
        values = [v for _, v in series if v is not None]
        report.symptoms.append(
            SymptomSeries(
                name,
                charts.series_class(i),
                series,
                values[0] if values else None,
                values[-1] if values else None,
                len(by_symptom[name]),
            )
        )
    report.entries = DailyEntry.objects.filter(
        patient=report.patient, day__gte=report.start, day__lte=report.end
    ).count()
    if report.symptoms:
        report.symptom_chart = charts.weekly_lines(
            [s.weeks for s in report.symptoms], report.start, report.end
        )


def _doses(report: VisitReport, today: dt.date) -> None:
    """Doses due and taken per week, counted by the one adherence definition (therapy.plans,
    ldn.dosing.adherence) up to the patient's yesterday; the dose shown per week is the plan's
    as it was then."""
    history = therapy_plans.history(report.patient)
    current = history.versions[-1].plan if history.versions else None
    last_day = min(report.end, today - dt.timedelta(days=1))
    counted = therapy_plans.adherence_of(report.patient, last_day, report.start)
    weeks = {w.week_start: w for w in counted.weeks} if counted else {}
    for monday in _weeks(report.start, report.end):
        dose = None
        for offset in range(7):
            day = monday + dt.timedelta(days=offset)
            if day < report.start or day > report.end:
                continue
            plan = history.plan_on(day) or current
            due = plan.dose_on(day) if plan else None
            dose = due if due is not None else dose
        week = weeks.get(monday)
        report.dose_weeks.append(
            DoseWeek(monday, dose, week.planned if week else 0, week.taken if week else 0)
        )
    report.planned = sum(w.planned for w in report.dose_weeks)
    report.taken = sum(w.taken for w in report.dose_weeks)
    report.plan_changes = [
        v
        for v in integrations.plan_versions(report.patient)
        if report.start <= v.created_at.date() <= report.end
    ]
    report.timing_changes = [
        c
        for c in living.changes(report.patient)
        if c.kind == TIMING and report.start <= c.day <= report.end
    ]
    report.procedures = [
        p
        for p in PlannedProcedure.objects.filter(patient=report.patient).select_related(
            "plan_version"
        )
        if p.procedure_day >= report.start and (p.restart_day or p.procedure_day) >= report.start
    ]
    if any(w.dose_mg is not None for w in report.dose_weeks):
        weeks = [(w.start, w.dose_mg, w.pct) for w in report.dose_weeks]
        report.dose_chart = charts.dose_weeks(weeks, LOW_PCT)


def _side_effects(report: VisitReport) -> None:
    seen: dict[str, list[dt.date]] = defaultdict(list)
    rows = (
        DailyEntry.objects.filter(
            patient=report.patient, day__gte=report.start, day__lte=report.end
        )
        .exclude(side_effects=[])
        .values_list("day", "side_effects")
    )
    for day, codes in rows:
        for code in codes or []:
            seen[code].append(day)
    report.side_effects = sorted(
        (SideEffectRow(SIDE_EFFECTS.get(c, c), len(d), min(d), max(d)) for c, d in seen.items()),
        key=lambda r: -r.days,
    )


def _questionnaires(report: VisitReport) -> None:
    names = {k: v.name for k, v in instruments().items()}
    for record in integrations.questionnaire_records([report.patient.pk]):
        if not report.start <= record.taken_on <= report.end:
            continue
        try:
            result = score_questionnaire(record.instrument, record.answers)
        except QuestionnaireError:
            continue
        report.questionnaires.append(
            QuestionnaireRow(
                names.get(record.instrument, record.instrument),
                record.taken_on,
                result.total,
                result.band,
                [a["message"] for a in questionnaire_alerts([record]).get(record.patient_id, [])],
                record.instrument,
            )
        )


def period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date | None]:
    """The start actually covered and, when the asked period was longer than MAX_DAYS, the
    start that was asked for (the report then covers the last year and says so)."""
    if (end - start).days + 1 > MAX_DAYS:
        return end - dt.timedelta(days=MAX_DAYS - 1), start
    return start, None


def _summary(report: VisitReport, reader: User | None, today: dt.date) -> None:
    patient = report.patient
    profile = getattr(patient, "profile", None)
    if profile is not None:
        report.date_of_birth = profile.date_of_birth
        report.sex = str(profile.get_sex_display()).lower()
        report.conditions = [str(c) for c in profile.conditions or []]
    areas = report.areas
    report.chips = chips(current_row(patient, today), areas)
    if Share.Area.PLAN in areas:
        plan = integrations.current_plan(patient)
        if plan is not None:
            report.tonight_mg = plan.dose_on(today)
            report.plan_summary = (
                "; ".join(f"{s.dose_mg:g} mg from day {s.from_day}" for s in plan.steps)
                + f" (day 0 = {plan.start:%-d %b %Y})"
            )
        report.follow_ups = [
            f
            for f in integrations.follow_ups(patient)
            if f.when.date() >= report.start  # in the period, and any still to come
        ]
    if Share.Area.MEDICATIONS in areas:
        report.contraindications = integrations.unresolved_contraindications_batch(
            [patient.pk]
        ).get(patient.pk, [])
        report.medications = list(
            Medication.objects.filter(patient=patient, stopped_on__isnull=True).order_by(
                "-is_ldn", "name"
            )
        )
    notes = ClinicianNote.objects.filter(
        patient=patient,
        shared_with_patient=True,
        created_at__date__gte=report.start,
        created_at__date__lte=report.end,
    ).select_related("author")
    if reader is not None and reader.pk != patient.pk:
        notes = notes.filter(author=reader)  # another clinician's notes are theirs to share
    report.notes = list(notes.order_by("created_at"))


def build(
    patient: User,
    start: dt.date,
    end: dt.date,
    *,
    areas: set[str],
    reader: User | None = None,
    today: dt.date | None = None,
) -> VisitReport:
    covered, asked = period(start, end)
    report = VisitReport(
        patient=patient,
        start=covered,
        end=end,
        generated_at=clock.now(),
        generated_by=(reader.get_full_name() or reader.get_username()) if reader else "ldn report",
        areas=areas,
        asked_start=asked,
    )
    today = today or local_today(patient)
    _summary(report, reader, today)
    if Share.Area.JOURNAL in areas:
        _symptoms(report)
        _side_effects(report)
        report.questions = list(VisitQuestion.objects.filter(patient=patient))
    if Share.Area.PLAN in areas:
        _doses(report, today)
    if Share.Area.MEDICATIONS in areas:
        report.findings = integrations.latest_findings(patient)
    if Share.Area.QUESTIONNAIRES in areas:
        _questionnaires(report)
    if Share.Area.ANALYSIS in areas:
        report.verdicts, report.verdict_message = integrations.verdicts(patient, today)
    return report


def css() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in CSS_PATHS)


def render_pdf(report: VisitReport) -> tuple[bytes, int]:
    """The PDF and its number of pages."""
    from weasyprint import HTML

    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # CSS it skips is screen-only
    context = {"report": report, "css": css(), "print_css": charts.print_css()}
    html = render_to_string("clinic/report_print.html", context)
    document = HTML(string=html, base_url=str(settings.WEB_DIR)).render()
    pdf: bytes = document.write_pdf()
    return pdf, len(document.pages)


def questionnaire_days(rows: list[QuestionnaireRow]) -> list[QuestionnaireDay]:
    """The report's questionnaires as one row per date with a column per instrument."""
    by_day: dict[dt.date, dict[str, QuestionnaireRow]] = {}
    for row in rows:
        by_day.setdefault(row.taken_on, {})[row.key] = row
    return [
        QuestionnaireDay(
            day,
            [cells.get(key) for key, _ in QUESTIONNAIRE_COLUMNS],
            [flag for row in cells.values() for flag in row.flags],
        )
        for day, cells in sorted(by_day.items())
    ]
