"""About / Metodologi: where the reports come from, the headline rule, what the marks mean, what
cannot be compared, the glossary, when the data were built, and how to cite — in both languages.
The text lives in i18n/about.yaml; the facts (reports, build time, version) come from the warehouse."""

from functools import lru_cache
from pathlib import Path

import streamlit as st
import yaml

from dashboard import data
from dashboard.dates import long_datetime
from dashboard.i18n import glossary, period_label, t
from dashboard.safe import md
from dashboard.view import current_view


@lru_cache(maxsize=1)
def _text() -> dict:
    return yaml.safe_load((Path(__file__).resolve().parent.parent / "i18n" / "about.yaml").read_text(encoding="utf-8"))


def a(key: str, **fmt) -> str:
    entry = _text()[key]
    text = entry.get(v.lang) or entry["id"]
    return text.format(**fmt) if fmt else text


v = current_view()
st.title(t("page.about"))
st.caption(a("title"))

info = data.build_info()
when = long_datetime(info["built_at"], v.lang) if info.get("built_at") else "?"
try:
    from pipeline.warehouse.bundle_metadata import version

    data_version = version(info)
except Exception:  # an older warehouse without the fields the version is made of
    data_version = info.get("pipeline_version", "?")

st.subheader(a("sources_title"))
st.markdown(a("sources"))
st.markdown(md(a("built", when=when, n=info.get("n_reports", len(v.reports)), version=info.get("pipeline_version", "?"),
                 fingerprint=(info.get("input_fingerprint") or "?")[:12])))

st.subheader(a("reports_title"))
reports = v.reports.assign(
    period=v.reports["period"].map(lambda p: period_label(p, v.lang)),
    source_kind=v.reports["source_kind"].fillna("text").str.upper())
st.dataframe(reports[["regency", "area_type", "province", "agency", "report_year", "period", "source_kind",
                      "original_name", "n_pages", "n_lines"]].rename(columns=lambda c: t(f"col.{c}")),
             hide_index=True, width="stretch",
             column_config={t("col.n_pages"): st.column_config.NumberColumn(format="%d")})

st.subheader(a("rule_title"))
st.markdown(a("rule"))

st.subheader(a("marks_title"))
st.markdown(a("marks"))

st.subheader(a("caveats_title"))
st.markdown(a("caveats"))

st.subheader(a("glossary_title"))
st.markdown("\n".join(f"- **{g['term']}** (*{g['full']}*) — {g.get(v.lang) or g['en']}" for g in glossary()))

st.subheader(a("cite_title"))
st.code(a("cite", version=data_version, when=when), language=None, wrap_lines=True)
