"""What the clinic reads from the apps below it, shaped for the clinic: plans and their
adjustment, adherence over a window for many patients at once, unresolved contraindications,
follow-ups, the insights app's analysis verdicts and questionnaire results.

The clinic sits above every other app (docs/architecture.md), so its other modules also import
those apps' services directly where one call does (the visit report, the flags, the FHIR
export, the change listener); this module is not a gate, only the shared readers.

Questionnaire results come from sources listed in `QUESTIONNAIRE_SOURCES` (callables taking
patient ids and returning `QuestionnaireRecord`s); the journal's QuestionnaireResponse is the
one registered. The flags and the report use whatever is listed.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from ldn.analysis import AnalysisInputError, BeforeAfterReport
from ldn.dosing import Adherence, PlanStep, TitrationPlan, WeekAdherence
from ldn.web.accounts.clock import local_today
from ldn.web.accounts.models import User
from ldn.web.insights import services as insights
from ldn.web.journal.models import QuestionnaireResponse
from ldn.web.living import services as living
from ldn.web.living.models import PlannedProcedure
from ldn.web.therapy import plans as therapy_plans
from ldn.web.therapy.models import Acknowledgement, Finding, FollowUp, PlanVersion, Screening
from ldn.web.therapy.screening import input_key


# --- plans ---------------------------------------------------------------------------------
def current_plan(patient: User) -> TitrationPlan | None:
    return therapy_plans.current_plan(patient)


def procedures(patient: User, today: dt.date) -> list[PlannedProcedure]:
    """Planned procedures still ahead or not yet restarted after (the one surgery feature)."""
    return living.current_procedures(patient, today)


def plan_versions(patient: User) -> list[PlanVersion]:
    return list(reversed(therapy_plans.versions(patient)))


def adjusted_plan(
    current: TitrationPlan | None, dose_mg: float, from_day: dt.date
) -> TitrationPlan:
    """The current plan with its dose changed to `dose_mg` from `from_day` on (pauses kept)."""
    if current is None:
        return TitrationPlan(start=from_day, steps=(PlanStep(dose_mg, 0, None),), name="custom")
    k = (from_day - current.start).days
    if k < 0:
        raise ValueError(f"the change must start on or after the plan's start {current.start}")
    steps = [
        PlanStep(s.dose_mg, s.from_day, k if s.to_day is None or s.to_day > k else s.to_day)
        for s in current.steps
        if s.from_day < k
    ]
    steps.append(PlanStep(dose_mg, k, None))
    return TitrationPlan(
        start=current.start, steps=tuple(steps), pauses=current.pauses, name="custom"
    )


def adjust_plan(
    patient: User, *, by: User, dose_mg: float, from_day: dt.date, reason: str
) -> PlanVersion:
    """A new plan version through the therapy app's service; its author and reason are kept."""
    plan = adjusted_plan(current_plan(patient), dose_mg, from_day)
    return therapy_plans.save_version(patient, plan, author=by, reason=reason)


def adherence_weeks(patient: User, today: dt.date) -> list[WeekAdherence]:
    return therapy_plans.recent_adherence_weeks(patient, today)


def adherence_batch(todays: Mapping[int, dt.date], window_days: int) -> dict[int, Adherence | None]:
    """Each patient's adherence over the `window_days` nights to their yesterday (`todays` holds
    each patient's own today), under their current plan; None when nothing was due."""
    spans = {
        pid: (today - dt.timedelta(days=window_days), today - dt.timedelta(days=1))
        for pid, today in todays.items()
    }
    counted = therapy_plans.adherence_batch(spans)
    return {pid: a if a.due else None for pid, a in counted.items()}


# --- screening -----------------------------------------------------------------------------
def unresolved_contraindications_batch(patient_ids: Sequence[int]) -> dict[int, list[Finding]]:
    """Contraindicated findings of each patient's latest stored screening that nobody marked
    as planned. (Reads stored screenings; the therapy app re-screens when the record changes.)"""
    latest: dict[int, int] = {}
    for pid, sid in (
        Screening.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "ran_at", "pk")
        .values_list("patient_id", "pk")
    ):
        latest[pid] = sid
    acks = {
        (a.patient_id, a.input_key, a.rule)
        for a in Acknowledgement.objects.filter(patient_id__in=list(latest))
    }
    out: dict[int, list[Finding]] = defaultdict(list)
    for f in Finding.objects.filter(screening_id__in=latest.values(), severity="contraindicated"):
        if (f.patient_id, input_key(f.input), f.rule) not in acks:
            out[f.patient_id].append(f)
    return out


