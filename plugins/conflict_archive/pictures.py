"""What the archive's pictures show: the events a map marks, where each mark leads, and which
outline frames a region's map.

The drawing is `charts` and `maps`, which know nothing of vocabularies or URLs; this module
turns the archive's events into what they draw. Links are URLs from the site's root: the map
puts the renderer's `ROOT` before each, so a picture is the same HTML on every page that
shows it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from . import urls
from .labels import format_event_date
from .maps import Place, outlines
from .model import Event
from .places import NEEDS_COORDINATES
from .vocabulary import Vocabulary

SiteUrl = Callable[[str], str]  # a source path -> its URL from the site root


def is_own_point(event: Event) -> bool:
    """Drawn as a point of its own: the editor gave the event's coordinates and did not say
    they stand for a wider area."""
    if event.coordinates_from_region:
        return False
    return event.location_precision is None or event.location_precision in NEEDS_COORDINATES


def event_places(
    events: Iterable[Event], regions: Vocabulary, event_types: Vocabulary, url: SiteUrl
) -> list[Place]:
    """One `Place` for each event with coordinates, its own or its region's."""
    places = []
    wider: dict[str, tuple[tuple[str, str], ...]] = {}  # per region: events share a few hundred
    for event in events:
        if event.coordinates is None:
            continue
        if event.region not in wider:
            wider[event.region] = tuple(
                (url(urls.term_uri("regions", k)), regions[k].name) for k in regions.ancestors(event.region)
            )
        latitude, longitude = event.coordinates
        region = regions[event.region].name
        place = f"{region}: {event.location}" if event.location else region
        label = f"{format_event_date(event)}, {place}: {event_types[event.type].name}"
        places.append(
            Place(
                event_id=event.id,
                href=url(urls.article_uri(event.article_path)) + f"#event-{event.id}",
                label=label,
                latitude=latitude,
                longitude=longitude,
                exact=is_own_point(event),
                area_href=url(urls.term_uri("regions", event.region)),
                area_label=region,
                wider_areas=wider[event.region],
            )
        )
    return places


def region_frame(key: str, regions: Vocabulary) -> tuple[str | None, str | None]:
    """The outline a region's map is framed on (its own, else its nearest ancestor's that has
    one) and the outline it highlights: its own, if it has one and is part of a wider region
    (a country's map would be one filled shape)."""
    known = outlines()
    lineage = [regions[k].iso for k in (key, *regions.ancestors(key))]
    frame = next((iso for iso in lineage if iso is not None and iso in known), None)
    own = regions[key].iso
    highlight = own is not None and own in known and regions[key].parent is not None
    return frame, own if highlight else None
