"""Text content of the science pages: mechanism claims with sources, and the validation table.

All clinical statements come from ldn.pharmacology's data files; this module only groups them
and computes the model's side of each validation check the same way tests/pharmacology does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ldn import bibliography
from ldn.pharmacology import (
    MechanismClaim,
    mechanism_claims,
    read_yaml,
)
from ldn.pharmacology.validation import model_value, within

CONFIDENCE_LABELS = {
    "measured": "Measured in people",
    "indirect": "Indirect evidence",
    "hypothesis": "Hypothesis",
    "speculative": "Speculative",
}
MEASURED = ("measured", "indirect")
# Plain-language headings for the claims in data/mechanism.yaml (the claim text stays as written).
HEADINGS = {
    "mu_blockade": "It blocks opioid receptors in the brain",
    "blockade_duration": "How long the block lasts after a dose",
    "brief_blockade_story": "“A brief block at night”",
    "endorphin_ogf_rebound": "A rebound in the body’s own opioids (endorphins, OGF)",
    "tlr4_microglia": "Calming immune cells in the brain (TLR4, microglia)",
    "naltrexol_peripheral": "Its metabolite works mostly outside the brain",
}
_URL = re.compile(r"https?://\S+")


@dataclass(frozen=True)
class Source:
    key: str
    citation: str
    url: str


@dataclass(frozen=True)
class ClaimView:
    claim: MechanismClaim
    heading: str
    confidence_label: str
    sources: list[Source]

    @property
    def text(self) -> str:
        return typeset(self.claim.claim)

    @property
    def status(self) -> str:
        return typeset(self.claim.status)

    @property
    def evidence(self) -> str:
        return typeset(self.claim.evidence)


def typeset(text: str) -> str:
    """The data files spell Greek letters out (6beta, mu-opioid); the page shows the symbols."""
    text = re.sub(r"\b6beta\b", "6β", text)
    return re.sub(r"\bmu-opioid\b", "μ-opioid", text)


def source(key: str) -> Source:
    """A reference with the best link we have: DOI, then PubMed, then the page it was read on."""
    ref = bibliography.get(key, cited_in="ldn.pharmacology data")
    url = ""
    if ref.doi:
        url = f"https://doi.org/{ref.doi}"
    elif ref.pmid:
        url = f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    else:
        found = _URL.search(" ".join(ref.read_at))
        url = found.group(0).rstrip(")") if found else ""
    return Source(key=key, citation=ref.as_read(), url=url)


@cache
def claims() -> tuple[list[ClaimView], list[ClaimView]]:
    """(measured, hypothesised) claims, in the data file's order."""
    views = [
        ClaimView(
            claim=c,
            heading=HEADINGS.get(c.id, c.claim),
            confidence_label=CONFIDENCE_LABELS.get(c.confidence, c.confidence),
            sources=[source(k) for k in c.sources],
        )
        for c in mechanism_claims()
    ]
    return (
        [v for v in views if v.claim.confidence in MEASURED],
        [v for v in views if v.claim.confidence not in MEASURED],
    )


@dataclass(frozen=True)
class CheckRow:
    """One line of the validation table: the published figure beside the model's."""

    id: str
    quantity: str
    dose_mg: float
    published: str
    model: str
    tolerance: str
    source: Source
    note: str
    passed: bool
    group: str = "checked against"  # or "fitted to" (in-sample)


QUANTITY_LABELS = {
    "naltrexone_cmax": "Naltrexone peak (Cmax)",
    "naltrexone_tmax": "Naltrexone time to peak (Tmax)",
    "naltrexone_auc": "Naltrexone exposure (AUC)",
    "naltrexone_terminal_half_life": "Naltrexone half-life",
    "naltrexol_cmax": "6β-naltrexol peak (Cmax)",
    "naltrexol_tmax": "6β-naltrexol time to peak",
    "naltrexol_terminal_half_life": "6β-naltrexol half-life",
    "mu_occupancy_3h": "μ occupancy about 3 h after the dose (PET)",
    "mu_occupancy_48h": "μ occupancy 48 h after the dose",
    "mu_occupancy_steady_trough_range": "μ occupancy on daily dosing, whole day 7 (PET)",
    "naltrexone_absorption_half_life": "Naltrexone absorption half-life",
    "mu_occupancy_half_time_48_168h": "Half-time of the μ block, 2 to 7 days after the dose",
}


def _show(value: float, unit: str) -> str:
    if unit == "fraction":
        return f"{100 * value:.0f}%"
    return f"{value:.3g} {unit}"


@cache
def validation_rows() -> list[CheckRow]:
    out = []
    data = read_yaml("validation.yaml")
    groups = [("fitted to", c) for c in data["fitted"]] + [
        ("checked against", c) for c in data["checks"]
    ]
    for group, check in groups:
        lo, hi = model_value(check["quantity"], float(check["dose_mg"]))
        unit = str(check["unit"])
        model = _show(lo, unit) if lo == hi else f"{_show(lo, unit)} to {_show(hi, unit)}"
        if "tolerance_factor" in check:
            tol = f"×/÷ {float(check['tolerance_factor']):g}"
        elif "tolerance_rel" in check:
            tol = f"±{100 * float(check['tolerance_rel']):.0f}%"
        else:
            extra = float(check["tolerance_abs"])
            tol = f"±{100 * extra:.0f} points" if unit == "fraction" else f"±{extra:g} {unit}"
        out.append(
            CheckRow(
                id=str(check["id"]),
                quantity=QUANTITY_LABELS.get(check["quantity"], check["quantity"]),
                dose_mg=float(check["dose_mg"]),
                published=_show(float(check["value"]), unit),
                model=model,
                tolerance=tol,
                source=source(str(check["source"])),
                note=str(check.get("note", "")),
                passed=within(check, lo) and within(check, hi),
                group=group,
            )
        )
    return out


@cache
def pet_points() -> list[tuple[str, str]]:
    """Published single-dose PET occupancies by dose, from data/validation.yaml (Rabiner 2011)."""
    by_dose: dict[float, list[str]] = {}
    for p in read_yaml("validation.yaml")["occupancy_fit_points"]:
        if p["source"] == "rabiner_2011":
            by_dose.setdefault(float(p["dose_mg"]), []).append(
                f"{100 * float(p['occupancy']):.0f}%"
            )
    return [(f"{d:g} mg", ", ".join(v)) for d, v in sorted(by_dose.items())]


def validation_summary() -> tuple[int, int]:
    rows = validation_rows()
    return sum(r.passed for r in rows), len(rows)
