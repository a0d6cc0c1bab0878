"""Budget tables: programme -> activity -> sub-activity lines with pagu, realisasi and %.

Rows are often misaligned (an empty 'Fisik' cell present in one row and missing in the
next), so the numbers of a row are matched to the budget columns by type: rupiah amounts to
rupiah columns, percentages to percentage columns, in order.
"""

from __future__ import annotations

import re

from pipeline.knowledge import canonical_programme, compiled, normalise, pattern
from pipeline.observations.context import value_period, years_in
from pipeline.observations.model import BudgetLine, Extraction, Observation
from pipeline.observations.table_rows import Aligned, strip_numbering
from pipeline.observations.values import Value, read_value
from pipeline.parsed.headers import Column
from pipeline.parsed.model import Table

MONEY_ROLES = ("budget_allocated", "budget_realized", "budget_remaining")
PCT_ROLES = ("budget_absorption", "budget_remaining_pct", "physical")
BUDGET_COLS = MONEY_ROLES + PCT_ROLES
OBS_OF_ROLE = {
    "budget_allocated": "budget_allocated",
    "budget_realized": "budget_realized",
    "budget_absorption": "budget_absorption",
}


def _is_money(v: Value) -> bool:
    return v.unit == "rupiah" or abs(v.value) >= 1000 or (v.decimals == 0 and v.value == 0 and "," in v.text)


def _is_pct(v: Value) -> bool:
    return v.unit == "percent" or (abs(v.value) <= 1000 and not (v.decimals == 0 and abs(v.value) >= 1000))


def assign_budget_values(ar: Aligned, cols: list[Column]) -> dict[str, tuple[Value, int]]:
    bcols = [c for c in cols if c.role in BUDGET_COLS]
    if not bcols:
        return {}
    start = min(c.index for c in bcols)
    positional: dict[str, tuple[Value, int]] = {}
    consistent = True
    for c in bcols:
        cell = ar.cells[c.index]
        v = read_value(cell.text, "rupiah" if c.role in MONEY_ROLES else "percent")
        if v is None or v.value != v.value:
            continue
        if (c.role in MONEY_ROLES and not _is_money(v) and v.value != 0) or (c.role in PCT_ROLES and not _is_pct(v)):
            consistent = False
        positional.setdefault(c.role, (v, cell.line))
    if consistent:
        return positional
    # typed alignment: walk the numbers of the row and the budget columns in order
    cells = [c for c in ar.cells[start:] if c.text]
    out: dict[str, tuple[Value, int]] = {}
    ci = 0
    for cell in cells:
        v = read_value(cell.text)
        if v is None or v.value != v.value:
            continue
        while ci < len(bcols):
            role = bcols[ci].role
            ci += 1
            if (role in MONEY_ROLES and _is_money(v)) or (role in PCT_ROLES and _is_pct(v) and not _is_money(v)):
                out.setdefault(role, (read_value(cell.text, "rupiah" if role in MONEY_ROLES else "percent"), cell.line))
                break
    return out


def budget_level(name: str, code: str | None, has_target: bool, label_header: str) -> str:
    levels = dict(compiled("budget_levels"))
    norm = normalise(name)
    if levels["belanja"].search(norm):
        return "belanja"
    if levels["total"].search(norm):
        return "total"
    if code and pattern("budget_code").match(code):
        depth = len([p for p in code.split(".") if p])
        if depth <= 2:
            return "total"
        if depth == 3:
            return "programme"
        if depth <= 5:
            return "activity"
        return "sub_activity"
    if levels["programme"].search(norm) or (canonical_programme(name) and name.isupper()):
        return "programme"
    if levels["sub_activity"].search(norm):
        return "sub_activity"
    if levels["activity"].search(norm):
        return "activity"
    if re.search(r"sasaran|tujuan", normalise(label_header)):
        return "goal"
    return "sub_activity" if has_target else "activity"


def clean_name(text: str) -> str:
    t = strip_numbering(text)
    t = re.sub(r"^(sub\s*kegiatan|kegiatan)\s+", "", t, flags=re.I)
    return re.sub(r"\s+", " ", t).strip(" .:-")


def scope_for(level: str, name: str) -> str:
    if level == "total":
        return "total"
    if level == "belanja":
        m = re.match(r"belanja\s+(\w+)", normalise(name))
        return f"Belanja {m.group(1).capitalize()}" if m else "Belanja"
    if level == "programme":
        canon = canonical_programme(name)
        if canon:
            return canon[0]
    return name


