"""Re-render a report's tables in another layout, as other converters would print them.

Each renderer takes the lines of a text report and returns new lines in which every table the
pipeline finds is printed in one layout: tab-separated, markdown pipes, HTML, flattened one
cell per line (indented by a tab, by spaces, or not at all), or space-aligned columns the way
`pdftotext -layout` prints them (long labels wrapped onto the next line, optional page breaks
with running headers and page numbers cutting through tables). `to_pdf` writes a PDF with
ruled tables, paragraphs, page breaks and running headers (fpdf2, a dev extra).

Used by `bench/bench_layouts.py` (the robustness benchmark) and by the layout tests; the
prose around the tables is kept byte for byte.
"""

from __future__ import annotations

import html
import re
import textwrap
from pathlib import Path
from typing import Callable

from pipeline.parsed.headers import count_header_rows, is_numeric_cell, normalise_flat
from pipeline.parsed.segment import segment
from pipeline.parsed.tables_markup import find_html_tables, find_pipe_tables
from pipeline.parsed.tables_text import find_flat_tables, find_tsv_tables

Grid = list[list[str]]


def table_spans(lines: list[str]) -> list[tuple[int, int, Grid, int]]:
    """(first line, last line (0-based, inclusive), rows of cell texts, header rows) per table
    as printed: a table that a page break cut in two stays two pieces, with the page furniture
    between them kept as it was."""
    taken: set[int] = set()
    tables = []
    for finder in (find_html_tables, find_pipe_tables, find_tsv_tables, find_flat_tables):
        tables.extend(finder(lines, taken))
    groups = [(t.line_start, t.line_end) for t in segment(lines).tables]  # page-split pieces re-joined
    out = []
    for t in sorted(tables, key=lambda t: t.line_start):
        t.header_rows = count_header_rows(t)
        if t.encoding == "flat":
            normalise_flat(t)
        rows = [[c.text for c in r.cells] for r in t.rows]
        width = max((len(r) for r in rows), default=0)
        rows = [r + [""] * (width - len(r)) for r in rows]
        group = next((g for g in groups if g[0] <= t.line_start <= g[1]), (t.line_start, t.line_end))
        out.append((t.line_start - 1, t.line_end - 1, rows, t.header_rows, group))
    return out


def rerender(lines: list[str], render: Callable[..., list[str]]) -> list[str]:
    """Every table piece re-printed by `render(rows, header_rows, widths)`; the pieces of one
    table that a page break cut apart share their column widths, as on paper."""
    spans = table_spans(lines)
    widths: dict[tuple, list[int]] = {}
    for _, _, rows, _, group in spans:
        w = widths.setdefault(group, [])
        for k, width in enumerate(cell_widths(rows)):
            if k < len(w):
                w[k] = max(w[k], width)
            else:
                w.append(width)
    out: list[str] = []
    pos = 0
    for start, end, rows, n_header, group in spans:
        out.extend(lines[pos:start])
        out.extend(render(rows, n_header, widths[group]))
        pos = end + 1
    out.extend(lines[pos:])
    return out


# --- one line per row ------------------------------------------------------------------------

def render_tsv(rows: Grid, n_header: int, widths=None) -> list[str]:
    return ["\t".join(r) for r in rows]


def render_pipe(rows: Grid, n_header: int, widths=None) -> list[str]:
    out = []
    for k, r in enumerate(rows):
        out.append("| " + " | ".join(c.replace("|", "/") for c in r) + " |")
        if k == max(n_header, 1) - 1:
            out.append("|" + "|".join("---" for _ in r) + "|")
    return out


def render_html(rows: Grid, n_header: int, widths=None) -> list[str]:
    out = ["<table>"]
    for k, r in enumerate(rows):
        tag = "th" if k < n_header else "td"
        out.append("<tr>" + "".join(f"<{tag}>{html.escape(c)}</{tag}>" for c in r) + "</tr>")
    out.append("</table>")
    return out


# --- one cell per line -------------------------------------------------------------------------

