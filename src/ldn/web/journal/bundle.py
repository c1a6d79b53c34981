"""Everything a patient owns, as the sections of the JSON export, and their restore on import.

`export_bundle` reads every section (docs/import-export.md describes each); `apply_import`
adds to an account what a JSON export brings beyond days, all-or-nothing with the days, adding
only what is not already there so a second import of the same file adds nothing. Account
identity, shares, the access log and clinicians' notes belong to the accounts involved: they are
exported for the patient to keep but not restored into another account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from ldn.interop import ExportBundle, ImportPreview
from ldn.web.accounts.clock import forget_zone
from ldn.web.accounts.models import PatientProfile, Share, User
from ldn.web.clinic.models import (
    AuditEvent,
    ClinicianNote,
    FollowUpOutcome,
    VisitQuestion,
)
from ldn.web.insights.models import SealedAllocation, Trial
from ldn.web.insights.trial import TrialStateError
from ldn.web.insights.trial import _schedule as unblinded_schedule_of
from ldn.web.journal import records
from ldn.web.journal.models import EntryRevision, Medication, QuestionnaireResponse, Symptom
from ldn.web.living import export as living
from ldn.web.therapy.models import Acknowledgement, FollowUp, PlanVersion, ReminderSettings
from ldn.web.therapy.plans import to_core


class RestoreError(ValueError):
    """A section of an export cannot be stored as it is (names the section and the fault)."""


# Sections an import restores into the importing account; the others are the patient's copy.
RESTORED = (
    "profile",
    "symptoms",
    "days",
    "revisions",
    "questionnaires",
    "medications",
    "acknowledgements",
    "plan_versions",
    "reminder_settings",
    "follow_ups",
    "visit_questions",
    "trials",
    *living.SECTIONS,
)
NOT_RESTORED = ("account", "clinician_notes", "shares", "access_log")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _fields(obj: models.Model, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """Every stored, non-relational field of `obj` (so fields other branches add are exported)."""
    return {
        f.name: _plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if not f.is_relation and not f.primary_key and f.name not in skip
    }


def _who(patient: User, person: User | None, name: str = "") -> str | None:
    if person is not None and person.pk == patient.pk:
        return "patient"
    return (person.get_username() if person is not None else name) or None


def export_bundle(patient: User, now: dt.datetime | None = None) -> ExportBundle:
    """Every section of the export for `patient` (see the schema, data/export.schema.json)."""
    profile = PatientProfile.objects.filter(user=patient).first()
    reminders = ReminderSettings.objects.filter(patient=patient).first()
    held = dict(
        FollowUpOutcome.objects.filter(patient=patient).values_list("follow_up_id", "held_at")
    )
    trials = list(Trial.objects.filter(patient=patient).select_related("primary_symptom"))
    sealed = {
        s.trial_id: s
        for s in SealedAllocation.objects.filter(trial__in=[t for t in trials if t.is_unblinded])
    }
    return ExportBundle(
        exported_at=now or timezone.now(),
        account={"username": patient.get_username(), "email": patient.email},
        profile=_fields(profile, ("is_synthetic",)) if profile else {"time_zone": "UTC"},
        days=tuple(records.day_records(patient)),
        reminder_settings={
            "email_missed_dose": reminders.email_missed_dose,
            "email_follow_up": reminders.email_follow_up,
        }
        if reminders
        else None,
        symptoms=tuple(_fields(s) for s in Symptom.objects.filter(patient=patient)),
        revisions=tuple(
            {
                "day": r.day.isoformat(),
                "action": r.action,
                "before": r.before,
                "changed_by": _who(patient, r.changed_by),
                "changed_at": _plain(r.changed_at),
            }
            for r in EntryRevision.objects.filter(patient=patient)
            .select_related("changed_by")
            .order_by("changed_at", "pk")
        ),
        questionnaires=tuple(
            _fields(q, ("created_at",))
            for q in QuestionnaireResponse.objects.filter(patient=patient).order_by(
                "completed_on", "created_at", "pk"
            )
        ),
        medications=tuple(
            _fields(m) for m in Medication.objects.filter(patient=patient).order_by("name", "pk")
        ),
        acknowledgements=tuple(
            {
                "input_key": a.input_key,
                "rule": a.rule,
                "note": a.note,
                "acknowledged_by": _who(patient, a.acknowledged_by),
                "acknowledged_at": _plain(a.acknowledged_at),
            }
            for a in Acknowledgement.objects.filter(patient=patient)
            .select_related("acknowledged_by")
            .order_by("acknowledged_at", "pk")
        ),
        plan_versions=tuple(
            {
                "number": p.number,
                "name": p.name,
                "start": p.start.isoformat(),
                "steps": p.steps,
                "pauses": p.pauses,
                "author": _who(patient, p.author, p.author_name) or p.author_name,
                "reason": p.reason,
                "created_at": _plain(p.created_at),
            }
            for p in PlanVersion.objects.filter(patient=patient).select_related("author")
        ),
        follow_ups=tuple(
            {
                "when": _plain(f.when),
                "note": f.note,
                "created_at": _plain(f.created_at),
                "held_at": _plain(held.get(f.pk)),
            }
            for f in FollowUp.objects.filter(patient=patient).order_by("when", "pk")
        ),
        visit_questions=tuple(
            {"text": q.text, "created_at": _plain(q.created_at)}
            for q in VisitQuestion.objects.filter(patient=patient)
        ),
        clinician_notes=tuple(
            {"author": n.author.get_username(), "text": n.text, "created_at": _plain(n.created_at)}
            for n in ClinicianNote.objects.filter(patient=patient, shared_with_patient=True)
            .select_related("author")
            .order_by("created_at", "pk")
        ),
        trials=tuple(_trial(t, sealed.get(t.pk)) for t in reversed(trials)),
        shares=tuple(
            {
                "clinician": s.clinician.get_username(),
                "areas": s.areas,
                "created_at": _plain(s.created_at),
                "expires_at": _plain(s.expires_at),
                "revoked_at": _plain(s.revoked_at),
            }
            for s in Share.objects.filter(patient=patient)
            .select_related("clinician")
            .order_by("created_at", "pk")
        ),
        access_log=tuple(
            {
                "actor": e.actor_name,
                "action": e.action,
                "area": e.area,
                "what": e.what,
                "path": e.path,
                "at": _plain(e.at),
            }
            for e in AuditEvent.objects.filter(patient=patient).order_by("at", "pk")
        ),
        **living.export_sections(patient),
    )


def _trial(trial: Trial, sealed: SealedAllocation | None) -> dict[str, Any]:
    """A trial's public design; its allocation only once unblinded (`sealed` is None before)."""
    return {
        "start": trial.start.isoformat(),
        "pairs": trial.pairs,
        "period_days": trial.period_days,
        "washout_days": trial.washout_days,
        "ldn_dose_mg": float(trial.ldn_dose_mg),
        "primary_symptom": trial.primary_symptom.name if trial.primary_symptom else None,
        "seal": trial.seal,
        "created_at": _plain(trial.created_at),
        "unblinded_at": _plain(trial.unblinded_at),
        "unblinded_early": trial.unblinded_early,
        "allocation": {"seed": sealed.seed, "orders": sealed.orders, "nonce": sealed.nonce}
        if sealed is not None and trial.is_unblinded
        else None,
    }


