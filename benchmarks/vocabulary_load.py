"""First-screen cost of the shipped medicine vocabulary, beside a plain read of the same file.

Measures CPU time (time.process_time, so waiting for a busy machine does not count) of:
- reference: gzip-decompress + json.loads of src/ldn/safety/data/vocabulary.json.gz;
- load: everything the first screen in a process does before it can match a name
  (vocabulary() + medication_index(), caches cleared before each round).
Prints the median of each and their ratio (load / reference): the closer to 1, the closer loading
is to a plain read of the file.

Run: .venv/bin/python benchmarks/vocabulary_load.py
"""

from __future__ import annotations

import gzip
import json
import statistics
import sys
import time
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

import importlib  # noqa: E402

rules = importlib.import_module("ldn.safety.rules")
vocabulary = importlib.import_module("ldn.safety.vocabulary")

ROUNDS = 7


def reference() -> None:
    data = resources.files("ldn.safety").joinpath("data", "vocabulary.json.gz").read_bytes()
    json.loads(gzip.decompress(data))


def load() -> None:
    vocabulary.vocabulary.cache_clear()
    rules.medication_index.cache_clear()
    rules.medication_index()


def cpu(fn: object) -> float:
    start = time.process_time()
    fn()  # type: ignore[operator]
    return time.process_time() - start


def main() -> int:
    rules.rules()  # YAML rule files: not part of the vocabulary cost
    ref, full = [], []
    for _ in range(ROUNDS):
        ref.append(cpu(reference))
        full.append(cpu(load))
    r, f = statistics.median(ref), statistics.median(full)
    print(
        f"reference (gzip + json.loads of the index): {r * 1000:7.1f} ms CPU (median of {ROUNDS})"
    )
    print(f"first-screen load (vocabulary + name index): {f * 1000:7.1f} ms CPU")
    print(f"ratio load / reference: {f / r:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
