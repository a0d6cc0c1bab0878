"""Loads the declarative domain knowledge in `pipeline/domain/*.yaml`.

Everything the pipeline knows about Indonesian report vocabulary lives in those files; code
asks this module, never hard-codes a synonym.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

import yaml

DOMAIN_DIR = Path(__file__).parent / "domain"
# libyaml's safe loader when PyYAML was built with it (same result, ~8x faster than pure Python)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(name: str) -> dict:
    with open(DOMAIN_DIR / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SAFE_LOADER)


_DOCUMENT_CACHES: list = []


def per_document(maxsize: int = 1 << 14):
    """Memoise a pure function of strings for the report being processed. The same lines,
    labels and cells are normalised, classified and parsed by several passes; the caches are
    emptied for every new report (`clear_document_caches`), so memory stays bounded and one
    report's speed never depends on another."""
    def wrap(fn):
        cached = lru_cache(maxsize=maxsize)(fn)
        _DOCUMENT_CACHES.append(cached)
        return cached
    return wrap


def clear_document_caches() -> None:
    for c in _DOCUMENT_CACHES:
        c.cache_clear()


_TAG_RE = re.compile(r"<[^>]+>")
_PERSENTASE_RE = re.compile(r"\b(presentase|prosentase|pesentase|persentasi)\b")
_PRODUKTIVITAS_RE = re.compile(r"\bproduktifitas\b")
_MARKUP_RE = re.compile(r"[*_`#]+")
_SPACE_RE = re.compile(r"\s+")


@per_document(1 << 15)
def normalise(text: str) -> str:
    """Lower-case, fold spelling variants and collapse white space (for pattern matching)."""
    t = _TAG_RE.sub(" ", text.lower())
    t = t.replace("\u00a0", " ").replace("’", "'")
    t = _PERSENTASE_RE.sub("persentase", t)
    t = _PRODUKTIVITAS_RE.sub("produktivitas", t)
    t = _MARKUP_RE.sub(" ", t)
    return _SPACE_RE.sub(" ", t).strip()


@dataclass(frozen=True)
class PlacementDefinition:
    id: str
    patterns: tuple[re.Pattern, ...]
    scope: str
    en: str
    id_text: str


@dataclass(frozen=True)
class Indicator:
    id: str
    unit: str
    units: tuple[str, ...]
    better: str | None
    title: dict
    short: dict
    description: dict
    patterns: tuple[re.Pattern, ...]
    excludes: tuple[re.Pattern, ...]
    headline: bool = False
    variants: dict = field(default_factory=dict)  # value unit -> indicator id
    ratio: dict = field(default_factory=dict)  # numerator / denominator indicator ids
    definitions: tuple[PlacementDefinition, ...] = field(default_factory=tuple)

    def matches(self, label_norm: str) -> bool:
        return any(p.search(label_norm) for p in self.patterns) and not any(
            x.search(label_norm) for x in self.excludes
        )


@cache
def indicators() -> dict[str, Indicator]:
    raw = _load("indicators.yaml")["indicators"]
    out: dict[str, Indicator] = {}
    for key, spec in raw.items():
        defs = tuple(
            PlacementDefinition(
                id=d["id"],
                patterns=tuple(re.compile(p) for p in d["match"]),
                scope=d["scope"],
                en=d["en"],
                id_text=d["id_text"],
            )
            for d in spec.get("definitions", [])
        )
        out[key] = Indicator(
            id=key,
            unit=spec["unit"],
            units=tuple(spec["units"]),
            better=spec.get("better"),
            title=spec["title"],
            short=spec["short"],
            description=spec["description"],
            patterns=tuple(re.compile(p) for p in spec.get("match", [])),
            excludes=tuple(re.compile(p) for p in spec.get("exclude", [])),
            headline=bool(spec.get("headline", False)),
            variants=dict(spec.get("variants") or {}),
            ratio=dict(spec.get("ratio") or {}),
            definitions=defs,
        )
    return out


@cache
def vocabulary() -> dict:
    return _load("vocabulary.yaml")


