"""Which kabupaten, kota or province a report is about, and which agency wrote it.

Counting place names is not enough: a kabupaten report names its province dozens of times
("Provinsi Jambi"), a kota report its neighbouring kabupaten of the same name, a provincial
report every kabupaten and kota in its tables. What decides is what the *reporting agency*
and the *cover* name, so every mention is weighted by where it stands:

    agency phrase  "Dinas Tenaga Kerja Kota Bandung", "Disnaker Kota Surabaya"     AGENCY
    government     "Pemerintah Kabupaten Paser", "Pemkot Bandung"                  GOVERNMENT
    plain mention  "di Kota Bandung", "Bupati Bungo"                               MENTION
    on the cover   any of the above in the title region                           + COVER

Plain mentions in the body add up with diminishing weight (`Candidate.score`), so no number
of them outweighs a report's own agency and cover.

A unit's report names its province as context — its address ("Kabupaten Bungo Provinsi
Jambi", or "PROVINSI JAMBI" on the cover line under "KABUPATEN BUNGO"), the provincial
government that helps it, the provincial agency it works with — while a provincial report
names itself through its agency and its cover. So in the body a province named in passing or
with its government weighs a quarter (PROVINCE_CONTEXT) and with its agency half
(PROVINCE_AGENCY); an address weighs a quarter wherever it stands.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from pipeline.knowledge import AREA_TYPES, Area, display_name, gazetteer, identity_vocabulary, normalise
from pipeline.raw.cover import clean, cover_lines

AGENCY, GOVERNMENT, MENTION, COVER = 10.0, 5.0, 1.0, 10.0
PROVINCE_CONTEXT = 0.25  # a province named in passing, as an address, or with its government, in the body
PROVINCE_AGENCY = 0.5  # the provincial agency named in the body (times AGENCY): often a unit's partner
PLAIN_SCALE = 2.0  # see Candidate.score
UNKNOWN_MIN_SCORE = 3.0  # a name outside the gazetteer must be named at least this much
_NAME_WORD = re.compile(r"[A-Za-z][a-z'A-Z]+(?:-[A-Za-z]+)*")  # "Rp." or "A." is no part of a name
COVER_LINE = 120  # a longer line on the cover is a sentence: its plain mentions get no bonus
_WORD = re.compile(r"[a-z]+")
PRE_CONTEXT = 120  # characters before a mention searched for the agency / government phrase


@dataclass
class Candidate:
    """One area a report names, with the weighted evidence for it being the report's own."""

    area_type: str
    name: str
    area: Area | None  # None: a name outside the gazetteer
    strong_score: float = 0.0  # agency, government and cover cues
    plain_score: float = 0.0  # plain mentions in the body
    cues: Counter = field(default_factory=Counter)  # agency / government / mention / cover
    first_line: int = 0  # 1-based line of the first mention (ties: the earlier one wins)
    agencies: Counter = field(default_factory=Counter)  # agency names written with this area

    @property
    def display(self) -> str:
        return display_name(self.area_type, self.name)

    @property
    def score(self) -> float:
        """Strong cues add up; plain mentions count with diminishing weight (2·√n): a report may
        name a neighbour or its capital dozens of times in tables and prose, but names itself
        through its agency and cover. Three plain mentions (3.5) still beat two (2.8)."""
        return self.strong_score + PLAIN_SCALE * math.sqrt(self.plain_score)

    @property
    def self_named(self) -> bool:
        """Named the way a report names itself: with its agency, or on the cover (one such cue
        weighs AGENCY; the provincial agency in a unit's body weighs half and needs two)."""
        return self.strong_score >= AGENCY

    def describe(self) -> str:
        parts = ", ".join(f"{k} ×{n}" for k, n in sorted(self.cues.items()) if n)
        return f"{self.display} (score {self.score:.3g}: {parts}; first at line {self.first_line})"


