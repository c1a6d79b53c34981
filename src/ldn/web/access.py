"""The one place that decides who may read or change a patient's records.

Rules:
- the owning patient may read and change everything they own;
- a clinician with an active share from that patient, covering the record's area, may read it;
  changing it is refused with 403 (the clinician screens that write go through `write=True`
  only where a share grants it);
- everybody else gets 404, so a stranger cannot even learn that a record exists.

Views never query owned models directly: they call `get_owned_or_404`, `patient_or_404` or
`own_records`. The authorization walk in tests/web/test_authorization_walk.py checks every URL.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from ldn.web.accounts.models import Share, User

M = TypeVar("M", bound=Model)

NOT_FOUND = "No such record."


def active_share(clinician: User, patient: User, area: str) -> Share | None:
    if not clinician.is_clinician:
        return None
    share: Share | None = (
        Share.objects.active()
        .filter(patient=patient, clinician=clinician)
        .order_by("-created_at")
        .first()
    )
    if share is None or area not in share.areas:
        return None
    return share


def can_read(user: User | AnonymousUser, patient: User, area: str) -> bool:
    if not user.is_authenticated:
        return False
    if user.pk == patient.pk:
        return True
    return isinstance(user, User) and active_share(user, patient, area) is not None


def _check(user: User | AnonymousUser, patient: User, area: str, write: bool) -> None:
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    if user.pk == patient.pk:
        return
    if isinstance(user, User) and active_share(user, patient, area) is not None:
        if write:
            raise PermissionDenied("Your share with this patient is read-only.")
        return
    raise Http404(NOT_FOUND)


def patient_or_404(
    user: User | AnonymousUser, patient_id: int, *, area: str, write: bool = False
) -> User:
    """The patient whose record `user` asks for, if `user` may see that area of it."""
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if patient is None:
        raise Http404(NOT_FOUND)
    _check(user, patient, area, write)
    return patient


def get_owned_or_404(
    user: User | AnonymousUser,
    queryset: QuerySet[M] | type[M],
    *,
    area: str,
    write: bool = False,
    **lookup: Any,
) -> M:
    """One owned record (a model with a `patient` field) that `user` may read, or change."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    obj = qs.select_related("patient").filter(**lookup).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    _check(user, obj.patient, area, write)  # type: ignore[attr-defined]
    return obj


def own_records(user: User, queryset: QuerySet[M] | type[M]) -> QuerySet[M]:
    """The records `user` owns; lists never show anybody else's rows."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return qs.filter(patient=user)


def shared_patients(clinician: User) -> QuerySet[User]:
    """The patients with an active share to `clinician`."""
    if not clinician.is_clinician:
        return User.objects.none()
    ids = Share.objects.active().filter(clinician=clinician).values("patient_id")
    return User.objects.filter(pk__in=ids, role=User.Role.PATIENT)
