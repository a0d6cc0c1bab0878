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

from pipeline.parsed.furniture import furniture_lines
from pipeline.parsed.headers import is_numeric_cell
from pipeline.parsed.model import Cell, Row, Table, clean_cell, join_wrapped

CHUNK = re.compile(r"\S+(?: \S+)*")
MAX_BLANKS_INSIDE = 1  # a single blank line may separate rows; two end the table
MAX_CONTINUATION_LEN = 90  # a longer single-chunk line is prose, not a wrapped label
MAX_PAGE_GAP = 12  # lines a page break may take (footer, page number, form feed, running header)
MAX_WRAPPED_LINES = 8
PROSE_WORDS = 8  # a one-cell line of more words after a blank line is a paragraph, not a wrapped label
SHORT_CELL = 40  # a one-cell line this short, inside the table's width, is a piece of a cell
RECENT_ROWS = 4  # rows above a blank line or page break that the next row must line up with  # a label wrapped over more lines than this is not a table cell
# a line right below the last row continues its label when it reads as the rest of a phrase
# (lower case, or a unit in brackets); "Sumber: ..." or a new heading does not
WRAP_TAIL = re.compile(r"^[a-z(]")
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
    """All of the line's cells but one start or end where cells above it start or end (±1):
    the columns of one table line up (left- or right-aligned); another table's do not."""
    starts = {s for s, _ in spans}
    ends = {e for _, e in spans}
    hits = sum(any(abs(c.start - s) <= 1 for s in starts) or any(abs(c.end - e) <= 1 for e in ends) for c in line)
    return hits >= max(len(line) - 1, 0.6 * len(line))


def _in_a_column(c: Chunk, spans: list[tuple[int, int]]) -> bool:
    """A one-cell line belongs to the block when it starts or ends where a column does, or
    sits inside one (a "(%)" centred under "Capaian")."""
    return any(abs(c.start - s) <= 1 or abs(c.end - e) <= 1 or (s <= c.start and c.end <= e + 1) for s, e in spans)


def _inside_columns(c: Chunk, seen: list[tuple[int, int]]) -> bool:
    """A line of one cell continues the table when it sits in a column, or — a short piece of
    a centred header or label — sits indented within the table's width."""
    if _in_a_column(c, seen):
        return True
    left, right = min(s for s, _ in seen), max(e for _, e in seen)
    return len(c.text) <= SHORT_CELL and left < c.start and c.end <= right + 2


def _page_gaps(lines: list[str], furniture: set[int]) -> set[int]:
    """Blank lines that belong to a page break (next to furniture, through other blanks)."""
    gap: set[int] = set()
    for f in furniture:
        for step in (-1, 1):
            k = f + step
            while 0 <= k < len(lines) and (not lines[k].strip() or k in furniture):
                gap.add(k)
                k += step
    return gap - furniture


def _blocks(lines: list[str], taken: set[int], furniture: set[int]) -> list[tuple[int, int]]:
    """(first, last) 0-based line spans of runs that may be tables. A page break (form feed,
    running header, page number) inside a run does not end it when the rows after it line up
    with the rows before."""
    spans = []
    page_gap = _page_gaps(lines, furniture)
    i, n = 0, len(lines)
    while i < n:
        ch = chunks(lines[i]) if i not in taken and _candidate(lines[i]) else []
        if len(ch) < 2:
            i += 1
            continue
        start = last_multi = tail = i
        seen = [(x.start, x.end) for x in ch]
        recent_rows = [list(seen)]  # the cells of the last rows, to tell a new table from a row after a blank
        recent = list(seen)
        j = i + 1
        blanks = 0
        while j < n and j not in taken and _candidate(lines[j]):
            text = lines[j]
            if j in furniture or j in page_gap:
                blanks = 1  # what follows must line up with the rows above
                j += 1
                if j - last_multi > MAX_PAGE_GAP:
                    break
                continue
            if "\f" in text:
                break  # a new page starting with text of its own
            if not text.strip():
                blanks += 1
                if blanks > MAX_BLANKS_INSIDE:
                    break
                j += 1
                continue
            c = chunks(text)
            if len(c) >= 2:
                if blanks and not _aligned_with(c, recent):
                    break  # after a blank line, columns in other places: another table
                seen += [(x.start, x.end) for x in c]
                recent_rows = [[(x.start, x.end) for x in c], *recent_rows[:RECENT_ROWS - 1]]
                recent = [span for row in recent_rows for span in row]
                last_multi = j
            elif len(c[0].text) > MAX_CONTINUATION_LEN or j - last_multi > MAX_WRAPPED_LINES \
                    or not _inside_columns(c[0], seen) or blanks and len(c[0].text.split()) > PROSE_WORDS:
                break  # prose (a sentence below a blank line), or text that does not sit in the table's columns
            elif blanks == 0 and tail == j - 1 and WRAP_TAIL.match(c[0].text):
                tail = j  # the last row's label wrapped onto this line
            blanks = 0
            if len(c) >= 2:
                tail = j
            j += 1
        spans.append((start, tail))
        i = tail + 1
    return spans


