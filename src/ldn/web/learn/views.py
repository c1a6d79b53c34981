"""Public library pages: read-only views of the static knowledge base (no patient data)."""

from __future__ import annotations

from functools import cache

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ldn.knowledge import KnowledgeBase, SearchHit, load_knowledge, match_condition
from ldn.knowledge import search as kb_search
from ldn.knowledge.guide import build_guide_html
from ldn.knowledge.web_support import (
    condition_reference_keys,
    filter_conditions,
    latest_review,
    reference_uses,
    references_for,
    section_reference_keys,
    tally,
)
from ldn.web.methods import methods

# Section slugs (as used by search hits) to URL names of this app.
SECTION_URLS = {
    "misconceptions": "learn:misconceptions",
    "side-effects": "learn:side_effects",
    "safe-use": "learn:safe_use",
    "habits-and-therapies": "learn:habits",
    "organisations": "learn:organisations",
    "references": "learn:references",
}
KIND_LABELS = {
    "condition": "Condition",
    "misconception": "Misconception",
    "side-effect": "Side effect",
    "safe-use": "Safe use",
    "habit": "Habits and therapies",
    "reference": "Reference",
}


@cache
def kb() -> KnowledgeBase:
    """The data is static for the life of a process, so validate it once."""
    return load_knowledge()


@cache
def guide_pdf_bytes() -> bytes:
    from weasyprint import HTML  # heavy import, only when someone asks for the PDF

    return bytes(HTML(string=build_guide_html(kb())).write_pdf())


def _page(
    request: HttpRequest, template: str, reviewed: object = None, **context: object
) -> HttpResponse:
    base = kb()
    context.setdefault("kb", base)
    context["last_reviewed"] = reviewed or latest_review(base)
    return render(request, f"learn/{template}", context)


@methods("GET")
def index(request: HttpRequest) -> HttpResponse:
    base = kb()
    return _page(request, "index.html", sources=references_for(base, base.about.refs))


@methods("GET")
def conditions(request: HttpRequest) -> HttpResponse:
    grade = request.GET.get("grade", "").strip().upper()
    text = request.GET.get("q", "").strip()[:100]
    if grade not in {g.letter for g in kb().grades}:
        grade = ""
    rows = [(c, tally(c)) for c in filter_conditions(kb(), grade, text)]
    return _page(request, "conditions.html", rows=rows, grade=grade, q=text)


@methods("GET")
def condition(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        cond = kb().condition(slug)
    except KeyError as exc:
        raise Http404("No such condition in the library") from exc
    refs = references_for(kb(), condition_reference_keys(cond))
    return _page(
        request,
        "condition.html",
        reviewed=cond.last_reviewed,
        cond=cond,
        grade=kb().grade(cond.grade),
        tally=tally(cond),
        sources=refs,
    )


@methods("GET")
def grades(request: HttpRequest) -> HttpResponse:
    counts = {g.letter: sum(c.grade == g.letter for c in kb().conditions) for g in kb().grades}
    return _page(request, "grades.html", counts=counts)


def _section(
    request: HttpRequest, template: str, slug: str, section: object, **extra: object
) -> HttpResponse:
    sources = references_for(kb(), section_reference_keys(kb(), slug))
    reviewed = getattr(section, "last_reviewed", None)
    return _page(request, template, reviewed=reviewed, section=section, sources=sources, **extra)


@methods("GET")
def misconceptions(request: HttpRequest) -> HttpResponse:
    return _section(request, "misconceptions.html", "misconceptions", kb().misconceptions)


@methods("GET")
def side_effects(request: HttpRequest) -> HttpResponse:
    return _section(request, "side_effects.html", "side-effects", kb().side_effects)


@methods("GET")
def safe_use(request: HttpRequest) -> HttpResponse:
    return _section(request, "topics.html", "safe-use", kb().safe_use, title="Safe use")


@methods("GET")
def habits(request: HttpRequest) -> HttpResponse:
    section = kb().habits_and_therapies
    title = "Habits and therapies"
    return _section(request, "topics.html", "habits-and-therapies", section, title=title)


@methods("GET")
def organisations(request: HttpRequest) -> HttpResponse:
    section = kb().organisations
    return _page(request, "organisations.html", reviewed=section.last_reviewed, section=section)


@methods("GET")
def references(request: HttpRequest) -> HttpResponse:
    entries = sorted(kb().references, key=lambda r: (r.short.lower(), r.title))
    uses = {
        key: [(u.title, _use_url(u.kind, u.slug)) for u in pages]
        for key, pages in reference_uses(kb()).items()
    }
    return _page(request, "references.html", entries=entries, uses=uses)


def _use_url(kind: str, slug: str) -> str:
    if kind == "condition":
        return reverse("learn:condition", kwargs={"slug": slug})
    return reverse(SECTION_URLS.get(slug, "learn:index"))


def hit_url(hit: SearchHit) -> str:
    if hit.kind == "condition":
        return reverse("learn:condition", kwargs={"slug": hit.slug})
    name = SECTION_URLS.get(hit.slug)
    return f"{reverse(name)}#{hit.anchor}" if name else reverse("learn:index")


def _result(hit: SearchHit) -> dict[str, object]:
    """A hit as the results page shows it; a condition shows its grade and plain summary."""
    cond = kb().condition(hit.slug) if hit.kind == "condition" else None
    return {
        "title": hit.title,
        "url": hit_url(hit),
        "label": KIND_LABELS.get(hit.kind, hit.kind.replace("-", " ").capitalize()),
        "grade": cond.grade if cond else None,
        "snippet": cond.summary.text if cond else hit.snippet,
    }


@methods("GET")
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    hits = [_result(h) for h in kb_search(kb(), q)] if q else []
    suggestions = match_condition(kb(), q).suggestions if q and not hits else ()
    return _page(request, "search.html", q=q, hits=hits, suggestions=suggestions)


@methods("GET")
def guide_pdf(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(guide_pdf_bytes(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="ldn-patient-guide.pdf"'
    return response
