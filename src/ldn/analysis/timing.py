"""Bedtime-or-morning experiment: randomised blocks at each dose time, analysed per outcome.

The design is the N-of-1 machinery of ldn.analysis.n_of_1, called as it is: each pair holds one
morning block and one bedtime block in a randomised order (`generate_schedule`, "ldn" standing for
morning and "placebo" for bedtime), the first `washout_days` of every block are not analysed, and
`analyse_trial` gives each block's mean over its analysed days.

The result compares the block means of all morning blocks with those of all bedtime blocks: a
two-sample t interval with df = blocks - 2 (equal variances), widened for the number of outcomes
looked at (Bonferroni). It was chosen by calibration (benchmarks/timing_methods.py), against
the pair-by-pair t interval (df = pairs - 1) and a day-level regression with AR(1) errors: the
pair-by-pair interval is calibrated but with 2 pairs (df = 1) almost never finds even a 4-point
difference; the AR(1) regression (ldn.analysis.ar1, df_effective) claimed a difference in 6.5% to
9.3% of experiments with no timing effect when there were 2 pairs and the days were autocorrelated
(phi 0.3-0.8), and in 5-7% of several 3- and 4-pair designs, because phi cannot be estimated
well from 20 to 60 days. Block means stay honest at every phi tried (0 to 0.8) because
their spread is measured directly, whatever the day-to-day autocorrelation. The pair-by-pair
result is still computed and shown as a check. Bonferroni rather than Holm so that the interval
shown and the claim always agree. The claim rule (Bonferroni interval excludes zero and the
difference is at least 1 point) is our suggestion.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import special

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
class BlockContrast:
    """Morning-block means against bedtime-block means (two-sample t, equal variances)."""

    difference: float  # mean of the morning blocks minus mean of the bedtime blocks
    se: float
    df: int  # blocks used - 2
    morning_blocks: int
    bedtime_blocks: int


def block_contrast(trial: TrialResult) -> BlockContrast | None:
    """The two-sample comparison of the block means `analyse_trial` computed (a block with fewer
    than `min_days` analysed days has none); None when there are not at least 3 blocks with a
    mean, one or more at each time (df = blocks - 2 must be at least 1)."""
    morning = np.array([p.ldn_mean for p in trial.pairs if p.ldn_mean is not None])
    bedtime = np.array([p.placebo_mean for p in trial.pairs if p.placebo_mean is not None])
    m, b = morning.size, bedtime.size
    if m < 1 or b < 1 or m + b < 3:
        return None
    df = m + b - 2
    pooled = (
        np.sum((morning - morning.mean()) ** 2) + np.sum((bedtime - bedtime.mean()) ** 2)
    ) / df
    se = float(np.sqrt(pooled * (1 / m + 1 / b)))
    return BlockContrast(float(morning.mean() - bedtime.mean()), se, df, m, b)


# Figures from benchmarks/timing_calibration.py (2000 null experiments and 1000 per power figure
# in each of 24 designs: phi 0, 0.3, 0.6, 0.8 x 2, 3, 4 pairs x blocks of 7 or 10 days).
POWER_NOTE = (
    "In simulations a 4-point drop in vivid dreams was found in 13% to 41% of experiments with "
    "2 blocks at each time, 49% to 98% with 3 and 77% to 100% with 4 (fewer when ratings drift "
    "slowly from day to day, more with 10-day blocks)."
)
CALIBRATION = (
    "On simulated data with no timing effect (day-to-day autocorrelation from none to strong, 2 "
    "to 4 blocks at each time, blocks of 7 or 10 days, 1 day in 10 not rated), this rule claimed "
    "a difference in 1.5% to 4.4% of experiments (5 outcomes; 2000 per design); it is built to "
    "stay at or below 5%. "
    + POWER_NOTE
    + ' So with 2 blocks at each time "no clear difference" often means "not enough data", not '
    '"no difference".'
)


@dataclass(frozen=True)
class OutcomeResult:
    outcome: Outcome
    trial: TrialResult  # the pair-by-pair N-of-1 result, shown as a check
    difference: float | None  # morning minus bedtime, in the outcome's own direction
    low: float | None  # Bonferroni-widened interval for `difference`
    high: float | None
    claim: str  # morning_better | bedtime_better | no_clear_difference | too_little_data
    sentence: str
    contrast: BlockContrast | None = None
    check_claim: str = "too_little_data"  # the pair-by-pair result's claim by the same rule
    check: str = ""  # the pair-by-pair result in words


@dataclass(frozen=True)
class TimingResult:
    outcomes: tuple[OutcomeResult, ...]
    n_outcomes: int
    method: str = (
        "Per outcome: the mean of each block after its wash-out days; the average of the morning "
        "blocks minus the average of the bedtime blocks, with a t interval from the spread of "
        "the block means (degrees of freedom = blocks - 2), widened for the number of outcomes "
        "(Bonferroni). A difference is claimed only when that interval excludes zero and the "
        "difference is at least 1 point; this rule is our suggestion. As a check, the N-of-1 "
        "pair-by-pair comparison (morning minus bedtime within each pair, t interval with "
        "pairs - 1 degrees of freedom) is shown beside it."
    )
    calibration: str = CALIBRATION
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


def _claim(diff: float, lo: float, hi: float, se: float) -> str:
    """The claim rule (our suggestion): the interval excludes zero and the difference is at least
    MIN_DIFFERENCE. se == 0 (every block of a time had the same mean, possible with whole-number
    ratings) is not evidence of anything: no claim."""
    if se > 0 and lo > 0 and diff >= MIN_DIFFERENCE:
        return "morning_better"
    if se > 0 and hi < 0 and diff <= -MIN_DIFFERENCE:
        return "bedtime_better"
    return "no_clear_difference"


def _check(trial: TrialResult, q_pairs: float | None) -> tuple[str, str]:
    """The pair-by-pair N-of-1 result, its claim by the same rule and in words, in the "higher is
    better" direction (trial differences are on the "higher is worse" scale)."""
    diffs = [-p.difference for p in trial.pairs if p.difference is not None]
    if not diffs:
        return "too_little_data", "Pair by pair: no pair has both blocks rated."
    listed = ", ".join(_signed(d) for d in diffs)
    if trial.effect is None or trial.se is None or q_pairs is None:
        return "too_little_data", f"Pair by pair: {listed}."
    n, se = trial.n_pairs_used, trial.se
    mean = -trial.effect
    lo, hi = mean - q_pairs * se, mean + q_pairs * se
    return _claim(mean, lo, hi, se), (
        f"Pair by pair (the N-of-1 check): {listed}; mean {_signed(mean)} "
        f"(interval {_signed(lo)} to {_signed(hi)}, {n - 1} degree{'s' if n > 2 else ''} "
        "of freedom)."
    )


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
    if not 0 < alpha < 1:
        raise AnalysisInputError(f"alpha must be between 0 and 1, got {alpha}")
    k = len(keys)
    out = []
    for o in keys:
        raw = np.asarray(series[o.key], dtype=float)
        # analyse_trial reads "lower is better"; flip outcomes where higher is better.
        worse_up = 10.0 - raw if o.higher_is_better else raw
        trial = analyse_trial(s, dates, worse_up, min_days=min_days)
        n_pairs = trial.n_pairs_used
        q_pairs = float(special.stdtrit(n_pairs - 1, 1 - alpha / (2 * k))) if n_pairs >= 2 else None
        check_claim, check = _check(trial, q_pairs)
        c = block_contrast(trial)
        if c is None:
            out.append(
                OutcomeResult(
                    o,
                    trial,
                    None,
                    None,
                    None,
                    "too_little_data",
                    f"{o.label}: too few rated blocks to compare (at least 3 blocks, one at "
                    "each time, with 3 or more rated days after the wash-out).",
                    None,
                    check_claim,
                    check,
                )  # fmt: skip
            )
            continue
        q = float(special.stdtrit(c.df, 1 - alpha / (2 * k)))
        # c.difference is morning minus bedtime on the "higher is worse" scale; report it as
        # "higher is better" so a positive number always favours the morning dose.
        diff = -c.difference
        lo, hi = diff - q * c.se, diff + q * c.se
        claim = _claim(diff, lo, hi, c.se)
        sentence = _describe(o, diff, lo, hi, claim)
        out.append(OutcomeResult(o, trial, diff, lo, hi, claim, sentence, c, check_claim, check))
    return TimingResult(tuple(out), k)


