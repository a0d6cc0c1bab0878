"""The warehouse keeps the data contract in ../shared/SPEC.md and every value's trail."""

import json
from collections import defaultdict

import pyarrow.parquet as pq
import pytest

from pipeline.build import run
from pipeline.observations.model import Observation
from pipeline.reconcile.rank import sort_key
from tests.conftest import RAW, raw_lines

CONTRACT = {
    "reports": ["report_id", "source_file", "regency", "province", "agency", "report_year", "period", "sha256",
                "n_lines", "parsed_at"],
    "observations": ["report_id", "regency", "indicator", "scope", "year", "period", "kind", "value", "unit",
                     "source_file", "source_line", "source_text", "method", "status"],
    "headline": ["regency", "indicator", "scope", "year", "period", "kind", "n_candidates", "has_conflict"],
    "conflicts": ["regency", "indicator", "scope", "year", "period", "kind", "values", "lines", "reason"],
}


@pytest.mark.parametrize("table", CONTRACT)
def test_contract_columns(con, table):
    cols = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    assert set(CONTRACT[table]) <= cols


def test_all_five_reports_loaded(con):
    rows = con.execute("SELECT source_file, original_name, regency, n_lines, period FROM reports ORDER BY source_file").fetchall()
    assert [r[2] for r in rows] == ["Muara Enim", "Paser", "Bungo", "Lumajang", "Tanjung Jabung Barat"]
    for src, original, _, n_lines, _ in rows:
        assert original == src and n_lines == len(raw_lines(src))


def test_every_stated_value_cites_its_raw_line(observations):
    cache = {}
    for o in observations:
        assert o["source_file"] and o["source_line"] >= 1 and o["source_text"]
        if o["method"] == "derived":
            assert o["formula"] and "line" in o["formula"]
            continue
        lines = cache.setdefault(o["source_file"], raw_lines(o["source_file"]))
        assert o["source_text"] == lines[o["source_line"] - 1].strip()


def test_values_are_in_their_units(observations):
    for o in observations:
        if o["unit"] == "percent" and o["kind"] != "achievement":
            assert -5 <= o["value"] <= 400, o
        if o["unit"] in ("persons", "cases", "count"):
            assert o["value"] >= 0 and float(o["value"]).is_integer(), o


def test_quarterly_report_values_carry_the_quarter(con):
    periods = dict(con.execute(
        "SELECT indicator, list_distinct(list(period)) FROM observations WHERE regency = 'Lumajang' AND year = 2023 "
        "AND indicator IN ('budget_realized', 'budget_allocated') GROUP BY 1").fetchall())
    assert periods["budget_realized"] == ["Q1"] and periods["budget_allocated"] == ["annual"]
    assert con.execute("SELECT count(*) FROM observations WHERE regency <> 'Lumajang' AND period <> 'annual'").fetchone()[0] == 0


def test_tjb_realisations_belong_to_2019_not_the_report_year(con):
    # Tanjung Jabung Barat calls itself 2020; its realised budget is 2019's (lines 511, 533, 821)
    years = con.execute("SELECT DISTINCT year FROM observations WHERE regency = 'Tanjung Jabung Barat' "
                        "AND indicator = 'budget_realized'").fetchall()
    assert sorted(y for (y,) in years) == [2018, 2019]


def test_headline_has_one_row_per_key(con):
    dup = con.execute("SELECT count(*) FROM (SELECT regency, indicator, scope, year, period, kind FROM headline "
                      "GROUP BY ALL HAVING count(*) > 1)").fetchone()[0]
    keys = con.execute("SELECT count(*) FROM (SELECT DISTINCT regency, indicator, scope, year, period, kind FROM observations)").fetchone()[0]
    assert dup == 0 and con.execute("SELECT count(*) FROM headline").fetchone()[0] == keys


def test_headline_view_follows_the_python_rule(observations, con):
    """The SQL view and pipeline.reconcile.rank choose the same candidate for every key."""
    groups = defaultdict(list)
    for o in observations:
        groups[(o["regency"], o["indicator"], o["scope"], o["year"], o["period"], o["kind"])].append(o)
    chosen = {r[0] for r in con.execute("SELECT obs_id FROM headline").fetchall()}
    fields = Observation.__dataclass_fields__
    for cands in groups.values():
        best = min(cands, key=lambda o: sort_key(Observation(**{k: o[k] for k in fields}), o["n_agreeing"]))
        assert best["obs_id"] in chosen


