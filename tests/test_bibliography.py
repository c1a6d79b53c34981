"""Every reference list in the data files, read through ldn.datafiles: one paper, one entry.

The lists are not yet one bibliography: ten lists in five formats (issue 19 asks for one file every
data file cites by key). Until they are merged, this test pins the papers that appear in more than
one list, so a new copy fails here and a merged one asks for the pin to be updated.
"""

from collections import defaultdict

from ldn import datafiles


def _entries() -> list[tuple[str, str, str | None, str | None]]:
    """(list, key, pmid, doi) for every entry of every reference list."""
    out = []

    def add(where: str, key: str, entry: dict) -> None:
        doi = str(entry["doi"]).lower() if entry.get("doi") else None
        out.append((where, key, entry.get("pmid") or None, doi))

    for e in datafiles.load("ldn.knowledge", "data/references.yaml"):
        add("knowledge/references.yaml", e["key"], e)
    for e in datafiles.load("ldn.knowledge", "data/living.yaml").get("references", []):
        add("knowledge/living.yaml", e["key"], e)
    for k, e in datafiles.load("ldn.dosing", "data/references.yaml")["references"].items():
        add("dosing/references.yaml", k, e)
    for k, e in datafiles.load("ldn.pharmacology", "data/references.yaml").items():
        add("pharmacology/references.yaml", k, e)
    for k, e in datafiles.load("ldn.safety", "data/references.yaml")["references"].items():
        add("safety/references.yaml", k, e)
    for e in datafiles.load("ldn.analysis", "data/n_of_1_references.yaml")["references"]:
        add("analysis/n_of_1_references.yaml", e["key"], e)
    scales = datafiles.load("ldn.analysis", "data/mcid.yaml")["scales"]
    for name, scale in scales.items():
        for n, e in enumerate(scale.get("sources", [])):
            add("analysis/mcid.yaml", f"{name}.sources[{n}]", e)
    for f in ("questionnaires", "symptom_suggestions"):
        for k, e in datafiles.load("ldn.journal", f"data/{f}.yaml")["references"].items():
            add(f"journal/{f}.yaml", k, e)
    for k, e in datafiles.load("ldn.web.clinic", "data/flags.yaml")["references"].items():
        add("web/clinic/flags.yaml", k, e)
    return out


def _copies() -> dict[str, list[tuple[str, str]]]:
    by_id: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for where, key, pmid, doi in _entries():
        if pmid:
            by_id[f"pmid:{pmid}"].append((where, key))
        if doi:
            by_id[f"doi:{doi}"].append((where, key))
    return {i: sorted(v) for i, v in by_id.items() if len(v) > 1}


# Papers still listed in more than one file (by PMID or DOI), as of this commit.
KNOWN_COPIES = {
    "doi:10.1002/art.37734": [
        ("dosing/references.yaml", "younger2013"),
        ("knowledge/references.yaml", "younger2013"),
    ],
    "doi:10.1016/s0304-3959(01)00349-9": [
        ("analysis/mcid.yaml", "pain_nrs_0_10.sources[0]"),
        ("journal/questionnaires.yaml", "farrar2001"),
    ],
    "pmid:11690728": [
        ("analysis/mcid.yaml", "pain_nrs_0_10.sources[0]"),
        ("journal/questionnaires.yaml", "farrar2001"),
    ],
    "doi:10.1176/appi.ps.201200587": [
        ("journal/questionnaires.yaml", "simon2013"),
        ("web/clinic/flags.yaml", "simon2013"),
    ],
    "pmid:24036589": [
        ("journal/questionnaires.yaml", "simon2013"),
        ("web/clinic/flags.yaml", "simon2013"),
    ],
    "doi:10.3390/medsci6040082": [
        ("dosing/references.yaml", "toljan2018"),
        ("knowledge/references.yaml", "toljan2018"),
        ("pharmacology/references.yaml", "toljan_2018"),
    ],
}


def test_the_walk_reads_every_reference_list():
    lists = {where for where, *_ in _entries()}
    assert len(lists) == 10
    assert len(_entries()) >= 140


def test_no_list_holds_one_paper_twice():
    seen: dict[tuple[str, str], str] = {}
    for where, key, pmid, doi in _entries():
        for ident in filter(None, (pmid and f"pmid:{pmid}", doi and f"doi:{doi}")):
            assert (where, ident) not in seen, (
                f"{where}: {key} and {seen[(where, ident)]} are {ident}"
            )
            seen[(where, ident)] = key


def test_no_new_paper_is_copied_into_a_second_list():
    assert _copies() == KNOWN_COPIES
