"""The flags on the clinician's patient list: computed in batch into PatientFlags, refreshed
when a patient's record changes (on commit) and, for the date-dependent ones, once a day when
the list is first opened. Thresholds and their sources are in data/flags.yaml.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.cache import cache as shared_cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import (
    Case,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Greatest
from huey.contrib.djhuey import db_task

from ldn import datafiles
from ldn.journal.questionnaires import QuestionnaireError, score_questionnaire
from ldn.web.accounts import clock
from ldn.web.accounts.models import PatientProfile, Share, User
from ldn.web.clinic import integrations
from ldn.web.clinic.models import PatientFlags
from ldn.web.journal.models import DailyEntry
from ldn.web.therapy import plans as therapy_plans
from ldn.web.therapy.models import PlanVersion

PAGE_SIZE = 50
SORTS = {
    "attention": ("-worst", "-needs", "display_name"),
    "name": ("display_name",),
    "last_entry": (F("last_entry").desc(nulls_last=True), "display_name"),
    "adherence": (F("adherence_pct").asc(nulls_last=True), "display_name"),
}


@cache
def rules() -> dict[str, Any]:
    loaded: dict[str, Any] = datafiles.load("ldn.web.clinic", "data/flags.yaml")
    return loaded


def flag_labels() -> dict[str, str]:
    f = rules()["flags"]
    return {
        "contraindication": f["contraindication"]["label"],
        "adherence": f["adherence_low"]["label"],
        "likely_worse": f["likely_worse"]["label"],
        "side_effect": f["new_side_effect"]["label"],
        "follow_up": f["follow_up_overdue"]["label"],
        "questionnaire": f["questionnaire"]["label"],
    }


# --- computing ------------------------------------------------------------------------------
def _new_side_effects(todays: Mapping[int, dt.date]) -> dict[int, list[str]]:
    spec = rules()["flags"]["new_side_effect"]
    recent_days, lookback = int(spec["recent_days"]), int(spec["lookback_days"])
    recent: dict[int, set[str]] = defaultdict(set)
    before: dict[int, set[str]] = defaultdict(set)
    if not todays:
        return {}
    rows = (
        DailyEntry.objects.filter(
            patient_id__in=list(todays),
            day__gte=min(todays.values()) - dt.timedelta(days=recent_days - 1 + lookback),
            day__lte=max(todays.values()),
        )
        .exclude(side_effects=[])
        .values_list("patient_id", "day", "side_effects")
    )
    for pid, day, codes in rows:
        recent_from = todays[pid] - dt.timedelta(days=recent_days - 1)
        if day > todays[pid] or day < recent_from - dt.timedelta(days=lookback):
            continue
        (recent if day >= recent_from else before)[pid].update(codes or [])
    return {
        pid: sorted(codes - before[pid]) for pid, codes in recent.items() if codes - before[pid]
    }


def questionnaire_alerts(
    records: Sequence[integrations.QuestionnaireRecord],
) -> dict[int, list[dict[str, str]]]:
    """Alerts from each patient's latest result per instrument (rules in flags.yaml)."""
    latest: dict[tuple[int, str], integrations.QuestionnaireRecord] = {}
    for r in records:  # sorted by date: the last one wins
        latest[(r.patient_id, r.instrument)] = r
    out: dict[int, list[dict[str, str]]] = defaultdict(list)
    for (pid, instrument), record in sorted(latest.items()):
        try:
            result = score_questionnaire(instrument, record.answers)
        except QuestionnaireError:
            continue
        core_flags = {f.id for f in result.flags}
        for rule in rules()["flags"]["questionnaire"]["rules"]:
            if rule["instrument"] != instrument:
                continue
            hit = rule.get("core_flag") in core_flags or rule.get("band") == result.band
            if hit:
                out[pid].append(
                    {
                        "id": rule["id"],
                        "message": " ".join(str(rule["message"]).split()),
                        "on": record.taken_on.isoformat(),
                        "immediate": "yes" if rule.get("immediate") else "",
                    }
                )
    return out


