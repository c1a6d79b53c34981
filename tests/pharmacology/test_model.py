"""The closed form against a numerical ODE solution, superposition, and reproducible patients."""

from __future__ import annotations

import numpy as np

from ldn.pharmacology import evaluate, load_parameters, nightly_schedule
from ldn.pharmacology.reference import solve_reference


def test_closed_form_agrees_with_solve_ivp_to_1e_6_relative_on_random_patients() -> None:
    p = load_parameters().sample(4, np.random.default_rng(11))
    t = np.arange(0, 48 * 60 + 1, 5) / 60.0
    doses, mg = [0.0, 25.0], [4.5, 3.0]  # second dose an hour late and smaller
    fast = evaluate(p, t, doses, mg)
    for i in range(4):
        ref = solve_reference(p, i, t, doses, mg)
        for name, r in ref.items():
            floor = 1e-3 * np.abs(r).max()
            rel = np.abs(fast[name][i] - r) / np.maximum(np.abs(r), floor)
            assert rel.max() < 1e-6, (i, name, rel.max())


def test_a_missed_dose_lowers_the_next_day_exposure() -> None:
    p = load_parameters().typical(1)
    t = np.arange(0, 72 * 60 + 1, 10) / 60.0
    full = nightly_schedule(4.5, 3)
    missed = nightly_schedule(4.5, 3, missed=[1])
    a = evaluate(p, t, full.times_h, full.amounts_mg)["naltrexol"][0]
    b = evaluate(p, t, missed.times_h, missed.amounts_mg)["naltrexol"][0]
    day2 = (t > 24) & (t < 48)
    assert np.all(b[day2] < a[day2])


def test_the_same_seed_gives_the_same_virtual_patients() -> None:
    params = load_parameters()
    a = params.sample(100, np.random.default_rng(42))
    b = params.sample(100, np.random.default_rng(42))
    assert np.array_equal(a.cl_f, b.cl_f) and np.array_equal(a.ec50_mu, b.ec50_mu)


def test_sampled_clearance_cv_matches_the_cited_cv() -> None:
    # pk.yaml: CL/F CV 0.13 (cn_bioequivalence_50mg AUC 66.2 +- 8.4); 200k draws, +-0.01.
    p = load_parameters().sample(200_000, np.random.default_rng(1))
    cv = np.sqrt(np.exp(np.var(np.log(p.cl_f))) - 1)
    assert abs(cv - 0.13) < 0.01
