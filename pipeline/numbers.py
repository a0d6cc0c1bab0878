"""Parsing numbers as Indonesian reports print them.

`1.234.567,89` (Indonesian) and `1,234,567.89` (English) both occur, as do `Rp.` prefixes,
trailing `,-` and `,00`, `18.820.531.793.00`, `2,228,039,860,00`, and counts such as `3.111`
persons. A lone separator followed by three digits is the hard case: `3.111` persons is 3111
but `0,184` percent is 0.184. The caller passes what the context says (`hint`: the unit class
of the column, row or sentence) and the parser says how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER_RE = re.compile(
    r"(?<![\w.,])[-−]?\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?(?![\d])|(?<![\w.,])[-−]?\d+(?:[.,]\d+)?(?![\d])"
)
# A number token inside free text: digits with separators, optionally glued to % or Rp.
TOKEN_RE = re.compile(r"[-−]?\d[\d.,]*\d|\d")

COUNT_HINTS = {"persons", "count", "cases", "rupiah", "number", "packages"}  # number: a count of unstated kind


@dataclass(frozen=True)
class Parsed:
    value: float
    decimals: int  # digits after the decimal separator as printed (precision of the figure)
    note: str | None = None  # why the reading is uncertain, or what was repaired
    ambiguous: bool = False


class NumberError(ValueError):
    """A token that looks numeric but cannot be read safely."""


_TAG_RE = re.compile(r"<[^>]+>")
_CURRENCY_RE = re.compile(r"^(rp\.?|idr)\s*", re.I)
_EMPHASIS_RE = re.compile(r"[*_]")
_DASH_END_RE = re.compile(r"(,-|\.-|,—)$")
_NUMERIC_RE = re.compile(r"-?[\d.,]+")
_DIGIT_RE = re.compile(r"\d")
_SEPARATOR_RE = re.compile(r"[.,]")


def _strip(text: str) -> str:
    t = text.strip()
    t = _TAG_RE.sub("", t)
    t = t.replace("\u00a0", " ").replace("−", "-")
    t = _CURRENCY_RE.sub("", t)
    t = _EMPHASIS_RE.sub("", t)
    t = _DASH_END_RE.sub("", t.strip())
    t = t.rstrip("%").strip()
    t = t.replace(" ", "")
    return t


def parse_number(text: str, hint: str | None = None) -> Parsed:
    """Read one numeric token. `hint` is percent/persons/count/cases/rupiah or None.

    Raises NumberError when the token is malformed (e.g. `6,81,297,418.00`).
    """
    t = _strip(text)
    if not t or not _NUMERIC_RE.fullmatch(t) or not _DIGIT_RE.search(t):
        raise NumberError(f"not a number: {text!r}")
    neg = t.startswith("-")
    t = t.lstrip("-")
    seps = [c for c in t if c in ".,"]
    groups = _SEPARATOR_RE.split(t)
    sign = -1.0 if neg else 1.0

    if not seps:
        return Parsed(sign * float(t), 0)

    if len(seps) == 1:
        head, tail = groups
        sep = seps[0]
        if len(tail) != 3:
            # `5.39`, `3,92`, `0.76`: a decimal separator either way — unless a count lost
            # its trailing zeros (`539.37` persons printed for 539.370), which we repair.
            if hint in ("persons", "cases", "count", "number") and len(tail) in (1, 2) and sep == "." and len(head) <= 3 and int(head) > 0:
                value = float(head + tail.ljust(3, "0"))
                return Parsed(
                    sign * value,
                    0,
                    note=f"read {text.strip()!r} as {int(value):,} {hint} (thousands separator with trailing zeros dropped)",
                    ambiguous=True,
                )
            return Parsed(sign * float(f"{head}.{tail}"), len(tail))
        # exactly three digits after a single separator: thousands or decimals?
        if hint == "percent":
            return Parsed(sign * float(f"{head}.{tail}"), 3)
        if hint in COUNT_HINTS or head == "0":
            if head == "0":
                return Parsed(sign * float(f"0.{tail}"), 3)
            return Parsed(sign * float(head + tail), 0)
        # no context: Indonesian documents use '.' for thousands far more often than 3-decimal figures
        return Parsed(
            sign * float(head + tail),
            0,
            note=f"{text.strip()!r} read as thousands ({int(head + tail):,}); could be {head}.{tail}",
            ambiguous=True,
        )

    # two or more separators
    last_sep = seps[-1]
    first_seps = seps[:-1]
    inner = groups[1:-1]
    last = groups[-1]
    if len(set(seps)) == 1:
        # `1.234.567` or `18.820.531.793.00` / `2,228,039,860,00` (last group = cents)
        if all(len(g) == 3 for g in groups[1:]):
            if len(groups[0]) > 3:
                raise NumberError(f"malformed thousands grouping: {text!r}")
            return Parsed(sign * float("".join(groups)), 0)
        if all(len(g) == 3 for g in inner) and len(last) in (1, 2) and len(groups[0]) <= 3:
            return Parsed(
                sign * float("".join(groups[:-1]) + "." + last),
                len(last),
                note=f"{text.strip()!r}: last {last_sep!r} read as decimal separator",
            )
        raise NumberError(f"malformed number: {text!r}")
    # mixed separators: the last one is the decimal separator, the others group thousands
    if len(set(first_seps)) != 1 or first_seps[0] == last_sep:
        raise NumberError(f"malformed number: {text!r}")
    if len(groups[0]) > 3 or not all(len(g) == 3 for g in inner):
        raise NumberError(f"malformed thousands grouping: {text!r}")
    return Parsed(sign * float("".join(groups[:-1]) + "." + last), len(last))


def try_parse(text: str, hint: str | None = None) -> Parsed | None:
    try:
        return parse_number(text, hint)
    except NumberError:
        return None


def tolerance(*decimals: int) -> float:
    """Half a unit of the least precise figure: two printed values agree within this."""
    d = min(decimals) if decimals else 0
    return 0.5 * 10 ** (-d) + 1e-9


def format_id(value: float, decimals: int = 0) -> str:
    """Indonesian formatting: 1.234.567,89 (used in the app and the exports)."""
    s = f"{abs(value):,.{decimals}f}"
    s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return ("-" if value < 0 else "") + s
