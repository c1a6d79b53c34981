"""Write the docs tables that are program output, between marker comments.

    .venv/bin/python scripts/gen_docs_tables.py          # rewrite the docs in place
    .venv/bin/python scripts/gen_docs_tables.py --check  # exit 1 and name the stale tables

A generated block in a docs page looks like

    <!-- BEGIN generated: validation-fitted (scripts/gen_docs_tables.py) -->
    ...
    <!-- END generated: validation-fitted -->

tests/test_docs_tables.py fails when a page differs from what this script writes.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ldn.pharmacology import simulate
from ldn.pharmacology.validation import checks, fitted, model_value, typical_curves, within

DOCS = Path(__file__).resolve().parent.parent / "docs"


def _number(value: float) -> str:
    return f"{value:.3g}"


def _tolerance(check: dict[str, Any]) -> str:
    if "tolerance_factor" in check:
        return f"x/÷ {float(check['tolerance_factor']):g}"
    if "tolerance_rel" in check:
        return f"±{100 * float(check['tolerance_rel']):.0f}%"
    return f"±{float(check['tolerance_abs']):g}"


def _row(check: dict[str, Any], last: str) -> str:
    low, high = model_value(check["quantity"], float(check["dose_mg"]))
    model = _number(low) if low == high else f"{_number(low)}-{_number(high)}"
    dose = f"{float(check['dose_mg']):g} mg"
    if check["quantity"] == "mu_occupancy_steady_trough_range":
        dose += "/day"
    ok = "yes" if within(check, low) and within(check, high) else "**no**"
    return (
        f"| {check['quantity']} {dose} | {float(check['value']):g} {check['unit']} | {model} "
        f"| {_tolerance(check)} | {check['source']} | {ok} | {last} |"
    )


def validation_fitted() -> str:
    rows = [_row(c, ", ".join(c["fitted_by"])) for c in fitted()]
    head = "| value | published | model | tolerance | source | within | parameters set from it |"
    return "\n".join([head, "|---|---|---|---|---|---|---|", *rows])


def validation_checked() -> str:
    rows = [_row(c, c["expect"]) for c in checks()]
    head = "| value | published | model | tolerance | source | within | recorded as |"
    return "\n".join([head, "|---|---|---|---|---|---|---|", *rows])


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _band(stat: Any, show: Callable[[float], str]) -> str:
    median, p5, p95 = show(stat.median), show(stat.p5), show(stat.p95)
    if p5 == p95:
        return median
    return f"{median} [{p5.rstrip('%')}-{p95.rstrip('%')}]"


def ldn_predictions() -> str:
    head = (
        "| dose | naltrexone Cmax | 6beta-naltrexol Cmax | mu occupancy 1 h / 3 h / 8 h / 24 h "
        "| peak occupancy | hours > 50% |"
    )
    rows = [head, "|---|---|---|---|---|---|"]
    for dose in (0.5, 1.5, 3.0, 4.5, 50.0):
        c = typical_curves(dose, hours=24.0)
        at = " / ".join(_pct(float(np.interp(h, c["t"], c["mu_occupancy"]))) for h in (1, 3, 8, 24))
        pop = simulate(dose, days=1, population=20_000, seed=0, step_min=5).summary
        rows.append(
            f"| {dose:g} mg | {c['naltrexone'].max():.3g} ng/mL | {c['naltrexol'].max():.3g} ng/mL "
            f"| {at} | {_band(pop['mu_occupancy_peak'], _pct)} "
            f"| {_band(pop['hours_mu_occupancy_above_50pct'], lambda h: f'{h:.0f}')} |"
        )
    day14 = simulate(4.5, days=14, step_min=5)
    occ = day14.series["mu_occupancy"].median[day14.t_h >= 13 * 24]
    rows += [
        "",
        f"At 4.5 mg nightly the model's day-14 occupancy stays between {_pct(float(occ.min()))} "
        f"and {_pct(float(occ.max()))} (typical patient).",
    ]
    return "\n".join(rows)


# page -> block name -> function writing the block's text
TABLES: dict[str, dict[str, Callable[[], str]]] = {
    "pharmacology.md": {
        "validation-fitted": validation_fitted,
        "validation-checked": validation_checked,
        "ldn-predictions": ldn_predictions,
    },
}


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(
        rf"(<!-- BEGIN generated: {re.escape(name)} \(scripts/gen_docs_tables.py\) -->\n)"
        rf"(.*?)"
        rf"(<!-- END generated: {re.escape(name)} -->)",
        re.DOTALL,
    )


def render(page: str, text: str) -> str:
    """The page's text with every generated block rewritten; a missing marker is an error."""
    for name, make in TABLES[page].items():
        pattern = _pattern(name)
        if not pattern.search(text):
            raise SystemExit(f"docs/{page}: marker for generated block {name!r} is missing")
        body = make()
        text = pattern.sub(lambda m, body=body: m.group(1) + body + "\n" + m.group(3), text)
    return text


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for page in TABLES:
        path = DOCS / page
        old = path.read_text(encoding="utf-8")
        new = render(page, old)
        if new != old:
            stale.append(page)
            if not check:
                path.write_text(new, encoding="utf-8")
    if check and stale:
        print(f"stale generated tables in: {', '.join(stale)}; run scripts/gen_docs_tables.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
