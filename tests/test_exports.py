"""The data exports (`exports.py`, `exports_columns.py`), read back with the clients that will
read them: Python's `csv`, `json`, the `geojson` package and `frictionless`.

Small archives are written to `tmp_path` over the shipped vocabularies (Kyiv is a city with
special status under Ukraine; Bucha a town in Kyiv Oblast; Darnytskyi a district of Kyiv), and
the demonstration archive is exported whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import frictionless
import geojson  # type: ignore[import-untyped]
import pytest
from frictionless.resources import TableResource

from conflict_archive.archive import Archive, load_archive
from conflict_archive.exports import (
    EVENT_ACTOR_COLUMNS,
    EVENT_COLUMNS,
    FILE_NAMES,
    SOURCE_COLUMNS,
    Exports,
    data_package,
)
from conflict_archive.model import Article
from conflict_archive.site import ArchiveSite, SiteOptions
from conftest import REPO, SiteDir, synthetic_article, synthetic_event

SITE = "https://archive.invalid/"


@dataclass(frozen=True)
class _Licence:  # any object with these three attributes will do (`PackageLicence`)
    name: str
    title: str
    path: str


CC_BY = _Licence(
    "CC-BY-4.0",
    "Creative Commons Attribution 4.0 International",
    "https://creativecommons.org/licenses/by/4.0/",
)


def _article_url(article: Article) -> str:
    return f"{SITE}articles/{article.slug}/"


def _archive(tmp_path: Path, *events: dict[str, Any], **front: Any) -> Archive:
    """An archive of one article (`2025/10/report.md`) with these events."""
    site = SiteDir(tmp_path / "site")
    site.article("2025/10/report.md", synthetic_article(1, events=list(events), **front))
    return load_archive(site.articles)


def _newest(archive: Archive) -> dt.date:
    """The archive's date, as the build gives the package (`ArchiveSite.newest`)."""
    return ArchiveSite(archive, SiteOptions()).newest


def _exports(tmp_path: Path, *events: dict[str, Any], **front: Any) -> Exports:
    return Exports(_archive(tmp_path, *events, **front), _article_url)


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    """Every row, every cell, as `csv` reads it; each row must have exactly the header's cells."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    header, *rows = list(reader)
    assert all(len(row) == len(header) for row in rows)
    return [dict(zip(header, row, strict=True)) for row in rows]


def _features(data: bytes) -> list[dict[str, Any]]:
    collection = geojson.loads(data.decode("utf-8"))
    assert collection.is_valid, collection.errors()
    assert collection["type"] == "FeatureCollection"
    features: list[dict[str, Any]] = collection["features"]
    return features


def _jsonl(data: bytes) -> list[dict[str, Any]]:
    assert data.endswith(b"\n") or not data
    return [json.loads(line) for line in data.decode("utf-8").split("\n")[:-1]]


def _table(package: frictionless.Package, name: str) -> TableResource:
    resource = package.get_resource(name)
    assert isinstance(resource, TableResource)
    return resource


def _write_package(folder: Path, files: dict[str, bytes], **overrides: Any) -> Path:
    """The files and their datapackage.json in `folder`, as the site's `data/` has them."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    options: dict[str, Any] = {
        "name": "synthetic-archive",
        "title": "Synthetic archive",
        "version": "2025-10-23",
        "created": dt.date(2025, 10, 23),
        "licence": CC_BY,
    }
    options.update(overrides)
    package = folder / "datapackage.json"
    package.write_bytes(data_package(files, **options))
    return package


# ---- events.csv: columns, keys and names ------------------------------------------------------


AGREED_EVENT_COLUMNS = (
    *("event_id", "article_path", "article_url", "date_start", "date_end", "date_precision"),
    *("event_type", "event_type_name", "parent_type_name"),
    *("region", "region_name", "admin1_name", "country_iso"),
    *("location", "latitude", "longitude", "location_precision"),
    *("perpetrators", "targeted", "weapons"),
    *("killed_reported", "killed_low", "killed_best", "killed_high", "killed_as_reported"),
    *("injured_reported", "injured_low", "injured_best", "injured_high", "injured_as_reported"),
    *("damage", "source_count", "source_urls", "notes", "last_changed"),
)


