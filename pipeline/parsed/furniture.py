"""Page furniture: what a page break leaves in converted text — the form feed, running headers
and footers, page numbers. A table or sentence that a page break cuts through continues after
them, so the table and prose readers step over these lines.

A line is furniture when it
- is a page number alone ("12", "- 12 -", "Halaman 12", "Hal. 12 dari 80", "12 | Laporan ..."
  are all matched by `pipeline/domain/vocabulary.yaml: page_number`), next to a page break, or
- repeats, with only its digits changed, on several pages next to a page break (running header /
  footer), or
- is the line holding the form feed itself when nothing else is on it.
Text without form feeds has no known page breaks and so no furniture here.
"""

from __future__ import annotations

import re
from collections import Counter

from pipeline.knowledge import pattern

NEAR_BREAK = 3  # lines from a page break that a header / footer may sit
MIN_REPEATS = 2  # a line seen at two page breaks is a running header
MAX_LEN = 140
DIGITS = re.compile(r"\d+")
SPACE = re.compile(r"\s+")


def _shape(line: str) -> str:
    return SPACE.sub(" ", DIGITS.sub("#", line.replace("\f", ""))).strip().lower()


def _wordy(shape: str) -> bool:
    """Running headers are words (a title, an office, a year): a table row whose numbers the
    shape erased is not."""
    letters = sum(ch.isalpha() for ch in shape)
    return letters >= 8 and letters >= 0.6 * len(shape.replace(" ", "")) and shape.count("#") <= 2


def furniture_lines(lines: list[str]) -> set[int]:
    """0-based indices of furniture lines."""
    page_no = pattern("page_number")
    breaks = [i for i, ln in enumerate(lines) if "\f" in ln]
    if not breaks:
        # no known page breaks: a repeated short line may as well be a wrapped table label
        # ("Kabupaten/Kota"); parsed.segment still steps over headers between table pieces
        return set()
    near: set[int] = set()
    for b in breaks:
        near.update(range(max(0, b - NEAR_BREAK), min(len(lines), b + NEAR_BREAK + 1)))
    shapes = Counter(_shape(lines[i]) for i in near if lines[i].strip() and len(lines[i]) <= MAX_LEN)
    repeated = {s for s, n in shapes.items() if n >= MIN_REPEATS and _wordy(s)}
    out: set[int] = set()
    for i, line in enumerate(lines):
        text = line.replace("\f", "").strip()
        if not text:
            if "\f" in line:
                out.add(i)
            continue
        if len(line) > MAX_LEN:
            continue
        if i in near and (page_no.fullmatch(text) or _shape(line) in repeated):
            out.add(i)
    return out
