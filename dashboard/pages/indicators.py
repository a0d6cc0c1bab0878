"""Performance indicators: each report's IKU / Perjanjian Kinerja rows as the report states them —
target, realisasi, capaian and category."""

import re

import streamlit as st

from dashboard import charts, cite, data, findings
from dashboard.components import chart_panel
from dashboard.i18n import period_label, t
from dashboard.safe import md
from dashboard.style import value_text
from dashboard.view import current_view

v = current_view()
st.title(t("page.indicators"))

rows = data.indicator_rows(v.regencies)
if rows.empty:
    st.info(t("value.not_reported"))
    st.stop()

present = [r for r in v.regencies if r in set(rows["regency"])]
absent = [r for r in v.regencies if r not in present]


def _norm(text) -> str:
    return re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).strip()


def achievements(part):
    """One row per indicator and year: the same row printed in several tables (or with other
    spacing or capitals) is one indicator, not a duplicate bar."""
    ach = part.dropna(subset=["achievement_value"])
    return ach.assign(_key=ach["indicator_text"].map(_norm)).drop_duplicates(["_key", "year"]).drop(columns="_key")


def readable_name(canonical) -> str:
    # the indicator dictionary's short title, never an internal id
    return v.short(canonical) if isinstance(canonical, str) and canonical else "–"


# ---- findings: per report, how many stated targets were met and the weakest ----------------------
found = []
for regency in present:
    part = rows[rows["regency"] == regency]
    years = sorted({int(y) for y in part["year"].dropna()}, reverse=True)
    ach = achievements(part[part["year"] == (v.year if v.year in years else years[0])] if years else part)
    if ach.empty:
        continue
    low = ach.loc[ach["achievement_value"].idxmin()].to_dict()
    found.append(findings.Finding("find.iku", {
        "regency": regency, "met": int((ach["achievement_value"] >= 100).sum()), "total": len(ach),
        "lowest_name": low["indicator_text"][:80],
        "lowest": findings.Number(value_text(low["achievement_value"], "percent", v.lang), low["source_file"],
                                  low["source_line"], low.get("source_page"))}))
findings.show(found, v.lang)
st.markdown(t("indicators.intro"))
if absent:
    st.info(md(t("indicators.absent", regencies=", ".join(absent))))

for tab, regency in zip(st.tabs(present), present):
    with tab:
        part = rows[rows["regency"] == regency]
        years = sorted({int(y) for y in part["year"].dropna()}, reverse=True)
        if v.year in years:
            part = part[part["year"] == v.year]
        shown = part.assign(period=part["period"].map(lambda p: period_label(p, v.lang) if isinstance(p, str) else p),
                            canonical_indicator=part["canonical_indicator"].map(readable_name))
        table = shown[["indicator_text", "canonical_indicator", "unit_text", "year", "period", "target_text", "actual_text",
                      "achievement_text", "category", "source_page", "source_line"]].rename(columns=lambda c: t(f"col.{c}"))
        st.dataframe(table.astype(object).where(table.notna(), ""), hide_index=True, width="stretch",
                     column_config={t("col.source_line"): st.column_config.NumberColumn(format="%d"),
                                    t("col.source_page"): st.column_config.NumberColumn(format="%d")})
        ach = achievements(part)
        if ach.empty:
            continue
        labels = [f"{txt} ({int(y) if y == y else '–'})" for txt, y in zip(ach["indicator_text"], ach["year"])]
        fig = charts.achievement_bars(
            labels, list(ach["achievement_value"]), v.colours[regency], v.lang,
            customdata=list(zip(ach["target_text"].fillna(""), ach["actual_text"].fillna(""),
                                [cite.where(x.source_line, x.source_page, v.lang) for x in ach.itertuples()],
                                [str(x)[:90] for x in ach["indicator_text"]])),
            hovertemplate="%{customdata[3]}<br>" + t("kind.achievement") + ": %{x:.2f}%<br>" + t("kind.target")
                          + ": %{customdata[0]} · " + t("kind.actual") + ": %{customdata[1]}<br>"
                          + "%{customdata[2]}<extra></extra>")
        src = ach.assign(kind="achievement", value=ach["achievement_value"], unit="percent", method="table",
                         status="ok", indicator=ach["canonical_indicator"].map(readable_name))
        chart_panel(f"iku-{regency}", t("indicators.chart_title", regency=regency), fig, src,
                    [t("indicators.capaian_note")])
