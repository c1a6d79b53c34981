"""Recall of the screen on tests/safety/data/recall_list.csv, per country.

Prints, for each country, how many opioid-containing products were called contraindicated and how
many non-opioid products were (wrongly) called contraindicated, then every miss with what it was
read as. Example: python scripts/recall_report.py
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ldn.safety import screen  # noqa: E402

LIST = ROOT / "tests" / "safety" / "data" / "recall_list.csv"


def rows() -> list[dict[str, str]]:
    with open(LIST, encoding="utf-8") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def main() -> int:
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    notes: list[str] = []
    for row in rows():
        result = screen([row["name"]])
        contra = result.has_contraindication
        counts = table[row["country"]]
        if row["opioid"] == "yes":
            counts[0] += 1
            counts[1] += contra
            if not contra:
                read = "; ".join(f"{f.severity} {f.rule}" for f in result.findings)
                notes.append(f"  missed  {row['country']} {row['name']!r}: {read}")
        else:
            counts[2] += 1
            counts[3] += contra
            if contra:
                notes.append(f"  FALSE   {row['country']} {row['name']!r}")
    print(f"{'country':8} {'opioid':>6} {'caught':>6} {'recall':>7} {'non-op':>6} {'false':>5}")
    total = [0, 0, 0, 0]
    for country, (n, hit, m, false) in sorted(table.items()):
        total = [a + b for a, b in zip(total, (n, hit, m, false), strict=True)]
        recall = f"{hit / n:.0%}" if n else "-"
        print(f"{country:8} {n:6} {hit:6} {recall:>7} {m:6} {false:5}")
    n, hit, m, false = total
    print(f"{'all':8} {n:6} {hit:6} {hit / n:7.1%} {m:6} {false:5}")
    print("\n".join(notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
