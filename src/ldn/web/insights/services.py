"""Everything the insights page shows, computed from the stored diary by the core.

The statistics are the core's (`ldn.analysis`); this module only loads, calls and shapes: phase
bands and averages for the charts' table twins, weekly adherence, side effects beside the
knowledge base's usual course, and the triggers worth testing. The diary is read on every
request; what follows from it (`Findings`) is memoised whole on its exact inputs, so a page view
after the worker's warm-up reads one cache entry and recomputes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from django.core.cache import cache
from django.template.loader import render_to_string

import ldn
from ldn.analysis import (
    AnalysisInputError,
    BeforeAfterReport,
    DailySeries,
    Forecast,
    SymptomResult,
    TriggerReport,
    analyse_before_after,
    forecast_detection,
    screen_triggers,
    side_effect_course,
    trial_pairs_needed,
)
from ldn.analysis.before_after import TREND_RULE_P
from ldn.analysis.side_effects import IncidenceCell
from ldn.analysis.triggers import TriggerAssociation
from ldn.journal import SIDE_EFFECTS
from ldn.knowledge import load_knowledge
from ldn.web import charts
from ldn.web.accounts.models import User
from ldn.web.insights.loader import Diary, load_diary
from ldn.web.therapy import plans as therapy_plans

T = TypeVar("T")
# Bump when the analysis code changes in a way the package version does not show.
MEMO_VERSION = f"{ldn.__version__}-3"
MEMO_SECONDS = 24 * 3600
# A computation in flight is announced for at most FLIGHT_SECONDS (a crashed process's mark
# expires); others wait for its result at most FLIGHT_WAIT_SECONDS, then compute themselves.
FLIGHT_SECONDS = 30
FLIGHT_WAIT_SECONDS = 5.0
FLIGHT_POLL_SECONDS = 0.02

VERDICT_LABELS = {
    "too_little_data": "Not enough data yet",
    "no_clear_change": "No clear change",
    "likely_better": "Likely better",
    "likely_worse": "Likely worse",
}
EXCLUDE_WEEK_CHOICES = (0, 2, 4, 8, 12)
SIDE_EFFECT_WEEKS = 12  # shown one by one; later weeks are pooled
RECENT_WEEKS = 12
# Journal side-effect codes -> knowledge-base side-effect slugs (the "usual course" text).
KB_SIDE_EFFECT = {
    "vivid_dreams": "vivid-dreams",
    "insomnia": "sleep-disturbance",
    "headache": "headache",
    "nausea": "nausea",
}


@dataclass(frozen=True)
class PhaseRow:
    name: str
    start: dt.date
    end: dt.date
    days_scored: int
    mean: float | None


@dataclass
class SymptomCard:
    result: SymptomResult
    verdict_label: str
    chart: charts.SeriesChart
    strip: charts.IntervalStrip | None
    phases: list[PhaseRow]
    slug: str
    trial_pairs: int | None = None  # offered when before/after cannot tell (trend, small effect)

    @property
    def offer_trial(self) -> bool:
        r = self.result
        downgraded = r.trend is not None and r.trend.downgraded
        return r.verdict == "no_clear_change" or downgraded


@dataclass(frozen=True)
class KnowRow:
    """'When will I know?' for one symptom: the forecast and the blinded trial it would size."""

    symptom: str
    forecast: Forecast
    trial_pairs: int | None
    answered: str = ""  # the verdict label when the before/after already answers it


@dataclass(frozen=True)
class TriggerRow:
    """One factor x symptom pair, numbers formatted once here (tables can hold hundreds)."""

    factor: str
    per_sd: bool
    symptom: str
    change: str
    q: str
    worth: bool
    sentence: str


@dataclass(frozen=True)
class AdherenceWeek:
    label: str
    start: dt.date
    end: dt.date
    days: int  # nights due (paused nights are not)
    taken: int
    missed: int
    not_logged: int


@dataclass
class Adherence:
    weeks: list[AdherenceWeek]
    days: int  # nights due
    taken: int
    missed: int
    not_logged: int
    bars: charts.Bars | None = None

    @property
    def recent(self) -> list[AdherenceWeek]:
        return self.weeks[::-1][:RECENT_WEEKS]

    @property
    def share(self) -> float:
        return self.taken / self.days if self.days else 0.0


@dataclass(frozen=True)
class UsualCourse:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class SideEffectRow:
    code: str
    name: str
    sentence: str
    cells: tuple[IncidenceCell, ...]  # weeks 1..12, then "week 13 onward"
    by_dose: tuple[IncidenceCell, ...]
    usual: UsualCourse | None


@dataclass
class Findings:
    """What the page shows that follows from the diary, today and the weeks left out alone;
    `html` is that part of the page, rendered once per memo entry."""

    exclude_weeks: int = 0
    message: str = ""
    report: BeforeAfterReport | None = None
    cards: list[SymptomCard] = field(default_factory=list)
    adherence: Adherence | None = None
    side_effects: list[SideEffectRow] = field(default_factory=list)
    side_effect_method: str = ""
    triggers: TriggerReport | None = None
    know: list[KnowRow] = field(default_factory=list)
    html: str = ""

    @property
    def worth_testing(self) -> list[TriggerAssociation]:
        if self.triggers is None:
            return []
        found = [a for a in self.triggers.associations if a.worth_testing]
        return sorted(found, key=lambda a: a.q_value or 1.0)

    @property
    def tested(self) -> list[TriggerRow]:
        if self.triggers is None:
            return []
        return [
            TriggerRow(
                a.factor,
                a.kind == "continuous",
                a.symptom,
                f"{a.effect:.1f} ({a.ci_low:.1f} to {a.ci_high:.1f})",
                f"{a.q_value:.2f}",
                a.worth_testing,
                a.sentence,
            )
            for a in self.triggers.associations
            if a.effect is not None
            and a.ci_low is not None
            and a.ci_high is not None
            and a.q_value is not None
        ]


@dataclass
class Dashboard:
    patient: User
    today: dt.date
    diary: Diary
    exclude_weeks: int
    message: str = ""
    report: BeforeAfterReport | None = None
    cards: list[SymptomCard] = field(default_factory=list)
    adherence: Adherence | None = None
    side_effects: list[SideEffectRow] = field(default_factory=list)
    side_effect_method: str = ""
    triggers: TriggerReport | None = None
    know: list[KnowRow] = field(default_factory=list)
    html: str = ""
    today_waits: bool = False  # today is in the diary and joins the analysis tomorrow


def sentence_case(names: list[str]) -> dict[str, str]:
    """'Pain' -> 'pain' for use inside sentences; names like 'ME crash' are left alone."""
    out = {n: n[0].lower() + n[1:] if n[:2].istitle() and len(n) > 1 else n for n in names}
    return out if len(set(out.values())) == len(out) else {n: n for n in names}


def _memo_key(patient_id: int, kind: str) -> str:
    return f"ldn-insights:{patient_id}:{kind}"


def memo(patient_id: int, kind: str, parts: Iterable[bytes], compute: Callable[[], T]) -> T:
    """Memo of a pure analysis, one slot per patient and kind, checked by a digest of its inputs.

    The slot holds (SHA-256 of the exact inputs, result). The diary is still read from the
    database on every request, so any change to it changes the digest; a hit therefore returns
    exactly what recomputing would return, never a stale result. The slot's name carries the
    patient, so `forget()` can remove all of a patient's results when the account is deleted.
    """
    digest = hashlib.sha256(f"{MEMO_VERSION}:{kind}".encode())
    for part in parts:
        digest.update(len(part).to_bytes(8, "little"))
        digest.update(part)
    key, hexdigest = _memo_key(patient_id, kind), digest.hexdigest()
    found = cache.get(key)
    if found is not None and found[0] == hexdigest:
        return found[1]  # type: ignore[no-any-return]
    # Single flight: the first process to miss these inputs computes them; another that misses
    # the same inputs meanwhile (the worker's warm-up and the page asked right after a check-in)
    # waits for that result instead of computing it a second time. (`add` is atomic on Redis,
    # the cache of a deployment with a worker; on the file cache two may still both compute.)
    flight = f"{key}:computing"
    if not cache.add(flight, hexdigest, FLIGHT_SECONDS):
        waited = _wait_for(key, flight, hexdigest)
        if waited is not None:
            return waited[1]  # type: ignore[no-any-return]
        owner = False  # gave up waiting (or another digest is in flight): compute alone
    else:
        owner = True
    try:
        value = compute()
        cache.set(key, (hexdigest, value), MEMO_SECONDS)
    finally:
        if owner:
            cache.delete(flight)
    return value


def _wait_for(key: str, flight: str, hexdigest: str) -> tuple[str, object] | None:
    """The slot's entry once the process computing the same digest has stored it; None when
    another digest is in flight, or the computation ended without storing it, or takes longer
    than FLIGHT_WAIT_SECONDS."""
    deadline = time.monotonic() + FLIGHT_WAIT_SECONDS
    while time.monotonic() < deadline:
        if cache.get(flight) != hexdigest:
            found = cache.get(key)  # stored just before the flight ended?
            return found if found is not None and found[0] == hexdigest else None
        time.sleep(FLIGHT_POLL_SECONDS)
        found = cache.get(key)
        if found is not None and found[0] == hexdigest:
            return found  # type: ignore[no-any-return]
    return None


def memo_kinds() -> list[str]:
    return [
        f"{kind}-{weeks}" for kind in ("before-after", "page") for weeks in EXCLUDE_WEEK_CHOICES
    ] + [
        "triggers",
        "when-will-i-know",
    ]


def forget(patient_id: int) -> None:
    """Remove every cached result of a patient, and the marks of those in flight (account
    deletion)."""
    keys = [_memo_key(patient_id, kind) for kind in memo_kinds()]
    cache.delete_many(keys + [f"{key}:computing" for key in keys])


def _array_parts(arrays: dict[str, np.ndarray]) -> list[bytes]:
    out = []
    for name, values in arrays.items():
        out += [name.encode(), np.ascontiguousarray(values, dtype=np.float64).tobytes()]
    return out


def _diary_parts(diary: Diary) -> list[bytes]:
    """Every input of the page's analyses, as bytes for the memo's digest."""
    return [
        repr((diary.dates[:1], len(diary.dates), diary.trial_windows)).encode(),
        np.ascontiguousarray(diary.dose_mg, dtype=np.float64).tobytes(),
        "|".join(diary.status.tolist()).encode(),
        b"scores",
        *_array_parts(diary.scores),
        b"factors",
        *_array_parts(diary.factors),
        b"side effects",
        *_array_parts(diary.side_effects),
    ]


def counted_diary(patient: User, today: dt.date) -> tuple[Diary, bool]:
    """The diary every analysis of the patient counts (insights, the clinician's verdicts and
    flags): whole days, up to yesterday in the patient's time zone. Also whether a day from
    today on is recorded and left out (it joins tomorrow). Counting whole days keeps a verdict
    from moving with each edit of a day still in progress, and lets a check-in leave the
    memoised analysis as it is."""
    whole = load_diary(patient)
    counted = whole.before(today)
    return counted, len(counted.dates) < len(whole.dates)


def build_dashboard(patient: User, today: dt.date, exclude_weeks: int = 0) -> Dashboard:
    diary, waiting = counted_diary(patient, today)
    usual = _usual_courses()
    # Adherence counts from the plan (pauses) as well as the diary: computed outside the memo
    # (three queries) and part of its key, so a new pause redraws the page.
    adherence = adherence_card(patient, diary, today)
    parts = [
        today.isoformat().encode(),
        repr(adherence).encode(),
        str(exclude_weeks).encode(),
        repr(sorted(usual.items())).encode(),
        *_diary_parts(diary),
    ]

    def compute() -> Findings:
        found = findings(patient.pk, diary, today, exclude_weeks, usual, adherence)
        context = {"board": found, "exclude_choices": EXCLUDE_WEEK_CHOICES}
        found.html = render_to_string("insights/_findings.html", context)
        return found

    found = memo(patient.pk, f"page-{exclude_weeks}", parts, compute)
    return Dashboard(
        patient,
        today,
        diary,
        exclude_weeks,
        found.message,
        found.report,
        found.cards,
        found.adherence,
        found.side_effects,
        found.side_effect_method,
        found.triggers,
        found.know,
        found.html,
        waiting,
    )


def findings(
    patient_id: int,
    diary: Diary,
    today: dt.date,
    exclude_weeks: int = 0,
    usual: dict[str, UsualCourse] | None = None,
    adherence: Adherence | None = None,
) -> Findings:
    board = Findings(exclude_weeks)
    names = sentence_case(list(diary.scores))
    if not diary.scores:
        board.message = (
            "You track no symptoms yet. Add the ones that matter to you (Your symptoms, from the "
            "dashboard) and score them in your daily check-in: the analysis is made from them."
        )
        return board
    if diary.empty:
        board.message = (
            "No whole day in your diary yet. Check in daily: the analysis appears here from "
            "the day after your first check-in."
        )
        return board
    board.know = when_will_i_know(patient_id, diary, today)
    if diary.first_dose is None:
        board.message = (
            f"You have {len(diary.dates)} whole days in your diary and no LDN dose logged yet. "
            "Keep checking in: about four weeks before your first dose make a good baseline."
        )
    else:
        try:
            board.report = before_after_report(patient_id, diary, today, exclude_weeks)
        except AnalysisInputError as exc:
            board.message = f"The analysis cannot run yet: {exc}."
        if board.report is not None:
            board.cards = _cards(diary, board.report, {v: k for k, v in names.items()})
        board.adherence = adherence
        board.side_effects, board.side_effect_method = _side_effects(diary, usual or {})
    if len(diary.dates) >= 28 and diary.factors:
        day = np.arange(len(diary.dates), dtype=np.int64)
        scores = {names[n]: v for n, v in diary.scores.items()}
        parts = [b"scores", *_array_parts(scores), b"factors", *_array_parts(diary.factors)]
        board.triggers = memo(
            patient_id, "triggers", parts, lambda: screen_triggers(day, scores, diary.factors)
        )
    return board


def before_after_report(
    patient_id: int, diary: Diary, today: dt.date, exclude_weeks: int = 0
) -> BeforeAfterReport:
    """The core's before/after report for this diary (memoised on its exact inputs)."""
    names = sentence_case(list(diary.scores))
    # The diary comes from validated rows (one per day, scores 0-10), so the series is built
    # from its arrays directly; `Diary.frame()` -> `daily_series_from_frame` gives the same.
    series = DailySeries(
        diary.dates,
        diary.dose_mg,
        {names[n]: v for n, v in diary.analysis_scores().items()},
    )
    parts = [
        str(diary.dates[0].toordinal()).encode(),
        str(exclude_weeks).encode(),
        today.isoformat().encode(),
        np.ascontiguousarray(diary.dose_mg).tobytes(),
        *_array_parts(series.scores),
    ]
    return memo(
        patient_id,
        f"before-after-{exclude_weeks}",
        parts,
        lambda: analyse_before_after(series, exclude_weeks=exclude_weeks, today=today),
    )


