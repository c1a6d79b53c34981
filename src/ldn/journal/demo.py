"""A synthetic patient's journal for the demo account: clearly artificial, reproducible by seed.

The shape is what the statistics must cope with: a four-week baseline, a titration to 4.5 mg,
six months on LDN, autocorrelated day-to-day noise, a gradual improvement in some symptoms and
none in others, vivid dreams early on, and the odd missed or late dose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta

import numpy as np

BASELINE_DAYS = 28
TITRATION = ((1.5, 14), (3.0, 14))  # (dose in mg, days), then maintenance
MAINTENANCE_MG = 4.5
DAYS_ON_LDN = 182

# Synthetic effect sizes on the 0-10 scale (negative = better): invented for the demo, not data.
_DEMO_SYMPTOMS: dict[str, tuple[float, float]] = {
    # key: (baseline mean, eventual change on LDN)
    "pain": (6.2, -1.8),
    "fatigue": (6.8, -1.0),
    "brain_fog": (5.0, -0.2),
    "low_mood": (4.0, 0.0),
    "stiffness": (5.5, -1.2),
}


@dataclass(frozen=True)
class DemoDay:
    day: date
    dose_mg: float | None  # planned LDN dose that evening; None during baseline
    dose_taken_at: time | None  # None when missed or not on LDN
    scores: dict[str, int]
    side_effects: tuple[str, ...]
    sleep_hours: float
    sleep_quality: int
    stress: int
    exercise_minutes: int
    alcohol_units: int
    water_litres: float
    tags: tuple[str, ...]
    therapies: tuple[str, ...]


@dataclass(frozen=True)
class DemoJournal:
    ldn_start: date
    days: list[DemoDay] = field(default_factory=list)

    @property
    def symptoms(self) -> list[str]:
        return list(_DEMO_SYMPTOMS)


def _dose_for(day_index: int) -> float | None:
    """Planned dose on a day counted from the first baseline day."""
    on_ldn = day_index - BASELINE_DAYS
    if on_ldn < 0:
        return None
    for dose, length in TITRATION:
        if on_ldn < length:
            return dose
        on_ldn -= length
    return MAINTENANCE_MG


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float) -> np.ndarray:
    noise = rng.normal(0.0, sd * np.sqrt(1 - phi**2), size=n)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    for i in range(1, n):  # n is a few hundred days: a loop is clearer than a filter here
        out[i] = phi * out[i - 1] + noise[i]
    return out


def generate_demo_journal(today: date, rng: np.random.Generator) -> DemoJournal:
    """Days up to yesterday: `BASELINE_DAYS` before LDN and `DAYS_ON_LDN` on it."""
    n = BASELINE_DAYS + DAYS_ON_LDN
    first = today - timedelta(days=n)
    ldn_start = first + timedelta(days=BASELINE_DAYS)
    weeks_on = np.clip((np.arange(n) - BASELINE_DAYS) / 7.0, 0, None)
    ramp = 1 - np.exp(-weeks_on / 4.0)  # the improvement builds up over the first two months

    series = {}
    for key, (mean, change) in _DEMO_SYMPTOMS.items():
        raw = mean + change * ramp + _ar1(rng, n, phi=0.5, sd=1.1)
        series[key] = np.clip(np.rint(raw), 0, 10).astype(int)

    days = []
    for i in range(n):
        dose = _dose_for(i)
        weeks = weeks_on[i]
        taken = None
        if dose is not None and rng.random() > 0.05:
            late = rng.random() < 0.08
            minutes = int(22 * 60 + rng.normal(0, 20) + (90 if late else 0))
            taken = time(min(minutes // 60, 23), minutes % 60)
        side = []
        if dose is not None:
            if rng.random() < 0.05 + 0.35 * np.exp(-weeks / 2.0):
                side.append("vivid_dreams")
            if rng.random() < 0.02 + 0.10 * np.exp(-weeks / 2.0):
                side.append("insomnia")
        if rng.random() < 0.04:
            side.append("headache")
        stress = int(np.clip(rng.normal(4.5, 2.0), 0, 10))
        tags = tuple(
            t for t, p in (("weather change", 0.1), ("late night", 0.08)) if rng.random() < p
        )
        therapies = ("physical_therapy",) if i % 7 == 2 else ()
        days.append(
            DemoDay(
                day=first + timedelta(days=i),
                dose_mg=dose,
                dose_taken_at=taken,
                scores={key: int(values[i]) for key, values in series.items()},
                side_effects=tuple(side),
                sleep_hours=float(np.round(np.clip(rng.normal(6.8, 0.9), 3, 10), 1)),
                sleep_quality=int(np.clip(rng.normal(5.5, 1.8), 0, 10)),
                stress=stress,
                exercise_minutes=int(max(0, rng.normal(20, 15))),
                alcohol_units=int(rng.random() < 0.15) * int(rng.integers(1, 4)),
                water_litres=float(np.round(np.clip(rng.normal(1.6, 0.4), 0.3, 4), 1)),
                tags=tags,
                therapies=therapies,
            )
        )
    return DemoJournal(ldn_start=ldn_start, days=days)
