"""The synthetic journal generator in the core."""

from __future__ import annotations

from datetime import date

import numpy as np

from ldn.journal import generate_demo_journal


def test_it_is_reproducible_from_a_seed():
    a = generate_demo_journal(date(2026, 1, 1), np.random.default_rng(7))
    b = generate_demo_journal(date(2026, 1, 1), np.random.default_rng(7))
    assert a == b


def test_titration_reaches_4_5_mg_after_a_baseline_without_ldn():
    journal = generate_demo_journal(date(2026, 1, 1), np.random.default_rng(1))
    doses = [d.dose_mg for d in journal.days]
    assert doses[:28] == [None] * 28
    assert doses[28] == 1.5 and doses[42] == 3.0 and doses[56] == 4.5 and doses[-1] == 4.5
    assert all(0 <= s <= 10 for d in journal.days for s in d.scores.values())


def test_pain_improves_on_ldn_in_the_synthetic_data():
    journal = generate_demo_journal(date(2026, 1, 1), np.random.default_rng(3))
    pain = np.array([d.scores["pain"] for d in journal.days])
    assert pain[:28].mean() - pain[-60:].mean() > 1.0