def render_flat(indent: str) -> Callable[[Grid, int], list[str]]:
    def render(rows: Grid, n_header: int, widths=None) -> list[str]:
        out: list[str] = []
        for r in rows:
            filled = [k for k, c in enumerate(r) if c]
            if not filled:
                continue
            # leading and trailing empty cells vanish, as in a converter's output (the reader
            # right-aligns rows under the header); an empty cell between two filled ones is
            # printed "-", as reports print it, or the columns after it could not be told
            cells = [c or "-" for c in r[filled[0]: filled[-1] + 1]]
            if out:
                out.append("")
            out.extend(indent + c for c in cells)
        return out
    return render


# --- space-aligned columns -----------------------------------------------------------------------

LABEL_WIDTH = 38
MARGIN = "    "


def cell_widths(rows: Grid, label_width: int = LABEL_WIDTH) -> list[int]:
    if not rows:
        return []
    wrapped = [[textwrap.wrap(c, label_width) or [""] for c in r] for r in rows]
    return [max(len(piece) for r in wrapped for piece in r[k]) for k in range(len(rows[0]))]


def render_aligned(rows: Grid, n_header: int, widths: list[int] | None = None,
                   label_width: int = LABEL_WIDTH, gap: int = 3) -> list[str]:
    """Columns padded with spaces; a text cell longer than `label_width` wraps onto the lines
    below (as a PDF table cell does); numbers are right-aligned."""
    if not rows:
        return []
    width = len(rows[0])
    wrapped = [[textwrap.wrap(c, label_width) or [""] for c in r] for r in rows]
    col_w = (widths or cell_widths(rows, label_width)) + [0] * width
    out = []
    for r, w in zip(rows, wrapped):
        height = max(len(p) for p in w)
        for i in range(height):
            parts = []
            for k in range(width):
                piece = w[k][i] if i < len(w[k]) else ""
                parts.append(piece.rjust(col_w[k]) if is_numeric_cell(r[k]) else piece.ljust(col_w[k]))
            out.append((MARGIN + (" " * gap).join(parts)).rstrip())
    return out


def paginate(lines: list[str], every: int = 52, running: str = "Laporan Kinerja Instansi Pemerintah") -> list[str]:
    """Cut the text into pages as pdftotext does: a form feed starts each page, a running
    header on top and the page number at the bottom, wherever the cut falls (tables too)."""
    out: list[str] = []
    page = 1
    for k, line in enumerate(lines):
        if k and k % every == 0:
            out.extend(["", f"{' ' * 60}{page}"])
            page += 1
            out.append(f"\f{MARGIN}{running}")
            out.append("")
        out.append(line)
    return out


def reindent_flat(indent: str) -> Callable[[list[str]], list[str]]:
    """Only the tables that are already flattened, re-indented (the converter's other habits):
    the Tanjung Jabung Barat case."""
    def render(lines: list[str]) -> list[str]:
        taken: set[int] = set()
        out: list[str | None] = list(lines)
        for t in find_flat_tables(lines, taken):
            for k in range(t.line_start - 1, t.line_end):
                if lines[k].startswith("\t") and "\t" not in lines[k][1:]:
                    # an empty cell (a lone tab) has no text to print without its tab: dropped
                    out[k] = indent + lines[k][1:] if lines[k][1:].strip() else None
        return [ln for ln in out if ln is not None]
    return render


LAYOUTS: dict[str, Callable[[list[str]], list[str]]] = {
    "tsv": lambda ls: rerender(ls, render_tsv),
    "pipe": lambda ls: rerender(ls, render_pipe),
    "html": lambda ls: rerender(ls, render_html),
    "flat-reindent-spaces": reindent_flat("    "),
    "flat-reindent-none": reindent_flat(""),
    "flat-tab": lambda ls: rerender(ls, render_flat("\t")),
    "flat-spaces": lambda ls: rerender(ls, render_flat("    ")),
    "flat-noindent": lambda ls: rerender(ls, render_flat("")),
    "aligned": lambda ls: rerender(ls, render_aligned),
    "aligned-paged": lambda ls: paginate(rerender(ls, render_aligned)),
}