def latest_findings(patient: User) -> list[Finding]:
    screening = Screening.objects.filter(patient=patient).first()
    return [] if screening is None else list(screening.findings.all())


# --- follow-ups ----------------------------------------------------------------------------
def schedule_follow_up(patient: User, *, by: User, when: dt.datetime, note: str) -> FollowUp:
    """A therapy follow-up: the patient's reminders (calendar feed, e-mail) pick it up."""
    return FollowUp.objects.create(patient=patient, when=when, note=note, created_by=by)


def follow_ups(patient: User) -> list[FollowUp]:
    return list(FollowUp.objects.filter(patient=patient).select_related("outcome", "created_by"))


def overdue_since_batch(patient_ids: Sequence[int], now: dt.datetime) -> dict[int, dt.datetime]:
    """The earliest follow-up per patient that is past and not marked as held."""
    out: dict[int, dt.datetime] = {}
    rows = (
        FollowUp.objects.filter(patient_id__in=patient_ids, when__lt=now, outcome__isnull=True)
        .order_by("when")
        .values_list("patient_id", "when")
    )
    for pid, when in rows:
        out.setdefault(pid, when)
    return out


# --- analysis verdicts (insights app) ------------------------------------------------------
VERDICT_LABELS = {
    "too_little_data": "Too little data",
    "no_clear_change": "No clear change",
    "likely_better": "Likely better",
    "likely_worse": "Likely worse",
}


@dataclass(frozen=True)
class Verdict:
    symptom: str
    verdict: str
    sentence: str
    effect: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def label(self) -> str:
        return VERDICT_LABELS.get(self.verdict, self.verdict.replace("_", " ").capitalize())


def verdicts(patient: User, today: dt.date | None = None) -> tuple[list[Verdict], str]:
    """The before/after verdict per symptom, as the insights page shows it (the same memoised
    report on the same whole days, `insights.counted_diary`), with a message when the analysis
    cannot run yet. `today` defaults to the patient's own today."""
    report, message = _report(patient, today or local_today(patient))
    if report is None:
        return [], message

    def num(x: float | None) -> float | None:
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else x

    stored = report[1]
    return [
        Verdict(
            stored[s.symptom], s.verdict, s.sentence, num(s.effect), num(s.ci_low), num(s.ci_high)
        )
        for s in report[0].symptoms
    ], ""


def likely_worse(patient: User, today: dt.date) -> list[str]:
    """The symptoms the before/after analysis judges likely worse, as stored names: the insights
    page's own memoised report, which the worker computes after every change, so a clinician's
    list after many patients changed reads their verdicts instead of refitting every diary."""
    report, _ = _report(patient, today)
    if report is None:
        return []
    return [report[1][s.symptom] for s in report[0].symptoms if s.verdict == "likely_worse"]


def _report(
    patient: User, today: dt.date
) -> tuple[tuple[BeforeAfterReport, dict[str, str]] | None, str]:
    """(the insights page's report, shown name -> stored name), or None and why not."""
    diary, _ = insights.counted_diary(patient, today)
    if diary.empty or not diary.scores or diary.first_dose is None:
        return None, "Not enough diary data (a baseline and days on LDN) for the analysis yet."
    try:
        report = insights.before_after_report(patient.pk, diary, today)
    except AnalysisInputError as exc:
        return None, f"The analysis cannot run yet: {exc}."
    stored = {shown: name for name, shown in insights.sentence_case(list(diary.scores)).items()}
    return (report, stored), ""


# --- questionnaires ------------------------------------------------------------------------
@dataclass(frozen=True)
class QuestionnaireRecord:
    patient_id: int
    instrument: str  # "phq9", "gad7", "pgic"
    answers: dict[str, int]
    taken_on: dt.date


QuestionnaireSource = Callable[[Sequence[int]], Iterable[QuestionnaireRecord]]


def journal_questionnaires(patient_ids: Sequence[int]) -> list[QuestionnaireRecord]:
    rows = QuestionnaireResponse.objects.filter(patient_id__in=patient_ids).values_list(
        "patient_id", "instrument", "answers", "completed_on"
    )
    return [QuestionnaireRecord(pid, inst, dict(ans), day) for pid, inst, ans, day in rows]


QUESTIONNAIRE_SOURCES: list[QuestionnaireSource] = [journal_questionnaires]


def questionnaire_records(patient_ids: Sequence[int]) -> list[QuestionnaireRecord]:
    out: list[QuestionnaireRecord] = []
    for source in QUESTIONNAIRE_SOURCES:
        out.extend(source(patient_ids))
    return sorted(out, key=lambda r: (r.patient_id, r.taken_on))
