"""Build the shipped medicine vocabulary from national register files.

Reads the register files named in src/ldn/safety/data/vocabulary_sources.yaml from the paths given
on the command line (the raw files are never committed: they are large and belong to their
publishers), resolves every product to its active ingredients, maps each ingredient to one key
(the English INN where we know it: "CHLORHYDRATE DE TRAMADOL", "Tramadolo" and "TRAMADOL HCL"
all become "tramadol"), and writes src/ldn/safety/data/vocabulary.json.gz: product name ->
ingredient keys and countries, ingredient key -> ATC code where a register gives one.

Nothing is downloaded: run it on files you fetched yourself, e.g.

    python scripts/build_vocabulary.py --fr DIR --ca DIR --us DIR --uk FILE [FILE ...] --it FILE --nl FILE

The build fails loudly when a product the register itself classes as an opioid (ATC N02A, R05DA,
N07BC, N01AH, or BNF 4.7.2) ends up with no opioid ingredient key: a name the stem table below
does not know must be added before anything ships.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "ldn" / "safety" / "data"
MANIFEST = DATA / "vocabulary_sources.yaml"
OUT = DATA / "vocabulary.json.gz"
MAX_WORDS = 6  # product keys longer than this are generic descriptions; the matcher reads 1-6
MIN_LETTERS = 3  # shorter register names ("AL", "MS", "h") are abbreviations, not identities

sys.path.insert(0, str(ROOT / "src"))  # run from a checkout without installing
from ldn.safety.stems import COMPILED_STEMS, OPIOID_KEYS  # noqa: E402  (one table, build + screen)

OPIOID_ATC = ("N02A", "R05DA", "N07BC", "N01AH", "A07DA")
# R05DA07 noscapine is an opium alkaloid without opioid-receptor action; not a safety net trigger.
NOT_OPIOID_ATC = ("R05DA07",)
# Non-opioid cough suppressants the BNF files under its cough-suppressant paragraph.
NOT_OPIOID_KEYS = frozenset({"noscapine", "isoaminile"})

# Salt, hydrate and linking words in the registers' languages (EN, FR, IT, NL, ES).
SALT_WORDS = frozenset(
    [
        "hydrochloride",
        "hcl",
        "chlorhydrate",
        "cloridrato",
        "hydrochloridum",
        "hydrochlorid",
        "hydrochloraat",
        "dihydrochloride",
        "dichlorhydrate",
        "sulfate",
        "sulphate",
        "solfato",
        "sulfaat",
        "sulfas",
        "phosphate",
        "phosphat",
        "fosfato",
        "fosfaat",
        "tartrate",
        "bitartrate",
        "tartrato",
        "hydrogentartrate",
        "citrate",
        "citrato",
        "citraat",
        "bromhydrate",
        "hydrobromide",
        "bromidrato",
        "hydrobromid",
        "acetate",
        "acetato",
        "maleate",
        "maleato",
        "mesylate",
        "mesilate",
        "mesilato",
        "fumarate",
        "fumarato",
        "succinate",
        "hyclate",
        "napsylate",
        "polistirex",
        "camphosulfonate",
        "resinate",
        "base",
        "anhydre",
        "anhydrous",
        "anidro",
        "hemihydrate",
        "hemihydrated",
        "hemihydrate",
        "monohydrate",
        "monohydrated",
        "dihydrate",
        "dihydrated",
        "trihydrate",
        "hydrate",
        "hydrated",
        "idrato",
        "sodique",
        "sodica",
        "sodico",
        "sodium",
        "potassique",
        "potassium",
        "calcique",
        "calcium",
        "magnesique",
        "de",
        "d",
        "du",
        "des",
        "di",
        "la",
        "le",
        "l",
        "of",
        "and",
        "e",
        "et",
    ]
)
SYNONYMS = {
    "acetaminophen": "paracetamol",
    "paracetamolo": "paracetamol",
    "acide acetylsalicylique": "aspirin",
    "acetylsalicylic acid": "aspirin",
    "acido acetilsalicilico": "aspirin",
    "acetylsalicylzuur": "aspirin",
    "ibuprofene": "ibuprofen",
    "naproxene": "naproxen",
    "levothyroxine": "levothyroxine",
    "levotiroxina": "levothyroxine",
    "levothyroxin": "levothyroxine",
    "cyclosporine": "ciclosporin",
    "ciclosporine": "ciclosporin",
    "ciclosporina": "ciclosporin",
    "tacrolimus": "tacrolimus",
    "azathioprine": "azathioprine",
    "azatioprina": "azathioprine",
    "caffeine": "caffeine",
    "cafeine": "caffeine",
    "caffeina": "caffeine",
    "cholecalciferol": "colecalciferol",
    "colecalciferolo": "colecalciferol",
    "metformine": "metformin",
    "metformina": "metformin",
    "sertraline": "sertraline",
    "sertralina": "sertraline",
    "gabapentine": "gabapentin",
    "gabapentina": "gabapentin",
    "paracet": "paracetamol",
}


INCOMPLETE = "?"  # marks a composition the register gives only in part


def fold(text: str) -> str:
    """Lower-case ASCII: accents removed, apostrophes to spaces."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return text.lower().replace("'", " ").replace("\u2019", " ")


