"""Dump every warehouse table (sorted, volatile columns dropped) to text files, to diff two builds.

    .venv/bin/python bench/dump_warehouse.py WAREHOUSE.duckdb OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

VOLATILE = {"parsed_at", "built_at", "obs_id", "conflict_id"}  # ids: observation order inside a report is not deterministic


def dump(db: Path, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name").fetchall()]
        for name in names:
            cols = con.execute(f'DESCRIBE "{name}"').fetchall()
            keep = [c for c in cols if c[0] not in VOLATILE]
            sel = ", ".join(f'"{c[0]}"' for c in keep)
            where = " WHERE key NOT IN ('built_at', 'raw_dir', 'code_fingerprint', 'input_fingerprint')" if name == "build_info" else ""
            rows = con.execute(f'SELECT {sel} FROM "{name}"{where} ORDER BY ALL').fetchall()
            with open(out / f"{name}.txt", "w", encoding="utf-8") as fh:
                fh.write("\t".join(f"{c[0]}:{c[1]}" for c in keep) + "\n")
                for r in rows:
                    fh.write("\t".join(repr(v) for v in r) + "\n")
    finally:
        con.close()


if __name__ == "__main__":
    dump(Path(sys.argv[1]), Path(sys.argv[2]))
