"""Synthetic daily diaries with known truth, for calibration, benchmarks, tests and demos.

Scores are AR(1) noise (marginal SD `sd`) around a mean that may drift (a pre-existing trend), flare
just before the start (the bad spell that makes people start LDN) and shift on LDN (the true effect,
half of it during titration); then rounded to whole points, clipped to 0-10 and thinned at random
to mimic missed days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from scipy import signal

from ldn.analysis.series import DailySeries

TITRATION_STEPS_MG = (1.0, 2.0, 3.0, 4.0)
MAINTENANCE_MG = 4.5


@dataclass(frozen=True)
class Scenario:
    """One simulated situation; `effect` < 0 is a true improvement (points on the 0-10 scale)."""

    name: str
    phi: float = 0.0
    trend_total: float = 0.0
    flare: float = 0.0
    effect: float = 0.0
    baseline_days: int = 28
    titration_days: int = 28
    dose_days: int = 150
    sd: float = 1.5
    mean: float = 5.0
    missing: float = 0.1
    flare_days: int = 10

    @property
    def n_days(self) -> int:
        return self.baseline_days + self.titration_days + self.dose_days


def ar1_noise(rng: np.random.Generator, phi: float, n: int, sd: float, size: int = 1) -> np.ndarray:
    """`size` stationary AR(1) series of length n with marginal standard deviation sd."""
    burn = 200
    shocks = rng.standard_normal((size, n + burn)) * sd * np.sqrt(1 - phi**2)
    return np.asarray(signal.lfilter([1.0], [1.0, -phi], shocks, axis=1)[:, burn:])


def scenario_means(sc: Scenario) -> np.ndarray:
    """The true daily mean score (before noise, rounding and clipping)."""
    n, b, t = sc.n_days, sc.baseline_days, sc.titration_days
    mu = sc.mean + sc.trend_total * np.arange(n) / n
    flare = np.zeros(n)
    flare[b - sc.flare_days : b] = sc.flare
    flare[b:] = sc.flare * np.exp(-np.arange(n - b) / 2.0)
    mu = mu + flare
    mu[b : b + t] += sc.effect / 2
    mu[b + t :] += sc.effect
    return mu


def scenario_doses(sc: Scenario) -> np.ndarray:
    dose = np.zeros(sc.n_days)
    steps = np.array_split(
        np.arange(sc.baseline_days, sc.baseline_days + sc.titration_days), len(TITRATION_STEPS_MG)
    )
    for mg, idx in zip(TITRATION_STEPS_MG, steps, strict=True):
        dose[idx] = mg
    dose[sc.baseline_days + sc.titration_days :] = MAINTENANCE_MG
    return dose


def simulate_scores(sc: Scenario, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` x n_days matrix of scores with NaN for missed days (vectorised over series)."""
    y = np.clip(
        np.round(scenario_means(sc) + ar1_noise(rng, sc.phi, sc.n_days, sc.sd, size)), 0, 10
    )
    y[rng.random(y.shape) < sc.missing] = np.nan
    return y


def simulate_series(
    sc: Scenario,
    rng: np.random.Generator,
    *,
    symptoms: tuple[str, ...] = ("pain",),
    first_day: dt.date = dt.date(2024, 1, 1),
) -> DailySeries:
    """One patient's diary under the scenario (each symptom independent, same truth)."""
    scores = simulate_scores(sc, rng, len(symptoms))
    dates = tuple(first_day + dt.timedelta(days=i) for i in range(sc.n_days))
    return DailySeries(
        dates=dates,
        dose_mg=scenario_doses(sc),
        scores={name: scores[i] for i, name in enumerate(symptoms)},
    )
