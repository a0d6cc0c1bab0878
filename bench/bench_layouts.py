"""Robustness benchmark: the five seeds re-rendered in every layout (and as PDF), built, and
compared with the build of the originals.

    .venv/bin/python bench/bench_layouts.py                 # every layout
    .venv/bin/python bench/bench_layouts.py aligned pdf     # some of them

Per layout: the share of the original's headline values reproduced (same key, same value),
the values that changed (and how many of those carry no flag: not suspect, not conflicted),
the values that are new, and the build time. Prints a table and writes
bench/results/layouts.json. Not a test: nothing fails on a missed target (≥ 98 %).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.layouts import LAYOUTS, render_text, to_pdf  # noqa: E402
from pipeline.build import run  # noqa: E402

SEEDS = ROOT / "data" / "raw"
RESULTS = ROOT / "bench" / "results" / "layouts.json"
KEY = ("regency", "indicator", "scope", "year", "period", "kind")


def headline(db: Path) -> dict[tuple, tuple[float, bool]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            f"SELECT {', '.join(KEY)}, value, has_conflict OR status IN ('suspect','mismatch') OR has_suspect FROM headline"
        ).fetchall()
    finally:
        con.close()
    return {tuple(r[:6]): (r[6], bool(r[7])) for r in rows}


def seed_files() -> list[Path]:
    return sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")


def make_variant(layout: str, out: Path) -> None:
    out.mkdir(parents=True)
    for src in seed_files():
        if layout == "pdf":
            to_pdf(src, out / (src.stem + ".pdf"))
        elif layout == "pdftotext-layout":  # poppler's converter, the most common one (apt: poppler-utils)
            import subprocess

            tmp = out / (src.stem + ".tmp.pdf")
            to_pdf(src, tmp)
            subprocess.run(["pdftotext", "-layout", str(tmp), str(out / src.name)], check=True)
            tmp.unlink()
        elif layout == "pdf-layout-text":
            import pdfplumber

            tmp = out / (src.stem + ".tmp.pdf")
            to_pdf(src, tmp)
            with pdfplumber.open(tmp) as pdf:
                pages = [p.extract_text(layout=True) or "" for p in pdf.pages]
            tmp.unlink()
            (out / src.name).write_text("\n\f".join(pages) + "\n", encoding="utf-8")
        else:
            render_text(src, out / src.name, layout)


def compare(orig: dict, new: dict) -> dict:
    """Same key and same value = reproduced. A changed value is one the original has with
    another value; "beyond rounding" when it differs by more than the last printed digit
    (a stated 74.52 lost and recomputed as 74.5152 is a change, but not beyond rounding)."""
    same = changed = changed_unflagged = beyond = 0
    per_regency: dict[str, list[int]] = {}
    for k, (v, _) in orig.items():
        tally = per_regency.setdefault(k[0], [0, 0])
        tally[1] += 1
        if k not in new:
            continue
        nv, flagged = new[k]
        if abs(nv - v) <= 1e-6 * max(1.0, abs(v)):
            same += 1
            tally[0] += 1
        else:
            changed += 1
            changed_unflagged += not flagged
            beyond += abs(nv - v) > max(0.01, 0.0005 * abs(v))
    added = sum(1 for k in new if k not in orig)
    return {"reproduced": same, "of": len(orig), "share": round(100 * same / max(len(orig), 1), 1),
            "changed": changed, "changed_unflagged": changed_unflagged, "changed_beyond_rounding": beyond,
            "new": added, "per_regency": {r: round(100 * a / b, 1) for r, (a, b) in sorted(per_regency.items())}}


def main(argv: list[str]) -> None:
    converters = ["pdftotext-layout"] if shutil.which("pdftotext") else []
    layouts = argv or [*LAYOUTS, "pdf", *converters, "pdf-layout-text"]
    work = Path(tempfile.mkdtemp(prefix="bench-layouts-"))
    results = {}
    try:
        t0 = time.perf_counter()
        run(SEEDS, work / "orig.duckdb", force=True, export=False)
        base_s = time.perf_counter() - t0
        orig = headline(work / "orig.duckdb")
        print(f"original build: {len(orig)} headline values in {base_s:.2f} s")
        for layout in layouts:
            raw = work / layout
            t_gen = time.perf_counter()
            make_variant(layout, raw)
            gen_s = time.perf_counter() - t_gen
            db = work / f"{layout}.duckdb"
            t0 = time.perf_counter()
            outcome = run(raw, db, force=True, export=False)
            build_s = time.perf_counter() - t0
            res = compare(orig, headline(db))
            res.update(build_s=round(build_s, 2), render_s=round(gen_s, 2),
                       problems=[f"{p.file}: {p.code}" for p in outcome.problems if p.severity == "error"])
            results[layout] = res
            print(f"{layout:22s} {res['share']:5.1f}%  ({res['reproduced']}/{res['of']})  changed {res['changed']} "
                  f"(unflagged {res['changed_unflagged']}, beyond rounding {res['changed_beyond_rounding']})  "
                  f"new {res['new']}  build {build_s:.1f}s  {res['per_regency']}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print()
    regencies = sorted({r for res in results.values() for r in res["per_regency"]})
    short = {r: r.split()[0] for r in regencies}
    print("| layout | reproduced | changed (unflagged; beyond rounding) | new | build s | "
          + " | ".join(short[r] for r in regencies) + " |")
    print("|---|---|---|---|---|" + "---|" * len(regencies))
    for layout, r in results.items():
        print(f"| {layout} | {r['share']} % ({r['reproduced']}/{r['of']}) | {r['changed']} ({r['changed_unflagged']}; "
              f"{r['changed_beyond_rounding']}) | {r['new']} | {r['build_s']} | "
              + " | ".join(f"{r['per_regency'].get(x, 0)}" for x in regencies) + " |")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
