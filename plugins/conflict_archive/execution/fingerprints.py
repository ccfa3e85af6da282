"""Digests of what cached results depend on: the code, the vocabularies, templates, URLs.

A cache key is a digest of every input of a result. These are the inputs that are not an
article's own bytes: the plugin's code and templates (so an upgrade or a local edit of the
package never meets results made by other code), the libraries whose output ends up in the
results, the vocabularies, a site's own templates and the URLs the generator gives pages.
"""

from __future__ import annotations

import dataclasses
import hashlib
import posixpath
import sys
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import quote

from .. import __version__
from ..vocabulary import Vocabulary

PACKAGE = Path(__file__).resolve().parent.parent
_CODE_SUFFIXES = {".py", ".html", ".yml", ".css", ".json"}
# Their output is what the cache keeps: parsed articles, rendered and sanitized HTML, feeds.
_LIBRARIES = ("jinja2", "markupsafe", "pydantic", "pydantic-core", "pyyaml", "nh3", "feedgen", "lxml")


def digest(*parts: object) -> bytes:
    """A 16-byte digest of `parts`: text, bytes, numbers, None and tuples of them, whose
    `repr` is the same in every process."""
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=16).digest()


@cache
def code_fingerprint() -> bytes:
    """The package's own files (code, templates, shipped vocabularies, stylesheet) and the
    versions of Python and of the libraries that shape what is cached."""
    files = hashlib.blake2b(digest_size=16)
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            files.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = (__version__, sys.version, *(_version(library) for library in _LIBRARIES))
    return digest(files.digest(), versions)


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def vocabulary_fingerprint(vocabularies: Mapping[str, Vocabulary]) -> bytes:
    """Every term of every taxonomy, field by field."""
    terms = (
        (taxonomy, tuple(dataclasses.astuple(term) for term in vocabulary.values()))
        for taxonomy, vocabulary in sorted(vocabularies.items())
    )
    return digest(tuple(terms))


def folders_fingerprint(folders: Iterable[Path]) -> bytes:
    """The names and bytes of every file under `folders` (a site's template overrides)."""
    content = hashlib.blake2b(digest_size=16)
    for folder in folders:
        content.update(str(folder).encode() + b"\0")
        for path in sorted(folder.rglob("*")) if folder.is_dir() else ():
            if path.is_file():
                content.update(
                    path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0"
                )
    return content.digest()


def mapping_fingerprint(mapping: Mapping[str, str]) -> bytes:
    """A mapping of text to text, in key order."""
    return digest(tuple(sorted(mapping.items())))


def urls_fingerprint(site_urls: Mapping[str, str]) -> object:
    """The URL of every page the archive publishes (src_uri -> URL from the site root), as
    briefly as is exact: when every page follows one of the two usual rules (`x/`, or `x.html`
    without directory URLs), the rule's name, so that adding a page does not change what every
    other page's links are keyed by; otherwise every URL."""
    for style, rule in (("directory URLs", _directory_url), ("file URLs", _file_url)):
        if all(url == rule(uri) for uri, url in site_urls.items()):
            return style
    return mapping_fingerprint(site_urls)


def _directory_url(src_uri: str) -> str:
    """`regions/kyiv/index.md` -> `regions/kyiv/`, `articles/a.md` -> `articles/a/`."""
    parent, name = posixpath.split(src_uri)
    stem = name.removesuffix(".md")
    return quote((parent or ".") + "/" if stem == "index" else posixpath.join(parent, stem) + "/")


def _file_url(src_uri: str) -> str:
    """`regions/kyiv/index.md` -> `regions/kyiv/index.html`, `articles/a.md` -> `articles/a.html`."""
    return quote(src_uri.removesuffix(".md") + ".html")
