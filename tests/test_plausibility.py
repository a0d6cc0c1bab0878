"""Plausibility rules: on the seed reports (each case cites its lines) and on small fixtures."""

from __future__ import annotations

import re

import pytest

from pipeline.numbers import parse_number
from pipeline.observations.model import Observation
from pipeline.reconcile.conflicts import reconcile
from pipeline.reconcile.plausibility import check_derived, check_stated, is_header_fragment, off_topic
from tests.conftest import raw_lines

BUNGO, PASER, LUMAJANG, MUARA_ENIM = ("002_62e370906eecf592.txt", "001_579666cb9ad43d5a.txt",
                                      "003_27142058ae3706f5.txt", "000_dca929226cb0e028.txt")


def obs(indicator, value, line, kind="actual", unit="percent", decimals=2, method="table", scope="total",
        label="", year=2024, **kw) -> Observation:
    return Observation(indicator=indicator, scope=scope, year=year, period="annual", kind=kind, value=value, unit=unit,
                       source_line=line, source_text="", method=method, decimals=decimals, label=label, **kw)


# ---- on the seeds ---------------------------------------------------------------------------------

def test_bungo_placement_rate_is_the_programme_absorption():
    # line 943: PROGRAM PENEMPATAN TENAGA KERJA, pagu 70,836,700.00, realisasi 69,293,700, 97.82 %
    cells = [c.strip() for c in raw_lines(BUNGO)[942].split("|")]
    pagu, real = parse_number(cells[5], "rupiah").value, parse_number(cells[7], "rupiah").value
    assert (pagu, real) == (70_836_700, 69_293_700) and round(100 * real / pagu, 2) == 97.82
    # line 775: "Persentase Pencari kerja yang terdaftar yang ditempatkan ... | 90,53 | 97.82 |"
    assert "97.82" in raw_lines(BUNGO)[774] and "ditempatkan" in raw_lines(BUNGO)[774]


def test_bungo_rate_equal_to_absorption_is_suspect(con):
    rows = con.execute("""SELECT status, status_reason FROM observations WHERE regency = 'Bungo'
                          AND indicator = 'placement_rate' AND kind = 'actual' AND source_line = 775""").fetchall()
    assert rows and all(s == "suspect" for s, _ in rows)
    assert "line 943" in rows[0][1] and "97.82" in rows[0][1]
    head = con.execute("""SELECT value, status, has_suspect FROM headline WHERE regency = 'Bungo'
                          AND indicator = 'placement_rate' AND kind = 'actual' AND year = 2024""").fetchone()
    assert head == (97.82, "suspect", True)  # the only candidate: shown, but as doubtful


def test_bungo_dispute_rate_equal_to_absorption_is_suspect(con):
    # line 776: "Persentase kasus yang diselesaikan ... | 93,00 | 78.56"; line 946 PROGRAM HUBUNGAN INDUSTRIAL
    # 13,355,708 / 16,999,760 = 78.56 %
    assert "78.56" in raw_lines(BUNGO)[945] and "HUBUNGAN INDUSTRIAL" in raw_lines(BUNGO)[945]
    status, reason = con.execute("""SELECT status, status_reason FROM observations WHERE regency = 'Bungo'
        AND indicator = 'disputes_resolved_rate' AND source_line = 776 AND kind = 'actual'""").fetchone()
    assert status == "suspect" and "line 946" in reason


def test_derived_tpt_from_a_losing_labour_force_is_not_ok(con):
    # unemployed 7,060 (line 745) ÷ "Jumlah Angkatan Kerja sebanyak 8,093 orang" (line 1006, stale closing text,
    # loses to 131,065 on line 744) gives a "TPT" of 87.24 %
    assert "8,093" in raw_lines(BUNGO)[1005]
    rows = con.execute("""SELECT status, status_reason FROM observations WHERE regency = 'Bungo' AND indicator = 'tpt'
                          AND method = 'derived' AND round(value, 2) = 87.24""").fetchall()
    assert rows == [("suspect", rows[0][1])] and "line 1006" in rows[0][1]
    ok = con.execute("""SELECT count(*) FROM observations o WHERE method = 'derived' AND status = 'ok'
        AND formula LIKE '%labour_force 8093 (line 1006)%'""").fetchone()[0]
    assert ok == 0