def _cards(
    diary: Diary, report: BeforeAfterReport, stored_name: dict[str, str]
) -> list[SymptomCard]:
    labels = report.plan.labels
    cards = []
    for i, result in enumerate(report.symptoms):
        values = diary.scores[stored_name[result.symptom]]
        chart = charts.series_chart(diary.dates, values, labels)
        strip = None
        if result.effect is not None and result.ci_low is not None and result.ci_high is not None:
            strip = charts.interval_strip(
                result.effect, result.ci_low, result.ci_high, result.mcid.points
            )
        phases = [
            _phase_row(b, values[diary.index(b.start) : diary.index(b.end) + 1])
            for b in chart.bands
        ]
        cards.append(
            SymptomCard(
                result,
                VERDICT_LABELS[result.verdict],
                chart,
                strip,
                phases,
                f"symptom-{i + 1}",
                _pairs(result.forecast),
            )
        )
    return cards


def _pairs(forecast: Forecast | None) -> int | None:
    """Pairs of 2-week periods for an 80% chance to detect 2 points (the forecast's own noise)."""
    if forecast is None or forecast.sigma is None or forecast.phi is None:
        return None
    # The forecast's phi may be a chance negative estimate (it is not cut at 0, see forecast._noise);
    # the trial is sized as if none, never as if period means were steadier than independent days.
    return trial_pairs_needed(forecast.sigma, max(forecast.phi, 0.0), 2.0)


