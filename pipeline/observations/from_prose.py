"""Observations from sentences ("… TPT … tahun 2023 sebesar 3,92% …").

Each number in a sentence is read with the words around it:

* indicator — named in the stretch of text since the previous number (or, failing that, in
  its clause; a percentage or a target/realisasi clause may lean on the clause before);
* kind — the last of target / capaian / realisasi words before it;
* year — "X% di tahun 2022" (after) or "tahun 2023 sebesar X" (before); "tahun lalu" is the
  year before the report's;
* place — "Provinsi Kalimantan Timur 5,31%" or "Palembang = 7,94%" makes it context
  (`prose_places`); list items and worked formulas have their own readers (`prose_forms`);
* numbers — which are values, with which unit and scale (`prose_tokens`); a sub-group
  ("120 orang perempuan", "melalui AKL") keeps its own scope.

Changes ("turun sebesar 0,20%"), bounds ("<4%"), regulation numbers, dates and ordinals are
not values.
"""

from __future__ import annotations

import bisect
import re

from pipeline.knowledge import compiled, indicators, normalise, pattern, vocabulary
from pipeline.numbers import NumberError
from pipeline.observations.classify import Match, classify, warehouse_unit
from pipeline.observations.context import YEAR_AFTER, sentence_period, sentence_year, value_period, year_spans
from pipeline.observations.model import ContextValue, Extraction, Observation
from pipeline.observations.prose_budget import read_budget_sentence
from pipeline.observations.prose_forms import formula, list_item
from pipeline.observations.prose_places import peer_pairs, place_of
from pipeline.observations.prose_tokens import Token, respectively, subgroup, values
from pipeline.parsed.prose import ProseSentence

DELTA = re.compile(r"\b(turun|naik|penurunan|kenaikan|peningkatan|selisih|meningkat|menurun|berkurang|bertambah)\s*(sebesar|sebanyak|dari target)?\s*$", re.I)
CLAUSE_BOUND = re.compile(r",\s+|;\s*|\s+(?:dan|sedangkan|sehingga|namun)\s+")
KEY_VALUE = re.compile(r"^\s*[A-Za-z][\w ()/.-]{0,40}:\s*[^:]{0,40}$")  # "Realisasi tahun 2023: 4,9%"
BOUND = re.compile(r"[<>≤≥]\s*$")
TOPIC_SWITCH = re.compile(r"\b(anggaran|efisiensi|sakip|akip|indeks|nilai (sakip|akip|evaluasi|ikm)|skala|rata-rata|rata rata|umk|upah|tka\b|kepuasan)\b", re.I)
FORMULA = re.compile(r"\\frac|\\times|\$\$")
PLAN = re.compile(r"\b(akan dilaksanakan|direncanakan|mulai dilaksanakan pada (tribulan|triwulan) (ii|iii|iv|[234]))\b", re.I)
SHORT_SENTENCE = 80  # characters: "Target tahun 2023 adalah 4,00 %." names no indicator of its own
HEADING = re.compile(r"^\s*([a-z]|\d{1,2}|[ivx]{1,4})[.)]\s+\S.{3,150}$", re.I)


