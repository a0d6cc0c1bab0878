"""What the research bundle says about itself: one metadata file per indicator, the bundle's
README (from `bundle_readme.md.tmpl`) and its Frictionless `datapackage.json`.

Everything here is read from the warehouse or from the project's one dictionary of meanings —
indicator titles, units and definitions from `pipeline/domain/indicators.yaml`, column meanings
from `dictionary.yaml`, the headline rule from `pipeline/reconcile/rank.py` — so the bundle
cannot describe its data differently from the app and the pipeline.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from string import Template
from urllib.parse import unquote

import duckdb
import yaml

from pipeline import __version__
from pipeline.knowledge import SAFE_LOADER, indicators

DICTIONARY = Path(__file__).parent / "dictionary.yaml"
README_TEMPLATE = Path(__file__).parent / "bundle_readme.md.tmpl"
TITLE = "Indonesian district labour offices' performance reports (LKjIP): research data bundle"
PERIOD_TEXT = {"annual": "full year", "Q1": "first quarter (Triwulan I)", "Q2": "second quarter (Triwulan II)",
               "Q3": "third quarter (Triwulan III)", "Q4": "fourth quarter (Triwulan IV)",
               "S1": "first half (Semester I)", "S2": "second half (Semester II)"}
RECOMPUTED = " (recomputed)"  # how derive.py marks a definition the pipeline recomputed
DIRECTION_TEXT = {"higher": "higher is better", "lower": "lower is better", None: "no direction (a volume, not a performance)"}
# DuckDB type -> Frictionless Table Schema type; the exact DuckDB type is kept beside it
SCHEMA_TYPE = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "SMALLINT": "integer",
               "DOUBLE": "number", "FLOAT": "number", "BOOLEAN": "boolean", "DATE": "date"}
# Frictionless reads Parquet through pandas, which turns a nullable integer column into floats and
# lists into arrays, and then rejects exact files. So a Parquet resource is checked as a file
# (size, SHA-256) by Frictionless; its schema — the same fields as the CSV — is checked against
# the file's own Parquet schema by `bundle.check` and the tests.
PARQUET = {"type": "file", "format": "parquet", "mediatype": "application/vnd.apache.parquet"}
CSV_NOTE = ("UTF-8, comma-separated, one header row; an empty cell is a missing value, a quoted empty cell (\"\") "
            "an empty text. Lists are JSON text. "
            "Timestamps are ISO 8601 (UTC). A text cell that begins with = + - @, a tab, a carriage return or an "
            "apostrophe carries one extra leading apostrophe so that spreadsheets show it as text instead of "
            "running it as a formula: drop one leading apostrophe to get the original (the Parquet files hold it unchanged).")


def version(info: dict[str, str]) -> str:
    """Bundle version: the pipeline's version + the first digits of the input fingerprint (the raw
    reports' hashes and the pipeline code), so the same inputs always give the same version."""
    return f"{info.get('pipeline_version', __version__)}+{info.get('input_fingerprint', 'unknown')[:12]}"


def dictionary() -> dict:
    return yaml.load(DICTIONARY.read_text(encoding="utf-8"), Loader=SAFE_LOADER)["tables"]


def column_meaning(spec: dict, table: str, column: str) -> str:
    # headline shares the observations' columns, every table shares the reports' id columns
    for source in (table, "observations", "reports"):
        meaning = (spec.get(source, {}).get("columns") or {}).get(column)
        if meaning:
            return meaning
    return ""


# ---- per indicator ------------------------------------------------------------------------------

