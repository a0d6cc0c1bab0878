"""Observations from tables.

Four kinds of evidence, tried on every table:

1. performance rows — a row label names an indicator; its target / realisasi / capaian (or
   year) columns give the values (IKU, Perjanjian Kinerja, multi-year series);
2. budget rows — pagu / realisasi / % columns (see `budget_tables`);
3. indicator columns — a column header names an indicator ("JUMLAH PESERTA (Orang)") and each
   row is a course, a funding source or the total;
4. captioned totals — the caption or lead-in sentence names the indicator ("DATA PENCARI KERJA
   TERDAFTAR ...") and the table's total row gives the value.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from pipeline.knowledge import compiled, gazetteer, indicators, normalise
from pipeline.numbers import tolerance
from pipeline.observations.budget_tables import read_budget_table
from pipeline.observations.classify import Match, classify, classify_clause, is_total_label, warehouse_unit
from pipeline.observations.geography import geography_of
from pipeline.observations.context import bps_survey_year, table_year, value_period
from pipeline.observations.model import ContextValue, Extraction, IndicatorRow, Observation, TrainingCourse
from pipeline.observations.table_rows import Aligned, align_rows, label_unit, parse_hint
from pipeline.observations.values import Value, read_value, read_values
from pipeline.parsed.headers import Column, columns
from pipeline.parsed.model import Table
from pipeline.reconcile.plausibility import is_header_fragment, mark, off_topic

PERF_ROLES = ("target", "actual", "achievement", "value")
BUDGET_ROLES = ("budget_allocated", "budget_realized", "budget_absorption")
KIND_OF_ROLE = {"target": "target", "actual": "actual", "achievement": "achievement", "value": "actual"}
TOC = re.compile(r"\.{4,}")
MAX_SOURCE_TEXT = 2000  # characters of a cited line kept in source_text
FRACTION = re.compile(r"\\frac\{\s*([\d.,]+)\s*\}\{\s*([\d.,]+)\s*\}")


@dataclass
class ReportContext:
    report_year: int
    period: str
    lines: list[str]
    regency: str = ""

    def raw(self, line: int, sentence: str | None = None) -> str:
        """The cited line, trimmed. A line longer than MAX_SOURCE_TEXT (a converter that lost its
        line breaks) is cited by the sentence the value came from, else by its first part."""
        text = self.lines[line - 1].strip() if 0 < line <= len(self.lines) else ""
        if len(text) > MAX_SOURCE_TEXT:
            return sentence if sentence and len(sentence) <= MAX_SOURCE_TEXT else text[:MAX_SOURCE_TEXT] + " …"
        return text


def read_tables(tables: list[Table], ctx: ReportContext, out: Extraction) -> None:
    for table in tables:
        if table.section == "contents" or sum(1 for r in table.rows if TOC.search(" ".join(r.texts))) > 2:
            continue
        cols = columns(table)
        _budget_roles_for_rupiah_columns(cols)
        _plan_table_targets(table, cols)
        rows = align_rows(table, cols)
        if not rows:
            continue
        year, period, why = table_year(table, ctx.report_year)
        for col in cols:
            for note in col.notes:
                out.warn(table.line_start, "header", f"{table.id} column {col.label!r}: {note}")
        n_before, n_rows = len(out.observations), len(out.indicator_rows)
        if any(c.role in BUDGET_ROLES for c in cols):
            read_budget_table(table, cols, rows, year, ctx, out)
        if any(c.role in PERF_ROLES for c in cols):
            _performance_rows(table, cols, rows, year, period, ctx, out)
        _indicator_columns(table, cols, rows, year, ctx, out)
        if len(out.observations) == n_before:
            _captioned_total(table, cols, rows, year, ctx, out)
        _off_topic(table, cols, out, n_before, n_rows)


def _off_topic(table: Table, cols: list[Column], out: Extraction, n_before: int, n_rows: int) -> None:
    """A table about the office's own staff (education, rank) is not about labour-market
    performance: its rows are no indicators, and any value read from it is doubtful."""
    about = " ".join([table.caption_text(), table.lead_in[1] if table.lead_in else "", *(c.label for c in cols)])
    reason = off_topic(about)
    if not reason:
        return
    if len(out.indicator_rows) > n_rows:
        del out.indicator_rows[n_rows:]
        out.warn(table.line_start, "off_topic", f"{table.id} (lines {table.line_start}-{table.line_end}): {reason}; its rows are not read as indicators")
    for o in out.observations[n_before:]:
        mark(o, reason)


PLAN_TITLE = re.compile(r"^\s*(tabel|table)\b.*\btarget\b", re.I)


def _plan_table_targets(table: Table, cols: list[Column]) -> None:
    """'Tabel 2.1 Target IKU 2019-2024' with one column per year: every figure is a target."""
    title = next((t for _, t in reversed(table.caption) if re.match(r"^\s*(tabel|table)\b", t, re.I)), "")
    if PLAN_TITLE.match(title) and not re.search(r"\b(realisasi|capaian)\b", title, re.I) \
            and not any(c.role in ("actual", "achievement") for c in cols):
        for c in cols:
            if c.role == "value":
                c.role = "target"


def _budget_roles_for_rupiah_columns(cols: list[Column]) -> None:
    """'ANGGARAN | REALISASI | %': a realisasi next to a pagu column is the budget realisation."""
    roles = [c.role for c in cols]
    if "budget_allocated" in roles and "budget_realized" not in roles:
        k = roles.index("budget_allocated")
        for c in cols[k + 1 :]:
            if c.role == "actual":
                c.role, c.domain = "budget_realized", "budget"
                break
    roles = [c.role for c in cols]
    if "budget_realized" in roles and "budget_absorption" not in roles:
        k = roles.index("budget_realized")
        # "Realisasi (Rp) | Persentase (%)": the share beside a realisation is its absorption
        if k + 1 < len(cols) and (cols[k + 1].role == "achievement" or cols[k + 1].role is None
                                  and re.fullmatch(r"\(?(persentase|persen|%)\)?( \(%\))?", normalise(cols[k + 1].label))):
            cols[k + 1].role, cols[k + 1].domain = "budget_absorption", "budget"


def _obs(ctx: ReportContext, table: Table, match: Match, kind: str, v: Value, year: int, period: str,
         line: int, label: str, unit: str | None, note: str | None = None) -> Observation:
    return Observation(
        indicator=match.indicator,
        scope=match.scope,
        scope_level=match.scope_level,
        year=year,
        period=period,
        kind=kind,
        value=v.value,
        unit="percent" if kind == "achievement" else warehouse_unit(unit, match.indicator),
        decimals=v.decimals,
        source_line=line,
        source_text=ctx.raw(line),
        method="table",
        section=table.section,
        table_id=table.id,
        label=label,
        definition=match.definition,
        note="; ".join(x for x in (v.note, note) if x) or None,
    )


def _performance_rows(table: Table, cols: list[Column], rows: list[Aligned], table_yr: int,
                      table_period: str | None, ctx: ReportContext, out: Extraction) -> None:
    perf = [c for c in cols if c.role in PERF_ROLES and c.domain == "performance"]
    if not perf:
        return
    has_actual = any(c.role in ("actual", "value") for c in perf)
    has_target = any(c.role == "target" for c in perf)
    is_budget_table = any(c.role in BUDGET_ROLES for c in cols)
    has_indicator_col = any(c.role == "label_indicator" for c in cols)
    bps_year = bps_survey_year(table)
    category_col = next((c for c in cols if c.role == "category"), None)
    for ar in rows:
        if ar.is_average or not ar.label:
            continue
        base_unit = label_unit(ar.label, ar.unit_text)
        hint = base_unit or parse_hint(ar.label)
        groups: dict[int, dict[str, tuple[Value, Column, int]]] = {}
        extra_values: list[tuple[str, Value, Column, int]] = []
        for c in perf:
            cell = ar.cells[c.index]
            # a capaian column is a percentage whatever the row counts ("91.50" beside "2 Dokumen" is 91.5 %),
            # except in "Target | Capaian" tables where capaian holds the realised value
            pct_column = KIND_OF_ROLE[c.role] == "achievement" and (has_actual or not has_target)
            values = read_values(cell.text, "percent" if pct_column else hint)
            if not values:
                continue
            v = values[0]
            if v.value != v.value:  # malformed number
                out.warn(cell.line, "number", f"cannot read {cell.text!r}: {v.note}")
                continue
            kind = KIND_OF_ROLE[c.role]
            if kind == "achievement" and has_target and not has_actual:
                # "Target | Capaian" tables: capaian holds the realised value ("426 Orang")
                tgt = next((ar.cells[t.index].text for t in perf if t.role == "target"), "")
                tv = read_value(tgt, hint)
                if v.unit != "percent" or (tv is not None and tv.unit == "percent"):
                    kind = "actual"
                    if v.paren_pct is not None:
                        groups.setdefault(c.year or table_yr, {})["achievement"] = (
                            Value(v.paren_pct, 0, "percent", v.text), c, cell.line)
            year = c.year or table_yr
            if kind in groups.get(year, {}):  # a second column of the same kind (e.g. "Target Output (%)")
                extra_values.append((kind, v, c, cell.line))
            else:
                groups.setdefault(year, {})[kind] = (v, c, cell.line)
            for other in values[1:]:  # "174 Orang/11 Paket"
                if other.unit and other.unit != v.unit:
                    extra_values.append((kind, other, c, cell.line))
        _ratio_and_component_cells(table, cols, ar, table_yr, bps_year, ctx, out)
        if not groups:
            continue
        for year, kinds in groups.items():
            _indicator_row(table, ar, year, kinds, base_unit, table_period, category_col, ctx, out)
            items = [(kind, v, col, line) for kind, (v, col, line) in kinds.items()]
            items += [x for x in extra_values if (x[2].year or table_yr) == year]
            for kind, v, col, line in items:
                unit = "percent" if kind == "achievement" else (v.unit or base_unit or hint)
                if is_budget_table and not has_indicator_col and (kind == "achievement" or unit in (None, "percent")):
                    continue  # a programme's output % is not an indicator value
                cls_unit = unit if kind != "achievement" else _value_unit(kinds, base_unit or hint)
                if cls_unit is None and kind != "achievement" and v.decimals == 0 and v.value > 100:
                    cls_unit = "number"  # "Pencari kerja ditempatkan | 3.132": a whole number over 100 is a count, not the rate
                match = classify(ar.label, cls_unit)
                if match is None:
                    continue
                vyear, note = year, None
                if match.indicator == "tpt" and kind == "actual" and bps_year and bps_year != year:
                    vyear, note = bps_year, f"source note names BPS August {bps_year}: the realisation is {bps_year}'s TPT"
                    col_period = None
                else:
                    col_period = col.period or (table_period if vyear == table_yr and kind != "target" else None)
                period = value_period(kind, match.indicator, vyear, ctx.report_year, ctx.period, col_period)
                out.observations.append(_obs(ctx, table, match, kind, v, vyear, period, line, ar.label, unit, note))


def _ratio_and_component_cells(table: Table, cols: list[Column], ar: Aligned, table_yr: int,
                               bps_year: int | None, ctx: ReportContext, out: Extraction) -> None:
    """PEMBILANG / PENYEBUT columns give the counts behind the row's rate; 'Jumlah Capaian'
    cells carry their own label ("Jumlah pencari kerja yang ditempatkan 515")."""
    rate = None
    for c in cols:
        cell = ar.cells[c.index]
        fractions = FRACTION.findall(cell.text)
        if c.role in ("actual", "value") and len(fractions) == 1:
            # "$\\frac{8}{13} \\times 100\\% = 61,54\\%$": the counts behind the row's rate
            rate = rate or classify(ar.label, "percent")
            ratio = indicators()[rate.indicator].ratio if rate and rate.scope == "total" else {}
            for role, text in zip(("numerator", "denominator"), fractions[0]):
                v = read_value(text, "number")
                if ratio and v is not None:
                    ind = ratio[role]
                    year = c.year or table_yr
                    period = value_period("actual", ind, year, ctx.report_year, ctx.period)
                    out.observations.append(_obs(ctx, table, Match(ind), "actual", v, year, period, cell.line, ar.label,
                                                 indicators()[ind].unit, f"{role} of the worked formula for {rate.indicator}"))
        if c.role in ("numerator", "denominator") and cell.text:
            rate = rate or classify(ar.label, "percent")
            ratio = indicators()[rate.indicator].ratio if rate and rate.scope == "total" else {}
            v = read_value(cell.text, "number")
            if not ratio or v is None or v.value != v.value:
                continue
            ind = ratio[c.role]
            year = bps_year if (rate.indicator == "tpt" and bps_year) else (c.year or table_yr)
            period = value_period("actual", ind, year, ctx.report_year, ctx.period)
            note = f"{c.role} of {rate.indicator} in the row for {ar.label!r}"
            out.observations.append(_obs(ctx, table, Match(ind), "actual", v, year, period, cell.line, ar.label,
                                         indicators()[ind].unit, note))
        elif c.role == "component" and cell.text:
            m = re.match(r"^(.*?\D)\s*(\d[\d.,]*)\s*$", cell.text)
            if not m or len(m.group(1).split()) < 3:
                continue
            v = read_value(m.group(2), "number")
            match = classify(m.group(1), "number")
            if v is None or match is None:
                continue
            period = value_period("actual", match.indicator, c.year or table_yr, ctx.report_year, ctx.period)
            out.observations.append(_obs(ctx, table, match, "actual", v, c.year or table_yr, period, cell.line,
                                         m.group(1).strip(), indicators()[match.indicator].unit))


def _value_unit(kinds: dict, base_unit: str | None) -> str | None:
    for k in ("actual", "target"):
        if k in kinds and kinds[k][0].unit:
            return kinds[k][0].unit
    return base_unit


def _indicator_row(table, ar: Aligned, year: int, kinds: dict, base_unit, table_period, category_col, ctx, out) -> None:
    def part(kind):
        if kind in kinds:
            v, _, _ = kinds[kind]
            return v.text, v.value
        return None, None

    if is_header_fragment(ar.label) or geography_of(ar.label, ctx.regency):
        return  # "Angka" / "Persentase" wrapped off a header, or a place in a comparison table: no indicator
    tt, tv = part("target")
    at, av = part("actual")
    ct, cv = part("achievement")
    unit = base_unit or next((kinds[k][0].unit for k in kinds if kinds[k][0].unit), None)
    match = classify(ar.label, unit)
    first_col = next(iter(kinds.values()))[1]
    period = value_period("actual", None, year, ctx.report_year, ctx.period, first_col.period or table_period)
    category = ar.cells[category_col.index].text if category_col else None
    out.indicator_rows.append(
        IndicatorRow(
            table_id=table.id,
            source_line=ar.row.line,
            source_text=ctx.raw(ar.row.line),
            section=table.section,
            goal=ar.goal,
            indicator_text=ar.label,
            canonical_indicator=match.indicator if match else None,
            unit_text=ar.unit_text,
            year=year,
            period=period,
            target_text=tt,
            target_value=tv,
            actual_text=at,
            actual_value=av,
            achievement_text=ct,
            achievement_value=cv,
            category=category or None,
        )
    )


def _indicator_columns(table: Table, cols: list[Column], rows: list[Aligned], year: int,
                       ctx: ReportContext, out: Extraction) -> None:
    """Columns whose header names an indicator; each row a course / funding source / total."""
    candidates = []
    for c in cols:
        if c.role not in (None, "label", "value") or not c.label:
            continue
        header_unit = label_unit(c.label, None)
        numeric = sum(1 for ar in rows if read_value(ar.cells[c.index].text, header_unit) is not None)
        if numeric < max(1, len(rows) // 2):
            continue
        leaf = c.label.split(" / ")[-1]
        match = classify(leaf, header_unit) or classify(leaf, None)
        whole_label = False
        norm_leaf = normalise(leaf)
        # "Jumlah", "Laki-laki", "P": a sub-header under the indicator's name, never a name itself
        sub_header = norm_leaf in ("jumlah", "total") or _row_level(leaf) == "subgroup"
        if match is None and " / " in c.label and re.fullmatch(r"[a-z]+", norm_leaf) and not sub_header:
            # "Pencari Kerja" / "Terdaftar": one label wrapped over two header lines (a lone word
            # under it, not a sub-header such as "Laki-laki" or "Jumlah")
            whole = c.label.replace(" / ", " ")
            match = classify(whole, header_unit) or classify(whole, None)
            whole_label = match is not None
        if match is None and re.fullmatch(r"[a-z]+( [a-z]+)?", norm_leaf) and not sub_header:
            # "Tabel 3.2 Data Pencari Kerja" over a column "Terdaftar" (or "Jumlah Kasus" under a title
            # about disputes): the title names what is counted
            title = next((t for _, t in reversed(table.caption) if re.match(r"^\s*(tabel|table)\b", t, re.I)), None)
            match = classify(f"{title} {leaf}", header_unit) if title else None
        if match:
            group = c.label.split(" / ")[0] if " / " in c.label and not whole_label else None
            candidates.append((c, match, header_unit, group))
    if not candidates:
        candidates = _caption_year_columns(table, cols, rows, ctx)
    if not candidates:
        return
    # a table whose rows are places (kabupaten/kota of a province): its total row is the sum of
    # those places, the agency's own figure only when the agency is the province
    body = [ar for ar in rows if not ar.is_total and not ar.is_average]
    places_table = sum(1 for ar in body if geography_of(ar.label, ctx.regency)) >= max(2, len(body) // 2)
    own_is_province = bool(ctx.regency and ctx.regency.startswith("Provinsi "))
    _realign_total_rows(rows, [c for c, *_ in candidates])
    seen: Counter[tuple[str, str]] = Counter()
    courses: dict[tuple[int, str], TrainingCourse] = {}
    for ar in rows:
        if ar.is_average:
            continue
        scope_name = "total" if ar.is_total else ar.label
        row_year = None
        if re.fullmatch(r"(19|20)\d\d", scope_name or "") or (not scope_name and any(re.fullmatch(r"(19|20)\d\d", c.text) for c in ar.cells)):
            row_year = int(next(c.text for c in ar.cells if re.fullmatch(r"(19|20)\d\d", c.text)))
            scope_name = "total"  # a row labelled only by its year: the table's (or column group's) total
        if not scope_name:
            continue
        place = geography_of(ar.label, ctx.regency) if not ar.is_total and not row_year else None
        if ar.is_total and places_table and not own_is_province:
            place = (_province_of(ctx.regency) or "province", "province")
        for c, match, header_unit, group in candidates:
            cell = ar.cells[c.index]
            v = read_value(cell.text, header_unit or "number")
            if v is None or v.value != v.value:
                continue
            unit = v.unit or header_unit
            vyear = c.year or row_year or year
            if place and place[1] != "own":  # a peer regency / the province: context, not ours
                out.context.append(ContextValue(place[0], place[1], match.indicator, vyear, "annual", v.value,
                                                unit or "percent", cell.line, ctx.raw(cell.line), "table"))
                continue
            if place and place[1] == "own":
                scope_name = "total"
            scope, level = scope_name, "total"
            if scope != "total":
                level = "funding" if re.fullmatch(r"apb[nd]|apbd (i|ii)|dak|dbhcht|rm", normalise(scope)) else _row_level(scope)
            elif group and not is_total_label(group):
                scope, level = group, "funding"
            seen[(match.indicator, scope, vyear)] += 1  # one row per year column is no repeat
            if seen[(match.indicator, scope, vyear)] > 1:
                scope = f"{scope} [{seen[(match.indicator, scope, vyear)]}]"
            m = Match(match.indicator, scope, level, match.definition)
            period = value_period("actual", match.indicator, vyear, ctx.report_year, ctx.period)
            out.observations.append(_obs(ctx, table, m, "actual", v, vyear, period, cell.line, ar.label, unit))
            if match.indicator.startswith("training_") and level == "course":
                course = courses.setdefault(
                    (ar.row.line, scope),
                    TrainingCourse(table.id, ar.row.line, ctx.raw(ar.row.line), year, scope),
                )
                field = {"training_participants": "participants", "training_packages": "packages",
                         "training_certified": "certified"}[match.indicator]
                setattr(course, field, v.value)
    out.training_courses.extend(courses.values())


def _province_of(regency: str | None) -> str | None:
    area = gazetteer().from_display(regency) if regency else None
    return area.province if area else None


def _caption_year_columns(table: Table, cols: list[Column], rows: list[Aligned], ctx: ReportContext) -> list:
    """A table of places by year ("Tabel 3.1 Tingkat Pengangguran Terbuka Kabupaten/Kota
    se-Provinsi Riau Tahun 2021-2023"): its title names the indicator, each year column holds it,
    each row is one place (the agency's own row is its figure, the others context)."""
    years = [c for c in cols if c.year and c.role in (None, "value")]
    body = [ar for ar in rows if not ar.is_total and not ar.is_average]
    if not years or sum(1 for ar in body if geography_of(ar.label, ctx.regency)) < max(2, len(body) // 2):
        return []
    title = next((t for _, t in reversed(table.caption) if re.match(r"^\s*(tabel|table)\b", t, re.I)), None)
    match = classify(title, None) if title else None
    if not match or match.indicator.startswith("budget"):
        return []
    unit = indicators()[match.indicator].unit
    return [(c, match, unit, None) for c in years]


def _row_level(label: str) -> str:
    """'Perempuan', 'Kecamatan Pauh', 'AKL' rows are sub-groups of the column's total; other rows are courses."""
    norm = normalise(label)
    return next((level for level, pat in compiled("table_subgroup_rows") if pat.search(norm)), "course")


def _realign_total_rows(rows: list[Aligned], cols: list[Column]) -> None:
    """A total row shifted one column (a page layout slip): re-align it when the shifted values
    equal the column sums of the body and the unshifted ones do not."""
    body = [ar for ar in rows if not ar.is_total and not ar.is_average]
    if not body:
        return
    idx = sorted(c.index for c in cols)
    width = len(rows[0].cells)

    def colsum(k):
        vals = [read_value(ar.cells[k].text) for ar in body if 0 <= k < width]
        vals = [v.value for v in vals if v is not None and v.value == v.value]
        return sum(vals) if vals else None

    sums = {k: colsum(k) for k in range(width)}
    for ar in rows:
        if not ar.is_total:
            continue

        def matches(shift):
            ok = 0
            for k in idx:
                src = k + shift
                if not 0 <= src < width:
                    return -1
                v = read_value(ar.cells[src].text)
                if v is None or sums.get(k) is None:
                    continue
                if abs(v.value - sums[k]) > tolerance(v.decimals):
                    return -1
                ok += 1
            return ok

        if matches(0) > 0:
            continue
        for shift in (1, -1):
            if matches(shift) > 0:
                cells = list(ar.cells)
                ar.cells = [cells[k + shift] if 0 <= k + shift < width else cells[k] for k in range(width)]
                break


def _captioned_total(table: Table, cols: list[Column], rows: list[Aligned], year: int,
                     ctx: ReportContext, out: Extraction) -> None:
    totals = [ar for ar in rows if ar.is_total]
    if not totals:
        return
    total = totals[-1]
    numeric = [(k, c) for k, c in enumerate(total.cells) if read_value(c.text) is not None]
    if not numeric:
        return
    total_cols = [k for k, _ in numeric if re.search(r"jumlah|total", normalise(cols[k].label))]
    k = total_cols[-1] if total_cols else numeric[-1][0]
    cell = total.cells[k]
    candidates: list[tuple[int, str, str]] = []  # (line, text, origin)
    if table.lead_in:
        candidates.append((table.lead_in[0], table.lead_in[1], "lead-in"))
    for ln, t in reversed(table.caption):
        candidates.append((ln, t, "caption"))
        if re.match(r"^\s*(tabel|table)\b", t, re.I):
            break  # the table's own title: text above it is about something else
    chosen: tuple[Match, str, int] | None = None
    v = read_value(cell.text, "persons")
    if v is None:
        return
    for line, text, origin in candidates:
        if origin == "lead-in":
            # a lead-in speaks for the table only if it states the same total; classify that clause
            m = classify_clause(text, v.value, "persons")
        else:
            m = classify(text, v.unit or "persons") or classify(text, None)
        if not m or m.indicator.startswith("budget"):
            continue
        chosen = (m, f"{origin} line {line}", line)
        break
    if not chosen:
        return
    match, why, _ = chosen
    period = value_period("actual", match.indicator, year, ctx.report_year, ctx.period)
    note = f"indicator named by the table's {why}; value from its total row"
    out.observations.append(_obs(ctx, table, match, "actual", v, year, period, cell.line, total.label or "Jumlah",
                                 v.unit or "persons", note))
