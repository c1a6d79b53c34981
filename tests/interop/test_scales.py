"""The 0-4 -> 0-10 conversion shown before an import commits."""

from __future__ import annotations

from ldn.interop import scale_mapping
from ldn.journal.vocabulary import RATING_ANCHORS


def test_the_table_is_the_stated_rule_times_two_and_a_half_halves_to_even():
    table = scale_mapping("zero_to_four").table
    assert table == {v: round(2.5 * v) for v in range(5)}  # Python rounds halves to even


def test_bearables_severity_labels_land_on_our_anchors_of_the_same_name():
    # Labels and values as in a real Bearable export: Mild 1, Moderate 2, Severe 3, Unbearable 4
    table = scale_mapping("zero_to_four").table
    assert RATING_ANCHORS[table[1]].startswith("Mild")
    assert RATING_ANCHORS[table[2]].startswith("Moderate")
    assert RATING_ANCHORS[table[3]].startswith("Severe")
    assert RATING_ANCHORS[table[4]] == "As bad as I can imagine"
    assert RATING_ANCHORS[table[0]] == "None"


def test_the_mapping_carries_its_rule_and_evidence_for_the_preview():
    mapping = scale_mapping("bearable_sleep_quality")
    assert "ASSUMPTION" in mapping.rule
    assert mapping.table[1] == 0 and mapping.table[5] == 10
    assert mapping.notes
