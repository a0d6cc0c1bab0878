"""The independent check on reports unlike the seeds (tests/fixtures/unseen/*.txt, written by the
checker in its own words and numbers, each with a YAML of hand-read facts beside it).

Per fixture: identity right?  how many expected facts does the `headline` view hold with the
right value?  how many headline values for an expected key are wrong *and* not flagged
(status suspect / conflict / mismatch)?  Shared by tests/test_unseen_fixtures.py and
`python -m tests.unseen_facts` (prints the table and every miss)."""

from __future__ import annotations

import runpy
import shutil
import tempfile
from pathlib import Path

import duckdb
import yaml

from tests.facts import scope_key, tolerance

FIXTURES = Path(__file__).parent / "fixtures" / "unseen"
IDENTITY = ("regency", "area_type", "province", "report_year", "period")


def load() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(FIXTURES.glob("*.yaml"))]


def build(db_dir: Path) -> Path:
    from pipeline.build import run

    raw = db_dir / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for exp in load():
        if exp["file"].endswith(".pdf"):  # PDFs are written by their script at test time (no binary in git)
            runpy.run_path(str(FIXTURES / exp["file"].replace(".pdf", ".py")))["write"](raw / exp["file"])
        else:
            shutil.copy(FIXTURES / exp["file"], raw / exp["file"])
    db = db_dir / "unseen.duckdb"
    run(raw, db, export=False, workers=1)
    return db


def _key(r: dict) -> tuple:
    return (r["indicator"], scope_key(str(r.get("scope", "total"))), int(r["year"]), r.get("period", "annual"), r["kind"])


def check(db: Path) -> list[dict]:
    """One result per fixture: identity_ok, identity_got, right, total, unflagged_wrong, misses."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        reports = {r["source_file"]: r for r in con.execute("SELECT * FROM reports").df().to_dict("records")}
        head = con.execute("SELECT * FROM headline").df().to_dict("records")
    finally:
        con.close()
    out = []
    for exp in load():
        rep = reports.get(exp["file"])
        got = {k: (rep or {}).get(k) for k in IDENTITY}
        want = {k: exp["identity"][k] for k in IDENTITY}
        rows = [h for h in head if rep and h["report_id"] == rep["report_id"]]
        by_key: dict[tuple, dict] = {_key(h): h for h in rows}
        right, misses, wrong = 0, [], []
        for f in exp["facts"]:
            h = by_key.get(_key(f))
            v = float(f["value"])
            if h is not None and abs(h["value"] - v) <= tolerance(v):
                right += 1
                continue
            misses.append((f, None if h is None else (h["value"], h["status"], h["source_line"])))
            flagged = h is not None and (h["status"] in ("suspect", "conflict", "mismatch") or h["has_conflict"])
            if h is not None and not flagged:
                wrong.append((f, h["value"], h["source_line"]))
        out.append({"file": exp["file"], "identity_ok": got == {k: (str(v) if k == "x" else v) for k, v in want.items()},
                    "identity_got": got, "right": right, "total": len(exp["facts"]),
                    "unflagged_wrong": wrong, "misses": misses, "n_headline": len(rows)})
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = check(build(Path(tmp)))
    tot_r = tot = tot_w = 0
    print(f"{'fixture':<36} {'identity':<9} {'right':>9} {'unflagged wrong':>16}")
    for r in results:
        tot_r += r["right"]; tot += r["total"]; tot_w += len(r["unflagged_wrong"])
        print(f"{r['file']:<36} {'ok' if r['identity_ok'] else 'WRONG':<9} {r['right']:>4}/{r['total']:<4} {len(r['unflagged_wrong']):>16}")
    print(f"{'TOTAL':<36} {'':<9} {tot_r:>4}/{tot:<4} {tot_w:>16}")
    for r in results:
        if not r["identity_ok"]:
            print("==", r["file"], "identity", r["identity_got"])
        for f, got in r["misses"]:
            print(f"  {r['file'][:20]} {f['indicator']:<22} {str(f.get('scope','total'))[:24]:<24} {f['year']} {f.get('period','annual'):<6} {f['kind']:<11} {f['value']:<14} -> {got}")


if __name__ == "__main__":
    main()
