"""Overview: every regency side by side on the four headline indicators."""

import pandas as pd
import streamlit as st

from dashboard import charts, cite, data, findings
from dashboard.comparability import notes
from dashboard.components import badge, chart_panel, not_reported, notes_box, status_badge
from dashboard.findings import in_sentence
from dashboard.i18n import t
from dashboard.safe import md
from dashboard.style import value_text
from dashboard.view import current_view, latest, paired_targets, target_notes

HEADLINE = ["tpt", "placement_rate", "training_participants", "budget_absorption"]
UNITS = {"tpt": "percent", "placement_rate": "percent", "training_participants": "persons", "budget_absorption": "percent"}
WIDTHS = [1.3, 1, 1, 1, 1]

v = current_view()
st.title(t("page.overview"))

rows = data.headline(HEADLINE, v.regencies)
shown = {ind: latest(rows[(rows["indicator"] == ind) & (rows["unit"] == UNITS[ind])], v.year) for ind in HEADLINE}

# ---- findings: who leads, who lags, what is not comparable --------------------------------------
tpt = findings.ranking(shown["tpt"], in_sentence(v.short("tpt")), v.better("tpt"), v.lang, "percent")
rate = findings.ranking(shown["placement_rate"], in_sentence(v.short("placement_rate")), v.better("placement_rate"),
                        v.lang, "percent")
absorption = findings.ranking(shown["budget_absorption"], in_sentence(v.short("budget_absorption")),
                              v.better("budget_absorption"), v.lang, "percent")
lead = [f for f in tpt + rate + absorption if f.key.startswith("find.lead_lag") or f.key == "find.only_one"]
# what is not comparable comes before a third ranking: a doubted value first, then a part-year one
caveats = [f for f in tpt + rate + absorption if f.key == "find.doubtful"][:1] + \
    [f for f in tpt + rate + absorption if f.key == "find.part_year"][:1]
findings.show(lead[:2] + caveats + lead[2:], v.lang)
st.markdown(t("overview.intro"))

# ---- the matrix: regencies × headline indicators (one card per area on a phone) ------------------
with st.container(key="matrix_head"):
    head = st.columns(WIDTHS)
    head[0].markdown(f"**{t('col.regency')}**")
    for col, ind in zip(head[1:], HEADLINE):
        col.markdown(f"**{v.short(ind)}**", help=v.description(ind))
for i, regency in enumerate(v.regencies):
    rep = v.reports[v.reports["regency"] == regency].iloc[0]
    with st.container(key=f"mrow_{i}"):
        cells = st.columns(WIDTHS, border=False)
    cells[0].markdown(f"<span style='color:{v.colours[regency]};font-size:1.3em'>■</span> **{md(regency)}**  \n"
                      f"{t('overview.report')} {badge(rep['report_year'], rep['period'])}", unsafe_allow_html=True)
    for col, ind in zip(cells[1:], HEADLINE):
        label = f"<span class='cell-label'>{md(v.short(ind))}</span>"  # shown only when the row is a phone card
        r = shown[ind][shown[ind]["regency"] == regency]
        if r.empty:
            col.markdown(f"{label}:gray[{t('value.not_reported')}]", unsafe_allow_html=True)
            continue
        r = r.iloc[0]
        col.markdown(f"{label}**{value_text(r['value'], r['unit'], v.lang, short=True)}** {badge(r['year'], r['period'])} "
                     f"{status_badge(r)}  \n:gray[{cite.where(r['source_line'], r.get('source_page'))}]",
                     unsafe_allow_html=True)

all_shown = [s for s in shown.values() if not s.empty]
st.divider()
st.subheader(t("overview.comparable_title"))
combined = pd.concat(all_shown) if all_shown else rows.iloc[0:0]
notes_box(notes(combined, v.reports_shown(), v.lang))
st.caption(t("overview.rule"))

# ---- one chart per headline indicator, two abreast on a wide screen ------------------------------
with st.container(key="chart_grid"):
    for pair in (HEADLINE[:2], HEADLINE[2:]):
        for col, ind in zip(st.columns(2), pair):
            with col:
                s = shown[ind]
                # a target only beside the actual of its own table or definition (dashboard/trust.py)
                targets, left_out = paired_targets(rows[(rows["indicator"] == ind) & (rows["unit"] == UNITS[ind])], s,
                                                   data.observations([ind], v.regencies))
                missing = not_reported(v.regencies, set(s["regency"]))
                fig = charts.bar_by_regency(s, v.colours, UNITS[ind], v.lang, targets=targets, missing=missing,
                                            value_name=v.short(ind), better=v.better(ind))
                chart_panel(f"overview-{ind}", v.title(ind), fig, pd.concat([s, targets]),
                            notes(s, v.reports_shown(), v.lang, missing) + target_notes(left_out, v.lang),
                            help_text=v.description(ind), notes_collapsed=True)
