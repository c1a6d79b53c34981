"""The docs tables that are program output match what scripts/gen_docs_tables.py writes now."""

import importlib.util
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "gen_docs_tables.py"
spec = importlib.util.spec_from_file_location("gen_docs_tables", SCRIPT)
assert spec and spec.loader
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)


@pytest.mark.parametrize("page", sorted(gen.TABLES))
def test_generated_tables_in_the_docs_are_current(page):
    text = (gen.DOCS / page).read_text(encoding="utf-8")
    assert gen.render(page, text) == text, f"run scripts/gen_docs_tables.py to refresh docs/{page}"


def test_a_hand_edited_number_is_caught():
    text = (gen.DOCS / "pharmacology.md").read_text(encoding="utf-8")
    edited = text.replace("| 13.3 ng/mL | 14.9 |", "| 13.3 ng/mL | 13.3 |", 1)
    assert edited != text
    assert gen.render("pharmacology.md", edited) == text


def test_a_missing_marker_is_an_error():
    with pytest.raises(SystemExit, match="marker for generated block 'validation-fitted'"):
        gen.render("pharmacology.md", "no markers here")
