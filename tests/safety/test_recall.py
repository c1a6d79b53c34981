"""Recall on a hand-written list of products from eight countries (tests/safety/data/recall_list.csv).

The list was written from the pages named in its `source` column, not from the shipped vocabulary.
The issue's goal is recall >= 99% with no non-opioid called contraindicated; we measure 77.4% (48 of 62)
(scripts/recall_report.py prints the table). Every miss is a product that none of our six
registers lists (Norway, Germany, Australia) or that the English register files
under its main ingredient only: the screen reports each of those as "not screened", never as
safe, and these tests hold that line.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ldn.safety import screen

LIST = Path(__file__).parent / "data" / "recall_list.csv"
with open(LIST, encoding="utf-8") as fh:
    ROWS = list(csv.DictReader(line for line in fh if not line.startswith("#")))
OPIOID = [r for r in ROWS if r["opioid"] == "yes"]
NON_OPIOID = [r for r in ROWS if r["opioid"] == "no"]


def test_the_list_covers_at_least_six_countries_with_opioid_products() -> None:
    assert len({r["country"] for r in OPIOID}) >= 6
    assert all(r["source"] for r in ROWS)


@pytest.mark.parametrize("row", NON_OPIOID, ids=[r["name"] for r in NON_OPIOID])
def test_no_non_opioid_product_is_called_contraindicated(row: dict[str, str]) -> None:
    assert not screen([row["name"]]).has_contraindication


@pytest.mark.parametrize("row", OPIOID, ids=[f"{r['country']}:{r['name']}" for r in OPIOID])
def test_no_opioid_product_gets_an_all_clear(row: dict[str, str]) -> None:
    # Contraindicated (exit 2) or at least "not screened" (exit 3): never exit 0.
    assert screen([row["name"]]).exit_code in (2, 3)


def test_recall_does_not_fall_below_what_we_measured() -> None:
    caught = sum(screen([r["name"]]).has_contraindication for r in OPIOID)
    assert caught / len(OPIOID) >= 0.77, f"{caught}/{len(OPIOID)}"
