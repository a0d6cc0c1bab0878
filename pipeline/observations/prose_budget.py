"""Budget figures stated in sentences.

    "Sub Kegiatan X alokasi anggaran sebesar Rp 4.129.800 dengan realisasi sebesar Rp 3.866.200"
    "Belanja Operasi dialokasikan sebesar Rp ... terealisasi sebesar Rp ... atau 92,05 Persen"
    "Jumlah anggaran untuk kegiatan ini sebesar Rp ... dan terealisasi sebesar Rp ... atau 0,30%"

The first amount after an allocation word is the pagu, the first after a realisation word the
realisasi, and a percentage right after it the absorption. The entity is what the sentence
names before the allocation word, or — for "kegiatan ini" / a bare "Pagu dana ..." — the
heading just above.
"""

from __future__ import annotations

import re

from pipeline.knowledge import normalise
from pipeline.number_words import words_after
from pipeline.numbers import NumberError, parse_number
from pipeline.observations.budget_tables import budget_level, clean_name, scope_for
from pipeline.observations.context import value_period, years_in
from pipeline.observations.model import BudgetLine, Extraction, Observation
from pipeline.observations.prose_tokens import has_scale_word, values
from pipeline.parsed.prose import ProseSentence

AMOUNT = re.compile(r"(?:\b(?:rp|prop)\.?\s*)?(\d{1,3}(?:[.,]\d{3}){2,}(?:[.,]\d{1,2})?)(?:\s*,-)?", re.I)
# "Tahun Anggaran 2022" names the fiscal year, not an allocation
ALLOC_CUE = re.compile(r"(?<!tahun )\b(alokasi anggaran|alokasi belanja|dialokasikan|pagu dana|pagu anggaran|pagu hibah|pagu|jumlah anggaran|alokasi|anggaran)\b", re.I)
REAL_CUE = re.compile(r"\b(realisasi(nya)?|terealisasi|direalisasikan|terserap)\b", re.I)
PAGU_BETWEEN = re.compile(r"\b(dari|terhadap)?\s*(pagu|alokasi|dialokasikan|anggaran sebesar)\b", re.I)
PERCENT_BEFORE = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(%|persen\b)\s*(atau|yaitu|senilai|sebesar)?\s*(rp\.?)?\s*$", re.I)
PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(%|persen\b)", re.I)
SKIP = re.compile(r"\b(pendapatan|retribusi|pad\b|umk\b|upah minimum|sisa anggaran|kinerja keluaran)", re.I)
GENERIC_ENTITY = re.compile(r"^(?:(?:realisasi|penyerapan|serapan|daya serap)(?: (?:penyerapan|serapan|anggaran|keuangan|belanja))*|pada tahun \d{4},?|untuk|secara keseluruhan|capaian kinerja keuangan.*|target belanja dinas.*|.*\bdinas (tenaga kerja|nakertrans)\b.*|dinas( (tahun|thn|ta\.?)( anggaran)?( \d{4})?)?|urusan( pemerintahan)?( bidang)? (tenaga kerja|ketenagakerjaan)\b.*|anggaran yang bersumber.*|apbd.*)$", re.I)
AFTER_CUE_ENTITY = re.compile(r"\s*((?:program|kegiatan|sub kegiatan|belanja|pelatihan|penempatan|dinas|disnaker\w*|urusan)\b[^,;]{0,80}?)\s+(?:sebesar|senilai|rp|yaitu|adalah|\d)", re.I)
CHAPTER = re.compile(r"^\s*(bab\s+[ivx\d]+|lampiran)\b", re.I)  # a chapter title is nobody's budget
THIS_ACTIVITY = re.compile(r"\b(kegiatan|program|sub kegiatan) ini\b", re.I)


def _amounts(text: str) -> list[tuple[int, float, int, str]]:
    """(offset, rupiah, decimals, printed text) of each amount: full digits ("Rp 4.129.800") or
    a figure with a scale word ("Rp 3,5 miliar", "pagu 800 juta", "Rp 4,78 M")."""
    out = []
    for m in AMOUNT.finditer(text):
        try:
            p = parse_number(m.group(1), "rupiah")
        except NumberError:
            continue
        if p.value >= 100_000:
            out.append((m.start(), p.value, p.decimals, m.group(0)))
    if has_scale_word(text):
        taken = {a[0] for a in out}
        for tk in values(text):
            if tk.unit == "rupiah" and tk.scale > 1 and tk.start not in taken:
                try:
                    p = tk.parse()
                except NumberError:
                    continue
                out.append((tk.start, p.value, p.decimals, text[tk.start : tk.unit_end]))
        out.sort()
    return out


