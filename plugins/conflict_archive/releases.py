"""Release records: what each published release published, so that no later build breaks a link.

`conflict-archive release VERSION` writes `<articles>/_snapshots/<VERSION>.json` from a built
site's `manifest.json`: the URL of every page of the site, and the event ids (the anchors) of
every article. The records live in the repository, beside the articles they describe, and are
never rewritten: a URL that was once published was cited, linked and archived by others.

Every later build reads them all (`read_releases`) and checks that each recorded URL and event
id still resolves (`vanished`): as a page, as a redirect left by an alias, or as the tombstone
of a withdrawn article. One URL or article per line in a record, so that a problem can point
at the line that promised it and a diff between two releases reads URL by URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .labels import count_of
from .problems import Problem
from .snapshot import SHORT

SNAPSHOTS_DIR = "_snapshots"  # inside the articles folder; `_` keeps it out of the articles
FORMAT = 1
VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]*")  # a file name on every system, no path in it
NOT_A_PAGE = frozenset({"404.html"})  # served for every missing URL: no page of its own
INDEX = "index.html"
KEYS = ("format", "version", "snapshot", "pages", "events")
_json = partial(json.dumps, ensure_ascii=False, sort_keys=True)


class ReleaseError(Exception):
    """A release that cannot be recorded; the message says why and what to do instead."""


@dataclass(frozen=True, eq=False)  # eq=False: the mappings are not hashable; a record is its file
class Release:
    """One release record as read back: what it promised, and the line of each promise."""

    version: str
    display_path: str  # `articles/_snapshots/2025.11.json`, as problems name it
    snapshot_id: str
    date: dt.date  # the snapshot's date: releases are told in this order
    pages: tuple[str, ...]
    events: Mapping[str, tuple[str, ...]]  # article URL -> its event ids
    page_lines: Mapping[str, int]  # URL -> its line in the record
    event_lines: Mapping[str, int]  # article URL -> the line of its events
    # Of the file: a record shapes the site ("What changed", pages for emptied listings), so
    # the snapshot counts it among its sources.
    sha256: str = ""

    def __repr__(self) -> str:
        return f"Release({self.version!r}, {len(self.pages)} pages, {len(self.events)} articles)"


def page_url(output_path: str) -> str | None:
    """The URL of the page a site file is, as records hold it; None for files that are not a
    page. `a/b/index.html` is `a/b/` whether or not the site was built with directory URLs:
    every static server answers both with the same file, so either may have been cited."""
    if not output_path.endswith(".html") or output_path in NOT_A_PAGE:
        return None
    return _without_index(output_path)


def normal_url(url: str) -> str:
    """A URL as MkDocs gives it (`File.url`: percent-encoded, `a/index.html` without directory
    URLs) in the form records hold: decoded, an index page named by its folder."""
    return _without_index(unquote(url) if "%" in url else url)


def _without_index(url: str) -> str:
    if url == INDEX:
        return ""
    return url.removesuffix(INDEX) if url.endswith("/" + INDEX) else url


# Writing a record


def record_path(articles_dir: Path, version: str) -> Path:
    """Where release `version` is recorded; the record repeats the version, and must agree."""
    return articles_dir / SNAPSHOTS_DIR / f"{version}.json"


def write_release(
    articles_dir: Path,
    display_dir: str,
    version: str,
    manifest: Mapping[str, Any],
    *,
    force: bool = False,
    allow_modified: bool = False,
) -> Release:
    """Record what the site of `manifest` publishes as release `version`, and return the record
    as read back. The file appears whole or not at all."""
    if not VERSION.fullmatch(version):
        raise ReleaseError(
            f"{version!r} is not a release version: letters, digits, '.', '_' and '-', starting "
            "with a letter or digit, such as 2025.11"
        )
    target = record_path(articles_dir, version)
    display = f"{display_dir}/{SNAPSHOTS_DIR}/{version}.json"
    if target.exists() and not force:
        raise ReleaseError(
            f"{display}: release {version} is already recorded, and a release does not change; "
            "choose a new version (--force replaces the record)"
        )
    if not articles_dir.is_dir():
        raise ReleaseError(f"{display_dir}: no such folder")
    built_from = manifest.get("articles_dir")
    if built_from != display_dir:
        raise ReleaseError(
            f"the site was built from the articles in {built_from!r}, not {display_dir!r}: "
            "build this site, or give --config for the site that was built"
        )
    text = record_text(version, manifest, allow_modified=allow_modified)
    release, problems = _parse(text, version, display)
    if release is None:  # the manifest said something a record cannot hold; the file is not written
        raise ReleaseError("\n".join(f"cannot record the site: {p}" for p in problems))
    target.parent.mkdir(exist_ok=True)
    partial_file = target.with_name(f".{target.name}.partial")
    partial_file.write_text(text, encoding="utf-8")
    partial_file.replace(target)
    return release


def record_text(version: str, manifest: Mapping[str, Any], *, allow_modified: bool = False) -> str:
    """The record of release `version` from a format-2 manifest: every HTML page of the site
    and every article's event ids, one per line."""
    snapshot = manifest.get("snapshot")
    if not isinstance(snapshot, dict) or not isinstance(snapshot.get("id"), str):
        raise ReleaseError("the manifest names no snapshot: rebuild the site")
    if snapshot.get("modified") and not allow_modified:
        raise ReleaseError(
            f"snapshot {short_id(snapshot)} was built from a working copy with uncommitted changes, "
            "and a release must be a commit: commit the changes, build again, and record that "
            "(--allow-modified records the working copy)"
        )
    files = manifest.get("files")
    if not isinstance(files, list):
        raise ReleaseError("the manifest lists no files: rebuild the site")
    pages = sorted({url for item in files if (url := page_url(str(item["path"]))) is not None})
    events = {}
    for index, article in enumerate(manifest.get("articles") or []):
        url, ids = article.get("url"), article.get("events")
        if not isinstance(url, str) or not isinstance(ids, list):
            raise ReleaseError(f"the manifest's articles[{index}] needs a url and a list of events")
        events[normal_url(url)] = ids
    record = {"id": snapshot["id"], "commit": snapshot.get("commit"), "date": snapshot.get("date")}
    lines = [
        "{",
        f'  "format": {FORMAT},',
        f'  "version": {_json(version)},',
        f'  "snapshot": {_json(record)},',
    ]
    lines += _block("pages", "[]", [_json(url) for url in pages], last=False)
    lines += _block("events", "{}", [f"{_json(url)}: {_json(events[url])}" for url in sorted(events)])
    return "\n".join([*lines, "}", ""])


