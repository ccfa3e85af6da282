"""Checking a copy of the site, or of its sources, against its `manifest.json`, and bagging it.

The manifest (`manifest.py` writes it) lists every output file of the site with its SHA-256
and size, and every article and vocabulary file with its SHA-256. Whoever holds a copy can
check it offline, with nothing but the copy: no build, no MkDocs, no network. A bag (BagIt,
RFC 8493) wraps a verified copy for archives that know bags but not this project.

Every path read from a manifest stays inside the folder it is checked against: a manifest is
data from wherever the copy came from, and must not make the checker read elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import Any, Literal

import bagit

from .inventory import take_inventory
from .labels import count_of

MANIFEST = "manifest.json"
FORMAT = 2  # the manifest format this module reads: the one with `files`
# Files up to this size are read whole, which is fastest; larger ones are hashed a chunk of
# this size at a time, so that one huge download in the site does not fill the memory.
WHOLE_FILE_LIMIT = 8 * 1024 * 1024
HASH_BATCH = 256  # files per hashing task
# Opening and reading a file still needs the interpreter lock: past a few threads, more
# threads only queue for it.
MAX_HASH_THREADS = 4
SHA256_HEX = frozenset("0123456789abcdef")
BAG_CHECKSUMS = ("sha256", "sha512")
# bagit 1.9 writes bags as the 0.97 draft; RFC 8493 is version 1.0.
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


class IntegrityError(Exception):
    """A manifest, a folder or an output place that cannot be checked or bagged; the message
    says what is wrong and where."""


class SiteDamaged(IntegrityError):
    """The site differs from its manifest, so it is not bagged as if it were sound."""

    def __init__(self, site_dir: Path, findings: list[Finding]) -> None:
        differences = count_of(len(findings), "difference")
        super().__init__(f"{site_dir}: {differences} from its {MANIFEST}; not bagged")
        self.findings = findings


@dataclass(frozen=True)
class FileEntry:
    """One file of the site as the manifest lists it: path relative to the site, with '/'."""

    path: str
    sha256: str
    bytes: int


FindingKind = Literal["missing", "changed", "unexpected"]


@dataclass(frozen=True)
class Finding:
    """One way a folder differs from its manifest."""

    kind: FindingKind
    path: str
    detail: str = ""

    def __str__(self) -> str:
        return f"{self.kind}: {self.path}" + (f" ({self.detail})" if self.detail else "")


def file_entries(
    site_dir: Path, exclude: frozenset[str] = frozenset({MANIFEST}), threads: int = 1
) -> list[FileEntry]:
    """Every regular file under `site_dir`, hashed, sorted by path. `exclude`: paths (relative,
    with '/') left out, such as the manifest, which cannot list its own hash.

    hashlib lets go of the interpreter lock while it hashes, so threads hash files side by
    side; each takes a batch of files, because one task per small file costs the executor
    more than the hashing it spreads."""
    files = [(relative, path) for relative, path in _regular_files(site_dir) if relative not in exclude]
    batches = [files[start : start + HASH_BATCH] for start in range(0, len(files), HASH_BATCH)]
    with ThreadPoolExecutor(max_workers=max(1, min(threads, MAX_HASH_THREADS))) as pool:
        return [entry for batch in pool.map(_hash_batch, batches) for entry in batch]


def _hash_batch(files: list[tuple[str, str]]) -> list[FileEntry]:
    return [FileEntry(relative, *_sha256_and_size(path)) for relative, path in files]


def _regular_files(root: Path) -> list[tuple[str, str]]:
    """(path relative to root with '/', full path) of every regular file, sorted. Symbolic
    links are not followed: a site's files are its own, and a link could bring in anything
    from elsewhere (`symlinks` lists them, for verify to report)."""
    return [(relative, full) for relative, full, link in _walk(root) if not link]


def symlinks(root: Path) -> list[str]:
    """Every symbolic link under `root`, as a path relative to it: no build writes one."""
    return [relative for relative, _, link in _walk(root) if link]


def _walk(root: Path) -> list[tuple[str, str, bool]]:
    found: list[tuple[str, str, bool]] = []
    pending = [(str(root), "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as scan:
            for entry in scan:
                if entry.is_symlink():
                    found.append((prefix + entry.name, entry.path, True))
                elif entry.is_dir(follow_symlinks=False):
                    pending.append((entry.path, f"{prefix}{entry.name}/"))
                elif entry.is_file(follow_symlinks=False):
                    found.append((prefix + entry.name, entry.path, False))
    return sorted(found)


def _sha256_and_size(path: str | Path) -> tuple[str, int]:
    # Unbuffered: Python's buffer only adds a copy of every byte when the file is read whole.
    # The built-in `open` on the str path: a Path object per file was measurably slower here.
    with open(path, "rb", buffering=0) as file:  # noqa: PTH123
        if os.fstat(file.fileno()).st_size <= WHOLE_FILE_LIMIT:
            data = file.read()
            return hashlib.sha256(data).hexdigest(), len(data)
        digest, size = hashlib.sha256(), 0
        while chunk := file.read(WHOLE_FILE_LIMIT):
            digest.update(chunk)
            size += len(chunk)
        return digest.hexdigest(), size


def read_manifest(site_dir: Path) -> dict[str, Any]:
    """The site's manifest, checked enough to verify the site against it."""
    path = site_dir / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IntegrityError(f"{path}: no such file; is {site_dir} a built site?") from None
    except (OSError, UnicodeDecodeError) as error:
        raise IntegrityError(f"{path}: cannot read it: {error}") from None
    try:
        manifest = json.loads(text)
    except json.JSONDecodeError as error:
        raise IntegrityError(f"{path}:{error.lineno}:{error.colno}: not JSON: {error.msg}") from None
    try:
        if not isinstance(manifest, dict):
            raise IntegrityError("not a manifest: expected a JSON object")
        if manifest.get("manifest_format") != FORMAT:
            raise IntegrityError(
                f"not a format-{FORMAT} manifest (manifest_format: {manifest.get('manifest_format')!r}); "
                "rebuild the site to write one"
            )
        listed_files(manifest)
        listed_sources(manifest)
    except IntegrityError as error:
        raise IntegrityError(f"{path}: {error}") from None
    return manifest