def _when(text: str | None) -> dt.datetime | None:
    return None if text is None else dt.datetime.fromisoformat(text)


def _by(patient: User, who: str | None) -> User | None:
    return patient if who == "patient" else None


def _model_values(model: type[models.Model], item: dict[str, Any]) -> dict[str, Any]:
    """The items of `item` that are stored fields of `model` (unknown keys are left out)."""
    names = {f.name for f in model._meta.concrete_fields if not f.is_relation and not f.primary_key}
    return {k: v for k, v in item.items() if k in names}


def symptom_fields(bundle: ExportBundle) -> dict[str, dict[str, Any]]:
    """Stored fields of the bundle's symptoms by name, for symptoms an import creates."""
    return {
        s["name"].strip(): {k: v for k, v in _model_values(Symptom, s).items() if k != "name"}
        for s in bundle.symptoms
    }


_COUNTED = (
    EntryRevision, QuestionnaireResponse, Medication, Acknowledgement, PlanVersion, FollowUp,
    FollowUpOutcome, VisitQuestion, Trial,
)  # fmt: skip


def _state(patient: User) -> tuple[Any, ...]:
    """Row counts of the restored sections, the profile and the reminder settings."""
    profile = PatientProfile.objects.filter(user=patient).first()
    reminders = ReminderSettings.objects.filter(patient=patient).first()
    return (
        *(m._default_manager.filter(patient=patient).count() for m in _COUNTED),
        _fields(profile) if profile else None,
        (reminders.email_missed_dose, reminders.email_follow_up) if reminders else None,
        *living.state(patient),
    )


