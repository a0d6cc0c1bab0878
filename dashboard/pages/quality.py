"""Data quality & sources: when the data were built (with the research bundle as one zip), every
conflict and mismatch per report, a searchable table of all observations, and a viewer showing
the raw report text around any cited line."""

import json

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import indicator_names, line_viewer, readable
from dashboard.dates import long_datetime
from dashboard.i18n import kind_label, period_label, t
from dashboard.safe import md
from dashboard.view import current_view



def coverage_of(text) -> dict:
    """reports.coverage: {"yielded": [...], "missing": [...], "low": bool, "reasons": [...]}."""
    try:
        out = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        out = {}
    return out if isinstance(out, dict) else {}


v = current_view()
st.title(t("page.quality"))
st.markdown(t("quality.intro"))

# ---- when the data were built, and all of it as the research bundle --------------------------------
info = data.build_info()
b1, b2 = st.columns([3, 2], vertical_alignment="center")
b1.caption(t("quality.built_at", when=long_datetime(info["built_at"], v.lang) if info.get("built_at") else "?",
             n=info.get("n_reports", "?")))
# the zip is made only when clicked (a callable), from the exported bundle when it is current
b2.download_button(t("quality.bundle_download"), data=data.bundle_zip, file_name=data.bundle_file_name(info),
                   mime="application/zip", help=t("quality.bundle_help"), on_click="ignore", key="bundle_zip",
                   icon=":material/download:")

# ---- reports --------------------------------------------------------------------------------
st.subheader(t("quality.reports_title"))
st.dataframe(v.reports_shown()[["regency", "province", "agency", "report_year", "period", "source_file", "original_name",
                                "n_lines", "encoding", "n_observations", "n_conflicts", "n_warnings"]]
             .rename(columns=lambda c: t(f"col.{c}")), hide_index=True, width="stretch")

# ---- coverage: which headline indicators each report yielded (low coverage highlighted) -----------
st.subheader(t("quality.coverage_title"))
st.caption(t("quality.coverage_help"))
warn_rows = data.warnings(v.regencies)
low_msgs = warn_rows[warn_rows["code"] == "low_coverage"]
coverage = []
for rep in v.reports_shown().to_dict("records"):
    cov = coverage_of(rep.get("coverage"))
    low = bool(cov.get("low")) or rep["source_file"] in set(low_msgs["source_file"])
    coverage.append({"regency": rep["regency"], "source_file": rep["source_file"], "low": low,
                     "yielded": ", ".join(v.short(i) for i in cov.get("yielded", [])) or "–",
                     "missing": ", ".join(v.short(i) for i in cov.get("missing", [])) or "–"})
    if low:  # never silently thin: say which report, what it gave and what is missing, and why
        reasons = "; ".join(cov.get("reasons") or []) or "; ".join(low_msgs[low_msgs["source_file"] == rep["source_file"]]["message"])
        st.error(md(t("quality.low_coverage", regency=rep["regency"], file=rep["source_file"],
                      yielded=coverage[-1]["yielded"], missing=coverage[-1]["missing"], reasons=reasons or "–")),
                 icon="⚠️")
if coverage:
    frame = pd.DataFrame(coverage)
    styled = frame.drop(columns="low").rename(columns=lambda c: t(f"col.{c}")).style.apply(
        lambda row: ["background-color:#fde2e1" if frame.loc[row.name, "low"] else "" for _ in row], axis=1)
    st.dataframe(styled, hide_index=True, width="stretch")

# ---- conflicts and mismatches ------------------------------------------------------------------
conf = data.conflicts(v.regencies)
mism = data.mismatches(v.regencies)
c1, c2 = st.columns(2)
c1.metric(t("quality.n_conflicts"), len(conf))
c2.metric(t("quality.n_mismatches"), len(mism))
per_report = (v.reports_shown()[["regency", "source_file"]]
              .merge(conf.groupby("regency").size().rename("n_conflicts"), on="regency", how="left")
              .merge(mism.groupby("regency").size().rename("n_mismatches"), on="regency", how="left")
              .fillna({"n_conflicts": 0, "n_mismatches": 0}).astype({"n_conflicts": int, "n_mismatches": int}))
st.dataframe(per_report.rename(columns=lambda c: t(f"col.{c}")), hide_index=True)
tab_c, tab_m, tab_s, tab_w = st.tabs([t("quality.conflicts_tab"), t("quality.mismatches_tab"), t("quality.suspect_tab"),
                                      t("quality.warnings_tab")])
