"""What every page needs to know about the current view: language, chosen regencies and year,
regency colours, the reports, and indicator labels from the warehouse's indicator dictionary."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.i18n import current
from dashboard.style import colour_map


@dataclass
class View:
    lang: str
    regencies: list[str]
    year: int | None
    colours: dict[str, str]
    reports: pd.DataFrame
    indicators: pd.DataFrame

    def title(self, indicator: str) -> str:
        return self._meta(indicator, "title")

    def short(self, indicator: str) -> str:
        return self._meta(indicator, "short")

    def description(self, indicator: str) -> str:
        return self._meta(indicator, "description")

    def better(self, indicator: str) -> str | None:
        row = self.indicators[self.indicators["indicator"] == indicator]
        return None if row.empty else row.iloc[0]["better"]

    def _meta(self, indicator: str, field: str) -> str:
        row = self.indicators[self.indicators["indicator"] == indicator]
        if row.empty:
            return indicator
        return row.iloc[0][f"{field}_{self.lang}"] or row.iloc[0][f"{field}_id"]

    def reports_shown(self) -> pd.DataFrame:
        return self.reports[self.reports["regency"].isin(self.regencies)]


def current_view() -> View:
    reports = data.reports()
    all_regencies = list(dict.fromkeys(reports["regency"]))  # reports() gives reading order
    chosen = st.session_state.get("f_regency") or all_regencies
    return View(lang=current(), regencies=[r for r in chosen if r in all_regencies], year=st.session_state.get("f_year"),
                colours=colour_map(all_regencies), reports=reports, indicators=data.indicators())


def latest(rows: pd.DataFrame, year: int | None, kind: str = "actual") -> pd.DataFrame:
    """One row per regency: the value for `year`, or (year None) the latest year the report gives.
    A full-year value beats a quarter of the same year."""
    rows = rows[rows["kind"] == kind]
    if year is not None:
        rows = rows[rows["year"] == year]
    if rows.empty:
        return rows
    rows = rows.assign(_annual=(rows["period"] == "annual").astype(int))
    rows = rows.sort_values(["regency", "year", "_annual"], ascending=[True, False, False])
    return rows.groupby("regency", as_index=False).head(1).drop(columns="_annual")


def matching(rows: pd.DataFrame, shown: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rows of `kind` (e.g. target) for the same regency and year as the values shown."""
    if shown.empty:
        return rows.iloc[0:0]
    keys = set(zip(shown["regency"], shown["year"]))
    in_keys = pd.Series([k in keys for k in zip(rows["regency"], rows["year"])], index=rows.index, dtype=bool)
    picked = rows[(rows["kind"] == kind) & in_keys]
    return picked.sort_values("period").groupby("regency", as_index=False).head(1)


def target_notes(left: list[dict], lang: str) -> list[str]:
    """Say which targets were left out and why (the report pairs them with another actual)."""
    from dashboard import cite
    from dashboard.i18n import t
    from dashboard.style import value_text

    out = []
    for x in left:
        tg, ac = x["target"], x["actual"]
        out.append(t("note.target_elsewhere", lang, regency=x["regency"], target=value_text(tg["value"], tg["unit"], lang),
                     where=cite.where(tg["source_line"], tg.get("source_page"), lang),
                     own=value_text(x["own_actual"], tg["unit"], lang), value=value_text(ac["value"], ac["unit"], lang)))
    return out


def paired_targets(rows: pd.DataFrame, shown: pd.DataFrame, candidates: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    """Targets to draw beside the values shown — only a target of the same table or definition
    (dashboard/trust.py) — and the targets left out because the report pairs them with another
    actual, each as {'regency', 'target', 'own_actual'}."""
    from dashboard.trust import own_actual, paired_target

    heads = matching(rows, shown, "target")
    head_of = {r["regency"]: r for r in heads.to_dict("records")}
    out, left = [], []
    for actual in shown.to_dict("records"):
        target, dropped = paired_target(actual, head_of.get(actual["regency"]), candidates)
        if target is not None:
            out.append(target)
        if dropped is not None and target is None:
            left.append({"regency": actual["regency"], "target": dropped, "actual": actual,
                         "own_actual": own_actual(dropped, candidates)})
    cols = list(rows.columns)
    frame = pd.DataFrame(out) if out else rows.iloc[0:0]
    return frame[[c for c in cols if c in frame.columns]] if out else frame, left
