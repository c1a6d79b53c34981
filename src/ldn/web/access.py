"""The one place that decides who may read or change a patient's records.

Rules:
- the owning patient may read and change everything they own;
- a clinician with an active share from that patient, covering the record's area, may read it;
  changing it is refused with 403 (the clinician screens that write go through `write=True`
  only where a share grants it);
- everybody else gets 404, so a stranger cannot even learn that a record exists.

Role gates: `patient_of(request)` / `clinician_of(request)` return the signed-in patient or
clinician and refuse anybody else with 403 (after `login_required`). Views never check roles
themselves.

Views never query owned models directly: they call `get_owned_or_404`, `patient_or_404` or
`own_records` (tests/web/test_access_layer.py walks the views' source for it). The authorization walk in tests/web/test_authorization_walk.py checks every URL.

Every read a clinician makes through this module is written to the append-only audit log
(ldn.web.clinic.models.AuditEvent), which the patient can read on their access-log page; every
change a clinician makes goes through `clinician_write_or_404` (or `clinician_write_on_or_404`
for a record named by its own id), which commits the change and its one "write" row together.
Views never write audit rows themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from ldn.web.accounts.models import Share, User
from ldn.web.clinic.models import AuditEvent

M = TypeVar("M", bound=Model)

NOT_FOUND = "No such record."
PATIENTS_ONLY = "This page is for patients: it shows or changes a patient's own record."
CLINICIANS_ONLY = "This page is for clinicians."


# --- role gates ----------------------------------------------------------------------------
def patient_of(request: HttpRequest) -> User:
    """The signed-in patient; anybody else (a clinician, an administrator) gets 403."""
    user = request.user
    if not isinstance(user, User) or not user.is_patient:
        raise PermissionDenied(PATIENTS_ONLY)
    return user


def clinician_of(request: HttpRequest) -> User:
    """The signed-in clinician; anybody else gets 403."""
    user = request.user
    if not isinstance(user, User) or not user.is_clinician:
        raise PermissionDenied(CLINICIANS_ONLY)
    return user


class ShareEnded(Http404):
    """A clinician asks for a patient who used to share with them and stopped: still a 404 (no
    record is shown), but the page can say why and where to go instead."""


def _refuse(user: User | AnonymousUser, patient: User) -> Http404:
    if (
        isinstance(user, User)
        and user.is_clinician
        and Share.objects.filter(patient=patient, clinician=user, revoked_at__isnull=False).exists()
        and not Share.objects.active().filter(patient=patient, clinician=user).exists()
    ):
        return ShareEnded(NOT_FOUND)
    return Http404(NOT_FOUND)


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


def audit(clinician: User, patient: User, area: str, what: str = "", action: str = "read") -> None:
    """Append one row to the patient's access log (who, which patient, what, when)."""
    AuditEvent.objects.create(
        patient=patient,
        actor=clinician,
        actor_name=clinician.get_full_name() or clinician.get_username(),
        action=action,
        area=area,
        what=what[:200],
    )


def audit_list(clinician: User, patient_ids: list[int], what: str) -> None:
    """One "list" row per patient a clinician's list showed (one query for the page)."""
    name = clinician.get_full_name() or clinician.get_username()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            patient_id=pid,
            actor=clinician,
            actor_name=name,
            action=AuditEvent.Action.LIST,
            area="list",
            what=what[:200],
        )
        for pid in patient_ids
    )


def _check(
    user: User | AnonymousUser, patient: User, area: str, write: bool, what: str = ""
) -> None:
    if not user.is_authenticated:
        raise Http404(NOT_FOUND)
    if user.pk == patient.pk:
        return
    if isinstance(user, User) and active_share(user, patient, area) is not None:
        if write:
            raise PermissionDenied("Your share with this patient is read-only.")
        audit(user, patient, area, what or area)
        return
    raise _refuse(user, patient)


def shared_areas(user: User | AnonymousUser, patient: User) -> set[str]:
    """The areas of `patient`'s record `user` may read: all for the owner, the share's for a
    clinician, none for anybody else."""
    if not user.is_authenticated:
        return set()
    if user.pk == patient.pk:
        return set(Share.all_areas())
    if not isinstance(user, User) or not user.is_clinician:
        return set()
    share = (
        Share.objects.active()
        .filter(patient=patient, clinician=user)
        .order_by("-created_at")
        .first()
    )
    return set(share.areas) if share else set()


def _clinician_patient_or_404(
    user: User | AnonymousUser, patient_id: int, area: str | None
) -> User:
    """The patient a clinician acts for: a clinician whose active share covers `area` (any
    active share when None); the patient themself gets 403 (these are the clinician's pages);
    everybody else 404. Writes no audit row."""
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if patient is None or not user.is_authenticated:
        raise Http404(NOT_FOUND)
    if user.pk == patient.pk:
        raise PermissionDenied("This is your clinician's page.")
    areas = shared_areas(user, patient)
    if not areas or (area is not None and area not in areas):
        raise _refuse(user, patient)
    return patient


def clinician_action_or_404(
    user: User | AnonymousUser, patient_id: int, *, area: str | None = None, what: str = ""
) -> User:
    """The patient whose clinician page (the plan form, the step decision) a clinician reads:
    checked as `_clinician_patient_or_404`, logged as one "read" row. A change made from that
    page goes through `clinician_write_or_404`."""
    patient = _clinician_patient_or_404(user, patient_id, area)
    audit(user, patient, area or "notes", what or "clinician page")  # type: ignore[arg-type]
    return patient