def _columns(body: list[list[Chunk]]) -> list[tuple[int, int]]:
    """Column spans: runs of character positions that the value rows' cells occupy, split
    wherever (nearly) every value row has white space. Converters that position text by its x
    coordinate jitter by a character, and a row here or there lets a long label spill into the
    next column: up to one row in ten may cross a boundary."""
    width = max(c.end for line in body for c in line)
    occupied = [0] * (width + 1)
    for line in body:
        for c in line:
            for x in range(c.start, c.end):
                occupied[x] += 1
    allowed = len(body) // 10
    spans: list[tuple[int, int]] = []
    start = None
    for x in range(width + 1):
        if occupied[x] > allowed and start is None:
            start = x
        elif occupied[x] <= allowed and start is not None:
            spans.append((start, x))
            start = None
    # a column that few rows fill (a remark here and there) is still a column
    sparse = [(c.start, c.end) for line in body for c in line
              if not any(min(e, c.end) - max(s, c.start) > 0 for s, e in spans)]
    return _merge_spans(sorted(spans + sparse), gap=1) if sparse else spans


def _merge_spans(spans: list[tuple[int, int]], gap: int = 2) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1] + gap:  # closer than `gap` spaces: the same column
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


@dataclass
class Column:
    start: int
    end: int
    align: str  # right | left | mixed: how the value rows' cells sit in it


def _alignment(cells: list[Chunk]) -> str:
    if not cells:
        return "mixed"
    ends = max(sum(abs(c.end - d.end) <= 1 for d in cells) for c in cells)
    starts = max(sum(abs(c.start - d.start) <= 1 for d in cells) for c in cells)
    if ends >= 0.7 * len(cells) and ends >= starts:
        return "right"
    return "left" if starts >= 0.7 * len(cells) else "mixed"


def _describe(spans: list[tuple[int, int]], valued: list[list[Chunk]]) -> list[Column]:
    cols = []
    for s, e in spans:
        cells = [c for line in valued for c in line if min(e, c.end) - max(s, c.start) > 0]
        cols.append(Column(s, e, _alignment(cells)))
    return cols


def _column_of(c: Chunk, cols: list[Column]) -> int | None:
    """The column a chunk belongs to: the leftmost it overlaps (a group header spanning
    several columns belongs to the first, as in a colspan). Text in the white space between
    two columns (a header over right-aligned numbers, a jittered cell) belongs to the column
    whose values are aligned towards it; None when no column claims it (a header over a column
    every value row leaves empty)."""
    for k, col in enumerate(cols):
        if min(col.end, c.end) - max(col.start, c.start) > 0:
            return k
    after = next((k for k, col in enumerate(cols) if col.start >= c.end), None)
    before = after - 1 if after is not None else len(cols) - 1
    if after is not None and cols[after].align == "right":
        return after
    if before >= 0 and cols[before].align == "left":
        return before
    if after is not None and before >= 0:
        gap = cols[after].start - cols[before].end
        if gap > (c.end - c.start) + 4:
            return None  # room for a column of its own
        return after if cols[after].start - c.end < c.start - cols[before].end else before
    return None if after is None and c.start - cols[before].end > 4 else (after if after is not None else before)


def _with_header_columns(parsed: list[tuple[int, list[Chunk]]], first_value: int, cols: list[Column]) -> list[Column]:
    """A header cell above a column that every value row leaves empty (an unused "(%)"
    column) still names a column: without it, the header cells after it would shift left."""
    extra = [Column(c.start, c.end, "mixed") for k, line in parsed if k < first_value
             for c in line if _column_of(c, cols) is None]
    if not extra:
        return cols
    merged: list[Column] = []
    for col in sorted(cols + extra, key=lambda x: x.start):
        if merged and merged[-1].align == "mixed" and col.align == "mixed" and col.start < merged[-1].end + 2:
            merged[-1].end = max(merged[-1].end, col.end)
        else:
            merged.append(col)
    return merged


INDEX_CHUNK = re.compile(r"^\(?\d{1,2}\)?$")


def _index_line(line: list[Chunk]) -> bool:
    """The column-number row under a header ("1  2  3  4" or "(1) (2) (3)")."""
    return len(line) >= 3 and all(INDEX_CHUNK.match(c.text) for c in line)