def test_paser_one_sub_activity_is_not_an_absorption(con):
    # line 1203: "terdapat 1 sub kegiatan yang tidak mampu mencapai target realisasi keuangan"
    assert "1 sub kegiatan" in raw_lines(PASER)[1202]
    n = con.execute("""SELECT count(*) FROM observations WHERE regency = 'Paser' AND source_line = 1203
                       AND indicator = 'budget_absorption'""").fetchone()[0]
    assert n == 0


def test_lumajang_staff_education_table_is_no_indicator(con):
    # lines 49-63: "Jumlah PNS dan Tenaga Kerja Bulanan ... Berdasarkan Tingkat Pendidikan": S2, S1, D3, SLTA ...
    assert raw_lines(LUMAJANG)[56].split("\t")[1] == "Strata 2 (S 2)"
    n = con.execute("""SELECT count(*) FROM indicator_rows WHERE regency = 'Lumajang' AND source_line BETWEEN 54 AND 63""").fetchone()[0]
    assert n == 0
    warned = con.execute("""SELECT count(*) FROM warnings w JOIN reports r USING (report_id)
                            WHERE r.regency = 'Lumajang' AND w.code = 'off_topic' AND w.source_line BETWEEN 49 AND 63""").fetchone()[0]
    assert warned == 1


def test_muara_enim_peer_tpt_rows_are_context_not_indicators(con):
    # lines 604-620: "Perbandingan TPT Kabupaten dalam Provinsi Sumatera Selatan Tahun 2023", Palembang 7,94 last
    assert raw_lines(MUARA_ENIM)[619].startswith("Palembang")
    n = con.execute("""SELECT count(*) FROM indicator_rows WHERE regency = 'Muara Enim' AND source_line BETWEEN 604 AND 620""").fetchone()[0]
    assert n == 0
    peers = con.execute("""SELECT geography, value FROM context_values WHERE regency = 'Muara Enim'
                           AND source_line BETWEEN 604 AND 620 ORDER BY source_line""").fetchall()
    assert ("Palembang", 7.94) in [(g.replace("Kota ", ""), v) for g, v in peers]
    own = con.execute("""SELECT count(*) FROM observations WHERE regency = 'Muara Enim' AND source_line BETWEEN 604 AND 620
                         AND source_line <> 612""").fetchone()[0]
    assert own == 0  # only the regency's own row (Muara Enim 3,92, line 612) is its own value


def test_header_fragments_are_no_indicator_names(con):
    # Bungo line 677 "| | Angka | ..." and line 733 "| Persentase | ..." are header words wrapped onto a row
    names = {r[0].lower() for r in con.execute("SELECT indicator_text FROM indicator_rows").fetchall()}
    assert not names & {"angka", "persentase", "jumlah", "nilai"}


def test_every_suspect_value_is_explained_in_warnings(con):
    suspect = con.execute("""SELECT report_id, source_line, count(*) FROM observations WHERE status = 'suspect'
                             GROUP BY ALL ORDER BY ALL""").fetchall()
    warned = con.execute("""SELECT report_id, source_line, count(*) FROM warnings WHERE code = 'suspect'
                            GROUP BY ALL ORDER BY ALL""").fetchall()
    assert suspect and suspect == warned
    assert con.execute("SELECT count(*) FROM observations WHERE status = 'suspect' AND status_reason IS NULL").fetchone()[0] == 0
    assert {r[0] for r in con.execute("SELECT DISTINCT severity FROM warnings WHERE code = 'suspect'").fetchall()} == {"info"}


def test_a_suspect_value_never_wins_over_a_plain_one(con):
    beaten = con.execute("""SELECT count(*) FROM headline h WHERE h.status = 'suspect' AND EXISTS (
        SELECT 1 FROM observations o WHERE o.status <> 'suspect' AND (o.regency, o.indicator, o.scope, o.year, o.period, o.kind)
        = (h.regency, h.indicator, h.scope, h.year, h.period, h.kind))""").fetchone()[0]
    assert beaten == 0


# ---- on fixtures ---------------------------------------------------------------------------------

def test_rate_equal_to_an_absorption_fixture():
    rate = obs("placement_rate", 83.47, 10)
    absorption = obs("budget_absorption", 83.47, 90, scope="Program Penempatan Tenaga Kerja")
    other = obs("placement_rate", 83.47, 11, year=2023)  # another year's figure: not compared
    check_stated([rate, absorption, other])
    assert rate.status == "suspect" and "line 90" in rate.status_reason
    assert other.status == "ok" and absorption.status == "ok"