def _restore(patient: User, bundle: ExportBundle) -> list[str]:
    """Add what the bundle holds beyond profile, days and symptoms; returns notes for the
    patient. Each item is added only when an equal one is not already there, so importing the
    same export twice adds nothing."""
    notes: list[str] = []
    for r in bundle.revisions:
        key = {
            "patient": patient,
            "day": dt.date.fromisoformat(r["day"]),
            "action": r["action"],
        }
        if not EntryRevision.objects.filter(**key, changed_at=_when(r["changed_at"])).exists():
            revision = EntryRevision.objects.create(
                **key, before=r["before"], changed_by=_by(patient, r["changed_by"])
            )  # changed_at is set on creation; the file's time is put back below
            EntryRevision.objects.filter(pk=revision.pk).update(changed_at=_when(r["changed_at"]))
    for q in bundle.questionnaires:
        values = _model_values(QuestionnaireResponse, q)
        if not QuestionnaireResponse.objects.filter(
            patient=patient, instrument=q["instrument"], completed_on=q["completed_on"],
            answers=q["answers"],
        ).exists():  # fmt: skip
            QuestionnaireResponse.objects.create(patient=patient, **values)
    for m in bundle.medications:
        values = _model_values(Medication, m)
        if not Medication.objects.filter(patient=patient, **values).exists():
            Medication.objects.create(patient=patient, **values)
    for a in bundle.acknowledgements:
        Acknowledgement.objects.get_or_create(
            patient=patient,
            input_key=a["input_key"],
            rule=a["rule"],
            defaults={
                "note": a["note"],
                "acknowledged_by": _by(patient, a["acknowledged_by"]),
                "acknowledged_at": _when(a["acknowledged_at"]),
            },
        )
    _restore_plans(patient, bundle.plan_versions)
    if bundle.reminder_settings is not None:
        ReminderSettings.objects.update_or_create(
            patient=patient, defaults=dict(bundle.reminder_settings)
        )
    for f in bundle.follow_ups:
        follow_up, _ = FollowUp.objects.get_or_create(
            patient=patient,
            when=_when(f["when"]),
            note=f["note"],
            defaults={"created_at": _when(f["created_at"]), "created_by": patient},
        )
        if f["held_at"] is not None:
            FollowUpOutcome.objects.get_or_create(
                follow_up=follow_up, defaults={"patient": patient, "held_at": _when(f["held_at"])}
            )
    for v in bundle.visit_questions:
        VisitQuestion.objects.get_or_create(
            patient=patient, text=v["text"], created_at=_when(v["created_at"])
        )
    for t in bundle.trials:
        if t["allocation"] is None:
            notes.append(
                f"The trial from {t['start']} is still blinded: its allocation stays sealed with "
                "your pharmacist, so it was not imported."
            )
        else:
            _restore_trial(patient, t)
    try:
        living.restore_sections(
            patient, {name: getattr(bundle, name) for name in living.SECTIONS}, bundle.plan_versions
        )
    except living.LivingRestoreError as exc:
        raise RestoreError(str(exc)) from exc
    return notes


