"""Filters that live in the URL: a copied link reproduces the view.

Query parameters: `lang` (id|en), `regency` (repeated), `year` (a year or absent = latest),
Values not in the warehouse are dropped, never trusted.
The canonical value lives in session state (`f_<name>`), widgets are keyed `w_<name>` and
copy their value back on change; every run writes the canonical values into the URL, so they
survive page switches.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANG_NAMES, LANGS, t


def _init(name: str, default, parse) -> None:
    key = f"f_{name}"
    if key not in st.session_state:
        raw = st.query_params.get_all(name)
        value = parse(raw)
        st.session_state[key] = default if value is None else value


def _copy(name: str) -> None:
    st.session_state[f"f_{name}"] = st.session_state[f"w_{name}"]


def _sync(name: str, value) -> None:
    if value is None or value == []:
        if name in st.query_params:
            del st.query_params[name]
    elif isinstance(value, list):
        if st.query_params.get_all(name) != [str(v) for v in value]:
            st.query_params[name] = [str(v) for v in value]
    elif st.query_params.get(name) != str(value):
        st.query_params[name] = str(value)


def language() -> str:
    _init("lang", "id", lambda raw: raw[0] if raw and raw[0] in LANGS else None)
    st.session_state["w_lang"] = st.session_state["f_lang"]
    st.sidebar.segmented_control(
        "Bahasa / Language", LANGS, format_func=LANG_NAMES.get, key="w_lang",
        on_change=_copy_lang, selection_mode="single",
    )
    st.session_state["lang"] = st.session_state["f_lang"]
    _sync("lang", None if st.session_state["lang"] == "id" else st.session_state["lang"])
    return st.session_state["lang"]


def _copy_lang() -> None:
    # clicking the selected language deselects it (None): keep the language instead
    if st.session_state["w_lang"] in LANGS:
        st.session_state["f_lang"] = st.session_state["w_lang"]


def regencies(all_regencies: list[str]) -> list[str]:
    _init("regency", list(all_regencies), lambda raw: list(dict.fromkeys(r for r in raw if r in all_regencies)) or None)
    st.session_state["f_regency"] = [r for r in st.session_state["f_regency"] if r in all_regencies] or list(all_regencies)
    st.session_state["w_regency"] = st.session_state["f_regency"]
    st.sidebar.multiselect(t("filter.regencies"), all_regencies, key="w_regency", on_change=_copy, args=("regency",),
                           help=t("filter.regencies_help"))
    chosen = st.session_state["f_regency"]
    _sync("regency", [] if set(chosen) == set(all_regencies) else chosen)
    return chosen


def year(years: list[int]) -> int | None:
    """None means 'the latest year each report gives' (the default)."""
    def parse(raw):
        try:
            return int(raw[0]) if raw and int(raw[0]) in years else None
        except ValueError:
            return None

    _init("year", None, parse)
    options = [LATEST, *sorted(years, reverse=True)]  # a selectbox cannot show None as a choice
    latest_label = t("filter.year_latest")  # resolved now: format_func may run outside this session
    if st.session_state["f_year"] not in years:
        st.session_state["f_year"] = None
    st.session_state["w_year"] = st.session_state["f_year"] or LATEST
    st.sidebar.selectbox(t("filter.year"), options, key="w_year", on_change=_copy_year,
                         format_func=lambda y: latest_label if y == LATEST else str(y),
                         help=t("filter.year_help"))
    _sync("year", st.session_state["f_year"])
    return st.session_state["f_year"]


LATEST = "latest"


def _copy_year() -> None:
    value = st.session_state["w_year"]
    st.session_state["f_year"] = None if value == LATEST else value