def _names(patient_ids: Sequence[int]) -> dict[int, str]:
    return {
        u.pk: (u.get_full_name() or u.get_username())
        for u in User.objects.filter(pk__in=patient_ids).only("username", "first_name", "last_name")
    }


def _doses(todays: Mapping[int, dt.date]) -> dict[int, float | None]:
    latest: dict[int, PlanVersion] = {}
    for row in PlanVersion.objects.filter(patient_id__in=list(todays)).order_by("number"):
        latest[row.patient_id] = row
    return {pid: therapy_plans.to_core(row).dose_on(todays[pid]) for pid, row in latest.items()}


def compute(
    patient_ids: Sequence[int], today: dt.date | None = None, *, full: Sequence[int] = ()
) -> list[PatientFlags]:
    """PatientFlags rows (unsaved) for `patient_ids`; the analysis verdicts (slow) are
    recomputed only for the ids in `full`, the others keep their stored value.

    Each patient's flags count from their own today (clock.local_todays); `today`, when given,
    is used for every patient instead. `computed_for` is the UTC date of the computation (the
    stamp `_dated` compares), or `today` when given."""
    ids = list(patient_ids)
    now = clock.now()
    todays = {pid: today for pid in ids} if today else clock.local_todays(ids, now)
    stamp = today or clock.utc_today(now)
    threshold = float(rules()["flags"]["adherence_low"]["threshold_pct"])
    window = int(rules()["flags"]["adherence_low"]["window_days"])
    names = _names(ids)
    last = dict(
        DailyEntry.objects.filter(patient_id__in=ids)
        .values("patient_id")
        .annotate(last=Max("day"))
        .values_list("patient_id", "last")
    )
    adherence = integrations.adherence_batch(todays, window)
    doses = _doses(todays)
    contra = integrations.unresolved_contraindications_batch(ids)
    overdue = integrations.overdue_since_batch(ids, now)
    side = _new_side_effects(todays)
    alerts = questionnaire_alerts(integrations.questionnaire_records(ids))
    stored = {
        pid: worse
        for pid, worse in PatientFlags.objects.filter(patient_id__in=ids).values_list(
            "patient_id", "likely_worse"
        )
    }
    full_set = set(full)
    rows = []
    for pid in ids:
        worse = (
            integrations.likely_worse(User(pk=pid), todays[pid])
            if pid in full_set
            else stored.get(pid, [])
        )
        counted = adherence.get(pid)
        pct = counted.pct if counted else None
        row = PatientFlags(
            patient_id=pid,
            stale=False,
            computed_for=stamp,
            display_name=names.get(pid, str(pid)),
            last_entry=last.get(pid),
            current_dose_mg=doses.get(pid),
            adherence_pct=pct,
            adherence_low=pct is not None and pct < threshold,
            missed_doses=counted.missed if counted else 0,
            unlogged_nights=counted.unlogged if counted else 0,
            contraindications=len(contra.get(pid, [])),
            likely_worse=worse,
            new_side_effects=side.get(pid, []),
            overdue_since=overdue.get(pid),
            questionnaire_alerts=alerts.get(pid, []),
        )
        row.has_contraindication = row.contraindications > 0
        row.has_likely_worse = bool(worse)
        row.has_new_side_effect = bool(row.new_side_effects)
        row.has_questionnaire_alert = bool(row.questionnaire_alerts)
        row.has_item9 = any(a["id"] == "phq9_item9" for a in row.questionnaire_alerts)
        row.attention = sum(
            [
                row.has_contraindication,
                row.adherence_low,
                row.has_likely_worse,
                row.has_new_side_effect,
                row.has_questionnaire_alert,
            ]
        )
        rows.append(row)
    return rows


FIELDS = [f.name for f in PatientFlags._meta.concrete_fields if f.name != "patient"]