def read_budget_table(table: Table, cols: list[Column], rows: list[Aligned], year: int, ctx, out: Extraction) -> None:
    target_col = next((c for c in cols if c.role == "target" and c.domain == "performance"), None)
    label_col = next((c for c in cols if c.role in ("label_entity", "label")), None)
    label_header = label_col.label if label_col else ""
    programme = None
    parent = None
    parsed: list[tuple[Aligned, str, str, dict, int]] = []
    for ar in rows:
        values = assign_budget_values(ar, cols)
        if "budget_allocated" not in values and "budget_realized" not in values:
            continue
        name = clean_name(ar.entity or ar.label)
        has_target = bool(target_col and ar.cells[target_col.index].text)
        level = "total" if (ar.is_total or not name) else budget_level(name, ar.code, has_target, label_header)
        # a total row named for a year ("TAHUN 2018") is that year's total
        named = years_in(name) if level == "total" else []
        parsed.append((ar, name or "Jumlah", level, values, named[0] if named else year))
    # several total rows for one year: the largest is the grand total, the others are subtotals
    for y in {p[4] for p in parsed}:
        totals = [p for p in parsed if p[2] == "total" and p[4] == y]
        if len(totals) > 1:
            def pagu(p):
                v = p[3].get("budget_allocated")
                return v[0].value if v else -1

            grand = max(totals, key=pagu)
            parsed = [p if p[2] != "total" or p[4] != y or p is grand else (p[0], p[1], "subtotal", p[3], p[4])
                      for p in parsed]
    lines_out: list[tuple[str, Observation | None]] = []  # (level, pagu observation) in row order
    for ar, name, level, values, year in parsed:
        if level == "programme":
            programme = scope_for("programme", name)
            parent = programme
        elif level == "activity":
            parent = name
        line = min(ln for _, ln in values.values())
        out.budget_lines.append(
            BudgetLine(
                table_id=table.id,
                source_line=line,
                source_text=ctx.raw(line),
                section=table.section,
                method="table",
                year=year,
                period=ctx.period if year == ctx.report_year else "annual",
                level=level,
                code=ar.code,
                name=name,
                programme=programme if level not in ("total", "belanja", "goal", "subtotal") else None,
                parent=(programme if level == "activity" else parent) if level in ("activity", "sub_activity") else None,
                pagu=_val(values, "budget_allocated"),
                realisasi=_val(values, "budget_realized"),
                absorption_stated=_val(values, "budget_absorption"),
                remaining=_val(values, "budget_remaining"),
            )
        )
        if level == "subtotal":
            continue
        scope = scope_for(level, name)
        n_obs = len(out.observations)
        for role, indicator in OBS_OF_ROLE.items():
            if role not in values:
                continue
            v, vline = values[role]
            period = value_period("actual", indicator, year, ctx.report_year, ctx.period)
            out.observations.append(
                Observation(
                    indicator=indicator,
                    scope=scope,
                    scope_level=level,
                    year=year,
                    period=period,
                    kind="actual",
                    value=v.value,
                    unit="percent" if indicator == "budget_absorption" else "rupiah",
                    decimals=v.decimals,
                    source_line=vline,
                    source_text=ctx.raw(vline),
                    method="table",
                    section=table.section,
                    table_id=table.id,
                    label=name,
                    note=v.note,
                )
            )
        pagu_obs = next((o for o in out.observations[n_obs:] if o.indicator == "budget_allocated"), None)
        lines_out.append((level, pagu_obs))
    _check_children(lines_out)


DEPTH = {"total": 0, "programme": 1, "activity": 2, "sub_activity": 3}


def _check_children(rows: list[tuple[str, Observation | None]]) -> None:
    """A programme or activity against the sum of the lines under it, in one table."""
    for k, (level, parent) in enumerate(rows):
        if parent is None or level not in ("programme", "activity"):
            continue
        children: list[Observation] = []
        for lvl, o in rows[k + 1 :]:
            if DEPTH.get(lvl, 0) <= DEPTH[level]:
                break
            if DEPTH.get(lvl) == DEPTH[level] + 1:
                if o is None:
                    children = []
                    break
                children.append(o)
        if not children:
            continue
        s = sum(c.value for c in children)
        if abs(s - parent.value) <= 1.0:
            parent.confirmed = True
        elif parent.status == "ok":
            parent.status = "mismatch"
            msg = f"the {len(children)} lines under it add up to {s:,.0f}, not {parent.value:,.0f}"
            parent.note = f"{parent.note}; {msg}" if parent.note else msg


def _val(values: dict, role: str) -> float | None:
    return values[role][0].value if role in values else None
