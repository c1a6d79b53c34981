"""The one bibliography (ldn/data/bibliography.yaml), which every data file cites by key.

Every key a data file cites must resolve, every entry must be cited, and no source may be listed
twice: the schema refuses a second key, PMID, DOI or title (broken copies below prove it), and
copies without identifiers, read on the same page, are pinned until they are merged.
"""

import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from ldn import bibliography, datafiles
from ldn.dataschemas import SCHEMAS
from ldn.dosing._data import cite as cite_dosing

# Data files whose citations are keys of the bibliography.
CONDITIONS = Path(datafiles.__file__).parent / "knowledge" / "data" / "conditions"
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
    *(("ldn.knowledge", f"data/{n}.yaml") for n in ("general", "misconceptions", "side_effects")),
    *(("ldn.knowledge", f"data/{n}.yaml") for n in ("safe_use", "habits_and_therapies")),
    ("ldn.knowledge", "data/living.yaml"),
    *(("ldn.knowledge", f"data/conditions/{p.name}") for p in sorted(CONDITIONS.glob("*.yaml"))),
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


def test_a_data_file_citing_an_unknown_key_fails_naming_that_key():
    with pytest.raises(bibliography.UnknownReference) as caught:
        cite_dosing(["younger2014", "nobody1999"])
    assert "'nobody1999' (cited in ldn.dosing data)" in str(caught.value)


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


# --- copies the identifiers cannot see --------------------------------------------------------

# Entries without a PMID or DOI that were read on the same page: the same source listed under two
# or three keys (from the lists merged here), still to be merged into one entry each.
KNOWN_SAME_PAGE = {
    # One of the three pages naltrexone_label was read on; both are the naltrexone label.
    "https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=48058": [
        "naltrexone_label",
        "revia_label",
    ],
}


def test_no_new_pair_of_entries_was_read_on_one_page():
    by_page: dict[str, set[str]] = defaultdict(set)
    for key, ref in bibliography.entries().items():
        if ref.pmid or ref.doi:
            continue
        for page in {*ref.read_at, *([ref.url] if ref.url else [])}:
            by_page[page].add(key)
    shared = {page: sorted(keys) for page, keys in by_page.items() if len(keys) > 1}
    assert shared == KNOWN_SAME_PAGE


def test_every_data_file_that_cites_a_bibliography_key_is_walked_here():
    files = [tuple(where.split(":")) for where in SCHEMAS if "*" not in where]
    files += [("ldn.knowledge", f"data/conditions/{p.name}") for p in CONDITIONS.glob("*.yaml")]
    known = bibliography.entries()
    citing = {
        (package, name)
        for package, name in files
        if (package, name) != ("ldn", "data/bibliography.yaml")
        and any(key in known for _, key in _cited(datafiles.load(package, name), name))
    }
    assert citing == set(CITING_FILES)
