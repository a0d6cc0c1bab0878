"""Budget: absorption (realisasi ÷ pagu) per regency and per programme, pagu vs realisasi — with the
first-quarter report flagged so nobody compares it with full years unawares."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, cite, data, findings
from dashboard.findings import in_sentence
from dashboard.comparability import notes
from dashboard.components import chart_panel, not_reported
from dashboard.i18n import period_label, t
from dashboard.safe import md
from dashboard.style import apply_layout, value_text
from dashboard.view import current_view, latest

BUDGET = ["budget_allocated", "budget_realized", "budget_absorption"]

v = current_view()
st.title(t("page.budget"))


rows = data.headline(BUDGET, v.regencies, scope=None)
total = rows[rows["scope"] == "total"]

# ---- absorption per regency -------------------------------------------------------------------
absorption = latest(total[total["indicator"] == "budget_absorption"], v.year)

# ---- findings ---------------------------------------------------------------------------------
ranked = findings.ranking(absorption, in_sentence(v.short("budget_absorption")), "higher", v.lang, "percent")
pagu_rows = latest(total[total["indicator"] == "budget_allocated"], v.year)
largest = []
if len(pagu_rows):
    p = pagu_rows.loc[pagu_rows["value"].idxmax()].to_dict()
    real = total[(total["indicator"] == "budget_realized") & (total["regency"] == p["regency"]) & (total["year"] == p["year"])
                 & (total["kind"] == "actual")]
    if len(real):
        r = real.sort_values("period").iloc[-1].to_dict()
        largest.append(findings.Finding("find.budget_total", {
            "regency": p["regency"], "pagu": findings.Number(value_text(p["value"], "rupiah", v.lang, short=True),
                                                             p["source_file"], p["source_line"], p.get("source_page")),
            "real": findings.Number(value_text(r["value"], "rupiah", v.lang, short=True), r["source_file"], r["source_line"],
                                    r.get("source_page")),
            "when": findings.when(r, v.lang)}))
findings.show(ranked[:2] + largest + ranked[2:], v.lang)
partial = v.reports_shown()[v.reports_shown()["period"] != "annual"]
for r in partial.itertuples():
    st.error(md(t("budget.partial_banner", regency=r.regency, period=period_label(r.period, v.lang), year=r.report_year)),
             icon="⚠️")
st.markdown(t("budget.intro"))
missing = not_reported(v.regencies, set(absorption["regency"]))
fig = charts.bar_by_regency(absorption, v.colours, "percent", v.lang, missing=missing, value_name=v.short("budget_absorption"),
                            better="higher")
chart_panel("budget-absorption", t("budget.absorption_title"), fig, absorption,
            notes(absorption, v.reports_shown(), v.lang, missing), help_text=v.description("budget_absorption"))

# ---- pagu vs realisasi ------------------------------------------------------------------------
def pair_rows(frame: pd.DataFrame, label_col: str) -> pd.DataFrame:
    out = []
    for key, grp in frame.groupby(["regency", "scope", "year", "period"] if label_col == "scope" else ["regency"]):
        # the latest year (or the chosen one) that has both a pagu and a realisasi
        real_years = set(grp.loc[(grp["indicator"] == "budget_realized") & (grp["kind"] == "actual"), "year"])
        pagu_rows = grp[(grp["indicator"] == "budget_allocated") & grp["year"].isin(real_years)]
        pagu = latest(pagu_rows, v.year if label_col == "regency" else None)
        if pagu.empty:
            continue
        p = pagu.iloc[0]
        real = grp[(grp["indicator"] == "budget_realized") & (grp["year"] == p["year"]) & (grp["kind"] == "actual")]
        ab = grp[(grp["indicator"] == "budget_absorption") & (grp["year"] == p["year"]) & (grp["kind"] == "actual")]
        r = real.sort_values("period").iloc[-1]
        out.append({"regency": p["regency"], "scope": p["scope"], "year": int(r["year"]), "period": r["period"],
                    "pagu": p["value"], "realisasi": r["value"],
                    "absorption": ab.iloc[0]["value"] if len(ab) else r["value"] / p["value"] * 100,
                    "src_pagu": cite.of_row(p, v.lang), "src_real": cite.of_row(r, v.lang),
                    "label": (f"{p['regency']} · {int(r['year'])}" + ("" if r["period"] == "annual" else f" {period_label(r['period'], v.lang)}"))
                    if label_col == "regency" else f"{p['scope'][:60]} ({p['regency']})"})
    return pd.DataFrame(out)


pairs = pair_rows(total, "regency")
if len(pairs):
    fig = charts.pagu_vs_realisasi(pairs, v.colours, v.lang, label_col="label")
    used = total[total["indicator"].isin(["budget_allocated", "budget_realized"])]
    used = used[[(r, y) in set(zip(pairs["regency"], pairs["year"])) for r, y in zip(used["regency"], used["year"])]]
    chart_panel("budget-pagu-realisasi", t("budget.pagu_title"), fig, used,
                notes(used[used["indicator"] == "budget_realized"], v.reports_shown(), v.lang) + [t("budget.pagu_note")])

# ---- per programme ------------------------------------------------------------------------------
st.divider()
programmes = rows[rows["scope_level"] == "programme"]
regency = st.selectbox(t("budget.programme_regency"), [r for r in v.regencies if r in set(programmes["regency"])],
                       key="budget_programme_regency")
if regency is None:
    st.info(t("budget.no_programmes"))
else:
    prog = programmes[programmes["regency"] == regency]
    years = sorted(prog["year"].unique(), reverse=True)
    year = v.year if v.year in years else years[0]
    prog = prog[prog["year"] == year]
    pp = pair_rows(prog, "scope")
    ab = prog[(prog["indicator"] == "budget_absorption") & (prog["kind"] == "actual")].sort_values("value")
    if len(ab):
        fig = go.Figure(go.Bar(
            y=[s[:70] for s in ab["scope"]], x=ab["value"], orientation="h", marker_color=v.colours[regency],
            marker_pattern=dict(shape=["/" if m == "derived" else "" for m in ab["method"]], fillmode="overlay",
                                fgcolor="rgba(255,255,255,0.85)"),
            text=[value_text(x, "percent", v.lang) for x in ab["value"]], textposition="outside", cliponaxis=False,
            customdata=list(zip([cite.of_row(x, v.lang) for x in ab.itertuples()], [f if isinstance(f, str) else "" for f in ab["formula"]])),
            hovertemplate="%{y}: %{x:.2f}%<br>%{customdata[1]}<br>" + t("chart.source")
                          + ": %{customdata[0]}<extra></extra>", showlegend=False))
        apply_layout(fig, v.lang, height=max(260, 70 + 40 * len(ab)))
        fig.update_xaxes(ticksuffix="%", range=[0, max(ab["value"].max(), 100) * 1.15])
        fig.update_yaxes(automargin=True)
        chart_panel(f"budget-programmes-{regency}", t("budget.programme_title", regency=regency, year=year), fig, ab,
                    notes(ab, v.reports_shown(), v.lang))
    if len(pp):
        fig = charts.pagu_vs_realisasi(pp, v.colours, v.lang, label_col="label")
        used = prog[prog["indicator"].isin(["budget_allocated", "budget_realized"])]
        chart_panel(f"budget-programme-pagu-{regency}", t("budget.programme_pagu_title", regency=regency, year=year), fig,
                    used, notes(used, v.reports_shown(), v.lang))

# ---- belanja operasi / modal and the budget lines as printed ------------------------------------
belanja = rows[rows["scope_level"] == "belanja"]
if len(belanja):
    with st.expander(t("budget.belanja_title")):
        from dashboard.components import readable
        st.dataframe(readable(belanja), hide_index=True, width="stretch")
lines = data.budget_lines(v.regencies)
with st.expander(t("budget.lines_title", n=len(lines))):
    st.dataframe(lines, hide_index=True, width="stretch",
                 column_config={"pagu": st.column_config.NumberColumn(format="localized"),
                                "realisasi": st.column_config.NumberColumn(format="localized")})
