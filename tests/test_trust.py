"""dashboard/trust.py on candidates written for these tests (own numbers, own labels): which
disagreements earn a badge, and which target may be drawn beside an actual."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.trust import classify_candidate, mark, paired_target

KEY = dict(regency="Kota Contoh", indicator="tpt", scope="total", year=2024, period="annual")


def row(**kw) -> dict:
    base = dict(KEY, kind="actual", value=6.10, unit="percent", method="table", status="ok", label="Tingkat Pengangguran Terbuka",
                table_id=None, source_line=10, source_page=None, has_conflict=True)
    return base | kw


SHOWN = row()


@pytest.mark.parametrize("cand,expected", [
    (row(value=6.10, source_line=30), "agrees"),
    (row(value=6.104, source_line=30), "agrees"),                                   # rounding
    (row(value=6.50, source_line=40, method="narrative", label="TPT tahun ini sebesar 6,5 persen"), "same"),
    (row(value=6.50, source_line=41, label=""), "same"),                            # a sentence naming nothing else
    (row(value=6.50, source_line=42, method="derived"), "related"),                 # a recomputation
    (row(value=6.50, source_line=43, status="suspect"), "related"),                 # a doubted figure
    (row(value=0.0, source_line=44), "related"),                                    # an empty row
    (row(value=6.50, source_line=45, label="Jumlah Perkara Perselisihan yang Terselesaikan"), "related"),
    (row(value=4.00, source_line=46, label="TOTAL"), "related"),                    # another table's total
])
def test_classify_candidate(cand, expected):
    assert classify_candidate(cand, SHOWN) == expected


def test_badge_only_for_a_material_disagreement():
    head = pd.DataFrame([SHOWN, row(regency="Kota Lain", value=5.00, source_line=12)])
    cands = pd.DataFrame([
        SHOWN, row(value=6.50, source_line=40, method="narrative", label="TPT sebesar 6,5 persen"),   # 6.6 % apart
        row(regency="Kota Lain", value=5.00, source_line=12),
        row(regency="Kota Lain", value=5.03, source_line=50, method="narrative", label="TPT 5,03 persen"),  # 0.6 %
        row(regency="Kota Lain", value=0.0, source_line=51),
    ])
    out = mark(head, cands).set_index("regency")
    assert out.loc["Kota Contoh", "disagrees"] and not out.loc["Kota Contoh", "minor_disagreement"]
    assert out.loc["Kota Contoh", "also_stated"] == [(6.5, 40, None)]
    assert not out.loc["Kota Lain", "disagrees"] and out.loc["Kota Lain", "minor_disagreement"]
    assert out.loc["Kota Lain", "related"] == 1


def test_no_candidates_no_marks():
    out = mark(pd.DataFrame([SHOWN | {"has_conflict": False}]), None)
    assert not out["disagrees"].any() and out["also_stated"].tolist() == [[]]


def _obs(rows):
    return pd.DataFrame([dict(KEY, unit="percent", method="table", status="ok", source_page=None) | r for r in rows])


def test_target_of_another_table_is_left_out():
    """The actual shown (20 %, table A) has no target of its own; table B prints target 35 with its
    own actual 45: 35 belongs with 45, not with 20 — and so does 35 printed alone in a plan table."""
    cands = _obs([
        dict(kind="actual", value=20.0, table_id="A", source_line=5),
        dict(kind="actual", value=45.0, table_id="B", source_line=80, status="conflict"),
        dict(kind="target", value=35.0, table_id="B", source_line=80),
        dict(kind="target", value=35.0, table_id="P", source_line=60),
    ])
    actual = cands.iloc[0].to_dict()
    head_target = cands.iloc[2].to_dict()
    target, left = paired_target(actual, head_target, cands)
    assert target is None and left["source_line"] == 80


def test_target_printed_with_the_same_actual_is_kept():
    cands = _obs([
        dict(kind="actual", value=20.0, table_id="A", source_line=5),
        dict(kind="target", value=25.0, table_id="A", source_line=5),
        dict(kind="target", value=30.0, table_id=None, source_line=90),  # a sentence with no actual: no evidence
    ])
    target, left = paired_target(cands.iloc[0].to_dict(), cands.iloc[1].to_dict(), cands)
    assert target["value"] == 25.0 and left is None


def test_head_target_of_another_figure_gives_way_to_a_matching_one():
    cands = _obs([
        dict(kind="actual", value=20.0, table_id="A", source_line=5),
        dict(kind="target", value=22.0, table_id="A", source_line=5),
        dict(kind="actual", value=45.0, table_id="B", source_line=80, status="conflict"),
        dict(kind="target", value=35.0, table_id="B", source_line=80),
    ])
    target, _ = paired_target(cands.iloc[0].to_dict(), cands.iloc[3].to_dict(), cands)
    assert target["value"] == 22.0
