"""Area names as a reader looks them up.

The warehouse's `regency` is a display name unique across area types: a kabupaten bare
("Bandung"), a kota with its prefix ("Kota Bandung"), a province as "Provinsi Jawa Barat"
(see ../shared/SPEC.md). Sorted as plain strings, every kota would gather under K and every
province under P; a reader looks for the place name, so lists, legends and colours follow the
place name, and a kabupaten comes before the kota of the same name.
"""

from __future__ import annotations

import re

TYPE_ORDER = {"kabupaten": 0, "kota": 1, "provinsi": 2}
_PREFIX = re.compile(r"^(?:kota|provinsi|kabupaten)\s+", re.IGNORECASE)


def place_name(display_name: str) -> str:
    """'Kota Bandung' → 'Bandung'; 'Muara Enim' → 'Muara Enim'."""
    return _PREFIX.sub("", str(display_name)).strip()


def area_type_of(display_name: str) -> str:
    head = str(display_name).split(" ", 1)[0].lower()
    return head if head in ("kota", "provinsi") and " " in str(display_name) else "kabupaten"


def sort_key(display_name: str, area_type: str | None = None) -> tuple:
    kind = area_type if isinstance(area_type, str) and area_type in TYPE_ORDER else area_type_of(display_name)
    return (place_name(display_name).casefold(), TYPE_ORDER[kind], str(display_name))


def ordered(names) -> list[str]:
    """Unique names in reading order (see module doc)."""
    return sorted(dict.fromkeys(names), key=sort_key)
