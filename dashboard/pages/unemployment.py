"""Unemployment (TPT): latest value per regency with its target, the multi-year series each report
gives, and the provincial / national / peer figures reports quote — as context only."""

import pandas as pd
import streamlit as st

from dashboard import charts, data, findings
from dashboard.comparability import notes
from dashboard.components import chart_panel, not_reported
from dashboard.i18n import t
from dashboard.view import current_view, latest, paired_targets, target_notes

v = current_view()
st.title(t("page.unemployment"))

rows = data.headline(["tpt"], v.regencies)
rows = rows[rows["unit"] == "percent"]
shown = latest(rows, v.year)
targets, left_out = paired_targets(rows, shown, data.observations(["tpt"], v.regencies))
missing = not_reported(v.regencies, set(shown["regency"]))
ctx = data.context_values("tpt", v.regencies)

# ---- findings ---------------------------------------------------------------------------------
ranked = findings.ranking(shown, "TPT", "lower", v.lang, "percent")
findings.show(ranked[:1] + findings.change(rows, "TPT", "lower", v.lang, "percent")
              + findings.targets_met(shown, targets, "TPT", "lower", v.lang, "percent") + ranked[1:]
              + findings.missing(missing, "TPT"), v.lang)
st.markdown(t("tpt.intro"))

# ---- latest value and target, with the provincial / national figures the report quotes ----------
shown_years = dict(zip(shown["regency"], shown["year"]))
reference = ctx[[shown_years.get(r) == y for r, y in zip(ctx["reported_by"], ctx["year"])]] if len(ctx) else ctx
fig = charts.bar_by_regency(shown, v.colours, "percent", v.lang, targets=targets, missing=missing, value_name="TPT",
                            better="lower", context=reference)
chart_panel("tpt-latest", t("tpt.latest_title"), fig, pd.concat([shown, targets]),
            [t("tpt.lower_better")] + ([t("tpt.reference_note")] if len(reference) else []) + notes(shown, v.reports_shown(), v.lang, missing) + target_notes(left_out, v.lang), help_text=v.description("tpt"))

# ---- series ---------------------------------------------------------------------------------
actual = rows[rows["kind"] == "actual"]
target_rows = rows[rows["kind"] == "target"]
fig = charts.series_by_regency(actual, v.colours, "percent", v.lang, targets=target_rows)
chart_panel("tpt-series", t("tpt.series_title"), fig, pd.concat([actual, target_rows]),
            notes(actual, v.reports_shown(), v.lang) + [t("tpt.series_note")])

# ---- context quoted by the reports --------------------------------------------------------
st.subheader(t("tpt.context_title"))
st.caption(t("tpt.context_note"))
if ctx.empty:
    st.info(t("tpt.no_context"))
else:
    years = sorted(ctx["year"].unique())
    ctx_year = st.selectbox(t("filter.year"), years, index=len(years) - 1, key="tpt_ctx_year") if len(years) > 1 else years[0]
    part = ctx[ctx["year"] == ctx_year].drop_duplicates(["reported_by", "geography", "value"])
    own = actual[actual["year"] == ctx_year]
    fig = charts.context_dots(part, own, v.colours, v.lang, lambda lvl: t(f"tpt.level.{lvl}"))
    ctx_rows = part.rename(columns={"reported_by": "regency"}).assign(kind="actual", method="narrative", status="ok")
    chart_panel("tpt-context", t("tpt.context_chart_title", year=ctx_year), fig, ctx_rows,
                [t("tpt.context_warning")])

# ---- the counts behind TPT --------------------------------------------------------------------
counts = data.headline(["unemployed_persons", "labour_force"], v.regencies)
if not counts.empty:
    with st.expander(t("tpt.counts_title")):
        from dashboard.components import readable
        st.dataframe(readable(counts), hide_index=True, width="stretch")
