"""Placement: job seekers → vacancies → placements per regency, and the placement rate as
reported and as recomputed (placements ÷ registered job seekers), each with its definition."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, cite, data, findings
from dashboard.findings import in_sentence
from dashboard.comparability import notes
from dashboard.components import chart_panel, not_reported
from dashboard.i18n import definition_label, period_label, t
from dashboard.style import apply_layout, value_text
from dashboard.view import current_view, latest

FUNNEL = ["job_seekers_registered", "vacancies_registered", "placements"]

v = current_view()
st.title(t("page.placement"))

counts = data.headline(FUNNEL, v.regencies)
counts = counts[counts["unit"].isin(["persons", "count"])]
shown = pd.concat([latest(counts[counts["indicator"] == ind], v.year) for ind in FUNNEL])
head = data.headline(["placement_rate"], v.regencies)
rate_shown = latest(head[(head["scope"] == "total") & (head["unit"] == "percent")], v.year)

# ---- findings ---------------------------------------------------------------------------------
funnel_find = []
seekers = shown[(shown["indicator"] == "job_seekers_registered") & (shown["period"] == "annual")]
if len(seekers):
    top = seekers.loc[seekers["value"].idxmax()].to_dict()
    placed = shown[(shown["indicator"] == "placements") & (shown["regency"] == top["regency"]) & (shown["year"] == top["year"])]
    if len(placed):
        funnel_find.append(findings.Finding("find.funnel", {
            "regency": top["regency"], "seekers": findings.number_of(top, v.lang), "when": findings.when(top, v.lang),
            "placed": findings.number_of(placed.iloc[0].to_dict(), v.lang)}))
rank = findings.ranking(rate_shown, in_sentence(v.short("placement_rate")), v.better("placement_rate"), v.lang, "percent")
defs_differ = rate_shown["definition"].dropna().str.replace(r"\s*\(recomputed\)$", "", regex=True).nunique() > 1
findings.show(rank[:1] + funnel_find + rank[1:2] + ([findings.Finding("find.definitions_differ")] if defs_differ else [])
              + rank[2:], v.lang)
st.markdown(t("placement.intro"))

# ---- funnel ---------------------------------------------------------------------------------
absent = [ind for ind in FUNNEL if ind not in set(shown["indicator"])]
fig = charts.funnel_bars(shown, [(ind, v.short(ind)) for ind in FUNNEL], v.colours, v.lang)
funnel_notes = notes(shown, v.reports_shown(), v.lang)
if absent:
    funnel_notes.insert(0, t("placement.absent_measures", measures=", ".join(v.title(i) for i in absent)))
chart_panel("placement-funnel", t("placement.funnel_title"), fig, shown, funnel_notes)

# ---- rate: reported vs recomputed --------------------------------------------------------------
obs = data.observations(["placement_rate"], v.regencies)
obs = obs[(obs["kind"] == "actual") & (obs["scope"] == "total")]
stated = obs[(obs["method"] != "derived") & (obs["status"] != "conflict")]
# the headline's own choice first (a doubted value only where the report offers nothing else)
stated = stated.assign(_doubt=stated["status"].eq("suspect")).sort_values("_doubt", kind="stable").drop(columns="_doubt")
recomputed = obs[obs["method"] == "derived"]
pairs = []
for regency in v.regencies:
    s = latest(stated[stated["regency"] == regency], v.year)
    r = latest(recomputed[recomputed["regency"] == regency], v.year)
    year = max([int(x) for x in list(s["year"]) + list(r["year"])], default=None)
    if year is None:
        continue
    s, r = s[s["year"] == year], r[r["year"] == year]
    if not s.empty:
        pairs.append(s.iloc[0].to_dict() | {"series": "reported"})
    if not r.empty:
        pairs.append(r.iloc[0].to_dict() | {"series": "recomputed"})
rate = pd.DataFrame(pairs)
missing = not_reported(v.regencies, set(rate["regency"]) if len(rate) else set())

fig = go.Figure()
if len(rate):
    rate["has_conflict"] = [bool(head[(head["regency"] == x.regency) & (head["year"] == x.year) & (head["kind"] == "actual")
                                      & (head["scope"] == "total")]["disagrees"].any()) for x in rate.itertuples()]
    for series, pattern in (("reported", ""), ("recomputed", "/")):
        part = rate[rate["series"] == series]
        fig.add_bar(
            x=[f"{x.regency} · {int(x.year)}" + ("" if x.period == "annual" else f" {period_label(x.period, v.lang)}")
               for x in part.itertuples()],
            y=part["value"], name=t(f"placement.{series}"), showlegend=False,
            marker=dict(color=[v.colours[x] for x in part["regency"]], opacity=1 if series == "reported" else 0.75,
                        pattern=dict(shape=["x" if s == "suspect" else pattern for s in part["status"]], fillmode="overlay",
                                     fgcolor="rgba(255,255,255,0.85)")),
            text=[value_text(x, "percent", v.lang) + (f" ({t('status.suspect_short')})" if s == "suspect" else "")
                  for x, s in zip(part["value"], part["status"])], textposition="outside", cliponaxis=False,
            customdata=list(zip([definition_label(d, v.lang) for d in part["definition"]],
                                [cite.of_row(x, v.lang) for x in part.itertuples()],
                                [f if isinstance(f, str) else "" for f in part["formula"]])),
            hovertemplate="%{x}<br>%{y:.2f}%<br>%{customdata[0]}<br>%{customdata[2]}<br>"
                          + t("chart.source") + ": %{customdata[1]}<extra></extra>",
        )
# legend keys in neutral grey: the colours belong to regencies
fig.add_bar(x=[None], y=[None], name=t("placement.reported"), marker=dict(color="#777"))
fig.add_bar(x=[None], y=[None], name=t("placement.recomputed"),
            marker=dict(color="#777", opacity=0.75, pattern=dict(shape="/", fillmode="overlay", fgcolor="rgba(255,255,255,0.85)")))
apply_layout(fig, v.lang, height=420)
fig.update_layout(barmode="group")
fig.update_yaxes(ticksuffix="%", rangemode="tozero")
rate_notes = [t("placement.rate_note")] + (notes(rate, v.reports_shown(), v.lang, missing) if len(rate) else [])
chart_panel("placement-rate", t("placement.rate_title"), fig, rate if len(rate) else obs.iloc[0:0], rate_notes)

# ---- definitions ------------------------------------------------------------------------------
st.subheader(t("placement.definitions_title"))
defs = data.observations(["placement_rate"], v.regencies)
defs = (defs.dropna(subset=["definition"]).groupby(["regency", "scope", "definition"], as_index=False)
        .agg(years=("year", lambda s: ", ".join(str(int(y)) for y in sorted(set(s)))),
             lines=("source_line", lambda s: ", ".join(str(int(x)) for x in sorted(set(s))[:10]))))
defs["definition"] = defs["definition"].map(lambda d: definition_label(d, v.lang))
st.dataframe(defs.rename(columns={"regency": t("col.regency"), "scope": t("col.scope"), "definition": t("col.definition"),
                                  "years": t("col.year"), "lines": t("col.source_line")}),
             hide_index=True, width="stretch")

# ---- time series of the rate --------------------------------------------------------------------
series = head[(head["kind"] == "actual") & (head["scope"] == "total")]
if series["year"].nunique() > 1:
    fig = charts.series_by_regency(series, v.colours, "percent", v.lang,
                                   targets=head[(head["kind"] == "target") & (head["scope"] == "total")])
    chart_panel("placement-series", t("placement.series_title"), fig, series, notes(series, v.reports_shown(), v.lang))
