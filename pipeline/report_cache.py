"""The per-report cache: one JSON file per (report content, pipeline code), in data/curated/.cache/.

JSON, not pickle: the cache folder is only as trustworthy as the disk it is on, and reading a
pickle runs whatever code it names; reading JSON only ever yields data. A file that is not a
cache entry of this format (corrupt, planted, an older format) is ignored and the report read anew.
"""

from __future__ import annotations

import json
import os
from dataclasses import fields
from datetime import date, datetime
from pathlib import Path

FORMAT = 1


def _encode(value):
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if hasattr(value, "item"):  # a NumPy scalar
        return value.item()
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1:
        if "$datetime" in obj:
            return datetime.fromisoformat(obj["$datetime"])
        if "$date" in obj:
            return date.fromisoformat(obj["$date"])
    return obj


def save(path: Path, result) -> None:
    """Best effort: a result that cannot be cached is simply read again next time."""
    doc = {"format": FORMAT, **{f.name: getattr(result, f.name) for f in fields(result)}}
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(doc, default=_encode, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        tmp.unlink(missing_ok=True)


def load(path: Path):
    """The cached ReportResult, or None (absent, unreadable, or not a cache entry of this format)."""
    from pipeline.report import ReportResult

    try:
        doc = json.loads(path.read_text(encoding="utf-8"), object_hook=_decode)
    except (OSError, ValueError):
        return None
    names = [f.name for f in fields(ReportResult)]
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("report"), dict):
        return None
    if not all(isinstance(doc.get(n), list) and all(isinstance(r, dict) for r in doc[n]) for n in names[1:]):
        return None
    return ReportResult(**{n: doc[n] for n in names})
