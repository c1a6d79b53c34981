"""The one bibliography (ldn/data/bibliography.yaml) and the reference lists not yet merged into it.

Merged so far: the dosing, pharmacology, safety, N-of-1, MCID, questionnaire, symptom-suggestion
and clinic-flag lists. Every key a merged data file cites must resolve,
every bibliography entry must be cited, and no paper may be listed twice. The lists still kept
apart (issue 19) are walked too, and the papers they share with another list are pinned in
KNOWN_COPIES, so a new copy fails here and a merged one asks for the pin to be updated.
"""

import itertools
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ldn import bibliography, datafiles, dataschemas

# Data files whose citations are keys of the bibliography.
CITING_FILES = [
    *(
        ("ldn.dosing", f"data/{n}.yaml")
        for n in ("templates", "forms", "dose_rule", "perioperative")
    ),
    ("ldn.dosing", "data/liquid.yaml"),
    ("ldn.safety", "data/rules.yaml"),
    ("ldn.analysis", "data/mcid.yaml"),
    ("ldn.analysis", "data/n_of_1_references.yaml"),
    ("ldn.journal", "data/questionnaires.yaml"),
    ("ldn.journal", "data/symptom_suggestions.yaml"),
    ("ldn.web.clinic", "data/flags.yaml"),
    *(
        ("ldn.pharmacology", f"data/{n}.yaml")
        for n in ("pk", "occupancy", "validation", "mechanism")
    ),
]
CITING_FIELDS = {"references", "refs", "source", "sources", "cv_source", "key", "ref"}
CITING_FIELDS |= {"bands_source", "options_source", "licence_sources", "other_sources"}
KEY = re.compile(r"^[a-z][a-z0-9_]*$")  # a `source` may also be a sentence, which cites no key

# Entries read that no data file cites (yet), from the pharmacology and safety lists; cite them
# where a number or rule rests on them, or remove them.
READ_NOT_CITED = {"dunbar_2007", "king_1997", "nalmefene_binding_1985", "bolton2019"}


def _cited(node: Any, where: str) -> list[tuple[str, str]]:
    """(where, key) for every string under a citing field, however deep."""
    out: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for k, v in node.items():
            here = f"{where}.{k}"
            if k in CITING_FIELDS and isinstance(v, str):
                out.extend([(here, v)] if KEY.match(v) else [])
            elif k in CITING_FIELDS and isinstance(v, list) and all(isinstance(x, str) for x in v):
                out.extend((here, x) for x in v)
            else:
                out.extend(_cited(v, here))
    elif isinstance(node, list):
        for n, v in enumerate(node):
            out.extend(_cited(v, f"{where}[{n}]"))
    return out


def _citations() -> list[tuple[str, str]]:
    out = []
    for package, name in CITING_FILES:
        out.extend(_cited(datafiles.load(package, name), f"{package}:{name}:"))
    return out


def test_the_walk_finds_citations_in_every_citing_file():
    files = {":".join(where.split(":")[:2]) for where, _ in _citations()}
    assert files == {f"{package}:{name}" for package, name in CITING_FILES}


def test_every_cited_key_is_in_the_bibliography():
    unknown = [(where, key) for where, key in _citations() if key not in bibliography.entries()]
    assert unknown == []


def test_every_bibliography_entry_is_cited_somewhere():
    cited = {key for _, key in _citations()}
    assert set(bibliography.entries()) - cited == READ_NOT_CITED


def test_an_unknown_key_names_the_key_the_citing_file_and_the_bibliography():
    with pytest.raises(bibliography.UnknownReference) as caught:
        bibliography.get("nobody1999", cited_in="ldn.dosing:data/forms.yaml")
    assert str(caught.value) == (
        "unknown reference key 'nobody1999' (cited in ldn.dosing:data/forms.yaml):"
        " not in ldn:data/bibliography.yaml"
    )


def test_cite_gives_the_one_line_citation():
    assert bibliography.cite("younger2014") == (
        "Younger J, Parkitny L, McLain D (2014). The use of low-dose naltrexone (LDN) as a novel"
        " anti-inflammatory treatment for chronic pain. Clin Rheumatol 33:451-459."
        " doi:10.1007/s10067-014-2517-2."
    )


