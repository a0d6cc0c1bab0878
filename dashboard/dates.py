"""Dates written out as a reader of each language writes them: '1 Desember 2026', '1 December 2026'."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def long_date(day: date | datetime | str, lang: str = "id") -> str:
    if isinstance(day, str):
        day = datetime.fromisoformat(day.replace("Z", "+00:00"))
    return f"{day.day} {MONTHS.get(lang, MONTHS['en'])[day.month - 1]} {day.year}"


def long_datetime(stamp: str, lang: str = "id") -> str:
    """'2026-11-30T00:33:04Z' → '30 November 2026, 00:33 UTC'."""
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return f"{long_date(when, lang)}, {when:%H:%M} UTC"
