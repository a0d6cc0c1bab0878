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


def _edge_lines(lines: list[str], b: int) -> list[int]:
    """The lines a header or footer can occupy at the page break on line b: the last two
    text lines before it, the line with the form feed, and the first text line after it."""
    before = [k for k in range(b - 1, max(-1, b - 1 - 2 * NEAR_BREAK), -1) if lines[k].strip()][:2]
    after = [] if lines[b].replace("\f", "").strip() else \
        [k for k in range(b + 1, min(len(lines), b + 1 + 2 * NEAR_BREAK)) if lines[k].strip()][:1]
    return before + [b] + after


def furniture_lines(lines: list[str]) -> set[int]:
    """0-based indices of furniture lines."""
    page_no = pattern("page_number")
    breaks = [i for i, ln in enumerate(lines) if "\f" in ln]
    if not breaks:
        # no known page breaks: a repeated short line may as well be a wrapped table label
        # ("Kabupaten/Kota"); parsed.segment still steps over headers between table pieces
        return set()
    edges = sorted({k for b in breaks for k in _edge_lines(lines, b)})
    shapes = Counter(_shape(lines[k]) for k in edges if lines[k].strip() and len(lines[k]) <= MAX_LEN)
    repeated = {s for s, n in shapes.items() if n >= MIN_REPEATS and _wordy(s)}
    out = {b for b in breaks if not lines[b].replace("\f", "").strip()}
    for k in edges:
        text = lines[k].replace("\f", "").strip()
        if text and len(lines[k]) <= MAX_LEN and (page_no.fullmatch(text) or _shape(lines[k]) in repeated):
            out.add(k)
    return out