def ingredient_key(raw: str) -> str | None:
    """One key for an ingredient as a register spells it; None for nothing usable."""
    text = fold(raw)
    for pattern, key in COMPILED_STEMS:
        if pattern.search(text):
            if key is not None:
                return key
            break
    text = re.sub(r"\([^)]*\)", " ", text)  # "(CHLORHYDRATE DE)", "(as sulfate)"
    text = re.sub(r"[^a-z0-9 \-]+", " ", text)
    raw_words = text.split()
    words = [
        w
        for i, w in enumerate(raw_words)
        if not w.isdigit()
        and (w not in SALT_WORDS or (len(w) == 1 and i == len(raw_words) - 1))  # "VITAMIN D"
    ]
    if not words:
        return None
    key = " ".join(words)
    return SYNONYMS.get(key, key)


def split_ingredients(raw: str) -> list[str]:
    """'Paracetamolo/codeina', 'ACETAMINOPHEN; CODEINE PHOSPHATE' -> their parts."""
    return [p for p in re.split(r"\s*(?:/|;|\+|&|\bplus\b|\bwith\b)\s*", raw) if p.strip()]


def product_name(raw: str, comma_ends_name: bool = True) -> str:
    """The name a person would type: the words before strength, form or pack details."""
    text = raw.split(",")[0] if comma_ends_name else raw
    text = text.split("*")[0].split("_")[0]
    words: list[str] = []
    for word in text.split():
        if re.match(r"^\d", word) or word.lower() in NAME_STOP:
            break
        words.append(word)
    while words and words[-1].lower().strip(".") in ("no", "n", "nr"):
        words.pop()  # "TYLENOL W/ CODEINE NO. 3" -> "TYLENOL W/ CODEINE"
    return " ".join(words).strip(" -/.")


NAME_STOP = frozenset(
    [
        "mg",
        "mcg",
        "microgrammes",
        "microgram",
        "g",
        "ml",
        "ui",
        "iu",
        "unites",
        "units",
        "%",
        "tablet",
        "tablets",
        "tablet,",
        "capsule",
        "capsules",
        "drank",
        "zetpil",
        "injvlst",
        "infpdr",
        "infvlst",
        "flacon",
        "tablet,",
        "bruistablet",
        "kauwtablet",
        "filmomhuld",
        "omhuld",
        "smelttablet",
        "dragee",
        "pleister",
        "stroop",
        "oogdruppels",
        "neusspray",
        "comprime",
        "comprimes",
        "gelule",
        "gelules",
        "solution",
        "sirop",
        "poudre",
        "suspension",
        "suppositoire",
        "collyre",
        "creme",
        "pommade",
        "granules",
        "sachet",
        "lp",
        "l.p.",
        "l.p",
        "lm",
        "gé",
        "ge",
        "retard",
    ]
)


