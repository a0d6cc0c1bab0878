"""Tables drawn with markup: markdown pipe tables and HTML <table> fragments."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from pipeline.parsed.model import Cell, Row, Table, clean_cell

PIPE_LINE = re.compile(r"^\s*\|.*\|\s*$")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$")


def _split_pipe(line: str) -> list[str]:
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|"):
        body = body[:-1]
    # '\|' is an escaped pipe inside a cell
    parts = re.split(r"(?<!\\)\|", body)
    return [p.replace("\\|", "|") for p in parts]


def find_pipe_tables(lines: list[str], taken: set[int]) -> list[Table]:
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        if i in taken or not PIPE_LINE.match(lines[i]):
            i += 1
            continue
        start = i
        rows: list[Row] = []
        while i < n and i not in taken and PIPE_LINE.match(lines[i]):
            if not PIPE_SEPARATOR.match(lines[i]):
                rows.append(Row([Cell(clean_cell(c), i + 1) for c in _split_pipe(lines[i])], i + 1))
            i += 1
        if rows:
            tables.append(Table("pipe", start + 1, i, rows))
            taken.update(range(start, i))
    return tables


class _HTMLTableParser(HTMLParser):
    """Collects rows of cells (with colspan/rowspan expanded) and the line of each cell."""

    def __init__(self, line_offset: int):
        super().__init__(convert_charrefs=True)
        self._line_offset = line_offset
        self.rows: list[list[tuple[str, int, int, int]]] = []  # (text, line, colspan, rowspan)
        self._cell: list[str] | None = None
        self._cell_line = 0
        self._span = (1, 1)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table":
            self._depth += 1
        elif tag == "tr" and self._depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self._depth == 1:
            if not self.rows:
                self.rows.append([])
            self._cell = []
            self._cell_line = self._line_offset + self.getpos()[0]
            self._span = (int(a.get("colspan") or 1), int(a.get("rowspan") or 1))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append((clean_cell("".join(self._cell)), self._cell_line, *self._span))
            self._cell = None
        elif tag == "table":
            self._depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _expand_spans(raw_rows: list[list[tuple[str, int, int, int]]]) -> list[Row]:
    grid: list[list[Cell | None]] = []
    pending: dict[tuple[int, int], Cell] = {}
    for r, cells in enumerate(raw_rows):
        row: list[Cell | None] = []
        col = 0
        for text, line, colspan, rowspan in cells:
            while (r, col) in pending:
                row.append(pending.pop((r, col)))
                col += 1
            row.append(Cell(text, line))
            for k in range(1, colspan):
                row.append(Cell("", line))
            for dr in range(1, rowspan):
                for k in range(colspan):
                    pending[(r + dr, col + k)] = Cell("", line)
            col += colspan
        while (r, col) in pending:
            row.append(pending.pop((r, col)))
            col += 1
        grid.append(row)
    rows = []
    for cells in grid:
        real = [c for c in cells if c is not None]
        if real:
            rows.append(Row(real, min(c.line for c in real)))
    return rows


def find_html_tables(lines: list[str], taken: set[int]) -> list[Table]:
    tables: list[Table] = []
    i, n = 0, len(lines)
    while i < n:
        if i in taken or "<table" not in lines[i].lower():
            i += 1
            continue
        start = i
        depth = 0
        j = i
        while j < n:
            low = lines[j].lower()
            depth += low.count("<table") - low.count("</table")
            if depth <= 0 and "</table" in low:
                break
            j += 1
        end = min(j, n - 1)
        chunk = "\n".join(lines[start : end + 1])
        parser = _HTMLTableParser(line_offset=start)
        parser.feed(chunk)
        rows = _expand_spans([r for r in parser.rows if r])
        if rows:
            tables.append(Table("html", start + 1, end + 1, rows))
        taken.update(range(start, end + 1))
        i = end + 1
    return tables
