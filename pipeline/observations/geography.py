"""Is a label a place — the reporting regency itself, another regency, a province, the nation?"""

from __future__ import annotations

import re

from pipeline.knowledge import gazetteer, normalise


def geography_of(label: str, own_regency: str) -> tuple[str, str] | None:
    """(name, level) where level is own | regency | city | province | national; None if not a place."""
    norm = normalise(re.sub(r"^(kabupaten|kab\.|kota|provinsi|propinsi)\s+", "", label.strip(), flags=re.I))
    if not norm or len(norm) > 40:
        return None
    gaz = gazetteer()
    if own_regency and norm == normalise(own_regency):
        return own_regency, "own"
    if re.fullmatch(r"nasional|indonesia", norm):
        return "Indonesia", "national"
    prov = gaz.province(norm)
    if prov and re.match(r"^(provinsi|propinsi)\b", label.strip(), re.I):
        return prov, "province"
    found = gaz.lookup(norm)
    if found:
        return found[0], "regency"
    if norm in gaz.city_aliases:
        return gaz.city_aliases[norm], "city"
    if prov:
        return prov, "province"
    return None
