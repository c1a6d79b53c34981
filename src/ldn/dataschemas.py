"""One schema per data file, keyed "package:path" (see ldn.datafiles.load).

Unknown keys are refused everywhere (extra="forbid"), so a misspelt field fails loudly instead of
being ignored. The knowledge files reuse the models of ldn.knowledge.models.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import jsonschema
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from ldn.knowledge import models as kn

PMID = Field(default=None, pattern=r"^[1-9][0-9]{0,8}$")
DOI = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- the bibliography ---------------------------------------------------------------------------


class NOf1Use(_Strict):
    key: str  # a key of ldn/data/bibliography.yaml
    used_for: str


class BibliographyEntry(_Strict):
    """One source in ldn/data/bibliography.yaml; fields as they were read (see that file's head)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: kn.ReferenceType | Literal["web"] | None = None
    short_name: str | None = None
    authors: str | list[str] | None = None  # a web page or label may have no person as author
    year: int | None = None
    title: str | None = Field(default=None, min_length=5)
    journal: str | None = None
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = PMID
    doi: str | None = DOI
    pmcid: str | None = None
    url: str | None = None
    citation: str | None = None
    note: str | None = None
    read: str | list[str] | None = None  # what we read in it (quotes), where a list kept that
    read_at: str | list[str] | None = None  # where read; a note says so if not read directly
    verification_note: str | None = None  # what the pages we read did not show

    @model_validator(mode="after")
    def _named(self) -> BibliographyEntry:
        if not (self.title or self.citation):
            raise ValueError(f"{self.key}: give a title or a citation")
        return self


_PMID_IN_TEXT = re.compile(r"\bPMID:? ?([1-9][0-9]{0,8})\b")
_DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s,;()]+[^\s,;().])")


def _identifiers(e: BibliographyEntry, field: str) -> list[str]:
    """The entry's value of field; for pmid and doi also those written in its kept citation."""
    values = [getattr(e, field)] if getattr(e, field) else []
    if field in ("pmid", "doi") and e.citation:
        found = (_PMID_IN_TEXT if field == "pmid" else _DOI_IN_TEXT).findall(e.citation)
        values += [v for v in found if v.casefold() not in {x.casefold() for x in values}]
    return values


def _one_entry_per_source(entries: list[BibliographyEntry]) -> list[BibliographyEntry]:
    """Refuse a key, PMID, DOI or title (or kept citation) held by two entries; PMIDs and DOIs
    written inside a kept citation count too."""
    problems = []
    for field in ("key", "pmid", "doi", "title", "citation"):
        seen: dict[str, str] = {}
        for e in entries:
            for value in _identifiers(e, field):
                norm = " ".join(value.split()).casefold()
                if norm in seen:
                    problems.append(f"{field} {value!r} is in both {seen[norm]} and {e.key}")
                else:
                    seen[norm] = e.key
    if problems:
        raise ValueError("; ".join(problems))
    return entries


BibliographyFile = TypeAdapter(
    Annotated[list[BibliographyEntry], AfterValidator(_one_entry_per_source)]
)


Keys = list[str]
Severity = Literal["contraindicated", "warning", "information", "not_screened"]  # safety.rules

# --- dosing -----------------------------------------------------------------------------------


class _Cited(_Strict):
    references: Keys = Field(min_length=1)


class Template(_Cited):
    title: str
    steps: str
    note: str


class TemplatesFile(_Strict):
    templates: dict[str, Template]


class Form(_Cited):
    title: str
    instructions: str


class FormsFile(_Strict):
    forms: dict[str, Form]


class UsualRange(_Cited):
    min_mg: float = Field(gt=0)
    max_mg: float = Field(gt=0)
    note: str


class DoseRuleFile(_Strict):
    usual_range: UsualRange
    entry_min_mg: float = Field(gt=0)
    refuse_above_mg: float = Field(gt=0)


class PerioperativeFile(_Cited):
    hold_days_before: int = Field(ge=0)
    hold_days_basis: str
    resume_guidance: str


class Storage(_Cited):
    title: str
    days_room_temperature: int | None = Field(ge=1)
    days_refrigerated: int | None = Field(ge=1)
    guidance: str


class Solubility(_Cited):
    mg_per_ml: float = Field(gt=0)
    note: str


class Rounding(_Strict):
    flag_above_percent: float = Field(gt=0)
    syringe_graduations_ml: list[float] = Field(min_length=1)
    water_volumes_ml: list[float] = Field(min_length=1)
    note: str


class LiquidFile(_Strict):
    storage: dict[str, Storage]
    solubility: Solubility
    rounding: Rounding


# --- pharmacology -----------------------------------------------------------------------------


class Parameter(_Strict):
    value: float
    unit: str
    kind: str
    how: str
    source: list[str] | None = None
    cv: float | None = Field(default=None, ge=0)
    cv_source: str | None = None
    cv_how: str | None = None


class PkFile(_Strict):
    model: str
    parameters: dict[str, Parameter]
    not_modelled: list[str]


class ReceptorRatio(_Strict):
    parent_ratio: float = Field(gt=0)
    naltrexol_ratio: float = Field(gt=0)
    how: str
    check: str | None = None