def test_event_columns_are_in_the_agreed_order(tmp_path: Path) -> None:
    assert EVENT_COLUMNS == AGREED_EVENT_COLUMNS
    data = _exports(tmp_path, synthetic_event()).events_csv()
    assert data.split(b"\r\n", 1)[0].decode() == ",".join(EVENT_COLUMNS)


PLACES = [
    # region, region_name, admin1_name, country_iso
    pytest.param(
        "kyiv-darnytskyi", "Darnytskyi district, Kyiv", "Kyiv", "UA", id="district-of-a-special-city"
    ),
    pytest.param("kyiv", "Kyiv", "Kyiv", "UA", id="special-city-is-its-own-admin1"),
    pytest.param("bucha", "Bucha", "Kyiv Oblast", "UA", id="town-to-its-oblast"),
    pytest.param(
        "crimea", "Autonomous Republic of Crimea", "Autonomous Republic of Crimea", "UA", id="republic"
    ),
    pytest.param("ukraine", "Ukraine", "", "UA", id="country-has-no-admin1"),
]


@pytest.mark.parametrize(("region", "name", "admin1", "iso"), PLACES)
def test_places_by_key_name_first_level_division_and_country(
    tmp_path: Path, region: str, name: str, admin1: str, iso: str
) -> None:
    (row,) = _csv_rows(_exports(tmp_path, synthetic_event(region=region)).events_csv())
    assert (row["region"], row["region_name"], row["admin1_name"], row["country_iso"]) == (
        region,
        name,
        admin1,
        iso,
    )


def test_keys_where_programs_join_and_names_where_readers_read(tmp_path: Path) -> None:
    event = synthetic_event(
        id="strike",
        perpetrators=["russian-aerospace-forces", "Russian forces"],  # an alias resolves to its key
        targeted=["civilians-ukraine"],
        weapons=["drone", "missile"],
        damage=["residential building", "car"],
    )
    exports = _exports(tmp_path, event)
    (row,) = _csv_rows(exports.events_csv())
    assert row["event_id"] == "strike"
    assert row["article_path"] == "2025/10/report.md"
    assert row["article_url"] == f"{SITE}articles/2025/10/report/"
    assert (row["event_type"], row["event_type_name"]) == ("air-drone-strike", "Air/drone strike")
    assert row["parent_type_name"] == "Explosions/Remote violence"
    assert row["perpetrators"] == "Russian Aerospace Forces; Military Forces of Russia"
    assert row["targeted"] == "Civilians (Ukraine)"
    assert row["weapons"] == "Uncrewed aerial vehicle; Missile"
    assert row["damage"] == "residential building; car"
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2025-10-22", "2025-10-22", "day")
    assert row["last_changed"] == "2025-10-23"


def test_dates_of_a_span_and_the_articles_last_change(tmp_path: Path) -> None:
    event = synthetic_event(start="2025-10-01", end="2025-10-07", date_precision="week")
    del event["date"]
    exports = _exports(tmp_path, event, updated="2025-11-02")
    (row,) = _csv_rows(exports.events_csv())
    assert (row["date_start"], row["date_end"], row["date_precision"]) == ("2025-10-01", "2025-10-07", "week")
    assert row["last_changed"] == "2025-11-02"


def test_sources_counted_and_linked_inline_ones_included_urlless_ones_skipped(tmp_path: Path) -> None:
    sources = [
        {"title": "First", "url": "https://one.invalid/a"},
        {"title": "Without an address"},
    ]
    inline = {"title": "Inline report", "url": "https://inline.invalid/b"}
    exports = _exports(tmp_path, synthetic_event(sources=[1, 2, inline]), sources=sources)
    (row,) = _csv_rows(exports.events_csv())
    assert row["source_count"] == "3"
    assert row["source_urls"] == "https://one.invalid/a; https://inline.invalid/b"


# ---- Figures -----------------------------------------------------------------------------------

