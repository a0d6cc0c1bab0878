"""Tables drawn with tabs: tab-separated rows, and rows flattened to one cell per line.

Tab-separated (TSV): every row is one line, cells split on '\\t'.

Flattened (one cell per line, the Tanjung Jabung Barat style): each cell is a line starting
with a single tab; a row is a run of such lines, ended by a blank line; an untabbed line
continues the cell above it (PDF line wraps such as "PAGU" / "(Rp)").
"""

from __future__ import annotations

import re

from pipeline.knowledge import pattern
from pipeline.parsed.model import Cell, Row, Table, clean_cell

FLAT_CELL = re.compile(r"^ ?\t(?!.*\t)")  # exactly one (leading) tab
GAP = re.compile(r"\s{2,}")
MAX_CELL_LEN = 120  # a longer line is a paragraph, not a table cell
MAX_FLAT_CELLS = 24
MAX_CONTINUATION_GAP = 3  # lines from the last cell to a less-indented line that continues it  # cells in one flattened row
PROSE_END = re.compile(r"(sebagai berikut|berikut ini|antara lain|yaitu)\s*:?\s*$|[.:;]\s*$", re.I)


def is_tsv_line(line: str) -> bool:
    if "\t" not in line or FLAT_CELL.match(line):
        return False
    cells = line.split("\t")
    return len(cells) >= 2 and any(c.strip() for c in cells)


def is_flat_line(line: str) -> bool:
    return bool(FLAT_CELL.match(line))


def _looks_like_prose(text: str) -> bool:
    t = clean_cell(text)
    return len(t) > 90 and bool(PROSE_END.search(t))


def find_tsv_tables(lines: list[str], taken: set[int]) -> list[Table]:
    tables: list[Table] = []
    i = 0
    n = len(lines)
    while i < n:
        if i in taken or not is_tsv_line(lines[i]):
            i += 1
            continue
        start = i
        rows: list[Row] = []
        while i < n and i not in taken and is_tsv_line(lines[i]):
            cells = [Cell(clean_cell(c), i + 1) for c in lines[i].split("\t")]
            rows.append(Row(cells, i + 1))
            i += 1
        # a one-line "table" is usually a tabbed heading ("Misi 3\t: ..."), keep only real grids
        if len(rows) >= 2 or (len(rows) == 1 and sum(1 for c in rows[0].cells if c.text) >= 3):
            tables.append(Table("tsv", start + 1, i, rows))
            taken.update(range(start, i))
    return tables