def _block(key: str, brackets: str, items: list[str], *, last: bool = True) -> list[str]:
    end = "" if last else ","
    if not items:
        return [f'  "{key}": {brackets}{end}']
    body = [f"    {item}," for item in items[:-1]] + [f"    {items[-1]}"]
    return [f'  "{key}": {brackets[0]}', *body, f"  {brackets[1]}{end}"]


def short_id(snapshot: Mapping[str, Any]) -> str:
    """A snapshot's id as footers show it: a commit's 7 characters, a content hash's 12."""
    identifier = str(snapshot.get("id"))
    return identifier[:SHORT] if identifier == snapshot.get("commit") else identifier[:12]


# Reading records


def read_releases(articles_dir: Path, display_dir: str) -> tuple[list[Release], list[Problem]]:
    """Every release recorded in the articles folder, oldest first (by the snapshot's date,
    then by file name), and the problems of the records that cannot be read."""
    folder = articles_dir / SNAPSHOTS_DIR
    if not folder.is_dir():
        return [], []
    releases, problems = [], []
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith(".") or not path.is_file():  # an editor's or a writer's temp file
            continue
        display = f"{display_dir}/{SNAPSHOTS_DIR}/{path.name}"
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.append(Problem(display, 1, "", f"cannot read the release record: {error}"))
            continue
        release, found = _parse(text, path.stem, display)
        problems += found
        if release is not None:
            releases.append(replace(release, sha256=hashlib.sha256(raw).hexdigest()))
    releases.sort(key=lambda r: (r.date, r.display_path))
    return releases, sorted(problems)