def know_rows(patient: User, today: dt.date) -> list[KnowRow]:
    """The insights page's "when will I know?" rows alone (the dashboard's card): the same
    memoised forecasts on the same whole days, without the rest of the page."""
    diary, _ = counted_diary(patient, today)
    return when_will_i_know(patient.pk, diary, today)


def when_will_i_know(patient_id: int, diary: Diary, today: dt.date) -> list[KnowRow]:
    """Per symptom, from the first week of baseline: the date 1 and 2 points would be detectable
    at 80% power, with the same verdict the insights page uses (Bonferroni over the symptoms)."""
    if diary.empty or not diary.scores:
        return []
    scores = diary.analysis_scores()
    if diary.first_dose is not None:
        # On LDN: the forecasts are the report's own, beside the verdict they lead to.
        try:
            report = before_after_report(patient_id, diary, today)
        except AnalysisInputError:  # e.g. LDN from the first diary day: no baseline to compare
            return []
        stored = {v: k for k, v in sentence_case(list(diary.scores)).items()}
        return [
            KnowRow(
                stored[s.symptom],
                s.forecast,
                _pairs(s.forecast),
                VERDICT_LABELS[s.verdict] if s.verdict in ("likely_better", "likely_worse") else "",
            )
            for s in report.symptoms
            if s.forecast is not None
        ]

    def compute() -> list[KnowRow]:
        rows = []
        for name, values in scores.items():
            fc = forecast_detection(
                diary.dates,
                values,
                today=today,
                start=None,
                settled_start=None,
                n_symptoms=len(scores),
                rule_cost=TREND_RULE_P,
            )
            rows.append(KnowRow(name, fc, _pairs(fc)))
        return rows

    parts = [
        today.isoformat().encode(),
        str(diary.dates[0].toordinal()).encode(),
        np.ascontiguousarray(diary.dose_mg).tobytes(),
        *_array_parts(scores),
    ]
    return memo(patient_id, "when-will-i-know", parts, compute)


