"""Schema and citation rules: every claim sourced, every key resolves, every reference used."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from ldn.knowledge import (
    KnowledgeError,
    Reference,
    build,
    check_citations,
    load_knowledge,
    read_raw,
)

REQUIRED_CONDITIONS = {
    "multiple-sclerosis",
    "rheumatoid-arthritis",
    "crohns-disease-ibd",
    "psoriasis",
    "hashimotos-thyroiditis",
    "fibromyalgia",
    "complex-regional-pain-syndrome",
    "neuropathic-pain",
    "depression",
    "sarcoidosis",
    "lichen-planus",
    "cancer",
    "parkinsons-disease",
    "als",
    "long-covid",
    "me-cfs",
}


@pytest.fixture()
def raw() -> dict[str, Any]:
    return copy.deepcopy(read_raw())


def test_the_shipped_data_has_no_citation_findings() -> None:
    assert check_citations(load_knowledge()) == []


def test_every_required_condition_exists() -> None:
    slugs = {c.slug for c in load_knowledge().conditions}
    assert slugs >= REQUIRED_CONDITIONS


def test_it_refuses_a_claim_without_a_source(raw: dict[str, Any]) -> None:
    raw["misconceptions"]["items"][0]["clarification"]["refs"] = []
    with pytest.raises(KnowledgeError, match="K001"):
        build(raw)


def test_it_refuses_a_key_that_does_not_resolve(raw: dict[str, Any]) -> None:
    fibro = next(c for c in raw["conditions"] if c["slug"] == "fibromyalgia")
    fibro["studies"][0]["ref"] = "nobody2099"
    with pytest.raises(KnowledgeError, match="K002.*nobody2099"):
        build(raw)


def test_it_refuses_an_unused_reference(raw: dict[str, Any]) -> None:
    extra = dict(raw["references"][0], key="orphan2020")
    raw["references"].append(extra)
    with pytest.raises(KnowledgeError, match="K003.*orphan2020"):
        build(raw)


def test_it_reports_every_finding_not_just_the_first(raw: dict[str, Any]) -> None:
    raw["conditions"][0]["summary"]["refs"] = []
    fibro = next(c for c in raw["conditions"] if c["slug"] == "fibromyalgia")
    fibro["studies"][0]["ref"] = "missing_key"
    findings = check_citations(build(raw, strict=False))
    assert {"K001", "K002"} <= {f.code for f in findings}


@pytest.mark.parametrize("pmid", ["PMC123", "0123", "12a45", "1234567890"])
def test_it_refuses_a_malformed_pmid(pmid: str) -> None:
    with pytest.raises(ValidationError, match="pmid"):
        Reference(
            key="x2020",
            authors=["A B"],
            year=2020,
            title="A title",
            journal="Journal",
            pmid=pmid,
            checked_at="https://example.org/x",
        )


@pytest.mark.parametrize("doi", ["doi:10.1000/x", "11.1000/x", "10.12/abc", "10.1000/"])
def test_it_refuses_a_malformed_doi(doi: str) -> None:
    with pytest.raises(ValidationError, match="doi"):
        Reference(
            key="x2020",
            authors=["A B"],
            year=2020,
            title="A title",
            journal="Journal",
            doi=doi,
            checked_at="https://example.org/x",
        )


def test_an_article_needs_a_pmid_or_doi() -> None:
    with pytest.raises(ValidationError, match="pmid or a doi"):
        Reference(
            key="x2020",
            authors=["A B"],
            year=2020,
            title="A title",
            journal="Journal",
            checked_at="https://example.org/x",
        )


def test_a_real_doi_with_parentheses_is_accepted() -> None:
    # Lancet Rheumatology DOI as printed on the journal's record (Bruun et al. 2024).
    ref = Reference(
        key="x2024",
        authors=["A B"],
        year=2024,
        title="A title",
        journal="Journal",
        doi="10.1016/S2665-9913(23)00278-3",
        checked_at="https://example.org/x",
    )
    assert ref.link == "https://doi.org/10.1016/S2665-9913(23)00278-3"


@pytest.mark.parametrize(
    "field", ["summary", "grade", "typical_doses", "not_known", "last_reviewed", "grade_rationale"]
)
def test_a_condition_missing_a_required_field_is_refused(raw: dict[str, Any], field: str) -> None:
    del raw["conditions"][0][field]
    with pytest.raises(KnowledgeError, match=field):
        build(raw)


def test_a_graded_condition_without_studies_is_refused(raw: dict[str, Any]) -> None:
    cond = next(c for c in raw["conditions"] if c["grade"] == "B")
    cond["studies"] = []
    with pytest.raises(KnowledgeError, match="needs at least one study"):
        build(raw)


def test_negative_and_null_trials_are_kept() -> None:
    # FINAL (Bruun 2024, Lancet Rheumatol) was null on pain: p = 0.27 in its abstract.
    fibro = load_knowledge().condition("fibromyalgia")
    final = next(s for s in fibro.studies if s.ref == "bruun2024")
    assert final.direction == "null" and "0.27" in final.result


def test_every_page_section_has_a_review_date() -> None:
    kb = load_knowledge()
    dates = [c.last_reviewed for c in kb.conditions] + [
        kb.misconceptions.last_reviewed,
        kb.side_effects.last_reviewed,
        kb.safe_use.last_reviewed,
        kb.habits_and_therapies.last_reviewed,
        kb.organisations.last_reviewed,
    ]
    assert all(d is not None for d in dates)


def test_the_ten_misconceptions_are_all_present() -> None:
    assert len(load_knowledge().misconceptions.items) == 10
