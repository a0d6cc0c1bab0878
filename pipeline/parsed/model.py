"""The parsed layer's data model: tables (with their line spans) and prose sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pipeline.knowledge import per_document

TAG_RE = re.compile(r"<[^>]+>")
MD_EMPH_RE = re.compile(r"(\*\*|__|\*|_(?=\w)|(?<=\w)_)")
BOOKMARK_RE = re.compile(r"\[bookmark: [^\]]*\]")
SPACE_RE = re.compile(r"\s+")


@per_document(1 << 15)
def clean_cell(text: str) -> str:
    """Cell text without HTML tags, markdown emphasis or stray white space."""
    t = TAG_RE.sub(" ", text)
    t = t.replace("&nbsp;", " ").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    t = t.replace("**", "")
    if "[bookmark" in t:
        t = BOOKMARK_RE.sub("", t)
    return SPACE_RE.sub(" ", t).strip()


WRAPPED_AT_HYPHEN = re.compile(r"\w-$")


def join_wrapped(first: str, second: str) -> str:
    """Two pieces of one label that a line wrap separated. A wrap right after a hyphen
    ("RKA-" / "SKPD") keeps the word whole; any other wrap was a space."""
    if not first or not second:
        return first or second
    if WRAPPED_AT_HYPHEN.search(first) and second[:1].isalnum():
        return first + second
    return f"{first} {second}"


@dataclass
class Cell:
    text: str
    line: int  # 1-based line of the raw file where this cell's text starts

    @property
    def empty(self) -> bool:
        return not self.text


@dataclass
class Row:
    cells: list[Cell]
    line: int  # first line of the row

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def width(self) -> int:
        return len(self.cells)


@dataclass
class Table:
    encoding: str  # tsv | pipe | html | flat | aligned
    line_start: int
    line_end: int
    rows: list[Row]
    header_rows: int = 0  # how many leading rows are header rows (set by parsed.headers)
    caption: list[tuple[int, str]] = field(default_factory=list)  # lead-in lines before the table
    footnote: tuple[int, str] | None = None  # "Sumber: ..." line after the table
    lead_in: tuple[int, str] | None = None  # the sentence that introduces the table ("... sebagai berikut:")
    continuation_of: str | None = None
    section: str = "front"
    notes: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"T{self.line_start}"

    @property
    def width(self) -> int:
        return max((r.width() for r in self.rows), default=0)

    @property
    def header(self) -> list[Row]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[Row]:
        return self.rows[self.header_rows :]

    def caption_text(self) -> str:
        return " ".join(t for _, t in self.caption)


@dataclass
class Sentence:
    text: str
    line: int
    section: str
