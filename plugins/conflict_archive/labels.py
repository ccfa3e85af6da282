"""What readers see for the archive's own names: taxonomy titles, months, counted nouns.

Kept apart so that the index, the page plan and the renderer can all name things the same
way without importing one another.
"""

from __future__ import annotations

from .model import Event

TAXONOMY_TITLES = {
    "regions": "Regions",
    "actors": "Actors",
    "event-types": "Event types",
    "weapons": "Weapons",
    "tags": "Tags",
}
# The search filter that narrows to a term of each taxonomy (search_records.py names them).
SEARCH_FILTERS = {
    "regions": "region",
    "actors": "actor",
    "event-types": "event_type",
    "weapons": "weapon",
    "tags": "tag",
}
# What the search page calls each filter (`search_records.FILTERS`), in the order it shows them.
SEARCH_FILTER_TITLES = {
    "kind": "Show",
    "region": "Region",
    "event_type": "Event type",
    "actor": "Actor, any role",
    "perpetrator": "Perpetrator",
    "targeted": "Targeted",
    "weapon": "Weapon",
    "tag": "Tag",
    "year": "Year",
    "month": "Month",
    "killed": "Killed",
    "injured": "Injured",
}
# Indexed as one tree on a single page; the others (tags) are a flat list split into pages.
HIERARCHICAL = frozenset({"regions", "actors", "event-types", "weapons"})


# In English whatever the process's locale (`calendar.month_name` follows it): the same bytes
# on every machine.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(year: int, month: int) -> str:
    """`March 2024`."""
    return f"{MONTH_NAMES[month - 1]} {year}"


def format_event_date(event: Event) -> str:
    """`2025-10-22`, `2025-10-21 to 2025-10-22`, `week of 2025-10-20`, `October 2025`."""
    if event.date_precision == "month":
        return month_name(event.start.year, event.start.month)
    if event.date_precision == "week":
        return f"week of {event.start.isoformat()}"
    if event.end != event.start:
        return f"{event.start.isoformat()} to {event.end.isoformat()}"
    return event.start.isoformat()


def count_of(number: int, noun: str, plural: str | None = None) -> str:
    """`1 event`, `2 events`, `1,234 articles`, `3 entries`."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"