def simulated_data(
    rng: np.random.Generator,
    *,
    pairs: int = 2,
    block_days: int = 7,
    n_outcomes: int = 5,
    phi: float = 0.5,
    sd: float = 1.5,
    missing: float = 0.1,
    effect: float = 0.0,
) -> tuple[TrialSchedule, list[dt.date], dict[str, NDArray[np.float64]]]:
    """One simulated experiment's schedule, dates and ratings: AR(1) daily noise around 5 on
    every outcome, rounded and clipped to 0-10, a share `missing` of days not rated; `effect`
    points fewer vivid dreams on morning days (0 = no timing effect at all)."""
    d = design(dt.date(2026, 1, 5), block_days, pairs)
    s = schedule(d, rng)
    n_days = 2 * pairs * block_days
    dates = [d.start + dt.timedelta(days=i) for i in range(n_days)]
    morning = np.repeat([b.time == MORNING for b in blocks(s)], block_days)
    series = {}
    for o in OUTCOMES[:n_outcomes]:
        z = rng.normal(0, sd * np.sqrt(1 - phi**2), n_days)
        e = np.empty(n_days)
        e[0] = rng.normal(0, sd)  # stationary start
        for i in range(1, n_days):
            e[i] = phi * e[i - 1] + z[i]
        level = 5 - effect * morning if o.key == "vivid_dreams" else np.full(n_days, 5.0)
        values = np.clip(np.round(level + e), 0, 10)
        values[rng.random(n_days) < missing] = np.nan
        series[o.key] = values
    return s, dates, series