@pytest.mark.parametrize("kw", [
    {"value": 100.0},                      # round figures coincide too easily
    {"value": 83.0, "decimals": 0},
    {"confirmed": True},                   # confirmed by its own placements ÷ job seekers
    {"kind": "target"},
    {"value": 83.49},                      # beyond the hundredth
])
def test_rate_equal_to_an_absorption_exceptions(kw):
    args = {"value": 83.47, "decimals": 2, "kind": "actual"} | kw
    confirmed = args.pop("confirmed", False)
    rate = obs("placement_rate", args.pop("value"), 10, **args)
    rate.confirmed = confirmed
    check_stated([rate, obs("budget_absorption", 100.0 if rate.value == 100 else 83.47, 90)])
    assert rate.status == "ok"


def test_share_above_100():
    count_like = obs("placement_rate", 515, 5, decimals=0)
    share = obs("budget_absorption", 104.25, 6)
    capaian = obs("placement_rate", 139.6, 7, kind="achievement")
    check_stated([count_like, share, capaian])
    assert count_like.status == "suspect" and "count" in count_like.status_reason
    assert share.status == "suspect" and "above 100" in share.status_reason
    assert capaian.status == "ok"  # an achievement may exceed 100


def test_percent_where_a_count_belongs():
    placed = obs("placements", 72.39, 5, unit="persons")
    whole = obs("placements", 412, 6, unit="persons", decimals=0)
    check_stated([placed, whole])
    assert placed.status == "suspect" and "fractional" in placed.status_reason
    assert whole.status == "ok"


def test_subgroup_label_standing_as_total():
    women = obs("job_seekers_registered", 380, 5, unit="persons", decimals=0, label="Pencari kerja perempuan")
    both = obs("job_seekers_registered", 905, 6, unit="persons", decimals=0, label="Pencari kerja laki-laki dan perempuan")
    funded = obs("training_participants", 120, 7, unit="persons", decimals=0, label="Peserta pelatihan APBD")
    check_stated([women, both, funded])
    assert women.status == "suspect" and "perempuan" in women.status_reason
    assert both.status == "ok"
    assert funded.status == "ok"  # one funding source named for the whole, without a split


def test_total_below_its_part():
    total = obs("placements", 180, 5, unit="persons", decimals=0)
    channel = obs("placements", 240, 6, unit="persons", decimals=0, scope="AKL", scope_level="channel")
    other_year = obs("placements", 90, 7, unit="persons", decimals=0, year=2023)
    check_stated([total, channel, other_year])
    assert total.status == "suspect" and "'AKL'" in total.status_reason and "line 6" in total.status_reason
    assert channel.status == "ok" and other_year.status == "ok"


def test_paser_total_target_below_its_channel(con):
    # line 569: "Jumlah pencari kerja yang ditempatkan melalui sistem antar kerja | 300 Orang" (activity target)
    # line 570: "Jumlah tenaga kerja yang ditempatkan melalui layanan AKAD dan AKL | 500 Orang" (its sub-activity)
    assert "300 Orang" in raw_lines(PASER)[568] and "500 Orang" in raw_lines(PASER)[569]
    rows = con.execute("""SELECT status FROM observations WHERE regency = 'Paser' AND indicator = 'placements'
                          AND scope = 'total' AND kind = 'target' AND value = 300""").fetchall()
    assert rows and {r[0] for r in rows} == {"suspect"}


def test_derived_from_a_loser_and_the_same_line_exception():
    unemployed = obs("unemployed_persons", 4200, 20, unit="persons", decimals=0)
    labour_a = obs("labour_force", 91000, 21, unit="persons", decimals=0)
    labour_b = obs("labour_force", 5300, 400, unit="persons", decimals=0, method="narrative", section="closing")
    labour_a.section = "performance"
    out, _, _ = reconcile([unemployed, labour_a, labour_b])
    derived = {round(o.value, 2): o for o in out if o.method == "derived" and o.indicator == "tpt"}
    assert labour_b.status == "conflict"
    assert derived[79.25].status == "suspect" and "line 400" in derived[79.25].status_reason
    assert derived[4.62].status == "ok"
    # figures printed together on one line: the line's own arithmetic stays ok
    target = obs("placement_rate", 60.0, 30, kind="target", decimals=1)
    actual = obs("placement_rate", 66.0, 30, decimals=1)
    lost = obs("placement_rate", 60.0, 30, kind="target", decimals=1, status="conflict")
    capaian = obs("placement_rate", 110.0, 30, kind="achievement", method="derived")
    check_derived([capaian], {id(capaian): (lost, actual)})
    assert capaian.status == "ok"
    check_derived([capaian], {id(capaian): (target, obs("placement_rate", 66.0, 31, status="suspect"))})
    assert capaian.status == "suspect" and "doubtful" in capaian.status_reason


