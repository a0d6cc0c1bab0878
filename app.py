"""Disnaker dashboard: LKjIP labour-office reports side by side.

    streamlit run app.py      (or `make run`, which builds the warehouse first)

This file sets up the page, the filters every page shares (language, regencies, year — all kept
in the URL), the briefing-deck builder, and the navigation. Each page is one file in
dashboard/pages/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard import data, findings, layout, state
from dashboard.i18n import glossary, t
from dashboard.safe import md

# a local icon file: a ":material/…:" or emoji icon makes the browser fetch the favicon from the internet
ICON = Path(__file__).parent / "dashboard" / "assets" / "icon.png"
st.set_page_config(page_title="Disnaker · LKjIP", page_icon=str(ICON), layout="wide")

data.begin_run()  # every query of this run reads one warehouse snapshot
lang = state.language()

PAGES = [
    ("overview", ":material/dashboard:"),
    ("unemployment", ":material/trending_down:"),
    ("placement", ":material/handshake:"),
    ("training", ":material/school:"),
    ("budget", ":material/account_balance:"),
    ("indicators", ":material/checklist:"),
    ("quality", ":material/fact_check:"),
    ("about", ":material/info:"),
]
# The default page is served at "/" (Streamlit ignores its url_path, but still reserves it), so the
# overview reserves "home" and a hidden page at /overview forwards there: shared links to either work.
pages = [st.Page(f"dashboard/pages/{name}.py", title=t(f"page.{name}"), icon=icon,
                 url_path="home" if name == "overview" else name, default=(name == "overview")) for name, icon in PAGES]


def _to_overview() -> None:
    """The overview is the default page, served at '/'; a link to /overview lands here and is sent on."""
    st.switch_page(pages[0], query_params={k: st.query_params.get_all(k) for k in st.query_params})


nav = st.navigation(pages + [st.Page(_to_overview, title=t("page.overview"), url_path="overview", visibility="hidden")])

try:
    reports = data.reports()
except data.WarehouseMissing:
    st.error(t("app.no_warehouse", path=str(data.DB_PATH)))
    st.code("make run    # or: python -m pipeline build", language="sh")
    st.stop()

if reports.empty:
    st.error(t("app.empty_warehouse"))
    st.stop()

all_regencies = list(dict.fromkeys(reports["regency"]))  # reports() gives reading order (dashboard/areas.py)
st.session_state["all_regencies"] = all_regencies
state.regencies(all_regencies)
# only years with a realised value: a year that only has targets (a plan for next year) would show an empty page
state.year(sorted({int(y) for y in data.query(
    "SELECT DISTINCT year FROM observations WHERE year IS NOT NULL AND kind <> 'target'")["year"]}))

# ---- briefing deck -------------------------------------------------------------------------
with st.sidebar.expander(t("deck.title", n=len(st.session_state.get("deck", {}))), icon=":material/slideshow:"):
    deck = st.session_state.setdefault("deck", {})
    if not deck:
        st.caption(t("deck.empty"))
    for key, spec in list(deck.items()):
        c1, c2 = st.columns([5, 1])
        c1.markdown(f"- {md(spec.title)}")
        if c2.button("", key=f"rm_{key}", help=t("deck.remove"), icon=":material/close:", type="tertiary"):
            del deck[key]
            st.rerun()
    if deck:
        regs = ", ".join(st.session_state.get("f_regency", all_regencies))
        labels = {"note": t("deck.note"), "findings": t("find.title")}
        title = t("deck.cover_title")

        def pptx() -> bytes:  # built only when clicked; python-pptx is imported then, not at start-up
            from dashboard.deck import build_deck

            return build_deck(list(deck.values()), title, regs, labels, lang=lang)

        st.download_button(
            t("deck.build"), pptx,
            "briefing-disnaker.pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            on_click="ignore", type="primary", icon=":material/download:", key="deck_download",
        )

if lang == "en":
    with st.sidebar.expander("Glossary — Indonesian terms", icon=":material/translate:"):
        for g in glossary():
            st.markdown(f"**{g['term']}** (*{g['full']}*) — {g['en']}")

st.sidebar.caption(t("app.footer", n=len(reports)))
layout.inject()
st.session_state[findings.STATE_KEY] = []  # each page writes its own findings (for the deck's notes)
nav.run()