def simulate(rng: np.random.Generator, *, alpha: float = ALPHA, **kwargs: float) -> TimingResult:
    """One simulated experiment (`simulated_data`) analysed with `analyse` at `alpha`."""
    return analyse(*simulated_data(rng, **kwargs), alpha=alpha)  # type: ignore[arg-type]


def simulate_null(rng: np.random.Generator, **kwargs: float) -> TimingResult:
    """One simulated experiment with NO timing effect."""
    return simulate(rng, **{**kwargs, "effect": 0.0})


CLAIMS = ("morning_better", "bedtime_better")
RULES = ("claim", "check_claim")  # the block comparison; the pair-by-pair check


def _rule(rule: str) -> str:
    if rule not in RULES:
        raise AnalysisInputError(f"rule must be one of {', '.join(RULES)}, got {rule!r}")
    return rule


def false_claim_rate(
    rng: np.random.Generator, runs: int = 2000, *, rule: str = "claim", **kwargs: float
) -> tuple[float, float]:
    """(share of null experiments claiming any difference, share of outcomes claiming one), by
    the block comparison (`rule="claim"`) or the pair-by-pair check (`"check_claim"`)."""
    attr = _rule(rule)
    any_claim = outcome_claims = outcomes = 0
    for _ in range(runs):
        result = simulate_null(rng, **kwargs)
        claims = [getattr(r, attr) in CLAIMS for r in result.outcomes]
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


def power(
    rng: np.random.Generator,
    effect: float,
    runs: int = 1000,
    *,
    rule: str = "claim",
    **kwargs: float,
) -> float:
    """Share of simulated experiments that find fewer vivid dreams in the morning."""
    attr = _rule(rule)
    hits = 0
    for _ in range(runs):
        result = simulate(rng, effect=effect, **kwargs)
        hits += any(
            r.outcome.key == "vivid_dreams" and getattr(r, attr) == "morning_better"
            for r in result.outcomes
        )
    return hits / runs
