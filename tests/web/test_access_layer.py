"""The access layer is the only door to a patient's records, read from the source with `ast`.

The rule, decided here: a *view module* is any module of ldn.web that defines a view function
at top level (a function whose first parameter is `request`). A view module never names the
manager of an *owned model* (`<Model>.objects`, where the model has a `patient` foreign key):
its reads go through `access.own_records` / `get_owned_or_404` / `patient_or_404` /
`shared_patient_or_404` (the owner filter or the share check, and the audit row for a
clinician), its writes through `access.create_own` (a patient's own record),
`ClinicianWrite.create` (a clinician's change, audited with it) or the app's services (which
sit below the pages in docs/architecture.md and are not view modules). Also, outside access.py:

- nobody copies the role gate (reading `is_patient`/`is_clinician` and raising
  PermissionDenied in the same function): views call `access.patient_of` / `clinician_of`;
- nobody writes audit rows (`AuditEvent(...)`, `AuditEvent.objects.create(...)`), except the journal's
  export bundle, which copies the patient's own log into their download and back.

Run: bash scripts/test tests/web/test_access_layer.py -q
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.apps import apps

from ldn.web import access

WEB = Path(access.__file__).resolve().parent
AUDIT_COPIERS = {"journal/bundle.py"}  # export and restore of the patient's own access log


def owned_models() -> set[str]:
    return {
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("ldn.web")
        and any(f.name == "patient" and f.is_relation for f in model._meta.get_fields())
    }


def _modules() -> list[tuple[str, ast.Module]]:
    out = []
    for path in sorted(WEB.rglob("*.py")):
        if "migrations" in path.parts or path.name == "access.py":
            continue
        out.append((str(path.relative_to(WEB)), ast.parse(path.read_text(), str(path))))
    return out


def is_view_module(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.FunctionDef) and node.args.args and node.args.args[0].arg == "request"
        for node in tree.body
    )


def direct_queries(name: str, tree: ast.Module, owned: set[str]) -> list[str]:
    if not is_view_module(tree):
        return []
    return sorted(
        f"{name}:{node.lineno} {node.value.id}.objects"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "objects"
        and isinstance(node.value, ast.Name)
        and node.value.id in owned
    )


def copied_gates(name: str, tree: ast.Module) -> list[str]:
    found = []
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef):
            continue
        nodes = list(ast.walk(func))
        reads_role = any(
            isinstance(n, ast.Attribute) and n.attr in {"is_patient", "is_clinician"} for n in nodes
        )
        refuses = any(
            isinstance(n, ast.Raise) and "PermissionDenied" in ast.unparse(n.exc or n)
            for n in nodes
        )
        if reads_role and refuses:
            found.append(f"{name}:{func.lineno} {func.name}")
    return found


AUDIT_WRITES = {"AuditEvent"} | {
    f"AuditEvent.objects.{m}" for m in ("create", "bulk_create", "get_or_create")
}


def audit_writes(name: str, tree: ast.Module) -> list[str]:
    if name in AUDIT_COPIERS:
        return []
    return sorted(
        f"{name}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in AUDIT_WRITES
    )


@pytest.mark.django_db
def test_no_view_module_queries_an_owned_model_directly() -> None:
    owned = owned_models()
    assert {"DailyEntry", "DoseLog", "PlanVersion", "AuditEvent"} <= owned
    found = [hit for name, tree in _modules() for hit in direct_queries(name, tree, owned)]
    assert found == []


def test_no_module_copies_the_role_gate() -> None:
    assert [hit for name, tree in _modules() for hit in copied_gates(name, tree)] == []


def test_only_the_access_layer_writes_audit_rows() -> None:
    assert [hit for name, tree in _modules() for hit in audit_writes(name, tree)] == []


def test_the_walks_catch_a_view_that_goes_around_the_access_layer() -> None:
    """Each check is able to fail, on a small view written the forbidden way."""
    leaky = ast.parse(
        "def entry(request, pk):\n"
        "    if not request.user.is_patient:\n"
        "        raise PermissionDenied('no')\n"
        "    AuditEvent.objects.create(patient=request.user)\n"
        "    return DailyEntry.objects.get(pk=pk)\n"
    )
    assert direct_queries("leaky.py", leaky, {"DailyEntry", "AuditEvent"}) == [
        "leaky.py:4 AuditEvent.objects",
        "leaky.py:5 DailyEntry.objects",
    ]
    assert copied_gates("leaky.py", leaky) == ["leaky.py:1 entry"]
    assert audit_writes("leaky.py", leaky) == ["leaky.py:4"]
    assert direct_queries("services.py", ast.parse("def f(patient):\n    X.objects\n"), {"X"}) == []