with tab_c:
    st.caption(t("quality.conflicts_help"))
    shown = conf.drop(columns=["source_file"]).assign(kind=conf["kind"].map(kind_label),
                                                      period=conf["period"].map(period_label))
    st.dataframe(shown.rename(columns=lambda c: t(f"col.{c}")), hide_index=True, width="stretch",
                 column_config={t("col.chosen_value"): st.column_config.NumberColumn(format="localized")})
with tab_m:
    st.caption(t("quality.mismatches_help"))
    st.dataframe(readable(mism[["regency", "indicator", "scope", "year", "period", "kind", "value", "unit",
                                "source_file", "source_line", "source_text"]]), hide_index=True, width="stretch")
with tab_w:
    warn_shown = warn_rows.rename(columns=lambda c: t(f"col.{c}"))
    st.dataframe(warn_shown.style.apply(
        lambda row: ["background-color:#fde2e1" if warn_rows.loc[row.name, "code"] == "low_coverage" else "" for _ in row],
        axis=1), hide_index=True, width="stretch")
with tab_s:
    st.caption(t("quality.suspect_help"))
    doubtful = data.all_observations()
    doubtful = doubtful[(doubtful["status"] == "suspect") & doubtful["regency"].isin(v.regencies)]
    st.dataframe(readable(doubtful[["regency", "indicator", "scope", "year", "period", "kind", "value", "unit", "method",
                                    "status_reason", "source_file", "source_page", "source_line", "source_text"]]),
                 hide_index=True, width="stretch")

# ---- all observations, searchable ----------------------------------------------------------------
st.subheader(t("quality.observations_title"))
obs = data.all_observations()
obs = obs[obs["regency"].isin(v.regencies)]
f1, f2, f3 = st.columns([2, 1, 1])
needle = f1.text_input(t("quality.search"), key="q_search", placeholder=t("quality.search_placeholder"))
names = indicator_names(v.lang)
ind = f2.multiselect(t("col.indicator"), sorted(obs["indicator"].unique()), key="q_indicator",
                     placeholder=t("quality.choose"), format_func=lambda i: names.get(i, i))
status = f3.multiselect(t("col.status"), ["ok", "conflict", "mismatch", "suspect"], key="q_status", placeholder=t("quality.choose"))
if needle:
    mask = obs["source_text"].str.contains(needle, case=False, regex=False, na=False) | \
        obs["scope"].str.contains(needle, case=False, regex=False, na=False) | \
        obs["indicator"].str.contains(needle, case=False, regex=False, na=False)
    obs = obs[mask]
if ind:
    obs = obs[obs["indicator"].isin(ind)]
if status:
    obs = obs[obs["status"].isin(status)]
st.caption(t("quality.n_rows", n=len(obs)))
event = st.dataframe(readable(obs), hide_index=True, width="stretch", key="q_table",
                     on_select="rerun", selection_mode="single-row")

# ---- raw text viewer ----------------------------------------------------------------------------
st.subheader(t("quality.viewer_title"))
files = list(v.reports["source_file"])
selected = event.selection.rows if event is not None else []
if selected:
    picked = obs.iloc[selected[0]]
    st.session_state["viewer_file"], st.session_state["viewer_line"] = picked["source_file"], int(picked["source_line"])
else:
    qf, ql = st.query_params.get("file"), st.query_params.get("line")
    if qf in files and "viewer_file" not in st.session_state:
        st.session_state["viewer_file"] = qf
        # str.isdigit() accepts "²" and other digits int() refuses: ASCII digits only
        st.session_state["viewer_line"] = int(ql) if ql and ql.isascii() and ql.isdigit() else 1
label = {f: f"{r} — {f}" for f, r in zip(v.reports["source_file"], v.reports["regency"])}
v1, v2, v3 = st.columns([3, 1, 1])
file = v1.selectbox(t("quality.viewer_file"), files, format_func=label.get, key="viewer_file")
n_lines = int(v.reports.loc[v.reports["source_file"] == file, "n_lines"].iloc[0])
if "viewer_line" not in st.session_state:  # start on the first value read from this report, not a blank line 1
    cited = data.all_observations()
    first = cited.loc[cited["source_file"] == file, "source_line"].min()
    st.session_state["viewer_line"] = int(first) if first == first else 1
if not 1 <= int(st.session_state["viewer_line"]) <= n_lines:
    st.session_state["viewer_line"] = 1
line = v2.number_input(t("col.source_line"), min_value=1, max_value=max(1, n_lines), step=1, key="viewer_line")
radius = v3.slider(t("quality.viewer_radius"), 2, 40, 8, key="viewer_radius")
line_viewer(file, int(line), radius=radius)
