"""Read a PDF report into lines of text that the rest of the pipeline reads like any text file.

pdfplumber (on pdfminer.six) gives every word with its position and finds ruled tables from
the lines drawn on the page. Each page becomes lines in reading order (top to bottom):

- a **ruled table** becomes tab-separated rows (one line per table row, a cell's own line
  breaks joined), the encoding `parsed.tables_text` already reads;
- **other text** is grouped into lines by position; a line whose words are separated by a
  wide gap (a borderless table, a two-column form) keeps each word at its horizontal place,
  padded with spaces, so that `parsed.tables_aligned` finds its columns as it does in
  `pdftotext -layout` output; ordinary prose is joined with single spaces.

Pages are separated by a form feed at the start of each new page's first line (as pdftotext
does), so `source_page` is 1 + the form feeds above a line. The text is what the pipeline
cites: `build` stores it under data/curated/text/ so every cited line can be checked.

A PDF without a text layer (a scan), an encrypted one and a damaged one are each refused with
their own message.
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from pipeline.parsed.model import join_wrapped
from pipeline.raw.decode import MIN_TEXT_CHARS, RawInputError

LINE_TOLERANCE = 3.0  # points: words whose tops differ less are on one line
COLUMN_GAP = 2.5  # a gap wider than this many characters separates columns
MIN_TABLE_ROWS = 2


@dataclass
class PdfText:
    lines: list[str]
    pages: list[int]  # 1-based page of each line
    n_pages: int
    n_tables: int


def store_text(path, lines: list[str]) -> None:
    """Write the text the pipeline read out of a PDF (what `source_line` counts), atomically."""
    import os

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def prune_texts(text_dir, keep: set[str]) -> None:
    """Remove stored texts of PDFs no longer in data/raw/ (a text is named <pdf name>.txt)."""
    if not text_dir.is_dir():
        return
    for p in text_dir.glob("*.txt"):
        if p.name[: -len(".txt")] not in keep:
            p.unlink(missing_ok=True)


def is_pdf(data: bytes) -> bool:
    # the header may follow a few junk bytes (the PDF spec allows 1024)
    return b"%PDF-" in data[:1024]


def extract(name: str, data: bytes) -> PdfText:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages  # parses the page tree: a truncated file fails here
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise RawInputError(
            f"{name}: the PDF is encrypted (password-protected), so its text cannot be read. "
            "Save an unprotected copy (e.g. `qpdf --decrypt in.pdf out.pdf`, or print to PDF) and drop that in data/raw/."
        ) from exc
    except (PDFSyntaxError, Exception) as exc:  # noqa: BLE001 - pdfminer raises many types on damaged files
        # pdfplumber wraps pdfminer's errors: look at the wrapped one too
        inner = [exc, exc.__context__, *[a for a in exc.args if isinstance(a, BaseException)]]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in inner) \
                or "password" in str(exc).lower():
            raise RawInputError(
                f"{name}: the PDF is encrypted (password-protected), so its text cannot be read. "
                "Save an unprotected copy (e.g. `qpdf --decrypt in.pdf out.pdf`) and drop that in data/raw/."
            ) from exc
        raise RawInputError(
            f"{name}: the PDF is damaged or truncated and cannot be opened ({type(exc).__name__}: {exc}). "
            "Download it again or re-save it from a PDF viewer."
        ) from exc
    lines: list[str] = []
    page_of: list[int] = []
    n_tables = 0
    try:
        fast = _Pdfium(data)
        with pdf:
            for number, page in enumerate(pages, start=1):
                words = fast.words_if_unruled(number - 1)
                if words is not None:  # nothing drawn on the page: no ruled table to find
                    page_lines, found = _lines_from_words(words), 0
                else:
                    page_lines, found = _page_lines(page)
                n_tables += found
                if number > 1:
                    page_lines = page_lines or [""]
                    page_lines[0] = "\f" + page_lines[0]
                lines.extend(page_lines)
                page_of.extend([number] * len(page_lines))
            n_pages = len(pages)
    except RawInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged page stream
        raise RawInputError(
            f"{name}: the PDF is damaged and its text could not be read ({type(exc).__name__}: {exc}). "
            "Re-save it from a PDF viewer and drop the new file in data/raw/."
        ) from exc
    if sum(len(ln.strip()) for ln in lines) < MIN_TEXT_CHARS:
        raise RawInputError(
            f"{name}: the PDF has no text layer ({n_pages} page(s), almost no characters) — it is a scan. "
            "Run OCR on it first (e.g. `ocrmypdf in.pdf out.pdf`) and drop the OCR'd PDF in data/raw/."
        )
    return PdfText(lines, page_of, n_pages, n_tables)


def _page_lines(page) -> tuple[list[str], int]:
    tables = []
    if page.lines or page.rects:  # a page without drawn lines has no ruled table
        tables = [t for t in page.find_tables() if len(t.rows) >= MIN_TABLE_ROWS]
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= cx <= x1 and top <= cy <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    words = text_page.extract_words(x_tolerance=1.5, y_tolerance=LINE_TOLERANCE, keep_blank_chars=False)
    items: list[tuple[float, list[str]]] = []  # (top, lines)
    char_w = _char_width(words)
    for top, line_words in _group_lines(words):
        items.append((top, [_render_line(line_words, char_w)]))
    items += _table_items(tables)
    items.sort(key=lambda it: it[0])
    return [line for _, group in items for line in group], len(tables)


def _lines_from_words(words: list[dict]) -> list[str]:
    char_w = _char_width(words)
    return [_render_line(line_words, char_w) for _, line_words in _group_lines(words)]


def _table_items(tables) -> list[tuple[float, list[str]]]:
    items = []
    for t in tables:
        rows = []
        for row in t.extract():
            cells = [_join_cell_lines(c or "") for c in row]
            if any(cells):
                rows.append("\t".join(cells))
        if rows:
            items.append((t.bbox[1], rows))
    return items


class _Pdfium:
    """pypdfium2 (PDFium, C++) reads a page's characters ~20x faster than pdfminer. It is used
    for pages with nothing drawn on them — no lines or rectangles, so no ruled table for
    pdfplumber to find — which is most prose pages of a report. Its words feed the same line
    rendering as pdfplumber's, so both kinds of page come out alike."""

    def __init__(self, data: bytes):
        try:
            import pypdfium2 as pdfium

            self.doc = pdfium.PdfDocument(data)
        except Exception:  # noqa: BLE001 - pdfplumber reads what PDFium cannot
            self.doc = None

    def words_if_unruled(self, index: int) -> list[dict] | None:
        if self.doc is None:
            return None
        import pypdfium2.raw as pdfium_c

        page = self.doc[index]
        if next(iter(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3)), None) is not None:
            return None
        height = page.get_height()
        text_page = page.get_textpage()
        words: list[dict] = []
        current: dict | None = None
        for k in range(text_page.count_chars()):
            ch = text_page.get_text_range(k, 1)
            if not ch.strip():
                current = None
                continue
            # the loose box spans the glyph's advance, so letters of one word touch
            left, bottom, right, top = text_page.get_charbox(k, loose=True)
            top_y, bottom_y = height - top, height - bottom
            gap = 0.15 * (bottom_y - top_y)  # PDFium writes a space between words; this catches kerned-apart ones
            if current and abs(top_y - current["top"]) <= LINE_TOLERANCE and left - current["x1"] <= gap:
                current["text"] += ch
                current["x1"] = max(current["x1"], right)
                continue
            current = {"text": ch, "x0": left, "x1": right, "top": top_y, "bottom": bottom_y}
            words.append(current)
        return words


