"""Is a label a place — the reporting regency itself, another regency, a province, the nation?"""

from __future__ import annotations

import re

from pipeline.knowledge import gazetteer, normalise, split_area_prefix


def _split(name: str) -> tuple[str | None, str]:
    """("kota", "bandung") for "Kota Bandung"; (None, "bandung") without a prefix."""
    kind, rest = split_area_prefix(name.strip())
    return kind, normalise(rest)


def geography_of(label: str, own_regency: str) -> tuple[str, str] | None:
    """(name, level) where level is own | regency | city | province | national; None if not a place.
    The reporting agency is "own" whatever prefix it goes by, but only its own: in a report of
    the Kabupaten Bandung, "Kota Bandung" is another place (and the reverse)."""
    kind, norm = _split(label)
    if not norm or len(norm) > 40:
        return None
    gaz = gazetteer()
    own_kind, own_norm = _split(own_regency or "")
    if own_regency and norm == own_norm and kind in (None, own_kind or "kabupaten"):
        return own_regency, "own"
    if re.fullmatch(r"nasional|indonesia", norm):
        return "Indonesia", "national"
    prov = gaz.province(norm)
    if prov and own_kind == "provinsi" and kind in (None, "provinsi") and prov == gaz.province(own_norm):
        return own_regency, "own"  # "Provinsi NTB" in the report of the Provinsi Nusa Tenggara Barat
    if prov and kind == "provinsi":
        return prov, "province"
    if kind == "kota" and norm in gaz.city_aliases:  # "Kota Bandung" is the city, not the kabupaten
        return gaz.city_aliases[norm], "city"
    found = gaz.lookup(norm)
    if found:
        return found[0], "regency"
    if norm in gaz.city_aliases:
        return gaz.city_aliases[norm], "city"
    if prov:
        return prov, "province"
    return None
