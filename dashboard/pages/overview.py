"""Overview: every regency side by side on the four headline indicators."""

import pandas as pd
import streamlit as st

from dashboard import charts, cite, data
from dashboard.comparability import notes
from dashboard.components import badge, chart_panel, not_reported, notes_box, status_badge
from dashboard.i18n import t
from dashboard.safe import md
from dashboard.style import value_text
from dashboard.view import current_view, latest, paired_targets, target_notes

HEADLINE = ["tpt", "placement_rate", "training_participants", "budget_absorption"]

v = current_view()
st.title(t("page.overview"))
st.markdown(t("overview.intro"))

rows = data.headline(HEADLINE, v.regencies)
units = {"tpt": "percent", "placement_rate": "percent", "training_participants": "persons", "budget_absorption": "percent"}
shown = {ind: latest(rows[(rows["indicator"] == ind) & (rows["unit"] == units[ind])], v.year) for ind in HEADLINE}

# ---- the matrix: regencies × headline indicators ------------------------------------------
head = st.columns([1.3, 1, 1, 1, 1])
head[0].markdown(f"**{t('col.regency')}**")
for col, ind in zip(head[1:], HEADLINE):
    col.markdown(f"**{v.short(ind)}**", help=v.description(ind))
for regency in v.regencies:
    rep = v.reports[v.reports["regency"] == regency].iloc[0]
    cells = st.columns([1.3, 1, 1, 1, 1], border=False)
    cells[0].markdown(f"<span style='color:{v.colours[regency]};font-size:1.3em'>■</span> **{md(regency)}**  \n"
                      f"{t('overview.report')} {badge(rep['report_year'], rep['period'])}", unsafe_allow_html=True)
    for col, ind in zip(cells[1:], HEADLINE):
        r = shown[ind][shown[ind]["regency"] == regency]
        if r.empty:
            col.markdown(f":gray[{t('value.not_reported')}]")
            continue
        r = r.iloc[0]
        col.markdown(f"**{value_text(r['value'], r['unit'], v.lang, short=True)}** {badge(r['year'], r['period'])} "
                     f"{status_badge(r)}  \n:gray[{cite.where(r['source_line'], r.get('source_page'))}]")

all_shown = [s for s in shown.values() if not s.empty]
st.divider()
st.subheader(t("overview.comparable_title"))
combined = pd.concat(all_shown) if all_shown else rows.iloc[0:0]
notes_box(notes(combined, v.reports_shown(), v.lang))
st.caption(t("overview.rule"))

# ---- one chart per headline indicator -----------------------------------------------------
left, right = st.columns(2)
for i, ind in enumerate(HEADLINE):
    with (left if i % 2 == 0 else right):
        s = shown[ind]
        # a target only beside the actual of its own table or definition (dashboard/trust.py)
        targets, left_out = paired_targets(rows[(rows["indicator"] == ind) & (rows["unit"] == units[ind])], s,
                                           data.observations([ind], v.regencies))
        missing = not_reported(v.regencies, set(s["regency"]))
        fig = charts.bar_by_regency(s, v.colours, units[ind], v.lang, targets=targets, missing=missing,
                                    value_name=v.short(ind))
        chart_panel(f"overview-{ind}", v.title(ind), fig, pd.concat([s, targets]),
                    notes(s, v.reports_shown(), v.lang, missing) + target_notes(left_out, v.lang), help_text=v.description(ind), notes_collapsed=True)
