"""Where a report's cover ends, and which lines are tables or contents.

Identification trusts what a report says about itself on its cover and in its own title
phrases; it must not read a table header ("Triwulan I | Triwulan II") or a table-of-contents
entry as the report's framing. These helpers tell such lines apart, from the raw text alone.
"""

from __future__ import annotations

import re
from functools import cache

from pipeline.knowledge import identity_vocabulary, normalise

TITLE_REGION = 40  # at most this many non-empty lines before the first heading form the cover
_TOC_LINE = re.compile(r"\.{4,}|…{2,}|\t\s*\d{1,3}\s*$|\|\s*\d{1,3}\s*\|?\s*$|^\|.*\|\s*$")
_CELL_MARKUP = re.compile(r"<t[dh]\b|^\s*\|", re.I)
_ALIGNED_GAP = re.compile(r"\S {3,}(?=\S)")  # pdftotext -layout separates columns by runs of spaces
_TAGS = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[*_`#]+")
_SPACE = re.compile(r"\s+")


def clean(line: str) -> str:
    """The words of a line with markup removed and case kept ("**KOTA BANDUNG**" -> "KOTA BANDUNG");
    table cells stay apart (" | "), so a name never runs from one cell into the next."""
    t = _TAGS.sub(" | ", line).replace("\t", " | ").replace("\u00a0", " ").replace("’", "'")
    return _SPACE.sub(" ", _MARKUP.sub(" ", t)).strip()


def is_table_line(line: str) -> bool:
    """A row of a table in any of the encodings reports arrive in (tab, pipe, HTML, aligned)."""
    return "\t" in line or bool(_CELL_MARKUP.search(line)) or len(_ALIGNED_GAP.findall(line.strip())) >= 2


def is_toc_line(line: str) -> bool:
    return bool(_TOC_LINE.search(line))


@cache
def _cover_end() -> re.Pattern:
    return re.compile(identity_vocabulary()["cover_ends"])


def cover_lines(lines: list[str]) -> list[int]:
    """Indices of the cover: the non-empty lines before the first heading (KATA PENGANTAR,
    DAFTAR ISI, BAB I, ...), at most TITLE_REGION of them, tables left out. A report without a
    cover page starts with its body; its first lines are then the region, as a reader would
    take them."""
    out: list[int] = []
    seen = 0
    end = _cover_end()
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        if end.search(normalise(line)):
            break
        seen += 1
        if seen > TITLE_REGION:
            break
        if not is_table_line(line) and not is_toc_line(line):
            out.append(i)
    return out