def test_off_topic_tables_and_header_fragments():
    assert off_topic("Jumlah Pegawai Dinas Tenaga Kerja Berdasarkan Pangkat/Golongan")
    assert off_topic("Jumlah PNS dan Tenaga Kerja Bulanan menurut tingkat pendidikan")
    assert off_topic("Pencari kerja terdaftar menurut tingkat pendidikan") is None  # the labour market, by education
    assert off_topic("Perjanjian Kinerja Tahun 2023 Indikator Target Realisasi") is None
    assert is_header_fragment("Angka") and is_header_fragment(" Persentase ")
    assert not is_header_fragment("Persentase pencari kerja yang ditempatkan")


def test_rules_are_data():
    from pipeline.reconcile.plausibility import rules

    spec = rules()
    for name in ("rate_equals_absorption", "share_above_100", "percent_where_count", "subgroup_as_total",
                 "derived_from_doubtful", "off_topic_tables", "header_fragments"):
        assert name in spec
    assert all(re.compile(p) for p in spec["off_topic_tables"].values())


# ---- the dashboard shows doubt -------------------------------------------------------------------

def test_dashboard_marks_a_suspect_value_with_its_reason():
    from dashboard.components import status_badge

    mark = status_badge({"method": "table", "has_conflict": False, "status": "suspect",
                         "status_reason": "equals the budget absorption 97.82% (line 943)"})
    assert "diragukan" in mark and "line 943" in mark
    assert "diragukan" not in status_badge({"method": "table", "has_conflict": False, "status": "ok"})


def test_dashboard_never_ranks_a_suspect_value_as_plain():
    import pandas as pd

    from dashboard.charts import bar_by_regency

    rows = pd.DataFrame([
        {"regency": "Kerinci", "year": 2024, "period": "annual", "value": 61.2, "method": "table", "status": "ok",
         "source_file": "a.txt", "source_line": 10},
        {"regency": "Merangin", "year": 2024, "period": "annual", "value": 97.8, "method": "table", "status": "suspect",
         "source_file": "b.txt", "source_line": 20},
        {"regency": "Tebo", "year": 2024, "period": "annual", "value": 44.0, "method": "table", "status": "ok",
         "source_file": "c.txt", "source_line": 30},
    ])
    fig = bar_by_regency(rows, {}, "percent", "id")
    bars = fig.data[0]
    # horizontal bars are drawn bottom-up: the doubtful value sits below every plain one, cross-hatched
    assert [y.split(" · ")[0] for y in bars.y] == ["Merangin", "Tebo", "Kerinci"]
    assert list(bars.marker.pattern.shape) == ["x", "", ""]
    said = [a.text for a in fig.layout.annotations if "Merangin" in a.text]
    assert said and "diragukan" in said[0]


def test_chart_notes_name_the_doubtful_value_and_why():
    import pandas as pd

    from dashboard.comparability import notes

    rows = pd.DataFrame([
        {"regency": "Kerinci", "year": 2024, "period": "annual", "value": 61.2, "unit": "percent", "method": "table",
         "status": "ok", "status_reason": None},
        {"regency": "Merangin", "year": 2024, "period": "annual", "value": 97.8, "unit": "percent", "method": "table",
         "status": "suspect", "status_reason": "equals the budget absorption 97.8% (line 88)"},
    ])
    reports = pd.DataFrame({"regency": ["Kerinci", "Merangin"], "report_year": [2024, 2024], "period": ["annual", "annual"]})
    said = [n for n in notes(rows, reports, "en") if "Doubtful" in n]
    assert len(said) == 1 and "Merangin" in said[0] and "line 88" in said[0] and "Kerinci" not in said[0]
