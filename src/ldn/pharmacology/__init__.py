"""Naltrexone pharmacokinetics and mu-opioid receptor occupancy at any dose, for populations."""

from ldn.pharmacology.mechanism import MechanismClaim, mechanism_claims
from ldn.pharmacology.model import PatientParameters, evaluate, exponential_terms
from ldn.pharmacology.parameters import (
    ModelParameters,
    PharmacologyError,
    load_parameters,
    read_yaml,
)
from ldn.pharmacology.simulate import (
    MAX_POPULATION,
    Band,
    Schedule,
    SimulationResult,
    Stat,
    nightly_schedule,
    simulate,
)

__all__ = [
    "MAX_POPULATION",
    "Band",
    "MechanismClaim",
    "ModelParameters",
    "PatientParameters",
    "PharmacologyError",
    "Schedule",
    "SimulationResult",
    "Stat",
    "evaluate",
    "exponential_terms",
    "load_parameters",
    "mechanism_claims",
    "nightly_schedule",
    "read_yaml",
    "simulate",
]