def indicator_metadata(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """One description per indicator present in `observations`: what it means (from the indicator
    dictionary), how each regency defines it, which reports and lines feed it, and what to watch."""
    known = indicators()
    counts = _group(con, """
        SELECT indicator, count(*) AS n, list(DISTINCT unit ORDER BY unit) AS units,
               count(*) FILTER (method = 'derived') AS derived, count(*) FILTER (status = 'conflict') AS conflict,
               count(*) FILTER (status = 'mismatch') AS mismatch, count(*) FILTER (status = 'suspect') AS suspect,
               count(*) FILTER (period <> 'annual') AS part_year
        FROM observations GROUP BY indicator""")
    definitions = _group(con, """
        SELECT indicator, regency, definition, count(*) AS n_observations, list(DISTINCT method ORDER BY method) AS methods
        FROM observations WHERE definition IS NOT NULL GROUP BY ALL ORDER BY indicator, regency, definition""")
    sources = _group(con, """
        SELECT o.indicator, o.report_id, r.regency, r.agency, r.source_file, r.original_name, r.report_year,
               r.period AS report_period, r.sha256, list(DISTINCT o.year ORDER BY o.year) AS years,
               list(DISTINCT o.period ORDER BY o.period) AS periods, count(*) AS n_observations,
               list(DISTINCT o.source_line ORDER BY o.source_line) AS lines
        FROM observations o JOIN reports r USING (report_id) GROUP BY ALL ORDER BY o.indicator, r.regency, r.report_year""")
    part_year = _group(con, """
        SELECT indicator, regency, period, count(*) AS n FROM observations WHERE period <> 'annual'
        GROUP BY ALL ORDER BY indicator, regency, period""")
    reasons = _group(con, """
        SELECT indicator, status, status_reason AS reason, count(*) AS n FROM observations
        WHERE status IN ('suspect', 'mismatch') AND status_reason IS NOT NULL GROUP BY ALL ORDER BY indicator, n DESC""")
    formulas = _group(con, """
        SELECT indicator, formula, count(*) AS n FROM observations WHERE method = 'derived' AND formula IS NOT NULL
        GROUP BY ALL ORDER BY indicator, n DESC, formula""")
    headline = _group(con, """
        SELECT indicator, regency, year, period, kind, value, unit, definition, method, status, has_conflict,
               has_suspect, n_candidates, source_file, source_line
        FROM headline WHERE scope = 'total' ORDER BY indicator, regency, year, period, kind""")
    out = {}
    for ind, (c,) in counts.items():
        spec = known.get(ind)
        out[ind] = {
            "id": ind,
            "title": dict(spec.title) if spec else {"en": ind, "id": ind},
            "short_title": dict(spec.short) if spec else {"en": ind, "id": ind},
            "unit": spec.unit if spec else c["units"][0],
            "units_in_data": c["units"],
            "direction": spec.better if spec else None,
            "direction_text": DIRECTION_TEXT[spec.better if spec else None],
            "definition": dict(spec.description) if spec else {"en": "", "id": ""},
            "ratio": dict(spec.ratio) if spec and spec.ratio else None,
            "known_definitions": [{"id": d.id, "en": d.en, "id_text": d.id_text} for d in spec.definitions] if spec else [],
            "definitions_by_regency": definitions.get(ind, []),
            "sources": [{k: v for k, v in s.items()} for s in sources.get(ind, [])],
            "headline_values": headline.get(ind, []),
            "counts": {"observations": c["n"], "derived": c["derived"], "conflict": c["conflict"],
                       "mismatch": c["mismatch"], "suspect": c["suspect"], "part_year": c["part_year"]},
            "caveats": _caveats(ind, c, definitions.get(ind, []), part_year.get(ind, []), reasons.get(ind, []),
                                formulas.get(ind, []), headline.get(ind, [])),
            "derived_formulas": [f["formula"] for f in formulas.get(ind, [])[:5]],
            "status_reasons": reasons.get(ind, []),
        }
    return out


def _group(con: duckdb.DuckDBPyConnection, sql: str) -> dict[str, list[dict]]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in cur.fetchall():
        rec = dict(zip(names, row))
        grouped[rec.pop("indicator")].append(rec)
    return grouped


def _caveats(ind: str, c: dict, definitions: list[dict], part_year: list[dict], reasons: list[dict],
             formulas: list[dict], headline: list[dict]) -> list[str]:
    """What a researcher must know before comparing this indicator across regencies, in words."""
    notes = []
    for p in part_year:
        notes.append(f"{p['regency']}: {p['n']} value(s) cover the {PERIOD_TEXT.get(p['period'], p['period'])} only, "
                     "not a full year — not comparable with annual values.")
    years: dict[str, set] = defaultdict(set)
    for h in headline:
        if h["kind"] == "actual":
            years[h["regency"]].add(h["year"])
    if len({max(y) for y in years.values()}) > 1:
        latest = "; ".join(f"{r} {max(y)}" for r, y in sorted(years.items()))
        notes.append(f"The latest year with a value differs by regency ({latest}): compare the same year, "
                     "or say which years you compare.")
    if len({d["definition"].removesuffix(RECOMPUTED) for d in definitions}) > 1:
        notes.append(f"Regencies define it differently — {definitions_text(definitions)}. "
                     "Compare only values with the same `definition`.")
    if c["derived"]:
        example = f" (e.g. {formulas[0]['formula']})" if formulas else ""
        notes.append(f"{c['derived']} value(s) are derived — recomputed by the pipeline from a report's own figures, "
                     f"not printed in it (method = 'derived', see `formula`){example}.")
    if c["suspect"]:
        notes.append(f"{c['suspect']} value(s) are suspect: a written plausibility rule doubts them (status = 'suspect', "
                     "see `status_reason`); they never win the headline over a value that is not suspect.")
    if c["mismatch"]:
        notes.append(f"{c['mismatch']} stated value(s) disagree with their own figures (status = 'mismatch').")
    if c["conflict"]:
        notes.append(f"{c['conflict']} value(s) lost to another candidate that states a different number for the same "
                     "key (status = 'conflict'; see the conflicts table).")
    if len(c["units"]) > 1:
        notes.append(f"Values come in several units ({', '.join(c['units'])}): filter on `unit` before comparing.")
    return notes


def definitions_text(definitions: list[dict]) -> str:
    """'Bungo: a; Paser: a, b' — each regency's own definitions (the pipeline's recomputations aside)."""
    by: dict[str, list[str]] = defaultdict(list)
    recomputed = set()
    for d in definitions:
        if d["definition"].endswith(RECOMPUTED):
            recomputed.add(d["regency"])
        elif d["definition"] not in by[d["regency"]]:
            by[d["regency"]].append(d["definition"])
    text = "; ".join(f"{r}: {', '.join(ds)}" for r, ds in sorted(by.items()))
    if recomputed:
        text += f" (for {', '.join(sorted(recomputed))} the pipeline also recomputes it, marked '{RECOMPUTED.strip()}')"
    return text


def write_indicator_metadata(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, str]:
    """metadata/<indicator>.json for every indicator in `observations`; returns {id: relative path}."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for ind, doc in indicator_metadata(con).items():
        (folder / f"{ind}.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n",
                                             encoding="utf-8")
        written[ind] = f"{folder.name}/{ind}.json"
    return written


# ---- README and the about sheet ----------------------------------------------------------------------

def _reports(con: duckdb.DuckDBPyConnection) -> list[dict]:
    cur = con.execute("""
        SELECT r.report_id, r.regency, r.area_type, r.province, r.agency, r.report_year, r.period, r.source_file,
               r.original_name, r.sha256, r.n_conflicts,
               (SELECT list(DISTINCT o.year ORDER BY o.year) FROM observations o
                 WHERE o.report_id = r.report_id AND o.kind = 'actual') AS years,
               (SELECT count(*) FROM observations o WHERE o.report_id = r.report_id) AS n_observations,
               (SELECT count(*) FROM observations o WHERE o.report_id = r.report_id AND o.status = 'mismatch') AS n_mismatch,
               (SELECT count(*) FROM observations o WHERE o.report_id = r.report_id AND o.status = 'suspect') AS n_suspect
        FROM reports r ORDER BY r.regency, r.report_year""")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def citation(r: dict) -> str:
    place = f"Kabupaten {r['regency']}" if r.get("area_type") == "kabupaten" else r["regency"]
    agency = f"{r['agency']} {place}" if r.get("agency") else place
    period = "" if r["period"] == "annual" else f", {PERIOD_TEXT.get(r['period'], r['period'])} only"
    province = f" ({r['province']})" if r.get("province") else ""
    return (f"{agency}{province}. "
            f"*Laporan Kinerja Instansi Pemerintah (LKjIP) {r['report_year']}*{period}. "
            f"Original file `{r['original_name']}`; SHA-256 `{r['sha256']}`.")


def bundle_citation(info: dict[str, str], reports: list[dict]) -> str:
    regencies = ", ".join(sorted({r["regency"] for r in reports}))
    return (f"{TITLE}, version {version(info)}, built {info.get('built_at', 'unknown')} from {len(reports)} "
            f"LKjIP report(s) ({regencies}); input fingerprint {info.get('input_fingerprint', 'unknown')}.")


def about_rows(con: duckdb.DuckDBPyConnection, info: dict[str, str]) -> list[tuple[str, str]]:
    """The XLSX 'about' sheet: what the workbook is, how to cite it, and what every column means."""
    from pipeline.warehouse.bundle import TABLES

    spec = dictionary()
    reports = _reports(con)
    rows = [("title", TITLE), ("version", version(info)), ("data built at", info.get("built_at", "")),
            ("cite as", bundle_citation(info, reports)),
            ("read first", "README.md in the bundle: comparability caveats (different years, a first-quarter report, "
                           "different placement-rate definitions, derived and suspect values) and the headline rule."),
            ("sheets", "One sheet per table; the same rows as csv/<table>.csv and parquet/<table>."), ("", "")]
    rows += [("source report", citation(r)) for r in reports]
    rows.append(("", ""))
    for table in TABLES:
        rows.append((table, spec.get(table, {}).get("description", "")))
        for (col,) in con.execute(f"SELECT column_name FROM (DESCRIBE {table})").fetchall():
            rows.append((f"{table}.{col}", column_meaning(spec, table, col)))
    return rows


def write_readme(con: duckdb.DuckDBPyConnection, path: Path, info: dict[str, str], rows: dict[str, int],
                 indicator_files: dict[str, str]) -> None:
    from pipeline.reconcile.rank import RULE_TEXT
    from pipeline.warehouse.bundle import PARTITIONED, TABLES, XLSX_NAME

    spec = dictionary()
    reports = _reports(con)
    contents = []
    for t in TABLES:
        parquet = f"`parquet/{t}/regency=…/*.parquet`" if t in PARTITIONED else f"`parquet/{t}.parquet`"
        contents.append(f"| `csv/{t}.csv`, {parquet} | {spec.get(t, {}).get('description', '')} | {rows[t]:,} |")
    report_rows = [
        f"| {r['regency']} | {r['report_year']} | {r['period']} | {', '.join(map(str, r['years'] or [])) or '–'} "
        f"| {r['n_observations']} | {r['n_conflicts']} | {r['n_mismatch']} | {r['n_suspect']} | `{r['source_file']}` |"
        for r in reports
    ]
    notes = []
    for r in reports:
        if r["period"] != "annual":
            notes.append(f"- **{r['regency']}** is a {PERIOD_TEXT.get(r['period'], r['period'])} report: its realised "
                         "values (budget realisation, placements, trainees) cover that part of the year only.")
        if r["years"] and r["report_year"] not in r["years"]:
            notes.append(f"- **{r['regency']}** calls itself {r['report_year']}, but its realised values are for "
                         f"{', '.join(map(str, r['years']))}.")
    meta = {i: json.loads((path.parent / f).read_text(encoding="utf-8")) for i, f in indicator_files.items()}
    placement = meta.get("placement_rate", {}).get("definitions_by_regency", [])
    if placement:
        notes.append(f"- **Placement rate** definitions: {definitions_text(placement)}.")
    ind_rows = [f"| `{i}` | {m['title']['en']} / {m['title']['id']} | {m['unit']} | {m['direction_text']} "
                f"| {m['counts']['observations']} | `{indicator_files[i]}` |" for i, m in sorted(meta.items())]
    text = Template(README_TEMPLATE.read_text(encoding="utf-8")).substitute(
        title=TITLE, version=version(info), built_at=info.get("built_at", "unknown"),
        exported_at=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), n_reports=len(reports),
        contents="\n".join(contents), xlsx=XLSX_NAME, csv_note=CSV_NOTE,
        report_table="\n".join(report_rows), specific_notes="\n".join(notes) or "- (none)",
        rule_text=RULE_TEXT.strip(), indicator_table="\n".join(ind_rows),
        citations="\n".join(f"- {citation(r)}" for r in reports),
        bundle_citation=bundle_citation(info, reports),
        input_hashes="\n".join(f"| `{r['source_file']}` | `{r['original_name']}` | `{r['sha256']}` |" for r in reports),
        input_fingerprint=info.get("input_fingerprint", "unknown"),
        code_fingerprint=info.get("code_fingerprint", "unknown"), pipeline_version=info.get("pipeline_version", __version__),
    )
    path.write_text(text, encoding="utf-8")


# ---- datapackage.json -------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _file_facts(root: Path, rel: str) -> dict:
    p = root / rel
    return {"path": rel, "bytes": p.stat().st_size, "hash": f"sha256:{_sha256(p)}"}


def table_schema(spec: dict, table: str, columns: list, fmt: str, drop: tuple[str, ...] = ()) -> dict:
    fields = []
    for c in columns:
        if c.name in drop:
            continue
        if c.type.endswith("[]"):
            typ = "array"
        elif c.type.startswith("TIMESTAMP"):
            typ = "datetime"
        else:
            typ = SCHEMA_TYPE.get(c.type, "string")
        field = {"name": c.name, "type": typ, "description": column_meaning(spec, table, c.name), "duckdb_type": c.type}
        if typ == "datetime" and fmt == "csv":
            field["format"] = "%Y-%m-%dT%H:%M:%S.%f"
        if c.required:
            field["constraints"] = {"required": True}
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""]}
    key = {"reports": "report_id", "observations": "obs_id", "headline": "obs_id", "conflicts": "conflict_id"}.get(table)
    if key:
        schema["primaryKey"] = [key]
    if fmt == "csv" and table != "reports" and any(c.name == "report_id" for c in columns):
        schema["foreignKeys"] = [{"fields": ["report_id"], "reference": {"resource": "reports", "fields": ["report_id"]}}]
    return schema


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def write_datapackage(root: Path, info: dict[str, str], columns: dict[str, list], rows: dict[str, int]) -> dict:
    """A Frictionless Data Package: every file of the bundle with its size and SHA-256, every
    table column with its type and meaning (`frictionless validate datapackage.json` checks it)."""
    from pipeline.warehouse.bundle import PARTITIONED, TABLES, XLSX_NAME

    spec = dictionary()
    resources = []
    for t in TABLES:
        resources.append({
            "name": t, **_file_facts(root, f"csv/{t}.csv"), "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "title": f"{t} (CSV)", "description": f"{spec.get(t, {}).get('description', '')} {rows[t]} rows. {CSV_NOTE}",
            "schema": table_schema(spec, t, columns[t], "csv"),
        })
    used: set[str] = set()
    for t in TABLES:
        desc = spec.get(t, {}).get("description", "")
        if t not in PARTITIONED:
            resources.append({
                "name": f"{t}-parquet", **_file_facts(root, f"parquet/{t}.parquet"), **PARQUET, "title": f"{t} (Parquet)",
                "description": f"{desc} Same rows as csv/{t}.csv, values and types exact.",
                "schema": table_schema(spec, t, columns[t], "parquet"),
            })
            continue
        key = PARTITIONED[t]
        for part in sorted((root / "parquet" / t).glob("*/*.parquet")):
            value = unquote(part.parent.name.split("=", 1)[1])
            name = f"{t}-parquet-{_slug(value)}"
            while name in used:
                name += "-x"
            used.add(name)
            resources.append({
                "name": name, **_file_facts(root, part.relative_to(root).as_posix()), **PARQUET,
                "title": f"{t} (Parquet), {key} = {value}",
                "description": f"{desc} The rows with {key} = {value!r}; hive partitioning: the `{key}` column is the "
                               f"folder name (read parquet/{t}/ as one dataset with hive partitioning to get it back).",
                "partition": {key: value}, "group": f"{t}-parquet",
                "schema": table_schema(spec, t, columns[t], "parquet", drop=(key,)),
            })
    resources.append({"name": "workbook", **_file_facts(root, XLSX_NAME), "type": "file", "format": "xlsx",
                      "mediatype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      "description": "The tables for spreadsheet users: an 'about' sheet (citation, sources, every "
                                     "column's meaning), then one sheet per table."})
    for p in sorted((root / "metadata").glob("*.json")):
        resources.append({"name": f"metadata-{_slug(p.stem)}", **_file_facts(root, f"metadata/{p.name}"), "type": "file",
                          "format": "json", "mediatype": "application/json",
                          "description": f"Indicator `{p.stem}`: titles (id/en), unit, direction, definition, how each "
                                         "regency defines it, the reports and lines that feed it, caveats."})
    resources.append({"name": "readme", **_file_facts(root, "README.md"), "type": "file", "format": "md",
                      "mediatype": "text/markdown",
                      "description": "What the bundle holds, comparability caveats, the headline rule, how to cite."})
    reports = json.loads(json.dumps(_bundle_reports(root), default=str))
    package = {
        "name": "lkjip-labour-performance",
        "title": TITLE,
        "version": version(info),
        "created": info.get("built_at", ""),
        "description": "Every value read from Indonesian district labour offices' LKjIP performance reports, each citing "
                       "its report file and line; the headline value per key; the disagreements found inside reports; "
                       "budget lines, performance-indicator rows and training courses. See README.md.",
        "keywords": ["Indonesia", "labour", "unemployment", "job placement", "training", "budget", "LKjIP"],
        "sources": [{"title": r["citation"], "path": r["original_name"]} for r in reports],
        "build": {k: info.get(k) for k in ("built_at", "build_id", "input_fingerprint", "code_fingerprint",
                                           "pipeline_version", "n_reports")}
                 | {"exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                    "inputs": [{"file": r["source_file"], "original_name": r["original_name"], "sha256": r["sha256"]}
                               for r in reports]},
        "resources": resources,
    }
    (root / "datapackage.json").write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return package


def _bundle_reports(root: Path) -> list[dict]:
    """The reports as the bundle itself holds them (the citation rows of datapackage.json)."""
    con = duckdb.connect()
    try:
        cur = con.execute("SELECT * FROM read_parquet(?) ORDER BY regency, report_year", [str(root / "parquet" / "reports.parquet")])
        names = [d[0] for d in cur.description]
        out = [dict(zip(names, row)) for row in cur.fetchall()]
    finally:
        con.close()
    for r in out:
        r["citation"] = citation(r)
    return out