@dataclass
class Vocabulary:
    """Products by normalised name, ingredients by key, and what went in."""

    products: dict[str, dict[str, object]] = field(default_factory=dict)
    ingredients: dict[str, dict[str, object]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    unresolved: list[str] = field(default_factory=list)

    def ingredient(self, raw: str, atc: str | None = None) -> str | None:
        key = INCOMPLETE if raw == INCOMPLETE else ingredient_key(raw)
        if key is None:
            return None
        entry = self.ingredients.setdefault(key, {"names": set(), "atc": Counter()})
        entry["names"].add(raw.strip())  # type: ignore[attr-defined]
        if atc:
            entry["atc"][atc] += 1  # type: ignore[index]
        return key

    def add(
        self, country: str, raw_name: str, raw_ingredients: Iterable[str], atc: str = ""
    ) -> None:
        name = product_name(raw_name, comma_ends_name=country not in ("US", "CA"))
        key = name_key(name)
        if not key or len(key.split()) > MAX_WORDS:
            return
        parts = list(raw_ingredients)
        single_atc = atc if len(parts) == 1 else None
        ingredients = tuple(sorted({k for p in parts if (k := self.ingredient(p, single_atc))}))
        opioid_class = atc.startswith(OPIOID_ATC) and not atc.startswith(NOT_OPIOID_ATC)
        known = set(ingredients) - {INCOMPLETE}
        if (
            opioid_class
            and not OPIOID_KEYS.intersection(known)
            and not NOT_OPIOID_KEYS.issuperset(known)
        ):
            self.unresolved.append(f"{country}: {raw_name!r} ATC {atc} -> {ingredients}")
        entry = self.products.setdefault(key, {"name": name, "variants": set(), "countries": set()})
        entry["variants"].add((country, ingredients))  # type: ignore[attr-defined]
        entry["countries"].add(country)  # type: ignore[attr-defined]
        self.counts[country] += 1


def settled_variants(variants: Iterable[tuple[str, tuple[str, ...]]]) -> set[tuple[str, ...]]:
    """Compositions of one name, with partial ones settled by the same register where it can.

    A register that lists a name once in part ("ibuprofen, ?": the 2024 BNF file puts a codeine
    compound under ibuprofen alone) and once in full ("codeine, ibuprofen": an older release)
    describes one product: the partial entry is dropped when a complete entry of the SAME country
    holds every ingredient it names. Across countries nothing is settled (a name can be a
    different product elsewhere), so those stay partial and are screened as not screened.
    """
    by_country: dict[str, set[tuple[str, ...]]] = {}
    for country, ingredients in variants:
        by_country.setdefault(country, set()).add(ingredients)
    kept: set[tuple[str, ...]] = set()
    for group in by_country.values():
        complete = [v for v in group if v and INCOMPLETE not in v]
        for v in group:
            known = set(v) - {INCOMPLETE}
            if v and INCOMPLETE in v and any(known < set(c) for c in complete):
                continue
            kept.add(v)
    return kept


def _letters(key: str) -> int:
    return sum(c.isalpha() for c in key)


def name_key(name: str) -> str:
    """The matcher's key for a name (imported lazily so the script runs from a checkout)."""
    from ldn.safety.matching import key_of, normalise

    return key_of(w for w in normalise(name) if not w.isdigit())


# --- readers: one per register, each yielding (name, [ingredient strings], atc) ---------------


def read_fr(folder: Path) -> Iterator[tuple[str, list[str], str]]:
    """France BDPM: CIS_bdpm.txt (products) + CIS_COMPO_bdpm.txt (substances), Latin-1, tabs."""
    comp: dict[str, list[str]] = defaultdict(list)
    with open(folder / "CIS_COMPO_bdpm.txt", encoding="latin-1") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 7 and row[6].strip() in ("SA", "FT"):
                comp[row[0].strip()].append(row[3])
    with open(folder / "CIS_bdpm.txt", encoding="latin-1") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) > 2 and row[0].strip() in comp:
                yield row[1], comp[row[0].strip()], ""


