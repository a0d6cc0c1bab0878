"""Parquet and CSV copies of the public tables, and the data dictionary, in data/curated/.

The exports belong to one warehouse: `write_exports` fills a staging folder from the new
(not yet swapped-in) warehouse file, `publish` moves them into place and writes
`export_info.json` last, naming the build they come from. A build killed half-way leaves either
the previous exports or no `export_info.json` that matches the warehouse — and `exports_match`
tells the next build to repair them rather than call the result up to date.
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
ITEMS = ("parquet", "csv", "data_dictionary.md", "data_dictionary.json")
INFO = "export_info.json"  # {"build_id": ...} of the warehouse the exports were written from


def staging_path(out_dir: Path, pid: int) -> Path:
    return out_dir / f".export.{pid}"


def export_all(db_path: Path, out_dir: Path, build_id: str | None = None) -> list[Path]:
    """Exports of the warehouse at db_path, published into out_dir (staging, then swap)."""
    if build_id is None:  # the exports name the warehouse they come from, whoever asks for them
        from pipeline.warehouse.load import read_build_info

        build_id = read_build_info(db_path).get("build_id")
    staging = write_exports(db_path, out_dir)
    return publish(staging, out_dir, build_id)


def write_exports(db_path: Path, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = staging_path(out_dir, os.getpid())
    if staging.exists():
        shutil.rmtree(staging)
    try:
        (staging / "parquet").mkdir(parents=True)
        (staging / "csv").mkdir()
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            from pipeline.warehouse.load import MEMORY_LIMIT

            con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            for name in PUBLIC:
                # paths are parameters: a folder name with a quote must not end the SQL string
                con.execute(f"COPY (SELECT * FROM {name}) TO ? (FORMAT parquet)", [str(staging / "parquet" / f"{name}.parquet")])
                # CSV cannot hold lists: write them as JSON text
                cols = con.execute(f"DESCRIBE {name}").fetchall()
                select = ", ".join(
                    f"to_json({_q(c[0])}) AS {_q(c[0])}" if c[1].endswith("[]") else _q(c[0]) for c in cols
                )
                con.execute(f"COPY (SELECT {select} FROM {name}) TO ? (HEADER, DELIMITER ',')", [str(staging / "csv" / f"{name}.csv")])
            dictionary = data_dictionary(con)
        finally:
            con.close()
        (staging / "data_dictionary.md").write_text(dictionary["markdown"], encoding="utf-8")
        (staging / "data_dictionary.json").write_text(json.dumps(dictionary["json"], indent=2, ensure_ascii=False), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def publish(staging: Path, out_dir: Path, build_id: str | None) -> list[Path]:
    """Move the staged exports into place. export_info.json goes first and comes back last, so
    an interruption in between leaves exports that no warehouse claims."""
    (out_dir / INFO).unlink(missing_ok=True)
    written = []
    for item in ITEMS:
        target = out_dir / item
        if target.is_dir():
            old = out_dir / f".{item}.old.{os.getpid()}"
            os.replace(target, old)  # a rename, then delete: the swap itself is never half-done
            os.replace(staging / item, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(staging / item, target)
        written.append(target)
    shutil.rmtree(staging, ignore_errors=True)
    if build_id:
        info = out_dir / f".{INFO}.{os.getpid()}"
        info.write_text(json.dumps({"build_id": build_id}), encoding="utf-8")
        os.replace(info, out_dir / INFO)
    return written


def exports_match(out_dir: Path, build_id: str | None) -> bool:
    """Are the exports in out_dir complete and written from the warehouse with this build_id?"""
    expected = [out_dir / item for item in ITEMS[2:]] + [
        out_dir / folder / f"{name}.{folder}" for folder in ("parquet", "csv") for name in PUBLIC]
    if not build_id or not all(p.exists() for p in expected):
        return False
    try:
        return json.loads((out_dir / INFO).read_text(encoding="utf-8")).get("build_id") == build_id
    except (OSError, ValueError, AttributeError):
        return False


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