FIGURES = [
    # the event's `killed`, then killed_reported, _low, _best, _high, _as_reported as written
    pytest.param(None, ("false", "", "", "", ""), id="not-reported-is-empty-never-zero"),
    pytest.param(0, ("true", "0", "0", "0", ""), id="zero-reported-is-zero"),
    pytest.param(3, ("true", "3", "3", "3", ""), id="exact-fills-low-best-high"),
    pytest.param({"low": 4, "high": 4}, ("true", "4", "4", "4", ""), id="low-equals-high-is-exact"),
    pytest.param({"low": 2}, ("true", "2", "", "", ""), id="open-has-no-high"),
    pytest.param({"low": 50, "high": 61}, ("true", "50", "", "61", ""), id="range-without-best"),
    pytest.param(
        {"low": 2, "best": 5, "high": 9, "as_reported": "several"},
        ("true", "2", "5", "9", "several"),
        id="range-with-best-and-words",
    ),
]


@pytest.mark.parametrize(("killed", "cells"), FIGURES)
def test_figures_in_every_file(tmp_path: Path, killed: Any, cells: tuple[str, ...]) -> None:
    event = synthetic_event(targeted=["civilians-ukraine"])
    if killed is not None:
        event["killed"] = killed
    exports = _exports(tmp_path, event)
    (row,) = _csv_rows(exports.events_csv())
    names = ("killed_reported", "killed_low", "killed_best", "killed_high", "killed_as_reported")
    assert tuple(row[name] for name in names) == cells
    assert (row["injured_reported"], row["injured_low"], row["injured_high"]) == ("false", "", "")
    # The same figures on every actor's row (without the words).
    for actor_row in _csv_rows(exports.event_actors_csv()):
        assert tuple(actor_row[name] for name in names[:4]) == cells[:4]
    # Typed in GeoJSON and JSON Lines: numbers, booleans, null for what was not reported.
    (feature,) = _features(exports.events_geojson())
    typed = [feature["properties"][name] for name in names]
    expected = [cells[0] == "true", *(int(c) if c else None for c in cells[1:4]), cells[4] or None]
    assert typed == expected
    (record,) = _jsonl(exports.events_jsonl())
    if killed is None:
        assert record["killed"] is None
    else:
        assert record["killed"] == dict(
            zip(("low", "best", "high", "as_reported"), expected[1:], strict=True)
        )


# ---- Coordinates -------------------------------------------------------------------------------


def test_coordinates_are_latitude_then_longitude_in_csv_and_longitude_first_in_geojson(
    tmp_path: Path,
) -> None:
    event = synthetic_event(region="kyiv", coordinates=[51.5074, -0.1278], location_precision="exact")
    exports = _exports(tmp_path, event)
    (row,) = _csv_rows(exports.events_csv())
    assert (row["latitude"], row["longitude"], row["location_precision"]) == ("51.5074", "-0.1278", "exact")
    (feature,) = _features(exports.events_geojson())
    assert feature["geometry"] == {"type": "Point", "coordinates": [-0.1278, 51.5074]}
    assert (feature["properties"]["latitude"], feature["properties"]["longitude"]) == (51.5074, -0.1278)
    (record,) = _jsonl(exports.events_jsonl())
    assert record["coordinates"] == {"latitude": 51.5074, "longitude": -0.1278}
    assert record["coordinates_from_region"] is False


def test_small_coordinates_are_plain_decimals(tmp_path: Path) -> None:
    (row,) = _csv_rows(_exports(tmp_path, synthetic_event(coordinates=[0.00001, -0.0000025])).events_csv())
    assert (row["latitude"], row["longitude"]) == ("0.00001", "-0.0000025")


def test_an_event_without_coordinates_of_its_own_takes_its_regions(tmp_path: Path) -> None:
    exports = _exports(tmp_path, synthetic_event(region="kyiv-darnytskyi"))
    (row,) = _csv_rows(exports.events_csv())
    assert (row["latitude"], row["longitude"], row["location_precision"]) == ("50.4", "30.64", "district")
    (record,) = _jsonl(exports.events_jsonl())
    assert record["coordinates_from_region"] is True