def _phase_row(band: charts.Band, values: np.ndarray) -> PhaseRow:
    seen = values[~np.isnan(values)]
    return PhaseRow(
        band.name, band.start, band.end, int(seen.size), float(seen.mean()) if seen.size else None
    )


def adherence_card(patient: User, diary: Diary, today: dt.date) -> Adherence | None:
    """Doses taken per week up to yesterday by the one definition (therapy.plans.adherence_of,
    ldn.dosing.adherence): from the current plan's start, or the first dose without a plan."""
    first = diary.first_dose
    if first is None:
        return None
    counted = therapy_plans.adherence_of(patient, today - dt.timedelta(days=1))
    if counted is None or not counted.weeks:
        return None
    weeks = [
        AdherenceWeek(
            f"Week of {w.week_start:%-d %b}",
            max(w.week_start, counted.start),
            min(w.week_start + dt.timedelta(days=6), counted.end),
            w.planned,
            w.taken,
            w.missed,
            w.unrecorded,
        )
        for w in counted.weeks
    ]
    bars = charts.adherence_bars([w.taken / w.days if w.days else 0.0 for w in weeks])
    return Adherence(weeks, counted.due, counted.taken, counted.missed, counted.unlogged, bars=bars)


def _usual_courses() -> dict[str, UsualCourse]:
    kb = load_knowledge()
    by_slug = {s.slug: s for s in kb.side_effects.items}
    out = {}
    for code, slug in KB_SIDE_EFFECT.items():
        item = by_slug.get(slug)
        if item is None:
            continue
        sources = []
        for key in item.description.refs:
            ref = kb.reference(key)
            who = ref.short_name or ref.authors[0].split()[0].rstrip(",")
            sources.append(f"{who} {ref.year}" if ref.year else who)
        out[code] = UsualCourse(item.description.text, tuple(sources))
    return out


