"""Prose outside tables, as sentences that know which raw line each character came from.

PDF conversion wraps sentences across lines and page breaks ("... sebanyak 8 kasus dari 13
kasus" / page header / "yang terdaftar."). Lines are re-joined when a line does not end a
sentence and the next text line starts in lower case, skipping page headers in between.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from pipeline.parsed.model import clean_cell

SENTENCE_END = re.compile(r"[.:;!?)\]]\s*$")
FURNITURE = re.compile(r"^\W*(laporan kinerja|lkjip|lakip|dinas tenaga kerja|pemerintah kabupaten|halaman|\d{1,3}\s*$)", re.I)
SPLIT = re.compile(r"(?<=[a-z%)\]\d])\.\s+(?=[A-Z(])")
JOIN_LOOKAHEAD = 8
LIST_MARKER = re.compile(r"^\s*(\d{1,2}|[a-z]|[ivx]{1,4})\.$", re.I)
ABBREVIATION = re.compile(r"\b(rp|no|prop|kab|kec|kel|jl|dr|ir|drs|st|sh|se|mm|tk|th|hal|pt|cv|ud|sdr|bpk)\.$", re.I)


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
            if nxt is None or not nxt[1][:1].islower():
                break
            parts.append(nxt)
            used.add(nxt[0])
            j = nxt[0]
        joined, starts, nums = "", [], []
        for ln, t in parts:
            starts.append(len(joined) + (1 if joined else 0))
            joined = f"{joined} {t}" if joined else t
            nums.append(ln + 1)
        out.extend(_sentences(ProseSentence(joined, starts, nums, sections[i])))
        i += 1
    return out


def _sentences(par: ProseSentence) -> list[ProseSentence]:
    if not re.search(r"\d", par.text):
        return [par] if len(par.text) <= 120 else []  # headings matter to the sentences below them
    out = []
    pos = 0
    cuts = [
        m for m in SPLIT.finditer(par.text)
        if not ABBREVIATION.search(par.text[max(0, m.start() - 6) : m.start() + 1])
        and not LIST_MARKER.match(par.text[: m.start() + 1])  # "1. Pelatihan ..." is one item, not two sentences
    ]
    for m in cuts + [None]:
        end = m.start() + 1 if m else len(par.text)
        chunk = par.text[pos:end]
        if re.search(r"\d", chunk) or len(chunk.strip()) <= 120:
            lead = len(chunk) - len(chunk.lstrip())
            out.append(ProseSentence(chunk.strip(), par.starts, par.lines, par.section, pos + lead))
        pos = m.end() if m else len(par.text)
    return out
