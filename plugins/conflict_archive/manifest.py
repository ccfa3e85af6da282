"""`manifest.json`: what a snapshot of the archive contains, verifiable file by file.

For every article: its source path, the SHA-256 of its source bytes, its URL in the site and
its event ids. Anyone holding the site and a checkout can check that each page came from the
file it names, and that no article went missing (the counts equal the article files).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from . import __version__
from .archive import Archive
from .model import Article


def build_manifest(archive: Archive, url_of: Callable[[Article], str]) -> str:
    articles = [
        {
            "source": article.display_path,
            "sha256": article.sha256,
            "url": url_of(article),
            "events": [event.id for event in article.events],
        }
        for article in sorted(archive.articles, key=lambda a: a.path)
    ]
    manifest = {
        "generator": f"conflict-archive {__version__}",
        "counts": {
            "article_files": archive.article_files,
            "articles": len(articles),
            "events": sum(len(a["events"]) for a in articles),
        },
        "articles": articles,
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
