"""What a file name says about a report: "kota-bandung_2022.txt", "LKjIP_Kab_Bungo_2024.pdf".

Used only where the text leaves identity uncertain, and to warn when the two disagree. Names of
hashes ("000_dca929226cb0e028.txt") say nothing; a name without a prefix counts only when it is
unambiguous ("bandung" is both a kabupaten and a kota) and not an ordinary word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

from pipeline.knowledge import AREA_TYPES, Area, gazetteer, identity_vocabulary

_TOKEN = re.compile(r"[a-z]+|\d+")
_HASHLIKE = re.compile(r"^[0-9a-f]{10,}$")
_YEAR = re.compile(r"^(20[0-4]\d|199\d)$")


@dataclass
class FileNameCues:
    name: str
    areas: list[Area] = field(default_factory=list)  # every area the name could mean
    prefixed: bool = False  # the name said which kind of area ("kota-bandung")
    year: int | None = None

    def area_among(self, keys: set[tuple[str, str]] | None = None) -> Area | None:
        """The one area the name means; with `keys`, the one of them the text also names."""
        if keys is not None:
            both = [a for a in self.areas if (a.area_type, a.name) in keys]
            if len(both) == 1:
                return both[0]
        return self.areas[0] if len(self.areas) == 1 else None


@cache
def _prefix_words() -> dict[str, str]:
    voc = identity_vocabulary()["area_prefixes"]
    return {re.sub(r"[^a-z]", "", w): t for t in AREA_TYPES for w in voc[t] if " " not in w}


def _split(stem: str) -> list[str]:
    """Lower-case tokens; a hash-like token is dropped, and so is an extension."""
    tokens = []
    for raw in re.split(r"[^0-9A-Za-z]+", stem):
        if not raw or _HASHLIKE.match(raw.lower()):
            continue
        tokens += _TOKEN.findall(raw.lower())
    return tokens


def file_name_cues(file_name: str | None) -> FileNameCues:
    if not file_name:
        return FileNameCues("")
    stem = PurePath(file_name).stem
    tokens = _split(stem)
    cues = FileNameCues(file_name)
    years = [int(t) for t in tokens if _YEAR.match(t)]
    if len(set(years)) == 1:  # "2021-2022" says nothing certain
        cues.year = years[0]
    gaz = gazetteer()
    prefixes = _prefix_words()
    common = {w.lower() for w in identity_vocabulary().get("file_name_not_places", [])}
    words = [t for t in tokens if not t.isdigit()]
    for k, t in enumerate(words):
        if t in prefixes:
            hit = gaz.match(prefixes[t], words[k + 1:])
            if hit:
                cues.areas, cues.prefixed = [hit[0]], True
                return cues
    found: dict[tuple[str, str], Area] = {}
    for k in range(len(words)):
        for n in range(min(5, len(words) - k), 0, -1):
            phrase = " ".join(words[k:k + n])
            if n == 1 and phrase in common:
                continue
            hits = [a for t in AREA_TYPES if (a := gaz.area(t, phrase))]
            if hits:
                for a in hits:
                    found[(a.area_type, a.name)] = a
                break
    cues.areas = list(found.values())
    return cues