def test_a_place_without_coordinates_has_null_geometry_and_empty_cells(tmp_path: Path) -> None:
    site = SiteDir(tmp_path / "site")
    site.write("_vocabulary/regions.yml", "nowhere: {name: Nowhere in particular}\n")
    site.article("2025/10/report.md", synthetic_article(1, events=[synthetic_event(region="nowhere")]))
    exports = Exports(load_archive(site.articles), _article_url)
    (row,) = _csv_rows(exports.events_csv())
    assert (row["latitude"], row["longitude"], row["location_precision"]) == ("", "", "")
    assert (row["admin1_name"], row["country_iso"]) == ("", "")
    (feature,) = _features(exports.events_geojson())
    assert feature["geometry"] is None
    assert feature["properties"]["latitude"] is None


# ---- Formula injection -------------------------------------------------------------------------

HOSTILE = '=HYPERLINK("http://x","click")'


def test_text_that_a_spreadsheet_would_run_is_written_as_text(tmp_path: Path) -> None:
    event = synthetic_event(
        location=HOSTILE,
        notes="+1 more reported later",
        damage=["-shaped crater", "roof"],
        coordinates=[51.5, -0.12],
        killed=2,
        sources=[1],
    )
    sources = [{"title": "@SUM(A1:A9)", "publisher": "=cmd|' /C calc'!A0", "url": "https://one.invalid/"}]
    exports = _exports(tmp_path, event, sources=sources)
    (row,) = _csv_rows(exports.events_csv())
    assert row["location"] == "'" + HOSTILE
    assert row["notes"] == "'+1 more reported later"
    assert row["damage"] == "'-shaped crater; roof"
    # Numbers are never touched: a negative longitude stays a number.
    assert (row["longitude"], row["killed_low"]) == ("-0.12", "2")
    (source,) = _csv_rows(exports.sources_csv())
    assert (source["title"], source["publisher"]) == ("'@SUM(A1:A9)", "'=cmd|' /C calc'!A0")
    # JSON is not opened by spreadsheets: its text is the editor's, as written.
    (feature,) = _features(exports.events_geojson())
    assert feature["properties"]["location"] == HOSTILE
    (record,) = _jsonl(exports.events_jsonl())
    assert record["location"] == HOSTILE
    assert record["sources"][0]["title"] == "@SUM(A1:A9)"


def test_text_with_commas_quotes_and_line_breaks_reads_back_whole(tmp_path: Path) -> None:
    notes = 'First line, with "quotes";\nsecond line'
    (row,) = _csv_rows(
        _exports(tmp_path, synthetic_event(notes=notes, location="Ки́їв, «центр»")).events_csv()
    )
    assert (row["notes"], row["location"]) == (notes, "Ки́їв, «центр»")


# ---- event_actors.csv and sources.csv ----------------------------------------------------------


def test_one_actor_row_per_event_actor_and_role(tmp_path: Path) -> None:
    events = [
        synthetic_event(
            id="a", perpetrators=["russian-aerospace-forces"], targeted=["civilians-ukraine"], killed=2
        ),
        synthetic_event(id="b", perpetrators=[]),  # names no actor: no row
    ]
    exports = _exports(tmp_path, *events)
    data = exports.event_actors_csv()
    assert data.split(b"\r\n", 1)[0].decode() == ",".join(EVENT_ACTOR_COLUMNS)
    rows = _csv_rows(data)
    assert [(r["event_id"], r["role"], r["actor"], r["actor_name"]) for r in rows] == [
        ("a", "perpetrator", "russian-aerospace-forces", "Russian Aerospace Forces"),
        ("a", "targeted", "civilians-ukraine", "Civilians (Ukraine)"),
    ]
    assert rows[0]["parent_actor_name"] == "Military Forces of Russia"
    assert rows[0]["actor_kind"] == "state forces"
    assert rows[1]["parent_actor_name"] == ""
    assert {(r["killed_low"], r["event_type"], r["region"], r["country_iso"]) for r in rows} == {
        ("2", "air-drone-strike", "kyiv", "UA")
    }


