"""The fitted values in the YAML files are what the documented fit gives, and every source exists."""

from __future__ import annotations

import pytest

from ldn import bibliography
from ldn.pharmacology import load_parameters, mechanism_claims, read_yaml
from ldn.pharmacology.calibration import fit_occupancy, fit_pk_shape


def test_pk_shape_fit_reproduces_the_yaml_values() -> None:
    fit, p = fit_pk_shape(), load_parameters()
    assert fit.ka == pytest.approx(p.ka, rel=1e-3)
    assert fit.alpha == pytest.approx(p.alpha, rel=1e-3)
    assert fit.vm_f == pytest.approx(p.vm_f, rel=1e-3)


@pytest.mark.slow
def test_occupancy_fit_objective_is_no_better_than_the_yaml_values() -> None:
    # The (EC50, potency ratio) pair is poorly identified (a ridge); check the objective, not values.
    fit = fit_occupancy()
    assert fit.objective < 6.0


def test_every_cited_source_is_in_the_bibliography() -> None:
    refs = bibliography.entries()
    cited: set[str] = set()
    for entry in read_yaml("pk.yaml")["parameters"].values():
        src = entry.get("source", [])
        cited.update(src if isinstance(src, list) else [src])
        if entry.get("cv_source"):
            cited.add(entry["cv_source"])
    validation = read_yaml("validation.yaml")
    cited.update(c["source"] for c in validation["fitted"] + validation["checks"])
    for claim in mechanism_claims():
        cited.update(claim.sources)
    assert cited <= set(refs), cited - set(refs)


def test_mechanism_claims_label_hypotheses_as_such() -> None:
    by_id = {c.id: c for c in mechanism_claims()}
    assert by_id["mu_blockade"].confidence == "measured"
    assert by_id["tlr4_microglia"].confidence == "hypothesis"
    assert by_id["endorphin_ogf_rebound"].confidence == "hypothesis"


def test_every_fitted_value_names_the_parameters_set_from_it() -> None:
    names = set(read_yaml("pk.yaml")["parameters"]) | set(read_yaml("occupancy.yaml")["parameters"])
    for row in read_yaml("validation.yaml")["fitted"]:
        assert set(row["fitted_by"]) <= names, row["id"]
