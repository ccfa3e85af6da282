"""How precisely an event's place is known, and the words a reader sees for it.

An event's `location_precision` is the smallest area it is known to have happened in, finest
first. Editors state it, or it follows from the data: an event with coordinates of its own
happened at that point; one without is known to the precision of its region, which the
gazetteer's `kind` gives (an event in a village is known to a town or city, one in an oblast
to a region). The shipped gazetteer gives every place a kind; a site's own places may leave
it out, and then the precision is not stated.
"""

from __future__ import annotations

PRECISIONS = ("exact", "near", "district", "city", "region", "country")  # finest first

# A region's kind, and the precision an event placed there without coordinates is known to.
REGION_KINDS = {
    "country": "country",
    "oblast": "region",
    "autonomous republic": "region",
    "province": "region",
    "state": "region",
    "governorate": "region",
    "raion": "region",
    "city with special status": "city",
    "city": "city",
    "town": "city",
    "village": "city",
    "city district": "district",
    "neighbourhood": "district",
}

# Need a point of their own: the region's centre is not near where an event happened.
NEEDS_COORDINATES = frozenset({"exact", "near"})

PRECISION_WORDS = {
    "exact": "exact location",
    "near": "near this point",
    "district": "location known to the district",
    "city": "location known to the town or city",
    "region": "location known to the region",
    "country": "location known only to the country",
}


def precision_words(precision: str, region_kind: str | None) -> str:
    """What a reader sees: in the words of the region's kind where it is the region that sets
    the precision (`location known to the village`), else in general terms."""
    if region_kind is None or REGION_KINDS.get(region_kind) != precision:
        return PRECISION_WORDS[precision]
    place = "city" if region_kind == "city with special status" else region_kind
    return (
        f"location known only to the {place}" if precision == "country" else f"location known to the {place}"
    )


def is_coarser(precision: str, than: str) -> bool:
    return PRECISIONS.index(precision) > PRECISIONS.index(than)


def derived_precision(own_coordinates: bool, region_kind: str | None) -> str | None:
    """The precision an editor left out: a point of its own is exact, else the region's."""
    if own_coordinates:
        return "exact"
    return REGION_KINDS.get(region_kind) if region_kind is not None else None
