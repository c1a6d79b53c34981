"""The public library pages (/learn/): content from the knowledge base, search, the guide PDF."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from ldn.knowledge.web_support import filter_conditions, reference_uses, tally
from ldn.web.learn.views import kb

pytestmark = pytest.mark.django_db

PAGES = [
    ("learn:index", {}),
    ("learn:conditions", {}),
    ("learn:condition", {"slug": "fibromyalgia"}),
    ("learn:grades", {}),
    ("learn:misconceptions", {}),
    ("learn:side_effects", {}),
    ("learn:safe_use", {}),
    ("learn:habits", {}),
    ("learn:organisations", {}),
    ("learn:references", {}),
    ("learn:search", {}),
]


def _get(client, name: str, query: str = "", **kwargs: str) -> str:
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 200
    return response.content.decode()


def _text(html: str) -> str:
    """Visible text with tags stripped and whitespace collapsed, for phrase assertions."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&quot;", '"')


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_every_library_page_is_public_with_review_date_disclaimer_and_search(client, name, kwargs):
    html = _get(client, name, **kwargs)
    assert "Last reviewed" in html
    assert 'datetime="20' in html
    assert "it does not replace your clinician" in html
    assert 'action="/learn/search/"' in html  # the header search box


def test_the_header_offers_learn_and_search_on_non_library_pages(client):
    html = _get(client, "home")
    assert 'href="/learn/"' in html
    assert 'role="search"' in html


def test_conditions_index_lists_every_condition_with_a_grade_badge(client):
    html = _get(client, "learn:conditions")
    assert html.count('class="card condition-card"') == len(kb().conditions)
    for cond in kb().conditions:
        assert f'href="/learn/conditions/{cond.slug}/"' in html
    assert "Grade B" in html and "Grade E" in html


def test_the_grade_filter_works_without_javascript(client):
    html = _get(client, "learn:conditions", "?grade=E")
    assert "Amyotrophic" in html or "ALS" in html
    assert 'href="/learn/conditions/fibromyalgia/"' not in html
    assert '<option value="E" selected>' in html


def test_the_text_filter_tolerates_a_typo_and_keeps_the_grade(client):
    html = _get(client, "learn:conditions", "?q=fibromylgia&grade=B")
    assert 'href="/learn/conditions/fibromyalgia/"' in html
    assert 'href="/learn/conditions/multiple-sclerosis/"' not in html


def test_an_unknown_grade_in_the_filter_is_ignored(client):
    html = _get(client, "learn:conditions", "?grade=Z")
    assert html.count('class="card condition-card"') == len(kb().conditions)


def test_fibromyalgia_page_shows_the_final_trials_null_result_as_prominently_as_benefits(client):
    # Bruun et al., Lancet Rheumatol 2024 (FINAL): 6 mg naltrexone was not superior to placebo on
    # pain; between-group difference -0.34 (95% CI -0.95 to 0.27), p = 0.27.
    html = _get(client, "learn:condition", slug="fibromyalgia")
    text = _text(html)
    assert "FINAL" in text
    assert "-0.34 (95% CI -0.95 to 0.27)" in text
    assert '<span class="direction direction-null">Null result</span>' in html
    assert '<span class="direction direction-benefit">Benefit</span>' in html
    # Younger et al. 2013: pain fell 28.8% on LDN vs 18.0% on placebo.
    assert "28.8%" in text and "18.0%" in text


def test_condition_page_explains_its_grade_and_lists_doses_unknowns_and_sources(client):
    html = _get(client, "learn:condition", slug="fibromyalgia")
    text = _text(html)
    grade_b = kb().grade("B")
    assert grade_b.label in text
    assert grade_b.definition.split(",")[0] in text
    assert "Typical doses used" in text and "4.5 mg" in text
    assert "What is not known" in text
    # Younger & Mackey 2009, Pain Med, PMID 19453963 (the Stanford pilot).
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/19453963/"' in html
    # Younger et al. 2013, Arthritis Rheum, doi:10.1002/art.37734.
    assert 'href="https://doi.org/10.1002/art.37734"' in html


def test_every_condition_page_renders_with_a_study_table_or_a_no_data_note(client):
    for cond in kb().conditions:
        html = _get(client, "learn:condition", slug=cond.slug)
        assert cond.name.replace("'", "&#x27;") in html
        if cond.studies:
            assert html.count('<tr class="study') == len(cond.studies)
        else:
            assert "no clinical outcome study" in html


def test_unknown_condition_slug_is_a_404(client):
    response = client.get(reverse("learn:condition", kwargs={"slug": "no-such-condition"}))
    assert response.status_code == 404


def test_misconceptions_page_lists_the_ten_myths_with_verdicts(client):
    html = _get(client, "learn:misconceptions")
    assert html.count('class="card topic"') == len(kb().misconceptions.items) >= 10
    assert 'class="verdict verdict-false">False<' in html


def test_side_effects_page_gives_trial_frequencies(client):
    # Smith et al. 2007 (Crohn's pilot, Am J Gastroenterol): sleep disturbance in 7 of 17.
    text = _text(_get(client, "learn:side_effects"))
    assert "7 of 17" in text
    assert "Vivid dreams" in text


def test_habits_page_states_the_strength_of_each_piece_of_evidence(client):
    text = _text(_get(client, "learn:habits"))
    assert "Strength of evidence:" in text
    assert "EULAR" in text


def test_references_page_links_every_scholarly_entry_to_pubmed_or_doi(client):
    html = _get(client, "learn:references")
    for ref in kb().references:
        assert f'id="{ref.key}"' in html
        if ref.pmid:
            assert f'href="https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"' in html
        if ref.doi:
            assert f'href="https://doi.org/{ref.doi}"' in html
        if not (ref.pmid or ref.doi):
            assert f'href="{ref.url}"' in html


def test_references_page_cites_in_full_and_links_back_to_the_citing_page(client):
    text = _text(_get(client, "learn:references"))
    assert "Younger J, Mackey S (2009). Fibromyalgia symptoms are reduced by low-dose" in text
    assert "Cited on: Fibromyalgia" in text


def test_search_finds_fibromyalgia_despite_a_typo(client):
    html = _get(client, "learn:search", "?q=fibromylgia")
    first = re.search(r'<li class="card result">.*?<a href="([^"]+)"', html, re.S)
    assert first is not None
    assert first.group(1) == "/learn/conditions/fibromyalgia/"


def test_search_links_section_hits_to_their_anchor(client):
    html = _get(client, "learn:search", "?q=vivid+dreams")
    assert 'href="/learn/side-effects/#vivid-dreams"' in html


def test_search_without_hits_says_so_and_offers_condition_names(client):
    text = _text(_get(client, "learn:search", "?q=qqqzzzxxx"))
    assert "Nothing in the library matches" in text
    assert "Closest condition names" in text


def test_the_guide_pdf_downloads_as_a_pdf(client):
    response = client.get(reverse("learn:guide_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "ldn-patient-guide.pdf" in response["Content-Disposition"]


def test_filter_counts_null_results_apart_from_benefits():
    # FINAL (Bruun 2024) was null; the two Stanford trials (Younger 2009, 2013) favoured LDN.
    counts = tally(kb().condition("fibromyalgia"))
    assert counts.benefit >= 2 and counts.null >= 1


def test_filter_by_grade_returns_only_that_grade():
    assert {c.grade for c in filter_conditions(kb(), grade="c")} == {"C"}


def test_every_reference_is_traced_to_a_page_that_cites_it():
    uses = reference_uses(kb())
    assert all(uses[r.key] for r in kb().references)
