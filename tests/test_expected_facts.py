"""The warehouse reproduces what a careful reading of each report found.

tests/expected/*.yaml were written from reading the reports (every fact cites its line and
quotes it). Each fact must appear in `observations` with the same year, period, kind, scope,
value and source line. Facts marked `optional` are kept with the reason a generic extractor
is not expected to reproduce them.
"""

import pytest

from tests.facts import CANONICAL, conflict_found, load_expected, match_fact, mismatch_found
from tests.conftest import raw_lines

EXPECTED = load_expected()
FACTS = [
    pytest.param(exp, fact, id=f"{exp['regency']}-l{fact['line']}-{fact['indicator']}-{fact['year']}-{fact['kind']}")
    for exp in EXPECTED
    for fact in exp["facts"]
    if fact["indicator"] in CANONICAL and not fact.get("optional")
]


def test_every_report_has_at_least_25_facts():
    for exp in EXPECTED:
        assert len([f for f in exp["facts"] if not f.get("optional")]) >= 25, exp["_file"]


@pytest.mark.parametrize(("exp", "fact"), FACTS)
def test_fact_is_in_the_warehouse(exp, fact, observations):
    rows = [o for o in observations if o["regency"] == exp["regency"]]
    ok, why = match_fact(fact, rows)
    assert ok, f"{fact} -> {why}"


@pytest.mark.parametrize(("exp", "fact"), FACTS)
def test_fact_quote_is_on_its_line(exp, fact):
    """Guards the expected files themselves: the cited line really holds the quoted text."""
    line = raw_lines(exp["report"])[fact["line"] - 1]
    assert fact["quote"] in line


CONFLICTS = [
    pytest.param(exp, c, id=f"{exp['regency']}-{c['indicator']}-{c['year']}-{c.get('kind', 'actual')}")
    for exp in EXPECTED for c in exp.get("conflicts") or []
    if c["indicator"] in CANONICAL and not c.get("optional")
]
MISMATCHES = [
    pytest.param(exp, m, id=f"{exp['regency']}-l{m['line']}-{m['indicator']}")
    for exp in EXPECTED for m in exp.get("mismatches") or []
    if m["indicator"] in CANONICAL and not m.get("optional")
]


@pytest.mark.parametrize(("exp", "conflict"), CONFLICTS)
def test_conflict_is_recorded(exp, conflict, con):
    rows = con.execute("SELECT * FROM conflicts WHERE regency = ?", [exp["regency"]]).df().to_dict("records")
    ok, why = conflict_found(conflict, rows)
    assert ok, why


@pytest.mark.parametrize(("exp", "mismatch"), MISMATCHES)
def test_mismatch_is_marked(exp, mismatch, observations):
    ok, why = mismatch_found(mismatch, [o for o in observations if o["regency"] == exp["regency"]])
    assert ok, why


@pytest.mark.parametrize("exp", EXPECTED, ids=[e["regency"] for e in EXPECTED])
def test_absent_indicators_are_absent_not_zero(exp, con):
    for indicator in exp.get("absent") or []:
        if indicator not in CANONICAL:
            continue
        n = con.execute(
            "SELECT count(*) FROM observations WHERE regency = ? AND indicator = ? AND scope = 'total' AND method <> 'derived'",
            [exp["regency"], indicator]).fetchone()[0]
        assert n == 0, f"{exp['regency']} does not report {indicator}, but the warehouse has {n} values"