class ClinicianWrite:
    """One change a clinician makes to a patient's record, checked before and audited after.

    Made by `clinician_write_or_404`, which refuses as `clinician_action_or_404` does. Use it as
    a context manager around the change: on a clean exit the change and exactly one "write" row
    (area, `what`) commit together; an exception inside rolls both back, so a refused or invalid
    change leaves no row. `what` names the change in plain words and may be made more precise
    inside the block once the change is known (for example the new plan version).
    """

    def __init__(self, clinician: User, patient: User, area: str, what: str) -> None:
        self.clinician = clinician
        self.patient = patient
        self.area = area
        self.what = what
        self._atomic = transaction.atomic()

    def record_or_404(self, queryset: QuerySet[M] | type[M], **lookup: Any) -> M:
        """One of this patient's records the change is about (404 if it is not theirs)."""
        qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
        obj = qs.filter(patient=self.patient, **lookup).first()
        if obj is None:
            raise Http404(NOT_FOUND)
        return obj

    def create(self, model: type[M], **fields: Any) -> M:
        """A new record of this patient's, made by the clinician inside the change."""
        return model._default_manager.create(patient=self.patient, **fields)

    def __enter__(self) -> ClinicianWrite:
        self._atomic.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        if exc_type is None:
            try:
                audit(self.clinician, self.patient, self.area, self.what, action="write")
            except BaseException as error:
                self._atomic.__exit__(type(error), error, error.__traceback__)
                raise
        return self._atomic.__exit__(exc_type, exc, tb)


def clinician_write_or_404(
    user: User | AnonymousUser, patient_id: int, *, area: str, what: str
) -> ClinicianWrite:
    """A clinician's change to `area` of a patient's record (see ClinicianWrite). The share must
    cover `area` ("notes" needs any active share: a note is the clinician's own record)."""
    patient = _clinician_patient_or_404(user, patient_id, None if area == "notes" else area)
    return ClinicianWrite(user, patient, area, what)  # type: ignore[arg-type]


def clinician_page_or_404(
    request: HttpRequest, patient_id: int, *, area: str, read: str, write: str
) -> tuple[User, ClinicianWrite | None]:
    """A clinician's page that shows a form on GET and changes the record on POST (the plan
    adjustment, the dose-step decision, a procedure instruction): the patient, and on POST the
    ClinicianWrite to make the change in (its "write" row, named `write`, commits with it); on
    GET one "read" row named `read`, and None. Refusals as `clinician_action_or_404`."""
    if request.method == "POST":
        change = clinician_write_or_404(request.user, patient_id, area=area, what=write)
        return change.patient, change
    return clinician_action_or_404(request.user, patient_id, area=area, what=read), None


def clinician_write_on_or_404(
    user: User | AnonymousUser,
    queryset: QuerySet[M] | type[M],
    *,
    area: str,
    what: str,
    **lookup: Any,
) -> tuple[M, ClinicianWrite]:
    """A clinician's change to one owned record named by its own id (a follow-up marked held):
    the record, and the ClinicianWrite for its patient. Strangers get 404, the patient 403."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404(NOT_FOUND)
    write = clinician_write_or_404(user, obj.patient_id, area=area, what=what)  # type: ignore[attr-defined]
    return obj, write


def patient_or_404(
    user: User | AnonymousUser, patient_id: int, *, area: str, write: bool = False
) -> User:
    """The patient whose record `user` asks for, if `user` may see that area of it."""
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if patient is None:
        raise Http404(NOT_FOUND)
    _check(user, patient, area, write, what=f"{area} overview")
    return patient


def shared_patient_or_404(
    user: User | AnonymousUser,
    patient_id: int,
    *,
    area: str = "overview",
    action: str = "read",
    what: Callable[[User, set[str]], str] | None = None,
) -> tuple[User, set[str]]:
    """A patient and the areas `user` may read of their record: a clinician with an active
    share of any area (the pages then show only those areas), or the patient themself.

    A clinician's look is one audit row: the patient overview by default, or what the page
    names (`area`, `action`, and `what(patient, areas)`, e.g. the visit report's dates)."""
    patient = User.objects.filter(pk=patient_id, role=User.Role.PATIENT).first()
    if patient is None or not user.is_authenticated:
        raise Http404(NOT_FOUND)
    areas = shared_areas(user, patient)
    if not areas:
        raise _refuse(user, patient)
    if user.pk != patient.pk:
        label = what(patient, areas) if what else f"patient overview ({', '.join(sorted(areas))})"
        audit(user, patient, area, label, action)  # type: ignore[arg-type]
    return patient, areas


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
    label = f"{obj._meta.verbose_name} {obj.pk}"
    _check(user, obj.patient, area, write, what=label)  # type: ignore[attr-defined]
    return obj


def own_records(user: User, queryset: QuerySet[M] | type[M]) -> QuerySet[M]:
    """The records `user` owns; lists never show anybody else's rows."""
    qs = queryset._default_manager.all() if isinstance(queryset, type) else queryset
    return qs.filter(patient=user)


def create_own(patient: User, model: type[M], **fields: Any) -> M:
    """A new record owned by `patient` (the signed-in patient's own, from their page)."""
    return model._default_manager.create(patient=patient, **fields)


def shared_patients(clinician: User) -> QuerySet[User]:
    """The patients with an active share to `clinician`."""
    if not clinician.is_clinician:
        return User.objects.none()
    ids = Share.objects.active().filter(clinician=clinician).values("patient_id")
    return User.objects.filter(pk__in=ids, role=User.Role.PATIENT)