def _bibliography_with(tmp_path: Path, extra: str) -> Path:
    src = Path(bibliography.__file__).parent / "data" / "bibliography.yaml"
    copy = tmp_path / "bibliography.yaml"
    copy.write_text(src.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return copy


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "\n- {key: younger2014, title: Another paper entirely, read_at: x}\n",
            "key 'younger2014' is in both younger2014 and younger2014",
        ),
        (
            "\n- {key: copy1, title: Another paper entirely, doi: 10.1007/s10067-014-2517-2,"
            " read_at: x}\n",
            "doi '10.1007/s10067-014-2517-2' is in both younger2014 and copy1",
        ),
        (
            "\n- {key: copy2, title: Another paper entirely, pmid: '20637968', read_at: x}\n",
            "pmid '20637968' is in both johnson_2010 and copy2",
        ),
        (
            "\n- {key: copy4, citation: 'Someone. A paper. J 2019. PMID 30642329.', read_at: x}\n",
            "pmid '30642329' is in both bolton2019 and copy4",
        ),
        (
            "\n- {key: copy3, title: 'Perioperative management of patients on  naltrexone',"
            " read_at: x}\n",
            "title 'Perioperative management of patients on  naltrexone' is in both whately2023",
        ),
    ],
)
def test_the_schema_refuses_a_second_entry_for_one_source(tmp_path, extra, message):
    with pytest.raises(datafiles.DataFileError, match="ldn:data/bibliography.yaml") as caught:
        datafiles.load("ldn", "data/bibliography.yaml", path=_bibliography_with(tmp_path, extra))
    assert message in str(caught.value)


# --- the lists not yet merged -----------------------------------------------------------------


def _entries() -> list[tuple[str, str, str | None, str | None]]:
    """(list, key, pmid, doi) for the bibliography and every reference list still apart."""
    out = []

    def add(where: str, key: str, entry: dict) -> None:
        doi = str(entry["doi"]).lower() if entry.get("doi") else None
        out.append((where, key, entry.get("pmid") or None, doi))

    for e in datafiles.load("ldn", "data/bibliography.yaml"):
        entry = dataschemas.BibliographyEntry.model_validate(e)
        pmids = dataschemas._identifiers(entry, "pmid") or [None]  # also those in a kept citation
        dois = dataschemas._identifiers(entry, "doi") or [None]
        for pmid, doi in itertools.zip_longest(pmids, dois, fillvalue=None):
            add("bibliography.yaml", e["key"], {"pmid": pmid, "doi": doi})
    for e in datafiles.load("ldn.knowledge", "data/references.yaml"):
        add("knowledge/references.yaml", e["key"], e)
    for e in datafiles.load("ldn.knowledge", "data/living.yaml").get("references", []):
        add("knowledge/living.yaml", e["key"], e)
    return out


def _copies() -> dict[str, list[tuple[str, str]]]:
    by_id: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for where, key, pmid, doi in _entries():
        if pmid:
            by_id[f"pmid:{pmid}"].append((where, key))
        if doi:
            by_id[f"doi:{doi}"].append((where, key))
    return {i: sorted(v) for i, v in by_id.items() if len(v) > 1}


# Papers still listed in more than one place (by PMID or DOI), as of this commit.
KNOWN_COPIES = {
    "doi:10.1002/art.37734": [
        ("bibliography.yaml", "younger2013"),
        ("knowledge/references.yaml", "younger2013"),
    ],
    "doi:10.1186/s12902-020-00630-4": [
        ("bibliography.yaml", "raknes2020"),
        ("knowledge/references.yaml", "raknes2020thyroid"),
    ],
    "doi:10.3390/medsci6040082": [
        ("bibliography.yaml", "toljan2018"),
        ("knowledge/references.yaml", "toljan2018"),
    ],
}


def test_the_walk_reads_the_bibliography_and_every_list_still_apart():
    lists = {where for where, *_ in _entries()}
    assert len(lists) == 3
    assert len(_entries()) >= 130


def test_no_new_paper_is_copied_into_a_second_list():
    assert _copies() == KNOWN_COPIES


# Keys of the bibliography that a list still apart also uses, for the same source (entries without
# a PMID or DOI, so the check above cannot see them).
KNOWN_SHARED_KEYS = {
    "naltrexone_label": ["bibliography.yaml", "knowledge/references.yaml"],
    "ldnrt_thyroid_dickson": ["bibliography.yaml", "knowledge/living.yaml"],
}


def test_no_new_key_is_shared_with_a_list_still_apart():
    by_key: dict[str, list[str]] = defaultdict(list)
    for where, key, _, _ in _entries():
        by_key[key].append(where)
    shared = {k: sorted(v) for k, v in by_key.items() if len(v) > 1}
    copies = {key for ids in KNOWN_COPIES.values() for _, key in ids}
    assert {k: v for k, v in shared.items() if k not in copies} == KNOWN_SHARED_KEYS