@dataclass
class AreaFinding:
    candidates: list[Candidate]  # best first

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    @property
    def confidence(self) -> str:
        """high: the report names it as itself (agency / cover) and no other area so, or at
        less than half its score; medium: clearly ahead (1.5×) with a score of 3 or more;
        low: anything less."""
        if not self.candidates:
            return "none"
        top = self.candidates[0]
        second = self.candidates[1] if len(self.candidates) > 1 else None
        if top.self_named and (second is None or not second.self_named or top.score >= 2 * second.score):
            return "high"
        if top.score >= UNKNOWN_MIN_SCORE and (second is None or top.score >= 1.5 * second.score):
            return "medium"
        return "low"

    def describe(self, n: int = 3) -> str:
        return "; ".join(c.describe() for c in self.candidates[:n]) or "no area named"


@cache
def _patterns() -> dict:
    voc = identity_vocabulary()
    prefixes = []
    for area_type in AREA_TYPES:
        for word in voc["area_prefixes"][area_type]:
            prefixes.append((word, area_type, "prefix"))
        for word in voc["area_heads"][area_type]:
            prefixes.append((word, area_type, "head"))
    # longest alternatives first, so "kabupaten administrasi" wins over "kabupaten"
    prefixes.sort(key=lambda p: -len(p[0]))
    alternation = "|".join(f"(?P<p{k}>{w})" for k, (w, _, _) in enumerate(prefixes))
    # every pattern here runs on lower-case text: without re.I Python's matcher skips ahead by
    # the first letters, ~10x faster on long lines
    word = r"[a-z][a-z'.]*(?:-[a-z]+)*"
    mention = re.compile(rf"\b(?:{alternation})(?![a-z])\s*(?P<name>{word}(?:\s+{word}){{0,4}})")
    dangling = re.compile(rf"\b(?:{alternation})$")  # run on a line's last 25 characters
    # a cheap test first: most lines name no area at all
    stems = sorted({re.match(r"[a-z]+", w).group(0)[:4] for w, _, _ in prefixes})
    prefilter = re.compile("(?:" + "|".join(stems) + ")")
    heads = "|".join(voc["agency_heads"])
    prefix_words = "|".join(sorted({re.match(r"[a-z]+", w).group(0) for w, _, kind in prefixes if kind == "prefix"}))
    # the agency phrase that ends right before a mention: "... dinas tenaga kerja dan transmigrasi ";
    # it never runs over another agency's head or an area ("dinas ... kabupaten bungo dan")
    agency_tail = re.compile(
        rf"(?P<phrase>\b(?:{heads})\b(?:[\s,&/]+(?!(?:{heads}|{prefix_words})\b)[a-z]+){{1,10}}|{voc['agency_abbreviation']})"
        r"\s*(?:\((?P<abbr>[^()]{2,30})\)\s*)?$")
    # a province right after its agency without "Provinsi" ("Disnakertrans Jawa Barat"); only names
    # no kabupaten or kota shares ("Jambi", "Bengkulu" need their prefix)
    gaz = gazetteer()
    shared = set(gaz.aliases) | set(gaz.city_aliases)
    bare = sorted((a for a in gaz.province_aliases if a not in shared and len(a) > 3), key=len, reverse=True)
    bare_province = re.compile(r"\b(" + "|".join(re.escape(a) for a in bare) + r")\b")
    # the rarest word of each such name: a line without any of them names no province bare
    province_words = frozenset(max(_WORD.findall(a), key=len) for a in bare)
    agency_hint = re.compile(rf"\b(?:{heads})\b|{voc['agency_abbreviation']}")
    return {
        "kinds": [(area_type, kind) for _, area_type, kind in prefixes],
        "mention": mention,
        "dangling": dangling,
        "prefilter": prefilter,
        "bare_province": bare_province,
        "agency_hint": agency_hint,
        "province_words": province_words,
        "agency_tail": agency_tail,
        "labour": re.compile(voc["agency_labour"]),
        "government": re.compile(voc["government"]),
        "not_a_name": frozenset(voc["not_a_name"]),
        "abbreviation": re.compile(voc["agency_abbreviation"]),
    }


def _kind_of(m: re.Match) -> tuple[str, str]:
    kinds = _patterns()["kinds"]
    for k, (area_type, kind) in enumerate(kinds):
        if m.group(f"p{k}") is not None:
            return area_type, kind
    raise AssertionError("a prefix alternative always matches")


