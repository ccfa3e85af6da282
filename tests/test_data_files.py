"""The demonstration archive's data files, read by the clients researchers use (frictionless,
the `csv` module, the geojson package, extruct), and checked against the pages, the feeds and
`manifest.json`: zero disagreements."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import extruct
import frictionless
import geojson
import pandas
import pytest

from conflict_archive.archive import load_archive
from conflict_archive.data_files import data_file_paths, data_files
from conflict_archive.exports import EVENT_ACTOR_COLUMNS, EVENT_COLUMNS, SOURCE_COLUMNS
from conflict_archive.exports_columns import RETRACTION_COLUMNS
from conflict_archive.publication import Publication
from conflict_archive.site import ArchiveSite, SiteOptions
from conftest import REPO, SiteDir, synthetic_article, synthetic_event
from htmlcheck import ROW_REPORT_LINK, all_pages_of, soup

SITE_URL = "https://conflict-archive.example.org/"
TAXONOMIES = ("regions", "actors", "event-types", "weapons", "tags")


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _box_figures(page: Path) -> dict[str, dict[str, tuple[str, str, str] | None]]:
    """Each summary box's killed and injured as the page states them for machines."""
    boxes = {}
    for box in soup(page).select("aside.ca-event"):
        figures: dict[str, tuple[str, str, str] | None] = {}
        for field in ("killed", "injured"):
            span = box.select_one(f'dd[data-field="{field}"] .ca-figure')
            figures[field] = (
                None
                if span is None
                else (str(span["data-low"]), str(span.get("data-best", "")), str(span.get("data-high", "")))
            )
        boxes[str(box["data-event-id"])] = figures
    return boxes


def _page_of(site: Path, url: str) -> Path:
    return site / unquote(urlsplit(url).path).lstrip("/") / "index.html"


