"""The screening table over real product names.

Expected results come from outside the code: the naltrexone label contraindicates "patients
receiving opioid analgesics" and those "maintained on opiate agonists (e.g. methadone) or partial
agonists (e.g. buprenorphine)"; each product's opioid ingredient is as on its US/UK label; the
ATC classes are the WHO's (N02A, R05DA, N07BC, N01AH, A07DA).
"""

from __future__ import annotations

import pytest

from ldn.safety import screen

C, W, INFO, N = "contraindicated", "warning", "information", "not_screened"

# input -> {(substance, severity)} that must all be reported
TABLE: list[tuple[str, set[tuple[str | None, str]]]] = [
    # brands and combinations (label ingredient in brackets)
    ("Percocet 5/325", {("oxycodone", C), ("paracetamol", INFO)}),  # oxycodone + acetaminophen
    ("OxyContin 20 mg", {("oxycodone", C)}),
    ("Vicodin", {("hydrocodone", C), ("paracetamol", INFO)}),
    ("Norco 10/325", {("hydrocodone", C), ("paracetamol", INFO)}),
    ("Tylenol with codeine", {("codeine", C), ("paracetamol", INFO)}),
    ("Tylenol #3", {("codeine", C), ("paracetamol", INFO)}),
    ("Tylenol No. 4", {("codeine", C), ("paracetamol", INFO)}),
    ("Suboxone 8/2 mg film", {("buprenorphine", C)}),  # buprenorphine + naloxone
    ("Subutex", {("buprenorphine", C)}),
    ("Butrans patch", {("buprenorphine", C)}),
    ("Belbuca", {("buprenorphine", C)}),
    ("Methadose", {("methadone", C)}),
    ("Dilaudid", {("hydromorphone", C)}),
    ("Ultram", {("tramadol", C)}),
    ("Nucynta ER", {("tapentadol", C)}),
    ("Duragesic 25 mcg/h", {("fentanyl", C)}),
    ("MS Contin 30mg", {("morphine", C)}),
    ("Tussionex", {("hydrocodone", C)}),  # hydrocodone polistirex + chlorpheniramine
    ("Hycodan", {("hydrocodone", C)}),  # hydrocodone + homatropine
    ("Robitussin AC", {("codeine", C)}),  # codeine + guaifenesin
    ("Demerol", {("pethidine", C)}),  # meperidine
    ("Lomotil", {("diphenoxylate", W)}),  # diphenoxylate + atropine, ATC A07DA01
    ("Imodium", {("loperamide", INFO)}),  # ATC A07DA03, peripheral
    ("kratom", {("kratom", C)}),
    ("mitragynine", {("kratom", C)}),
    # generics with salts, case and spacing
    ("oxycodone HCl", {("oxycodone", C)}),
    ("MORPHINE SULFATE", {("morphine", C)}),
    ("codeine phosphate 30mg", {("codeine", C)}),
    ("hydrocodone bitartrate/acetaminophen 10/325", {("hydrocodone", C), ("paracetamol", INFO)}),
    ("  tramadol   hydrochloride ", {("tramadol", C)}),
    ("butorphanol tartrate", {("butorphanol", C)}),
    ("meperidine", {("pethidine", C)}),
    ("pholcodine", {("pholcodine", C)}),
    ("remifentanil", {("remifentanil", C)}),
    # misspellings (fuzzy)
    ("oxycodne", {("oxycodone", C)}),
    ("tramadoll", {("tramadol", C)}),
    # a guessed name is never an all-clear: its non-opioid part stays "not screened"
    ("percoset", {("oxycodone", C), ("paracetamol", N)}),
    ("oxycotin", {("oxycodone", C)}),
    ("hydrocodon", {("hydrocodone", C)}),
    ("Tylenol with codiene", {("codeine", C), ("paracetamol", INFO)}),
    # non-opioids in the curated list
    ("ibuprofen", {("ibuprofen", INFO)}),
    ("Advil", {("ibuprofen", INFO)}),
    ("paracetamol", {("paracetamol", INFO)}),
    ("Tylenol", {("paracetamol", INFO)}),
    ("levothyroxine", {("levothyroxine", INFO)}),
    ("Synthroid 100 mcg", {("levothyroxine", INFO)}),
    ("tacrolimus", {("tacrolimus", INFO)}),
    ("disulfiram", {("disulfiram", W)}),
    ("thioridazine", {("thioridazine", W)}),
    # graded down: not a meaningful mu-opioid agonist (rule DEXTROMETHORPHAN_UNVERIFIED)
    ("dextromethorphan", {("dextromethorphan", INFO)}),
    # unknowns
    ("foo", {(None, N)}),
    ("blorbex 20 mg", {(None, N)}),
    # register ingredients no rule mentions: screened, no known interaction - and never read as
    # the opioid their spelling resembles
    ("metformin", {("metformin", INFO)}),
    ("oxybutynin", {("oxybutynin", INFO)}),  # not oxycodone
    ("trandolapril", {("trandolapril", INFO)}),  # not tramadol
    ("cocaine", {("cocaine", INFO)}),  # not codeine
    # signals of opioid use, not opioids themselves
    ("naloxegol", {("naloxegol", W)}),
    ("Relistor", {("methylnaltrexone", W)}),
    ("naldemedine", {("naldemedine", W)}),
    ("Narcan nasal spray", {("naloxone", W)}),
    ("lofexidine", {("lofexidine", W)}),
    ("alcohol", {("alcohol", INFO)}),
]


@pytest.mark.parametrize(("text", "expected"), TABLE, ids=[t for t, _ in TABLE])
def test_screening_table(text: str, expected: set[tuple[str | None, str]]) -> None:
    got = {(f.substance, f.severity) for f in screen([text]).findings}
    assert expected <= got, got


