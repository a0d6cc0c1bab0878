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


@dataclass(frozen=True)
class Gazetteer:
    """Regency/city name -> province, with aliases, from `regencies.yaml`."""

    regencies: dict[str, str]  # canonical kabupaten name -> province
    cities: dict[str, str]
    aliases: dict[str, str]  # normalised alias -> canonical name
    province_aliases: dict[str, str]
    city_aliases: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str) -> tuple[str, str] | None:
        key = normalise(name)
        canon = self.aliases.get(key)
        if canon and canon in self.regencies:
            return canon, self.regencies[canon]
        return None

    def province(self, name: str) -> str | None:
        return self.province_aliases.get(normalise(name))


@cache
def gazetteer() -> Gazetteer:
    path = DOMAIN_DIR / "regencies.yaml"
    regencies: dict[str, str] = {}
    cities: dict[str, str] = {}
    aliases: dict[str, str] = {}
    prov_aliases: dict[str, str] = {}
    city_aliases: dict[str, str] = {}
    if path.exists():
        data = _load("regencies.yaml")
        for prov, spec in (data.get("provinces") or {}).items():
            prov_aliases[normalise(prov)] = prov
            for a in spec.get("aliases") or []:
                prov_aliases[normalise(a)] = prov
            for item in spec.get("kabupaten") or []:
                regencies[item["name"]] = prov
                aliases[normalise(item["name"])] = item["name"]
                for a in item.get("aliases") or []:
                    aliases.setdefault(normalise(a), item["name"])
            for item in spec.get("kota") or []:
                cities[item["name"]] = prov
                city_aliases[normalise(item["name"])] = item["name"]
                for a in item.get("aliases") or []:
                    city_aliases.setdefault(normalise(a), item["name"])
    return Gazetteer(regencies, cities, aliases, prov_aliases, city_aliases)
