"""Unemployment (TPT): latest value per regency with its target, the multi-year series each report
gives, and the provincial / national / peer figures reports quote — as context only."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, data
from dashboard.comparability import notes
from dashboard.components import chart_panel, not_reported
from dashboard.i18n import t
from dashboard.style import CONTEXT_GREY, apply_layout
from dashboard.view import current_view, latest, matching

v = current_view()
st.title(t("page.unemployment"))
st.markdown(t("tpt.intro"))

rows = data.headline(["tpt"], v.regencies)
rows = rows[rows["unit"] == "percent"]

# ---- latest value and target ----------------------------------------------------------------
shown = latest(rows, v.year)
targets = matching(rows, shown, "target")
missing = not_reported(v.regencies, set(shown["regency"]))
fig = charts.bar_by_regency(shown, v.colours, "percent", v.lang, targets=targets, missing=missing, value_name="TPT")
chart_panel("tpt-latest", t("tpt.latest_title"), fig, pd.concat([shown, targets]),
            [t("tpt.lower_better")] + notes(shown, v.reports_shown(), v.lang, missing), help_text=v.description("tpt"))

# ---- series ---------------------------------------------------------------------------------
actual = rows[rows["kind"] == "actual"]
target_rows = rows[rows["kind"] == "target"]
fig = charts.series_by_regency(actual, v.colours, "percent", v.lang, targets=target_rows)
chart_panel("tpt-series", t("tpt.series_title"), fig, pd.concat([actual, target_rows]),
            notes(actual, v.reports_shown(), v.lang) + [t("tpt.series_note")])

# ---- context quoted by the reports --------------------------------------------------------
ctx = data.context_values("tpt", v.regencies)
st.subheader(t("tpt.context_title"))
st.caption(t("tpt.context_note"))
if ctx.empty:
    st.info(t("tpt.no_context"))
else:
    years = sorted(ctx["year"].unique())
    ctx_year = st.selectbox(t("filter.year"), years, index=len(years) - 1, key="tpt_ctx_year") if len(years) > 1 else years[0]
    part = ctx[ctx["year"] == ctx_year].drop_duplicates(["reported_by", "geography", "value"])
    fig = go.Figure()
    for reporter, grp in part.groupby("reported_by"):
        grp = grp.sort_values("value")
        own = actual[(actual["regency"] == reporter) & (actual["year"] == ctx_year)]
        labels = [f"{g} ({t('tpt.level.' + lvl)})" for g, lvl in zip(grp["geography"], grp["geography_level"])]
        fig.add_bar(y=labels, x=grp["value"], orientation="h", name=f"{t('tpt.quoted_by')} {reporter}",
                    marker_color=CONTEXT_GREY, text=[f"{x:.2f}%" for x in grp["value"]], textposition="outside",
                    cliponaxis=False,
                    customdata=list(zip(grp["source_file"], grp["source_line"])),
                    hovertemplate="%{y}: %{x:.2f}%<br>" + t("chart.source") + ": %{customdata[0]} l. %{customdata[1]}<extra></extra>")
        for r in own.itertuples():
            fig.add_bar(y=[f"{reporter} ({t('tpt.own_value')})"], x=[r.value], orientation="h", name=reporter,
                        marker_color=v.colours[reporter], text=[f"{r.value:.2f}%"], textposition="outside",
                        cliponaxis=False,
                        customdata=[[r.source_file, r.source_line]],
                        hovertemplate="%{y}: %{x:.2f}%<br>" + t("chart.source") + ": %{customdata[0]} l. %{customdata[1]}<extra></extra>")
    apply_layout(fig, v.lang, height=max(300, 60 + 26 * (len(part) + len(v.regencies))))
    fig.update_layout(barmode="group", yaxis=dict(categoryorder="total ascending"))
    fig.update_xaxes(ticksuffix="%", rangemode="tozero")
    ctx_rows = part.rename(columns={"reported_by": "regency"}).assign(kind="actual", method="narrative", status="ok")
    chart_panel("tpt-context", t("tpt.context_chart_title", year=ctx_year), fig, ctx_rows,
                [t("tpt.context_warning")])

# ---- the counts behind TPT --------------------------------------------------------------------
counts = data.headline(["unemployed_persons", "labour_force"], v.regencies)
if not counts.empty:
    with st.expander(t("tpt.counts_title")):
        from dashboard.components import readable
        st.dataframe(readable(counts), hide_index=True, width="stretch")