def test_conflicted_keys_are_flagged_in_headline(con):
    flagged = con.execute("""
        SELECT count(*) FROM conflicts c JOIN headline h USING (regency, indicator, scope, year, period, kind)
        WHERE NOT h.has_conflict""").fetchone()[0]
    assert flagged == 0


def test_conflict_rows_point_at_real_candidates(con):
    for cands, lines in con.execute("SELECT candidates, lines FROM conflicts").fetchall():
        parsed = json.loads(cands)
        assert sorted(c["line"] for c in parsed) == sorted(lines)


def test_placement_rate_definitions_are_labelled(con):
    rows = con.execute("SELECT DISTINCT scope, definition FROM observations WHERE indicator = 'placement_rate' "
                       "AND definition IS NOT NULL").fetchall()
    defs = {d for _, d in rows}
    assert "placed ÷ registered job seekers (recomputed)" in defs
    assert any("certificate" in d for d in defs)  # Paser's IKU: placed ÷ certified trainees


def test_context_figures_are_kept_apart(con):
    # Paser quotes the national TPT (5,32%, line 113); Muara Enim its province and peers (lines 593-620)
    nat = con.execute("SELECT value FROM context_values WHERE regency = 'Paser' AND geography_level = 'national'").fetchall()
    peers = con.execute("SELECT count(DISTINCT geography) FROM context_values WHERE regency = 'Muara Enim'").fetchone()[0]
    assert nat == [(5.32,)] and peers >= 16
    assert con.execute("SELECT count(*) FROM observations WHERE regency = 'Paser' AND value = 5.32").fetchone()[0] == 0


def test_exports(built):
    out = built.parent
    for name in ("reports", "observations", "headline", "conflicts", "budget_lines", "indicator_rows"):
        assert pq.read_table(out / "parquet" / f"{name}.parquet").num_rows > 0
        assert (out / "csv" / f"{name}.csv").read_text(encoding="utf-8").count("\n") > 1
    dictionary = (out / "data_dictionary.md").read_text(encoding="utf-8")
    for col in ("source_line", "has_conflict", "scope_level", "confirmed"):
        assert f"`{col}`" in dictionary


def test_unchanged_rebuild_is_skipped_and_cache_is_reused(tmp_path):
    db = tmp_path / "w.duckdb"
    first = run(RAW, db, export=False)
    again = run(RAW, db, export=False)
    assert not first.up_to_date and again.up_to_date
    forced = run(RAW, db, force=True, export=False)
    assert forced.cached == 5  # per-report results are reused by content hash


def test_capaian_column_is_a_percentage_even_beside_counts(con):
    # Bungo 002_62e370906eecf592.txt line 786: "| Jumlah Dokumen Perencanaan Perangkat Daerah | 2 Dokumen |
    # 1 Dokumen | 91.50 |" — the capaian 91.50 is 91.5 %, not 91,500 documents.
    row = con.execute("SELECT achievement_value FROM indicator_rows WHERE source_file = '002_62e370906eecf592.txt' "
                      "AND source_line = 786").fetchone()
    assert row is not None and row[0] == 91.5
    worst = con.execute("SELECT max(achievement_value) FROM indicator_rows").fetchone()[0]
    assert worst < 1000, "a capaian above 1000 % is a misread number"


@pytest.mark.parametrize("breakage, rule", [
    ("UPDATE observations SET period = 'Q5' WHERE obs_id = (SELECT min(obs_id) FROM observations)", "period"),
    ("UPDATE observations SET source_line = 0 WHERE obs_id = (SELECT min(obs_id) FROM observations)", "source_line"),
    ("UPDATE observations SET formula = NULL WHERE method = 'derived'", "derived values need a formula"),
    ("UPDATE observations SET source_line = 999999 WHERE obs_id = (SELECT min(obs_id) FROM observations)",
     "beyond the end of their report"),
])
def test_contract_rejects_a_broken_warehouse(built, tmp_path, breakage, rule):
    import shutil

    import duckdb

    from pipeline.warehouse.contract import ContractError, validate

    copy = tmp_path / "w.duckdb"
    shutil.copy(built, copy)
    con = duckdb.connect(str(copy))
    validate(con)  # the built warehouse keeps the contract
    con.execute(breakage)
    with pytest.raises(ContractError, match=rule):
        validate(con)
    con.close()