def test_sources_numbered_as_the_article_lists_them_with_the_events_citing_them(tmp_path: Path) -> None:
    sources = [
        {"title": "First", "url": "https://one.invalid/", "publisher": "Wire", "published": "2025-10-22"},
        {"title": "Second", "archived_url": "https://archive.invalid/x", "sha256": "ab" * 32},
        {"title": "Never cited"},
    ]
    events = [
        synthetic_event(id="a", sources=[1, 2, 1]),  # a source cited twice is one source
        synthetic_event(id="b", sources=[2, {"title": "Inline, in no list"}]),
    ]
    exports = _exports(tmp_path, *events, sources=sources)
    data = exports.sources_csv()
    assert data.split(b"\r\n", 1)[0].decode() == ",".join(SOURCE_COLUMNS)
    rows = _csv_rows(data)
    assert [(r["source_number"], r["title"], r["cited_by"]) for r in rows] == [
        ("1", "First", "a"),
        ("2", "Second", "a; b"),
        ("3", "Never cited", ""),
    ]
    assert (rows[0]["url"], rows[0]["publisher"], rows[0]["published"]) == (
        "https://one.invalid/",
        "Wire",
        "2025-10-22",
    )
    assert (rows[1]["archived_url"], rows[1]["sha256"]) == ("https://archive.invalid/x", "ab" * 32)
    assert {r["article_url"] for r in rows} == {f"{SITE}articles/2025/10/report/"}
    assert [row["source_count"] for row in _csv_rows(exports.events_csv())] == ["2", "2"]
    (first, second) = _jsonl(exports.events_jsonl())
    assert [s["number"] for s in first["sources"]] == [1, 2]
    assert [(s["number"], s["title"]) for s in second["sources"]] == [
        (2, "Second"),
        (None, "Inline, in no list"),
    ]


# ---- events.jsonl ------------------------------------------------------------------------------


def test_jsonl_is_one_nested_event_per_line_with_its_article(tmp_path: Path) -> None:
    event = synthetic_event(id="strike", weapons=["drone"], targeted=["civilians-ukraine"], damage=["car"])
    exports = _exports(tmp_path, event)
    data = exports.events_jsonl()
    (record,) = _jsonl(data)
    assert data.decode().count("\n") == 1
    assert record["url"] == f"{SITE}articles/2025/10/report/#event-strike"
    assert record["article"] == {
        "path": "2025/10/report.md",
        "url": f"{SITE}articles/2025/10/report/",
        "title": "Synthetic report 000001",
        "last_changed": "2025-10-23",
    }
    assert record["perpetrators"] == [{"key": "russian-armed-forces", "name": "Military Forces of Russia"}]
    assert record["weapons"] == [{"key": "drone", "name": "Uncrewed aerial vehicle"}]
    assert record["damage"] == ["car"]
    assert list(record) == sorted(record)  # sorted keys: a snapshot diffs line by line


# ---- Subsets for term pages --------------------------------------------------------------------


def _three_events(tmp_path: Path) -> tuple[Exports, Archive]:
    site = SiteDir(tmp_path / "site")
    site.article("2025/10/b.md", synthetic_article(2, events=[synthetic_event(id="late", date="2025-10-20")]))
    site.article(
        "2025/10/a.md",
        synthetic_article(
            1,
            events=[
                synthetic_event(id="early", date="2025-10-01", region="bucha"),
                synthetic_event(id="middle", date="2025-10-10", region="kyiv"),
            ],
        ),
    )
    archive = load_archive(site.articles)
    return Exports(archive, _article_url), archive


def test_a_subset_has_the_same_lines_in_the_archives_order_each_once(tmp_path: Path) -> None:
    exports, archive = _three_events(tmp_path)
    by_id = {event.id: event for event in archive.events}
    whole = exports.events_csv().split(b"\r\n")
    assert [row["event_id"] for row in _csv_rows(exports.events_csv())] == ["early", "middle", "late"]
    newest_first = [by_id["late"], by_id["early"], by_id["late"]]  # as a listing might hand them over
    subset = exports.events_csv(newest_first)
    assert subset.split(b"\r\n") == [whole[0], whole[1], whole[3], b""]
    features = _features(exports.events_geojson(newest_first))
    assert [feature["id"] for feature in features] == ["early", "late"]
    assert features[0]["properties"]["event_url"] == f"{SITE}articles/2025/10/a/#event-early"


def test_an_empty_subset_is_a_header_and_an_empty_collection(tmp_path: Path) -> None:
    exports, _ = _three_events(tmp_path)
    assert _csv_rows(exports.events_csv([])) == []
    assert exports.events_csv([]) == ",".join(EVENT_COLUMNS).encode() + b"\r\n"
    assert _features(exports.events_geojson([])) == []


