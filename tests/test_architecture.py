"""The import order of docs/architecture.md, checked on the source: every `import` in src/ldn,
including those inside functions (a loop hidden in a function is still a loop), is read with
`ast` and compared with the layers below. Imports under `if TYPE_CHECKING:` are left out: they
never run.

The layers, lowest first:

1. the core (`ldn.pharmacology`, `dosing`, `safety`, `knowledge`, `analysis`, `interop`,
   `journal`, `datafiles`, `dataschemas`, `bibliography`): it never imports Django, `ldn.web` or `ldn.cli`;
2. the web layer's records and services, app by app in WEB_ORDER: a module of an app may import
   its own app and the apps before it, never one after it;
3. `ldn.web.access`, the access layer: it may import every app's records and services;
4. the pages (PAGE_PARTS: views, forms, urls, template tags, middleware, admin, onboarding,
   imports and exports that span every app): they may import everything below them and the pages
   of their own app or of an app before it;
5. `ldn.web.urls`, `ldn.web.settings`' wiring and the `ldn` command (`ldn.cli`): anything.

Run: bash scripts/test tests/test_architecture.py -q
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

CORE = (
    "pharmacology",
    "dosing",
    "safety",
    "knowledge",
    "analysis",
    "interop",
    "journal",
    "datafiles",  # the one validating loader of the data files, and its schemas
    "dataschemas",
    "bibliography",  # the one bibliography the data files cite by key
)
# The web apps in dependency order: an app may import those before it, never those after.
WEB_ORDER = (
    "base",  # ldn.web itself: settings, methods (the allowed-methods decorator)
    "accounts",
    "science",
    "learn",
    "journal",
    "pwa",
    "therapy",
    "living",
    "push",
    "insights",
    "clinic",
    "pages",
)
DOCS = SRC.parent / "docs" / "architecture.md"
# Modules (last dotted part, or a package part) that are pages, not services.
PAGE_PARTS = frozenset(
    {
        "views",
        "urls",
        "forms",
        "admin",
        "admin_site",
        "middleware",
        "templatetags",
        "onboarding",
        "deletion",
        "transfer",
        "bundle",
        "demo",
        "context",
    }
)
# Pages whose file name does not say so.
PAGE_MODULES = frozenset({"ldn.web.journal.questionnaires", "ldn.web.pwa.compare"})
# Modules placed with a later app than their own, each for a reason docs/architecture.md gives.
PLACED = {
    # reminders read living's dose time and the surgery pause, so they sit after living
    "ldn.web.therapy.reminders": "living",
    "ldn.web.therapy.tasks": "living",
    # the sign-up walk fills in every app's first record (profile, symptoms, medications,
    # plan, reminders) and deletion removes them all: they sit with the last app, pages
    "ldn.web.accounts.onboarding": "pages",
    "ldn.web.accounts.views": "pages",
    "ldn.web.accounts.urls": "pages",
    "ldn.web.accounts.deletion": "pages",
    # the check-in page answers a save sent later from the offline queue through pwa's once-only
    # save, so the journal's pages sit with pwa
    "ldn.web.journal.views": "pwa",
    "ldn.web.journal.urls": "pwa",
    "ldn.web.journal.symptom_views": "pwa",
}
TOP = ("ldn.web.urls", "ldn.web.wsgi", "ldn.cli", "ldn.__main__")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the imported module (resolved: `from ldn.web import access` is ldn.web.access)
    line: int
    local: bool  # inside a function


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_package(name: str) -> bool:
    return (SRC / name.replace(".", "/") / "__init__.py").exists()


def _exists(name: str) -> bool:
    base = SRC / name.replace(".", "/")
    return base.with_suffix(".py").exists() or (base / "__init__.py").exists()


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                skip.update(id(n) for n in ast.walk(child))
    return skip


def imports_of(path: Path, module: str | None = None) -> list[Import]:
    module = module or _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text(), str(path))
    skip = _type_checking_nodes(tree)
    local: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            local.update(id(n) for n in ast.walk(node))
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [
                f"{source}.{a.name}" if _exists(f"{source}.{a.name}") else source
                for a in node.names
            ]
        for target in targets:
            out.append(Import(module, target, node.lineno, id(node) in local))
    return out


def all_imports() -> list[Import]:
    return [
        imp
        for path in sorted((SRC / "ldn").rglob("*.py"))
        if "migrations" not in path.parts
        for imp in imports_of(path)
    ]


def layer(name: str) -> tuple[int, int]:
    """(layer, app rank) of an ldn module; see the module docstring."""
    parts = name.split(".")
    if name == "ldn" or (len(parts) > 1 and parts[1] in CORE):
        return (1, 0)
    if any(name == t or name.startswith(t + ".") for t in TOP):
        return (5, 0)
    if name == "ldn.web.access":
        return (3, 0)
    app = parts[2] if len(parts) > 2 and _is_package(".".join(parts[:3])) else "base"
    app = PLACED.get(name, app)
    if app not in WEB_ORDER:
        raise AssertionError(f"{name}: web app {app!r} is not in WEB_ORDER (docs/architecture.md)")
    rank = WEB_ORDER.index(app)
    if (
        name in PAGE_MODULES
        or PAGE_PARTS & set(parts[2:])
        or any(p.startswith("views_") or p.endswith("_views") for p in parts[2:])
    ):
        return (4, rank)
    return (2, rank)


def allowed(importer: str, target: str) -> bool:
    if not target.startswith("ldn"):
        return True
    (il, ir), (tl, tr) = layer(importer), layer(target)
    if il == 5:
        return True
    if tl == 5:
        return False
    if il == 1:
        return tl == 1
    if il == 2:
        return tl == 1 or (tl == 2 and tr <= ir)
    if il == 3:
        return tl <= 2
    return tl <= 3 or (tl == 4 and tr <= ir)  # pages


def violations(imports: list[Import]) -> list[str]:
    return [
        f"{i.module}:{i.line} imports {i.target}{' (inside a function)' if i.local else ''}"
        for i in imports
        if not allowed(i.module, i.target)
    ]


def test_every_import_follows_the_layers_of_docs_architecture() -> None:
    assert violations(all_imports()) == []


def core_django_imports(imports: list[Import]) -> list[str]:
    return [
        f"{i.module}:{i.line} imports {i.target}"
        for i in imports
        if layer(i.module)[0] == 1
        and (i.target.split(".")[0] in {"django", "huey"} or i.target.startswith("ldn.web"))
    ]


def test_the_order_is_the_one_docs_architecture_writes_down() -> None:
    line = next(line for line in DOCS.read_text().splitlines() if "Web apps, in order:" in line)
    assert tuple(line.split(":", 1)[1].strip().split(" → ")) == WEB_ORDER
    for module in PLACED:
        assert f"`{module.removeprefix('ldn.web.')}`" in DOCS.read_text()


def test_the_core_never_imports_django_or_the_web_layer() -> None:
    assert core_django_imports(all_imports()) == []


def test_the_check_sees_a_loop_hidden_inside_a_function(tmp_path: Path) -> None:
    """The check is able to fail: an import inside a function of an earlier app from a later
    one, a record importing a later app, the access layer importing a page, and the core
    importing Django are each reported."""
    probe = tmp_path / "plans.py"
    probe.write_text(
        "import datetime\ndef f():\n    from ldn.web.clinic import models\n    import django.db\n"
    )
    found = imports_of(probe, module="ldn.web.therapy.plans")
    assert [(i.target, i.line, i.local) for i in found] == [
        ("datetime", 1, False),
        ("ldn.web.clinic.models", 3, True),
        ("django.db", 4, True),
    ]
    assert violations(
        [
            *found,
            Import("ldn.web.journal.models", "ldn.web.therapy.models", 1, False),
            Import("ldn.web.access", "ldn.web.journal.views", 1, False),
        ]
    ) == [
        "ldn.web.therapy.plans:3 imports ldn.web.clinic.models (inside a function)",
        "ldn.web.journal.models:1 imports ldn.web.therapy.models",
        "ldn.web.access:1 imports ldn.web.journal.views",
    ]
    assert core_django_imports([Import("ldn.dosing.plan", "django.db", 4, True)]) == [
        "ldn.dosing.plan:4 imports django.db"
    ]


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("ldn.dosing.plan", (1, 0)),
        ("ldn.web.accounts.clock", (2, 1)),
        ("ldn.web.journal.models", (2, 4)),
        ("ldn.web.therapy.reminders", (2, 7)),
        ("ldn.web.access", (3, 0)),
        ("ldn.web.clinic.views_clinician", (4, 10)),
        ("ldn.web.journal.views", (4, 5)),  # placed with pwa
        ("ldn.web.accounts.onboarding", (4, 11)),
        ("ldn.cli.journal", (5, 0)),
    ],
)
def test_modules_sit_in_the_layer_the_docs_name(module: str, expected: tuple[int, int]) -> None:
    assert layer(module) == expected
