"""Training: participants, packages and certified trainees per regency, and by course."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import charts, cite, data, findings
from dashboard.findings import in_sentence
from dashboard.comparability import notes
from dashboard.components import chart_panel
from dashboard.i18n import t
from dashboard.style import apply_layout, value_text
from dashboard.view import current_view, latest

MEASURES = ["training_participants", "training_packages", "training_certified"]
UNITS = {"training_participants": "persons", "training_packages": "count", "training_certified": "persons"}

v = current_view()
st.title(t("page.training"))

rows = data.headline(MEASURES, v.regencies, scope=None)
totals = rows[rows["scope"] == "total"]
shown = pd.concat([latest(totals[(totals["indicator"] == ind) & (totals["unit"] == UNITS[ind])], v.year) for ind in MEASURES])

# ---- findings ---------------------------------------------------------------------------------
people = shown[shown["indicator"] == "training_participants"]
certified = shown[shown["indicator"] == "training_certified"]
name = in_sentence(v.short("training_participants"))
ranked = findings.ranking(people, name, "higher", v.lang, "persons")
findings.show(ranked[:1]
              + findings.ranking(certified, in_sentence(v.short("training_certified")), "higher", v.lang, "persons")[:1]
              + ranked[1:]
              + findings.missing([r for r in v.regencies if r not in set(people["regency"])], name), v.lang)
st.markdown(t("training.intro"))
fig = charts.small_multiples(shown, [(ind, v.short(ind)) for ind in MEASURES], v.colours, v.lang)
absent = {ind: [r for r in v.regencies if r not in set(shown[shown["indicator"] == ind]["regency"])] for ind in MEASURES}
extra = [t("training.absent", measure=v.short(ind), regencies=", ".join(regs)) for ind, regs in absent.items() if regs]
chart_panel("training-totals", t("training.totals_title"), fig, shown, notes(shown, v.reports_shown(), v.lang) + extra)

# ---- by course ----------------------------------------------------------------------------------
courses = rows[(rows["scope_level"] == "course") & (rows["kind"] == "actual")]
measure = st.radio(t("training.course_measure"), ["training_participants", "training_certified", "training_packages"],
                   format_func=v.short, horizontal=True, key="training_course_measure")
part = courses[(courses["indicator"] == measure) & (courses["unit"] == UNITS[measure])]
if v.year is not None:
    part = part[part["year"] == v.year]
if part.empty:
    st.subheader(t("training.courses_title"))
    st.info(t("training.no_courses"))
else:
    part = part.sort_values(["regency", "value"])
    fig = go.Figure()
    for regency, grp in part.groupby("regency"):
        labels = [f"{s} ({regency}, {int(y)})" for s, y in zip(grp["scope"], grp["year"])]
        fig.add_bar(y=labels, x=grp["value"], orientation="h", name=regency, marker_color=v.colours[regency],
                    text=[value_text(x, UNITS[measure], v.lang) for x in grp["value"]], textposition="outside",
                    cliponaxis=False, customdata=[[cite.of_row(x, v.lang)] for x in grp.itertuples()],
                    hovertemplate="%{y}: %{x}<br>" + t("chart.source") + ": %{customdata[0]}<extra></extra>")
    apply_layout(fig, v.lang, height=max(300, 60 + 28 * len(part)))
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(range=[0, part["value"].max() * 1.3])
    chart_panel(f"training-courses-{measure}", t("training.courses_title") + f" — {v.short(measure)}", fig, part,
                notes(part, v.reports_shown(), v.lang) + [t("training.course_note")])

# ---- per-course table as the reports print it ----------------------------------------------------
tc = data.training_courses(v.regencies)
if not tc.empty:
    with st.expander(t("training.table_title")):
        st.dataframe(tc, hide_index=True, width="stretch")