# ---- The data package --------------------------------------------------------------------------


def test_the_data_package_says_where_when_and_under_what_licence(tmp_path: Path) -> None:
    exports, _ = _three_events(tmp_path)
    files = exports.files()
    assert tuple(files) == FILE_NAMES
    package = json.loads(_write_package(tmp_path / "data", files).read_bytes())
    assert package["profile"] == "data-package"
    assert package["created"] == "2025-10-23T00:00:00Z"
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    assert [r["path"] for r in package["resources"]] == list(FILE_NAMES)
    events = package["resources"][0]
    assert events["schema"]["primaryKey"] == ["event_id"]
    assert [field["name"] for field in events["schema"]["fields"]] == list(EVENT_COLUMNS)
    assert events["schema"]["missingValues"] == [""]
    fields = {field["name"]: field for field in events["schema"]["fields"]}
    assert fields["killed_reported"]["trueValues"] == ["true"]
    assert fields["killed_reported"]["falseValues"] == ["false"]
    actors = package["resources"][1]
    assert actors["schema"]["primaryKey"] == ["event_id", "role", "actor"]
    assert actors["schema"]["foreignKeys"] == [
        {"fields": ["event_id"], "reference": {"resource": "events", "fields": ["event_id"]}}
    ]
    assert package["resources"][2]["schema"]["primaryKey"] == ["article_path", "source_number"]
    types = {name: field["type"] for name, field in fields.items()}
    assert (types["latitude"], types["killed_low"], types["killed_reported"], types["date_start"]) == (
        "number",
        "integer",
        "boolean",
        "date",
    )


def test_created_comes_from_the_caller_never_the_clock() -> None:
    files = {"events.jsonl": b""}
    common: dict[str, Any] = {"name": "x", "title": "X", "version": "1", "licence": None}
    moment = dt.datetime(2025, 10, 23, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))
    assert json.loads(data_package(files, created=moment, **common))["created"] == "2025-10-23T09:30:00Z"
    assert json.loads(data_package(files, created="2025-10-23T00:00:00Z", **common))["created"] == (
        "2025-10-23T00:00:00Z"
    )
    with pytest.raises(ValueError, match="time zone"):
        data_package(files, created=dt.datetime(2025, 10, 23), **common)
    with pytest.raises(ValueError, match=r"no description for notes\.txt"):
        data_package({"notes.txt": b""}, created=dt.date(2025, 1, 1), **common)


def test_frictionless_finds_a_changed_file(tmp_path: Path) -> None:
    exports, _ = _three_events(tmp_path)
    package = _write_package(tmp_path / "data", exports.files())
    assert frictionless.validate(str(package)).valid
    events = tmp_path / "data" / "events.geojson"
    events.write_bytes(events.read_bytes().replace(b"early", b"EARLY"))
    report = frictionless.validate(str(package))
    assert not report.valid
    assert {error.type for task in report.tasks for error in task.errors} == {"hash-count"}


def test_frictionless_checks_that_every_actor_row_names_a_listed_event(tmp_path: Path) -> None:
    exports, archive = _three_events(tmp_path)
    files = exports.files()
    files["events.csv"] = exports.events_csv([e for e in archive.events if e.id != "middle"])
    report = frictionless.validate(str(_write_package(tmp_path / "data", files)))
    assert not report.valid
    assert {error.type for task in report.tasks for error in task.errors} == {"foreign-key"}


# ---- The demonstration archive -----------------------------------------------------------------


@pytest.fixture(scope="module")
def demo() -> tuple[Archive, Exports, dict[str, bytes]]:
    archive = load_archive(REPO / "articles")
    exports = Exports(archive, _article_url)
    return archive, exports, exports.files()


def test_the_demo_data_package_is_valid(
    tmp_path: Path, demo: tuple[Archive, Exports, dict[str, bytes]]
) -> None:
    archive, _, files = demo
    package = _write_package(tmp_path / "data", files, created=_newest(archive))
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert len(report.tasks) == len(FILE_NAMES)


