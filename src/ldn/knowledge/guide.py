"""The printable patient guide: one HTML document built from the same data as the pages."""

from __future__ import annotations

from html import escape

from ldn.knowledge.models import Claim, KnowledgeBase

_CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #222; }
h1 { font-size: 20pt; margin: 0 0 4mm; } h2 { font-size: 14pt; border-bottom: 1px solid #999;
  margin-top: 8mm; } h3 { font-size: 11pt; margin: 4mm 0 1mm; }
.disclaimer { border: 1px solid #c60; background: #fff4e8; padding: 3mm; }
.grade { display: inline-block; font-weight: bold; border: 1px solid #333; padding: 0 2mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 2mm 0; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; } .cite { color: #555; font-size: 8pt; } .null { background: #f3f3f3; }
.refs li { margin-bottom: 1.5mm; font-size: 8.5pt; } .small { font-size: 8.5pt; color: #444; }
.summary { font-size: 10.5pt; line-height: 1.3; page-break-after: always; }
.summary h1 { font-size: 18pt; } .summary h2 { font-size: 12.5pt; margin-top: 3mm; }
.summary .warn { border: 2px solid #a4262c; padding: 2mm 3mm; }
.summary li { margin-bottom: 1mm; } .summary p { margin: 1.5mm 0; }
"""

# Safe-use items the one-page summary repeats in full, in this order.
SUMMARY_SAFETY = ("opioids", "surgery")


def _cite(kb: KnowledgeBase, claim: Claim) -> str:
    keys = ", ".join(escape(kb.reference(k).short) for k in claim.refs)
    return f' <span class="cite">[{keys}]</span>' if keys else ""


def _p(kb: KnowledgeBase, claim: Claim) -> str:
    return f"<p>{escape(claim.text)}{_cite(kb, claim)}</p>"


def _summary_page(kb: KnowledgeBase) -> str:
    """Page 1 in plain words: what LDN is, the safety points, side effects, the evidence in brief.

    Built only from the knowledge base's own claims, so every sentence keeps its source.
    """
    out = ["<section class='summary'><h1>LDN in one page</h1>"]
    out.append(f"<p>{escape(kb.disclaimer)}</p>")
    out.append("<h2>What it is</h2>" + _p(kb, kb.about))
    out.append("<h2>Safety first</h2><div class='warn'>")
    items = {t.slug: t for t in kb.safe_use.items}
    for slug in SUMMARY_SAFETY:
        if slug in items:
            out.append(f"<p><b>{escape(items[slug].title)}.</b> {escape(items[slug].body.text)}")
            out.append(f"{_cite(kb, items[slug].body)}</p>")
    names = ", ".join(escape(e.name.split(" (")[0].lower()) for e in kb.side_effects.items[1:])
    out.append(f"</div><h2>Side effects</h2><p>Those reported in studies: {names}. ")
    out.append("How often each was seen, and against placebo: see “Side effects”.</p>")
    out.append("<h2>Does it work?</h2><ul>")
    for g in kb.grades:
        conds = sorted(c.name for c in kb.conditions if c.grade == g.letter)
        if conds:
            out.append(
                f"<li><b>{escape(g.label)}</b> ({g.letter}): {escape(', '.join(conds))}</li>"
            )
    out.append("</ul></section>")
    return "".join(out)


def build_guide_html(kb: KnowledgeBase) -> str:
    """A one-page summary, then: what LDN is, safe use, side effects, evidence, myths, references."""
    out: list[str] = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>"]
    out.append(f"<title>LDN patient guide</title><style>{_CSS}</style></head><body>")
    out.append(_summary_page(kb))
    out.append("<h1>Low-dose naltrexone (LDN): a patient guide</h1>")
    out.append(f"<p class='disclaimer'>{escape(kb.disclaimer)}</p>")
    out.append("<h2>What LDN is</h2>" + _p(kb, kb.about))
    out.append("<h2>How it is taken and safe use</h2>" + _p(kb, kb.safe_use.intro))
    for t in kb.safe_use.items:
        out.append(f"<h3>{escape(t.title)}</h3>{_p(kb, t.body)}")
    out.append("<h2>Side effects</h2>" + _p(kb, kb.side_effects.intro))
    for e in kb.side_effects.items:
        freqs = "; ".join(
            f"{escape(f.figure)} [{escape(kb.reference(f.ref).short)}]" for f in e.frequencies
        )
        out.append(f"<h3>{escape(e.name)}</h3>{_p(kb, e.description)}")
        if freqs:
            out.append(f"<p class='small'>How often: {freqs}</p>")
    out.append("<h2>Evidence by condition</h2><p>Grades:</p><ul>")
    for g in kb.grades:
        out.append(f"<li><b>{g.letter}</b> {escape(g.label)}: {escape(g.definition)}</li>")
    out.append("</ul><table><tr><th>Condition</th><th>Grade</th><th>Studies</th></tr>")
    for c in sorted(kb.conditions, key=lambda c: (c.grade, c.name)):
        out.append(f"<tr><td>{escape(c.name)}</td><td>{c.grade}</td><td>{len(c.studies)}</td></tr>")
    out.append("</table>")
    for c in sorted(kb.conditions, key=lambda c: c.name):
        out.append(f"<h3>{escape(c.name)} <span class='grade'>{c.grade}</span></h3>")
        out.append(_p(kb, c.summary))
        if c.studies:
            out.append(
                "<table><tr><th>Design</th><th>n</th><th>Dose</th><th>Duration</th>"
                "<th>Result</th><th>Source</th></tr>"
            )
            for s in c.studies:
                cls = " class='null'" if s.direction in ("null", "mixed") else ""
                out.append(
                    f"<tr{cls}><td>{escape(s.design)}</td><td>{escape(s.n)}</td>"
                    f"<td>{escape(s.dose)}</td><td>{escape(s.duration)}</td>"
                    f"<td>{escape(s.result)}</td><td>{escape(kb.reference(s.ref).short)}</td></tr>"
                )
            out.append("</table>")
        out.append(f"<p class='small'>Typical doses: {escape(c.typical_doses.text)}</p>")
        unknown = "".join(f"<li>{escape(n)}</li>" for n in c.not_known)
        out.append(f"<p class='small'>Not known:</p><ul class='small'>{unknown}</ul>")
    out.append("<h2>Common misconceptions</h2>")
    for m in kb.misconceptions.items:
        out.append(f"<h3>“{escape(m.myth)}” ({escape(m.verdict)})</h3>{_p(kb, m.clarification)}")
    out.append("<h2>Organisations</h2><ul>")
    for o in kb.organisations.items:
        addr = f", {escape(o.postal_address)}" if o.postal_address else ""
        out.append(
            f"<li><b>{escape(o.name)}</b>: {escape(o.url)}{addr}. {escape(o.description)}</li>"
        )
    out.append("</ul><h2>References</h2><ol class='refs'>")
    for r in sorted(kb.references, key=lambda r: r.short):
        out.append(f"<li>{escape(r.citation())} {escape(r.link)}</li>")
    dates = max(c.last_reviewed for c in kb.conditions)
    out.append(f"</ol><p class='small'>Last reviewed {dates.isoformat()}.</p></body></html>")
    return "".join(out)
