"""How a cited source reads: 'baris 612' for a text report, 'hal. 3, baris 612' for a PDF
(the line counts lines of the text the build extracted from the PDF; the page is the PDF page)."""

from __future__ import annotations

import math

from dashboard.i18n import t


def as_int(x) -> int | None:
    try:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            return None
        return int(x)
    except (TypeError, ValueError):
        return None


def where(line, page=None, lang: str | None = None) -> str:
    """'line 612' / 'page 3, line 612' in the reader's language."""
    n, p = as_int(line), as_int(page)
    if n is None:
        return ""
    text = f"{t('source.line_abbr', lang)} {n}"
    return f"{t('source.page_abbr', lang)} {p}, {text}" if p is not None else text


def source(file: str, line, page=None, lang: str | None = None) -> str:
    """'000_x.txt, line 612' / '000_x.pdf, page 3, line 612'."""
    w = where(line, page, lang)
    return f"{file}, {w}" if w else str(file)


def of_row(row, lang: str | None = None) -> str:
    get = row.get if hasattr(row, "get") else (lambda k, d=None: getattr(row, k, d))
    return source(get("source_file"), get("source_line"), get("source_page"), lang)


def lines_listing(rows, lang: str | None = None, limit: int = 8) -> str:
    """'line 109, 113' or 'page 3, line 109; page 4, line 113' for the rows of one file."""
    pairs = sorted({(as_int(p), as_int(n)) for n, p in zip(rows["source_line"], rows["source_page"] if "source_page" in rows
                                                        else [None] * len(rows)) if as_int(n) is not None},
                   key=lambda x: (x[1]))
    if not pairs:
        return ""
    more = " …" if len(pairs) > limit else ""
    pairs = pairs[:limit]
    if all(p is None for p, _ in pairs):
        return f"{t('source.line_abbr', lang)} " + ", ".join(str(n) for _, n in pairs) + more
    return "; ".join(where(n, p, lang) for p, n in pairs) + more