def _entity(sentence: str, cue: re.Match, heading: str | None) -> str | None:
    if heading and CHAPTER.match(heading):
        heading = None
    before = sentence[: cue.start()].strip(" ,.-")
    after_untuk = re.match(r"\s*untuk\s+(.+?)\s+(sebesar|rp)", sentence[cue.end():], re.I)
    if after_untuk and not THIS_ACTIVITY.search(after_untuk.group(0)):
        return after_untuk.group(1)
    if not before and not THIS_ACTIVITY.search(sentence[: cue.end() + 30]):
        named = AFTER_CUE_ENTITY.match(sentence[cue.end():])  # "Pagu program penempatan sebesar Rp 3,5 miliar"
        if named:  # "Anggaran program pelatihan kerja tahun 2023 sebesar ...": the year is no part of the name
            return re.sub(r"\s+(tahun( anggaran)?|thn|t\.?a\.?)$", "", named.group(1).strip(), flags=re.I)
    if THIS_ACTIVITY.search(sentence[: cue.end() + 30]) or not before:
        return heading
    before = re.split(r"\b(?:yaitu|adalah|mengelola)\b|,\s+", before)[-1]
    before = re.sub(r"\s+(dengan|sebesar|yang)\s*$", "", before, flags=re.I)
    before = re.sub(r"\s+program\s*$", "", before, flags=re.I)  # "PROGRAM X PROGRAM ALOKASI ANGGARAN"
    before = re.sub(r"^(belanja\s+)+belanja\b", "Belanja", before, flags=re.I)
    return before.strip(" ,.-") or heading


STATEMENT_SPLIT = re.compile(r"\s+dan\s+(?=(?:belanja|program|kegiatan|sub kegiatan)\b)", re.I)


def read_budget_sentence(s: ProseSentence, heading: str | None, ctx, out: Extraction, taken: set[int] | None = None) -> bool:
    """Returns True when the sentence held a budget statement (so other readers skip it).
    `taken` receives the offsets (in the sentence) of the percentages read as absorptions."""
    found = False
    pos = 0
    parts: list[str] = []
    for piece in STATEMENT_SPLIT.split(s.text):
        # split only after a statement that already has its amount
        if parts and not _amounts(parts[-1]):
            parts[-1] = f"{parts[-1]} dan {piece}"
        else:
            parts.append(piece)
    for part in parts:
        offset = s.text.index(part, pos)
        pos = offset + len(part)
        sub = ProseSentence(part, s.starts, s.lines, s.section, s.base + offset)
        found = _statement(sub, heading, ctx, out, taken, offset) or found
    return found


