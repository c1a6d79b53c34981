"""Typed schema of the LDN knowledge base; every clinical statement carries bibliography keys.

Validation here is per-record (formats, required fields). Cross-record rules (keys resolve, every
reference is used) live in `ldn.knowledge.citations` so they can report every finding at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

PMID_RE = re.compile(r"^[1-9][0-9]{0,8}$")
DOI_RE = re.compile(r"^10\.[0-9]{4,9}/\S+$")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

GradeLetter = Literal["A", "B", "C", "D", "E"]
Direction = Literal["benefit", "null", "mixed", "harm", "safety-only", "unverified"]
ReferenceType = Literal["article", "review", "chapter", "label", "registry", "webpage", "abstract"]
# Types that are scholarly publications and therefore must carry a PMID or DOI.
SCHOLARLY_TYPES: frozenset[str] = frozenset({"article", "review", "chapter"})


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


def _check_slug(value: str, field: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"{field} must be lower-case words joined by '-', got {value!r}")
    return value


class Reference(_Frozen):
    """One bibliography entry (CSL-JSON-like field names)."""

    key: str
    type: ReferenceType = "article"
    authors: list[str] = Field(min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100)
    title: str = Field(min_length=5)
    journal: str = Field(min_length=2, description="Container: journal, book or publisher.")
    volume: str | None = None
    pages: str | None = None
    pmid: str | None = None
    doi: str | None = None
    url: str | None = None
    short_name: str | None = Field(
        default=None, description="Display label for non-person authors."
    )
    checked_at: str = Field(
        min_length=8, description="Where we read the source (URL), for the review log."
    )
    verification_note: str | None = Field(
        default=None,
        description=(
            "What we could not see printed on a page we read (authors, identifier, a figure),"
            " so a reviewer knows which parts of the entry are weaker."
        ),
    )

    @field_validator("key")
    @classmethod
    def _key_format(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9_]*$", value):
            raise ValueError(f"key must be lower-case letters, digits and '_', got {value!r}")
        return value

    @field_validator("pmid")
    @classmethod
    def _pmid_format(cls, value: str | None) -> str | None:
        if value is not None and not PMID_RE.match(value):
            raise ValueError(f"pmid must be 1-9 digits without a leading zero, got {value!r}")
        return value

    @field_validator("doi")
    @classmethod
    def _doi_format(cls, value: str | None) -> str | None:
        if value is not None and not DOI_RE.match(value):
            raise ValueError(f"doi must look like 10.NNNN/suffix, got {value!r}")
        return value

    @model_validator(mode="after")
    def _has_identifier(self) -> Reference:
        if self.type in SCHOLARLY_TYPES and self.year is None:
            raise ValueError(f"reference {self.key}: a {self.type} needs a year")
        if self.type in SCHOLARLY_TYPES and not (self.pmid or self.doi):
            raise ValueError(f"reference {self.key}: a {self.type} needs a pmid or a doi")
        if self.type not in SCHOLARLY_TYPES and not self.url:
            raise ValueError(f"reference {self.key}: a {self.type} needs a url")
        return self

    @property
    def link(self) -> str:
        """Where a reader can check it: PubMed first, then the DOI resolver, then the URL."""
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or ""

    @property
    def short(self) -> str:
        if self.short_name:
            return self.short_name
        first = self.authors[0].split(" ")[0].rstrip(",")
        etal = " et al." if len(self.authors) > 1 else ""
        return f"{first}{etal} {self.year or 'n.d.'}"

    def citation(self) -> str:
        authors = ", ".join(self.authors[:6]) + (", et al." if len(self.authors) > 6 else "")
        parts = [f"{authors} ({self.year or 'n.d.'}). {self.title}. {self.journal}"]
        if self.volume:
            parts.append(f" {self.volume}")
        if self.pages:
            parts.append(f":{self.pages}")
        ids = []
        if self.pmid:
            ids.append(f"PMID {self.pmid}")
        if self.doi:
            ids.append(f"doi:{self.doi}")
        text = "".join(parts) + "."
        return text + (" " + "; ".join(ids) + "." if ids else "")


class Claim(_Frozen):
    """A sentence of clinical content and the references that support it."""

    text: str = Field(min_length=3)
    refs: list[str] = Field(default_factory=list)


class Study(_Frozen):
    design: str
    n: str = Field(description="Participants, as reported (text: '31 women', '360 users').")
    dose: str
    duration: str
    outcome: str
    result: str
    direction: Direction
    ref: str


class Grade(_Frozen):
    letter: GradeLetter
    label: str
    definition: str


class Condition(_Frozen):
    slug: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    category: str
    summary: Claim
    grade: GradeLetter
    grade_rationale: str = Field(min_length=10)
    studies: list[Study] = Field(default_factory=list)
    typical_doses: Claim
    not_known: list[str] = Field(min_length=1)
    last_reviewed: dt.date

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        return _check_slug(value, "slug")

    @model_validator(mode="after")
    def _studies_unless_no_data(self) -> Condition:
        if not self.studies and self.grade != "E":
            raise ValueError(f"condition {self.slug}: grade {self.grade} needs at least one study")
        return self


class Misconception(_Frozen):
    slug: str
    myth: str
    verdict: Literal["false", "misleading", "partly true", "unproven"]
    clarification: Claim

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        return _check_slug(value, "slug")


class Frequency(_Frozen):
    figure: str
    ref: str


class SideEffect(_Frozen):
    slug: str
    name: str
    description: Claim
    frequencies: list[Frequency] = Field(default_factory=list)

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        return _check_slug(value, "slug")


class Topic(_Frozen):
    """A titled block of guidance (safe use, habits and combined therapies)."""

    slug: str
    title: str
    body: Claim
    evidence_strength: str | None = None

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        return _check_slug(value, "slug")


class Organisation(_Frozen):
    slug: str
    name: str
    url: str
    postal_address: str | None = None
    description: str
    verified_from: str

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError(f"url must start with http(s)://, got {value!r}")
        return value


class Section(_Frozen):
    """A page of topics with its own intro and review date."""

    intro: Claim
    last_reviewed: dt.date
    items: list[Topic] = Field(min_length=1)


class SideEffectsSection(_Frozen):
    intro: Claim
    last_reviewed: dt.date
    items: list[SideEffect] = Field(min_length=1)


class MisconceptionsSection(_Frozen):
    intro: Claim
    last_reviewed: dt.date
    items: list[Misconception] = Field(min_length=1)


class OrganisationsSection(_Frozen):
    intro: str
    last_reviewed: dt.date
    items: list[Organisation] = Field(min_length=1)


class KnowledgeBase(_Frozen):
    grades: list[Grade]
    disclaimer: str
    about: Claim
    conditions: list[Condition]
    misconceptions: MisconceptionsSection
    side_effects: SideEffectsSection
    safe_use: Section
    habits_and_therapies: Section
    organisations: OrganisationsSection
    references: list[Reference]

    def reference(self, key: str) -> Reference:
        for ref in self.references:
            if ref.key == key:
                return ref
        raise KeyError(f"reference key {key!r} is not in the bibliography")

    def condition(self, slug: str) -> Condition:
        for cond in self.conditions:
            if cond.slug == slug:
                return cond
        raise KeyError(f"condition slug {slug!r} is not in the knowledge base")

    def grade(self, letter: str) -> Grade:
        for grade in self.grades:
            if grade.letter == letter:
                return grade
        raise KeyError(f"grade {letter!r} is not defined")