def _vertically_centred(parsed: list[tuple[int, list[Chunk]]], kinds: list[str], cols: list[Column]) -> bool:
    """Cells centred vertically (common in word-processor tables, and so in pdftotext output):
    a text column is empty on a row's value line yet has text on the lines right above and
    right below it. With top-aligned cells that cannot happen: a cell's first line is on its
    row's line, so text below an empty cell would be a continuation of nothing."""
    def text_columns(line: list[Chunk]) -> set[int]:
        return {_column_of(c, cols) for c in line if not _numeric(c)} - {None}

    votes = 0
    for i in range(1, len(parsed) - 1):
        if kinds[i] != "value" or kinds[i - 1] != "text" or kinds[i + 1] != "text":
            continue
        here = text_columns(parsed[i][1])
        above, below = text_columns(parsed[i - 1][1]), text_columns(parsed[i + 1][1])
        votes += bool((above & below) - here)
    return votes >= 2


def _table(lines: list[str], first: int, last: int, furniture: set[int]) -> Table | None:
    parsed = [(k, chunks(lines[k])) for k in range(first, last + 1) if lines[k].strip() and k not in furniture]
    multi = [c for _, c in parsed if len(c) >= 2]
    valued = [c for c in multi if any(_numeric(x) for x in c[1:])]
    if len(multi) < 2 or len(valued) < 2:
        return None
    spans = _columns(valued)
    if len(spans) < 2:
        return None
    first_value = next(k for k, c in parsed if c in valued)
    cols = _with_header_columns(parsed, first_value, _describe(spans, valued))
    rows: list[Row] = []
    seen_value = False
    pending: list[tuple[int, list[Chunk]]] = []  # label-only lines waiting for their row

    def pending_is_head(idx: int) -> bool:
        """Above the first value row of a centred table, the lines after the last header
        line (the column-number row "1 2 3 ...", when there is one) start that row."""
        index_at = max((i for i in range(idx) if _index_line(parsed[i][1])), default=None)
        return index_at is not None

    def make_row(k: int, line_chunks: list[Chunk]) -> Row:
        cells = [Cell("", k + 1) for _ in cols]
        for c in line_chunks:
            col = _column_of(c, cols)
            if col is None:  # only header lines can hold such text, and they made it a column
                col = min(range(len(cols)), key=lambda k: abs(cols[k].start - c.start))
            cells[col] = Cell((cells[col].text + " " + clean_cell(c.text)).strip(), cells[col].line if cells[col].text else k + 1)
        return Row(cells, k + 1)

    def add_to(row: Row, k: int, line_chunks: list[Chunk], before: bool) -> None:
        extra = make_row(k, line_chunks)
        for col, c in enumerate(extra.cells):
            if c.text:
                old = row.cells[col].text
                row.cells[col].text = join_wrapped(c.text, old) if before else join_wrapped(old, c.text)

    kinds = ["value" if any(_numeric(x) for x in c) and not _index_line(c) else "text" for _, c in parsed]
    centred = _vertically_centred(parsed, kinds, cols)
    header_texts: list[list[str]] = []
    for idx, (k, line_chunks) in enumerate(parsed):
        has_value = kinds[idx] == "value"
        if not seen_value and not has_value:
            if centred and pending_is_head(idx):
                pending.append((k, line_chunks))
            else:
                rows.append(make_row(k, line_chunks))
                header_texts.append([x.text for x in line_chunks])
            continue
        if seen_value and [x.text for x in line_chunks] in header_texts:
            continue  # the header printed again at the top of the next page
        if has_value:
            row = make_row(k, line_chunks)
            # the label was printed above its numbers only when the row has no text of its own;
            # in a table whose cells are centred vertically, the lines between two rows are
            # shared: the upper half ends the row above, the lower half starts this one
            label_empty = not any(c.text and not is_numeric_cell(c.text) for c in row.cells)
            n_above = len(pending) // 2 if centred and seen_value else 0 if centred else len(pending)
            for n, (pk, pc) in enumerate(pending):
                if not centred and (label_empty or not rows or not seen_value) or centred and n >= n_above:
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


def find_aligned_tables(lines: list[str], taken: set[int], furniture: set[int] | None = None) -> list[Table]:
    tables: list[Table] = []
    furniture = furniture_lines(lines) if furniture is None else furniture
    for first, last in _blocks(lines, taken, furniture):
        t = _table(lines, first, last, furniture)
        if t is not None:
            tables.append(t)
            taken.update(range(t.line_start - 1, t.line_end))
    return tables
