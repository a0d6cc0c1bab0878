"""Tables printed as space-aligned columns (what `pdftotext -layout` and many PDF-to-text
converters produce, and how this pipeline writes borderless PDF tables).

A line is cut into *chunks* wherever two or more spaces separate text. A block of consecutive
lines in which several lines have two or more chunks, and numbers in some of them, is a table.
Column boundaries come from the white space that the block's value rows share (the gaps in the
union of their chunks' spans), never from a fixed separator; every chunk of every line then
falls into the column it overlaps (the leftmost one when a group header spans several).

Labels wrapped over several lines: a line below the first value row that has no number is the
continuation of a neighbouring row — the next row when that row has no label of its own (the
label was printed above its numbers), otherwise the row above (a top-aligned cell wrapping
down). Above the first value row, each line is a header row; parsed.headers stacks them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.parsed.headers import is_numeric_cell
from pipeline.parsed.model import Cell, Row, Table, clean_cell

CHUNK = re.compile(r"\S+(?: \S+)*")
MAX_BLANKS_INSIDE = 1  # a single blank line may separate rows; two end the table
MAX_CONTINUATION_LEN = 90  # a longer single-chunk line is prose, not a wrapped label
LIST_MARKER = re.compile(r"^(\d{1,2}|[a-z]|[ivx]{1,4})[.)]$", re.I)


@dataclass
class Chunk:
    start: int
    end: int
    text: str


def chunks(line: str) -> list[Chunk]:
    return [Chunk(m.start(), m.end(), m.group()) for m in CHUNK.finditer(line)]


def _numeric(c: Chunk) -> bool:
    return is_numeric_cell(c.text) and not LIST_MARKER.match(c.text)


def _candidate(line: str) -> bool:
    """Lines other encodings own (tabs, pipes, HTML) are never part of an aligned table."""
    return "\t" not in line and not line.lstrip().startswith("|") and "<t" not in line.lower()


def _aligned_with(line: list[Chunk], spans: list[tuple[int, int]]) -> bool:
    """Most of the line's cells start or end where cells above it start or end (±1)."""
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    hits = sum(any(abs(c.start - s) <= 1 for s in starts) or any(abs(c.end - e) <= 1 for e in ends) for c in line)
    return hits >= 0.5 * len(line)


def _blocks(lines: list[str], taken: set[int]) -> list[tuple[int, int]]:
    """(first, last) 0-based line spans of runs that may be tables."""
    spans = []
    i, n = 0, len(lines)
    while i < n:
        ch = chunks(lines[i]) if i not in taken and _candidate(lines[i]) else []
        if len(ch) < 2:
            i += 1
            continue
        start = last_multi = i
        spans = [(x.start, x.end) for x in ch]
        j = i + 1
        blanks = 0
        while j < n and j not in taken and _candidate(lines[j]):
            text = lines[j]
            if text.startswith("\f"):
                break  # a new page: parsed.segment re-joins the pieces
            if not text.strip():
                blanks += 1
                if blanks > MAX_BLANKS_INSIDE:
                    break
                j += 1
                continue
            c = chunks(text)
            if len(c) >= 2:
                if blanks and not _aligned_with(c, spans):
                    break  # after a blank line, columns in other places: another table
                spans += [(x.start, x.end) for x in c]
                last_multi = j
            elif len(c[0].text) > MAX_CONTINUATION_LEN or j - last_multi > 2:
                break
            blanks = 0
            j += 1
        spans.append((start, last_multi))
        i = last_multi + 1
    return spans


def _columns(body: list[list[Chunk]]) -> list[tuple[int, int]]:
    return _merge_spans(sorted((c.start, c.end) for line in body for c in line))


def _header_only_columns(parsed: list[tuple[int, list[Chunk]]], valued: list[list[Chunk]],
                         cols: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A header cell above a column that is empty in every value row (an unused "(%)" column)
    still names a column: without it, the header cells after it would shift one to the left."""
    first_value = next(k for k, c in parsed if c in valued)
    extra = []
    for k, line_chunks in parsed:
        if k >= first_value:
            break
        for c in line_chunks:
            if not any(min(e, c.end) - max(s, c.start) > 0 for s, e in cols):
                extra.append((c.start, c.end))
    if not extra:
        return cols
    return _merge_spans(sorted(cols + extra))


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1] + 2:  # closer than two spaces: the same column
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _column_of(c: Chunk, cols: list[tuple[int, int]]) -> int:
    overlapping = [k for k, (s, e) in enumerate(cols) if min(e, c.end) - max(s, c.start) > 0]
    if overlapping:
        return overlapping[0]
    centre = (c.start + c.end) / 2
    return min(range(len(cols)), key=lambda k: abs((cols[k][0] + cols[k][1]) / 2 - centre))


def _label_column(valued: list[list[Chunk]], cols: list[tuple[int, int]]) -> int:
    """The column where most value rows carry text (the row label)."""
    votes = [0] * len(cols)
    for line in valued:
        for c in line:
            if not _numeric(c) and not LIST_MARKER.match(c.text):
                votes[_column_of(c, cols)] += 1
    return max(range(len(cols)), key=lambda k: (votes[k], -k))


def _table(lines: list[str], first: int, last: int) -> Table | None:
    parsed = [(k, chunks(lines[k])) for k in range(first, last + 1) if lines[k].strip()]
    multi = [c for _, c in parsed if len(c) >= 2]
    valued = [c for c in multi if any(_numeric(x) for x in c[1:])]
    if len(multi) < 2 or len(valued) < 2:
        return None
    cols = _columns(valued)
    if len(cols) < 2:
        return None
    cols = _header_only_columns(parsed, valued, cols)
    label_col = _label_column(valued, cols)
    rows: list[Row] = []
    seen_value = False
    pending: list[tuple[int, list[Chunk]]] = []  # label-only lines waiting for their row

    def make_row(k: int, line_chunks: list[Chunk]) -> Row:
        cells = [Cell("", k + 1) for _ in cols]
        for c in line_chunks:
            col = _column_of(c, cols)
            cells[col] = Cell((cells[col].text + " " + clean_cell(c.text)).strip(), cells[col].line if cells[col].text else k + 1)
        return Row(cells, k + 1)

    def add_to(row: Row, k: int, line_chunks: list[Chunk], before: bool) -> None:
        extra = make_row(k, line_chunks)
        for col, c in enumerate(extra.cells):
            if c.text:
                old = row.cells[col].text
                row.cells[col].text = f"{c.text} {old}".strip() if before else f"{old} {c.text}".strip()

    for k, line_chunks in parsed:
        has_value = any(_numeric(x) for x in line_chunks)
        if not seen_value and not has_value:
            rows.append(make_row(k, line_chunks))
            continue
        if has_value:
            row = make_row(k, line_chunks)
            label_empty = not row.cells[label_col].text
            for pk, pc in pending:
                if label_empty or not rows or not seen_value:
                    add_to(row, pk, pc, before=True)
                    row.line = min(row.line, pk + 1)
                else:
                    add_to(rows[-1], pk, pc, before=False)
            pending = []
            rows.append(row)
            seen_value = True
            continue
        pending.append((k, line_chunks))
    for pk, pc in pending:
        add_to(rows[-1], pk, pc, before=False)
    end = max(k for k, _ in parsed)
    return Table("aligned", first + 1, end + 1, rows)


def find_aligned_tables(lines: list[str], taken: set[int]) -> list[Table]:
    tables: list[Table] = []
    for first, last in _blocks(lines, taken):
        t = _table(lines, first, last)
        if t is not None:
            tables.append(t)
            taken.update(range(t.line_start - 1, t.line_end))
    return tables