def save(rows: Sequence[PatientFlags]) -> None:
    """Upsert in one statement per batch (SQLite and PostgreSQL both support it)."""
    PatientFlags.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["patient"], update_fields=FIELDS, batch_size=500
    )


def refresh(patient_ids: Sequence[int], today: dt.date | None = None, *, full: bool = True) -> None:
    if not patient_ids:
        return
    save(compute(patient_ids, today, full=list(patient_ids) if full else ()))


# --- refresh on writes ---------------------------------------------------------------------
_pending = threading.local()


def _refresh_shared(ids: set[int]) -> None:
    shared = set(
        Share.objects.active().filter(patient_id__in=ids).values_list("patient_id", flat=True)
    )
    refresh(sorted(shared))


# The worker recomputes a changed row this long after the change, so a patient's writes within
# it (a check-in, then its correction) cost one recomputation, not one each. Nobody waits for
# it: the list and the patient view recompute stale rows themselves when read.
REFRESH_DELAY_SECONDS = 30


def _soon_key(patient_id: int) -> str:
    return f"ldn-flags-refresh:{patient_id}"


def refresh_soon(patient_ids: Sequence[int]) -> None:
    """Queue `refresh_later` for the patients who have none waiting (REFRESH_DELAY_SECONDS on)."""
    due = [
        pid
        for pid in patient_ids
        if shared_cache.add(_soon_key(pid), 1, 4 * REFRESH_DELAY_SECONDS + 60)
    ]
    if due:
        refresh_later.schedule((due,), delay=REFRESH_DELAY_SECONDS)


@db_task()
def refresh_later(patient_ids: list[int]) -> None:
    """Recompute the changed patients' rows in the worker (a Huey task, registered on import).
    A change from here on queues the next run."""
    shared_cache.delete_many([_soon_key(pid) for pid in patient_ids])
    _refresh_shared(set(patient_ids))


def patient_changed(patient_id: int) -> None:
    """Called by signals when a patient's record changes.

    The row is marked stale at once (in the same transaction, so a rollback undoes it) and the
    list and the patient view recompute stale rows when they are read; after commit the worker
    also recomputes the row (`refresh_soon`), once per transaction, for patients who share
    with a clinician (nobody else sees flags). The patient's own request, a check-in, no longer
    waits for the flags and their before/after analysis.
    """
    PatientFlags.objects.filter(patient_id=patient_id, stale=False).update(stale=True)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        refresh_soon([patient_id])
        return
    key = id(connection.atomic_blocks[0])
    if getattr(_pending, "key", None) != key:
        _pending.key, _pending.ids = key, set()
    ids: set[int] = _pending.ids
    if patient_id in ids:
        return
    ids.add(patient_id)
    if len(ids) == 1:

        def run() -> None:
            batch, _pending.ids, _pending.key = set(_pending.ids), set(), None
            refresh_soon(sorted(batch))

        transaction.on_commit(run)


# --- the list ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ListParams:
    q: str = ""
    flag: str = ""
    sort: str = "attention"
    page: int = 1


DATED_PER_REQUEST = 100  # the hourly task does the rest; a page view must stay fast
# Rows marked stale whose before/after analysis the list reruns itself, at most, per view (each
# can cost ~0.1-0.2 s of fitting when the insights memo has not been made yet). The worker
# (`refresh_soon`) recomputes every changed row after its commit; when it is behind, the rest
# get their other flags fresh, keep the last analysis flag and stay marked stale, and the list
# says their analysis is being updated (a later view or the worker finishes them). Measured under
# load: with every row recomputed in the view the list's p95 was 7.6-31 s (docs/performance.md).
FULL_PER_REQUEST = 10


def _dated(patient_ids: QuerySet[Any] | Sequence[int], today: dt.date) -> QuerySet[PatientFlags]:
    return PatientFlags.objects.filter(patient_id__in=patient_ids, stale=False).filter(
        Q(computed_for__lt=today) | Q(computed_for__isnull=True)
    )


