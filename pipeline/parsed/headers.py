"""What each column of a table means: its role (target / realisasi / capaian / pagu / ...),
the year and period it refers to, and whether its header itself names an indicator.

Header rows are stacked (a group header such as "ANGGARAN" or "Tahun 2023" spans the cells
under it), index rows such as "(1) (2) (3)" are skipped, and the roles come from the
vocabulary in `pipeline/domain/vocabulary.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipeline.knowledge import compiled, normalise, pattern, vocabulary
from pipeline.parsed.model import Cell, Row, Table

NUMERIC_CELL = re.compile(
    r"^\s*(rp\.?\s*)?[-−]?\d[\d.,]*\s*(%|persen|\(?[a-zA-Z]|/|\)|$)", re.I
)
INDEX_TOKEN = re.compile(r"^(\(\d{1,2}\)|-\d{1,2}|\d{1,2}|[a-z]|\(\d+\s*-\s*\d+\))$", re.I)
YEAR_TOKEN = re.compile(r"\b((?:19|20)\d{2})\b")
PURE_YEAR = re.compile(r"^(tahun |th\.? ?)?((?:19|20)\d{2})$", re.I)
MAX_HEADER_ROWS = 5

PERF_TO_BUDGET = {"target": "budget_allocated", "actual": "budget_realized", "achievement": "budget_absorption"}


def is_numeric_cell(text: str) -> bool:
    t = text.strip()
    if not t or PURE_YEAR.match(t):
        return False
    return bool(NUMERIC_CELL.match(t))


def _index_row(row: Row) -> bool:
    texts = [c.text for c in row.cells if c.text]
    return bool(texts) and all(INDEX_TOKEN.match(t) for t in texts) and len(texts) >= 2


def _header_like(row: Row) -> bool:
    texts = [c.text for c in row.cells if c.text]
    if not texts:
        return True
    if _index_row(row):
        return True
    numeric = [t for t in texts if is_numeric_cell(t)]
    if not numeric:
        return True
    return False


def count_header_rows(table: Table) -> int:
    n = 0
    for row in table.rows[:MAX_HEADER_ROWS]:
        filled = [k for k, c in enumerate(row.cells) if c.text]
        if n >= 1 and filled == [0] and len(row.cells) > 2:
            break  # a section row ("URUSAN WAJIB ...", "BIDANG TENAGA KERJA") starts the body
        if _header_like(row):
            n += 1
        else:
            break
    if n == len(table.rows):  # a table of text only (e.g. Tujuan/Sasaran): first row is the header
        return 1 if table.rows else 0
    return n


def _flat_header(header_rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """Header rows of a flattened table as grid rows `width` wide. One row: its labels, right-
    aligned. Several: the last row holds the sub-columns of group headers in the rows above
    ("KINERJA" over TARGET / REALISASI / CAPAIAN): the groups are found by their words and get
    as many columns as there are sub-labels, shared evenly."""
    if len(header_rows) == 1 or not header_rows:
        labels = header_rows[0] if header_rows else []
        return [[Cell("", 0)] * (width - len(labels)) + labels]
    # a dash in a group header row only holds the place of a spanned cell ("KINERJA | - | -")
    top = [c for row in header_rows[:-1] for c in row if c.text.strip() not in ("-", "–", "—")]
    subs = header_rows[-1]
    n_groups = len(top) + len(subs) - width
    score = [1 if pattern("group_header").match(normalise(c.text)) else 0 for c in top]
    starts = range(max(len(top) - n_groups + 1, 0))
    first = max(starts, key=lambda k: (sum(score[k:k + n_groups]), k), default=0)
    if n_groups < 1 or n_groups > len(top) or len(subs) % n_groups or sum(score[first:first + n_groups]) < n_groups:
        labels = top + subs  # one row of labels that the converter happened to break
        return [[Cell("", 0)] * max(0, width - len(labels)) + labels]
    span = len(subs) // n_groups
    upper: list[Cell] = []
    lower: list[Cell] = []
    for k, c in enumerate(top):
        if first <= k < first + n_groups:
            upper += [c] + [Cell("", c.line)] * (span - 1)
            g = k - first
            lower += subs[g * span:(g + 1) * span]
        else:
            upper.append(c)
            lower.append(Cell("", c.line))
    return [upper, lower]


@cache
def _unit_patterns() -> tuple[re.Pattern, re.Pattern]:
    """A unit alone ("(Rp)") and a label that already ends with one ("PAGU (Rp)"), from one word list."""
    words = vocabulary()["unit_word"]
    return re.compile(rf"^\(?({words})\)?$", re.I), re.compile(rf"\(({words})\)\s*$", re.I)


def _join_unit_labels(cells: list[Cell]) -> list[Cell]:
    """A label's unit printed on its own line ("PAGU" / "(Rp)", "KEUANGAN" / "%") belongs to it."""
    out: list[Cell] = []
    for c in cells:
        # "Realisasi (Rp)" / "%": a label that names its unit already is followed by a column of its own
        unit_label, has_unit = _unit_patterns()
        if out and unit_label.match(c.text.strip()) and not has_unit.search(out[-1].text):
            out[-1] = Cell(f"{out[-1].text} {c.text}", out[-1].line)
        else:
            out.append(c)
    return out


