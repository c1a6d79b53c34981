"""`ldn evidence` and `ldn guide`: the evidence table and the printable patient guide."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ldn.cli.main import app, fail
from ldn.knowledge import KnowledgeError, load_knowledge, match_condition, search
from ldn.knowledge.guide import build_guide_html


def _kb():
    try:
        return load_knowledge()
    except KnowledgeError as exc:
        fail(str(exc))


@app.command()
def evidence(
    condition: str = typer.Argument(None, help="Condition name; typos and abbreviations are fine."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Evidence grades for all conditions, or the studies for one.

    Example: ldn evidence fibro --json
    """
    kb = _kb()
    if not condition:
        rows = [
            {
                "slug": c.slug,
                "name": c.name,
                "grade": c.grade,
                "grade_label": kb.grade(c.grade).label,
                "studies": len(c.studies),
                "last_reviewed": c.last_reviewed.isoformat(),
            }
            for c in sorted(kb.conditions, key=lambda c: (c.grade, c.name))
        ]
        if as_json:
            typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        width = max(len(r["name"]) for r in rows) + 2
        typer.echo(f"{'Grade':<6}{'Condition':<{width}}{'Studies':>7}")
        for r in rows:
            typer.echo(f"{r['grade']:<6}{r['name']:<{width}}{r['studies']:>7}")
        typer.echo("")
        for g in kb.grades:
            typer.echo(f"{g.letter}: {g.label}")
        return
    found = match_condition(kb, condition)
    if found.condition is None:
        fail(f"no condition matches {condition!r}; closest: {', '.join(found.suggestions)}")
    c = found.condition
    studies = [
        {
            **s.model_dump(),
            "reference": kb.reference(s.ref).citation(),
            "link": kb.reference(s.ref).link,
        }
        for s in c.studies
    ]
    if as_json:
        data = {
            "slug": c.slug,
            "name": c.name,
            "grade": c.grade,
            "grade_label": kb.grade(c.grade).label,
            "summary": c.summary.text,
            "typical_doses": c.typical_doses.text,
            "not_known": c.not_known,
            "last_reviewed": c.last_reviewed.isoformat(),
            "studies": studies,
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    typer.echo(f"{c.name} — grade {c.grade} ({kb.grade(c.grade).label})")
    typer.echo(c.summary.text)
    for s in studies:
        typer.echo(f"\n* {s['design']} | n={s['n']} | {s['dose']} | {s['duration']}")
        typer.echo(f"  {s['outcome']}: {s['result']} [{s['direction']}]")
        typer.echo(f"  {s['reference']}")
    if not studies:
        typer.echo("\nNo studies: " + kb.grade(c.grade).definition)
    typer.echo(f"\nTypical doses: {c.typical_doses.text}")
    typer.echo("Not known: " + " ".join(c.not_known))
    typer.echo(f"Last reviewed: {c.last_reviewed.isoformat()}. {kb.disclaimer}")


@app.command("kb-search")
def kb_search(
    query: str = typer.Argument(..., help="Words to look for; typos are tolerated."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Search the knowledge base.

    Example: ldn kb-search "vivid dreems"
    """
    hits = search(_kb(), query)
    if as_json:
        typer.echo(json.dumps([asdict(h) for h in hits], indent=2, ensure_ascii=False))
        return
    if not hits:
        fail(f"nothing matches {query!r}")
    for h in hits:
        typer.echo(f"{h.score:>6.1f}  {h.kind:<14}{h.title}  (/{h.slug}#{h.anchor})")


@app.command()
def guide(
    out: Annotated[Path, typer.Option("--out", help="PDF file to write.")],
    html: bool = typer.Option(False, "--html", help="Write the HTML instead of a PDF."),
) -> None:
    """Write the printable patient guide.

    Example: ldn guide --out ldn-guide.pdf
    """
    text = build_guide_html(_kb())
    try:
        if html:
            out.write_text(text, encoding="utf-8")
        else:
            from weasyprint import HTML

            HTML(string=text).write_pdf(str(out))
    except OSError as exc:
        fail(f"cannot write {out}: {exc.strerror or exc}")
    typer.echo(f"Wrote {out}")
