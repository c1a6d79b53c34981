"""Ingredient stems: one key for an ingredient however a register or a pack spells it.

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