def normalise_flat(table: Table) -> None:
    """Flattened tables: header rows of labels, data rows right-aligned under them."""
    raw_rows = [r for r in ([c for c in row.cells if c.text] for row in table.header if not _index_row(row)) if r]
    header_rows = [_join_unit_labels(r) for r in raw_rows]
    body: list[Row] = []
    for row in table.body:
        cells: list[Cell] = []
        for c in row.cells:
            # "Rp." alone in a cell is the currency of the next cell
            if cells and cells[-1].text.lower().rstrip(".") in ("rp", "idr"):
                cells[-1] = Cell(c.text, c.line)
                continue
            cells.append(c)
        body.append(Row(cells, row.line))
    width = max([len(r.cells) for r in body] + [0])
    grid = _flat_header(header_rows, width)
    if len(header_rows) > 1 and len(grid) == 1:
        # "Fisik | (%) | Keuangan | (%)" under "Realisasi Fisik | Realisasi Keuangan": each "(%)" is
        # a sub-column of its own when that makes the groups fit the body
        unjoined = _flat_header(raw_rows, width)
        grid = unjoined if len(unjoined) > 1 else grid
    width = max(len(r) for r in grid)
    rows = [Row([c if c.line else Cell("", table.line_start) for c in cells], table.line_start) for cells in grid]
    for r in body:
        pad = width - len(r.cells)
        rows.append(Row([Cell("", r.line)] * pad + r.cells, r.line))
    table.rows = rows
    table.header_rows = len(grid)


@dataclass
class Column:
    index: int
    label: str  # stacked header text
    role: str | None  # see vocabulary column_roles, plus 'value' for bare year columns
    year: int | None = None
    period: str | None = None
    domain: str = "performance"
    notes: list[str] = field(default_factory=list)


def _period_of(text: str) -> str | None:
    norm = normalise(text)
    quarter = dict(compiled("period_words"))["quarter"]
    m = re.search(quarter.pattern + r"\s*(i{1,3}|iv|[1-4])\b", norm)
    if m:
        tok = m.group(m.lastindex)
        k = int(tok) if tok.isdigit() else vocabulary()["roman"][tok]
        return f"Q{k}"
    m = re.search(r"semester\s*(i{1,2}|[12])\b", norm)
    if m:
        tok = m.group(1)
        return f"S{int(tok) if tok.isdigit() else len(tok)}"
    return None


def role_of(text: str) -> str | None:
    norm = normalise(text)
    norm = re.sub(r"\b(th\.?|tahun)\s*\d{4}\b|\b(19|20)\d{2}\b", "", norm).strip(" .:")
    norm = re.sub(r"\b(tribulan|triwulan|tribunal|tribunan|trimester|semester|trw|tw)\.?\s*(i{1,3}|iv|[1-4])\b", "", norm).strip()
    # "Realisasi s.d. Semester I (Rp)", "Realisasi sampai dengan Juni": the cut-off is no part of the role
    norm = re.sub(r"\b(s\.\s?d\.?|s\s?/\s?d\.?|sampai dengan|sampai|hingga)(?=\s|$)|\b(januari|februari|maret|april|mei|juni|juli|agustus|september|oktober|november|desember)\b", "", norm)
    norm = re.sub(r"\s+", " ", norm)
    if not norm:
        return None
    for role, pat in compiled("column_roles"):
        if pat.search(norm):
            return role
    return None