def agency_name(phrase: str) -> str:
    """An agency phrase as a name: abbreviations spelled out, words capitalised
    ("disnakertrans" -> "Dinas Tenaga Kerja dan Transmigrasi")."""
    voc = identity_vocabulary()
    norm = normalise(phrase).strip(" ,")
    if norm in voc["agency_abbreviations"]:
        return voc["agency_abbreviations"][norm]
    upper, lower = set(voc["agency_upper_words"]), set(voc["agency_lower_words"])
    words = norm.split()
    return " ".join(w if w in lower else w.upper() if w.strip(",") in upper else w.capitalize() for w in words)


def _context_kind(pre: str) -> tuple[str, str | None]:
    """('agency', phrase) / ('government', None) / ('mention', None) for the text before a mention."""
    pats = _patterns()
    low = pre.lower().rstrip()
    m = pats["agency_tail"].search(low)
    if m:
        phrase = m.group("phrase")
        if pats["labour"].search(phrase) or pats["abbreviation"].fullmatch(phrase):
            return "agency", phrase
        if m.group("abbr") and pats["abbreviation"].fullmatch(m.group("abbr").strip()):
            return "agency", m.group("abbr").strip()
    if pats["government"].search(low):
        return "government", None
    return "mention", None


def _unknown_name(words: list[str]) -> str | None:
    """A place name outside the gazetteer: capitalised words up to the first non-name word."""
    stop = _patterns()["not_a_name"]
    kept: list[str] = []
    for w in words[:3]:
        if normalise(w).split("-")[0] in stop or not w[0].isupper() or not _NAME_WORD.fullmatch(w):
            break
        kept.append(w.capitalize() if w.isupper() else w)
    return " ".join(kept) or None


def detect_area(lines: list[str]) -> AreaFinding:
    pats = _patterns()
    gaz = gazetteer()
    cover = set(cover_lines(lines))
    found: dict[tuple[str, str], Candidate] = {}
    texts = _Cleaned(lines)
    nonempty = [i for i, ln in enumerate(lines) if ln.strip()]
    previous = {b: a for a, b in zip(nonempty, nonempty[1:])}
    following = {a: b for a, b in zip(nonempty, nonempty[1:])}
    ends_with_unit: set[int] = set()  # lines whose last words name a kabupaten / kota

    def count(i: int, area_type: str, name: str, area: Area | None, context: str, phrase: str | None,
              address: bool) -> None:
        weight = {"agency": AGENCY, "government": GOVERNMENT, "mention": MENTION}[context]
        on_cover = False
        if area_type == "provinsi" and (address or (i not in cover and context != "agency")):
            weight = PROVINCE_CONTEXT
        elif area_type == "provinsi" and i not in cover:
            weight *= PROVINCE_AGENCY
        elif on_cover := (i in cover and (len(texts[i]) <= COVER_LINE or context != "mention")):
            weight += COVER
        key = (area_type, name)
        cand = found.get(key)
        if cand is None:
            cand = found[key] = Candidate(area_type, name, area, first_line=i + 1)
        if context == "mention" and not on_cover:
            cand.plain_score += weight
        else:
            cand.strong_score += weight
        cand.cues[context] += 1
        if on_cover:
            cand.cues["cover"] += 1
        if phrase:
            cand.agencies[agency_name(phrase)] += 1

    province_words = pats["province_words"]
    for i in nonempty:
        low = lines[i].lower()
        prefixed, agency_named = pats["prefilter"].search(low), pats["agency_hint"].search(low)
        if prefixed:
            _prefixed_mentions(i, texts, previous, following, ends_with_unit, count)
        if agency_named and not province_words.isdisjoint(_WORD.findall(low)):
            own = _lower(texts[i])
            for m in pats["bare_province"].finditer(own):
                pre = own[max(0, m.start() - PRE_CONTEXT):m.start()]
                if pats["dangling"].search(pre.rstrip()[-25:]):
                    continue  # "Provinsi Jawa Barat": counted as a prefixed mention
                context, phrase = _context_kind(pre)
                if context == "agency":
                    area = gaz.area("provinsi", m.group(1))
                    count(i, "provinsi", area.name, area, context, phrase, False)
    ranked = sorted(
        (c for c in found.values() if c.area is not None or c.score >= UNKNOWN_MIN_SCORE),
        key=lambda c: (not c.self_named, -c.score, c.first_line))  # how a report names itself first
    return AreaFinding(ranked)


