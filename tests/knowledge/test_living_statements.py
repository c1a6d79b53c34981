from ldn.knowledge.living import LIVING, _read, check_living, statements


def test_every_living_statement_is_sourced_or_marked_as_our_suggestion():
    assert check_living(_read(LIVING)) == []
    say = statements()
    assert say["timing_morning"].sources[0].key == "ldnrt_morning_moser"
    assert say["tolerance_rule"].ours and not say["tolerance_rule"].sources


def test_the_check_reports_an_unsourced_claim_and_an_unknown_key():
    raw = {
        "statements": {
            "a": {"text": "LDN cures everything."},
            "b": {"text": "x", "refs": ["nobody2099"]},
        },
    }
    assert check_living(raw) == [
        ("L001", "a: no source and not marked ours"),
        ("L002", "b: unknown reference 'nobody2099'"),
    ]
