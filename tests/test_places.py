"""How precisely a place is known (`places.py`): what follows from the data, and its words."""

from __future__ import annotations

import pytest

from conflict_archive.places import PRECISIONS, REGION_KINDS, derived_precision, is_coarser, precision_words


@pytest.mark.parametrize(
    ("own_coordinates", "kind", "expected"),
    [
        (True, "oblast", "exact"),  # a point of its own, wherever it is filed
        (False, "village", "city"),
        (False, "city district", "district"),
        (False, "oblast", "region"),
        (False, "country", "country"),
        (False, None, None),  # a site's place without a kind: not stated
    ],
)
def test_the_precision_that_follows_from_the_data(
    own_coordinates: bool, kind: str | None, expected: str | None
) -> None:
    assert derived_precision(own_coordinates, kind) == expected


def test_every_kind_maps_to_a_precision_an_event_can_have_without_a_point() -> None:
    assert set(REGION_KINDS.values()) <= set(PRECISIONS) - {"exact", "near"}


@pytest.mark.parametrize(
    ("precision", "kind", "expected"),
    [
        ("city", "village", "location known to the village"),
        ("city", "city with special status", "location known to the city"),
        ("region", "oblast", "location known to the oblast"),
        ("country", "country", "location known only to the country"),
        ("region", "village", "location known to the region"),  # stated coarser than the kind
        ("near", "city", "near this point"),
        ("district", None, "location known to the district"),
    ],
)
def test_the_words_a_reader_sees(precision: str, kind: str | None, expected: str) -> None:
    assert precision_words(precision, kind) == expected


def test_precisions_are_ordered_finest_first() -> None:
    assert is_coarser("region", "city") and not is_coarser("exact", "near") and not is_coarser("city", "city")
