import numpy as np
from statsmodels.stats.multitest import multipletests

from ldn.analysis.multiplicity import holm_adjust


def test_holm_matches_statsmodels_on_random_p_values() -> None:
    p = np.random.default_rng(0).uniform(0, 0.2, 9)
    assert np.allclose(holm_adjust(p.tolist()), multipletests(p, method="holm")[1])


def test_holm_worked_example() -> None:
    # p = 0.01, 0.04, 0.03 with m = 3: 3*0.01 = 0.03; 2*0.03 = 0.06; max(0.06, 1*0.04) = 0.06.
    assert np.allclose(holm_adjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])


def test_holm_of_nothing_is_nothing() -> None:
    assert holm_adjust([]) == []
