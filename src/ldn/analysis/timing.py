"""Bedtime-or-morning experiment: randomised blocks at each dose time, analysed per outcome.

The design and the per-outcome analysis are the N-of-1 machinery of ldn.analysis.n_of_1, called
as it is: each pair holds one morning block and one bedtime block in a randomised order
(`generate_schedule`, "ldn" standing for morning and "placebo" for bedtime), the first
`washout_days` of every block are not analysed, and `analyse_trial` gives the mean
morning-minus-bedtime difference over pairs with its t interval (df = pairs - 1).

The claim rule is ours: with only 2-4 pairs the randomisation p-value can never reach 0.05
(smallest possible 1/2**pairs), so a difference is claimed only when the t interval, widened for
the number of outcomes looked at (Bonferroni), excludes zero. Calibration on simulated data with
no timing effect is in benchmarks/timing_calibration.py and tests/analysis/test_timing.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from ldn.analysis.errors import AnalysisInputError
from ldn.analysis.n_of_1 import LDN, TrialDesign, TrialResult, TrialSchedule, analyse_trial
from ldn.analysis.n_of_1 import generate_schedule as _n_of_1_schedule

MORNING, BEDTIME = "morning", "bedtime"
_ARM = {LDN: MORNING, "placebo": BEDTIME}
ALPHA = 0.05
MIN_DIFFERENCE = 1.0  # our suggestion: 1 point on a 0-10 scale


@dataclass(frozen=True)
class Outcome:
    key: str
    label: str
    higher_is_better: bool


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("sleep_quality", "Sleep quality", True),
    Outcome("vivid_dreams", "Vivid dreams", False),
    Outcome("grogginess", "Next-morning grogginess", False),
    Outcome("energy", "Daytime energy", True),
    Outcome("symptoms", "Tracked symptoms (average)", False),
)


@dataclass(frozen=True)
class Block:
    index: int
    pair: int
    start: dt.date
    end: dt.date
    analysed_from: dt.date
    time: str  # morning | bedtime


def design(
    start: dt.date, block_days: int = 7, pairs: int = 2, washout_days: int = 2
) -> TrialDesign:
    """Validate and return the N-of-1 design: `pairs` morning/bedtime pairs of 7-10 day blocks."""
    if not 7 <= block_days <= 10:
        raise AnalysisInputError(f"block_days must be between 7 and 10, got {block_days}")
    if not 2 <= pairs <= 4:
        raise AnalysisInputError(f"pairs must be between 2 and 4, got {pairs}")
    return TrialDesign(start, pairs=pairs, period_days=block_days, washout_days=washout_days)


def schedule(d: TrialDesign, rng: np.random.Generator) -> TrialSchedule:
    """The randomised order (the N-of-1 schedule); `rng` is passed in."""
    return _n_of_1_schedule(d, rng)


def blocks(s: TrialSchedule) -> tuple[Block, ...]:
    return tuple(
        Block(p.index, p.pair, p.start, p.end, p.analysed_from, _ARM[p.treatment])
        for p in s.periods
    )


def time_on(s: TrialSchedule, day: dt.date) -> str | None:
    """Which dose time the schedule asks for on `day` (None outside the experiment)."""
    for b in blocks(s):
        if b.start <= day <= b.end:
            return b.time
    return None


@dataclass(frozen=True)
class OutcomeResult:
    outcome: Outcome
    trial: TrialResult
    difference: float | None  # morning minus bedtime, in the outcome's own direction
    low: float | None  # Bonferroni-widened interval for `difference`
    high: float | None
    claim: str  # morning_better | bedtime_better | no_clear_difference | too_little_data
    sentence: str


@dataclass(frozen=True)
class TimingResult:
    outcomes: tuple[OutcomeResult, ...]
    n_outcomes: int
    method: str = (
        "Per outcome: mean of each block after its wash-out days, morning minus bedtime per "
        "pair, averaged over pairs (ldn.analysis.n_of_1.analyse_trial). A difference is claimed "
        "only when its t interval (df = pairs - 1), widened for the number of outcomes "
        "(Bonferroni), excludes zero and the difference is at least 1 point; this rule is our "
        "suggestion."
    )
    caveat: str = (
        "Timing is not known to change LDN's overall effect: this compares side effects and "
        "how you feel at each time, not whether LDN works."
    )


def _signed(x: float) -> str:
    """+1.2 / -0.4 / 0.0 (never "-0.0")."""
    return "0.0" if abs(x) < 0.05 else f"{x:+.1f}"


def _describe(o: Outcome, diff: float, lo: float, hi: float, claim: str) -> str:
    better = {"morning_better": "morning", "bedtime_better": "bedtime"}.get(claim)
    size = f"{abs(diff):.1f} points"
    span = f"(interval {_signed(lo)} to {_signed(hi)}, morning minus bedtime)"
    if better:
        return f"{o.label}: better with the {better} dose by about {size} {span}."
    return f"{o.label}: no clear difference {span}; the data cannot tell the two times apart."


def analyse(
    s: TrialSchedule,
    dates: list[dt.date],
    series: dict[str, NDArray[np.float64]],
    *,
    alpha: float = ALPHA,
    min_days: int = 3,
) -> TimingResult:
    """Analyse each outcome in `series` (key -> one value per date, NaN = missing, 0-10)."""
    keys = [o for o in OUTCOMES if o.key in series]
    if not keys:
        raise AnalysisInputError(
            f"series must hold at least one of {', '.join(o.key for o in OUTCOMES)}, got none"
        )
    k = len(keys)
    out = []
    for o in keys:
        raw = np.asarray(series[o.key], dtype=float)
        # analyse_trial reads "lower is better"; flip outcomes where higher is better.
        worse_up = 10.0 - raw if o.higher_is_better else raw
        trial = analyse_trial(s, dates, worse_up, min_days=min_days)
        if trial.effect is None or trial.ci_high is None:
            out.append(
                OutcomeResult(
                    o,
                    trial,
                    None,
                    None,
                    None,
                    "too_little_data",
                    f"{o.label}: too few complete pairs of blocks to compare.",
                )  # fmt: skip
            )
            continue
        n = trial.n_pairs_used
        se = (trial.ci_high - trial.effect) / float(stats.t.ppf(0.975, n - 1))
        q = float(stats.t.ppf(1 - alpha / (2 * k), n - 1))
        # effect is morning minus bedtime on the "higher is worse" scale; report it as
        # "higher is better" so a positive number always favours the morning dose.
        diff = -trial.effect
        lo, hi = diff - q * se, diff + q * se
        # se == 0 (every pair gave the same difference, frequent with whole-number ratings and
        # 2 pairs) is not evidence of anything: no claim. Differences under MIN_DIFFERENCE are
        # too small to act on (our suggestion).
        if se > 0 and lo > 0 and diff >= MIN_DIFFERENCE:
            claim = "morning_better"
        elif se > 0 and hi < 0 and diff <= -MIN_DIFFERENCE:
            claim = "bedtime_better"
        else:
            claim = "no_clear_difference"
        out.append(OutcomeResult(o, trial, diff, lo, hi, claim, _describe(o, diff, lo, hi, claim)))
    return TimingResult(tuple(out), k)


def simulate(
    rng: np.random.Generator,
    *,
    pairs: int = 2,
    block_days: int = 7,
    n_outcomes: int = 5,
    phi: float = 0.5,
    sd: float = 1.5,
    missing: float = 0.1,
    effect: float = 0.0,
) -> TimingResult:
    """One simulated experiment: AR(1) daily noise around 5 on every outcome; `effect` points
    fewer vivid dreams on morning days (0 = no timing effect at all)."""
    d = design(dt.date(2026, 1, 5), block_days, pairs)
    s = schedule(d, rng)
    n_days = 2 * pairs * block_days
    dates = [d.start + dt.timedelta(days=i) for i in range(n_days)]
    morning = np.array([time_on(s, day) == MORNING for day in dates])
    series = {}
    for o in OUTCOMES[:n_outcomes]:
        e = np.empty(n_days)
        e[0] = rng.normal(0, sd)
        for i in range(1, n_days):
            e[i] = phi * e[i - 1] + rng.normal(0, sd * np.sqrt(1 - phi**2))
        level = 5 - effect * morning if o.key == "vivid_dreams" else np.full(n_days, 5.0)
        values = np.clip(np.round(level + e), 0, 10)
        values[rng.random(n_days) < missing] = np.nan
        series[o.key] = values
    return analyse(s, dates, series)


def simulate_null(rng: np.random.Generator, **kwargs: float) -> TimingResult:
    """One simulated experiment with NO timing effect."""
    return simulate(rng, **{**kwargs, "effect": 0.0})  # type: ignore[arg-type]


def false_claim_rate(
    rng: np.random.Generator, runs: int = 2000, **kwargs: float
) -> tuple[float, float]:
    """(share of null experiments claiming any difference, share of outcomes claiming one)."""
    any_claim = outcome_claims = outcomes = 0
    for _ in range(runs):
        result = simulate_null(rng, **kwargs)
        claims = [r.claim in ("morning_better", "bedtime_better") for r in result.outcomes]
        any_claim += any(claims)
        outcome_claims += sum(claims)
        outcomes += len(claims)
    return any_claim / runs, outcome_claims / outcomes


class _Replay:
    """Replays a stored order and nonce through generate_schedule (no new randomness)."""

    def __init__(self, orders: list[str], nonce: str) -> None:
        self._orders = iter(orders)
        self._nonce = bytes.fromhex(nonce)

    def random(self) -> float:
        return 0.0 if next(self._orders) == "AB" else 0.99

    def bytes(self, n: int) -> bytes:
        return self._nonce[:n]


def rebuild(d: TrialDesign, orders: list[str], nonce: str) -> TrialSchedule:
    """The schedule drawn at set-up, from its stored orders and nonce (seal re-checked)."""
    if len(orders) != d.pairs or any(o not in ("AB", "BA") for o in orders):
        raise AnalysisInputError(f"orders must be {d.pairs} of 'AB'/'BA', got {orders!r}")
    return _n_of_1_schedule(d, _Replay(orders, nonce))  # type: ignore[arg-type]


def power(rng: np.random.Generator, effect: float, runs: int = 1000, **kwargs: float) -> float:
    """Share of simulated experiments that find fewer vivid dreams in the morning."""
    hits = 0
    for _ in range(runs):
        result = simulate(rng, effect=effect, **kwargs)  # type: ignore[arg-type]
        hits += any(
            r.outcome.key == "vivid_dreams" and r.claim == "morning_better" for r in result.outcomes
        )
    return hits / runs
