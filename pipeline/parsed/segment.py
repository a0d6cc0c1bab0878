"""Split a report into tables and prose, whatever table syntax it uses.

Finds tables in every encoding, attaches each its caption (the lines just above it) and
source note ("Sumber: ..."), re-joins tables that a page break split in two, and marks the
chapter (section) every line belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.knowledge import compiled, normalise
from pipeline.numbers import try_parse
from pipeline.parsed.furniture import furniture_lines
from pipeline.parsed.headers import YEAR_TOKEN, count_header_rows, is_numeric_cell, normalise_flat, role_of
from pipeline.parsed.model import Row, Sentence, Table, clean_cell
from pipeline.parsed.tables_aligned import find_aligned_tables
from pipeline.parsed.tables_markup import find_html_tables, find_pipe_tables
from pipeline.parsed.tables_text import find_flat_tables, find_tsv_tables

CAPTION_LOOKBACK = 6
FOOTNOTE_RE = re.compile(r"^\W*(sumber|source)\b", re.I)
PAGE_FURNITURE = re.compile(
    r"^(laporan kinerja|lkjip|lakip|dinas tenaga|disnaker|pemerintah (kabupaten|kota|provinsi)|\*?laporan kinerja instansi|halaman|hal\.|page|\d{1,3}$)",
    re.I,
)
CONTINUATION_GAP = 14
LEAD_IN_LOOKBACK = 25
LEAD_IN_RE = re.compile(r"(sebagai berikut|berikut ini|dengan rincian|rinciannya|pada tabel|dalam tabel|tabel di ?bawah)\W*$|:\s*$", re.I)


@dataclass
class Document:
    lines: list[str]
    sections: list[str]  # per line (0-based)
    tables: list[Table]
    table_lines: set[int]  # 0-based lines inside tables
    sentences: list[Sentence]


def assign_sections(lines: list[str]) -> list[str]:
    rules = compiled("sections")
    current = "front"
    out = []
    for line in lines:
        norm = normalise(clean_cell(line))
        if 0 < len(norm) <= 80 and "\t" not in line and not line.lstrip().startswith("|"):
            for section, pat in rules:
                if pat.search(norm):
                    current = section
                    break
        out.append(current)
    return out


def _captions(lines: list[str], table: Table, table_lines: set[int]) -> None:
    cap = []
    i = table.line_start - 2
    while i >= 0 and len(cap) < CAPTION_LOOKBACK:
        if i in table_lines:
            break
        text = clean_cell(lines[i])
        if text:
            cap.append((i + 1, text))
            if len(text) > 200:  # a paragraph: keep it (lead-in sentence) but look no further
                break
        i -= 1
    table.caption = list(reversed(cap))
    for k in range(table.line_start - 2, max(-1, table.line_start - 2 - LEAD_IN_LOOKBACK), -1):
        if k in table_lines:
            break
        text = clean_cell(lines[k])
        if len(text) > 40 and LEAD_IN_RE.search(text):
            table.lead_in = (k + 1, text)
            break
    j = table.line_end
    seen = 0
    while j < len(lines) and seen < 3:
        if j in table_lines:
            break
        text = clean_cell(lines[j])
        if text:
            seen += 1
            if FOOTNOTE_RE.match(text):
                table.footnote = (j + 1, text)
                break
        j += 1


def _is_furniture(text: str) -> bool:
    t = text.strip().strip("*_ ")
    if not t or PAGE_FURNITURE.match(t):
        return True
    if len(t) < 120 and re.search(r"laporan kinerja|lkjip|dinas tenaga kerja|disnaker|kabupaten|\bkota\b|provinsi|tahun \d{4}", t, re.I):
        return True
    return len(t) < 60 and not t.endswith(".")


def _fragment_row(row: Row) -> bool:
    """A row holding only the tail of a cell that a page break cut off (no numbers)."""
    texts = [c.text for c in row.cells if c.text]
    return 0 < len(texts) <= 2 and not any(is_numeric_cell(t) for t in texts)


def _cell_kinds(row: Row) -> list[str]:
    return ["n" if is_numeric_cell(c.text) else "t" if c.text else "" for c in row.cells]


def _rows_alike(a: Row, b: Row) -> bool:
    """Two body rows of one table: both hold values, and most cells are of the same kind
    (number / text / empty) in the same column."""
    ka, kb = _cell_kinds(a), _cell_kinds(b)
    if "n" not in ka or "n" not in kb:
        return False
    n = min(len(ka), len(kb))
    return sum(x == y for x, y in zip(ka, kb)) >= 0.6 * max(n, 1)


def _fragment_header(prev: Table, t: Table) -> bool:
    """A continuation whose first row(s) only carry the tail of the previous piece's last cell
    ("Perubahan DPA-SKPD"): counted as a header because it has no number, but it names no
    column (no role such as Target / Realisasi, no year), and the row after it looks like the
    previous piece's body. In markdown such a piece starts with a blank "| | |" row; other
    syntaxes (TSV) cannot hold that blank row, so the fragment comes first."""
    if not t.header_rows or len(t.rows) <= t.header_rows or not prev.body:
        return False
    for row in t.header:
        texts = [c.text for c in row.cells if c.text]
        if not _fragment_row(row) or any(role_of(x) or YEAR_TOKEN.search(x) for x in texts):
            return False
    return _rows_alike(prev.body[-1], t.rows[t.header_rows])


def _repeated_header(prev: Table, t: Table) -> bool:
    """The header rows printed again at the top of the next page (word processors repeat them)."""
    if not t.header_rows or t.header_rows > prev.header_rows or len(t.rows) <= t.header_rows:
        return False
    def texts(rows):
        return [[normalise(c.text) for c in r.cells if c.text] for r in rows]
    return texts(t.header) == texts(prev.rows[: t.header_rows])


def _merge_continuations(lines: list[str], tables: list[Table], furniture: set[int]) -> list[Table]:
    tables.sort(key=lambda t: t.line_start)
    merged: list[Table] = []
    for t in tables:
        prev = merged[-1] if merged else None
        furniture_between = sum(1 for k in range(prev.line_end, t.line_start - 1) if k in furniture) if prev else 0
        if prev and prev.encoding == t.encoding and t.line_start - prev.line_end - furniture_between <= CONTINUATION_GAP:
            gap_is_furniture = all(k in furniture or _is_furniture(clean_cell(lines[k]))
                                   for k in range(prev.line_end, t.line_start - 1))
            blank_header = t.rows and not any(c.text for c in t.rows[0].cells)
            same_shape = abs(t.width - prev.width) <= 2
            first_is_data = t.header_rows == 0
            # a header printed again only follows a known page break (a form feed's furniture):
            # elsewhere two tables with one header (a PK per official) are two tables
            gap = range(prev.line_end, t.line_start - 1)
            page_break = any(k in furniture for k in gap) and all(k in furniture or not lines[k].strip() for k in gap)
            repeated = page_break and _repeated_header(prev, t)
            if gap_is_furniture and same_shape and (first_is_data or blank_header or repeated or _fragment_header(prev, t)):
                body = t.rows[1:] if blank_header else t.rows[t.header_rows:] if repeated else t.rows
                # rows that only carry the cut-off tail of the previous row's cells
                while body and _fragment_row(body[0]) and prev.body:
                    last = prev.rows[-1]
                    for k, c in enumerate(body[0].cells):
                        if c.text and k < len(last.cells):
                            last.cells[k].text = (last.cells[k].text + " " + c.text).strip()
                        elif c.text:
                            last.cells.append(c)
                    body = body[1:]
                prev.rows.extend(body)
                prev.line_end = t.line_end
                prev.notes.append(f"continued after a page break at line {t.line_start}")
                continue
        merged.append(t)
    return merged


def split_sentences(lines: list[str], table_lines: set[int], sections: list[str]) -> list[Sentence]:
    out: list[Sentence] = []
    for i, line in enumerate(lines):
        if i in table_lines:
            continue
        text = clean_cell(line).strip("-•➤❖✓ ")
        if len(text) < 12 or not re.search(r"\d", text):
            continue
        # split on sentence ends that are not decimal points or abbreviations
        for part in re.split(r"(?<=[a-z%)\]])\.\s+(?=[A-Z])", text):
            if re.search(r"\d", part):
                out.append(Sentence(part.strip(), i + 1, sections[i]))
    return out


def segment(lines: list[str]) -> Document:
    taken: set[int] = set()
    tables: list[Table] = []
    furniture = furniture_lines(lines)  # found once: the aligned finder and the page-break joins both step over it
    for finder in (find_html_tables, find_pipe_tables, find_tsv_tables, find_flat_tables):
        tables.extend(finder(lines, taken))
    tables.extend(find_aligned_tables(lines, taken, furniture))
    for t in tables:
        t.header_rows = count_header_rows(t)
        if t.encoding == "flat":
            normalise_flat(t)
    tables = _merge_continuations(lines, tables, furniture)
    table_lines = {k for t in tables for k in range(t.line_start - 1, t.line_end)}
    sections = assign_sections(lines)
    for t in tables:
        _captions(lines, t, table_lines)
        t.section = sections[t.line_start - 1]
    sentences = split_sentences(lines, table_lines, sections)
    return Document(lines, sections, tables, table_lines, sentences)


__all__ = ["Document", "segment", "try_parse"]