def refresh_dated(today: dt.date | None = None, batch: int = 500) -> int:
    """Recompute the date-dependent parts of every row computed on an earlier day."""
    shared = Share.objects.active().values("patient_id")
    ids = list(_dated(shared, today or clock.utc_today()).values_list("patient_id", flat=True))
    for i in range(0, len(ids), batch):
        save(compute(ids[i : i + batch], today))
    return len(ids)


def _ensure_fresh(clinician: User, today: dt.date | None) -> None:
    """Rows for new shares (in full) and rows marked stale (in full up to FULL_PER_REQUEST, the
    rest without rerunning the analysis); rows from an earlier day (their date-dependent parts),
    at most DATED_PER_REQUEST per view, the task does the rest."""
    share_ids = Share.objects.active().filter(clinician=clinician).values("patient_id")
    missing = list(
        User.objects.filter(pk__in=share_ids, clinic_flags__isnull=True).values_list(
            "pk", flat=True
        )
    )
    stale = list(
        PatientFlags.objects.filter(patient_id__in=share_ids, stale=True).values_list(
            "patient_id", flat=True
        )
    )
    stamp = today or clock.utc_today()
    dated = list(_dated(share_ids, stamp).values_list("patient_id", flat=True)[:DATED_PER_REQUEST])
    if missing or stale:
        full = set(missing + stale[: max(FULL_PER_REQUEST - len(missing), 0)])
        rows = compute(missing + stale, today, full=sorted(full))
        for row in rows:
            row.stale = row.patient_id not in full  # analysis flag not rerun: still to do
        save(rows)
    if dated:
        save(compute(dated, today))


def _visible(flag: str, area: str) -> Q:
    """The condition under which a row shows `flag` to the reader: set, and the reader's share
    covers its area (`areas_text` is the share's area list as JSON text)."""
    condition = {
        "phq9_item9": Q(has_item9=True),
        "contraindication": Q(has_contraindication=True),
        "questionnaire": Q(has_questionnaire_alert=True),
        "likely_worse": Q(has_likely_worse=True),
        "new_side_effect": Q(has_new_side_effect=True),
        "adherence_low": Q(adherence_low=True),
        "follow_up_overdue": Q(overdue_since__lt=clock.now()),
    }[flag]
    return condition & Q(areas_text__contains=f'"{area}"')


def _severity_annotations() -> dict[str, Any]:
    """`worst`: the rank of the worst visible flag; `needs`: how many flags are visible."""
    ranks = rules()["severity_order"]["ranks"]
    counted = [r for r in ranks if r["flag"] != "phq9_item9"]  # item 9 is a questionnaire flag
    worst = [
        Case(When(_visible(r["flag"], r["area"]), then=Value(int(r["rank"]))), default=Value(0))
        for r in ranks
    ]
    needs = [
        Case(When(_visible(r["flag"], r["area"]), then=Value(1)), default=Value(0)) for r in counted
    ]
    total = needs[0]
    for term in needs[1:]:
        total = total + term
    return {
        "worst": Greatest(*worst, output_field=IntegerField()),
        "needs": ExpressionWrapper(total, output_field=IntegerField()),
    }


FILTER_FLAGS = {
    "contraindication": ("contraindication", "medications"),
    "adherence": ("adherence_low", "plan"),
    "likely_worse": ("likely_worse", "analysis"),
    "side_effect": ("new_side_effect", "journal"),
    "follow_up": ("follow_up_overdue", "plan"),
    "questionnaire": ("questionnaire", "questionnaires"),
}