def _restore_profile(patient: User, values: dict[str, Any]) -> None:
    profile, _ = PatientProfile.objects.get_or_create(user=patient)
    stored = _model_values(PatientProfile, values)
    stored.pop("is_synthetic", None)
    for name, value in stored.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["user"])
    profile.save()
    forget_zone(patient)  # the days that follow are read in the restored time zone


def _restore_plans(patient: User, versions: tuple[dict[str, Any], ...]) -> None:
    """Plan versions are append-only: those not already there are added after the current ones,
    keeping their order, author's name, reason and time."""
    existing = {
        (p.start.isoformat(), p.name, p.reason, _plain(p.created_at))
        for p in PlanVersion.objects.filter(patient=patient)
    }
    number = PlanVersion.objects.filter(patient=patient).aggregate(n=models.Max("number"))["n"] or 0
    for v in sorted(versions, key=lambda v: v["number"]):
        if (v["start"], v["name"], v["reason"], v["created_at"]) in existing:
            continue
        number += 1
        row = PlanVersion(
            patient=patient,
            number=number,
            name=v["name"],
            start=dt.date.fromisoformat(v["start"]),
            steps=v["steps"],
            pauses=v["pauses"],
            author=_by(patient, v["author"]),
            author_name=patient.get_username() if v["author"] == "patient" else v["author"],
            reason=v["reason"],
            created_at=_when(v["created_at"]),
        )
        to_core(row)  # the dosing core checks the steps and pauses (PlanError names the fault)
        row.save()


def _restore_trial(patient: User, t: dict[str, Any]) -> None:
    if Trial.objects.filter(patient=patient, seal=t["seal"]).exists():
        return
    trial = Trial.objects.create(
        patient=patient,
        start=dt.date.fromisoformat(t["start"]),
        pairs=t["pairs"],
        period_days=t["period_days"],
        washout_days=t["washout_days"],
        ldn_dose_mg=Decimal(str(t["ldn_dose_mg"])),
        primary_symptom=Symptom.objects.filter(patient=patient, name=t["primary_symptom"]).first(),
        seal=t["seal"],
        unblinded_at=_when(t["unblinded_at"]),
        unblinded_early=t["unblinded_early"],
    )
    Trial.objects.filter(pk=trial.pk).update(created_at=_when(t["created_at"]))
    allocation = t["allocation"]
    sealed = SealedAllocation(
        trial=trial,
        seed=allocation["seed"],
        orders=allocation["orders"],
        nonce=allocation["nonce"],
        token_hash=None,  # no pharmacist link is carried over
    )
    try:
        unblinded_schedule_of(trial, sealed)  # the seed must give the stated orders and nonce
    except (TrialStateError, ValueError) as exc:
        raise RestoreError(f"the trial from {t['start']} does not match its seal: {exc}") from exc
    sealed.save()


@dataclass(frozen=True)
class Applied:
    """What an import did (or, in a dry run, would do)."""

    result: records.ImportResult
    sections_changed: int
    notes: tuple[str, ...]

    @property
    def nothing_new(self) -> bool:
        r = self.result
        return not (r.created or r.updated or r.new_symptoms or self.sections_changed)


class _DryRun(Exception):
    """Raised to roll back a dry run."""


def apply_import(
    patient: User,
    preview: ImportPreview,
    bundle: ExportBundle | None,
    *,
    by: User,
    dry_run: bool = False,
) -> Applied:
    """Commit the days and, for a JSON export, its other sections, in one transaction.
    `dry_run` rolls everything back and reports what would have changed."""
    outcome: Applied | None = None
    try:
        with transaction.atomic():
            before = _state(patient) if bundle else ()
            if bundle:  # the time zone first: the days' dose times are local to it
                _restore_profile(patient, bundle.profile)
            result = records.commit_import(
                patient, preview, by=by, symptom_fields=symptom_fields(bundle) if bundle else None
            )
            notes = _restore(patient, bundle) if bundle else []
            after = _state(patient) if bundle else ()
            changed = sum(a != b for a, b in zip(before, after, strict=True))
            outcome = Applied(result, changed, tuple(notes))
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    assert outcome is not None  # set before any _DryRun
    return outcome