def test_the_data_package_is_valid_with_its_hashes_and_keys(demo_site: Path) -> None:
    report = frictionless.validate(str(demo_site / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    package = json.loads((demo_site / "data" / "datapackage.json").read_bytes())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["path"] for r in package["resources"]] == [
        "events.csv",
        "event_actors.csv",
        "sources.csv",
        "retractions.csv",
        "events.geojson",
        "events.jsonl",
    ]


def test_typed_rows_keep_not_reported_as_missing(demo_site: Path) -> None:
    package = frictionless.Package(str(demo_site / "data" / "datapackage.json"))
    rows = package.get_resource("events").read_rows()
    by_id = {row["event_id"]: row for row in rows}
    assert len(by_id) == 52
    unreported = [r for r in rows if r["injured_reported"] is False]
    assert unreported and all(r["injured_low"] is None and r["injured_high"] is None for r in unreported)
    assert all(isinstance(r["killed_low"], int) for r in rows if r["killed_reported"])
    assert {type(r["date_start"]).__name__ for r in rows} == {"date"}


def test_every_event_agrees_with_its_summary_box_and_the_manifest(demo_site: Path) -> None:
    rows = _rows(demo_site / "data" / "events.csv")
    manifest = json.loads((demo_site / "manifest.json").read_bytes())
    assert sorted(r["event_id"] for r in rows) == sorted(e for a in manifest["articles"] for e in a["events"])
    urls = {a["source"].removeprefix("articles/"): SITE_URL + a["url"] for a in manifest["articles"]}
    boxes: dict[str, dict[str, dict[str, tuple[str, str, str] | None]]] = {}
    for row in rows:
        assert row["article_url"] == urls[row["article_path"]]
        page = _page_of(demo_site, row["article_url"])
        boxes.setdefault(row["article_url"], _box_figures(page))
        shown = boxes[row["article_url"]][row["event_id"]]
        for field in ("killed", "injured"):
            figure = shown[field]
            if figure is None:
                assert row[f"{field}_reported"] == "false"
                assert row[f"{field}_low"] == row[f"{field}_best"] == row[f"{field}_high"] == ""
            else:
                assert row[f"{field}_reported"] == "true"
                assert (row[f"{field}_low"], row[f"{field}_best"], row[f"{field}_high"]) == figure, row[
                    "event_id"
                ]
    assert sum(len(b) for b in boxes.values()) == len(rows)


def test_every_term_file_lists_exactly_what_its_page_lists(demo_site: Path) -> None:
    manifest = json.loads((demo_site / "manifest.json").read_bytes())
    events_of = {a["url"]: a["events"] for a in manifest["articles"]}
    checked = 0
    for taxonomy in TAXONOMIES:
        for folder in sorted(p for p in (demo_site / taxonomy).iterdir() if (p / "events.csv").is_file()):
            pages = all_pages_of(folder / "index.html")
            if taxonomy == "tags":  # a tag lists articles, and its files their events
                links = [a["href"] for page in pages for a in soup(page).select(".ca-articles a")]
                listed = {e for href in links for e in events_of[_site_path(demo_site, folder, str(href))]}
            else:
                links = [str(a["href"]) for page in pages for a in soup(page).select(ROW_REPORT_LINK)]
                listed = {href.partition("#event-")[2] for href in links}
            in_csv = [r["event_id"] for r in _rows(folder / "events.csv")]
            assert len(in_csv) == len(set(in_csv)) and set(in_csv) == listed, folder
            collection = geojson.loads((folder / "events.geojson").read_text(encoding="utf-8"))
            assert collection.is_valid, folder
            assert [f["id"] for f in collection["features"]] == in_csv
            checked += 1
    assert checked > 50


def _site_path(site: Path, folder: Path, href: str) -> str:
    """A link on a term page, as the manifest names pages (from the site root)."""
    base = "/" + folder.relative_to(site).as_posix() + "/"
    return urljoin(base, href).lstrip("/")


def test_coordinates_are_longitude_then_latitude(demo_site: Path) -> None:
    collection = geojson.loads((demo_site / "data" / "events.geojson").read_text(encoding="utf-8"))
    assert collection.is_valid
    points = [f for f in collection["features"] if f["geometry"] is not None]
    assert points
    for feature in points:
        longitude, latitude = feature["geometry"]["coordinates"]
        assert -180 <= longitude <= 180 and -90 <= latitude <= 90
        assert 22 <= longitude <= 41 and 44 <= latitude <= 53, "Ukraine"
        assert feature["properties"]["latitude"] == latitude
    kyiv = [f for f in points if f["properties"]["region"] == "kyiv"]
    assert kyiv and all(abs(f["geometry"]["coordinates"][0] - 30.52) < 0.3 for f in kyiv)
    assert all(abs(f["geometry"]["coordinates"][1] - 50.45) < 0.3 for f in kyiv)


def test_each_line_of_the_jsonl_is_one_event_with_its_sources(demo_site: Path) -> None:
    lines = (demo_site / "data" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in lines]
    assert len(events) == 52 and all(e["sources"] for e in events)
    for event in events:
        page = _page_of(demo_site, event["url"])
        anchor = urlsplit(event["url"]).fragment
        assert soup(page).find(id=anchor) is not None, event["url"]


def test_article_pages_carry_citation_metadata_that_extruct_reads(demo_site: Path) -> None:
    manifest = json.loads((demo_site / "manifest.json").read_bytes())
    for entry in manifest["articles"]:
        page = demo_site / entry["url"] / "index.html"
        html = page.read_text(encoding="utf-8")
        data = extruct.extract(html, base_url=SITE_URL + entry["url"], syntaxes=["json-ld"])
        (report,) = [item for item in data["json-ld"] if item.get("@type") == "Report"]
        assert report["url"] == SITE_URL + entry["url"]
        assert report["identifier"]["value"] == entry["sha256"]
        assert [e["@id"].rpartition("#event-")[2] for e in report.get("about", [])] == entry["events"]
        meta = {str(m["name"]): str(m["content"]) for m in soup(page).select('head meta[name^="citation_"]')}
        assert meta["citation_public_url"] == SITE_URL + entry["url"]
        assert meta["citation_title"] == report["headline"]
        cite = soup(page).select_one("section.ca-cite")
        assert cite is not None and entry["sha256"] in cite.get_text()


def test_a_formula_typed_by_an_editor_stays_text_in_the_built_csv(site_dir: SiteDir) -> None:
    site_dir.article(
        "2025/10/formula.md",
        synthetic_article(
            1,
            events=[
                synthetic_event(
                    location='=HYPERLINK("https://evil.invalid","click")',
                    notes="@SUM(1+1)",
                    coordinates=[50.45, -0.5],
                    killed=3,
                )
            ],
        ),
    )
    site_dir.build()
    (row,) = _rows(site_dir.site / "data" / "events.csv")
    assert row["location"] == '\'=HYPERLINK("https://evil.invalid","click")'
    assert row["notes"] == "'@SUM(1+1)"
    assert row["longitude"] == "-0.5" and row["killed_low"] == "3"
    (feature,) = json.loads((site_dir.site / "data" / "events.geojson").read_bytes())["features"]
    assert feature["properties"]["location"].startswith("=HYPERLINK"), "JSON keeps the text as written"


@pytest.mark.parametrize("term_data", [True, False])
def test_term_files_can_be_turned_off(site_dir: SiteDir, term_data: bool) -> None:
    site_dir.article("2025/10/a.md", synthetic_article(1, events=[synthetic_event()]))
    site_dir.configure(term_data=term_data)
    site_dir.build()
    assert (site_dir.site / "regions" / "kyiv" / "events.csv").is_file() is term_data
    assert (site_dir.site / "data" / "events.csv").is_file()
    links = [str(a["href"]) for a in site_dir.html("regions/kyiv/").select(".ca-downloads a")]
    assert any(href.endswith("kyiv/events.csv") for href in links) is term_data


def test_the_data_page_documents_every_column_in_order() -> None:
    text = (REPO / "docs" / "data.md").read_text(encoding="utf-8")
    for title, columns in (
        ("events.csv", EVENT_COLUMNS),
        ("event_actors.csv", EVENT_ACTOR_COLUMNS),
        ("sources.csv", SOURCE_COLUMNS),
        ("retractions.csv", RETRACTION_COLUMNS),
    ):
        table = text.split(f"### `{title}`", 1)[1].split("###", 1)[0]
        documented = [line.split("`")[1] for line in table.splitlines() if line.startswith("| `")]
        assert documented == list(columns), title


@pytest.mark.parametrize(("site_url", "term_data"), [("https://x.invalid/", True), (None, False)])
def test_the_paths_known_in_advance_are_those_written(
    site_dir: SiteDir, site_url: str | None, term_data: bool
) -> None:
    for n, region in enumerate(["kyiv", "odesa", "kharkiv"], start=1):
        front = synthetic_article(n, tags=["t"], events=[synthetic_event(region=region)])
        site_dir.article(f"2025/10/r{n}.md", front)
    site = ArchiveSite(load_archive(site_dir.articles), SiteOptions(term_data=term_data))
    publication = Publication(site_url=site_url)
    written = [uri for uri, _ in data_files(site, lambda uri: uri, publication)]
    assert data_file_paths(site, publication) == written
    assert any(uri.endswith("feed.xml") for uri in written) is (site_url is not None)


def test_pandas_reads_events_with_the_types_the_package_declares(demo_site: Path) -> None:
    """The researcher's five lines, typed by nothing but datapackage.json."""
    package = json.loads((demo_site / "data" / "datapackage.json").read_bytes())
    events = next(r for r in package["resources"] if r["path"] == "events.csv")
    schema = events["schema"]
    dtypes = {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}
    fields = schema["fields"]
    frame = pandas.read_csv(
        demo_site / "data" / "events.csv",
        keep_default_na=False,
        na_values=schema["missingValues"],
        true_values=["true"],
        false_values=["false"],
        dtype={f["name"]: dtypes[f["type"]] for f in fields if f["type"] in dtypes},
        parse_dates=[f["name"] for f in fields if f["type"] == "date"],
    )
    assert len(frame) == 52
    assert str(frame["killed_low"].dtype) == "Int64" and str(frame["injured_high"].dtype) == "Int64"
    assert str(frame["date_start"].dtype).startswith("datetime64")
    assert str(frame["killed_reported"].dtype) == "boolean"
    unreported = frame[~frame["injured_reported"]]
    assert len(unreported) > 0 and unreported["injured_low"].isna().all(), "not reported is missing, not 0"
    # The floor of the archive's toll, as the country's page states it.
    totals = soup(demo_site / "regions" / "ukraine" / "index.html").select_one('dd[data-total="killed"]')
    assert totals is not None
    stated = int(re.search(r"[\d,]+", totals.get_text()).group().replace(",", ""))  # type: ignore[union-attr]
    assert int(frame["killed_low"].sum()) == stated