def read_prose(sentences: list[ProseSentence], ctx, out: Extraction, tpt_source_year: int | None) -> None:
    heading: str | None = None
    lead_in: tuple[Match, ProseSentence] | None = None
    previous: ProseSentence | None = None
    recent: list[str] = []  # the last few sentences, for formulas that do not name their indicator
    plan_para: tuple[int, ...] | None = None  # a paragraph that schedules its activities for later
    for s in sentences:
        para = tuple(s.lines)
        if PLAN.search(s.text):
            plan_para = para
        plan = plan_para == para
        if re.fullmatch(r"\W*(antara lain|sebagai berikut|berikut ini|dengan rincian)\W*", s.text, re.I) and previous is not None:
            m = classify(f"{previous.text} {s.text}", "persons")
            lead_in = (m, s) if m else None
            continue
        if not re.search(r"\d", re.sub(r"^\s*([a-z]|\d{1,2}|[ivx]{1,4}|[a-z]\.\d)[.)]?\s+", "", s.text, flags=re.I)):
            if len(s.text) <= 90 and not s.text.rstrip().endswith("."):
                heading = re.sub(r"^\s*([a-z]|\d{1,2}|[ivx]{1,4}|[a-z]\.\d)[.)]?\s+", "", s.text, flags=re.I).strip(" :")
            continue
        taken: set[int] = set()
        if read_budget_sentence(s, heading, ctx, out, taken):
            # the budget reader took the amounts; other figures in the sentence are still read
            _numbers(s, ctx, out, tpt_source_year, plan, budget_done=True, taken=taken)
            lead_in = None
            continue
        if FORMULA.search(s.text):
            formula(s, ctx, out, recent[-2:])
            continue
        recent.append(s.text)
        if list_item(s, lead_in, ctx, out):
            continue
        found = _numbers(s, ctx, out, tpt_source_year, plan, heading=heading)
        if re.search(r"(antara lain|sebagai berikut|berikut ini|rincian)\s*:?\s*$", s.text, re.I):
            text = s.text if len(s.text) > 40 or previous is None else f"{previous.text} {s.text}"
            m = classify(text, "persons")
            lead_in = (m, s) if m else None
        elif not found:
            lead_in = None if len(s.text) > 150 else lead_in
        previous = s
        if HEADING.match(s.text) and len(s.text) <= 120 and not re.search(r"\d[\d.,]*\s*(%|orang|rp)", s.text, re.I):
            heading = re.sub(r"^\s*([a-z]|\d{1,2}|[ivx]{1,4})[.)]\s+", "", s.text).rstrip(". ")
    _ = indicators


def _tokens(text: str) -> list[Token]:
    """The numbers of a sentence that are values (see `prose_tokens` for what is not)."""
    return values(text)


def _kind(local: str, clause: str, unit: str | None) -> str:
    """The last strong kind word since the previous number, else in the clause, else actual."""
    kind = "actual"
    for window in (local.lower(), clause.lower()):
        last = -1
        for k, pat in compiled("sentence_kinds"):
            for m in pat.finditer(window):
                if m.start() > last:
                    last, kind = m.start(), k
        if last >= 0:
            break
    if kind == "achievement" and unit != "percent":
        kind = "actual"
    return kind


# "11.880 pencari kerja yang ditempatkan dibagi 28.800 pencari kerja terdaftar": a figure followed
# by the noun it counts is described by the words after it, up to the next figure
DESCRIBED_AFTER = re.compile(r"^\s*(pencari kerja|pencaker|tenaga kerja|peserta|kasus|perkara|lowongan)\b", re.I)


def _described_after(text: str, tk: Token, tokens: list[Token], c1: int, unit: str | None) -> Match | None:
    if not DESCRIBED_AFTER.match(text[tk.end : tk.end + 20]):
        return None
    nxt = next((t.start for t in tokens if t.start > tk.start), len(text))
    # up to the next figure (the clause may go on: "150 peserta di antaranya lulus dan memperoleh
    # sertifikat"), but not into another figure's relative clause ("44 kasus dan yang diselesaikan ...")
    words = text[tk.start : min(nxt, tk.end + 100)]
    other = re.search(r"\s(?:dan|sedangkan|serta)\s+yang\b|[,;]", words)
    return classify(words[: other.start()] if other else words, unit)


