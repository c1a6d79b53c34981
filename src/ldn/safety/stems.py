"""Ingredient stems and word tables: one key for an ingredient however a register or a pack spells it.

"CHLORHYDRATE DE TRAMADOL", "Tramadolo", "Kodeinfosfat" and "Codeintropfen" all contain a stem
below. Used by scripts/build_vocabulary.py to give register ingredients one key, and by the screen
to read a word no name list knows but that plainly names an opioid ("Codeintropfen-CT").
"""

from __future__ import annotations

import re

# Ordered: the first matching stem wins, so specific names come before the stems inside them
# (dihydrocodeine before codeine, apomorphine - not an opioid - before morphine).
STEMS: list[tuple[str, str | None]] = [
    (r"apomorf|apomorph", None),  # dopamine agonist, not an opioid
    (r"morpholin", None),  # a chemical group, not morphine
    (r"methylnaltrex|metilnaltrex|methylnaltrex", "methylnaltrexone"),
    (r"naltrex", "naltrexone"),
    (r"naloxeg|nalossegol", "naloxegol"),
    (r"naldemed", "naldemedine"),
    (r"lofexid", "lofexidine"),
    (r"nalmef", "nalmefene"),
    (r"nalox|naloss", "naloxone"),
    (r"dihydrocod|diidrocod|dihydrokod", "dihydrocodeine"),
    (r"benzhydrocod", "hydrocodone"),
    (r"hydrocod|idrocod", "hydrocodone"),
    (r"ethylmorph|etilmorf|etylmorf|codethylin", "ethylmorphine"),
    (r"hydromorph|idromorf|hydromorf", "hydromorphone"),
    (r"oxymorph|ossimorf|oximorf", "oxymorphone"),
    (r"nicomorph|nicomorf", "nicomorphine"),
    (r"diamorph|diamorf|diacetylmorph|heroin", "diamorphine"),
    (r"bupren", "buprenorphine"),
    (r"morph|morfin|morfiin", "morphine"),
    (r"(?<![a-z])(codein|codeina|codeine|kodein|kodeiin|methylmorphin)", "codeine"),
    (r"oxycod|ossicod|oxicod|oksykod", "oxycodone"),
    (r"tramad", "tramadol"),
    (r"tapentad", "tapentadol"),
    (r"remifent", "remifentanil"),
    (r"sufent", "sufentanil"),
    (r"alfent", "alfentanil"),
    (r"fentan", "fentanyl"),
    (r"pethid|meperid|petidin", "pethidine"),
    (r"levomethad|levometad", "levomethadone"),
    (r"levacetylmethad", "levacetylmethadol"),
    (r"normethad", "normethadone"),
    (r"methad|metadon", "methadone"),
    (r"dextropropox|propoxyph|destroproposs", "dextropropoxyphene"),
    (r"dextromoram|destromoram", "dextromoramide"),
    (r"dipipan", "dipipanone"),
    (r"pentazoc", "pentazocine"),
    (r"butorph|butorf", "butorphanol"),
    (r"nalbuph|nalbuf", "nalbuphine"),
    (r"meptazin", "meptazinol"),
    (r"levorphan|levorfan", "levorphanol"),
    (r"pholcod|folcod", "pholcodine"),
    (r"dextrometh|destrometorf|dextrometorf", "dextromethorphan"),
    (r"tilid", "tilidine"),
    (r"piritram", "piritramide"),
    (r"ketobemid|chetobemid", "ketobemidone"),
    (r"phenoperid|fenoperid", "phenoperidine"),
    (r"phenazoc|fenazoc", "phenazocine"),
    (r"oliceridin", "oliceridine"),
    (r"(?<![a-z])(opium|oppio|opio|papaveret|laudan)", "opium"),
    (r"difenoxin", "difenoxin"),
    (r"diphenox(?!in)|difenossil|difenoxil", "diphenoxylate"),
    (r"loperam", "loperamide"),
    (r"eluxadol", "eluxadoline"),
    (r"mitragyn|kratom", "kratom"),
]
COMPILED_STEMS = [(re.compile(p), key) for p, key in STEMS]


def stem_key(text: str) -> str | None:
    """The ingredient key whose stem `text` (lower-case ASCII) contains, None for none."""
    for pattern, key in COMPILED_STEMS:
        if pattern.search(text):
            return key
    return None


OPIOID_KEYS = frozenset(
    {
        "morphine",
        "codeine",
        "dihydrocodeine",
        "hydrocodone",
        "ethylmorphine",
        "hydromorphone",
        "oxymorphone",
        "nicomorphine",
        "diamorphine",
        "buprenorphine",
        "oxycodone",
        "tramadol",
        "tapentadol",
        "remifentanil",
        "sufentanil",
        "alfentanil",
        "fentanyl",
        "pethidine",
        "levomethadone",
        "levacetylmethadol",
        "normethadone",
        "methadone",
        "dextropropoxyphene",
        "dextromoramide",
        "dipipanone",
        "pentazocine",
        "butorphanol",
        "nalbuphine",
        "meptazinol",
        "levorphanol",
        "pholcodine",
        "tilidine",
        "piritramide",
        "ketobemidone",
        "phenoperidine",
        "phenazocine",
        "oliceridine",
        "opium",
        "difenoxin",
        "diphenoxylate",
        "loperamide",
        "eluxadoline",
        "dextromethorphan",
    }
)


