"""Data-quality rules beyond the citation checks: identifiers, grading consistency, null trials
kept, side-effect frequencies stated honestly, habits labelled as general where they are."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlparse

import pytest

from ldn.knowledge import load_knowledge
from ldn.knowledge.models import SCHOLARLY_TYPES

KB = load_knowledge()


def _duplicates(values: list[str]) -> list[str]:
    return sorted(v for v, n in Counter(values).items() if n > 1)


def test_no_two_references_share_a_pmid() -> None:
    assert _duplicates([r.pmid for r in KB.references if r.pmid]) == []


def test_no_two_references_share_a_doi() -> None:
    assert _duplicates([r.doi.lower() for r in KB.references if r.doi]) == []


def test_a_key_ending_in_a_year_matches_the_reference_year() -> None:
    wrong = []
    for ref in KB.references:
        found = re.search(r"(19|20)\d\d", ref.key)
        if found and ref.year is not None and int(found.group(0)) != ref.year:
            wrong.append(ref.key)
    assert wrong == []


def test_where_we_read_each_source_is_a_web_address() -> None:
    assert [r.key for r in KB.references if not r.checked_at.startswith("http")] == []


def test_an_entry_with_unverified_authors_says_so_and_explains_why() -> None:
    # We never guess author lists: an entry without them must carry a verification note.
    placeholders = [r for r in KB.references if any("not shown" in a for a in r.authors)]
    assert placeholders, "expected the known entries without visible author lists"
    assert all(r.verification_note for r in placeholders)


def test_scholarly_entries_without_an_identifier_do_not_exist() -> None:
    missing = [r.key for r in KB.references if r.type in SCHOLARLY_TYPES and not (r.pmid or r.doi)]
    assert missing == []


def test_every_grade_b_condition_has_a_randomised_study() -> None:
    # Grade B is defined as "at least one randomised controlled trial exists".
    lacking = [
        c.slug
        for c in KB.conditions
        if c.grade == "B" and not any("andomi" in s.design for s in c.studies)
    ]
    assert lacking == []


def test_grade_d_conditions_have_no_randomised_or_observational_cohort() -> None:
    # Grade D means case reports, case series or abstracts only.
    for cond in (c for c in KB.conditions if c.grade == "D"):
        assert not any("andomi" in s.design for s in cond.studies), cond.slug


@pytest.mark.parametrize(
    ("slug", "ref", "marker"),
    [
        # Lichen planopilaris RCT, J Dermatolog Treat 2020 (PubMed 32449418): between groups p = .813.
        ("lichen-planus", "lpp_rct2020", ".813"),
        # Bested et al. 2023, PAIN Reports: FIQR median difference P = 0.3.
        ("fibromyalgia", "bested2023", "P = 0.3"),
        # Sharafaddinzadeh et al. 2010, Mult Scler: no significant between-group difference.
        ("multiple-sclerosis", "sharafaddinzadeh2010", "No statistically significant"),
        # Beaudette-Zlatanova et al. 2023, Clin Ther: pain interference p = 0.90.
        ("rheumatoid-arthritis", "beaudettezlatanova2023", "p = 0.90"),
    ],
)
def test_null_trials_are_shown_as_null(slug: str, ref: str, marker: str) -> None:
    study = next(s for s in KB.condition(slug).studies if s.ref == ref)
    assert study.direction == "null" and marker in study.result


def test_the_2024_review_of_seven_trials_is_reported_as_null() -> None:
    # Rassi-Mariani et al. 2024, Pain Manag: 7 RCTs, 406 patients, "not effective".
    study = next(s for s in KB.condition("neuropathic-pain").studies if s.ref == "rassimariani2024")
    assert study.direction == "null" and study.n == "7 trials, 406 patients"


def test_the_active_controlled_neuropathy_trial_is_not_called_a_benefit() -> None:
    # No placebo arm and no significant difference from amitriptyline: it cannot show benefit.
    study = next(
        s for s in KB.condition("neuropathic-pain").studies if s.ref == "ldn_amitriptyline_pdn2021"
    )
    assert study.direction != "benefit" and "-0.92 to 4.20" in study.result


def test_every_frequency_gives_a_number_or_says_it_was_not_given() -> None:
    vague = [
        f"{e.slug}: {f.figure}"
        for e in KB.side_effects.items
        for f in e.frequencies
        if not re.search(r"\d", f.figure) and "frequency not given" not in f.figure
    ]
    assert vague == []


def test_the_final_trial_adverse_events_match_the_reported_counts() -> None:
    # FINAL (Bruun 2024): any AE 41/49 (84%) on LDN vs 43/50 (86%) on placebo.
    eff = next(e for e in KB.side_effects.items if e.slug == "any-adverse-event")
    figure = next(f.figure for f in eff.frequencies if f.ref == "bruun2024")
    assert "41 of 49 (84%)" in figure and "43 of 50 (86%)" in figure


def test_every_habit_states_its_evidence_strength() -> None:
    assert [t.slug for t in KB.habits_and_therapies.items if not t.evidence_strength] == []


@pytest.mark.parametrize(
    "slug",
    ["exercise", "psychological-therapy", "psychological-therapy-chronic-pain", "sleep", "diet"],
)
def test_general_habits_say_they_are_not_ldn_specific(slug: str) -> None:
    topic = next(t for t in KB.habits_and_therapies.items if t.slug == slug)
    assert topic.evidence_strength is not None
    assert "Not LDN-specific" in topic.evidence_strength


def test_a_postal_address_comes_from_the_organisations_own_site() -> None:
    for org in KB.organisations.items:
        if org.postal_address:
            own = urlparse(org.url).hostname or ""
            seen = urlparse(org.verified_from).hostname or ""
            assert own.removeprefix("www.") == seen.removeprefix("www."), org.slug


def test_no_page_claims_a_review_date_in_the_future() -> None:
    import datetime as dt

    dates = {c.slug: c.last_reviewed for c in KB.conditions}
    future = {slug: d for slug, d in dates.items() if d > dt.date.today()}
    assert future == {}
