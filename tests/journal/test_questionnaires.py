"""PHQ-9, GAD-7 and PGIC scored against their published rules.

PHQ-9: items 0-3, total 0-27; "PHQ-9 scores of 5, 10, 15, and 20 represented mild, moderate,
moderately severe, and severe depression" (Kroenke, Spitzer & Williams 2001, J Gen Intern Med
16:606-613, abstract). GAD-7: items 0-3, total 0-21; "Scores of 5, 10, and 15 represent cut points
for mild, moderate, and severe anxiety" (Spitzer et al. 2006, Arch Intern Med 166:1092-1097, as
quoted on scoring pages citing it). PGIC: one item, "1=very much improved" to "7=very much worse"
(NINDS CDE record); "much"/"very much improved" = clinically important (Farrar et al. 2001, Pain).
"""

from __future__ import annotations

import pytest

from ldn.journal.questionnaires import (
    QuestionnaireError,
    instruments,
    reference,
    score_questionnaire,
)


def phq9(*values: int) -> dict[str, int]:
    return {f"phq9_{i}": v for i, v in enumerate(values, start=1)}


def gad7(*values: int) -> dict[str, int]:
    return {f"gad7_{i}": v for i, v in enumerate(values, start=1)}


def phq9_total(total: int) -> dict[str, int]:
    """Answers summing to `total` with item 9 at 0 (so no flag)."""
    values = [0] * 9
    for i in range(8):
        values[i] = min(3, total - sum(values))
    assert sum(values) == total
    return phq9(*values)


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (4, "minimal"),
        (5, "mild"),  # Kroenke 2001: 5 = mild
        (9, "mild"),
        (10, "moderate"),  # 10 = moderate
        (14, "moderate"),
        (15, "moderately severe"),  # 15 = moderately severe
        (19, "moderately severe"),
        (20, "severe"),  # 20 = severe
        (24, "severe"),  # highest total reachable with item 9 at 0
    ],
)
def test_phq9_totals_fall_in_kroenke_2001_bands(total, band):
    result = score_questionnaire("phq9", phq9_total(total))
    assert (result.total, result.band, result.flags) == (total, band, ())


def test_phq9_maximum_is_27():
    assert score_questionnaire("phq9", phq9(*[3] * 9)).total == 27


def test_any_answer_above_zero_on_phq9_item_9_raises_a_flag_whatever_the_total():
    result = score_questionnaire("phq9", phq9(0, 0, 0, 0, 0, 0, 0, 0, 1))
    assert result.total == 1 and result.band == "minimal"
    assert [f.id for f in result.flags] == ["item9_positive"]
    assert result.flags[0].source == "simon2013"


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        ((0, 0, 0, 0, 0, 0, 0), 0, "minimal"),
        ((1, 1, 1, 1, 0, 0, 0), 4, "minimal"),
        ((1, 1, 1, 1, 1, 0, 0), 5, "mild"),  # Spitzer 2006: 5 = mild
        ((2, 2, 2, 2, 1, 0, 0), 9, "mild"),
        ((2, 2, 2, 2, 2, 0, 0), 10, "moderate"),  # 10 = moderate
        ((2, 2, 2, 2, 2, 2, 2), 14, "moderate"),
        ((3, 3, 3, 2, 2, 1, 1), 15, "severe"),  # 15 = severe
        ((3, 3, 3, 3, 3, 3, 3), 21, "severe"),  # maximum 21
    ],
)
def test_gad7_totals_fall_in_spitzer_2006_bands(answers, total, band):
    result = score_questionnaire("gad7", gad7(*answers))
    assert (result.total, result.band) == (total, band)


@pytest.mark.parametrize(
    ("value", "label", "flagged"),
    [
        (1, "Very much improved", True),
        (2, "Much improved", True),
        (3, "Minimally improved", False),
        (4, "No change", False),
        (7, "Very much worse", False),
    ],
)
def test_pgic_reports_the_chosen_label_and_flags_much_or_very_much_improved(value, label, flagged):
    result = score_questionnaire("pgic", {"pgic": value})
    assert (result.total, result.band) == (value, label)
    assert bool(result.flags) is flagged


def test_a_missing_item_is_refused_not_prorated():
    answers = phq9(*[1] * 9)
    del answers["phq9_4"]
    with pytest.raises(QuestionnaireError, match=r"phq9_4 \('Feeling tired.*'\) is missing"):
        score_questionnaire("phq9", answers)


def test_an_out_of_range_answer_names_the_item_and_the_accepted_range():
    with pytest.raises(
        QuestionnaireError, match="gad7_3 must be a whole number from 0 to 3, got 4"
    ):
        score_questionnaire("gad7", gad7(0, 0, 4, 0, 0, 0, 0))
    with pytest.raises(QuestionnaireError, match="pgic must be a whole number from 1 to 7, got 0"):
        score_questionnaire("pgic", {"pgic": 0})


def test_true_is_not_accepted_as_an_answer_of_one():
    with pytest.raises(QuestionnaireError, match="gad7_1 must be a whole number"):
        score_questionnaire("gad7", {**gad7(0, 0, 0, 0, 0, 0, 0), "gad7_1": True})


def test_an_item_the_instrument_does_not_have_is_refused():
    with pytest.raises(QuestionnaireError, match="phq9 has no item 'phq9_10'"):
        score_questionnaire("phq9", {**phq9(*[0] * 9), "phq9_10": 1})


def test_an_unknown_instrument_is_refused():
    with pytest.raises(QuestionnaireError, match="instrument must be one of"):
        score_questionnaire("beck", {})


def test_every_instrument_states_its_licence_and_cites_sources_that_exist():
    for spec in instruments().values():
        assert spec.licence
        for key in spec.sources:
            ref = reference(key)
            assert ref.read_at or ref.note


def test_item_counts_match_the_instruments_names():
    counts = {k: len(v.items) for k, v in instruments().items()}
    assert counts == {"phq9": 9, "gad7": 7, "pgic": 1}