NUMBER_TAIL = re.compile(r"^[\d.,%]{1,6}$")


def _join_cell_lines(text: str) -> str:
    """A cell's own lines joined with spaces — except where a number was wrapped inside a
    narrow column ("3,476,453,63" / "3"): digits continuing digits join without a space."""
    out = ""
    for part in text.split("\n"):
        part = " ".join(part.split())
        if not part:
            continue
        if out and out[-1].isdigit() and NUMBER_TAIL.match(part) and re.search(r"\d[.,]\d{1,3}$", out):
            out += part
        else:
            out = join_wrapped(out, part)
    return out


def _char_width(words: list[dict]) -> float:
    widths = [(w["x1"] - w["x0"]) / len(w["text"]) for w in words if len(w["text"]) >= 3]
    return statistics.median(widths) if widths else 5.0


def _group_lines(words: list[dict]) -> list[tuple[float, list[dict]]]:
    lines: list[tuple[float, list[dict]]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(w["top"] - lines[-1][0]) <= LINE_TOLERANCE:
            lines[-1][1].append(w)
        else:
            lines.append((w["top"], [w]))
    return [(top, sorted(ws, key=lambda w: w["x0"])) for top, ws in lines]


def _render_line(words: list[dict], char_w: float) -> str:
    """Words at their horizontal place (in characters) when a wide gap separates them, so that
    columns line up from one line to the next; a single space between words otherwise."""
    out = " " * max(0, round(words[0]["x0"] / char_w))
    prev_end = words[0]["x0"]
    for k, w in enumerate(words):
        if k:
            gap = (w["x0"] - prev_end) / char_w
            if gap > COLUMN_GAP:
                out += " " * max(2, round(w["x0"] / char_w) - len(out))
            else:
                out += " "
        out += w["text"]
        prev_end = w["x1"]
    return out.rstrip()
