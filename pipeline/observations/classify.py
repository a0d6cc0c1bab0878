"""Map a label (table row, column header, clause of a sentence) to a canonical indicator.

All vocabulary comes from `pipeline/domain/indicators.yaml` and `vocabulary.yaml`; this
module only applies it: the first indicator whose patterns match, whose exclusions do not,
and whose unit class fits the value wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.knowledge import Indicator, compiled, indicators, normalise, pattern, per_document, vocabulary

# units as the warehouse stores them (packages are a count)
WAREHOUSE_UNIT = {"packages": "count"}


@dataclass(frozen=True)
class Match:
    indicator: str
    scope: str = "total"
    scope_level: str = "total"
    definition: str | None = None


@per_document()
def unit_of(text: str) -> str | None:
    """Unit named by the words right after a number (or in a 'Satuan' cell)."""
    t = normalise(text).lstrip("( ")
    if not t:
        return None
    for unit, pat in compiled("units"):
        if pat.search(t):
            return unit
    return None


def warehouse_unit(unit: str | None, indicator: str) -> str:
    if unit == "number":
        unit = None
    if unit and unit in indicators()[indicator].units:
        return WAREHOUSE_UNIT.get(unit, unit)
    return WAREHOUSE_UNIT.get(indicators()[indicator].unit, indicators()[indicator].unit)


COUNT_UNITS = {"persons", "cases", "count", "packages"}


def _fits(ind: Indicator, unit: str | None) -> bool:
    if unit is None:
        return True
    if unit == "number":  # a count of unstated kind ("Jumlah ...") fits any count indicator
        return bool(COUNT_UNITS & set(ind.units))
    return unit in ind.units


@per_document()
def classify(label: str, unit: str | None = None) -> Match | None:
    """Canonical indicator for a label; `unit` is the unit of the value being classified."""
    norm = normalise(label)
    if not norm:
        return None
    table = indicators()
    for ind in table.values():
        if not ind.patterns or not ind.matches(norm):
            continue
        if unit in ind.variants and not pattern("goal_statement").search(norm):
            # "Penurunan jumlah kasus ... diselesaikan: 80 %" -> the rate
            return _with_scope(table[ind.variants[unit]], norm)
        if _fits(ind, unit):
            return _with_scope(ind, norm)
    return None


def _with_scope(ind: Indicator, norm: str) -> Match:
    if ind.definitions:
        for d in ind.definitions:
            if any(p.search(norm) for p in d.patterns):
                level = "total" if d.scope == "total" else "definition"
                return Match(ind.id, d.scope, level, d.en)
    if ind.id == "placements":
        for scope, pat in compiled("placement_channels"):
            if "melalui" in norm and pat.search(norm.split("melalui", 1)[1]):
                return Match(ind.id, scope, "channel")
    return Match(ind.id)


def is_total_label(label: str) -> bool:
    norm = normalise(label)
    return bool(re.match(r"^(jumlah|total|j u m l a h|total keseluruhan|jumlah total|total pagu anggaran)\b", norm))


def is_average_label(label: str) -> bool:
    return bool(re.match(r"^(rata ?[-–]? ?rata|rerata|average)", normalise(label)))


def not_stated(text: str) -> bool:
    return normalise(text) in vocabulary()["not_stated"]


CLAUSE_SPLIT = re.compile(r",\s+|;\s*|\s+(?:sedangkan|dan|atau|yang terdiri( dari| atas)?|sehingga|namun)\s+", re.I)


def clauses(text: str) -> list[str]:
    return [c for c in CLAUSE_SPLIT.split(text) if c and c.strip()]


def classify_clause(text: str, value: float, unit: str | None) -> Match | None:
    """Classify the clause of a sentence that states `value` (e.g. the lead-in of a table)."""
    from pipeline.observations.values import read_values  # local: values imports this module

    parts = clauses(text)
    for k, part in enumerate(parts):
        for v in read_values(part, unit):
            if v.value == v.value and abs(v.value - value) < 0.5:
                # the indicator is named in this clause or the one before it
                for cand in (part, " ".join(parts[max(0, k - 1) : k + 1])):
                    m = classify(cand, v.unit or unit) or classify(cand, None)
                    if m:
                        return m
    return None


WRAP_TAIL_WORDS = 2


def label_spans(before: str, after: str) -> bool:
    """An indicator name runs across the break between `before` and `after` and ends within
    the first words of `after` ("tingkat pengangguran" | "terbuka")."""
    a, b = normalise(before), normalise(after)
    if not a or not b:
        return False
    joined, cut = f"{a} {b}", len(a)
    for ind in indicators().values():
        for p in ind.patterns:
            for m in p.finditer(joined):
                if m.start() < cut < m.end() and len(joined[cut:m.end()].split()) <= WRAP_TAIL_WORDS:
                    return not any(x.search(joined) for x in ind.excludes)
    return False