def render_text(src: Path, dst: Path, layout: str) -> None:
    text = src.read_text(encoding="utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    dst.write_text("\n".join(LAYOUTS[layout](lines)) + "\n", encoding="utf-8")


# --- PDF -----------------------------------------------------------------------------------------

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
MARKUP = re.compile(r"[*_#`]+|<[^>]+>")


def to_pdf(src: Path, dst: Path, running: str = "Laporan Kinerja Instansi Pemerintah") -> int:
    """A PDF of the report: prose as paragraphs, every table as a ruled table, page breaks
    where the page is full (tables split across pages), a running header and page numbers.
    Returns the page count."""
    from fpdf import FPDF

    class Report(FPDF):
        def header(self):
            self.set_font("body", size=7)
            self.cell(0, 4, running, align="R", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

        def footer(self):
            self.set_y(-12)
            self.set_font("body", size=7)
            self.cell(0, 6, str(self.page_no()), align="C")

    text = src.read_text(encoding="utf-8")
    lines = text.split("\n")
    if text.endswith("\n"):
        lines = lines[:-1]
    pdf = Report(format="A4")
    pdf.add_font("body", "", FONT)
    pdf.add_font("body", "B", FONT_BOLD)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("body", size=9)
    usable = pdf.w - pdf.l_margin - pdf.r_margin
    pos = 0
    for start, end, rows, n_header, _ in table_spans(lines) + [(len(lines), len(lines), [], 0, None)]:
        for line in lines[pos:start]:
            t = MARKUP.sub("", line).replace("\t", " ").strip()
            if not t:
                pdf.ln(2)
                continue
            pdf.multi_cell(usable, 4.2, t, new_x="LMARGIN", new_y="NEXT")
        if rows:
            _pdf_table(pdf, rows, n_header, usable)
        pos = end + 1
    pdf.output(str(dst))
    return pdf.page_no()


def _floors(pdf, rows: Grid, n_header: int, size: float) -> list[float]:
    """Narrowest width (mm) of each column that keeps its numbers and words unbroken."""
    pdf.set_font("body", "B", size=size)  # headers are bold: measure with the wider face
    width = len(rows[0])
    numbers = [max((pdf.get_string_width(r[k]) for r in rows[n_header:] if is_numeric_cell(r[k]) and len(r[k]) <= 24),
                   default=0) for k in range(width)]
    words = [max((pdf.get_string_width(w) for r in rows for w in r[k].split() if len(w) <= 24), default=0)
             for k in range(width)]
    return [max(5.0, n + 3, w + 3) for n, w in zip(numbers, words)]


def _pdf_table(pdf, rows: Grid, n_header: int, usable: float) -> None:
    width = len(rows[0])
    longest = [max(len(r[k]) for r in rows) for k in range(width)]
    for size in (8, 7, 6, 5, 4.5, 4):  # the largest font at which every number fits its column
        floors = _floors(pdf, rows, n_header, size)
        if sum(floors) <= 0.85 * usable:
            break
    # a number is never wrapped inside its cell; text columns share the width that is left
    if sum(floors) > usable:
        floors = [f * usable / sum(floors) for f in floors]
    numeric = [any(is_numeric_cell(r[k]) for r in rows[n_header:]) for k in range(width)]
    weights = [0 if numeric[k] else min(max(n, 3), 40) for k, n in enumerate(longest)]
    spare = usable - sum(floors)
    widths = [f + (spare * w / sum(weights) if sum(weights) else spare / width) for f, w in zip(floors, weights)]
    pdf.set_font("body", size=size)
    pdf.ln(1)
    from fpdf.fonts import FontFace

    with pdf.table(col_widths=widths, width=usable, first_row_as_headings=n_header > 0,
                   headings_style=FontFace(emphasis="BOLD"), line_height=size * 0.45, text_align="LEFT",
                   num_heading_rows=max(n_header, 1)) as table:
        for r in rows:
            row = table.row()
            for c in r:
                row.cell(c)
    pdf.ln(2)
    pdf.set_font("body", size=9)