class OtherReceptors(_Strict):
    confidence: str
    kappa: ReceptorRatio
    delta: ReceptorRatio


class OccupancyFile(_Strict):
    parameters: dict[str, Parameter]
    assumptions: list[str]
    other_receptors: OtherReceptors


class FitTarget(_Strict):
    value: float
    unit: str
    how: str
    source: str | None = None


class OccupancyPoint(_Strict):
    dose_mg: float = Field(gt=0)
    time_h: float = Field(ge=0)
    occupancy: float = Field(ge=0, le=1)
    weight_sd: float = Field(gt=0)
    source: str


class _Comparison(_Strict):
    id: str
    quantity: str
    dose_mg: float = Field(gt=0)
    value: float
    unit: str
    tolerance_rel: float | None = Field(default=None, gt=0, lt=1)  # >= 1 could never fail low
    tolerance_abs: float | None = Field(default=None, gt=0)
    tolerance_factor: float | None = Field(default=None, gt=1)
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _one_tolerance(self) -> _Comparison:
        given = [self.tolerance_rel, self.tolerance_abs, self.tolerance_factor]
        if sum(t is not None for t in given) != 1:
            raise ValueError(
                f"{self.id}: give exactly one of tolerance_rel, tolerance_abs, tolerance_factor"
            )
        return self


class Fitted(_Comparison):
    """In-sample: the published value a parameter was set from."""

    fitted_by: list[str] = Field(min_length=1)


class Check(_Comparison):
    """Out-of-sample: a published value no parameter was set from."""

    expect: Literal["agrees", "disagrees"]


class ValidationFile(_Strict):
    fit_targets: dict[str, FitTarget]
    occupancy_fit_points: list[OccupancyPoint]
    fitted: list[Fitted] = Field(min_length=1)
    checks: list[Check] = Field(min_length=1)


class MechanismClaim(_Strict):
    id: str
    claim: str
    status: str
    confidence: str
    evidence: str
    sources: list[str] = Field(min_length=1)


class MechanismFile(_Strict):
    claims: list[MechanismClaim]


# --- safety -----------------------------------------------------------------------------------


class Rule(_Cited):
    severity: Severity
    message: str
    action: str


class RuleOwnText(_Strict):
    """A rule that states a fact of the user's own input (no source needed)."""

    severity: Severity
    message: str
    action: str
    references: Keys = Field(max_length=0)


class RulesFile(_Strict):
    rules: dict[str, Rule | RuleOwnText]


class Product(_Strict):
    name: str
    ingredients: list[str] | None = None
    atc: str | None = None
    rule: str | None = None


class Substance(_Strict):
    rule: str
    atc: str | None = None
    names: list[str] = Field(min_length=1)
    products: list[str | Product] | None = None


class SubstancesFile(_Strict):
    atc_groups: dict[str, str]
    substances: dict[str, Substance]


class ConditionsFile(_Strict):
    conditions: dict[str, list[str]]


class VocabularySource(_Strict):
    country: str
    register_: str = Field(alias="register")
    publisher: str
    url: str
    copy_: str = Field(alias="copy")
    licence: str
    licence_seen: str
    attribution: str
    data_date: str
    taken: str


class VocabularySourcesFile(_Strict):
    sources: list[VocabularySource] = Field(min_length=1)


# --- interop ----------------------------------------------------------------------------------


class FieldLimit(_Strict):
    type: Literal["integer", "number", "text"]
    min: float | None = None
    max: float | None = None
    decimals: int | None = Field(default=None, ge=0)
    unit: str | None = None
    max_length: int | None = Field(default=None, gt=0)


class LimitsFile(_Strict):
    fields: dict[str, FieldLimit]
    max_list_items: int = Field(gt=0)
    max_new_symptoms: int = Field(gt=0)
    earliest_day: dt.date
    max_file_bytes: int = Field(gt=0)
    max_json_depth: int = Field(gt=0)


class ScaleMapping(_Strict):
    source_scale: str
    target_scale: str
    rule: str
    table: dict[int, int]
    evidence: list[str] = Field(min_length=1)


def _json_schema(value: dict[str, Any]) -> dict[str, Any]:
    try:
        jsonschema.Draft202012Validator.check_schema(value)
    except jsonschema.SchemaError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        raise ValueError(f"not a valid JSON Schema at {where}: {exc.message}") from exc
    return value


ExportSchemaFile = TypeAdapter(Annotated[dict[str, Any], AfterValidator(_json_schema)])


# --- journal ----------------------------------------------------------------------------------


class Option(_Strict):
    value: int
    label: str


class Item(_Strict):
    id: str
    text: str


class Band(_Strict):
    min: int
    label: str


class ItemFlag(_Strict):
    id: str
    item: str
    min_value: int | None = None
    max_value: int | None = None
    message: str
    source: str


class Instrument(_Strict):
    name: str
    measures: str
    stem: str
    stem_note: str | None = None
    options: list[Option]
    options_source: list[str] | None = None
    items: list[Item] = Field(min_length=1)
    wording_read: list[str] | None = None
    total_range: list[int] = Field(min_length=2, max_length=2)
    bands: list[Band]
    bands_source: str | None = None
    flags: list[ItemFlag]
    missing_items: str
    licence: str
    licence_sources: list[str]
    other_sources: list[str] | None = None


