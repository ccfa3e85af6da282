"""Where the archive's data files and feeds (`data_files.py`) are written, and kept.

They depend on the archive's front-matter (never a body, withdrawn articles' included), the
vocabularies, where each page is published, the site's publication settings, the snapshot's
commit (which the data package names) and the code. With a cache, they are written
once into a folder named by the key of all that, beside a listing of each file's size and
CRC-32, written last; a build with the same key uses the folder as it stands, so an edit of a
body writes none of them again. A folder whose listing is missing (a build stopped while
writing it) or whose files no longer match it is deleted and written anew, never served.
Without a cache they go into a folder of the build's own, deleted when it ends.

Where they must be written, the build says who writes them: the worker process rendering
fragments, after its fragments (`DataJob`), or the build itself. Either way the generator
copies them into the site from the folder, so none is held in memory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..data_files import data_file_paths, data_files
from ..site import ArchiveSite
from .fingerprints import code_fingerprint, digest, mapping_fingerprint, vocabulary_fingerprint
from .store import Report

FOLDER = "files"  # under the cache
KEPT = 3  # contents whose files are kept
ABANDONED_SECONDS = 3600.0  # a folder still half-written after this was left by a build that stopped
LISTING = "files.json"  # in each key's folder: path -> [size, CRC-32]


def data_key(site: ArchiveSite, page_urls: Mapping[str, str]) -> bytes:
    """Everything the files are made from; `page_urls` is every archive page's URL by src_uri."""
    archive = site.archive
    identities = tuple(
        (a.path, a.front_matter_sha256 or a.sha256) for a in (*archive.articles, *archive.retracted)
    )
    options = site.options
    return digest(
        code_fingerprint(),
        vocabulary_fingerprint(site.archive.vocabularies),
        mapping_fingerprint(page_urls),
        repr(options.publication),
        repr(options.revision),
        options.term_data,
        identities,
    )


@dataclass(frozen=True)
class DataJob:
    """Write the files into `folder` (whole, or not at all), pages' URLs by src_uri."""

    folder: Path
    page_urls: dict[str, str]


def write_data_files(job: DataJob, site: ArchiveSite) -> None:
    """Into a folder beside `job.folder`, renamed to it once its listing is written: a reader
    sees the whole folder or none. One file at a time is held."""
    job.folder.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix="partial-", dir=job.folder.parent))
    listing: dict[str, list[int]] = {}
    for uri, content in data_files(site, job.page_urls.__getitem__, site.options.publication):
        path = partial / uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        listing[uri] = [len(content), zlib.crc32(content)]
        del content  # before the next is made: a country's files are most of the archive
    (partial / LISTING).write_text(json.dumps(listing, sort_keys=True), encoding="utf-8")
    if (job.folder / LISTING).is_file():  # another build of the same content finished first
        shutil.rmtree(partial, ignore_errors=True)
        return
    shutil.rmtree(job.folder, ignore_errors=True)  # what is there is incomplete or damaged
    try:
        partial.replace(job.folder)
    except OSError:
        # Another build of the same content (`mkdocs serve` beside `mkdocs build`) put its
        # folder there first: the same files, whole, since a listing is written last.
        shutil.rmtree(partial, ignore_errors=True)
        if not (job.folder / LISTING).is_file():
            raise


class DataOutput:
    """The files of one build: `cache_root` is the cache's folder, or None for none."""

    def __init__(self, cache_root: Path | None, report: Report) -> None:
        self.report = report
        self.root = None if cache_root is None else cache_root / FOLDER
        self.job: DataJob | None = None  # what is still to be written, if anything
        self.folder: Path | None = None
        self._own: Path | None = None  # a folder of this build's alone, deleted at the end

    def plan(self, site: ArchiveSite, page_urls: Mapping[str, str]) -> dict[str, Path]:
        """Where every file will be, by its path in the site; `job` says if they must be written."""
        if self.root is None:
            folder = self._own = Path(tempfile.mkdtemp(prefix="conflict-archive-files-")) / "files"
        else:
            folder = self.root / data_key(site, page_urls).hex()
        self.folder = folder
        paths = data_file_paths(site, site.options.publication)
        kept = self._kept(folder)
        if kept is None or sorted(kept) != sorted(paths):
            self.job = DataJob(folder, dict(page_urls))
        else:
            os.utime(folder)  # used: kept by `close` over folders used longer ago
        return {uri: folder / uri for uri in paths}

    def write(self, site: ArchiveSite) -> None:
        """Write what is still to be written, here."""
        if self.job is not None:
            write_data_files(self.job, site)
            self.job = None

    def written_elsewhere(self) -> bool:
        """After a worker was given `job`: whether it left a complete folder (else `write`)."""
        if self.job is not None and (self.job.folder / LISTING).is_file():
            self.job = None
        return self.job is None

    def _kept(self, folder: Path) -> list[str] | None:
        """The files of a complete, intact folder; None if there is none. A damaged one is
        deleted here, so that its listing is never taken for another build's work."""
        try:
            listing = json.loads((folder / LISTING).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None  # never finished, or never started: written anew, whole
        except (OSError, ValueError) as error:
            self._damaged(folder, error)
            return None
        try:
            for uri, (size, crc) in listing.items():
                content = (folder / uri).read_bytes()
                if len(content) != size or zlib.crc32(content) != crc:
                    raise ValueError(f"{uri} changed")
        except (OSError, ValueError, TypeError) as error:
            self._damaged(folder, error)
            return None
        return list(listing)

    def _damaged(self, folder: Path, error: Exception) -> None:
        self.report(f"the cache's data files in {folder} are damaged ({error}); writing them again")
        shutil.rmtree(folder, ignore_errors=True)

    def close(self, succeeded: bool) -> None:
        """Drop a folder of this build's own. In the cache, keep the folders of the last
        `KEPT` contents used (`mkdocs serve`, whose `site_url` differs, and `mkdocs build`
        may share a cache, even run at once) and drop folders left half-written long ago."""
        if self._own is not None:
            shutil.rmtree(self._own.parent, ignore_errors=True)
            return
        if not succeeded or self.root is None or not self.root.is_dir():
            return
        folders = [f for f in self.root.iterdir() if f.is_dir()]
        complete = sorted(
            (f for f in folders if not f.name.startswith("partial-")),
            key=lambda f: (f == self.folder, f.stat().st_mtime),
            reverse=True,
        )
        stale = time.time() - ABANDONED_SECONDS
        abandoned = [f for f in folders if f.name.startswith("partial-") and f.stat().st_mtime < stale]
        for folder in complete[KEPT:] + abandoned:
            shutil.rmtree(folder, ignore_errors=True)
