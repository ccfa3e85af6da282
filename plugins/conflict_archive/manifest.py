"""`manifest.json`: what a snapshot of the archive contains, verifiable file by file.

- the **snapshot**: its name, commit, date and content hash (`snapshot.py`);
- every **source**: each article's path, the SHA-256 of its bytes, its URL in the site and
  its event ids, and each vocabulary file's hash;
- every **output file** of the site (the manifest itself aside) with its SHA-256 and size.

Anyone holding a copy of the site can check it offline (`conflict-archive verify`), and anyone
holding a checkout can check that each page came from the file it names and that no article
went missing (the counts equal the article files). One entry per line in the long lists, so
that a diff between two snapshots' manifests reads file by file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import __version__
from .archive import Archive
from .integrity import MANIFEST, FileEntry, file_entries
from .model import Article
from .publication import Publication
from .snapshot import Snapshot

FORMAT = 2  # 1: sources only; 2: the snapshot, vocabularies and every output file


def build_manifest(
    archive: Archive,
    url_of: Callable[[Article], str],
    *,
    snapshot: Snapshot,
    publication: Publication,
    articles_dir: str,
    vocabularies: Sequence[tuple[str, str]],
    files: Sequence[FileEntry],
) -> str:
    """The manifest's text. `articles_dir`: the articles folder as sources name it;
    `vocabularies`: (name, sha256) of each vocabulary file; `files`: the site's files."""
    articles = [
        _article_entry(article, url_of(article))
        for article in sorted((*archive.articles, *archive.retracted), key=lambda a: a.path)
    ]
    manifest = {
        "generator": f"conflict-archive {__version__}",
        "manifest_format": FORMAT,
        "site_name": publication.site_name,
        "site_url": publication.site_url,
        "snapshot": snapshot.as_json(),
        "articles_dir": articles_dir,
        "counts": {
            "article_files": archive.article_files,
            "articles": len(archive.articles),
            "events": sum(len(a.events) for a in archive.articles),
            "retracted": len(archive.retracted),
            "files": len(files),
        },
        "articles": articles,
        "vocabularies": [{"source": source, "sha256": sha256} for source, sha256 in sorted(vocabularies)],
        "files": [
            {"path": entry.path, "sha256": entry.sha256, "bytes": entry.bytes}
            for entry in sorted(files, key=lambda e: e.path)
        ],
    }
    return _dumps(manifest)


def _article_entry(article: Article, url: str) -> dict[str, Any]:
    """A withdrawn article is listed too, with its retraction: its address holds the notice."""
    entry: dict[str, Any] = {
        "source": article.display_path,
        "sha256": article.sha256,
        "url": url,
        "events": [event.id for event in article.events],
    }
    if article.retracted is not None:
        entry["retracted"] = {"date": article.retracted.date.isoformat(), "reason": article.retracted.reason}
    return entry


def write_manifest(site_dir: Path, make: Callable[[Sequence[FileEntry]], str], threads: int = 1) -> Path:
    """Hash every file in `site_dir` and write the manifest `make` gives for them, in place
    at once: a reader never finds half a manifest."""
    text = make(file_entries(site_dir, exclude=frozenset({MANIFEST}), threads=threads))
    target = site_dir / MANIFEST
    partial = site_dir / f".{MANIFEST}.partial"
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return target


def _dumps(manifest: dict[str, Any]) -> str:
    """Indented JSON, but each item of a list on one line."""
    parts = []
    for key in sorted(manifest):
        value = manifest[key]
        if isinstance(value, list) and value:
            items = ",\n".join(
                "    " + json.dumps(item, ensure_ascii=False, sort_keys=True) for item in value
            )
            text = "[\n" + items + "\n  ]"
        else:
            text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2).replace("\n", "\n  ")
        parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"
