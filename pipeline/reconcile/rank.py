"""The headline rule: which candidate the dashboard shows for a (regency, indicator, scope,
year, period, kind) key. Written once here; `warehouse/sql/headline.sql` orders by the same
stored columns, and a test checks the two agree.

In order, a candidate wins when it

0. is not suspect — a value a written plausibility rule doubts (`status = 'suspect'`, see
   `pipeline/reconcile/plausibility.py`) never wins over one that is not;
1. is not a mismatch — a stated value that disagrees with its own figures loses;
2. is confirmed by its own numerator/denominator (or parts/total), or feeds a confirmed rate;
3. comes from the performance-measurement chapter (BAB III), then annexes, the planning
   chapter (BAB II), the executive summary, the closing chapter, the introduction;
4. comes from a table rather than a sentence, and is stated rather than derived;
5. is the value more candidates agree on;
6. appears earlier in the report.
"""

from __future__ import annotations

from pipeline.knowledge import vocabulary
from pipeline.observations.model import Observation

METHOD_RANK = {"table": 0, "curated": 0, "narrative": 1, "derived": 2}


def section_rank(section: str) -> int:
    return vocabulary()["section_rank"].get(section, 6)


def sort_key(o: Observation, n_agreeing: int) -> tuple:
    return (
        1 if o.status == "suspect" else 0,
        1 if o.status == "mismatch" else 0,
        0 if o.confirmed else 1,
        section_rank(o.section),
        METHOD_RANK[o.method],
        -n_agreeing,
        o.source_line,
    )


RULE_TEXT = __doc__