def listed_files(manifest: Mapping[str, Any]) -> list[FileEntry]:
    """The site's files as the manifest lists them, each entry checked."""
    files = manifest.get("files")
    if not isinstance(files, list):
        raise IntegrityError(f"not a format-{FORMAT} manifest: no `files` list")
    entries: dict[str, FileEntry] = {}
    for index, item in enumerate(files):
        where = f"files[{index}]"
        if not isinstance(item, dict) or not {"path", "sha256", "bytes"} <= item.keys():
            raise IntegrityError(f"{where}: an entry needs path, sha256 and bytes")
        size = item["bytes"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise IntegrityError(f"{where}.bytes: expected a whole number of bytes, got {size!r}")
        entry = FileEntry(
            _relative_path(item["path"], f"{where}.path"), _sha256(item["sha256"], f"{where}.sha256"), size
        )
        if entries.setdefault(entry.path, entry) is not entry:
            raise IntegrityError(f"{where}.path: {entry.path} is listed twice")
    return list(entries.values())


def listed_sources(manifest: Mapping[str, Any]) -> dict[str, str]:
    """The articles folder's files the manifest lists (articles and the site's vocabularies),
    as {path inside the folder: sha256}. Sources outside it, such as the vocabularies shipped
    with the package, belong to no folder a reader holds, and are left out."""
    articles_dir = manifest.get("articles_dir")
    if not isinstance(articles_dir, str) or not articles_dir:
        raise IntegrityError(f"articles_dir: expected the articles folder's name, got {articles_dir!r}")
    prefix = articles_dir.rstrip("/") + "/"
    sources: dict[str, str] = {}
    for key in ("articles", "vocabularies"):
        items = manifest.get(key, [])
        if not isinstance(items, list):
            raise IntegrityError(f"{key}: expected a list")
        for index, item in enumerate(items):
            where = f"{key}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("source"), str):
                raise IntegrityError(f"{where}: an entry needs source and sha256")
            if item["source"].startswith(prefix):
                relative = _relative_path(item["source"][len(prefix) :], f"{where}.source")
                sources[relative] = _sha256(item.get("sha256"), f"{where}.sha256")
    return sources


def _relative_path(value: object, where: str) -> str:
    """`value` if it names a place inside the folder, written the one way manifests write it."""
    if not isinstance(value, str) or not value:
        raise IntegrityError(f"{where}: expected a path, got {value!r}")
    if "\\" in value or "\0" in value:
        raise IntegrityError(f"{where}: {value!r} is not a manifest path: they are separated by '/'")
    if value.startswith("/") or PureWindowsPath(value).drive:
        raise IntegrityError(f"{where}: {value!r} is absolute; refusing to read outside the folder")
    parts = value.split("/")
    if ".." in parts:
        raise IntegrityError(f"{where}: {value!r} leads outside the folder; refusing to read it")
    if "" in parts or "." in parts:
        raise IntegrityError(f"{where}: {value!r} is not a plain relative path")
    return value


def _sha256(value: object, where: str) -> str:
    if not isinstance(value, str) or len(value) != 64 or not SHA256_HEX.issuperset(value):
        raise IntegrityError(f"{where}: expected 64 lowercase hex digits, got {value!r}")
    return value


def verify_site(site_dir: Path, manifest: Mapping[str, Any], threads: int = 1) -> list[Finding]:
    """Every difference between the site's files and the manifest, sorted by path."""
    present = {entry.path: entry for entry in file_entries(site_dir, threads=threads)}
    findings = []
    for listed in listed_files(manifest):
        found = present.pop(listed.path, None)
        if found is None:
            findings.append(Finding("missing", listed.path))
        elif found != listed:
            findings.append(Finding("changed", listed.path, _difference(found, listed)))
    findings += [Finding("unexpected", path) for path in present]
    findings += [Finding("unexpected", path, "a symbolic link") for path in symlinks(site_dir)]
    return sorted(findings, key=lambda f: (f.path, f.kind))


def _difference(found: FileEntry, listed: FileEntry) -> str:
    """`sha256 differs; 1234 bytes, manifest says 1200`: what a reader needs to tell a
    truncated or replaced file from one whose bytes were altered in place."""
    parts = ["sha256 differs"] if found.sha256 != listed.sha256 else []
    if found.bytes != listed.bytes:
        parts.append(f"{found.bytes} bytes, manifest says {listed.bytes}")
    else:
        parts.append("same size")
    return "; ".join(parts)


def verify_sources(articles_dir: Path, manifest: Mapping[str, Any]) -> list[Finding]:
    """Every difference between the articles folder and the sources the manifest lists:
    articles, vocabulary files, term intros and release records changed or missing, and
    articles, vocabulary files and intros present but not listed. Other files in the folder
    (data, hidden files) are not in the manifest, and not checked."""
    if not articles_dir.is_dir():
        raise IntegrityError(f"{articles_dir}: no such folder")
    listed = listed_sources(manifest)
    inventory = take_inventory(articles_dir, articles_dir.as_posix())
    findings = []
    for relative, sha256 in listed.items():
        path = articles_dir / relative
        if not path.is_file():
            findings.append(Finding("missing", relative))
        elif _sha256_and_size(path)[0] != sha256:
            findings.append(Finding("changed", relative, "sha256 differs"))
    findings += [
        Finding("unexpected", relative)
        for relative in inventory.articles + inventory.vocabularies + inventory.intros
        if relative not in listed
    ]
    return sorted(findings, key=lambda f: (f.path, f.kind))


def make_bag(site_dir: Path, out: Path, manifest: Mapping[str, Any], threads: int = 1) -> Path:
    """A BagIt bag of the site at `out`, the same bytes every time for the same site.

    The site is copied next to `out` and verified there, so what is bagged is exactly what
    was checked; `out` appears whole or not at all. bagit changes the process's working
    folder while it works, so this is not for a build's worker threads."""
    if out.exists() and not (out.is_dir() and not any(out.iterdir())):
        raise IntegrityError(f"{out}: already exists and is not an empty folder")
    if out.resolve().is_relative_to(site_dir.resolve()):
        raise IntegrityError(f"{out}: inside the site folder {site_dir}; the bag would hold itself")
    bag_info = _bag_info(manifest)
    _refuse_unportable_names(listed_files(manifest))
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    try:
        # Links copied as links, never followed: verify then refuses them.
        shutil.copytree(site_dir, staging, dirs_exist_ok=True, symlinks=True)
        findings = verify_site(staging, manifest, threads)
        if findings:
            raise SiteDamaged(site_dir, findings)
        try:
            bagit.make_bag(str(staging), bag_info=bag_info, checksums=list(BAG_CHECKSUMS))
        except bagit.BagError as error:  # unreadable or unwritable files in the copy
            raise IntegrityError(f"{out}: bagit could not make the bag: {error}") from error
        _declare_rfc8493(staging)
        if out.is_dir():
            out.rmdir()
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def _bag_info(manifest: Mapping[str, Any]) -> dict[str, str]:
    """bag-info.txt from the manifest alone: dated by the snapshot, never by the clock, so
    that bagging one snapshot twice gives the same bag."""
    snapshot = manifest.get("snapshot")
    if not isinstance(snapshot, dict):
        raise IntegrityError("snapshot: the manifest names no snapshot to bag")
    for key in ("id", "date"):
        if not isinstance(snapshot.get(key), str) or not snapshot[key]:
            raise IntegrityError(f"snapshot.{key}: expected text, got {snapshot.get(key)!r}")
    site_name = manifest.get("site_name")
    if not isinstance(site_name, str) or not site_name:
        raise IntegrityError(f"site_name: expected text, got {site_name!r}")
    label = f" {snapshot['label']}" if snapshot.get("label") else ""
    if snapshot.get("commit"):
        source = f"commit {str(snapshot['commit'])[:7]}"
        source += " with local changes" if snapshot.get("modified") else ""
    else:
        source = f"content {snapshot['id'][:12]}"
    return {
        "Source-Organization": site_name,
        "External-Identifier": snapshot["id"],
        "External-Description": f"{site_name} snapshot{label} ({source}, {snapshot['date']})",
        "Bagging-Date": snapshot["date"],
    }


def _refuse_unportable_names(entries: list[FileEntry]) -> None:
    """RFC 8493 manifests write '%', CR and LF in names percent-encoded; bagit 1.9 encodes CR
    and LF only, and decodes nothing else, so a name with '%' would make a bag that bagit
    accepts and other validators read as naming a different file."""
    for entry in entries:
        if any(character in entry.path for character in "%\r\n"):
            raise IntegrityError(f"{entry.path}: a bag cannot hold a file name with '%', CR or LF")


def _declare_rfc8493(bag_dir: Path) -> None:
    """Make the bag what it claims: BagIt 1.0 (bagit writes 0.97), with tag manifests in path
    order (bagit lists tag files in whatever order the file system returns them)."""
    (bag_dir / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8", newline="\n")
    bagit.Bag(str(bag_dir)).save()  # re-hashes the tag files; the payload is left alone
    for algorithm in BAG_CHECKSUMS:
        tag_manifest = bag_dir / f"tagmanifest-{algorithm}.txt"
        lines = tag_manifest.read_text(encoding="utf-8").splitlines(keepends=True)
        tag_manifest.write_text("".join(sorted(lines, key=_manifest_path)), encoding="utf-8", newline="\n")


def _manifest_path(line: str) -> str:
    return line.split(maxsplit=1)[1]
