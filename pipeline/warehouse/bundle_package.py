"""The research bundle's `datapackage.json`: a Frictionless Data Package describing every file
(size, SHA-256) and every table column (type, DuckDB type, meaning from `dictionary.yaml`)."""

from __future__ import annotations

import hashlib
import json
import re
import time
from pathlib import Path
from urllib.parse import unquote

import duckdb

from pipeline.warehouse.bundle_metadata import CSV_NOTE, TITLE, citation, column_meaning, dictionary, version

# DuckDB type -> Frictionless Table Schema type; the exact DuckDB type is kept beside it
SCHEMA_TYPE = {"VARCHAR": "string", "INTEGER": "integer", "BIGINT": "integer", "SMALLINT": "integer",
               "DOUBLE": "number", "FLOAT": "number", "BOOLEAN": "boolean", "DATE": "date"}
# Frictionless reads Parquet through pandas, which turns a nullable integer column into floats and
# lists into arrays, and then rejects exact files. So a Parquet resource is checked as a file
# (size, SHA-256) by Frictionless; its schema — the same fields as the CSV — is checked against
# the file's own Parquet schema by `bundle.check` and the tests.
PARQUET = {"type": "file", "format": "parquet", "mediatype": "application/vnd.apache.parquet"}


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