def _join(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b


def _absorption_scope(text: str, start: int) -> Match | None:
    """Whose absorption a sentence states: a sasaran, a (sub-)activity, a programme, else the agency."""
    before = text[:start]
    m = re.match(r"^\s*(?:\d+\.\s*)?sasaran\s+(.+?)\s+(?:adalah|secara|yaitu|dengan)\b", before, re.I)
    if m and not re.search(r"\bsemua sasaran\b", before, re.I):
        return Match("budget_absorption", m.group(1).strip(" ,"), "goal")
    hits = list(re.finditer(
        r"\b(sub kegiatan|kegiatan|program)\s+((?:(?!\b(?:sub kegiatan|kegiatan|program)\b)[^,;])+?)\s+(?=sebesar|adalah|dengan|yaitu|mencapai|terealisasi)",
        before, re.I))
    hits = [h for h in hits if len(h.group(2).split()) <= 14]
    if hits:
        h = hits[-1]
        from pipeline.observations.budget_tables import scope_for

        level = {"sub kegiatan": "sub_activity", "kegiatan": "activity", "program": "programme"}[h.group(1).lower()]
        name = h.group(2).strip(" ,")
        return Match("budget_absorption", scope_for(level, ("Program " + name) if level == "programme" else name), level)
    return None


def _numbers(s: ProseSentence, ctx, out: Extraction, tpt_source_year: int | None, plan: bool = False,
             budget_done: bool = False, taken: set[int] = frozenset(), heading: str | None = None) -> bool:
    text = s.text
    if peer_pairs(s, ctx, out):
        return True
    tokens = _tokens(text)
    n_before = len(out.observations)
    clause_bounds = [0] + [m.end() for m in CLAUSE_BOUND.finditer(text)] + [len(text)]
    spans = year_spans(text)
    bound: set[int] = set()  # offsets of years that name the figure right before them
    for tk in tokens:
        m = YEAR_AFTER.match(text[tk.unit_end : tk.unit_end + 50])
        if m:
            bound.add(tk.unit_end + m.start(1))
    resp = respectively(text, tokens, spans)  # "tahun 2022 dan 2023 masing-masing 3.120 dan 3.405 orang"
    for item in resp.values():
        if item[0] == "year":
            bound.update(pos for pos, y in spans if y == item[1])  # the listed years belong to the listed figures
    resp_match: Match | None = None
    resp_kind: str | None = None
    found = False
    prev_end = 0
    bound_end = -10
    last: tuple[Match, int] | None = None  # the last value read in this sentence and where it ended
    targets: set[str] = set()  # indicators given a target earlier in the sentence
    read: list[Match] = []  # what the figures before this one were
    for tk in tokens:
        start, end = tk.start, tk.end
        before_all = text[max(0, start - 40) : start]
        if BOUND.search(before_all[-3:]) or (start - bound_end < 6 and re.fullmatch(r"[\s%)(]*", text[bound_end:start])):
            bound_end = end  # "<4% (4,12%)": a bound and its gloss are not values
            prev_end = end
            continue
        if DELTA.search(before_all):
            prev_end = end
            continue
        if start in taken:
            prev_end = end  # the budget reader read it as the absorption of the amounts before it
            continue
        unit = tk.unit
        if re.search(r"\b(rp|prop)\.?\s*$", before_all[-6:], re.I):
            unit = "rupiah"
        if unit in ("rupiah",):
            prev_end = end  # amounts of money are the budget reader's
            continue
        try:
            parsed = tk.parse(unit or "count" if unit != "percent" else "percent")
        except NumberError:
            prev_end = end
            continue
        k0 = bisect.bisect_right(clause_bounds, start) - 1
        c0, c1 = clause_bounds[k0], clause_bounds[k0 + 1]
        first_in_clause = prev_end <= c0
        prev_before = prev_end
        segment = text[max(prev_end, c0) : c1]
        local = text[max(prev_end, c0) : start]
        prev_end = end
        if re.match(r"^\s*(orang\s+)?per\s+(paket|orang|kegiatan)", text[end:end + 20], re.I):
            continue
        topic_switch = bool(TOPIC_SWITCH.search(local))
        if unit is None and re.search(r"\bjumlah\b", local, re.I):
            unit = "number"
        kind = _kind(local, text[c0:start] if first_in_clause else local, unit)
        if kind == "achievement" and pattern("kind_actual_after").match(text[end : end + 40]):
            kind = "actual"
        cls_unit = None if kind == "achievement" else unit
        match = _described_after(text, tk, tokens, c1, cls_unit) or classify(segment, cls_unit)
        if match is None and prev_before < c0:  # the subject may sit before a "dan" inside a name
            match = classify(text[prev_before:c1], cls_unit)
        if match is None:
            match = classify(text[c0:c1], cls_unit)
        if match is None and last and re.fullmatch(r"\s*[a-z]*\s*(,|dan)\s*", text[last[1]:start], re.I):
            # "13 paket, 221 orang": a list of values of one training
            base = next((i for i, spec in indicators().items() if last[0].indicator in spec.variants.values()), last[0].indicator)
            match = classify(indicators()[base].title["id"], unit) if unit else None
            if match and match.indicator not in (base, *indicators()[base].variants.values()):
                match = None
        if match is None and read and subgroup(text[prev_before:start], text[tk.unit_end : tk.unit_end + 80], text):
            # "150 orang, di antaranya 40 orang perempuan": a part of the last figure of the same unit
            same = [m for m in reversed(read) if unit is None or unit in indicators()[m.indicator].units]
            match = Match(same[0].indicator) if same else None
        strong_cue = kind != "actual" or re.search(r"\b(realisasi|terealisasi|tercapai)\b", local, re.I)
        relative = re.match(r"\s*yang\b", text[c0:start], re.I)  # ", yang diselesaikan 27 kasus": the subject is before
        if match is None and (unit in ("percent", None) or strong_cue or relative):
            k = k0
            back = 1
            while match is None and k - back >= 0 and back <= 2:
                prior = text[clause_bounds[k - back] : c1]
                if TOPIC_SWITCH.search(text[clause_bounds[k - back] : start].split(",")[-1]):
                    break
                match = classify(prior, cls_unit)
                back += 1
        # "target 13 perkara, ... terealisasi 5 perkara atau 38,46%": a percentage after a count that had
        # a target in the same sentence is that count's capaian (without a target it is the count's rate)
        if unit == "percent" and last and last[0].indicator in targets and indicators()[last[0].indicator].unit != "percent" \
                and re.search(r"\b(atau|tercapai|capaian|sebesar)\b|\(\s*$", text[last[1]:start], re.I) and len(text[last[1]:start]) < 160:
            match, kind = last[0], "achievement"
        if match is None and heading and (KEY_VALUE.match(text) or strong_cue and len(text) <= SHORT_SENTENCE):
            # "Indikator Kinerja: Persentase pencari kerja yang ditempatkan" / "Target: 40%" / "Target
            # thn 2023 ialah 4,00 %": a short line naming only a kind takes its indicator from the heading
            match = classify(heading, cls_unit)
        if start in resp:
            resp_match = match = match or resp_match  # the later figures of the list are the first one's
            resp_kind = kind = kind if resp_kind is None else resp_kind  # and so is their kind (all targets)
        if match is None or match.indicator in ("budget_allocated", "budget_realized"):
            continue
        if budget_done and match.indicator == "budget_absorption":
            continue
        if topic_switch and match.indicator != "budget_absorption":
            continue
        if match.indicator == "training_packages" and match.scope == "total":
            course = re.match(r"^\s*paket\s+((?:pelatihan|kejuruan)\s+(?!dengan|yang|untuk)[^,;]+?)(?=,|;|\s+dan\s|\.|$)", text[end:], re.I)
            if course:
                match = Match(match.indicator, course.group(1).strip(), "course")
        if match.indicator == "budget_absorption":
            match = _absorption_scope(text, start) or match
            if re.search(r"\b(ini|tersebut)$", match.scope, re.I):
                continue  # "kegiatan ini" without a heading to name it: whose absorption is unknown
        spec = indicators()[match.indicator]
        if match.scope == "total" and not match.indicator.startswith("budget_"):
            # a sub-group named before the figure counts within its clause: "melalui 3 kali job fair dan
            # layanan antar kerja, sebanyak 3.152 orang berhasil ditempatkan" is every channel's total
            named = text[prev_before:start]
            part = subgroup(named[max(named.rfind(", "), named.rfind(";")) + 1:], text[tk.unit_end : tk.unit_end + 80], text)
            if part and part[1] == "subgroup" and part[0] == "bagian" and not any(m.indicator == match.indicator for m in read):
                part = None  # "28 kasus dan 25 kasus di antaranya telah diselesaikan": the resolved total, of the 28
            if part:  # "... sebanyak 120 orang perempuan": a part, never the total
                match = Match(match.indicator, part[0], part[1], match.definition)
        if resp.get(start, ("",))[0] == "scope":
            match = Match(match.indicator, *resp[start][1], match.definition)
        year = sentence_year(text, start, tk.unit_end, ctx.report_year, spans, bound)
        if resp.get(start, ("",))[0] == "year":
            year = resp[start][1]
        value = parsed.value
        note = parsed.note
        if unit is None and spec.unit == "percent" and parsed.decimals == 0 and value > 100:
            continue  # a count under a rate's name, not the rate
        if unit is None and parsed.decimals == 0 and match.indicator in vocabulary()["prose_percent_only"] and kind != "achievement":
            continue
        if match.indicator == "tpt" and kind == "actual" and value > 35:
            kind, note = "achievement", f"{value:g} is not a plausible unemployment rate: read as the achievement (capaian)"
        if match.indicator == "tpt" and kind == "actual" and tpt_source_year and not re.search(r"tahun\s+\d{4}", text[c0:end + 30], re.I):
            year, note = tpt_source_year, f"the report names BPS August {tpt_source_year} as its TPT source"
        place = place_of(text[c0:start], ctx)
        line = s.line_at(start)
        period = value_period(kind, match.indicator, year, ctx.report_year, ctx.period,
                              None if kind == "target" else sentence_period(text[max(0, start - 80) : start]))
        if plan and kind == "actual" and year == ctx.report_year:
            kind, note = "target", _join(note, "planned (the paragraph schedules it for later in the year)")
            period = "annual"
        last = (match, end)
        read.append(match)
        if kind == "target":
            targets.add(match.indicator)
        if place and place[1] != "own":
            out.context.append(ContextValue(place[0], place[1], match.indicator, year, "annual", value,
                                            warehouse_unit(unit, match.indicator), line, ctx.raw(line, s.text), "narrative"))
            found = True
            continue
        out.observations.append(
            Observation(
                indicator=match.indicator,
                scope=match.scope,
                scope_level=match.scope_level,
                year=year,
                period=period,
                kind=kind,
                value=value,
                unit="percent" if kind == "achievement" else warehouse_unit(unit, match.indicator),
                decimals=parsed.decimals,
                source_line=line,
                source_text=ctx.raw(line, s.text),
                method="narrative",
                section=s.section,
                label=segment.strip()[:200],
                definition=match.definition,
                note=note,
            )
        )
        found = True
    _parts_check(text, tokens, out, n_before)
    return found


def _parts_check(text: str, tokens: list, out: Extraction, n_before: int) -> None:
    """"sebanyak 3.111 orang, yang terdiri dari laki-laki sebanyak 2.571 orang, ... perempuan
    sebanyak 1.852 orang": a total that is not the sum of the parts it announces is a mismatch."""
    m = re.search(r"\b(yang )?terdiri (dari|atas)\b", text, re.I)
    if not m:
        return
    before = [o for o in out.observations[n_before:] if o.kind == "actual" and o.unit in ("persons", "cases", "count")]
    if not before:
        return
    total = before[0]
    stop = re.search(r"\b(dengan demikian|sehingga|sedangkan yang)\b", text[m.end():], re.I)  # "sedangkan yang ditempatkan": another figure
    end = m.end() + stop.start() if stop else len(text)
    parts = []
    for tk in tokens:
        if m.end() <= tk.start < end and tk.unit in ("persons", "cases"):
            try:
                parts.append(tk.parse("persons").value)
            except NumberError:
                pass
    if len(parts) >= 2 and abs(sum(parts) - total.value) > 0.5 and total.status == "ok":
        total.status = "mismatch"
        total.note = _join(total.note, f"the parts it lists add up to {sum(parts):,.0f} ({' + '.join(f'{p:,.0f}' for p in parts)})")


def tpt_source_year(lines: list[str]) -> int | None:
    """A 'Sumber: ... Tingkat Pengangguran Terbuka ... BPS ... Agustus 2022' note anywhere in the report."""
    for line in lines:
        low = normalise(line)
        if re.search(r"(sumber|source)", low) and re.search(r"pengangguran|tpt", low) and re.search(r"\bbps\b|badan pusat statistik", low):
            m = re.search(r"agustus\s+(20\d\d)", low)
            if m:
                return int(m.group(1))
    return None
