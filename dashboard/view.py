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
