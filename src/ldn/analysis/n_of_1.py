"""Blinded N-of-1 trial of LDN against placebo: randomised paired periods, allocation sheet, analysis.

Design after Guyatt et al. 1986 (NEJM): a series of pairs of periods, one LDN and one placebo per
pair, order within each pair randomised, patient and clinician blind; reporting per CENT 2015. Each
period starts with `washout_days` that are not analysed (capsules switch at the period boundary, so
carry-over is handled by ignoring the first days). Analysis after unblinding: a randomisation test
over all 2**pairs admissible schedules (exact, by enumeration) plus the mean LDN-minus-placebo
difference over pairs with a t interval (df = pairs - 1).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ldn.analysis.errors import AnalysisInputError

LDN, PLACEBO = "ldn", "placebo"


@dataclass(frozen=True)
class TrialDesign:
    """Periods chosen by the patient and clinician (defaults: 5 pairs of 2-week periods).

    5 pairs is the fewest with which the randomisation test can reach one-sided p < 0.05 (smallest
    possible p = 1/2**pairs = 1/32); the verdict uses the one-sided test in each direction. The
    two-sided p reported beside it cannot go below 2/2**pairs, i.e. below 0.05 only from 6 pairs.
    """

    start: dt.date
    pairs: int = 5
    period_days: int = 14
    washout_days: int = 4
    ldn_dose_mg: float = 4.5

    def findings(self) -> tuple[tuple[str, str], ...]:
        """(code, message) warnings about the design; empty when nothing to flag."""
        out = []
        smallest = 1 / 2**self.pairs
        if smallest > 0.05:
            out.append(
                (
                    "N1_TOO_FEW_PAIRS",
                    f"With {self.pairs} pairs the smallest possible one-sided p-value is "
                    f"{smallest:.3f}, so the test can never reach 0.05; use 5 or more pairs.",
                )
            )
        return tuple(out)


@dataclass(frozen=True)
class Period:
    index: int
    pair: int
    start: dt.date
    end: dt.date
    analysed_from: dt.date
    treatment: str
    bottle: str


@dataclass(frozen=True)
class TrialSchedule:
    """The sealed allocation. `seal` is a SHA-256 commitment shown to the patient at the start."""

    design: TrialDesign
    orders: tuple[str, ...]
    periods: tuple[Period, ...]
    seal: str
    nonce: str


@dataclass(frozen=True)
class AllocationRow:
    bottle: str
    use_from: dt.date
    use_to: dt.date
    contents: str
    capsules: int


@dataclass(frozen=True)
class AllocationSheet:
    """What the compounding pharmacist needs: bottle labels and what goes in each, nothing else."""

    trial_seal: str
    rows: tuple[AllocationRow, ...]
    instructions: str


def _validate(design: TrialDesign) -> None:
    if not 2 <= design.pairs <= 12:
        raise AnalysisInputError(f"pairs must be between 2 and 12, got {design.pairs}")
    if not 7 <= design.period_days <= 56:
        raise AnalysisInputError(f"period_days must be between 7 and 56, got {design.period_days}")
    if not 0 <= design.washout_days <= design.period_days - 3:
        raise AnalysisInputError(
            f"washout_days must be between 0 and period_days - 3 ({design.period_days - 3}), "
            f"got {design.washout_days}"
        )


def _commitment(orders: tuple[str, ...], nonce: str) -> str:
    return hashlib.sha256(json.dumps({"orders": orders, "nonce": nonce}).encode()).hexdigest()


def generate_schedule(design: TrialDesign, rng: np.random.Generator) -> TrialSchedule:
    """Randomise the order within each pair (AB = LDN first) and lay out the dated periods."""
    _validate(design)
    orders = tuple("AB" if rng.random() < 0.5 else "BA" for _ in range(design.pairs))
    nonce = rng.bytes(16).hex()
    periods = []
    for pair, order in enumerate(orders, start=1):
        for half, letter in enumerate(order):
            idx = 2 * (pair - 1) + half
            start = design.start + dt.timedelta(days=idx * design.period_days)
            periods.append(
                Period(
                    index=idx + 1,
                    pair=pair,
                    start=start,
                    end=start + dt.timedelta(days=design.period_days - 1),
                    analysed_from=start + dt.timedelta(days=design.washout_days),
                    treatment=LDN if letter == "A" else PLACEBO,
                    bottle=f"Bottle {idx + 1}",
                )
            )
    return TrialSchedule(design, orders, tuple(periods), _commitment(orders, nonce), nonce)


def verify_seal(schedule: TrialSchedule) -> bool:
    """True when the allocation revealed at the end is the one committed to at the start."""
    return _commitment(schedule.orders, schedule.nonce) == schedule.seal


def allocation_sheet(schedule: TrialSchedule) -> AllocationSheet:
    d = schedule.design
    rows = tuple(
        AllocationRow(
            bottle=p.bottle,
            use_from=p.start,
            use_to=p.end,
            capsules=d.period_days + 2,
            contents=(
                f"LDN {d.ldn_dose_mg:g} mg capsules"
                if p.treatment == LDN
                else "placebo capsules (same filler, size, colour and count)"
            ),
        )
        for p in schedule.periods
    )
    text = (
        "Prepare capsules identical in look, size, colour and taste. Label bottles only with the "
        "bottle number and dates. Keep this sheet sealed; do not tell the patient or prescriber "
        f"until the trial ends. Seal: {schedule.seal[:16]}."
    )
    return AllocationSheet(schedule.seal, rows, text)


@dataclass(frozen=True)
class PairResult:
    pair: int
    ldn_mean: float | None
    placebo_mean: float | None
    difference: float | None


@dataclass(frozen=True)
class TrialResult:
    """Mean LDN - placebo (negative = better on LDN), its interval and the randomisation p-values."""

    pairs: tuple[PairResult, ...]
    n_pairs_used: int
    effect: float | None
    ci_low: float | None
    ci_high: float | None
    p_two_sided: float | None
    p_one_sided_better: float | None
    smallest_possible_p: float | None
    verdict: str
    sentence: str
    method: str = (
        "Randomisation test: the mean pair difference is compared with its value under every one of "
        "the 2^pairs admissible schedules (exact enumeration); interval: t on pair differences."
    )
    se: float | None = None  # standard error of `effect` (SD of the pair differences / sqrt(pairs))


def _period_mean(
    p: Period, dates: list[dt.date], scores: NDArray[np.float64], min_days: int
) -> float | None:
    sel = np.array([p.analysed_from <= d <= p.end for d in dates])
    vals = scores[sel] if sel.size else np.array([])
    vals = vals[~np.isnan(vals)]
    return float(vals.mean()) if vals.size >= min_days else None


def analyse_trial(
    schedule: TrialSchedule,
    dates: list[dt.date],
    scores: NDArray[np.float64],
    *,
    alpha: float = 0.05,
    min_days: int = 3,
) -> TrialResult:
    """Unblind and analyse one symptom (0-10, higher worse; NaN = missing)."""
    scores = np.asarray(scores, dtype=float)
    if len(dates) != scores.size:
        raise AnalysisInputError(
            f"scores must have one entry per date ({len(dates)}), got {scores.size}"
        )
    pairs = []
    for k in range(1, schedule.design.pairs + 1):
        means = {
            p.treatment: _period_mean(p, dates, scores, min_days)
            for p in schedule.periods
            if p.pair == k
        }
        a, b = means[LDN], means[PLACEBO]
        pairs.append(PairResult(k, a, b, None if a is None or b is None else a - b))
    diffs = np.array([p.difference for p in pairs if p.difference is not None])
    n = int(diffs.size)
    if n < 2:
        return TrialResult(
            tuple(pairs),
            n,
            None,
            None,
            None,
            None,
            None,
            None,
            "too_little_data",
            "Too few complete pairs of periods to analyse (need at least 2).",
        )
    observed = float(diffs.mean())
    # Every admissible schedule flips which period of a pair was LDN: the sign of its difference.
    signs = np.array(list(itertools.product((1.0, -1.0), repeat=n)))
    null = signs @ diffs / n
    tol = 1e-12
    p_two = float(np.mean(np.abs(null) >= abs(observed) - tol))
    p_one = float(np.mean(null <= observed + tol))
    se = float(diffs.std(ddof=1) / np.sqrt(n))
    q = float(stats.t.ppf(0.975, n - 1))
    lo, hi = observed - q * se, observed + q * se
    verdict = "no_clear_change"
    if p_one < alpha and observed < 0:
        verdict = "likely_better"
    elif float(np.mean(null >= observed - tol)) < alpha and observed > 0:
        verdict = "likely_worse"
    sentence = (
        f"Across {n} pairs, scores on LDN were {observed:+.1f} points versus placebo "
        f"(95% interval {lo:+.1f} to {hi:+.1f}); randomisation p = {p_one:.3f} for LDN "
        f"being better (smallest possible with {n} pairs: {1 / 2**n:.3f})."
    )
    return TrialResult(
        tuple(pairs), n, observed, lo, hi, p_two, p_one, 1 / 2**n, verdict, sentence, se=se
    )
