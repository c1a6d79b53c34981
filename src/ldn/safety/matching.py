"""Name matching for screening: normalise free text, find every known name in it, fuzzily if need be.

Matching is word-based: every run of 1-4 words (with and without strength numbers) is looked up
exactly, so "Tylenol #3", "Percocet 5/325" and "oxycodone HCl 10 mg ER" all resolve. Words that
no exact match covers are then compared with single-word names using rapidfuzz's ratio at a
conservative cut-off, so "oxycodon" or "percoset" resolve but are flagged as fuzzy with their
score, and a wrong guess is visible to the user.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from rapidfuzz import fuzz, process

from ldn.safety.stems import FORM_WORDS, LINE_WORDS, SALT_WORDS

FUZZY_CUTOFF = 85.0  # rapidfuzz ratio (0-100); 85 accepts one- or two-letter slips in 7+ letters
FUZZY_MIN_LENGTH = 5
MAX_NGRAM = 6

# Words dropped before matching: salts, dosage forms, release types, units (the one table is
# ldn.safety.stems, in the languages of the registers and packs we read).
NOISE_WORDS = FORM_WORDS | SALT_WORDS
# Words that on their own carry no drug identity (ignored when reporting unrecognised parts).
# ("plus", "forte", "extra" are not filler: they name another product line, see LINE_WORDS)
FILLER_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "each",
        "for",
        "in",
        "of",
        "or",
        "per",
        "regular",
        "strength",
        "the",
        "to",
        "w",
        "with",
    }
).difference(LINE_WORDS)
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

T = TypeVar("T")


def normalise(text: str, split_hyphens: bool = False) -> list[str]:
    """Lower-case words with accents, punctuation, salts, forms and units removed; numbers kept.

    A hyphenated word stays one word ("cod-efferalgan") unless `split_hyphens`.
    """
    text = text.replace("\u00b5", "u").replace("\u03bc", "u")  # "25 µg/h" -> "25 ug h"
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = text.replace("w/", "with ")
    text = re.sub(r"\bno\.?\s*(?=\d)", " ", text)  # "Tylenol No. 3" -> "tylenol 3"
    text = re.sub(r"(\d)\s*(mg|mcg|ug|ml|g)\b", r"\1 \2", text)  # "10mg" -> "10 mg"
    text = re.sub(r"(?<=\d)/(?=\d)", " ", text)  # "5/325" -> "5 325"
    text = re.sub(r"[^a-z0-9.\-]+", " ", text)
    words: list[str] = []
    for raw in text.split():
        if not _NUMBER.match(raw):
            raw = raw.replace(".", " ")
            if split_hyphens:
                raw = raw.replace("-", " ")
        for word in raw.split():
            word = word.strip("-")
            if word and word not in NOISE_WORDS:
                words.append(word)
    return words


def key_of(words: Iterable[str]) -> str:
    """Join words into an index key; hyphens count as spaces ("co-codamol" == "co codamol")."""
    return " ".join(" ".join(words).replace("-", " ").split())


def _fingerprint() -> str:
    """What the index keys depend on: normalise/key_of's code and the word tables."""
    parts = [inspect.getsource(normalise), inspect.getsource(key_of), *sorted(NOISE_WORDS)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


NORMALISER = _fingerprint()
"""Fingerprint of the normaliser: the shipped vocabulary records the one it was built with."""


@dataclass(frozen=True)
class Hit(Generic[T]):
    """One name found in the input: which words it covers, what it means, how sure we are."""

    start: int
    end: int  # exclusive word index
    alias: str
    target: T
    score: float  # 100 for exact matches

    @property
    def fuzzy(self) -> bool:
        """True when found by similarity rather than exactly."""
        return self.score < 100.0


@dataclass(frozen=True)
class MatchResult(Generic[T]):
    """Every hit in one input, plus the words nothing explained."""

    text: str
    words: tuple[str, ...]
    hits: tuple[Hit[T], ...]
    unmatched: tuple[str, ...]


class NameIndex(Generic[T]):
    """Exact and fuzzy lookup of names (aliases) to targets."""

    def __init__(
        self, aliases: Mapping[str, tuple[str, T]], exact_only: frozenset[str] = frozenset()
    ) -> None:
        # aliases: key_of(normalised words) -> (display name, target); `exact_only` keys are never
        # guessed at by spelling (register product names: "coughs" must not become "cough syrup")
        self._exact: dict[str, tuple[str, T]] = dict(aliases)
        guessable = [k for k in self._exact if k not in exact_only]
        self._single = [k for k in guessable if " " not in k and len(k) >= FUZZY_MIN_LENGTH]
        self._all = guessable

    def __contains__(self, key: str) -> bool:
        return key in self._exact

    def match(self, text: str) -> MatchResult[T]:
        """Find every known name in `text`; longer exact names hide the ones inside them.

        Hyphenated words are first read whole; only when that finds nothing at all are they read
        as separate words ("Ratio-Emtec-30" -> "ratio emtec 30", where "emtec 30" is a name).
        """
        words = normalise(text)
        result = self._match_words(text, words)
        if not result.hits and any("-" in w for w in words):
            split = self._match_words(text, normalise(text, split_hyphens=True))
            if split.hits:
                return split
        return result

    def _match_words(self, text: str, words: list[str]) -> MatchResult[T]:
        core = [i for i, w in enumerate(words) if not _NUMBER.match(w)]
        hits: list[Hit[T]] = []
        for positions in (list(range(len(words))), core):
            for n in range(min(MAX_NGRAM, len(positions)), 0, -1):
                for i in range(len(positions) - n + 1):
                    span = positions[i : i + n]
                    if n > 1 and span[-1] - span[0] >= n + 2:
                        continue  # skipped numbers must not glue far-apart words together
                    key = key_of(words[j] for j in span)
                    if key in self._exact:
                        name, target = self._exact[key]
                        hits.append(Hit(span[0], span[-1] + 1, name, target, 100.0))
        hits = _drop_contained(hits)
        covered = {j for h in hits for j in range(h.start, h.end)}
        loose = [
            i
            for i, w in enumerate(words)
            if i not in covered and not _NUMBER.match(w) and w not in FILLER_WORDS
        ]
        if not hits and core:
            whole = key_of(words[j] for j in core)
            best = process.extractOne(
                whole, self._all, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best is not None:
                name, target = self._exact[best[0]]
                hits.append(Hit(core[0], core[-1] + 1, name, target, float(best[1])))
                loose = []
        for i in list(loose):
            word = words[i]
            if len(word) < FUZZY_MIN_LENGTH:
                continue
            best = process.extractOne(
                word, self._single, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            if best is not None:
                name, target = self._exact[best[0]]
                hits.append(Hit(i, i + 1, name, target, float(best[1])))
                loose.remove(i)
        hits.sort(key=lambda h: (h.start, -h.end))
        return MatchResult(text, tuple(words), tuple(hits), tuple(words[i] for i in loose))


def _drop_contained(hits: list[Hit[T]]) -> list[Hit[T]]:
    """Keep only hits not strictly inside a longer hit; de-duplicate identical spans."""
    kept: list[Hit[T]] = []
    seen: set[tuple[int, int, str]] = set()
    for h in hits:
        inside = any(
            o.start <= h.start and h.end <= o.end and (o.end - o.start) > (h.end - h.start)
            for o in hits
        )
        sig = (h.start, h.end, h.alias)
        if not inside and sig not in seen:
            kept.append(h)
            seen.add(sig)
    return kept
