"""The authorization walk: every URL that takes an object id, asked by every role.

A URL pattern with parameters must appear in OBJECT_URLS (how to fill its parameters and
whether it reads or writes) or in NOT_OWNED (with the reason it carries no patient data);
otherwise the walk reports it, so a new view cannot ship without being checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web import insights_helpers, therapy_helpers


def _alice_pain_pk(world) -> int:
    from ldn.web.journal.models import Symptom

    return Symptom.objects.get(patient=world.alice, key="pain").pk


@dataclass(frozen=True)
class ObjectUrl:
    kwargs: Callable[[object], dict[str, object]]
    method: str = "get"  # "post" for views that change data
    # A clinician's action on a patient (adjust the plan, a note): the sharing clinician may,
    # the patient gets 403 (it is not their page), everybody else 404.
    clinician_action: bool = False
    # Open to both the patient and the sharing clinician (e.g. the trial's pharmacist link: the
    # patient e-mails it to the pharmacy, the clinician issues it); everybody else 404.
    shared_action: bool = False
    data: dict[str, str] | None = None  # the form posted

    @property
    def writes(self) -> bool:
        return self.method == "post"


OBJECT_URLS: dict[str, ObjectUrl] = {
    "patient_overview": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "journal:entry": ObjectUrl(lambda w: {"pk": w.entry.pk}),
    "journal:entry_delete": ObjectUrl(lambda w: {"pk": w.entry.pk}, method="post"),
    "journal:symptom_rename": ObjectUrl(lambda w: {"pk": _alice_pain_pk(w)}, method="post"),
    "journal:symptom_move": ObjectUrl(lambda w: {"pk": _alice_pain_pk(w)}, method="post"),
    "journal:symptom_archive": ObjectUrl(lambda w: {"pk": _alice_pain_pk(w)}, method="post"),
    "journal:symptom_restore": ObjectUrl(lambda w: {"pk": _alice_pain_pk(w)}, method="post"),
    "journal:questionnaire_result": ObjectUrl(lambda w: {"pk": w.questionnaire.pk}),
    "therapy:patient_plan": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "therapy:patient_medications": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "therapy:medication_edit": ObjectUrl(
        lambda w: {"pk": therapy_helpers.alice_medication_pk(w)}, method="post"
    ),
    "therapy:medication_stop": ObjectUrl(
        lambda w: {"pk": therapy_helpers.alice_medication_pk(w)}, method="post"
    ),
    "therapy:medication_delete": ObjectUrl(
        lambda w: {"pk": therapy_helpers.alice_medication_pk(w)}, method="post"
    ),
    "therapy:finding_acknowledge": ObjectUrl(
        lambda w: {"pk": therapy_helpers.alice_finding_pk(w)}, method="post"
    ),
    "therapy:follow_up_delete": ObjectUrl(
        lambda w: {"pk": w.alice.follow_ups.create(when="2030-01-01T10:00Z").pk}, method="post"
    ),
}


def _alice_invitation_pk(world) -> int:
    from ldn.web.clinic import sharing

    return sharing.create_invitation(world.alice, ["journal"])[0].pk


def _alice_push_device_pk(world) -> int:
    from ldn.web.push.models import PushSubscription

    return PushSubscription.objects.create(
        patient=world.alice,
        endpoint=f"https://push.example.net/{world.alice.pk}",
        p256dh="B" + "A" * 86,
        auth="A" * 22,
    ).pk


OBJECT_URLS |= {
    "push:revoke": ObjectUrl(lambda w: {"pk": _alice_push_device_pk(w)}, method="post"),
}


OBJECT_URLS |= {
    "clinic:patient": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "clinic:report": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "clinic:report_pdf": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "clinic:fhir": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "clinic:share_revoke": ObjectUrl(
        lambda w: {"pk": w.alice.shares_given.get(clinician=w.bob).pk}, method="post"
    ),
    "clinic:invitation_cancel": ObjectUrl(lambda w: {"pk": _alice_invitation_pk(w)}, method="post"),
    "clinic:question_delete": ObjectUrl(
        lambda w: {"pk": w.alice.visit_questions.create(text="Can I take it in the morning?").pk},
        method="post",
    ),
    "clinic:adjust_plan": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk}, method="post", clinician_action=True
    ),
    "clinic:follow_up_create": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk}, method="post", clinician_action=True
    ),
    "clinic:note_create": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk}, method="post", clinician_action=True
    ),
    "clinic:follow_up_held": ObjectUrl(
        lambda w: {"pk": w.alice.follow_ups.create(when="2026-01-05T10:00Z").pk},
        method="post",
        clinician_action=True,
    ),
}

OBJECT_URLS |= {
    "insights:patient_dashboard": ObjectUrl(lambda w: {"patient_id": w.alice.pk}),
    "insights:trial": ObjectUrl(lambda w: {"pk": insights_helpers.alice_trial_pk(w)}),
    "insights:trial_link": ObjectUrl(
        lambda w: {"pk": insights_helpers.alice_trial_pk(w)},
        method="post",
        shared_action=True,
        data={"email": "rx@pharmacy.example"},
    ),
    "insights:trial_unblind": ObjectUrl(
        lambda w: {"pk": insights_helpers.alice_trial_pk(w)}, method="post"
    ),
    "insights:trial_result": ObjectUrl(
        lambda w: {"pk": insights_helpers.alice_trial_pk(w, unblinded=True)}
    ),
}


def _alice_procedure_pk(world) -> int:
    from ldn.web.living.models import PlannedProcedure

    return PlannedProcedure.objects.create(
        patient=world.alice, procedure_day="2030-01-10", description="Knee", instruction="Stop 3 days before",
        instructed_by="Dr Who", last_dose_day="2030-01-06", entered_by=world.alice,
    ).pk  # fmt: skip


# Living with LDN (ldn.web.living): the clinician's step decision and procedure confirmation.
OBJECT_URLS |= {
    "living:clinic_step": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk}, method="post", clinician_action=True
    ),
    "living:clinic_procedure_new": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk}, method="post", clinician_action=True
    ),
    "living:procedure_confirm": ObjectUrl(
        lambda w: {"patient_id": w.alice.pk, "pk": _alice_procedure_pk(w)},
        method="post",
        clinician_action=True,
    ),
}

NOT_OWNED: dict[str, str] = {
    "insights:trial_sheet": "a random secret token (stored hashed) is the pharmacist's credential; "
    "the trial's patient is refused; tests/web/test_insights_trial.py",
    "clinic:join": "a one-time invitation code is the credential; tests/web/test_clinic_sharing.py",
    "password_reset_confirm": "a signed reset token, not a record id",
    "learn:condition": "public knowledge-base page; the slug names a condition, not a record",
    "journal:checkin_day": "a date in the signed-in patient's own journal, never another's",
    "onboarding_step": "a set-up step name (zone, plan...); it edits only the signed-in "
    "patient's own profile and records; tests/web/test_onboarding.py",
    "living:day_save": "a date in the signed-in patient's own record, never another's",
    "journal:questionnaire_fill": "an instrument name (phq9, gad7, pgic); the answers are the user's own",
    "therapy:feed": "a random calendar token is the credential (no login); tests/web/test_therapy_reminders.py",
    "therapy:taken": "a signed single-use link is the credential (no login); tests/web/test_therapy_reminders.py",
}
NOT_OWNED_NAMESPACES = {"admin": "staff-only Django admin with its own permission checks"}

# Owner last: a write by the owner may delete the object the others were asked about.
ROLES = ("anonymous", "mallory", "charlie", "dave", "bob", "alice")


def parameterised_urls(urlconf: str | None = None) -> Iterator[str]:
    """Names (with namespaces) of every URL pattern that takes parameters."""

    def walk(patterns: list, namespace: str, inherited: bool) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, ns, inherited or bool(p.pattern.converters))
            elif isinstance(p, URLPattern) and (p.pattern.converters or inherited):
                yield f"{namespace}{p.name}"

    yield from walk(get_resolver(urlconf).url_patterns, "", False)


def uncovered_urls(
    urlconf: str | None = None, registry: dict[str, ObjectUrl] = OBJECT_URLS
) -> list[str]:
    out = []
    for name in parameterised_urls(urlconf):
        if name in registry or name in NOT_OWNED or name.split(":")[0] in NOT_OWNED_NAMESPACES:
            continue
        out.append(name)
    return out


def expected(role: str, spec: ObjectUrl) -> str:
    if role == "anonymous":
        return "login"
    if role in ("mallory", "charlie", "dave"):
        return "404"
    if spec.clinician_action:
        return "ok" if role == "bob" else "403"
    if spec.shared_action:
        return "ok"
    if role == "bob":
        return "403" if spec.writes else "200"
    return "ok"


def outcome(response) -> str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code in (200, 302) and not response.get("Location", "").startswith(
        "/accounts/login/"
    ):
        return "200" if response.status_code == 200 else "ok"
    return str(response.status_code)


def check_url(name: str, spec: ObjectUrl, world: object, urlconf: str | None = None) -> list[str]:
    url = reverse(name, kwargs=spec.kwargs(world), urlconf=urlconf)
    failures = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(getattr(world, role))
        response = getattr(client, spec.method)(url, spec.data or {})
        got, want = outcome(response), expected(role, spec)
        ok = got in ("200", "ok") if want == "ok" else got == want
        if not ok:
            failures.append(
                f"{name} {spec.method.upper()} {url} as {role}: expected {want}, got {got}"
            )
    return failures
