"""Read the value in a table cell or after a keyword: number, unit, and what is uncertain."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.knowledge import per_document
from pipeline.numbers import NumberError, parse_number
from pipeline.observations.classify import not_stated, unit_of

CELL_NUMBER = re.compile(r"(?:(rp\.?|idr)\s*)?([-−]?\d[\d.,]*\d|\d)\s*(%?)", re.I)
PAREN_PCT = re.compile(r"\(\s*(\d[\d.,]*)\s*%\s*\)")


@dataclass(frozen=True)  # read_value results are memoised per report: never mutate one
class Value:
    value: float
    decimals: int
    unit: str | None
    text: str
    note: str | None = None
    paren_pct: float | None = None  # "23 Kasus Diselesaikan (115%)" -> 115


@per_document(1 << 15)
def read_value(text: str, unit_hint: str | None = None) -> Value | None:
    """The first number in `text` with its unit. `unit_hint` is the unit the context implies."""
    t = text.strip()
    if not t or not_stated(t):
        return None
    if "=" in t:  # a worked formula ("$8/13 \\times 100\\% = 61,54\\%$"): the result follows the last '='
        t = t.rsplit("=", 1)[1]
        t = t.replace("\\%", "%").replace("$", " ").replace("\\mathbf", " ").strip(" {}")
    m = CELL_NUMBER.search(t)
    if not m:
        return None
    number = m.group(2)
    if re.fullmatch(r"(19|20)\d{2}", number) and not m.group(3) and len(t) > 4 and not unit_of(t[m.end():]):
        return None  # a year inside text, not a value
    after = t[m.end() :]
    unit = "percent" if m.group(3) else ("rupiah" if m.group(1) else unit_of(after))
    hint = unit or unit_hint
    try:
        parsed = parse_number(number, hint)
    except NumberError as exc:
        return Value(float("nan"), 0, unit, t, note=str(exc))
    paren = PAREN_PCT.search(after)
    paren_pct = None
    if paren:
        try:
            paren_pct = parse_number(paren.group(1), "percent").value
        except NumberError:
            paren_pct = None
    note = parsed.note
    rest_numbers = CELL_NUMBER.findall(PAREN_PCT.sub("", after))
    if rest_numbers and unit == "percent" and any(g[2] for g in rest_numbers):
        note = (note + "; " if note else "") + f"cell holds several values ({t!r}); the first is used"
    return Value(parsed.value, parsed.decimals, unit, t, note, paren_pct)


ENUMERATED = re.compile(r"^\s*\d{1,2}[.)]\s+[A-Za-z]")


@per_document(1 << 15)
def is_number_cell(text: str) -> bool:
    """A cell that holds a value ("426 Orang", "75,42%", "Rp. 912.283.357"), not a label that
    merely contains a number ("1. Jumlah tenaga kerja ...", "Misi 3")."""
    t = text.strip()
    if not t or ENUMERATED.match(t):
        return False
    m = CELL_NUMBER.search(t)
    if not m or m.start() > 4:
        return False
    v = read_value(t)
    if v is None or v.value != v.value:
        return False
    rest = PAREN_PCT.sub("", t[m.end():]).strip()
    return len(rest.split()) <= 3


def read_values(text: str, unit_hint: str | None = None) -> list[Value]:
    """All values of a cell such as "174 Orang/11 Paket" or "29 orang/12 bulan" (first first)."""
    t = text.strip()
    first = read_value(t, unit_hint)
    if first is None:
        return []
    out = [first]
    for part in re.split(r"\s*/\s*|\s+dan\s+", t)[1:]:
        v = read_value(part, unit_hint)
        if v is not None and v.value == v.value:
            out.append(v)
    return out