def _parse(text: str, version: str, display: str) -> tuple[Release | None, list[Problem]]:
    """The record in `text`, or None and why not. `version`: what its file name says."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [Problem(display, error.lineno, "", f"not JSON: {error.msg}")]
    if not isinstance(data, dict):
        return None, [Problem(display, 1, "", "a release record is a JSON object")]
    lines = _Lines(text)
    problems = []

    def problem(key: str, message: str, line: int | None = None) -> None:
        problems.append(Problem(display, line or lines.key(key), key, message))

    written = data.get("format")
    if written != FORMAT:
        newer = isinstance(written, int) and written > FORMAT
        upgrade = ": a newer conflict-archive wrote it; upgrade to read it" if newer else ""
        problem("format", f"expected {FORMAT}, got {written!r}{upgrade}")
        return None, problems
    if data.get("version") != version:
        problem("version", f"{data.get('version')!r} is not {version!r}, which the file name says")
    snapshot = data.get("snapshot")
    snapshot_id, date = None, None
    if isinstance(snapshot, dict) and isinstance(snapshot.get("id"), str) and snapshot["id"]:
        snapshot_id = snapshot["id"]
        date = _date(snapshot.get("date"))
        if date is None:
            problem("snapshot", f"date: expected a date such as 2025-11-25, got {snapshot.get('date')!r}")
    else:
        problem("snapshot", "expected an object with the snapshot's id, commit and date")
    pages = data.get("pages")
    if not isinstance(pages, list):
        problem("pages", "expected a list of URLs")
        pages = []
    for index, url in enumerate(pages):
        if (complaint := _url_complaint(url)) is not None:
            problem("pages", f"item {index + 1}: {complaint}", lines.item(url))
    events = data.get("events")
    if not isinstance(events, dict):
        problem("events", "expected an object of article URL: [event ids]")
        events = {}
    pages = [url for url in pages if _url_complaint(url) is None]  # the rest reported above
    published = set(pages)
    for url, ids in events.items():
        line = lines.entry(url) or lines.key("events")
        if (complaint := _url_complaint(url)) is not None:
            problem("events", complaint, line)
        elif url not in published:
            problem("events", f"article {url!r} is not among the record's pages", line)
        if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
            problem("events", f"{url!r}: expected a list of event ids", line)
    if problems or snapshot_id is None or date is None:
        return None, problems
    release = Release(
        version=version,
        display_path=display,
        snapshot_id=snapshot_id,
        date=date,
        pages=tuple(pages),
        events={url: tuple(ids) for url, ids in events.items()},
        page_lines={url: lines.item(url) or lines.key("pages") for url in pages},
        event_lines={url: lines.entry(url) or lines.key("events") for url in events},
    )
    return release, []


def _url_complaint(url: object) -> str | None:
    if not isinstance(url, str):
        return f"expected a URL as a string, got {url!r}"
    if url.startswith("/") or "://" in url or "#" in url or "?" in url or "\\" in url:
        return f"{url!r} is not a page's URL from the site root, such as 'articles/2025/10/x/'"
    # A record names pages in the site, never above it: its URLs become files in emptied listings.
    if url and any(part in {"", ".", ".."} for part in url.removesuffix("/").split("/")):
        return f"{url!r} has an empty, '.' or '..' segment; a page's URL is a path down from the site root"
    return None


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class _Lines:
    """Where each item of a record stands. Records are written one URL per line; a line that
    holds nothing but a JSON string is a page, one that holds `"url": [...]` an article's
    events. A record reformatted by hand is still read, its problems shown at the line of
    the key that holds them."""

    def __init__(self, text: str) -> None:
        self._keys: dict[str, int] = {}
        self._items: dict[str, int] = {}
        self._entries: dict[str, int] = {}
        # split("\n"), not splitlines(): a URL may hold U+2028, which is no line to an editor.
        for number, line in enumerate(text.split("\n"), 1):
            stripped = line.strip().removesuffix(",")
            if not stripped.startswith('"'):
                continue
            if key := next((k for k in KEYS if stripped.startswith(f'"{k}":')), None):
                self._keys.setdefault(key, number)
            for value in _line_values(stripped):
                if isinstance(value, str):
                    self._items.setdefault(value, number)
                elif isinstance(value, dict) and len(value) == 1:
                    self._entries.setdefault(next(iter(value)), number)

    def key(self, key: str) -> int:
        return self._keys.get(key, 1)

    def item(self, value: object) -> int | None:
        return self._items.get(value) if isinstance(value, str) else None

    def entry(self, url: str) -> int | None:
        return self._entries.get(url)


def _line_values(stripped: str) -> Iterable[object]:
    """What a line holds if it is a whole JSON string, a whole `"key": value` pair, or the
    opening `"key": [` of a list that the lines after it hold."""
    candidates = [stripped, "{" + stripped + "}"]
    if stripped.endswith("["):
        candidates.append("{" + stripped + "]}")
    for candidate in candidates:
        try:
            yield json.loads(candidate)
        except json.JSONDecodeError:
            continue
        return


# Checking a build against them


def vanished(
    releases: Sequence[Release],
    pages: Collection[str],
    events: Mapping[str, Collection[str]],
    redirects: Mapping[str, str],
) -> list[Problem]:
    """Every recorded URL and event id that the new build would no longer resolve, once each,
    at its line in the oldest record that promised it, sorted by record and line.

    `pages`: every page the build wrote, as records hold them (`page_url` of its path, which
    is no URL and is never percent-decoded), alias redirects and notices included; `events`:
    for each article URL (and each notice's), every event id that resolves on it;
    `redirects`: an alias's URL -> the URL of the article it leads to, whose events it is
    checked against. Those two as MkDocs gives them (`File.url`) or in the records' form."""
    pages_now = set(pages)
    events_now = {normal_url(url): ids for url, ids in events.items()}
    redirects_now = {normal_url(old): normal_url(new) for old, new in redirects.items()}

    def events_of(url: str) -> str | None:
        """Where the events of an article's URL are now: on it, or where its alias leads."""
        return url if url in events_now else redirects_now.get(url)

    gone_pages: dict[str, list[Release]] = {}
    gone_events: dict[tuple[str, str], list[Release]] = {}
    for release in sorted(releases, key=lambda r: (r.date, r.display_path)):
        for url in release.pages:
            if url not in pages_now:
                gone_pages.setdefault(url, []).append(release)
        for url, ids in release.events.items():
            if url not in pages_now:
                continue  # the page itself is reported
            target = events_of(url)
            resolving = events_now.get(target, ()) if target is not None else ()
            for event_id in ids:
                if event_id not in resolving:
                    gone_events.setdefault((url, event_id), []).append(release)
    problems = [
        Problem(found[0].display_path, found[0].page_lines[url], "pages", _page_gone(url, found))
        for url, found in gone_pages.items()
    ]
    problems += [
        Problem(
            found[0].display_path,
            found[0].event_lines[url],
            "events",
            _event_gone(url, event_id, found, events_of(url)),
        )
        for (url, event_id), found in gone_events.items()
    ]
    return sorted(problems)


def _published(found: Sequence[Release]) -> str:
    if len(found) == 1:
        return f"snapshot {found[0].version}"
    return f"snapshots {found[0].version} to {found[-1].version}"


def _page_gone(url: str, found: Sequence[Release]) -> str:
    return (
        f"'{url}' was published in {_published(found)} and would no longer resolve: keep the page, "
        "give the article an alias for its old path, or withdraw it with 'retracted:' "
        "(a tombstone keeps the URL)"
    )


def _event_gone(url: str, event_id: str, found: Sequence[Release], target: str | None) -> str:
    if target is None:
        where = f"is gone: {url} is no longer an article's page"
    elif target != url:
        where = f"is gone from {target}, where it now leads"
    else:
        where = "is gone"
    return (
        f"event '{event_id}' of {url} was published in {_published(found)} and {where}: keep the "
        f"event, or give the event that replaced it 'previous_ids: [{event_id}]'"
    )


def emptied_listings(
    releases: Sequence[Release], pages: Collection[str], roots: Collection[str]
) -> dict[str, str]:
    """Listing pages an earlier release published that this build no longer makes, each with
    the nearest page above it that it still makes: a term whose last article was withdrawn or
    moved leads to its parent's index, a page of a listing that shrank to its first page, a
    month to its year. `roots`: the first folders of the pages the archive lists things on
    (`regions`, `dates`, ...); articles and the site's own pages are never filled in, since
    only an editor can say where they went. `pages` as `vanished` takes them."""
    now = set(pages)
    emptied = {}
    for url in sorted({url for release in releases for url in release.pages} - now):
        parts = url.rstrip("/").split("/")
        if parts[0] not in roots or not url.endswith("/"):
            continue
        for depth in range(len(parts) - 1, -1, -1):
            above = "/".join(parts[:depth]) + "/" if depth else ""
            if above in now:
                emptied[url] = above
                break
    return emptied


def checked(releases: Sequence[Release]) -> str:
    """What a build that `vanished` found nothing in has kept: `3 releases, 4,567 URLs and
    8,901 event ids still resolve`."""
    urls = {url for release in releases for url in release.pages}
    ids = {(url, i) for release in releases for url, event_ids in release.events.items() for i in event_ids}
    kept = f"{count_of(len(urls), 'URL')} and {count_of(len(ids), 'event id')}"
    return f"{count_of(len(releases), 'release')}, {kept} still resolve"
