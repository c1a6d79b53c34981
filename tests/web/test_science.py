"""The public "How LDN works" pages: the chart and table follow simulate(), bad doses are refused."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.urls import reverse

from ldn import bibliography
from ldn.pharmacology import mechanism_claims, read_yaml, simulate
from ldn.web.science import charts

pytestmark = pytest.mark.django_db


def _get(client, query: str = "", name: str = "science:index") -> str:
    response = client.get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def _hourly_rows(page: str) -> list[list[str]]:
    """The table alternative's rows as lists of cell texts (time first)."""
    body = re.search(r'<table[^>]*id="science-table".*?<tbody>(.*?)</tbody>', page, re.S)
    assert body is not None
    rows = []
    for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", tr, re.S)
        rows.append([html.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in cells])
    return rows


def _number(text: str) -> float:
    return 0.0 if text.startswith("<") else float(text.rstrip("%"))


def test_the_page_renders_for_anyone_with_the_chart_the_table_and_the_disclaimer(client):
    page = _get(client)
    assert "<h1>How LDN works</h1>" in page
    assert '<svg id="science-chart"' in page
    assert len(_hourly_rows(page)) == 25
    assert "LDN Companion informs; it does not replace your clinician." in page
    assert reverse("science:validation") in page


def test_dose_4_5_shows_the_values_simulate_gives_for_the_same_inputs(client):
    # The page promises medians of 2,000 virtual people (seed 0, 10-min steps); the table
    # rounds to 3 significant figures and whole percent, so allow that rounding and no more.
    r = simulate(4.5, days=1, doses=1, population=2000, seed=0, step_min=10)
    rows = _hourly_rows(_get(client, "?dose=4.5"))
    for hour, (time_cell, nx, nl, occ) in enumerate(rows):
        i = hour * 6
        assert time_cell[0] == f"{(22 + hour) % 24:02d}:00"
        assert _number(nx[0]) == pytest.approx(r.series["naltrexone"].median[i], rel=5e-3, abs=1e-3)
        assert _number(nl[0]) == pytest.approx(r.series["naltrexol"].median[i], rel=5e-3, abs=1e-3)
        band = r.series["mu_occupancy"]
        assert _number(occ[0]) == pytest.approx(100 * band.median[i], abs=0.5)
        low, high = occ[1].rstrip("%").split("–")
        assert float(low) == pytest.approx(100 * band.p5[i], abs=0.5)
        assert float(high) == pytest.approx(100 * band.p95[i], abs=0.5)


def test_the_page_says_which_dose_it_shows_and_selects_it_in_the_form(client):
    page = _get(client, "?dose=1.5")
    assert '<option value="1.5" selected>' in page
    assert 'aria-valuetext="1.5 mg"' in page
    assert 'After <span class="dose-name">1.5 mg</span> at 22:00' in page


@pytest.mark.parametrize("bad", ["abc", "7", "-1", "0", "nan", "inf", "1e999", "4.5mg", " "])
def test_a_dose_without_a_curve_falls_back_to_4_5_mg_with_a_message(client, bad):
    page = _get(client, f"?dose={bad}")
    assert 'aria-valuetext="4.5 mg"' in page
    if bad.strip():
        assert "There is no curve for a dose of" in page
        assert "it shows 4.5 mg instead" in page


def test_a_very_long_dose_value_is_cut_short_in_the_message(client):
    page = _get(client, "?dose=" + "9" * 500)
    assert "9" * 21 not in page.split("There is no curve")[1][:200]


def test_the_embedded_curves_cover_every_slider_dose_and_50_mg(client):
    page = _get(client)
    raw = re.search(
        r'<script id="science-curves" type="application/json">(.*?)</script>', page, re.S
    )
    data = json.loads(raw.group(1))
    assert [d["label"] for d in data["doses"]] == [
        "0.5 mg", "1 mg", "1.5 mg", "2 mg", "2.5 mg", "3 mg", "3.5 mg", "4 mg", "4.5 mg", "50 mg",
    ]  # fmt: skip
    for d in data["doses"]:
        assert len(d["rows"]) == 25
        assert all(len(p["median"]) == len(data["xs"]) for p in d["panels"])


def test_every_mechanism_claim_appears_with_its_confidence_label_and_sources(client):
    page = html.unescape(_get(client))
    for claim in mechanism_claims():
        assert f"conf-{claim.confidence}" in page
        for key in claim.sources:
            assert bibliography.get(key).citation_text in page, key
    measured, hypothesised = page.index("What is measured"), page.index("What is hypothesised")
    assert measured < page.index("It blocks opioid receptors in the brain") < hypothesised
    assert hypothesised < page.index("Calming immune cells in the brain (TLR4, microglia)")


def test_the_validation_page_lists_every_check_with_its_published_value_and_source(client):
    page = html.unescape(_get(client, name="science:validation"))
    data = read_yaml("validation.yaml")
    checks = data["fitted"] + data["checks"]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">", page)
    assert len(rows) == len(checks)
    assert f"of {len(checks)} are within tolerance" in page
    # Swiss label 56109: naltrexone Cmax 13.3 ng/mL after 50 mg; Rabiner 2011: 27% at 2 mg.
    assert "13.3 ng/mL" in page and "27%" in page


def test_the_home_page_and_the_header_link_to_the_page(client):
    page = _get(client, name="home")
    assert page.count(f'href="{reverse("science:index")}"') >= 2


def test_chart_curves_are_cached_per_process():
    assert charts.curves(4.5) is charts.curves(4.5)
