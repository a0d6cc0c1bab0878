"""Prose outside tables, as sentences that know which raw line each character came from.

PDF conversion wraps sentences across lines and page breaks ("... sebanyak 8 kasus dari 13
kasus" / page header / "yang terdaftar."). Lines are re-joined when a line does not end a
sentence and the next text line starts in lower case, skipping page headers in between. A
label wrapped before a capitalised word ("Tingkat Pengangguran" / "Terbuka sebesar 5,1 %") is
re-joined too when the two halves together name an indicator that neither names alone.

Everything here is linear in the length of the text: a converter that lost its line breaks
can hand over a one-megabyte "line", and a sentence is never longer than MAX_SENTENCE (a
longer run is cut at its last clause boundary, else at a space, before the limit).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.parsed.model import clean_cell

SENTENCE_END = re.compile(r"[.:;!?)\]]\s*$")
FURNITURE = re.compile(r"^\W*(laporan kinerja|lkjip|lakip|dinas tenaga kerja|disnaker|pemerintah (kabupaten|kota|provinsi)|halaman|\d{1,3}\s*$)", re.I)
SPLIT = re.compile(r"(?<=[a-z%)\]\d])\.\s+(?=[A-Z(])")
JOIN_LOOKAHEAD = 8
LIST_MARKER = re.compile(r"^\s*(\d{1,2}|[a-z]|[ivx]{1,4})\.$", re.I)
ABBREVIATION = re.compile(r"\b(rp|no|prop|kab|kec|kel|jl|dr|ir|drs|st|sh|se|mm|tk|th|hal|pt|cv|ud|sdr|bpk)\.$", re.I)
DIGIT = re.compile(r"\d")
MAX_SENTENCE = 1500  # characters; real sentences in these reports stay well under 800
CLAUSE_CUT = re.compile(r"[,;]\s+")
# a line that opens with a figure and its unit ("5,90 persen, sehingga ...") continues the
# unfinished sentence above it (converters wrap lines anywhere); a list item "1. ..." does not
FIGURE_CONTINUES = re.compile(r"^(rp\.?\s*)?\d[\d.,]*\s*(%|persen\b|orang\b|kasus\b|paket\b|peserta\b|ribu\b|juta\b|miliar\b|milyar\b)", re.I)
WRAP_WORDS = 4  # words on each side of a line break tried as one wrapped label


@dataclass
class ProseSentence:
    text: str
    starts: list[int]  # offsets in the paragraph where each joined raw line begins
    lines: list[int]  # 1-based raw line of each joined part
    section: str
    base: int = 0  # offset of this sentence in its paragraph

    def line_at(self, offset: int) -> int:
        k = bisect.bisect_right(self.starts, self.base + offset) - 1
        return self.lines[max(k, 0)]

    @property
    def line(self) -> int:
        return self.line_at(0)


def _clean(line: str) -> str:
    t = clean_cell(line)
    t = re.sub(r"^\s*[-•➤❖✓]+\s*", "", t)
    return t


def wrapped_label(tail: str, head: str) -> bool:
    """'Tingkat Pengangguran' + 'Terbuka ...': the words around the break name an indicator
    together but not apart (so the break is inside a label, not between two sentences)."""
    from pipeline.observations.classify import label_spans  # local: observations imports this module

    a = " ".join(tail.split()[-WRAP_WORDS:])
    b = " ".join(head.split()[:WRAP_WORDS])
    if not a or not b or DIGIT.search(a):
        return False
    return label_spans(a, b)


def paragraphs(lines: list[str], skip: set[int], sections: list[str]) -> list[ProseSentence]:
    out: list[ProseSentence] = []
    i, n = 0, len(lines)
    used: set[int] = set()
    while i < n:
        if i in skip or i in used:
            i += 1
            continue
        text = _clean(lines[i])
        if not text:
            i += 1
            continue
        parts = [(i, text)]
        used.add(i)
        j = i
        while not SENTENCE_END.search(parts[-1][1]):
            # look ahead for the continuation, skipping blank lines and page furniture
            k, nxt = j + 1, None
            while k < n and k - j <= JOIN_LOOKAHEAD and k not in skip:
                t = _clean(lines[k])
                if t and not FURNITURE.match(t):
                    nxt = (k, t)
                    break
                k += 1
            if nxt is None or not (nxt[1][:1].islower() or wrapped_label(parts[-1][1], nxt[1])
                                   or FIGURE_CONTINUES.match(nxt[1])):
                break
            parts.append(nxt)
            used.add(nxt[0])
            j = nxt[0]
        starts, nums, pos = [], [], 0
        for ln, t in parts:
            starts.append(pos)
            pos += len(t) + 1
            nums.append(ln + 1)
        joined = " ".join(t for _, t in parts)  # one join: a paragraph of many lines stays linear
        for piece in _bounded(ProseSentence(joined, starts, nums, sections[i])):
            out.extend(_sentences(piece))
        i += 1
    return out


def _bounded(par: ProseSentence) -> list[ProseSentence]:
    """Cut a run of text longer than MAX_SENTENCE at clause boundaries (offsets kept)."""
    text = par.text
    if len(text) <= MAX_SENTENCE:
        return [par]
    out, pos = [], 0
    while pos < len(text):
        end = min(pos + MAX_SENTENCE, len(text))
        if end < len(text):
            window = text[pos + MAX_SENTENCE // 2 : end]
            cuts = [m.end() for m in CLAUSE_CUT.finditer(window)]
            if not cuts:
                space = window.rfind(" ")
                cuts = [space + 1] if space >= 0 else []
            if cuts:
                end = pos + MAX_SENTENCE // 2 + cuts[-1]
        out.append(ProseSentence(text[pos:end], par.starts, par.lines, par.section, par.base + pos))
        pos = end
    return out


def _sentences(par: ProseSentence) -> list[ProseSentence]:
    text = par.text
    if not DIGIT.search(text):
        return [par] if len(text) <= 120 else []  # headings matter to the sentences below them
    out = []
    pos = 0
    cuts = [
        m for m in SPLIT.finditer(text)
        if not ABBREVIATION.search(text[max(0, m.start() - 6) : m.start() + 1])
        # "1. Pelatihan ..." is one item, not two sentences
        and not (m.start() < 8 and LIST_MARKER.match(text[: m.start() + 1]))
    ]
    for m in cuts + [None]:
        end = m.start() + 1 if m else len(text)
        chunk = text[pos:end]
        if DIGIT.search(chunk) or len(chunk.strip()) <= 120:
            lead = len(chunk) - len(chunk.lstrip())
            out.append(ProseSentence(chunk.strip(), par.starts, par.lines, par.section, par.base + pos + lead))
        pos = m.end() if m else len(text)
    return out
