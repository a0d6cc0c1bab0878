"""Parquet and CSV copies of the public tables, and the data dictionary, in data/curated/.

Written to a temporary folder and swapped in, like the warehouse itself.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import yaml

from pipeline.knowledge import SAFE_LOADER

PUBLIC = ["reports", "observations", "headline", "conflicts", "budget_lines", "indicator_rows",
          "training_courses", "context_values", "tables_found", "warnings", "indicators"]
DICTIONARY = Path(__file__).parent / "dictionary.yaml"


def export_all(db_path: Path, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / f".export.{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "parquet").mkdir(parents=True)
    (staging / "csv").mkdir()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        from pipeline.warehouse.load import MEMORY_LIMIT

        con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
        for name in PUBLIC:
            con.execute(f"COPY (SELECT * FROM {name}) TO '{staging / 'parquet' / (name + '.parquet')}' (FORMAT parquet)")
            # CSV cannot hold lists: write them as JSON text
            cols = con.execute(f"DESCRIBE {name}").fetchall()
            select = ", ".join(
                f"to_json({_q(c[0])}) AS {_q(c[0])}" if c[1].endswith("[]") else _q(c[0]) for c in cols
            )
            con.execute(f"COPY (SELECT {select} FROM {name}) TO '{staging / 'csv' / (name + '.csv')}' (HEADER, DELIMITER ',')")
        dictionary = data_dictionary(con)
    finally:
        con.close()
    (staging / "data_dictionary.md").write_text(dictionary["markdown"], encoding="utf-8")
    (staging / "data_dictionary.json").write_text(json.dumps(dictionary["json"], indent=2, ensure_ascii=False), encoding="utf-8")
    written = []
    for item in ("parquet", "csv", "data_dictionary.md", "data_dictionary.json"):
        target = out_dir / item
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        os.replace(staging / item, target)
        written.append(target)
    shutil.rmtree(staging, ignore_errors=True)
    return written


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def data_dictionary(con: duckdb.DuckDBPyConnection) -> dict:
    spec = yaml.load(DICTIONARY.read_text(encoding="utf-8"), Loader=SAFE_LOADER)["tables"]
    md = ["# Data dictionary", "",
          "Tables of the labour-performance warehouse built from LKjIP reports. Files: `parquet/<table>.parquet`"
          " and `csv/<table>.csv` (lists are JSON text in CSV). Every value in `observations` cites the raw file"
          " and line it came from.", ""]
    js = {}
    obs_cols = spec["observations"]["columns"]
    for name in PUBLIC:
        info = spec.get(name, {})
        cols = con.execute(f"DESCRIBE {name}").fetchall()
        described = info.get("columns", {})
        md += [f"## `{name}`", "", info.get("description", ""), "", "| column | type | meaning |", "|---|---|---|"]
        js[name] = {"description": info.get("description", ""), "columns": {}}
        for col, typ, *_ in cols:
            meaning = described.get(col) or obs_cols.get(col) or spec["reports"]["columns"].get(col, "")
            md.append(f"| `{col}` | {typ} | {meaning} |")
            js[name]["columns"][col] = {"type": typ, "description": meaning}
        md.append("")
    md += ["## Indicators", "", "| id | unit | better | meaning |", "|---|---|---|---|"]
    for row in con.execute("SELECT indicator, unit, better, title_en, description_en FROM indicators ORDER BY indicator").fetchall():
        md.append(f"| `{row[0]}` | {row[1]} | {row[2] or '–'} | {row[3]} — {row[4]} |")
    return {"markdown": "\n".join(md) + "\n", "json": js}
