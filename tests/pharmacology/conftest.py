from __future__ import annotations

import pytest

from ldn.pharmacology import read_yaml
from ldn.pharmacology.validation import typical_curves, within  # noqa: F401  (shared with the tests)

# In-sample (the values parameters were set from) and out-of-sample (published, not used to fit).
FITTED = {c["id"]: c for c in read_yaml("validation.yaml")["fitted"]}
CHECKS = {c["id"]: c for c in read_yaml("validation.yaml")["checks"]}


@pytest.fixture(scope="session")
def curves_50mg() -> dict:
    return typical_curves(50.0)
