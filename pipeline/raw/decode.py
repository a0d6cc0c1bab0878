"""Read a raw report file into lines, refusing what is not a text report.

Lines are split on '\\n' only (as `sed -n Np` counts them), so `source_line` in the warehouse
points at the same line a reader opens in an editor.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path


class RawInputError(ValueError):
    """The file cannot be used as a report; the message says why and what to do."""


@dataclass
class RawReport:
    path: Path
    sha256: str
    encoding: str
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    kind: str = "text"  # text | pdf
    pages: list[int] | None = None  # for a PDF: the 1-based page of each line
    n_pages: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


MIN_TEXT_CHARS = 200
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def read_report(path: Path) -> RawReport:
    data, sha = read_bytes(path)
    return decode(path, data, sha)


def read_bytes(path: Path) -> tuple[bytes, str]:
    """The file's bytes and their SHA-256 (what the per-report cache is keyed on)."""
    try:
        data = path.read_bytes()
    except PermissionError as exc:
        raise RawInputError(f"{path.name}: cannot be read (permission denied) — make it readable by the build user.") from exc
    except OSError as exc:
        raise RawInputError(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    return data, hashlib.sha256(data).hexdigest()


def decode(path: Path, data: bytes, sha: str) -> RawReport:
    """Bytes -> lines: a PDF through pipeline.raw.pdf, anything else as text."""
    if not data.strip():
        raise RawInputError(f"{path.name}: the file is empty — nothing to extract.")
    from pipeline.raw.pdf import is_pdf

    if is_pdf(data):  # by content, not by name: an uncompressed PDF is not a text report
        return _read_pdf(path, sha, data)
    text, encoding, warnings = decode_text(path.name, data)
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    if text.endswith("\n"):
        lines = lines[:-1]
    if sum(len(ln.strip()) for ln in lines) < MIN_TEXT_CHARS:
        raise RawInputError(f"{path.name}: only {len(text.strip())} characters of text — too short to be a report.")
    return RawReport(path=path, sha256=sha, encoding=encoding, lines=lines, warnings=warnings)


def _read_pdf(path: Path, sha: str, data: bytes) -> RawReport:
    from pipeline.raw.pdf import extract

    pdf = extract(path.name, data)
    warnings = []
    if pdf.n_pages and len(pdf.lines) / pdf.n_pages < 3:
        warnings.append(f"only {len(pdf.lines)} lines of text on {pdf.n_pages} pages: some pages may be scanned images (OCR them first)")
    return RawReport(path=path, sha256=sha, encoding="pdf", lines=pdf.lines, warnings=warnings,
                     kind="pdf", pages=pdf.pages, n_pages=pdf.n_pages)


def decode_text(name: str, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings). UTF-16 (with or without BOM) is text, not binary; stray NUL
    bytes anywhere are dropped with a warning so they never reach source_text or the CSV."""
    utf16 = _utf16(data)
    if utf16:
        text = data.decode(utf16)
        if text.startswith("\ufeff"):
            text = text[1:]
        encoding, warnings = utf16, [f"decoded as {utf16.upper()}; re-save the file as UTF-8 to avoid this warning."]
    else:
        _refuse_binary(name, data)
        text, encoding, warnings = _decode_8bit(name, data)
    nul = text.count("\x00")
    if nul:
        text = text.replace("\x00", "")
        warnings.append(f"{nul} NUL character(s) removed from the text (a damaged or converted file?).")
    return text, encoding, warnings


def _utf16(data: bytes) -> str | None:
    """'utf-16' (with a BOM), 'utf-16-le' / 'utf-16-be' (without), or None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        candidates = ("utf-16",)
    else:
        sample = data[:4096]
        even, odd = sample[0::2], sample[1::2]
        # ASCII-heavy text in UTF-16 has a NUL in every other byte and almost none in the rest
        if len(sample) >= 64 and odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
            candidates = ("utf-16-le",)
        elif len(sample) >= 64 and even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
            candidates = ("utf-16-be",)
        else:
            return None
    for enc in candidates:
        try:
            data.decode(enc)
        except UnicodeDecodeError:
            return None
        return enc
    return None


def _refuse_binary(name: str, data: bytes) -> None:
    sample = data[:65536]
    nul = sample.count(0)
    if nul > 0.01 * len(sample):
        raise RawInputError(
            f"{name}: binary file (contains NUL bytes), not a text report. "
            "Convert the PDF/Word report to UTF-8 text first."
        )
    control = sum(1 for b in sample if (b < 9 or 13 < b < 32) and b != 0)
    if control > 0.01 * len(sample):
        raise RawInputError(
            f"{name}: looks binary ({control} control bytes in the first {len(sample)}), "
            "not a text report."
        )


def _decode_8bit(name: str, data: bytes) -> tuple[str, str, list[str]]:
    warnings: list[str] = []
    try:
        return data.decode("utf-8-sig"), "utf-8", warnings
    except UnicodeDecodeError as exc:
        for enc in FALLBACK_ENCODINGS:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            warnings.append(
                f"not valid UTF-8 (first bad byte at offset {exc.start}); decoded as {enc}. "
                "Check accented characters and re-save the file as UTF-8 if they look wrong."
            )
            return text, enc, warnings
        raise RawInputError(f"{name}: cannot decode as UTF-8 or Latin-1.") from exc  # pragma: no cover