def _indent(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def find_flat_tables(lines: list[str], taken: set[int]) -> list[Table]:
    """Tables flattened to one cell per line, whatever indents the cells: a single tab (the
    classic converter output), spaces, or nothing at all. Rows are separated by blank lines.
    Where cells are indented, a line indented less continues the cell above (a wrapped label);
    where they are not, every line is a cell."""
    tables = _find_flat(lines, taken, tabbed=True)
    tables += _find_flat(lines, taken, tabbed=False)
    return tables


def _find_flat(lines: list[str], taken: set[int], tabbed: bool) -> list[Table]:
    tables: list[Table] = []
    n = len(lines)
    i = 0
    while i < n:
        if tabbed:
            starts = is_flat_line(lines[i])
        else:  # a paragraph of short lines, none of them tabbed
            starts = (lines[i].strip() and "\t" not in lines[i] and (i == 0 or _paragraph_ends(lines[i - 1]))
                      and len(lines[i].strip()) <= MAX_CELL_LEN and len(GAP.split(lines[i].strip())) <= 2)
        if i in taken or not starts or _looks_like_prose(lines[i]):
            i += 1
            continue
        cell_indent = _indent(lines[i])

        def is_cell(line: str) -> bool:
            if tabbed:
                return is_flat_line(line)
            # a line of three or more space-separated pieces is a row of an aligned table
            return bool(line.strip()) and "\t" not in line and _indent(line) >= cell_indent \
                and len(line.strip()) <= MAX_CELL_LEN and len(GAP.split(line.strip())) <= 2

        start = i
        rows: list[Row] = []
        current: list[Cell] = []
        last_cell_line = i
        while i < n and i not in taken:
            line = lines[i]
            if is_cell(line):
                if _looks_like_prose(line) and (rows or current):
                    break
                text = clean_cell(line)
                if current and i > 0 and not lines[i - 1].strip():
                    # a cell right after a blank line starts a new row
                    rows.append(Row(current, current[0].line))
                    current = []
                current.append(Cell(text, i + 1))
                last_cell_line = i
                i += 1
                continue
            if not line.strip():
                i += 1
                if i - last_cell_line > (6 if tabbed else 3):  # a long gap ends the table
                    break
                continue
            # less indented text: continuation of the cell above, unless it reads as prose
            # (converters leave up to two blank lines inside a merged cell; after more, text
            # that is not a cell is a heading below the table)
            if _looks_like_prose(line) or i - last_cell_line > MAX_CONTINUATION_GAP or not current \
                    or "\t" in line and not tabbed:
                break
            if not tabbed and len(line.strip()) > MAX_CELL_LEN and not lines[i - 1].strip():
                break  # without indentation a line too long for a cell, after a blank line, is the prose below the run
            if pattern("table_end").match(line.strip()) or PLAIN_NUMBER.fullmatch(current[-1].text) and lines[i - 1].strip() == "":
                break  # a heading below the table, or words after a blank line under a figure: no wrapped label
            prev = current[-1]
            current[-1] = Cell((prev.text + " " + clean_cell(line)).strip(), prev.line if prev.text else i + 1)
            last_cell_line = i
            i += 1
        if current:
            rows.append(Row(current, current[0].line))
        rows = [r for r in rows if any(c.text for c in r.cells)] if len(rows) > 1 else rows
        cut = False
        if not tabbed:
            rows = _without_caption(rows)
            if rows:
                start = rows[0].line - 1
            kept = _before_next_heading(rows)
            cut, rows = len(kept) < len(rows), kept
        if len(rows) >= 3 and (tabbed or _plain_grid(rows)) or not tabbed and _header_and_row(rows):
            end = max(c.line for r in rows for c in r.cells)
            tables.append(Table("flat", start + 1, end, rows))
            taken.update(range(start, end))
            i = end if cut else max(i, end)  # after a cut, the text below may hold the next table
        elif tabbed:
            i = max(i, start + 1)
        else:
            i = max(i, start + 1, last_cell_line + 1)  # no table starts inside a run that is not one
    return tables


def _without_caption(rows: list[Row]) -> list[Row]:
    """Without indentation a caption paragraph above the table looks like one more header
    row; one that names a table or a year ("Realisasi Program ... Tahun 2019") is the caption."""
    from pipeline.parsed.headers import is_numeric_cell

    first_value = next((k for k, r in enumerate(rows) if any(is_numeric_cell(c.text) for c in r.cells)), 0)
    k = 0
    while k < first_value - 1 and any(pattern("caption_words").search(c.text) for c in rows[k].cells):
        k += 1
    return rows[k:]


def _before_next_heading(rows: list[Row]) -> list[Row]:
    """Without indentation nothing but the blank lines marks a row; a row holding a source note,
    a table title or a chapter heading (vocabulary `table_end`) is no row: the table ended above
    it. (A lettered heading "C. ..." alone is not enough: budget rows are lettered too.)"""
    from pipeline.parsed.headers import is_numeric_cell

    first_value = next((k for k, r in enumerate(rows) if any(is_numeric_cell(c.text) for c in r.cells)), None)
    if first_value is None:
        return rows
    for k in range(first_value + 1, len(rows)):
        if any(pattern("table_end").match(c.text) for c in rows[k].cells):  # "C. Realisasi Anggaran" / "Tabel 3.3 ..."
            return rows[:k]
    return rows


def _header_and_row(rows: list[Row]) -> bool:
    """A one-row table ("Uraian | Anggaran (Rp) | Realisasi (Rp) | %" over one line of
    figures): a header of three or more words over a row of as many cells, most of them numbers."""
    if len(rows) != 2:
        return False
    head, body = rows
    numbers = sum(bool(PLAIN_NUMBER.fullmatch(c.text)) for c in body.cells)
    return len(head.cells) >= 3 and len(head.cells) == len(body.cells) and numbers >= 2 and numbers >= len(body.cells) - 1 \
        and not any(re.search(r"\d", c.text) for c in head.cells if not re.search(r"\b(19|20)\d\d\b", c.text))


PLAIN_NUMBER = re.compile(r"(rp\.?\s*)?-?\d[\d.,]*\s*(%|,-)?", re.I)


def _paragraph_ends(line: str) -> bool:
    """A table may start right under a blank line, or right under a paragraph of prose (its
    lead-in sentence) when the converter left no blank line between them."""
    return not line.strip() or len(line.strip()) > MAX_CELL_LEN or _looks_like_prose(line)


def _plain_grid(rows: list[Row]) -> bool:
    """Untabbed one-cell-per-line text is a table only when it reads like one: most rows hold a
    number cell, several rows have more than one cell, and the cells are short."""
    from statistics import median

    from pipeline.parsed.headers import is_numeric_cell

    body = rows[1:]
    with_number = sum(any(is_numeric_cell(c.text) for c in r.cells) for r in body)
    multi = sum(len(r.cells) >= 2 for r in rows)
    lengths = [len(c.text) for r in rows for c in r.cells]
    return (with_number >= max(2, 0.5 * len(body)) and multi >= 2 and median(lengths) <= 40
            and max(len(r.cells) for r in rows) <= MAX_FLAT_CELLS)
