"""Indonesian numbers written in words (terbilang), as reports print them after an amount:

    "Rp 11.638.619.060,00 (Sepuluh Milyar Enam Ratus Tiga Puluh Delapan Juta ... Rupiah)"

A disagreement between the digits and the words is a mismatch worth reporting.
"""

from __future__ import annotations

import re

DIGITS = {"nol": 0, "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8, "sembilan": 9}
SPECIAL = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
SCALES = {"ribu": 10**3, "juta": 10**6, "milyar": 10**9, "miliar": 10**9, "triliun": 10**12}
WORDS_RE = re.compile(r"\(\s*\*?\s*((?:[a-z]+\s+){1,30}?rupiah)\s*\*?\s*\)", re.I)


def parse_words(text: str) -> float | None:
    tokens = re.findall(r"[a-z]+", text.lower())
    if not tokens:
        return None
    total, group, n = 0, 0, 0
    decimals: list[int] | None = None
    known = False
    for tok in tokens:
        if tok == "rupiah":
            break
        if decimals is not None:
            if tok in DIGITS:
                decimals.append(DIGITS[tok])
            continue
        if tok in DIGITS:
            n = DIGITS[tok]
        elif tok in SPECIAL:
            group += SPECIAL[tok]
        elif tok == "belas":
            group += n + 10
            n = 0
        elif tok == "puluh":
            group += n * 10
            n = 0
        elif tok == "ratus":
            group += n * 100
            n = 0
        elif tok == "seribu":
            total += 1000
        elif tok in SCALES:
            total += (group + n) * SCALES[tok]
            group, n = 0, 0
        elif tok == "koma":
            decimals = []
        else:
            return None  # not a number phrase
        known = True
    if not known:
        return None
    value = float(total + group + n)
    if decimals:
        value += float("0." + "".join(map(str, decimals)))
    return value


def words_after(text: str, offset: int) -> tuple[float, str] | None:
    """The amount written in words right after position `offset` (within 8 characters)."""
    m = WORDS_RE.search(text, offset)
    if not m or m.start() - offset > 8:
        return None
    value = parse_words(m.group(1))
    return (value, m.group(1)) if value is not None else None
