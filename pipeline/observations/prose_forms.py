"""Two forms of sentence with their own shape: a list item under a training lead-in
("5. Pelatihan Menjahit sebanyak 16 orang") and a worked formula ("... = 2426/3111 × 100% = 77.98%")."""

from __future__ import annotations

import re

from pipeline.numbers import parse_number
from pipeline.observations.classify import classify
from pipeline.observations.context import value_period
from pipeline.observations.model import Extraction, Observation
from pipeline.parsed.prose import ProseSentence


def list_item(s: ProseSentence, lead_in, ctx, out: Extraction) -> bool:
    """'5. Pelatihan Desain Teknologi (Menjahit) sebanyak 16 orang' under a training lead-in:
    the course's participants."""
    if not lead_in:
        return False
    m = re.match(r"^\s*\d{1,2}[.)]\s+(.+?)\s+(?:sebanyak|sejumlah|:)?\s*(\d[\d.,]*)\s*(orang|org|peserta)\.?\s*$", s.text, re.I)
    if not m:
        return False
    match, _ = lead_in
    if not match.indicator.startswith("training_participants"):
        return False
    course = m.group(1).strip()
    seen = sum(1 for o in out.observations if o.indicator == "training_participants" and re.sub(r" \[\d+\]$", "", o.scope) == course)
    if seen:
        course = f"{course} [{seen + 1}]"
    value = parse_number(m.group(2), "persons")
    line = s.line_at(m.start(2))
    out.observations.append(
        Observation("training_participants", course, ctx.report_year, "annual", "actual", value.value, "persons",
                    line, ctx.raw(line, s.text), "narrative", s.section, scope_level="course", decimals=0, label=s.text)
    )
    return True


def formula(s: ProseSentence, ctx, out: Extraction, context: list[str]) -> None:
    """A worked formula: '\\text{Terserapnya Tenaga Kerja ...} = 2426/3111 × 100% = 77.98%'. It names its
    indicator in words, or the sentence introducing it does ("... diukur dengan rumus sebagai berikut:")."""
    if "=" not in s.text:
        return
    words = " ".join(re.findall(r"\\text\{([^}]*)\}", s.text.split("=")[0]))
    match = classify(words, "percent") if words else None
    for sentence in reversed(context):  # the nearest clause before the formula first
        for clause in reversed(re.split(r",\s+|;\s*|\bdan\b", sentence)):
            match = match or classify(clause, "percent")
    if not match:
        return
    tail = s.text.rsplit("=", 1)[1]
    m = re.search(r"(\d+(?:[.,]\d+)?)\s*(\\?%|\$|\}|$)", tail)
    if not m:
        return
    p = parse_number(m.group(1), "percent")
    offset = len(s.text) - len(tail) + m.start(1)
    line = s.line_at(offset)
    out.observations.append(
        Observation(match.indicator, match.scope, ctx.report_year,
                    value_period("actual", match.indicator, ctx.report_year, ctx.report_year, ctx.period),
                    "actual", p.value, "percent", line, ctx.raw(line, s.text), "narrative", s.section,
                    scope_level=match.scope_level, decimals=p.decimals, label=words[:200], definition=match.definition,
                    note="result of a worked formula")
    )