class QuestionnairesFile(_Strict):
    frequency_options: list[Option]
    instruments: dict[str, Instrument]


class SuggestedSymptom(_Strict):
    symptom: str
    source: str | None = None
    ref: str | None = None


class SymptomSuggestionsFile(_Strict):
    symptoms: dict[str, str]
    general: list[SuggestedSymptom]
    conditions: dict[str, list[SuggestedSymptom]]


# --- analysis ---------------------------------------------------------------------------------


class McidScale(_Strict):
    mcid_points: float = Field(gt=0)
    applies_to: list[str]
    assumption: bool
    basis: str
    references: Keys  # keys of ldn/data/bibliography.yaml; none for an assumption


class McidFile(_Strict):
    default_scale: str
    scales: dict[str, McidScale]


class NOf1File(_Strict):
    references: list[NOf1Use] = Field(min_length=1)


# --- clinic -----------------------------------------------------------------------------------


class QuestionnaireRule(_Strict):
    id: str
    instrument: str
    core_flag: str | None = None
    band: str | None = None
    immediate: bool | None = None
    message: str
    sources: list[str] | str
    caveat: str | None = None


class Flag(_Strict):
    label: str
    rule: str | None = None
    rules: list[QuestionnaireRule] | None = None
    source: str | None = None
    evidence: str | None = None
    threshold_pct: int | None = Field(default=None, ge=0, le=100)
    window_days: int | None = Field(default=None, gt=0)
    window_ours: bool | None = None
    recent_days: int | None = Field(default=None, gt=0)
    lookback_days: int | None = Field(default=None, gt=0)
    ours: bool | None = None


class Rank(_Strict):
    flag: str
    rank: int
    area: str


class SeverityOrder(_Strict):
    ours: bool
    ranks: list[Rank]


class FlagsFile(_Strict):
    flags: dict[str, Flag]
    severity_order: SeverityOrder


# --- knowledge --------------------------------------------------------------------------------


class GeneralFile(kn._Frozen):
    grades: list[kn.Grade]
    disclaimer: str
    about: kn.Claim


class LivingStatement(_Strict):
    text: str
    refs: Keys = Field(default_factory=list)
    ours: bool = False


class LivingFile(_Strict):
    last_reviewed: dt.date
    statements: dict[str, LivingStatement]


SCHEMAS: dict[str, type[BaseModel] | TypeAdapter[Any]] = {
    "ldn:data/bibliography.yaml": BibliographyFile,
    "ldn.dosing:data/templates.yaml": TemplatesFile,
    "ldn.dosing:data/forms.yaml": FormsFile,
    "ldn.dosing:data/dose_rule.yaml": DoseRuleFile,
    "ldn.dosing:data/perioperative.yaml": PerioperativeFile,
    "ldn.dosing:data/liquid.yaml": LiquidFile,
    "ldn.pharmacology:data/pk.yaml": PkFile,
    "ldn.pharmacology:data/occupancy.yaml": OccupancyFile,
    "ldn.pharmacology:data/validation.yaml": ValidationFile,
    "ldn.pharmacology:data/mechanism.yaml": MechanismFile,
    "ldn.safety:data/rules.yaml": RulesFile,
    "ldn.safety:data/substances.yaml": SubstancesFile,
    "ldn.safety:data/conditions.yaml": ConditionsFile,
    "ldn.safety:data/vocabulary_sources.yaml": VocabularySourcesFile,
    "ldn.interop:data/limits.yaml": LimitsFile,
    "ldn.interop:data/scales.yaml": TypeAdapter(dict[str, ScaleMapping]),
    "ldn.interop:data/export.schema.json": ExportSchemaFile,
    "ldn.journal:data/questionnaires.yaml": QuestionnairesFile,
    "ldn.journal:data/symptom_suggestions.yaml": SymptomSuggestionsFile,
    "ldn.analysis:data/mcid.yaml": McidFile,
    "ldn.analysis:data/n_of_1_references.yaml": NOf1File,
    "ldn.web.clinic:data/flags.yaml": FlagsFile,
    "ldn.knowledge:data/general.yaml": GeneralFile,
    "ldn.knowledge:data/conditions/*.yaml": kn.Condition,
    "ldn.knowledge:data/misconceptions.yaml": kn.MisconceptionsSection,
    "ldn.knowledge:data/side_effects.yaml": kn.SideEffectsSection,
    "ldn.knowledge:data/safe_use.yaml": kn.Section,
    "ldn.knowledge:data/habits_and_therapies.yaml": kn.Section,
    "ldn.knowledge:data/organisations.yaml": kn.OrganisationsSection,
    "ldn.knowledge:data/living.yaml": LivingFile,
}

# Files under a data/ folder that are not loaded through ldn.datafiles, and why.
NOT_LOADED_HERE: dict[str, str] = {
    "ldn.safety:data/vocabulary.json.gz": "a generated, compressed index (ldn.safety.vocabulary)",
}
