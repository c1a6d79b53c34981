"""The frozen clock of tests/conftest.py: where it applies and that it holds the date."""

import datetime as dt
from pathlib import Path

from django.utils import timezone

from tests.conftest import FROZEN_AT, FROZEN_CLOCK_MODULES

WEB_TESTS = Path(__file__).parent / "web"


def test_every_listed_module_exists():
    assert {name for name in FROZEN_CLOCK_MODULES if not (WEB_TESTS / name).exists()} == set()


def test_the_fixture_moves_every_clock_the_code_reads(frozen_clock):
    assert dt.date.today() == dt.date(2026, 11, 18)
    assert abs(timezone.now() - FROZEN_AT) < dt.timedelta(seconds=30)
    assert timezone.localdate(timezone=dt.UTC) == dt.date(2026, 11, 18)