def _statement(s: ProseSentence, heading: str | None, ctx, out: Extraction, taken: set[int] | None = None,
               shift: int = 0) -> bool:
    text = s.text
    skip = SKIP.search(text.split(" atau ")[0])
    if skip and not any(not skip.start() <= m.start() < skip.end() for m in ALLOC_CUE.finditer(text[:40])):
        return False  # "Sisa anggaran sebesar Rp 700 juta": its own word 'anggaran' is no allocation cue
    amounts = _amounts(text)
    if not amounts:
        return False
    cue = ALLOC_CUE.search(text)
    first = amounts[0]
    if cue and cue.start() > first[0]:
        cue = None
    if cue:
        entity = _entity(text, cue, heading)
    else:
        entity = re.split(r"\b(?:yaitu|adalah|mengelola)\b|,\s+", text[: first[0]])[-1]
        entity = re.sub(r"\s+(sebesar|dengan)?\s*(rp\.?)?\s*$", "", entity.strip(" ,.-:"), flags=re.I) or heading
    if not entity:
        return False
    real_cue = REAL_CUE.search(text, first[0])
    if cue is None and not (real_cue or len(amounts) >= 2):
        return False
    pagu = first
    real = None
    lead_real = REAL_CUE.search(text[: first[0]])
    if lead_real and len(amounts) >= 2 and PAGU_BETWEEN.search(text, first[0], amounts[1][0]) \
            and not REAL_CUE.search(text, first[0], amounts[1][0]):
        # "Realisasi belanja sebesar Rp 4,78 M dari pagu Rp 1,2 triliun": realisasi first, then the pagu
        pagu, real_cue = amounts[1], None
        real = first
    elif real_cue:
        real = next((a for a in amounts if a[0] > real_cue.start()), None)
    elif lead_real and len(amounts) >= 2 and re.search(r"\b(atau|yaitu|senilai)\b", text[first[0]:amounts[1][0]], re.I):
        real = amounts[1]  # "Realisasi anggaran mencapai 95,12% dari pagu Rp A, atau sebesar Rp B"
    elif len(amounts) >= 2 and cue is None:
        real = amounts[1]  # "<entity> Rp X Rp Y": pagu then realisasi
    if real is pagu:
        real = None
    absorption = None
    if real:
        m = PERCENT.search(text, real[0] + len(real[3]))
        if m is None or (pagu[0] > real[0] and m.start() > pagu[0]):
            # "penyerapan anggaran sebesar 94,6 % atau Rp 5,2 M dari pagu Rp 5,5 M": the share comes first
            m = PERCENT_BEFORE.search(text[: real[0]]) or m
            if m is None and lead_real and not REAL_CUE.search(text, first[0]):
                m = PERCENT.search(text, lead_real.end(), pagu[0])  # "Realisasi ... mencapai 95,12% dari pagu ..." 
        if m and not re.search(r"\b(kinerja|output|fisik|keluaran)\b", text[real[0]:m.start()], re.I):
            try:
                absorption = (m.start(), parse_number(m.group(1), "percent"))
                if taken is not None:
                    taken.add(shift + m.start())
            except NumberError:
                absorption = None
    name = clean_name(entity)
    head = normalise(text[: (cue.start() if cue else first[0])])
    opening = " ".join(head.split()[:10])
    agency_wide = bool(re.search(r"\bdinas\b|\bdisnaker\w*|belanja dinas|secara keseluruhan", opening)) and not re.search(
        r"\b(program|kegiatan|sub kegiatan)\s+[a-z]", opening)
    own = normalise(ctx.regency or "")
    generic = agency_wide or bool(GENERIC_ENTITY.match(name)) or len(name) < 4 or (
        bool(own) and (f"kabupaten {own}" in normalise(name) or own.startswith(("provinsi ", "kota ")) and own in normalise(name)))
    level = "total" if generic and not re.match(r"^belanja\b", name, re.I) else budget_level(name, None, False, "")
    if level == "total" and not generic and not re.match(r"^(jumlah|total)", name, re.I):
        level = "activity"
    if re.match(r"^belanja\b", name, re.I):
        level = "belanja"
    scope = scope_for(level, name)
    if level == "belanja" and len(name.split()) > 2:
        scope = " ".join(w if w.islower() and w in ("dan",) else w.capitalize() for w in normalise(name).split())
    years = years_in(text[: pagu[0]])
    year = years[-1] if years else ctx.report_year
    parts = [("budget_allocated", pagu[1], pagu[2], pagu[0])]
    if real:
        parts.append(("budget_realized", real[1], real[2], real[0]))
    if absorption:
        parts.append(("budget_absorption", absorption[1].value, absorption[1].decimals, absorption[0]))
    for indicator, value, decimals, offset in parts:
        line = s.line_at(offset)
        status, note = "ok", None
        if indicator != "budget_absorption":
            written = words_after(text, offset + len(next(a[3] for a in amounts if a[0] == offset)))
            if written and abs(written[0] - value) > 0.5:
                status = "mismatch"
                note = f"the digits say {value:,.2f} but the words say {written[0]:,.2f} ({written[1]!r})"
        out.observations.append(
            Observation(
                indicator=indicator,
                scope=scope,
                scope_level=level,
                year=year,
                period=value_period("actual", indicator, year, ctx.report_year, ctx.period),
                kind="actual",
                value=value,
                unit="percent" if indicator == "budget_absorption" else "rupiah",
                decimals=decimals,
                source_line=line,
                source_text=ctx.raw(line, s.text),
                method="narrative",
                section=s.section,
                label=name,
                status=status,
                note=note,
            )
        )
    line = s.line_at(pagu[0])
    out.budget_lines.append(
        BudgetLine(None, line, ctx.raw(line, s.text), s.section, "narrative", year,
                   value_period("actual", "budget_realized", year, ctx.report_year, ctx.period),
                   level, None, name, scope if level == "programme" else None, None,
                   pagu[1], real[1] if real else None, absorption[1].value if absorption else None, None)
    )
    return True
