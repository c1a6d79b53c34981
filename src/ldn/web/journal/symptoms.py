"""A patient's own list of symptoms: add, rename, reorder, archive and restore.

Rules (checked here, for the symptom manager and onboarding alike): a name is 1-80 characters,
unique per patient whatever its case (archived ones included: restore instead of adding a twin),
and at most 30 symptoms are active. Archiving keeps every rating; the symptom leaves the check-in.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from ldn.web.accounts.models import User
from ldn.web.journal.models import Symptom

MAX_NAME = 80
MAX_ACTIVE = 30


class SymptomError(ValueError):
    """A change to the symptom list that breaks one of the rules; the message says what to do."""


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise SymptomError("Give the symptom a name, for example “Pain” or “Morning stiffness”.")
    if len(name) > MAX_NAME:
        raise SymptomError(
            f"A symptom name can be at most {MAX_NAME} characters; this one has {len(name)}."
        )
    return name


def _check_unique(patient: User, name: str, exclude: int | None = None) -> None:
    twin = Symptom.objects.filter(patient=patient, name__iexact=name).exclude(pk=exclude).first()
    if twin is None:
        return
    if twin.active:
        raise SymptomError(f"You already track “{twin.name}”.")
    raise SymptomError(f"“{twin.name}” is in your archived symptoms: restore it instead.")


def _check_room(patient: User) -> None:
    active = Symptom.objects.filter(patient=patient, active=True).count()
    if active >= MAX_ACTIVE:
        raise SymptomError(
            f"You already track {MAX_ACTIVE} symptoms, the most a check-in holds; "
            "archive one you no longer need first."
        )


def _free_key(patient: User, name: str) -> str:
    base = slugify(name)[:56] or "symptom"
    taken = set(
        Symptom.objects.filter(patient=patient, key__startswith=base).values_list("key", flat=True)
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def _next_position(patient: User) -> int:
    top = Symptom.objects.filter(patient=patient).aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def add(patient: User, name: str) -> Symptom:
    User.objects.select_for_update().filter(pk=patient.pk).first()  # one change at a time
    name = _clean_name(name)
    _check_unique(patient, name)
    _check_room(patient)
    return Symptom.objects.create(
        patient=patient,
        key=_free_key(patient, name),
        name=name,
        position=_next_position(patient),
    )


@transaction.atomic
def rename(symptom: Symptom, name: str) -> Symptom:
    name = _clean_name(name)
    _check_unique(symptom.patient, name, exclude=symptom.pk)
    symptom.name = name
    symptom.save(update_fields=["name"])
    return symptom


@transaction.atomic
def archive(symptom: Symptom) -> Symptom:
    symptom.active = False
    symptom.save(update_fields=["active"])
    return symptom


@transaction.atomic
def restore(symptom: Symptom) -> Symptom:
    if not symptom.active:
        _check_room(symptom.patient)
        symptom.active = True
        symptom.position = _next_position(symptom.patient)
        symptom.save(update_fields=["active", "position"])
    return symptom


@transaction.atomic
def move(symptom: Symptom, step: int) -> None:
    """Move an active symptom one place up (step -1) or down (+1) in the check-in order."""
    if not symptom.active:
        raise SymptomError(f"“{symptom.name}” is archived: restore it before moving it.")
    ordered = list(Symptom.objects.select_for_update().filter(patient=symptom.patient, active=True))
    index = next(i for i, s in enumerate(ordered) if s.pk == symptom.pk)
    target = index + step
    if not 0 <= target < len(ordered):
        return
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, item in enumerate(ordered):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])
