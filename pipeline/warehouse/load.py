"""Write the warehouse: a new DuckDB file next to the old one, checked, then swapped in.

A build that fails at any point leaves the previous warehouse untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.knowledge import indicators
from pipeline.report import ReportResult
from pipeline.warehouse.contract import validate

SQL_DIR = Path(__file__).parent / "sql"
TABLES = [
    "reports", "observations", "conflicts", "budget_lines", "indicator_rows",
    "training_courses", "context_values", "tables_found", "warnings",
]


def frames(results: list[ReportResult], file_warnings: list[dict]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[dict]] = {t: [] for t in TABLES}
    for r in results:
        rows["reports"].append(r.report)
        for t in TABLES[1:]:
            rows[t].extend(getattr(r, t))
    rows["warnings"].extend(file_warnings)
    out = {t: pd.DataFrame(v) for t, v in rows.items()}
    if not out["observations"].empty:
        out["observations"].insert(0, "obs_id", range(1, len(out["observations"]) + 1))
    if not out["conflicts"].empty:
        out["conflicts"].insert(0, "conflict_id", range(1, len(out["conflicts"]) + 1))
    out["indicators"] = pd.DataFrame([
        {
            "indicator": i.id, "unit": "count" if i.unit == "packages" else i.unit, "better": i.better,
            "headline": i.headline, "title_en": i.title["en"], "title_id": i.title["id"],
            "short_en": i.short["en"], "short_id": i.short["id"],
            "description_en": i.description["en"], "description_id": i.description["id"],
        }
        for i in indicators().values()
    ])
    return out


def write_warehouse(db_path: Path, data: dict[str, pd.DataFrame], build_info: dict[str, str]) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    if tmp.exists():
        tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute((SQL_DIR / "schema.sql").read_text(encoding="utf-8"))
            for name, df in data.items():
                if df.empty:
                    continue
                wanted = [r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()]
                con.register("incoming", df[[c for c in wanted if c in df.columns]])
                con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM incoming")
                con.unregister("incoming")
            con.executemany("INSERT INTO build_info VALUES (?, ?)", list(build_info.items()))
            con.execute((SQL_DIR / "headline.sql").read_text(encoding="utf-8"))
            validate(con)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    except BaseException:
        if tmp.exists():
            tmp.unlink()
        raise


def read_build_info(db_path: Path) -> dict[str, str]:
    if not db_path.exists():
        return {}
    try:
        con = duckdb.connect(str(db_path), read_only=True)
        try:
            return dict(con.execute("SELECT key, value FROM build_info").fetchall())
        finally:
            con.close()
    except duckdb.Error:
        return {}
