"""One report through every layer: raw -> parsed -> observations -> reconciled rows.

`process_report` is pure (file in, rows out) so the build can cache it by content hash and
run it in parallel.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path

from pipeline.knowledge import clear_document_caches
from pipeline.observations.coverage import assess
from pipeline.observations.extract import extract
from pipeline.parsed.headers import columns
from pipeline.parsed.segment import segment
from pipeline.raw.decode import RawReport
from pipeline.raw.identify import Identity, identify
from pipeline.reconcile.conflicts import context_conflicts, reconcile
from pipeline.reconcile.rank import METHOD_RANK, section_rank

TRUNCATION_TAIL = 3
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def asdict(obj) -> dict:
    """Shallow dataclass -> dict (the records hold only scalars and lists nobody mutates later;
    `dataclasses.asdict` deep-copies every value and was ~9% of the time per report)."""
    names = _FIELD_NAMES.get(type(obj))
    if names is None:
        names = _FIELD_NAMES[type(obj)] = tuple(f.name for f in fields(obj))
    return {n: getattr(obj, n) for n in names}


@dataclass
class ReportResult:
    report: dict
    observations: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    budget_lines: list[dict] = field(default_factory=list)
    indicator_rows: list[dict] = field(default_factory=list)
    training_courses: list[dict] = field(default_factory=list)
    context_values: list[dict] = field(default_factory=list)
    tables_found: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)


def process_report(raw: RawReport, original_name: str, overrides: dict | None = None) -> ReportResult:
    clear_document_caches()
    ident: Identity = identify(raw.lines, overrides, file_name=raw.name)
    doc = segment(raw.lines)
    ext = extract(doc, ident.report_year, ident.period, ident.regency)
    obs, conflicts, agreement = reconcile(ext.observations)
    conflicts += context_conflicts(ext.context)
    report_id = raw.sha256[:12]
    src = raw.name
    common = {"report_id": report_id, "regency": ident.regency}

    warnings = [
        {"report_id": report_id, "source_file": src, "severity": "warning", "code": "decode", "message": w, "source_line": None}
        for w in raw.warnings
    ] + [
        {"report_id": report_id, "source_file": src, "severity": "warning", "code": "identify", "message": w, "source_line": None}
        for w in ident.warnings
    ] + [
        {"report_id": report_id, "source_file": src, "severity": "info", "code": code, "message": msg, "source_line": line}
        for line, code, msg in ext.warnings
    ]
    last = len(raw.lines)
    for t in doc.tables:
        if t.line_end >= last - TRUNCATION_TAIL and t.body:
            warnings.append({
                "report_id": report_id, "source_file": src, "severity": "warning", "code": "truncated",
                "message": f"table {t.id} (lines {t.line_start}-{t.line_end}) runs to the end of the file: the report may be truncated mid-table",
                "source_line": t.line_start,
            })
    for o in obs:
        if o.note and ("read as thousands" in o.note or "could be" in o.note):
            warnings.append({"report_id": report_id, "source_file": src, "severity": "info", "code": "number",
                             "message": o.note, "source_line": o.source_line})
        if o.status == "suspect":  # a value a plausibility rule doubts (pipeline/reconcile/plausibility.py)
            warnings.append({"report_id": report_id, "source_file": src, "severity": "info", "code": "suspect",
                             "message": f"{o.indicator} {o.value:g} ({o.kind}, {o.scope}, {o.year}) is doubtful: {o.status_reason}",
                             "source_line": o.source_line})

    observations = []
    for o in obs:
        d = asdict(o)
        d.update(common)
        d["source_file"] = src
        d["n_agreeing"] = agreement.get(id(o), 0)
        d["section_rank"] = section_rank(o.section)
        d["method_rank"] = METHOD_RANK[o.method]
        observations.append(d)
    conflict_rows = [dict(asdict(c), **common) for c in conflicts]
    budget_rows = []
    for b in ext.budget_lines:
        d = asdict(b)
        d.update(common)
        d["source_file"] = src
        d["absorption_computed"] = round(100 * b.realisasi / b.pagu, 2) if b.pagu and b.realisasi is not None else None
        budget_rows.append(d)
    indicator_rows = [dict(asdict(r), source_file=src, **common) for r in ext.indicator_rows]
    training = [dict(asdict(t), method="table", source_file=src, **common) for t in ext.training_courses]
    context = [dict(asdict(c), source_file=src, **common) for c in ext.context]
    tables = []
    for t in doc.tables:
        cols = columns(t)
        years = sorted({c.year for c in cols if c.year})
        tables.append({
            "report_id": report_id, "table_id": t.id, "encoding": t.encoding, "line_start": t.line_start,
            "line_end": t.line_end, "n_rows": len(t.rows), "n_header_rows": t.header_rows, "n_columns": t.width,
            "header": " | ".join(c.label for c in cols), "year_columns": ",".join(map(str, years)) or None,
            "caption": t.caption_text()[:500] or None, "section": t.section, "notes": "; ".join(t.notes) or None,
        })
    cover = assess(observations, len(raw.lines), len(doc.tables))
    if cover.low:
        warnings.append({"report_id": report_id, "source_file": src, "severity": "warning", "code": "low_coverage",
                         "message": cover.message(), "source_line": None})
    _cite_pages(raw, [observations, budget_rows, indicator_rows, training, context, warnings])
    report = {
        "report_id": report_id,
        "source_file": src,
        "original_name": original_name,
        "regency": ident.regency,
        "area_type": ident.area_type,
        "area_code": ident.area_code,
        "province": ident.province,
        "agency": ident.agency,
        "report_year": ident.report_year,
        "period": ident.period,
        "sha256": raw.sha256,
        "n_lines": len(raw.lines),
        "encoding": raw.encoding,
        "source_kind": raw.kind,
        "n_pages": raw.n_pages,
        "coverage": json.dumps(cover.as_json(), ensure_ascii=False),
        "parsed_at": datetime.now(timezone.utc).replace(tzinfo=None),
        "detection": json.dumps(ident.evidence, ensure_ascii=False),
        "n_tables": len(doc.tables),
        "n_observations": len(observations),
        "n_conflicts": len(conflict_rows),
        "n_warnings": len(warnings),
    }
    return ReportResult(report, observations, conflict_rows, budget_rows, indicator_rows, training, context, tables, warnings)


def _cite_pages(raw: RawReport, tables: list[list[dict]]) -> None:
    """Every row citing a line of a PDF's text also cites its page (NULL for text files)."""
    pages = raw.pages
    for rows in tables:
        for r in rows:
            line = r.get("source_line")
            r["source_page"] = pages[line - 1] if pages and line and 0 < line <= len(pages) else None


def source_path(raw_dir: Path, name: str) -> Path:
    return raw_dir / name