def test_frictionless_reads_the_demo_events_with_their_types(
    tmp_path: Path, demo: tuple[Archive, Exports, dict[str, bytes]]
) -> None:
    archive, _, files = demo
    package = frictionless.Package(str(_write_package(tmp_path / "data", files)))
    rows = _table(package, "events").read_rows()
    assert [row["event_id"] for row in rows] == [event.id for event in archive.events]
    for row, event in zip(rows, archive.events, strict=True):
        assert row["date_start"] == event.start
        assert row["last_changed"] == archive.by_path[event.article_path].last_changed
        assert row["killed_reported"] is (event.killed is not None)
        assert row["killed_low"] == (None if event.killed is None else event.killed.low)
        assert row["killed_high"] == (None if event.killed is None else event.killed.high)
        assert type(row["source_count"]) is int
        assert row["source_count"] == len(set(event.sources))
        if event.coordinates is not None:
            assert isinstance(row["latitude"], Decimal)
            assert (float(row["latitude"]), float(row["longitude"])) == event.coordinates
    unreported = [row for row in rows if not row["injured_reported"]]
    assert unreported
    assert all(row["injured_low"] is None and row["injured_best"] is None for row in unreported)
    actors = _table(package, "event-actors").read_rows()
    assert {row["role"] for row in actors} == {"perpetrator", "targeted"}


def test_the_demo_geojson_puts_kyiv_at_kyiv(demo: tuple[Archive, Exports, dict[str, bytes]]) -> None:
    archive, _, files = demo
    features = _features(files["events.geojson"])
    assert [feature["id"] for feature in features] == [event.id for event in archive.events]
    for feature in features:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180
        assert -90 <= latitude <= 90
    in_kyiv = [f for f in features if f["properties"]["region"] == "kyiv"]
    assert in_kyiv
    for feature in in_kyiv:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert abs(longitude - 30.5) < 0.3
        assert abs(latitude - 50.45) < 0.2


def test_the_demo_csv_and_jsonl_read_back_whole(demo: tuple[Archive, Exports, dict[str, bytes]]) -> None:
    archive, _, files = demo
    rows = _csv_rows(files["events.csv"])
    records = _jsonl(files["events.jsonl"])
    ids = [event.id for event in archive.events]
    assert [row["event_id"] for row in rows] == [record["id"] for record in records] == ids
    for row, record in zip(rows, records, strict=True):
        assert row["region"] == record["region"]
        assert row["killed_low"] == ("" if record["killed"] is None else str(record["killed"]["low"]))
    cited = {event_id for row in _csv_rows(files["sources.csv"]) for event_id in row["cited_by"].split("; ")}
    assert cited - {""} <= set(ids)


def test_a_demo_subset_in_any_order_comes_out_in_the_archives_order(
    demo: tuple[Archive, Exports, dict[str, bytes]],
) -> None:
    archive, exports, _ = demo
    first = archive.events[0]
    for later in archive.events[1:]:
        rows = _csv_rows(exports.events_csv([later, first]))
        assert [row["event_id"] for row in rows] == [first.id, later.id]


def test_the_files_are_utf8_without_bom_with_their_line_ends(
    demo: tuple[Archive, Exports, dict[str, bytes]],
) -> None:
    _, _, files = demo
    for name, content in files.items():
        assert not content.startswith(b"\xef\xbb\xbf"), name
        content.decode("utf-8")
        if name.endswith(".csv"):
            assert content.endswith(b"\r\n"), name
        else:
            assert content.endswith(b"\n") and b"\r\n" not in content, name


def test_two_exports_of_the_same_archive_are_byte_identical(
    demo: tuple[Archive, Exports, dict[str, bytes]],
) -> None:
    archive, exports, files = demo
    again = Exports(load_archive(REPO / "articles"), _article_url)
    assert again.files() == files
    assert data_package(files, name="d", title="D", version="1", created=_newest(archive), licence=None) == (
        data_package(again.files(), name="d", title="D", version="1", created=_newest(archive), licence=None)
    )
    subset = archive.events[::3]
    assert again.events_csv(subset) == exports.events_csv(list(reversed(subset)))
    assert again.events_geojson(subset) == exports.events_geojson(list(reversed(subset)))
