"""Performance indicators: each report's IKU / Perjanjian Kinerja rows as the report states them —
target, realisasi, capaian and category."""

import plotly.graph_objects as go
import streamlit as st

from dashboard import cite, data
from dashboard.components import chart_panel
from dashboard.i18n import period_label, t
from dashboard.safe import md
from dashboard.style import apply_layout
from dashboard.view import current_view

v = current_view()
st.title(t("page.indicators"))
st.markdown(t("indicators.intro"))

rows = data.indicator_rows(v.regencies)
if rows.empty:
    st.info(t("value.not_reported"))
    st.stop()

present = [r for r in v.regencies if r in set(rows["regency"])]
absent = [r for r in v.regencies if r not in present]
if absent:
    st.info(md(t("indicators.absent", regencies=", ".join(absent))))

for tab, regency in zip(st.tabs(present), present):
    with tab:
        part = rows[rows["regency"] == regency]
        years = sorted({int(y) for y in part["year"].dropna()}, reverse=True)
        if v.year in years:
            part = part[part["year"] == v.year]
        shown = part.assign(period=part["period"].map(lambda p: period_label(p, v.lang) if isinstance(p, str) else p))
        table = shown[["indicator_text", "canonical_indicator", "unit_text", "year", "period", "target_text", "actual_text",
                      "achievement_text", "category", "source_line"]].rename(columns=lambda c: t(f"col.{c}"))
        st.dataframe(table.astype(object).where(table.notna(), ""), hide_index=True, width="stretch",
                     column_config={t("col.source_line"): st.column_config.NumberColumn(format="%d")})
        ach = part.dropna(subset=["achievement_value"]).drop_duplicates(["indicator_text", "year", "achievement_value"])
        if ach.empty:
            continue
        labels = [f"{txt[:70]} ({int(y) if y == y else '–'})" for txt, y in zip(ach["indicator_text"], ach["year"])]
        fig = go.Figure(go.Bar(
            y=labels, x=ach["achievement_value"], orientation="h", marker_color=v.colours[regency],
            text=[f"{x:.2f}%".replace(".", "," if v.lang == "id" else ".") for x in ach["achievement_value"]],
            textposition="outside", cliponaxis=False,
            customdata=list(zip(ach["target_text"].fillna(""), ach["actual_text"].fillna(""),
                                [cite.where(x.source_line, x.source_page, v.lang) for x in ach.itertuples()])),
            hovertemplate="%{y}<br>" + t("kind.achievement") + ": %{x:.2f}%<br>" + t("kind.target")
                          + ": %{customdata[0]} · " + t("kind.actual") + ": %{customdata[1]}<br>"
                          + "%{customdata[2]}<extra></extra>", showlegend=False))
        fig.add_vline(x=100, line_dash="dot", line_color="#555", annotation_text="100%", annotation_position="top left")
        apply_layout(fig, v.lang, height=max(260, 60 + 34 * len(ach)))
        fig.update_yaxes(automargin=True, autorange="reversed")
        fig.update_xaxes(ticksuffix="%", range=[0, max(ach["achievement_value"].max(), 100) * 1.18])
        src = ach.assign(kind="achievement", value=ach["achievement_value"], unit="percent", method="table",
                         status="ok", indicator=ach["canonical_indicator"])
        chart_panel(f"iku-{regency}", t("indicators.chart_title", regency=regency), fig, src,
                    [t("indicators.capaian_note")])
