"""Honest warnings: what makes the values on a chart not directly comparable.

Given the rows a chart shows (regency, year, period, method, definition, has_conflict) and the
reports they come from, say — in the reader's language — which regencies report a different
year, a quarter instead of a full year, a different definition, a recomputed value, or a value
their own report contradicts.
"""

from __future__ import annotations

import pandas as pd

from dashboard import cite
from dashboard.areas import ordered
from dashboard.i18n import definition_label, period_label, t
from dashboard.style import value_text


def notes(rows: pd.DataFrame, reports: pd.DataFrame, lang: str, missing: list[str] = ()) -> list[str]:
    out: list[str] = []
    if rows.empty:
        return [t("note.nothing", lang)]
    report_year = dict(zip(reports["regency"], reports["report_year"]))
    report_period = dict(zip(reports["regency"], reports["period"]))

    partial = rows[rows["period"] != "annual"][["regency", "year", "period"]].drop_duplicates()
    for r in partial.itertuples():
        out.append(t("note.partial_period", lang, regency=r.regency, period=period_label(r.period, lang), year=r.year))
    for regency, period in report_period.items():
        if period != "annual" and regency in set(rows["regency"]) and regency not in set(partial["regency"]):
            out.append(t("note.partial_report", lang, regency=regency, period=period_label(period, lang),
                         year=report_year[regency]))

    years = rows.groupby("regency")["year"].max()
    if years.nunique() > 1:
        listing = "; ".join(f"{reg} {int(y)}" for reg, y in years.sort_values().items())
        out.append(t("note.different_years", lang, listing=listing))
    for regency, y in years.items():
        ry = report_year.get(regency)
        if ry is not None and int(y) < int(ry) and rows[rows["regency"] == regency]["year"].nunique() == 1:
            out.append(t("note.older_than_report", lang, regency=regency, report_year=int(ry), year=int(y)))

    if "definition" in rows and rows["definition"].notna().any():
        defs = (rows.dropna(subset=["definition"])
                .assign(definition=lambda d: d["definition"].str.replace(r"\s*\(recomputed\)$", "", regex=True))
                .groupby("regency")["definition"].agg(lambda s: " / ".join(sorted({definition_label(x, lang) for x in s}))))
        if defs.nunique() > 1:
            listing = "; ".join(f"{reg}: {d}" for reg, d in defs.items())
            out.append(t("note.definitions", lang, listing=listing))

    derived = sorted(set(rows.loc[rows["method"] == "derived", "regency"]))
    if derived:
        out.append(t("note.derived", lang, regencies=", ".join(derived)))
    # only where the report states a different value for the same thing (dashboard/trust.py);
    # related figures elsewhere in the report (a sub-activity row, another table's subtotal) are not news
    if "disagrees" in rows:
        for r in rows[rows["disagrees"].fillna(False).astype(bool)].to_dict("records"):
            out.append(t("note.disagrees", lang, regency=r["regency"], value=value_text(r["value"], r["unit"], lang),
                         others=_also(r, lang)))
        for r in rows[rows["minor_disagreement"].fillna(False).astype(bool)].to_dict("records"):
            out.append(t("note.minor_disagreement", lang, regency=r["regency"],
                         value=value_text(r["value"], r["unit"], lang), others=_also(r, lang)))
    elif "has_conflict" in rows:
        conflicted = ordered(rows.loc[rows["has_conflict"].fillna(False).astype(bool), "regency"])
        if conflicted:
            out.append(t("note.conflicts", lang, regencies=", ".join(conflicted)))
    if "status" in rows:  # a value a plausibility rule doubts: shown, never ranked as plain, and why
        for r in rows[rows["status"] == "suspect"].to_dict("records"):
            out.append(t("note.suspect", lang, regency=r["regency"], value=value_text(r["value"], r["unit"], lang),
                         reason=r.get("status_reason") or ""))
    if missing:
        out.append(t("note.missing", lang, regencies=", ".join(missing)))
    return out


def _also(row: dict, lang: str) -> str:
    """'4,12% (baris 632)' — the other values the report states for the same thing."""
    return ", ".join(f"{value_text(v, row['unit'], lang)} ({cite.where(line, page, lang)})"
                     for v, line, page in row.get("also_stated") or [])


def footnote(rows: pd.DataFrame, lang: str) -> str:
    """'Source: LKjIP Muara Enim (000_dca….txt) l. 612, 627; Paser (001_….txt) l. 109' — every
    report and line behind the chart, in one sentence."""
    if rows.empty:
        return ""
    parts = []
    order = {name: i for i, name in enumerate(ordered(rows["regency"]))}
    groups = sorted(rows.groupby(["regency", "source_file"], sort=False), key=lambda g: (order[g[0][0]], g[0][1]))
    for (regency, source_file), grp in groups:
        parts.append(f"{regency} ({source_file}) {cite.lines_listing(grp, lang)}")
    return t("source.lkjip", lang) + " " + "; ".join(parts)
