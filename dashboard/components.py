"""Page building blocks: the chart panel (chart / table / sources tabs, downloads, add to
deck), badges, and the raw-text viewer that shows a cited line in its report."""

from __future__ import annotations

import html
import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import cite, data
from dashboard.comparability import footnote
from dashboard.exports import ExportSpec, chart_image, csv_bytes, warm_up, xlsx_bytes
from dashboard.i18n import current, definition_label, kind_label, period_label, t
from dashboard.safe import figure_as_text, md
from dashboard.style import value_text
from pipeline.raw.decode import RawInputError

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
                 "toImageButtonOptions": {"format": "png", "scale": 2}}

TABLE_COLUMNS = ["regency", "indicator", "scope", "year", "period", "kind", "value", "unit", "method", "status", "status_reason",
                 "definition", "formula", "source_file", "source_page", "source_line", "source_text"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def badge(year, period: str, lang: str | None = None) -> str:
    """Markdown badge: ':blue-badge[2023]' for a full year, orange for a quarter or semester."""
    lang = lang or current()
    if period == "annual":
        return f":blue-badge[{int(year)}]"
    return f":orange-badge[{int(year)} · {period_label(period, lang)}]"


def short_reason(reason) -> str:
    """The first clause of a plausibility rule's reason (the whole reason is in the chart notes)."""
    if not isinstance(reason, str):
        return ""
    head = reason.split(": ", 1)[0].strip()
    return head if len(head) <= 110 else head[:108].rsplit(" ", 1)[0] + " …"


def status_badge(row) -> str:
    marks = []
    if row.get("method") == "derived":
        marks.append(f":violet-badge[◇ {t('method.derived')}]")
    # only where the report states a different value for the same thing, by 1 % or more
    # (dashboard/trust.py); related figures elsewhere in the report are listed with the sources
    if bool(row.get("disagrees", row.get("has_conflict"))):
        marks.append(f":red-badge[⚠ {t('status.conflict_short')}]")  # explained in the notes below
    if row.get("status") == "suspect":  # a plausibility rule doubts it: say so, and why
        marks.append(f":orange-badge[? {t('status.suspect_short')}] :gray[{md(short_reason(row.get('status_reason')))}]")
    return " ".join(marks)


def readable(rows: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """Rows behind a chart, columns in the reader's language, values with units."""
    lang = lang or current()
    cols = [c for c in TABLE_COLUMNS if c in rows.columns]
    out = rows[cols].copy()
    if "kind" in out:
        out["kind"] = out["kind"].map(lambda k: kind_label(k, lang))
    if "indicator" in out:  # a reader sees the indicator's name, never its internal id (CSV/XLSX keep the id)
        names = indicator_names(lang)
        out["indicator"] = out["indicator"].map(lambda i: names.get(i, i))
    if "period" in out:
        out["period"] = out["period"].map(lambda p: period_label(p, lang))
    if "definition" in out:
        out["definition"] = out["definition"].map(lambda d: definition_label(d, lang))
    if "value" in out and "unit" in out:
        out.insert(out.columns.get_loc("value") + 1, "shown",
                   [value_text(v, u, lang) for v, u in zip(rows["value"], rows["unit"])])
    return out.rename(columns={c: t(f"col.{c}", lang) for c in out.columns})


def indicator_names(lang: str) -> dict[str, str]:
    ind = data.indicators()
    return {r["indicator"]: (r.get(f"short_{lang}") or r.get("short_id") or r["indicator"]) for r in ind.to_dict("records")}


def export_table(rows: pd.DataFrame) -> pd.DataFrame:
    """Machine-readable rows for CSV/XLSX: contract column names, raw numbers."""
    return rows[[c for c in TABLE_COLUMNS if c in rows.columns]].reset_index(drop=True)


def notes_box(notes: list[str], collapsed: bool = False) -> None:
    if not notes:
        return
    body = "\n".join(f"- {md(n)}" for n in notes)  # notes name regencies and files: text, not markdown
    if collapsed:  # the page already says it once; repeat it per chart only on demand
        with st.expander(t("note.title", n=len(notes)), icon="⚖️"):
            st.markdown(body)
    else:
        st.warning(body, icon="⚖️")


def chart_panel(key: str, title: str, fig: go.Figure, rows: pd.DataFrame, notes: list[str] = (),
                table: pd.DataFrame | None = None, help_text: str | None = None, notes_collapsed: bool = False) -> None:
    """One chart as a reader meets it: title, tabs (chart, table, sources), caption with the
    source lines, comparability notes, downloads, and 'add to briefing deck'."""
    lang = current()
    fig = figure_as_text(fig)  # names from files are text in the chart too (and in its exports)
    st.subheader(md(title), help=help_text, anchor=key)
    source_note = footnote(rows, lang)
    from dashboard.findings import current_plain

    spec = ExportSpec(title=title, figure=fig, footnote=source_note, notes=list(notes), findings=current_plain())
    # the table and the sources are drawn only when their tab is opened (a rerun from the caches):
    # a page with four charts would otherwise send four tables and four report excerpts nobody looks at
    tab_chart, tab_table, tab_sources = st.tabs([t("tab.chart"), t("tab.table"), t("tab.sources")], key=f"tabs_{key}",
                                                on_change="rerun")
    with tab_chart:
        st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=f"fig_{key}")
        st.caption(md(source_note))
        notes_box(list(notes), collapsed=notes_collapsed)
    if tab_table.open is not False:
        with tab_table:
            st.dataframe(readable(table if table is not None else rows, lang), hide_index=True, width="stretch")
    if tab_sources.open is not False:
        with tab_sources:
            sources(rows, key)
    _downloads(key, spec, rows if table is None else table)


def _downloads(key: str, spec: ExportSpec, rows: pd.DataFrame) -> None:
    if st.context.headers.get("host"):  # a browser session (not an in-process AppTest): get the exporter ready
        warm_up()
    name = slug(spec.title)
    about = [("title", spec.title), ("source", spec.footnote), *[("note", n) for n in spec.notes],
             ("warehouse", str(data.DB_PATH.name)), ("generated_by", "disnaker-dashboard")]
    c1, c2 = st.columns([1, 2])
    with c1.popover(t("download.title"), icon=":material/download:", width="stretch"):
        st.download_button(t("download.png"), lambda: chart_image(spec, "png"), f"{name}.png", "image/png",
                           key=f"png_{key}", icon=":material/image:", on_click="ignore", help=t("download.png_help"),
                           width="stretch")
        st.download_button(t("download.svg"), lambda: chart_image(spec, "svg"), f"{name}.svg", "image/svg+xml",
                           key=f"svg_{key}", icon=":material/image:", on_click="ignore", help=t("download.svg_help"),
                           width="stretch")
        table = export_table(rows)
        st.download_button(t("download.csv"), lambda: csv_bytes(table), f"{name}.csv", "text/csv", key=f"csv_{key}",
                           icon=":material/table:", on_click="ignore", width="stretch")
        st.download_button(t("download.xlsx"), lambda: xlsx_bytes({"data": table}, about), f"{name}.xlsx",
                           "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=f"xlsx_{key}",
                           icon=":material/table:", on_click="ignore", width="stretch")
    in_deck = key in st.session_state.get("deck", {})
    # a callback runs before the next script run, so the sidebar's deck count is already updated
    c2.button(t("deck.in_deck") if in_deck else t("deck.add"), key=f"deck_{key}", icon=":material/slideshow:",
              on_click=_add_to_deck, args=(key, spec), disabled=in_deck)


def _add_to_deck(key: str, spec: ExportSpec) -> None:
    st.session_state.setdefault("deck", {})[key] = spec
    st.toast(md(t("deck.added", title=spec.title)))


def sources(rows: pd.DataFrame, key: str) -> None:
    """The lines behind a chart, and the report text around whichever the reader picks."""
    if rows.empty:
        st.info(t("value.not_reported"))
        return
    lang = current()
    cited = rows.dropna(subset=["source_line"]).drop_duplicates(["source_file", "source_line"]).reset_index(drop=True)
    if "source_page" not in cited:
        cited["source_page"] = None
    options = list(range(len(cited)))

    def label(i: int) -> str:
        r = cited.iloc[i]
        return (f"{r['regency']} · {cite.where(r['source_line'], r['source_page'], lang)} · "
                f"{value_text(r['value'], r['unit'], lang)} ({kind_label(r['kind'], lang)}, {int(r['year'])})")

    pick = st.selectbox(t("source.pick"), options, format_func=label, key=f"src_{key}")
    if pick is not None:
        r = cited.iloc[pick]
        if r.get("method") == "derived" and isinstance(r.get("formula"), str):
            st.info(f"◇ {t('method.derived')}: {md(r['formula'])}")
        line_viewer(r["source_file"], int(r["source_line"]))
        st.page_link("dashboard/pages/quality.py", label=t("source.open_viewer"), icon=":material/open_in_new:",
                     query_params={"file": r["source_file"], "line": str(int(r["source_line"]))})


def line_viewer(source_file: str, line: int, radius: int = 6) -> None:
    """Raw report text around `line` (1-based), the cited line highlighted. Text is escaped."""
    try:
        lines = data.raw_lines(source_file)
        changed = data.raw_changed(source_file)
    except (KeyError, OSError, RawInputError):
        st.error(t("source.file_missing", file=md(source_file)))
        return
    if changed:
        st.warning(t("source.file_changed", file=md(source_file)), icon="⚠️")
    pdf = data.is_pdf(source_file)
    pages = data.page_of_lines(lines) if pdf else []
    lo, hi = max(1, line - radius), min(len(lines), line + radius)
    body = []
    for n in range(lo, hi + 1):
        raw = lines[n - 1]
        if pdf and raw.startswith("\f"):  # a PDF page starts here: say so instead of an invisible form feed
            body.append(f'<div style="color:#777;border-top:1px dashed #bbb;margin-top:2px;user-select:none;">'
                        f'{html.escape(t("source.page_break", page=pages[n - 1]))}</div>')
            raw = raw.lstrip("\f")
        text = html.escape(raw.replace("\t", "  ⇥  "))
        style = "background:#fff3b0;font-weight:600;" if n == line else "color:#444;"
        body.append(f'<div style="{style}white-space:pre-wrap;"><span style="color:#999;user-select:none;'
                    f'display:inline-block;width:4.5em;">{n}</span>{text}</div>')
    page = pages[line - 1] if pdf and 1 <= line <= len(pages) else None
    st.markdown(f"**{md(source_file)}**, {cite.where(line, page)}")
    if pdf:
        st.caption(t("source.pdf_text", file=md(data.text_file_of(source_file))))
    st.html('<div style="font-family:DejaVu Sans Mono,monospace;font-size:0.82rem;border:1px solid #ddd;'
            'border-radius:6px;padding:6px;max-height:26rem;overflow:auto;">' + "".join(body) + "</div>")


def not_reported(regencies: list[str], present: set[str]) -> list[str]:
    return [r for r in regencies if r not in present]
