"""Which headline indicators a report yielded, and whether that is too little to trust.

A report whose tables were not recognised (a layout the readers do not know, a PDF whose
tables came out as loose words) still "builds" — with a handful of values. That must never
pass silently: `assess` names what is missing and says when to look (code `low_coverage`).
Thresholds live in `pipeline/domain/coverage.yaml`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipeline.knowledge import _load


@dataclass
class Coverage:
    yielded: list[str]
    missing: list[str]
    n_observations: int
    n_lines: int
    n_tables: int
    low: bool
    reasons: list[str]

    def as_json(self) -> dict:
        return {"yielded": self.yielded, "missing": self.missing, "low": self.low, "reasons": self.reasons}

    def message(self) -> str:
        missing = ", ".join(self.missing) or "none"
        return (f"low coverage: {'; '.join(self.reasons)}. Headline indicators found: "
                f"{len(self.yielded)} of {len(self.yielded) + len(self.missing)}; missing: {missing}. "
                "Check that the report's tables were read (python -m pipeline explain, or the data-quality page); "
                "a scanned or unusual layout may need converting first.")


@cache
def rules() -> dict:
    return _load("coverage.yaml")


def assess(observations: list[dict], n_lines: int, n_tables: int) -> Coverage:
    spec = rules()
    wanted = spec["headline_indicators"]
    found = {o["indicator"] for o in observations if o["kind"] == "actual" and o["status"] != "suspect"}
    yielded = [i for i in wanted if i in found]
    missing = [i for i in wanted if i not in found]
    stated = sum(o["method"] != "derived" for o in observations)
    reasons = []
    if len(yielded) < spec["min_headline"]:
        reasons.append(f"only {len(yielded)} of {len(wanted)} headline indicators")
    if n_lines >= spec["min_lines_for_ratio"] and stated < spec["min_observations_per_line"] * n_lines:
        reasons.append(f"{stated} values stated in {n_lines} lines (expected at least "
                       f"{int(spec['min_observations_per_line'] * n_lines)})")
    if n_tables >= 5 and stated < spec["min_observations_per_table"] * n_tables:
        reasons.append(f"{stated} values stated from {n_tables} tables")
    return Coverage(yielded, missing, len(observations), n_lines, n_tables, bool(reasons), reasons)