@cache
def compiled(section: str) -> list[tuple[str, re.Pattern]]:
    """A vocabulary section of {key: regex} (or [{role/section.., match}]) compiled, in order."""
    spec = vocabulary()[section]
    if isinstance(spec, dict):
        return [(k, re.compile(v)) for k, v in spec.items()]
    key = next(k for k in spec[0] if k != "match")
    return [(item[key], re.compile(item["match"])) for item in spec]


@cache
def pattern(name: str) -> re.Pattern:
    return re.compile(vocabulary()[name])


@cache
def programmes() -> list[tuple[str, str, tuple[re.Pattern, ...]]]:
    spec = _load("programmes.yaml")["programmes"]
    return [(p["name"], p["theme"], tuple(re.compile(m) for m in p["match"])) for p in spec]


@cache
def themes() -> dict:
    return _load("programmes.yaml")["themes"]


def canonical_programme(label: str) -> tuple[str, str] | None:
    """Canonical programme name and theme for a programme label, if it is a known programme."""
    norm = normalise(label)
    for name, theme, pats in programmes():
        if any(p.search(norm) for p in pats):
            return name, theme
    return None


AREA_TYPES = ("kabupaten", "kota", "provinsi")


@dataclass(frozen=True)
class Area:
    """One kabupaten, kota or province of the gazetteer (`regencies.yaml`)."""

    name: str  # gazetteer name without prefix: "Bandung", "Jawa Barat"
    area_type: str  # kabupaten | kota | provinsi
    province: str
    code: str | None  # Kemendagri code as text: "32.04", "32.73", "32"

    @property
    def display(self) -> str:
        return display_name(self.area_type, self.name)


def display_name(area_type: str, name: str) -> str:
    """The warehouse's `regency`, unique across area types: a kabupaten bare ("Bandung"),
    a kota with its prefix ("Kota Bandung"), a province as "Provinsi Jawa Barat"."""
    if area_type == "kota":
        return f"Kota {name}"
    if area_type == "provinsi":
        return f"Provinsi {name}"
    return name


# A year as reports print it; a regulation's "Nomor 8 Tahun 2006" and a plan's "2021-2026" name
# years that are neither the report's nor a figure's (raw/timeframe.py, observations/context.py).
YEAR = re.compile(r"\b(20[0-4]\d|199\d)\b")
REGULATION_YEAR = re.compile(r"(nomor|no\.|nomer)\s*[\w./-]+\s+tahun\s+(\d{4})", re.I)
YEAR_RANGE = re.compile(r"\b(19|20)\d{2}\s*[-–—/]\s*(19|20)\d{2}\b|\b(19|20)\d{2}\s*s\.?/?d\.?\s*(19|20)\d{2}\b", re.I)

_DISPLAY_PREFIX = re.compile(r"^\s*(?:(kabupaten\s|kab\.|kab\s)|(kota\s)|(provinsi\s|propinsi\s|prov\.|prov\s))\s*(.+)$", re.I)


def split_area_prefix(text: str) -> tuple[str | None, str]:
    """("kota", "Bandung") for "Kota Bandung", ("kabupaten", "Bungo") for "Kab. Bungo";
    (None, text) for a name without a prefix."""
    m = _DISPLAY_PREFIX.match(text)
    if not m:
        return None, text
    return ("kabupaten" if m.group(1) else "kota" if m.group(2) else "provinsi"), m.group(4)


