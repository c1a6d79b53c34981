"""Condition rules (label contraindications, perioperative guidance) and the rule data itself."""

from __future__ import annotations

import pytest

from ldn.safety import SEVERITIES, rules, screen
from ldn.safety.rules import medication_index, substances

CASES = [
    # naltrexone label: contraindicated in acute hepatitis or liver failure
    ("acute hepatitis", "LIVER_FAILURE", "contraindicated"),
    ("liver failure", "LIVER_FAILURE", "contraindicated"),
    # label: use in active liver disease must be carefully considered
    ("liver disease", "LIVER_DISEASE", "warning"),
    ("cirrhosis", "LIVER_DISEASE", "warning"),
    # label: contraindicated when dependent on opioids / maintained on methadone or buprenorphine
    ("opioid use disorder", "OPIOID_USE_DISORDER_TREATMENT", "contraindicated"),
    ("methadone maintenance", "OPIOID_USE_DISORDER_TREATMENT", "contraindicated"),
    ("opioid withdrawal", "OPIOID_WITHDRAWAL", "contraindicated"),
    ("acute pain needing opioids", "ACUTE_PAIN_OPIOIDS", "contraindicated"),
    ("planned knee surgery", "SURGERY_PLANNED", "warning"),
    ("pregnant", "PREGNANCY", "warning"),
    ("breast-feeding", "BREASTFEEDING", "warning"),
    ("kidney transplant", "TRANSPLANT_IMMUNOSUPPRESSION", "warning"),
    ("Hashimoto's", "THYROID_REPLACEMENT", "information"),
    ("hypothyroidism", "THYROID_REPLACEMENT", "information"),
    ("diabetes", "NOT_RECOGNISED", "not_screened"),
]


@pytest.mark.parametrize(("text", "rule", "severity"), CASES)
def test_condition_screening(text: str, rule: str, severity: str) -> None:
    got = {(f.rule, f.severity) for f in screen([], [text]).findings}
    assert (rule, severity) in got


def test_acute_hepatitis_is_not_also_reported_as_plain_hepatitis() -> None:
    rules_found = [f.rule for f in screen([], ["acute hepatitis"]).findings]
    assert rules_found == ["LIVER_FAILURE"]


def test_surgery_rule_cites_the_stopping_interval_sources() -> None:
    (f,) = screen([], ["surgery"]).findings
    assert "3 days" in f.message
    assert any("Whately" in r for r in f.references)
    assert any("Goel" in r for r in f.references)


def test_medications_and_conditions_are_all_reported_together() -> None:
    result = screen(["Percocet", "ibuprofen"], ["pregnancy", "planned surgery"])
    kinds = [(f.kind, f.rule) for f in result.findings]
    assert ("medication", "OPIOID_AGONIST") in kinds
    assert ("condition", "PREGNANCY") in kinds
    assert ("condition", "SURGERY_PLANNED") in kinds


def test_every_rule_has_a_valid_severity_message_action_and_reference() -> None:
    for code, rule in rules().items():
        assert rule.severity in SEVERITIES[:3], code
        assert rule.message and rule.action, code
        # CONDITION_ENTERED states what the input is ("a condition, not a medicine"), no
        # clinical fact, so it alone carries no source.
        assert rule.references or code == "CONDITION_ENTERED", code


def test_every_opioid_substance_is_contraindicated_except_documented_exceptions() -> None:
    # Exceptions are the peripheral/antidiarrhoeal and unverified antitussive entries.
    softer = {"loperamide", "diphenoxylate", "difenoxin", "dextromethorphan", "eluxadoline"}
    for key, sub in substances().items():
        if sub.atc and sub.atc[:3] in {"N02", "N07", "N01", "R05", "A07"} and key not in softer:
            assert rules()[sub.rule].severity == "contraindicated", key


def test_no_name_maps_to_two_meanings() -> None:
    # medication_index() raises on a duplicate name with different meanings; building it is the test.
    assert "percocet" in medication_index()