def _side_effects(diary: Diary, usual: dict[str, UsualCourse]) -> tuple[list[SideEffectRow], str]:
    first = diary.first_dose
    if first is None or not diary.side_effects:
        return [], ""
    # Weeks after the 12th are pooled: the core groups by week of the date, so those days are
    # given the first day of week 13 (their dose, used for the by-dose table, is unchanged).
    pooled_from = first + dt.timedelta(days=7 * SIDE_EFFECT_WEEKS)
    dates = [min(d, pooled_from) for d in diary.dates]
    report = side_effect_course(dates, diary.dose_mg, diary.side_effects)
    rows = []
    for course in report.effects:
        cells = tuple(
            IncidenceCell(
                f"week {SIDE_EFFECT_WEEKS + 1} onward"
                if c.group == f"week {SIDE_EFFECT_WEEKS + 1}"
                else c.group,
                c.days_recorded,
                c.days_with,
                c.proportion,
                c.ci_low,
                c.ci_high,
            )
            for c in course.by_week
        )
        if not any(c.days_with for c in cells):
            continue
        name = SIDE_EFFECTS.get(course.name, course.name)
        rows.append(
            SideEffectRow(
                course.name,
                name,
                _side_sentence(name, cells),
                cells,
                course.by_dose,
                usual.get(course.name),
            )
        )
    return rows, report.method


def _side_sentence(name: str, cells: tuple[IncidenceCell, ...]) -> str:
    seen = [c for c in cells if c.days_recorded]
    first, last = seen[0], seen[-1]
    text = f"{name}: {first.days_with} of {first.days_recorded} days in {first.group}"
    if last is not first:
        text += f", {last.days_with} of {last.days_recorded} days in {last.group}"
    return text + "."
