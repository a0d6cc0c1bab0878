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

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


MIN_TEXT_CHARS = 200
FALLBACK_ENCODINGS = ("cp1252", "latin-1")


def read_report(path: Path) -> RawReport:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise RawInputError(f"{path.name}: the file is empty — nothing to extract.")
    if b"\x00" in data[:65536]:
        raise RawInputError(
            f"{path.name}: binary file (contains NUL bytes), not a text report. "
            "Convert the PDF/Word report to UTF-8 text first."
        )
    sample = data[:65536]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if control > 0.01 * len(sample):
        raise RawInputError(
            f"{path.name}: looks binary ({control} control bytes in the first {len(sample)}), "
            "not a text report."
        )
    warnings: list[str] = []
    try:
        text = data.decode("utf-8-sig")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        for enc in FALLBACK_ENCODINGS:
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            encoding = enc
            warnings.append(
                f"not valid UTF-8 (first bad byte at offset {exc.start}); decoded as {enc}. "
                "Check accented characters and re-save the file as UTF-8 if they look wrong."
            )
            break
        else:  # pragma: no cover - latin-1 decodes any byte string
            raise RawInputError(f"{path.name}: cannot decode as UTF-8 or Latin-1.") from exc
    lines = [ln.rstrip("\r") for ln in text.split("\n")]
    if text.endswith("\n"):
        lines = lines[:-1]
    if sum(len(ln.strip()) for ln in lines) < MIN_TEXT_CHARS:
        raise RawInputError(f"{path.name}: only {len(text.strip())} characters of text — too short to be a report.")
    return RawReport(path=path, sha256=sha, encoding=encoding, lines=lines, warnings=warnings)