def _lower(text: str) -> str:
    """Lower case, one character for one (so positions in it are positions in `text`)."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Cleaned:
    """`clean(lines[i])`, computed only for the lines that are looked at."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.done: dict[int, str] = {}

    def __getitem__(self, i: int) -> str:
        t = self.done.get(i)
        if t is None:
            t = self.done[i] = clean(self.lines[i])
        return t


def _prefixed_mentions(i: int, texts: _Cleaned, previous: dict[int, int], following: dict[int, int],
                       ends_with_unit: set[int], count) -> None:
    """Every "Kabupaten / Kota / Provinsi <name>" (and "Bupati <name>" ...) on line i."""
    pats = _patterns()
    gaz = gazetteer()
    own = texts[i]
    text = own
    if i in following and pats["dangling"].search(_lower(own[-25:]).rstrip(" :,-*|")):  # "PEMERINTAH KABUPATEN" / "MUARA ENIM"
        text = own + " " + texts[following[i]]
    low = _lower(text)
    last_unit_end = -10
    pos = 0
    while (m := pats["mention"].search(low, pos)) is not None and m.start() < len(own):
        area_type, kind = _kind_of(m)
        spans = [w.span() for w in re.finditer(r"\S+", m.group("name"))]
        name_text = text[m.start("name"):m.end("name")]  # with its case, for a name outside the gazetteer
        words = [name_text[a:b] for a, b in spans]
        hit = gaz.match(area_type, words)
        if hit:
            area, n = hit
            name = area.name
        else:
            name = _unknown_name(words) if area_type != "provinsi" else None  # all 38 provinces are known
            n = len(name.split()) if name else 0
            area = None
        # continue right after the name: "Kota Bandung dan Kabupaten Bandung" is two mentions
        end = m.start("name") + spans[n - 1][1] if n else m.end() - len(m.group("name"))
        pos = max(end, m.start() + 1)
        if not name:
            continue
        pre = text[max(0, m.start() - PRE_CONTEXT):m.start()]
        line_start = not pre.strip(" -–:,*")
        if line_start and i in previous:  # "DINAS TENAGA KERJA" / "KOTA BANDUNG"
            pre = texts[previous[i]]
        context, phrase = ("mention", None) if kind == "head" else _context_kind(pre)
        if kind == "prefix" and m.group(0).startswith("pem"):  # Pemkab / Pemkot / Pemprov
            context = "government"
        address = area_type == "provinsi" and (
            m.start() - last_unit_end <= 3 or (line_start and previous.get(i) in ends_with_unit))
        if area_type != "provinsi":
            last_unit_end = end
            if not own[end:].strip(" .,;:*|"):
                ends_with_unit.add(i)
        count(i, area_type, name, area, context, phrase, address)


def province_in_text(lines: list[str]) -> str | None:
    """The province a report names most ("Provinsi Jambi"), for a unit outside the gazetteer."""
    gaz = gazetteer()
    counts: Counter[str] = Counter()
    pat = re.compile(r"\b(?:provinsi|propinsi|prov\.)\s*([A-Za-z.]+(?:\s+[A-Za-z]+){0,3})", re.I)
    for line in lines:
        for m in pat.finditer(line):
            hit = gaz.match("provinsi", m.group(1).split())
            if hit:
                counts[hit[0].name] += 1
    return counts.most_common(1)[0][0] if counts else None


def detect_agency(lines: list[str], finding: AreaFinding, chosen: tuple[str, str] | None) -> str | None:
    """The labour agency named with the report's own area; else with any area; else an agency
    heading on the cover ("DINAS TENAGA KERJA")."""
    own = next((c for c in finding.candidates if (c.area_type, c.name) == chosen), None)
    if own and own.agencies:
        return own.agencies.most_common(1)[0][0]
    overall: Counter[str] = Counter()
    for c in finding.candidates:
        overall.update(c.agencies)
    if overall:
        return overall.most_common(1)[0][0]
    pats = _patterns()
    heads = "|".join(identity_vocabulary()["agency_heads"])
    whole = re.compile(rf"^(?:{heads})\b[a-z ,&]*$")
    for i in cover_lines(lines):
        low = normalise(clean(lines[i]))
        if whole.match(low) and pats["labour"].search(low):
            return agency_name(low)
    return None
