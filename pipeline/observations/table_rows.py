"""Rows of a table lined up under its columns, with the row's label, goal and unit.

Reports misalign rows: a number split into its own cell, an extra empty cell, a page-break
row shifted one column. Rows wider than the header are right-aligned (values sit at the
right end); narrower rows are read left to right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.knowledge import normalise
from pipeline.observations.classify import is_average_label, is_total_label, label_spans, unit_of
from pipeline.observations.values import is_number_cell
from pipeline.parsed.headers import Column
from pipeline.parsed.model import Cell, Row, Table

LABEL_ROLES = ("label", "label_indicator", "label_entity")
NUMBERING = re.compile(r"^\s*((\d{1,2}|[ivx]{1,4}|[a-z])[.)]|\d{1,2}\s+(?=[A-Za-z])|[-•➤❖✓]\s*)", re.I)
CODE = re.compile(r"^\d(\.\d{1,4}){1,6}(\s?\d{1,4})?$")
BUDGET_CODE = re.compile(r"^\d{1,2}\.\d{2}(\.\d{1,4}){1,5}$")  # 2.07.01, 2.07.01.2.01.0001


def strip_numbering(text: str) -> str:
    t = text.strip()
    for _ in range(2):
        t = NUMBERING.sub("", t, count=1).strip()
    return t


@dataclass
class Aligned:
    row: Row
    cells: list[Cell]  # exactly len(columns) cells
    extra: list[Cell]  # leading cells dropped by right-alignment
    label: str  # best label for classification (indicator text)
    entity: str  # programme / activity / course name if the table has such a column
    goal: str  # sasaran / tujuan text (carried down spanned cells)
    code: str | None
    unit_text: str | None
    is_total: bool
    is_average: bool


def _header_width(table: Table) -> int:
    widths = [len(r.cells) for r in table.header if any(c.text for c in r.cells)]
    return max(widths) if widths else table.width


def align_rows(table: Table, cols: list[Column]) -> list[Aligned]:
    hw = max(_header_width(table), 1)
    n = len(cols)
    label_idx = [c.index for c in cols if c.role in LABEL_ROLES]
    ind_idx = [c.index for c in cols if c.role == "label_indicator"]
    ent_idx = [c.index for c in cols if c.role == "label_entity"]
    goal_idx = [c.index for c in cols if c.role == "label" and re.search(r"sasaran|tujuan", normalise(c.label))]
    unit_idx = [c.index for c in cols if c.role == "unit"]
    out: list[Aligned] = []
    goal = ""
    for row in table.body:
        cells = list(row.cells)
        extra: list[Cell] = []
        trimmed = list(cells)
        if len(trimmed) > hw:
            extra = trimmed[: len(trimmed) - hw]
            trimmed = trimmed[len(trimmed) - hw :]
        trimmed = trimmed + [Cell("", row.line)] * (n - len(trimmed))
        trimmed = trimmed[:n]
        if not any(c.text for c in trimmed):
            continue
        texts = [c.text for c in trimmed]
        text_cells = [
            (k, t) for k, t in enumerate(texts) if t and not is_number_cell(t) and not CODE.match(t) and len(t) > 1
        ]
        extra_text = [c.text for c in extra if c.text and not is_number_cell(c.text) and not CODE.match(c.text)]

        def first(idx: list[int]) -> str:
            for k in idx:
                if k < n and texts[k] and not is_number_cell(texts[k]):
                    return texts[k]
            return ""

        indicator = first(ind_idx)
        entity = first(ent_idx)
        g = first(goal_idx)
        if g:
            goal = g
        label = indicator or entity
        if not label:
            # the most specific label column with text, else the longest text cell
            for k in reversed(label_idx):
                if k < n and texts[k] and not is_number_cell(texts[k]) and not CODE.match(texts[k]):
                    label = texts[k]
                    break
        if not label and text_cells:
            label = max((t for _, t in text_cells), key=len)
        if not label and extra_text:
            label = max(extra_text, key=len)
        code_cols = [c.index for c in cols if c.role in (None, "ignore", *LABEL_ROLES)]
        code = next((t for t in [texts[k] for k in code_cols if k < n] + [c.text for c in extra]
                     if BUDGET_CODE.match(t.replace(" ", ""))), None)
        unit_text = first(unit_idx) or None
        first_text = next((t for t in [c.text for c in extra] + texts if t), "")
        out.append(
            Aligned(
                row=row,
                cells=trimmed,
                extra=extra,
                label=strip_numbering(label),
                entity=strip_numbering(entity or label),
                goal=goal,
                code=code.replace(" ", "") if code else None,
                unit_text=unit_text,
                is_total=is_total_label(first_text) or (not indicator and is_total_label(label)) or (bool(entity) and is_total_label(entity)),
                is_average=is_average_label(first_text) or is_average_label(label),
            )
        )
    value_idx = [c.index for c in cols if c.role not in ("ignore", "unit", "category", *LABEL_ROLES) and c.index < n]
    skip_idx = [c.index for c in cols if c.role in ("ignore", "unit") and c.index < n]
    return join_wrapped_labels(out, value_idx, skip_idx)


def _label_only(ar: Aligned, value_idx: list[int]) -> bool:
    return bool(ar.label) and not ar.is_total and not any(is_number_cell(ar.cells[k].text) for k in value_idx)


def _only_label(ar: Aligned, skip_idx: list[int]) -> bool:
    """Apart from values, unit and numbering the row holds nothing but its label: a wrapped
    part, not a row of its own with a goal or programme beside it."""
    texts = [c.text for k, c in enumerate(ar.cells) if c.text and k not in skip_idx and not is_number_cell(c.text)]
    return len(texts) <= 1 and not any(c.text for c in ar.extra)


def _continues(first: str, second: str) -> bool:
    """`second` goes on with the label `first` began: it starts in lower case ("Persentase
    pencari kerja yang" / "ditempatkan"), or an indicator name runs across the two
    ("Tingkat Pengangguran" / "Terbuka")."""
    return second[:1].islower() or label_spans(first, second)


def join_wrapped_labels(rows: list[Aligned], value_idx: list[int], skip_idx: list[int]) -> list[Aligned]:
    """A label wrapped onto a row of its own is one label: a label-only row followed by the row
    with the values, or a value row followed by the rest of its label. `value_idx`: the columns
    that hold values; `skip_idx`: unit and numbering columns."""
    out: list[Aligned] = []
    for ar in rows:
        prev = out[-1] if out else None
        if prev is not None and ar.label and prev.label and _only_label(ar, skip_idx):
            if _label_only(prev, value_idx) and not _label_only(ar, value_idx) and _continues(prev.label, ar.label):
                ar.label = f"{prev.label} {ar.label}"
                ar.entity = ar.label
                ar.goal = ar.goal or prev.goal
                out[-1] = ar
                continue
            if _label_only(ar, value_idx) and not _label_only(prev, value_idx) and _continues(prev.label, ar.label):
                prev.label = f"{prev.label} {ar.label}"
                continue
        out.append(ar)
    return out


def parse_hint(label: str) -> str | None:
    """How to read an ambiguous '1.109' in this row: a 'Jumlah ...' row holds counts."""
    norm = normalise(label)
    if re.match(r"^(jumlah|banyaknya|σ|total)\b", norm) or re.search(r"\((orang|jiwa|kasus|org)\)", norm):
        return "number"
    return None


def label_unit(label: str, unit_text: str | None) -> str | None:
    """Unit implied by a 'Satuan' cell or by the label ("Persentase ...", "(%)", "Jumlah ... (orang)")."""
    if unit_text:
        u = unit_of(unit_text)
        if u:
            return u
        if normalise(unit_text) in ("%", "persen"):
            return "percent"
    norm = normalise(label)
    if re.search(r"\(%\)|\bpersentase\b|\btingkat\b|\brasio\b", norm):
        return "percent"
    m = re.search(r"\(([a-z ]+)\)\s*$", norm) or re.search(r"\b(orang|jiwa|kasus|perkara|paket|kk)\s*$", norm)
    if m:
        return unit_of(m.group(1))
    return None
