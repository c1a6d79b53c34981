"""Typo-tolerant matching and search, the evidence CLI and the guide."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from ldn.cli import app
from ldn.knowledge import load_knowledge, match_condition, search
from ldn.knowledge.guide import build_guide_html

runner = CliRunner()


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("fibro", "fibromyalgia"),
        ("crohns", "crohns-disease-ibd"),
        ("MS", "multiple-sclerosis"),
        ("multple sclerosis", "multiple-sclerosis"),
        ("Hashimoto", "hashimotos-thyroiditis"),
        ("depresion", "depression"),
        ("CRPS", "complex-regional-pain-syndrome"),
    ],
)
def test_it_matches_conditions_case_and_typo_tolerantly(query: str, slug: str) -> None:
    found = match_condition(load_knowledge(), query)
    assert found.condition is not None and found.condition.slug == slug


def test_an_unknown_condition_gives_suggestions_not_a_match() -> None:
    found = match_condition(load_knowledge(), "nosuchthing")
    assert found.condition is None and len(found.suggestions) == 5


def test_search_finds_a_side_effect_despite_a_typo() -> None:
    hits = search(load_knowledge(), "vivid dreems")
    assert hits[0].kind == "side-effect" and hits[0].anchor == "vivid-dreams"


def test_search_covers_references() -> None:
    hits = search(load_knowledge(), "Younger")
    assert any(h.kind == "reference" for h in hits)


def test_evidence_without_argument_lists_every_condition() -> None:
    result = runner.invoke(app, ["evidence", "--json"])
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(load_knowledge().conditions)


def test_evidence_fibro_json_includes_the_null_final_trial() -> None:
    result = runner.invoke(app, ["evidence", "fibro", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["slug"] == "fibromyalgia"
    assert "null" in {s["direction"] for s in data["studies"]}


def test_evidence_for_an_unknown_condition_exits_non_zero_with_suggestions() -> None:
    result = runner.invoke(app, ["evidence", "nosuchthing"])
    assert result.exit_code == 1
    assert "closest:" in result.output and "Traceback" not in result.output


def test_the_guide_contains_every_condition_and_the_disclaimer() -> None:
    kb = load_knowledge()
    html = build_guide_html(kb)
    assert "does not replace your clinician" in html
    assert all(c.name.replace("'", "&#x27;") in html for c in kb.conditions)


def test_the_guide_opens_with_a_one_page_summary_in_plain_words() -> None:
    html = build_guide_html(load_knowledge())
    body = html.split("<body>", 1)[1]
    assert body.startswith("<section class='summary'><h1>LDN in one page</h1>")
    summary = body.split("</section>", 1)[0]
    assert "Never take more of an opioid to overcome the block" in summary
    assert "7 to 10 opioid-free days" in summary
    assert "Reported: Reported" not in html and "How often: Reported" in html
