"""Tables drawn with tabs: tab-separated rows, and rows flattened to one cell per line.

Tab-separated (TSV): every row is one line, cells split on '\\t'.

Flattened (one cell per line, the Tanjung Jabung Barat style): each cell is a line starting
with a single tab; a row is a run of such lines, ended by a blank line; an untabbed line
continues the cell above it (PDF line wraps such as "PAGU" / "(Rp)").
"""

from __future__ import annotations

import re

from pipeline.parsed.model import Cell, Row, Table, clean_cell

FLAT_CELL = re.compile(r"^ ?\t(?!.*\t)")  # exactly one (leading) tab
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


def find_flat_tables(lines: list[str], taken: set[int]) -> list[Table]:
    tables: list[Table] = []
    n = len(lines)
    i = 0
    while i < n:
        if i in taken or not is_flat_line(lines[i]) or _looks_like_prose(lines[i]):
            i += 1
            continue
        start = i
        rows: list[Row] = []
        current: list[Cell] = []
        last_cell_line = i
        while i < n and i not in taken:
            line = lines[i]
            if is_flat_line(line):
                if _looks_like_prose(line) and (rows or current):
                    break
                text = clean_cell(line)
                if current and i > 0 and not lines[i - 1].strip():
                    # a tab line right after a blank line starts a new row
                    rows.append(Row(current, current[0].line))
                    current = []
                current.append(Cell(text, i + 1))
                last_cell_line = i
                i += 1
                continue
            if not line.strip():
                i += 1
                if i - last_cell_line > 6:  # a long gap ends the table
                    break
                continue
            # untabbed text: continuation of the cell above, unless it reads as prose
            if _looks_like_prose(line) or i - last_cell_line > 6 or not current:
                break
            prev = current[-1]
            current[-1] = Cell((prev.text + " " + clean_cell(line)).strip(), prev.line if prev.text else i + 1)
            last_cell_line = i
            i += 1
        if current:
            rows.append(Row(current, current[0].line))
        rows = [r for r in rows if any(c.text for c in r.cells)] if len(rows) > 1 else rows
        if len(rows) >= 3:
            end = max(c.line for r in rows for c in r.cells)
            tables.append(Table("flat", start + 1, end, rows))
            taken.update(range(start, end))
            i = max(i, end)
        else:
            i = max(i, start + 1)
    return tables