def patient_list(clinician: User, params: ListParams, today: dt.date | None = None) -> Page:
    _ensure_fresh(clinician, today)
    shares = Share.objects.active().filter(clinician=clinician)
    areas = Subquery(
        shares.filter(patient_id=OuterRef("patient_id")).order_by("-created_at").values("areas")[:1]
    )
    qs: QuerySet[PatientFlags] = (
        PatientFlags.objects.filter(patient_id__in=shares.values("patient_id"))
        .annotate(areas_text=Cast(areas, TextField()))
        .annotate(**_severity_annotations())
    )
    if params.q:
        qs = qs.filter(display_name__icontains=params.q)
    if params.flag in FILTER_FLAGS:
        qs = qs.filter(_visible(*FILTER_FLAGS[params.flag]))
    qs = qs.order_by(*SORTS.get(params.sort, SORTS["attention"]))
    page = Paginator(qs, PAGE_SIZE).get_page(params.page)
    for row in page.object_list:
        row.shared = shared_areas_of(row.areas_text)
        row.chips = chips(row, row.shared)
    return page


def shared_areas_of(text: str | None) -> set[str]:
    try:
        loaded = json.loads(text or "[]")
    except ValueError:
        return set()
    return {str(a) for a in loaded} if isinstance(loaded, list) else set()


@dataclass(frozen=True)
class Chip:
    """One flag in words, as the list and the patient view show it."""

    flag: str
    rank: int
    text: str
    urgent: bool


def chips(row: PatientFlags, areas: set[str], now: dt.datetime | None = None) -> list[Chip]:
    """The row's flags that `areas` cover, worst first, each a sentence a clinician reads."""
    now = now or clock.now()
    labels = flag_labels()
    rank = {r["flag"]: int(r["rank"]) for r in rules()["severity_order"]["ranks"]}
    out: list[Chip] = []
    if "questionnaires" in areas:
        for a in row.questionnaire_alerts:
            flag = "phq9_item9" if a["id"] == "phq9_item9" else "questionnaire"
            out.append(Chip(flag, rank[flag], f"{a['message']} ({a['on']})", flag == "phq9_item9"))
    if "medications" in areas and row.has_contraindication:
        n = row.contraindications
        out.append(
            Chip(
                "contraindication",
                rank["contraindication"],
                f"{labels['contraindication']}{'' if n == 1 else f' ({n})'}: see medications",
                True,
            )
        )
    if "analysis" in areas and row.has_likely_worse:
        text = f"{labels['likely_worse']}: {', '.join(row.likely_worse)}"
        out.append(Chip("likely_worse", rank["likely_worse"], text, False))
    if "journal" in areas and row.has_new_side_effect:
        text = f"{labels['side_effect']}: {', '.join(row.side_effect_names).lower()}"
        out.append(Chip("new_side_effect", rank["new_side_effect"], text, False))
    if "plan" in areas and row.adherence_low:
        window = rules()["flags"]["adherence_low"]["window_days"]
        text = (
            f"{labels['adherence']}: {row.adherence_pct or 0:.0f}% of due doses taken in "
            f"{window} days ({_count(row.missed_doses, 'dose')} logged as skipped, "
            f"{_count(row.unlogged_nights, 'night')} not logged)"
        )
        out.append(Chip("adherence_low", rank["adherence_low"], text, False))
    if "plan" in areas and row.overdue_since and row.overdue_since < now:
        text = f"{labels['follow_up']} since {row.overdue_since:%-d %b}"
        out.append(Chip("follow_up_overdue", rank["follow_up_overdue"], text, False))
    return sorted(out, key=lambda c: -c.rank)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def current_row(patient: User, today: dt.date) -> PatientFlags:
    """The patient's flags, recomputed first when missing, marked stale or from an earlier day:
    the patient view never shows an out-of-date "Nothing flagged"."""
    row = PatientFlags.objects.filter(patient=patient).first()
    if row is None or row.stale:
        save(compute([patient.pk], today, full=[patient.pk]))
    elif row.computed_for is None or row.computed_for < today:
        save(compute([patient.pk], today))
    else:
        return row
    return PatientFlags.objects.get(patient=patient)


def synthetic_ids(patient_ids: Sequence[int]) -> set[int]:
    return set(
        PatientProfile.objects.filter(user_id__in=patient_ids, is_synthetic=True).values_list(
            "user_id", flat=True
        )
    )
