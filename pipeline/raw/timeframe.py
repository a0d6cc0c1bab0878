"""The year and period a report covers, from what the report says about itself.

Year cues, strongest first (the weight each occurrence adds to its year; the phrases are in
pipeline/domain/identity.yaml):

    cover / title line with the report's name or "Tahun": "LKjIP ... 2023"    TITLE
    "Laporan Kinerja ... Tahun 2023", "LKjIP 2023" anywhere in the text      REPORT
      (also wrapped onto the next line, as PDF text has it)
    "Tahun Anggaran 2023", "Perjanjian Kinerja Tahun 2023"                   FISCAL
    the file name ("kota-bandung_2022.txt")                                   (see identify.py)
    the year most "Realisasi / Target / Capaian YYYY" labels name             VALUES (fallback)

Regulation years ("Nomor 8 Tahun 2006"), year ranges ("2021-2026") and table-of-contents lines
never vote. The values cue decides only when the report states no year at all (a report may
call itself 2020 while its realised figures are for 2019); otherwise the evidence just says
what it points to.

Confidence: high = a cover / title cue, at least twice the runner-up; medium = stated
otherwise, or the file name where the text states nothing; low = a tie broken by text order,
or the values cue alone with a clear majority; uncertain = less than that (identify.py then
asks for the file name or the manifest).

Ties are broken by a written rule, never by dictionary order: (1) the year the file name
names; (2) the year whose strongest cue comes first in the text (a cover precedes the body);
for the values cue, the later year (a report compares its year with earlier ones).

The period comes from the report's own framing only: the cover ("LAPORAN KINERJA TRIWULAN I",
"TRIWULAN I S.D. III" = Q3, "TRIWULAN I - IV" = the year) or a title phrase ("Laporan Kinerja
Triwulan I Tahun 2023"). A "Triwulan I" column in a table, a caption, a contents entry or a
passing "realisasi triwulan I" is not the report's period.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from pipeline.knowledge import REGULATION_YEAR, YEAR, YEAR_RANGE, compiled, identity_vocabulary, normalise, vocabulary
from pipeline.raw.cover import clean, cover_lines, is_table_line, is_toc_line

TITLE, REPORT, FISCAL, VALUES = 10, 3, 2, 1
FRAMING = 3  # a title phrase naming a quarter / semester outside the cover
MIN_PERIOD_SCORE = 3
COVER_LINE = 120  # a longer line in the title region is a sentence, not a title
MIN_VALUES = 3  # figures needed before the values cue alone decides a year
# every quarter / semester word starts so (vocabulary.yaml `period_words`); a cheap first test
_PERIOD_HINT = re.compile(r"\b(?:[Tt][Rr][IiWw]|[Tt][Ww]|[Ss][Ee][Mm][Ee][Ss])")
# "s.d. Triwulan IV", "sampai dengan akhir Semester II": a cumulative figure up to that point
_UP_TO = re.compile(r"(?:s\.?\s?d\.?|s/d|sampai(?: dengan)?|hingga)\s*(?:akhir\s*)?$")
# the end of a period range: "Triwulan I - IV", "I s.d. III", "I sampai dengan II", "I dan II"
_RANGE_END = re.compile(r"\s*(?:-|–|s\.?\s?d\.?|sampai(?: dengan)?|hingga|dan)\s*(?:triwulan|tribulan|semester|tw\.?)?\s*(i{1,3}|iv|[1-4])\b")
_TITLE_HINT = re.compile(r"(?i)laporan|lkj|lakip|lkip")  # a cheap first test for `report_title`
_TITLE_START = re.compile(r"^\W*(tahun|tribu|triwu|semester)")
_YEAR_ONLY = re.compile(r"^\W*(?:tahun\s+)?(?:anggaran\s+)?(20[0-4]\d|199\d)\W*$")


@dataclass
class YearFinding:
    year: int | None
    confidence: str  # high | medium | low | none
    cue: str  # which cue decided, in words
    scores: dict[int, float] = field(default_factory=dict)
    values: dict[int, int] = field(default_factory=dict)  # votes of the values cue
    tied: list[int] = field(default_factory=list)  # years tied at the top before the rule broke the tie
    first_line: dict[int, tuple[float, int]] = field(default_factory=dict)
    by_file_name: bool = False  # the file name's year decided (the text states none, or a tie)

    def describe(self) -> str:
        if self.year is None:
            return "no year stated" + (f"; figures refer to {self.values}" if self.values else "")
        top = dict(sorted(self.scores.items(), key=lambda kv: -kv[1])[:3]) or dict(
            sorted(self.values.items(), key=lambda kv: -kv[1])[:3])
        out = f"{self.year} ({self.confidence} confidence: {self.cue}; scores {top}"
        if self.scores and self.values:
            # said, not decided: a report may call itself 2020 while its figures are for 2019
            labels = dict(sorted(self.values.items(), key=lambda kv: -kv[1])[:3])
            out += f"; realisasi / target labels name {labels}"
        return out + ")"


@cache
def _cues() -> dict[str, re.Pattern]:
    voc = identity_vocabulary()
    out = {k: re.compile(v) for k, v in voc["year_cues"].items()}
    out["title"] = re.compile(voc["report_title"])
    return out


def _candidate_years(line: str) -> list[int]:
    cleaned = REGULATION_YEAR.sub(" ", line)
    cleaned = YEAR_RANGE.sub(" ", cleaned)
    return [int(y) for y in YEAR.findall(cleaned)]


def detect_year(lines: list[str], file_year: int | None = None) -> YearFinding:
    cues = _cues()
    scores: Counter[int] = Counter()
    values: Counter[int] = Counter()
    first: dict[int, tuple[float, int]] = {}  # year -> (its strongest weight, first line with it)
    cover = cover_lines(lines)
    cover_set = set(cover)
    prev_cover: dict[int, int] = dict(zip(cover[1:], cover))

    def vote(year: int, weight: float, i: int) -> None:
        scores[year] += weight
        best = first.get(year)
        if best is None or weight > best[0]:
            first[year] = (weight, i)

    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    following = dict(zip(nonempty, nonempty[1:]))
    for i in nonempty:
        line = lines[i]
        j = following.get(i)
        year_here = YEAR.search(line)
        # every cue names a year; a title phrase may wrap it onto the next line
        # ("Laporan Kinerja ... Kota Bandung" / "Tahun 2020 merupakan ...")
        year_next = j is not None and YEAR.search(lines[j]) and _TITLE_HINT.search(line)
        if not (year_here or year_next) or is_toc_line(line):
            continue
        low = normalise(line)
        on_cover = i in cover_set and not is_table_line(line)
        if on_cover and len(low) <= COVER_LINE:
            # a cover line: its years are the title's, and the year may stand on its own line
            # under the title ("LKJIP" / "2023")
            above = normalise(lines[prev_cover[i]]) if i in prev_cover else ""
            titled = cues["title"].search(low) or _TITLE_START.search(low) or (
                _YEAR_ONLY.match(low) and (cues["title"].search(above) or _TITLE_START.search(above)))
            if titled:
                for y in _candidate_years(low):
                    vote(y, TITLE, i)
                continue  # counted once: "TAHUN ANGGARAN 2018" on a cover is not also a fiscal-year cue
        elif cues["title"].search(low):
            # a sentence (a body, or a report that starts without a cover): only the year the
            # report's own name is given with counts, the more when it opens the report
            weight = TITLE if on_cover else REPORT
            here = REGULATION_YEAR.sub(" ", low)
            text = here + " " + REGULATION_YEAR.sub(" ", normalise(lines[j])) if year_next else here
            for pattern in (cues["report_phrase"], cues["report_code"]):
                for m in pattern.finditer(text):
                    if m.start() < len(here):  # a title on the next line is that line's
                        vote(int(m.group(1)), weight, i)
        if not year_here:
            continue
        for m in cues["fiscal_year"].finditer(low):
            vote(int(m.group(1)), FISCAL, i)
        for m in cues["values"].finditer(low):
            values[int(m.group(1))] += VALUES
    finding = YearFinding(None, "none", "", dict(scores), dict(values), first_line=first)
    if scores:
        return _decide_stated(finding, file_year)
    if file_year:
        finding.year, finding.confidence, finding.cue = file_year, "medium", "the file name (the text states no year)"
        finding.by_file_name = True
        return finding
    if values:
        ranked = sorted(values.items(), key=lambda kv: (-kv[1], -kv[0]))
        finding.year = ranked[0][0]
        tie = len(ranked) > 1 and ranked[1][1] == ranked[0][1]
        # a clear majority of at least MIN_VALUES figures loads (with a warning); less is a guess
        finding.confidence = "low" if ranked[0][1] >= MIN_VALUES and not tie else "uncertain"
        finding.cue = "the year most realised / target figures refer to" + (
            f" (tied with {ranked[1][0]}: the later year taken)" if tie else "")
        if tie:
            finding.tied = [y for y, n in ranked if n == ranked[0][1]]
    return finding


def _decide_stated(f: YearFinding, file_year: int | None) -> YearFinding:
    ranked = sorted(f.scores.items(), key=lambda kv: -kv[1])
    top_score = ranked[0][1]
    tied = [y for y, s in ranked if s == top_score]
    second = next((s for _, s in ranked if s < top_score), 0.0)
    if len(tied) == 1:
        f.year = tied[0]
        # high only when the cover or title states it; cues that add up to as much do not
        f.confidence = "high" if f.first_line[f.year][0] >= TITLE and top_score >= 2 * second else "medium"
        f.cue = "the cover / title" if f.first_line[f.year][0] >= TITLE else (
            "'Laporan Kinerja ... Tahun'" if f.first_line[f.year][0] >= REPORT else "'Tahun Anggaran' / 'Perjanjian Kinerja'")
        return f
    f.tied = sorted(tied)
    if file_year in tied:
        f.year, f.confidence, f.by_file_name = file_year, "medium", True
        f.cue = f"stated years {f.tied} tie (score {top_score:g}); the file name's year taken"
        return f
    # the year whose strongest cue comes first: a cover and a title precede the body
    f.year = min(tied, key=lambda y: f.first_line[y][1])
    f.confidence = "low"
    f.cue = (f"stated years {f.tied} tie (score {top_score:g}); the one stated first "
             f"(line {f.first_line[f.year][1] + 1}) taken")
    return f


def detect_period(lines: list[str]) -> tuple[str, str]:
    """('annual' | 'Q1'.. | 'S1'.., why) from the cover and the report's own title phrases."""
    vocab = vocabulary()
    words = dict(compiled("period_words"))
    title = _cues()["title"]
    numbers = {**vocab["roman"], **identity_vocabulary()["ordinals"]}
    num = r"(i{1,3}|iv|[1-4]|" + "|".join(identity_vocabulary()["ordinals"]) + r")\b"
    pats = ((re.compile(words["quarter"].pattern + r"\s*" + num), "Q"),
            (re.compile(words["semester"].pattern + r"\s*" + num), "S"))
    breaks = re.compile(identity_vocabulary()["period_title_breaks"])
    cover = set(cover_lines(lines))
    votes: Counter[str] = Counter()
    where: dict[str, int] = {}
    for i, line in enumerate(lines):
        if not _PERIOD_HINT.search(line) or is_table_line(line) or is_toc_line(line):
            continue
        low = normalise(clean(line))
        on_cover = i in cover and len(low) <= COVER_LINE
        t = title.search(low)
        if not on_cover and not t:
            continue
        for pat, prefix in pats:
            for m in pat.finditer(low):
                # outside the cover the period must follow the report's name closely:
                # "Laporan Kinerja Triwulan I", "LKjIP Dinas ... Semester II"
                if not on_cover and not (t and 0 <= m.start() - t.end() <= 80
                                         and not breaks.search(low, t.end(), m.start())):
                    continue
                token = m.groups()[-1]
                k = int(token) if token.isdigit() else numbers.get(token)
                span = _RANGE_END.match(low, m.end())  # "Triwulan I s.d. III": up to the third
                if span:
                    k = int(span.group(1)) if span.group(1).isdigit() else numbers.get(span.group(1), k)
                    if (prefix, k) in (("Q", 4), ("S", 2)):
                        continue  # "Triwulan I - IV", "Semester I dan II": the whole year
                if (prefix, k) in (("Q", 4), ("S", 2)) and _UP_TO.search(low, 0, m.start()):
                    continue  # "Tahun 2023 (kondisi s.d. Triwulan IV)": up to the year's end, the whole year
                if prefix == "S" and k not in (1, 2):
                    continue
                label = f"{prefix}{k}"
                votes[label] += 10 if on_cover else FRAMING
                where.setdefault(label, i + 1)
    if votes:
        label, score = max(votes.items(), key=lambda kv: (kv[1], -where[kv[0]]))
        if score >= MIN_PERIOD_SCORE:
            framing = "cover" if score >= 10 else "title phrase"
            return label, f"'{label}' in the report's own {framing} (line {where[label]}, score {score})"
    return "annual", "no quarter or semester named on the cover or in the report's title"