@pytest.mark.parametrize("text", ["percoset", "oxycodne", "tramadoll"])
def test_guessed_names_say_closest_match_in_plain_words(text: str) -> None:
    (first, *_) = screen([text]).findings
    assert first.fuzzy_score is not None and first.fuzzy_score >= 85
    assert (first.matched or "").startswith("closest match: ")
    assert "(spelling looks close)" in (first.matched or "")
    assert "fuzzy" not in (first.matched or "")


def test_every_input_is_screened_and_nothing_stops_at_the_first_hit() -> None:
    result = screen(["Percocet 5/325", "ibuprofen", "Tylenol with codeine", "foo"])
    inputs = [f.input for f in result.findings]
    assert inputs.count("Percocet 5/325") == 2
    assert inputs.count("Tylenol with codeine") == 2
    assert "ibuprofen" in inputs and "foo" in inputs
    assert result.has_contraindication
    assert result.worst_severity == C


def test_unrecognised_ingredient_of_a_known_product_is_not_called_safe() -> None:
    findings = screen(["Tylenol Blorbex"]).findings
    assert any(f.rule == "PARTLY_RECOGNISED" and f.severity == N for f in findings)


def test_partly_recognised_entries_report_the_unrecognised_part() -> None:
    findings = screen(["Tylenol xyzzy"]).findings
    assert any(f.rule == "PARTLY_RECOGNISED" and "xyzzy" in f.message for f in findings)


def test_combination_products_carry_the_who_atc_combination_code() -> None:
    # WHOCC 2016: oxycodone and paracetamol N02AJ17; codeine and paracetamol N02AJ06.
    (oxy,) = [f for f in screen(["Percocet"]).findings if f.substance == "oxycodone"]
    assert oxy.atc == "N02AJ17"
    (cod,) = [f for f in screen(["Tylenol with codeine"]).findings if f.substance == "codeine"]
    assert cod.atc == "N02AJ06"


def test_json_shape_has_exactly_the_documented_keys() -> None:
    keys = {"input", "matched", "rule", "severity", "message", "action", "references", "screened"}
    for f in screen(["Percocet", "foo"], ["pregnancy"]).findings:
        assert set(f.as_dict()) == keys


@pytest.mark.parametrize(
    ("text", "register_name"),
    [
        ("Dolene AP", "DOLENE AP-65"),  # US register name ends in a strength
        ("Teva-Emtec", "TEVA-EMTEC-30"),  # Canadian name: strength dropped, maker kept
    ],
)
def test_register_names_are_found_without_their_trailing_strength(
    text: str, register_name: str
) -> None:
    result = screen([text])
    assert result.has_contraindication
    assert any(register_name in (f.matched or "") for f in result.findings)


def test_a_makers_prefix_is_dropped_only_for_makers_of_generics() -> None:
    from ldn.safety.vocabulary import vocabulary

    short = vocabulary().short_names  # computed by the build, read as is
    assert "teva emtec 30" in short["emtec"]  # TEVA-: a maker whose names are "TEVA-<ingredient>"
    assert "codion" not in short  # NEO-CODION: "NEO-" is part of brand names, kept whole


def test_an_unknown_word_hyphenated_to_an_ingredient_does_not_hide_it() -> None:
    result = screen(["Zorblax-Tramadol"])
    assert result.has_contraindication
    assert result.not_screened == ("Zorblax-Tramadol",)  # "zorblax" itself is not explained


@pytest.mark.parametrize("text", ["Benylin with Codeine", "Boots Ibuprofen and Codeine"])
def test_an_opioid_named_in_a_partly_listed_register_name_is_screened(text: str) -> None:
    # The BNF files these under their other ingredient only; the register's own name says codeine.
    result = screen([text])
    assert result.has_contraindication
    assert any(f.substance == "codeine" for f in result.findings)
    assert result.exit_code == 2


@pytest.mark.parametrize("text", ["Levomethadon", "Dihydrokodein", "Oksykodon", "Petidin"])
def test_local_inn_spellings_are_read_as_the_ingredient_not_as_a_spelling_guess(text: str) -> None:
    result = screen([text])
    assert result.has_contraindication
    assert all(f.fuzzy_score is None for f in result.findings)
    assert result.not_screened == ()


@pytest.mark.parametrize(
    "text",
    ["Oxycodon 10 mg Retardtabletten", "Fentanyl 25 µg/h Pflaster", "morfin 10 mg tabletter"],
)
def test_pack_form_words_in_other_languages_are_not_left_unexplained(text: str) -> None:
    result = screen([text])
    assert result.has_contraindication
    assert result.not_screened == ()


@pytest.mark.parametrize("text", ["Tylenol Plus", "Nurofen Extra"])
def test_a_brand_recognised_without_its_line_word_is_not_an_all_clear(text: str) -> None:
    # "Plus", "Forte", "Extra" name another product line, which may contain something else.
    result = screen([text])
    assert result.not_screened == (text,)
    assert result.exit_code == 3


def test_register_abbreviations_of_two_letters_are_not_product_names() -> None:
    from ldn.safety.rules import medication_index

    assert "al" not in medication_index()  # "Oxycodon-HCl AL": the maker, not a BNF product
    assert "h" not in medication_index()  # "25 µg/h": a unit, not an ingredient


def test_an_index_built_with_another_normaliser_is_refused() -> None:
    from ldn.safety.vocabulary import FORMAT, check

    with pytest.raises(ValueError, match="another normaliser"):
        check({"format": FORMAT, "normaliser": "0000000000000000"})
