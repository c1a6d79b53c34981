"""Liquid LDN calculator: tablet in water -> concentration -> volume to draw for a dose.

The drawn volume is rounded to the syringe's graduation (nearest mark, halves rounded up) and the
dose actually delivered by that volume is reported with its relative error, because at 0.1 ml
resolution and 1 mg/ml a 4.55 mg prescription cannot be measured exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from ldn.dosing._data import Reference, cite, load_yaml
from ldn.dosing.errors import LiquidError


@dataclass(frozen=True)
class StorageGuidance:
    """What the sources say about keeping a preparation; days are None when no source gives them."""

    key: str
    title: str
    days_room_temperature: int | None
    days_refrigerated: int | None
    guidance: str
    references: tuple[Reference, ...]


@cache
def storage_options() -> dict[str, StorageGuidance]:
    """Storage guidance entries from data/liquid.yaml."""
    raw = load_yaml("liquid.yaml")["storage"]
    return {
        key: StorageGuidance(
            key=key,
            title=" ".join(str(item["title"]).split()),
            days_room_temperature=item.get("days_room_temperature"),
            days_refrigerated=item.get("days_refrigerated"),
            guidance=" ".join(str(item["guidance"]).split()),
            references=cite(item["references"]),
        )
        for key, item in raw.items()
    }


def storage_guidance(preparation: str = "plain_water") -> StorageGuidance:
    """Guidance for one preparation type (default: tablet in plain water, which has no days)."""
    options = storage_options()
    if preparation not in options:
        raise LiquidError(f"preparation must be one of {sorted(options)}, got {preparation!r}")
    return options[preparation]


@dataclass(frozen=True)
class RoundingPolicy:
    """When a rounding error is flagged, and which syringes and water volumes to try instead."""

    flag_above_percent: float
    syringe_graduations_ml: tuple[float, ...]
    water_volumes_ml: tuple[float, ...]


@cache
def rounding_policy() -> RoundingPolicy:
    raw = load_yaml("liquid.yaml")["rounding"]
    return RoundingPolicy(
        flag_above_percent=float(raw["flag_above_percent"]),
        syringe_graduations_ml=tuple(float(x) for x in raw["syringe_graduations_ml"]),
        water_volumes_ml=tuple(float(x) for x in raw["water_volumes_ml"]),
    )


@dataclass(frozen=True)
class LiquidSuggestion:
    """A change that brings the rounding error under the flag: a finer syringe or other water."""

    kind: str  # "syringe" or "water"
    syringe_resolution_ml: float
    water_ml: float
    concentration_mg_per_ml: float
    volume_ml: float
    error_percent: float

    def text(self) -> str:
        if self.kind == "syringe":
            return (
                f"Use a syringe with {self.syringe_resolution_ml:g} ml marks: draw "
                f"{self.volume_ml:g} ml ({self.error_percent:+.1f}%)."
            )
        return (
            f"Dissolve the tablet in {self.water_ml:g} ml of water "
            f"({self.concentration_mg_per_ml:.4g} mg/ml): draw {self.volume_ml:g} ml with your "
            f"syringe ({self.error_percent:+.1f}%)."
        )


@dataclass(frozen=True)
class LiquidDose:
    """Result of the calculator, with its inputs."""

    tablet_mg: float
    water_ml: float
    dose_mg: float
    syringe_resolution_ml: float
    concentration_mg_per_ml: float
    exact_volume_ml: float
    volume_ml: float
    actual_dose_mg: float
    error_percent: float
    below_resolution: bool
    storage: StorageGuidance
    flagged: bool = False  # |error| above the rounding policy's flag
    flag_above_percent: float = 5.0
    suggestions: tuple[LiquidSuggestion, ...] = ()
    method: str = (
        "volume = dose ÷ (tablet mg ÷ water ml), rounded to the nearest syringe mark (halves up)"
    )


def _positive(name: str, value: float) -> float:
    if not isinstance(value, int | float) or math.isnan(value) or math.isinf(value):
        raise LiquidError(f"{name} must be a finite number, got {value!r}")
    if value < 0:
        raise LiquidError(f"{name} must not be negative, got {value:g}")
    if value == 0:
        raise LiquidError(f"{name} must be greater than 0, got 0")
    return float(value)


def liquid_dose(
    tablet_mg: float,
    water_ml: float,
    dose_mg: float,
    syringe_resolution_ml: float = 0.1,
    preparation: str = "plain_water",
) -> LiquidDose:
    """Volume to draw for `dose_mg` from a `tablet_mg` tablet dissolved in `water_ml` of water."""
    tablet = _positive("tablet_mg", tablet_mg)
    water = _positive("water_ml", water_ml)
    dose = _positive("dose_mg", dose_mg)
    resolution = _positive("syringe_resolution_ml", syringe_resolution_ml)
    if dose > tablet:
        raise LiquidError(
            f"dose_mg must not exceed the tablet content of {tablet:g} mg, got {dose:g}"
        )
    if resolution > water:
        raise LiquidError(
            f"syringe_resolution_ml must not exceed the water volume {water:g} ml, got {resolution:g}"
        )
    concentration = tablet / water
    exact, volume, actual, error = _draw(tablet, water, dose, resolution)
    policy = rounding_policy()
    flagged = abs(error) > policy.flag_above_percent
    return LiquidDose(
        tablet_mg=tablet,
        water_ml=water,
        dose_mg=dose,
        syringe_resolution_ml=resolution,
        concentration_mg_per_ml=concentration,
        exact_volume_ml=exact,
        volume_ml=volume,
        actual_dose_mg=actual,
        error_percent=error,
        below_resolution=volume == 0.0,
        storage=storage_guidance(preparation),
        flagged=flagged,
        flag_above_percent=policy.flag_above_percent,
        suggestions=_suggest(tablet, water, dose, resolution, policy) if flagged else (),
    )


def _draw(
    tablet: float, water: float, dose: float, resolution: float
) -> tuple[float, float, float, float]:
    """(exact volume, volume on the nearest mark, dose it delivers, error %)."""
    exact = dose * water / tablet  # same as dose / concentration, with one rounding fewer
    steps = (Decimal(repr(exact)) / Decimal(repr(resolution))).quantize(
        Decimal(1), rounding=ROUND_HALF_UP
    )
    volume = float(steps * Decimal(repr(resolution)))
    actual = volume * tablet / water
    return exact, volume, actual, (actual - dose) / dose * 100.0


def _suggest(
    tablet: float, water: float, dose: float, resolution: float, policy: RoundingPolicy
) -> tuple[LiquidSuggestion, ...]:
    """The coarsest finer syringe, and the least water with the same syringe, that stay under
    the flag. Either may be missing when no candidate in the policy works."""
    out: list[LiquidSuggestion] = []
    for grad in sorted(policy.syringe_graduations_ml, reverse=True):
        if grad >= resolution:
            continue
        _exact, volume, _actual, error = _draw(tablet, water, dose, grad)
        if volume > 0 and abs(error) <= policy.flag_above_percent:
            out.append(LiquidSuggestion("syringe", grad, water, tablet / water, volume, error))
            break
    for ml in sorted(policy.water_volumes_ml):
        if ml == water or ml < resolution:
            continue
        _exact, volume, _actual, error = _draw(tablet, ml, dose, resolution)
        if 0 < volume <= ml and abs(error) <= policy.flag_above_percent:
            out.append(LiquidSuggestion("water", resolution, ml, tablet / ml, volume, error))
            break
    return tuple(out)