def header_grid(table: Table) -> list[list[str]]:
    width = table.width
    grid = []
    for row in table.header:
        texts = [c.text for c in row.cells] + [""] * (width - row.width())
        grid.append(texts)
    # a group header spans the empty cells to its right when the row below has content there
    for r in range(len(grid) - 1):
        for j in range(1, width):
            below = [grid[k][j] for k in range(r + 1, len(grid)) if grid[k][j] and not INDEX_TOKEN.match(grid[k][j])]
            if not grid[r][j] and grid[r][j - 1] and below:
                grid[r][j] = grid[r][j - 1]
    return grid


def columns(table: Table) -> list[Column]:
    grid = header_grid(table)
    domains = compiled("column_domains")
    cols: list[Column] = []
    for j in range(table.width):
        stack = [grid[r][j] for r in range(len(grid)) if grid[r][j] and not INDEX_TOKEN.match(grid[r][j])]
        label = " / ".join(dict.fromkeys(stack))
        col = Column(j, label, None)
        for text in stack:
            for dom, pat in domains:
                if pat.search(normalise(text)):
                    col.domain = dom
        roles = [role_of(text) for text in stack]
        for k in range(len(stack) - 1, -1, -1):  # the lowest header cell is the most specific
            if roles[k]:
                col.role = roles[k]
                if col.role == "percent":
                    above = next((r for r in reversed(roles[:k]) if r and r != "percent"), None)
                    col.role = vocabulary()["percent_of"].get(above, "achievement")
                break
        for text in stack:
            years = YEAR_TOKEN.findall(text)
            if years:
                col.year = int(years[-1])
            p = _period_of(text)
            if p:
                col.period = p
        if col.domain == "budget" and col.role in PERF_TO_BUDGET:
            col.role = PERF_TO_BUDGET[col.role]
        if col.role is None and (col.year is not None or col.period is not None):
            col.role = "value"  # "2023", "Triwulan II", "Semester I": a column of values for that time
        if col.role and col.role.startswith("budget_"):
            col.domain = "budget"
        cols.append(col)
    _fix_backward_years(cols)
    _inherit_group_years(cols)
    return cols


def _inherit_group_years(cols: list[Column]) -> None:
    """'Tahun 2022: Target | Realisasi || Capaian (%) || Tahun 2023: ...' — a capaian column with
    no year of its own, right after a year group, belongs to that group."""
    for k in range(1, len(cols)):
        c, left = cols[k], cols[k - 1]
        if c.year is None and c.role == "achievement" and left.year is not None and left.role in ("target", "actual"):
            nxt = cols[k + 1] if k + 1 < len(cols) else None
            if nxt is None or nxt.year != left.year:
                c.year = left.year


def _fix_backward_years(cols: list[Column]) -> None:
    """A kind group (Target | Realisasi) whose years run backwards was mislabelled by the
    report: e.g. 'Target: 2021 2018 2019 | Realisasi: 2021 2022 2023'. Chronology wins — the
    group ends where its years stop increasing, the rest belong to the next group."""
    j = 0
    while j < len(cols):
        role = cols[j].role
        if role not in ("target", "actual") or cols[j].year is None:
            j += 1
            continue
        k = j
        while k + 1 < len(cols) and cols[k + 1].role == role and cols[k + 1].year is not None:
            k += 1
        nxt = cols[k + 1].role if k + 1 < len(cols) else None
        for m in range(j + 1, k + 1):
            if cols[m].year < cols[m - 1].year and nxt and nxt != role and nxt in ("target", "actual"):
                for q in range(m, k + 1):
                    cols[q].notes.append(
                        f"header says {role} but years run backwards ({cols[m - 1].year}→{cols[m].year}); read as {nxt}"
                    )
                    cols[q].role = nxt
                break
        j = k + 1