@dataclass(frozen=True)
class Gazetteer:
    """Every kabupaten, kota and province with its code and aliases, from `regencies.yaml`.

    Names are only unique within an area type (Kabupaten Bandung and Kota Bandung), so every
    lookup says which type it wants; `lookup` and `city_aliases` are the kabupaten / kota views
    the extraction layers use."""

    regencies: dict[str, str]  # canonical kabupaten name -> province
    cities: dict[str, str]  # canonical kota name -> province
    aliases: dict[str, str]  # normalised kabupaten alias -> canonical name
    province_aliases: dict[str, str]  # normalised province alias -> canonical province
    city_aliases: dict[str, str] = field(default_factory=dict)
    areas: dict[tuple[str, str], Area] = field(default_factory=dict)  # (area_type, name) -> Area

    def lookup(self, name: str) -> tuple[str, str] | None:
        key = normalise(name)
        canon = self.aliases.get(key)
        if canon and canon in self.regencies:
            return canon, self.regencies[canon]
        return None

    def province(self, name: str) -> str | None:
        return self.province_aliases.get(normalise(name))

    def _names(self, area_type: str) -> dict[str, str]:
        return {"kabupaten": self.aliases, "kota": self.city_aliases, "provinsi": self.province_aliases}[area_type]

    def area(self, area_type: str, name: str) -> Area | None:
        """The unit of this type called `name` (any alias), or None."""
        canon = self._names(area_type).get(normalise(name))
        return self.areas.get((area_type, canon)) if canon else None

    def match(self, area_type: str, words: list[str]) -> tuple[Area, int] | None:
        """The longest run of leading `words` that names a unit of this type, and its length
        ("Tanjung Jabung Barat Tahun 2020" -> Tanjung Jabung Barat, 3). Punctuation ending the
        run is no part of the name ("Bungo," "Riau."), inside it may be ("Kep. Riau")."""
        for n in range(min(len(words), 5), 0, -1):
            phrase = " ".join(words[:n])
            found = self.area(area_type, phrase) or self.area(area_type, phrase.rstrip(".,;:'\")"))
            if found:
                return found, n
        return None

    def closest(self, area_type: str, name: str, cutoff: float = 0.85) -> Area | None:
        """The unit of this type whose name or alias is spelled most like `name` (a typo or an
        OCR slip: "Surabya", "Lumajan"), if one is close enough."""
        import difflib

        names = self._names(area_type)
        found = difflib.get_close_matches(normalise(name), list(names), n=1, cutoff=cutoff)
        return self.areas.get((area_type, names[found[0]])) if found else None

    def from_display(self, text: str) -> Area | None:
        """Parse a display name or a prefixed name: "Kota Bandung", "Provinsi Jawa Barat",
        "Kabupaten Bandung" or "Bandung" (a bare name is a kabupaten, then a kota, then a province)."""
        area_type, rest = split_area_prefix(text)
        if area_type:
            found = self.area(area_type, rest)
            if found:
                return found
        for area_type in AREA_TYPES:  # "Kota Baru" is Kabupaten Kotabaru's other spelling
            found = self.area(area_type, text)
            if found:
                return found
        return None

    def count(self, area_type: str) -> int:
        return sum(1 for t, _ in self.areas if t == area_type)


@cache
def gazetteer() -> Gazetteer:
    path = DOMAIN_DIR / "regencies.yaml"
    regencies: dict[str, str] = {}
    cities: dict[str, str] = {}
    aliases: dict[str, str] = {}
    prov_aliases: dict[str, str] = {}
    city_aliases: dict[str, str] = {}
    areas: dict[tuple[str, str], Area] = {}
    if path.exists():
        data = _load("regencies.yaml")
        for prov, spec in (data.get("provinces") or {}).items():
            prov_aliases[normalise(prov)] = prov
            areas[("provinsi", prov)] = Area(prov, "provinsi", prov, spec.get("code"))
            for a in spec.get("aliases") or []:
                prov_aliases[normalise(a)] = prov
            for area_type, names, names_aliases in (("kabupaten", regencies, aliases), ("kota", cities, city_aliases)):
                for item in spec.get(area_type) or []:
                    names[item["name"]] = prov
                    areas[(area_type, item["name"])] = Area(item["name"], area_type, prov, item.get("code"))
                    names_aliases[normalise(item["name"])] = item["name"]
                    for a in item.get("aliases") or []:
                        names_aliases.setdefault(normalise(a), item["name"])
    return Gazetteer(regencies, cities, aliases, prov_aliases, city_aliases, areas)


@cache
def identity_vocabulary() -> dict:
    """How reports name their agency, area, title and period framing (`identity.yaml`)."""
    return _load("identity.yaml")
