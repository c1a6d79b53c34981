"""Holm's step-down adjustment (family-wise error) for verdicts across several symptoms.

Written out because statsmodels' `multipletests` runs a full garbage collection on every call
(~50 ms), which alone would break the 0.5 s budget for the dashboard; the Benjamini-Hochberg side
uses `scipy.stats.false_discovery_control`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm (1979) adjusted p-values: max over k <= i of (m - k + 1) * p_(k), capped at 1."""
    p = np.asarray(p_values, dtype=float)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p, kind="stable")
    stepped = np.maximum.accumulate((m - np.arange(m)) * p[order])
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(stepped, 1.0)
    return adjusted.tolist()