def read_ca(folder: Path) -> Iterator[tuple[str, list[str], str]]:
    """Canada DPD: drug.txt, ingred.txt, ther.txt (ATC), comma-separated, quoted."""

    def rows(name: str) -> Iterator[list[str]]:
        with open(folder / name, encoding="latin-1", newline="") as fh:
            reader = csv.reader(fh)
            next(reader)
            yield from reader

    ingredients: dict[str, list[str]] = defaultdict(list)
    for row in rows("ingred.txt"):
        ingredients[row[0]].append(row[2])
    atc = {row[0]: row[1] for row in rows("ther.txt") if len(row) > 1}
    for row in rows("drug.txt"):
        if row[2] == "Human" and row[0] in ingredients:
            yield row[4], ingredients[row[0]], atc.get(row[0], "")


def read_us(folder: Path) -> Iterator[tuple[str, list[str], str]]:
    """US Drugs@FDA Products.txt: DrugName, ActiveIngredient ('A; B'), tab-separated."""
    with open(folder / "Products.txt", encoding="latin-1", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        for row in reader:
            yield row["DrugName"], split_ingredients(row["ActiveIngredient"]), ""


def _uk_parts(chemical: str) -> list[str]:
    inner = re.search(r"\(([^)]*)\)", chemical)
    text = inner.group(1) if inner and "/" in inner.group(1) else chemical
    return split_ingredients(text)


def read_uk(path: Path) -> Iterator[tuple[str, list[str], str]]:
    """England NHSBSA BNF code information: presentation 'Brand_Form strength' + substance."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            chapter = row["BNF Chapter Code"]
            if not chapter.isdigit() or int(chapter) > 15:
                continue  # dressings and appliances
            chemical = row["BNF Chemical Substance"]
            if re.search(r"proprietary|other |preps|prepn", chemical, re.I):
                parts: list[str] = []  # composition not given by the register
            else:
                parts = _uk_parts(chemical)
            presentation = row["BNF Presentation"]
            strengths = re.findall(
                r"\d[\d.]*\s*(?:mg|mcg|microgram|g|%|iu|unit)\b", presentation.lower()
            )
            if len(parts) == 1 and (not strengths or len(strengths) > 1):
                # The BNF files a compound under its main substance ("Nurofen Plus_Tab" under
                # ibuprofen): with no strength, or two strengths, the composition is not known.
                parts = parts + [INCOMPLETE]
            para = row["BNF Paragraph Code"]
            atc = "N02A" if para == "040702" else ("R05DA" if para == "030901" else "")
            yield row["BNF Presentation"], parts, atc if parts else ""


def read_it(path: Path) -> Iterator[tuple[str, list[str], str]]:
    """Italy AIFA Classe A list: Principio Attivo + 'NAME*pack', tab-separated."""
    with open(path, encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        next(reader)
        for row in reader:
            if len(row) >= 3 and row[0].strip():
                yield row[2], split_ingredients(row[0]), ""


def read_nl(path: Path) -> Iterator[tuple[str, list[str], str]]:
    """Netherlands maximum-price annex: product group (INN-strength-form) then article names."""
    group: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2:
            continue
        if len(cells) >= 2 and re.search(r"\bper (stuk|ml|g|dosis|gram)", cells[1]):
            tokens = cells[0].split(",")[0].split("-")
            group = [
                part
                for i, token in enumerate(tokens[:-1])
                if tokens[i + 1][:1].isdigit() and token[:1].isalpha()
                for part in split_ingredients(token)
            ]
        elif cells[0][:1].isdigit() and group:
            yield cells[1], group, ""


READERS = {
    "FR": ("fr", read_fr),
    "CA": ("ca", read_ca),
    "US": ("us", read_us),
    "GB": ("uk", read_uk),
    "IT": ("it", read_it),
    "NL": ("nl", read_nl),
}


def build(paths: dict[str, list[Path]]) -> Vocabulary:
    """Read every register file; several releases of one register add up (names of each)."""
    vocab = Vocabulary()
    for country, (_, reader) in READERS.items():
        for path in paths.get(country, []):
            for name, parts, atc in reader(path):
                vocab.add(country, name, parts, atc)
    return vocab


_HYPHEN_PREFIX = re.compile(r"^([A-Za-z]{2,})-(.+)$")
_TRAILING_NUMBERS = re.compile(r"(?: \d+(?:\.\d+)?)+$")


def ingredient_aliases(vocab: Vocabulary) -> dict[str, str]:
    """Every register spelling of every ingredient, as the screen's lookup key -> ingredient key."""
    from ldn.safety.matching import key_of, normalise

    out: dict[str, str] = {}
    for key in sorted(vocab.ingredients):
        if key == INCOMPLETE:
            continue
        names = vocab.ingredients[key]["names"]
        for name in (key, *sorted(names)):  # type: ignore[call-overload]
            alias = key_of(normalise(name))
            if alias and _letters(alias) >= MIN_LETTERS:
                out[alias] = key
    return out


def joined_names(products: dict[str, dict[str, object]]) -> dict[str, str]:
    """'neocodion' for 'NEO-CODION': names people write without the register's space or hyphen."""
    out: dict[str, str] = {}
    for key in sorted(products):
        joined = key.replace(" ", "")
        if joined != key and len(joined) >= 8 and joined not in products:
            out.setdefault(joined, key)
    return out


def shortened_names(
    products: dict[str, dict[str, object]], taken: set[str], ingredient_keys: set[str]
) -> dict[str, list[str]]:
    """Shorter names people use for register products, from the register names themselves.

    Canada's register files generic copies under the maker's prefix ("TEVA-EMTEC-30",
    "APO-TRAMADOL") and many names end in a strength ("EMTEC-30", "TYLENOL WITH CODEINE NO. 3"),
    while a pack or a patient says "Emtec". Two shortenings, each only where the short name is
    not already a name of its own (`taken`):
    - a maker's prefix is dropped: a word before a hyphen that starts at least 10 register names,
      at least 80% of which are an ingredient's name after it (a maker selling generics; this
      keeps "CO-", "NEO-", "BIO-" brand names whole);
    - trailing numbers are dropped ("emtec 30" -> "emtec").
    Register names sharing a short name are merged by the screen: if their compositions differ,
    it reports the name as ambiguous (not screened), never as safe.
    """
    from ldn.safety.matching import key_of, normalise

    split: dict[str, tuple[str, str]] = {}
    starts: Counter[str] = Counter()
    generic: Counter[str] = Counter()
    for key in sorted(products):
        found = _HYPHEN_PREFIX.match(str(products[key]["name"]))
        if found is None:
            continue
        prefix, rest = found.group(1).lower(), key_of(normalise(found.group(2)))
        split[key] = (prefix, rest)
        starts[prefix] += 1
        words = rest.split()
        generic[prefix] += any(
            key_of(words[:n]) in ingredient_keys for n in range(1, len(words) + 1)
        )
    makers = {p for p, n in starts.items() if n >= 10 and generic[p] >= 0.8 * n}
    short: defaultdict[str, list[str]] = defaultdict(list)
    for key in sorted(products):
        names = {key}
        if key in split and split[key][0] in makers:
            names.add(split[key][1])
        for name in list(names):
            names.add(_TRAILING_NUMBERS.sub("", name))
        for name in sorted(names):
            if name and name not in taken and _letters(name) >= MIN_LETTERS:
                short[name].append(key)
    return dict(short)


def drop_abbreviations(vocab: Vocabulary) -> None:
    """Drop register names of fewer than 3 letters ("AL", "h"): abbreviations, not names.

    A two-letter name some register ties to an opioid ("DF 118" -> "df") is kept with all its
    compositions: losing it would be silent, while a wrong hit is shown to the person.
    """
    for key in sorted(vocab.products):
        letters = _letters(key)
        if letters >= MIN_LETTERS:
            continue
        variants = vocab.products[key]["variants"]
        opioid = any(OPIOID_KEYS.intersection(v) for _, v in variants)  # type: ignore[attr-defined]
        if not (letters == 2 and opioid):
            del vocab.products[key]


def write(vocab: Vocabulary, manifest: dict[str, object], out: Path) -> dict[str, object]:
    keys = sorted(vocab.ingredients)
    index = {k: i for i, k in enumerate(keys)}
    ingredients = []
    for k in keys:
        entry = vocab.ingredients[k]
        atc_counts: Counter[str] = entry["atc"]  # type: ignore[assignment]
        atc = atc_counts.most_common(1)[0][0] if atc_counts else ""
        names = sorted({fold(n).strip() for n in entry["names"]})[:6]  # type: ignore[attr-defined]
        ingredients.append([k, atc, names])
    products = []
    compositions: dict[str, int] = {}  # each distinct set of variants stored once
    for key in sorted(vocab.products):
        entry = vocab.products[key]
        variants = sorted(
            [index[i] for i in v]
            for v in settled_variants(entry["variants"])  # type: ignore[arg-type]
        )
        composition = compositions.setdefault(json.dumps(variants), len(compositions))
        products.append(
            [key, entry["name"], composition, ",".join(sorted(entry["countries"]))]  # type: ignore[arg-type]
        )
    sources = [
        dict(s, products_read=vocab.counts.get(s["country"], 0)) for s in manifest["sources"]
    ]  # type: ignore[index,union-attr]
    from ldn.safety.matching import NORMALISER

    product_index = {key: i for i, key in enumerate(sorted(vocab.products))}
    by_spelling = ingredient_aliases(vocab)
    joined = joined_names(vocab.products)
    taken = set(vocab.products) | set(joined) | set(by_spelling)
    short = shortened_names(vocab.products, taken, taken)
    payload = {
        "format": 2,
        "normaliser": NORMALISER,
        "built_from": sources,
        "ingredients": ingredients,
        "compositions": [json.loads(c) for c in compositions],
        "products": products,
        "ingredient_aliases": [[a, index[k]] for a, k in sorted(by_spelling.items())],
        "joined_names": [[a, product_index[k]] for a, k in sorted(joined.items())],
        "short_names": [[a, [product_index[k] for k in keys]] for a, keys in sorted(short.items())],
    }
    raw = json.dumps(payload, ensure_ascii=True, separators=(",", ":")).encode()
    with gzip.GzipFile(out, "wb", mtime=0) as fh:  # mtime 0: same input, same bytes
        fh.write(raw)
    return payload


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for country, (flag, _) in READERS.items():
        parser.add_argument(
            f"--{flag}", type=Path, nargs="+", help=f"register file(s) for {country}"
        )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    paths = {c: getattr(args, flag) for c, (flag, _) in READERS.items() if getattr(args, flag)}
    if not paths:
        parser.error("give at least one register path")
    for country, country_paths in paths.items():
        for path in country_paths:
            if not path.exists():
                parser.error(f"--{READERS[country][0]}: {path} does not exist")
    sys.path.insert(0, str(ROOT / "src"))
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    vocab = build(paths)
    if vocab.unresolved:
        print("Opioid-classed products with no opioid ingredient key:", file=sys.stderr)
        for line in vocab.unresolved[:50]:
            print("  " + line, file=sys.stderr)
        return 1
    drop_abbreviations(vocab)
    payload = write(vocab, manifest, args.out)
    by_country: Counter[str] = Counter()
    for _, _, _, countries in payload["products"]:  # type: ignore[misc]
        for c in countries.split(","):
            by_country[c] += 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes)")
    print(f"ingredients: {len(payload['ingredients'])}; product names: {len(payload['products'])}")  # type: ignore[arg-type]
    print(
        f"lookup keys precomputed: {len(payload['ingredient_aliases'])} ingredient spellings, "  # type: ignore[arg-type]
        f"{len(payload['joined_names'])} joined names, {len(payload['short_names'])} short names"  # type: ignore[arg-type]
    )
    for country in READERS:
        if country in paths:
            print(
                f"  {country}: {vocab.counts[country]} register rows read, "
                f"{by_country[country]} distinct product names"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
