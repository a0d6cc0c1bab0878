"""Matching expected facts (tests/expected/*.yaml, written from reading the reports) against
the warehouse. Shared by the test suite and `python -m tests.facts` (a report of misses)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipeline.knowledge import canonical_programme, normalise

EXPECTED_DIR = Path(__file__).parent / "expected"
CANONICAL = {
    "job_seekers_registered", "vacancies_registered", "placements", "placement_rate", "training_participants",
    "training_packages", "training_certified", "budget_allocated", "budget_realized", "budget_absorption",
    "disputes_registered", "disputes_resolved", "disputes_resolved_rate", "tpt", "unemployed_persons", "labour_force",
}


def load_expected() -> list[dict]:
    out = []
    for path in sorted(EXPECTED_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["_file"] = path.name
        out.append(data)
    return out


def scope_key(scope: str) -> str:
    scope = re.sub(r"\s*\[\d+\]$", "", scope or "")  # a repeated course name is numbered: "X [2]"
    if not scope or normalise(scope) == "total":
        return "total"
    canon = canonical_programme(scope)
    if canon and re.match(r"^\s*(program|progam)\b", scope, re.I):
        scope = canon[0]
    elif canon and scope.isupper():
        scope = canon[0]
    return re.sub(r"[^a-z0-9]", "", normalise(scope).replace("program ", ""))


def tolerance(expected: float) -> float:
    return max(abs(expected) * 1e-6, 0.006)


def match_fact(fact: dict, rows: list[dict]) -> tuple[bool, str]:
    """rows: observations of the fact's regency. Returns (ok, explanation)."""
    want_scope = scope_key(str(fact.get("scope", "total")))
    same_line = [r for r in rows if r["source_line"] == fact["line"] and r["indicator"] == fact["indicator"]]
    for r in same_line:
        if (scope_key(r["scope"]) == want_scope and r["year"] == fact["year"] and r["period"] == fact.get("period", "annual")
                and r["kind"] == fact["kind"] and abs(r["value"] - float(fact["value"])) <= tolerance(float(fact["value"]))):
            return True, ""
    near = [r for r in rows if r["indicator"] == fact["indicator"] and abs(r["value"] - float(fact["value"])) <= tolerance(float(fact["value"]))]
    if same_line:
        got = "; ".join(f"{r['scope']}|{r['year']}|{r['period']}|{r['kind']}|{r['value']:g}" for r in same_line[:4])
        return False, f"line has {got}"
    if near:
        got = "; ".join(f"line {r['source_line']} {r['scope']}|{r['year']}|{r['period']}|{r['kind']}" for r in near[:4])
        return False, f"value found elsewhere: {got}"
    return False, "not extracted"


def conflict_found(expected: dict, conflicts: list[dict]) -> tuple[bool, str]:
    """An expected conflict is found when the warehouse records a conflict for the same indicator,
    year and kind whose values include every expected value."""
    want = [float(v) for v in expected["values"]]
    cands = [c for c in conflicts if c["indicator"] == expected["indicator"] and c["year"] == expected["year"]
             and c["kind"] == expected.get("kind", "actual")]
    for c in cands:
        vals = list(c["values"])
        found = [w for w in want if any(abs(v - w) <= tolerance(w) for v in vals)]
        # the disagreement is recorded when at least two of the expected values are among the candidates
        if len(found) >= min(2, len(want)):
            return True, ""
    return False, "; ".join(f"{c['scope']}|{list(c['values'])}" for c in cands) or "no conflict for this key"


def mismatch_found(expected: dict, obs: list[dict]) -> tuple[bool, str]:
    rows = [o for o in obs if o["source_line"] == expected["line"] and o["indicator"] == expected["indicator"]
            and abs(o["value"] - float(expected["stated"])) <= tolerance(float(expected["stated"]))]
    if any(o["status"] == "mismatch" for o in rows):
        return True, ""
    return False, ("stated value read, status " + ",".join(o["status"] for o in rows)) if rows else "stated value not read"


def report_conflicts(db: str = "data/curated/warehouse.duckdb") -> None:
    import duckdb

    con = duckdb.connect(db, read_only=True)
    conf = con.execute("SELECT * FROM conflicts").df().to_dict("records")
    obs = con.execute("SELECT * FROM observations").df().to_dict("records")
    for exp in load_expected():
        cs = [c for c in conf if c["regency"] == exp["regency"]]
        os_ = [o for o in obs if o["regency"] == exp["regency"]]
        print("==", exp["_file"])
        for c in exp.get("conflicts") or []:
            if c["indicator"] not in CANONICAL or c.get("optional"):
                continue
            ok, why = conflict_found(c, cs)
            print("  conflict", "OK  " if ok else "MISS", c["indicator"], c.get("scope"), c["year"], c.get("kind"), c["values"], "" if ok else "-> " + why[:120])
        for m in exp.get("mismatches") or []:
            if m["indicator"] not in CANONICAL or m.get("optional"):
                continue
            ok, why = mismatch_found(m, os_)
            print("  mismatch", "OK  " if ok else "MISS", m["indicator"], m.get("scope"), m["line"], m["stated"], "" if ok else "-> " + why)


if __name__ == "__main__":  # python -m tests.facts [--all]
    import sys

    import duckdb

    con = duckdb.connect("data/curated/warehouse.duckdb", read_only=True)
    obs = con.execute("SELECT * FROM observations").df().to_dict("records")
    total = passed = 0
    for exp in load_expected():
        rows = [r for r in obs if r["regency"] == exp["regency"]]
        misses = []
        facts = [f for f in exp["facts"] if f["indicator"] in CANONICAL and not f.get("optional")]
        for f in facts:
            ok, why = match_fact(f, rows)
            total += 1
            passed += ok
            if not ok:
                misses.append((f, why))
        print(f"== {exp['_file']}: {len(facts) - len(misses)}/{len(facts)}")
        if "--all" in sys.argv or True:
            for f, why in misses:
                print(f"  ✗ l.{f['line']:<5} {f['indicator']:<22} {str(f.get('scope','total'))[:30]:<30} {f['year']} {f.get('period','annual'):<6} {f['kind']:<11} {f['value']:<14} -> {why}")
    print(f"TOTAL {passed}/{total}")
    if "--conflicts" in sys.argv:
        report_conflicts()
