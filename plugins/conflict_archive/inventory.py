"""Every file under the articles folder, accounted for.

Each file is an article (`*.md`), a vocabulary (`_vocabulary/<taxonomy>.yml`), a term intro
(`_vocabulary/<taxonomy>/<key>.md`), other data (names starting with `_`), or hidden (names
starting with `.`, such as `.gitkeep`). Anything else is a problem, and so is anything that
would make two articles share a URL, or a symlink that leads outside the archive.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .model import TAXONOMIES, article_slug
from .problems import Problem
from .vocabulary_files import VOCABULARY_DIR


@dataclass
class Inventory:
    articles: list[str] = field(default_factory=list)  # relative POSIX paths, sorted
    vocabularies: list[str] = field(default_factory=list)
    intros: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def url_key(article_path: str) -> str:
    """What decides an article's URL, folded the way file systems and browsers fold it:
    `foo.md` and `foo/index.md` both publish `articles/foo/`; `Foo.md` and `foo.md` collide on
    case-insensitive disks; `é` written as one or two code points is the same name."""
    return unicodedata.normalize("NFC", article_slug(article_path)).casefold()


def take_inventory(articles_dir: Path, display_dir: str) -> Inventory:
    inventory = Inventory()
    root = articles_dir.resolve()
    for relative, path in _files(root, inventory, display_dir):
        display = f"{display_dir}/{relative}"
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts):
            continue
        if parts[0] == VOCABULARY_DIR:
            _classify_vocabulary(relative, parts, display, inventory)
        elif any(part.startswith("_") for part in parts):
            inventory.data.append(relative)
        elif relative.endswith(".md"):
            inventory.articles.append(relative)
        elif path.suffix.lower() in {".md", ".markdown", ".mdown"}:
            inventory.problems.append(
                Problem(display, 1, "", f"articles end in lowercase .md; rename to {path.stem}.md")
            )
        else:
            inventory.problems.append(
                Problem(display, 1, "", "unexpected file: articles are .md files; data files start with '_'")
            )
    inventory.problems += _url_collisions(inventory.articles, display_dir)
    return inventory


def _files(root: Path, inventory: Inventory, display_dir: str) -> list[tuple[str, Path]]:
    """All files below root, following symlinks that stay inside it, in sorted order.

    `os.scandir` rather than `Path.iterdir`: its entries know whether they are folders, files
    or links without another system call each, and those calls are most of what this costs."""
    found: list[tuple[str, Path]] = []
    seen: set[Path] = {root}
    pending: list[tuple[Path, str]] = [(root, "")]  # a folder and its path from root (lexical)
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
        for entry in entries:
            relative = prefix + entry.name  # lexical: a linked folder keeps its name
            if entry.is_symlink():
                target = Path(entry.path).resolve()
                if not target.is_relative_to(root):
                    inventory.problems.append(
                        Problem(
                            f"{display_dir}/{relative}",
                            1,
                            "",
                            f"symlink leads outside the archive, to {target}",
                        )
                    )
                    continue
                if target.is_dir():
                    if target not in seen:
                        seen.add(target)
                        pending.append((Path(entry.path), relative + "/"))
                    continue
            if entry.is_dir():
                pending.append((Path(entry.path), relative + "/"))
            elif entry.is_file():
                found.append((relative, Path(entry.path)))
    return sorted(found)


def _classify_vocabulary(relative: str, parts: list[str], display: str, inventory: Inventory) -> None:
    names = [f"{t}.yml" for t in TAXONOMIES]
    if len(parts) == 2 and parts[1] in names:
        inventory.vocabularies.append(relative)
    elif len(parts) == 3 and parts[1] in TAXONOMIES and parts[2].endswith(".md"):
        inventory.intros.append(relative)
    else:
        expected = ", ".join(names)
        inventory.problems.append(
            Problem(
                display,
                1,
                "",
                f"unexpected file in {VOCABULARY_DIR}/: it holds {expected} "
                "and <taxonomy>/<key>.md intros; articles belong outside it",
            )
        )


def _url_collisions(articles: list[str], display_dir: str) -> list[Problem]:
    first: dict[str, str] = {}
    problems = []
    for path in articles:
        other = first.setdefault(url_key(path), path)
        if other != path:
            problems.append(
                Problem(
                    f"{display_dir}/{path}",
                    1,
                    "",
                    f"publishes the same URL as {display_dir}/{other}; rename one of them",
                )
            )
    return problems
