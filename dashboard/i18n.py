"""Interface text in Bahasa Indonesia (default) and English, kept as data in i18n/strings.yaml.

Indicator names and descriptions are not here: they come from the warehouse's `indicators`
table, i.e. from the pipeline's one indicator dictionary (pipeline/domain/indicators.yaml).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("id", "en")
LANG_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


@lru_cache(maxsize=1)
def strings() -> dict[str, dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "i18n" / "strings.yaml").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def glossary() -> list[dict[str, str]]:
    return yaml.safe_load((Path(__file__).parent / "i18n" / "glossary.yaml").read_text(encoding="utf-8"))


def current() -> str:
    import streamlit as st

    lang = st.session_state.get("lang", "id")
    return lang if lang in LANGS else "id"


def t(key: str, lang: str | None = None, **fmt) -> str:
    """The text for `key` in the current language, formatted with `fmt`. A missing key shows
    itself (and a test fails), rather than breaking the page."""
    entry = strings().get(key)
    if entry is None:
        return f"⟨{key}⟩"
    text = entry.get(lang or current()) or entry["id"]
    return text.format(**fmt) if fmt else text


def period_label(period: str, lang: str | None = None) -> str:
    return t(f"period.{period}", lang)


def kind_label(kind: str, lang: str | None = None) -> str:
    return t(f"kind.{kind}", lang)


def definition_label(text: str | None, lang: str | None = None) -> str:
    """A placement-rate (or certification) definition in the reader's language. The warehouse stores
    the English text; the Indonesian one sits beside it in pipeline/domain/indicators.yaml."""
    if not isinstance(text, str) or not text:
        return ""
    lang = lang or current()
    recomputed = text.endswith(" (recomputed)")
    base = text.removesuffix(" (recomputed)")
    if lang == "id":
        base = _indonesian_definitions().get(base, base)
    return base + (f" ({t('method.derived', lang)})" if recomputed else "")


@lru_cache(maxsize=1)
def _indonesian_definitions() -> dict[str, str]:
    from pipeline.knowledge import indicators

    return {d.en: d.id_text for ind in indicators().values() for d in ind.definitions}