# --- normalisation word tables (used by ldn.safety.matching.normalise, so by build and screen) ---

# Pack-form, release and unit words in the languages of the registers and packs we read (EN, FR,
# IT, ES, NL, DE, Nordic): "Retardtabletten", "brusetabletter", "comprimes", "gocce" say nothing
# about what a product contains, so they are dropped before matching.
FORM_WORDS = frozenset(
    [
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "caplet",
        "caplets",
        "capsule",
        "capsules",
        "cap",
        "caps",
        "syrup",
        "solution",
        "suspension",
        "oral",
        "liquid",
        "elixir",
        "drop",
        "drops",
        "patch",
        "patches",
        "transdermal",
        "injection",
        "inj",
        "injectable",
        "film",
        "films",
        "sublingual",
        "buccal",
        "lozenge",
        "lozenges",
        "spray",
        "nasal",
        "cream",
        "gel",
        "generic",
        "effervescent",
        "granules",
        "sachet",
        "sachets",
        "suppository",
        "suppositories",
        "er",
        "xr",
        "sr",
        "cr",
        "ir",
        "la",
        "xl",
        "dr",
        "ec",
        "extended",
        "release",
        "immediate",
        "controlled",
        "modified",
        "prolonged",
        "delayed",
        "comprime",
        "comprimes",
        "gelule",
        "gelules",
        "sirop",
        "poudre",
        "suppositoire",
        "secable",
        "pellicule",
        "effervescents",
        "buvable",
        "orodispersible",
        "injectable",
        "compressa",
        "compresse",
        "capsula",
        "capsule",
        "granulato",
        "bustina",
        "bustine",
        "gocce",
        "sciroppo",
        "supposta",
        "supposte",
        "rivestite",
        "rivestita",
        "effervescente",
        "effervescenti",
        "orale",
        "comprimido",
        "comprimidos",
        "capsula",
        "capsulas",
        "jarabe",
        "gotas",
        "sobre",
        "sobres",
        "efervescente",
        "efervescentes",
        "recubiertos",
        "solucion",
        "tabletten",
        "tablette",
        "filmtabletten",
        "retardtabletten",
        "brausetabletten",
        "kapseln",
        "kapsel",
        "tropfen",
        "saft",
        "zapfchen",
        "losung",
        "injektionslosung",
        "pflaster",
        "retardkapseln",
        "hartkapseln",
        "weichkapseln",
        "lutschtabletten",
        "sirup",
        "tabletter",
        "tablett",
        "filmdrasjerte",
        "depottabletter",
        "depottablett",
        "brusetabletter",
        "brusetablett",
        "kapsler",
        "kapsel",
        "stikkpiller",
        "stikkpille",
        "mikstur",
        "draper",
        "plaster",
        "depotplaster",
        "injeksjonsvaeske",
        "mg",
        "mcg",
        "ug",
        "g",
        "ml",
        "l",
        "iu",
        "unit",
        "units",
        "h",
    ]
)
# Salt and hydrate words a pack may print after the ingredient ("Oxycodon-HCl", "Morphinsulfat"
# is read by its stem; "codeine phosphate hemihydrate" by these).
SALT_WORDS = frozenset(
    [
        "hcl",
        "hydrochloride",
        "hydrochlorid",
        "sulfate",
        "sulphate",
        "sulfat",
        "phosphate",
        "phosphat",
        "fosfat",
        "fosfato",
        "bitartrate",
        "tartrate",
        "citrate",
        "acetate",
        "hbr",
        "hydrobromide",
        "maleate",
        "polistirex",
        "napsylate",
        "sodium",
        "base",
        "anhydrous",
        "monohydrate",
        "hemihydrate",
        "hemihydrat",
        "chlorhydrate",
        "cloridrato",
    ]
)
# Words that turn a brand into a different product line: "Pinex" is paracetamol, "Pinex Forte"
# paracetamol + codeine; "Nurofen" ibuprofen, "Nurofen Plus" ibuprofen + codeine; German "comp."
# is a combination. A name recognised only without such a word is not the product typed, so
# the screen reports it as partly recognised (not screened), never as screened.
LINE_WORDS = frozenset(
    [
        "plus",
        "forte",
        "major",
        "extra",
        "max",
        "maximum",
        "duo",
        "comp",
        "compositum",
        "complex",
        "co",
        "combi",
        "cold",
        "flu",
        "night",
        "day",
    ]
)


def local_spellings(inn: str) -> set[str]:
    """How languages other than English spell an INN, by general rules (not per product).

    German, Dutch and the Nordic languages drop the final "e" and write "ph" as "f", "th" as "t",
    "c" as "k" and "x" as "ks" ("codeine" -> "codein", "kodein"; "morphine" -> "morfin";
    "oxycodone" -> "oxycodon", "oksykodon"; "pethidine" -> "petidin"; "levomethadone" ->
    "levometadon"); the Latin form adds "-um" ("codeinum"). Only single-word INNs of 5+ letters.
    """
    if not inn.isalpha() or len(inn) < 5:
        return set()
    base = {inn, inn[:-1] if inn.endswith("e") else inn}
    out = set(base)
    for word in base:
        f = word.replace("ph", "f").replace("th", "t")
        out |= {f, f.replace("c", "k"), f.replace("c", "k").replace("x", "ks")}
    out |= {w + "um" for w in set(out) if w.endswith(("in", "on", "ol", "yl"))}
    return out - {inn}
