"""The whole archive: every article file under the articles folder, validated together.

`load_archive` reads every file, reports every problem of every file in one go (raising
`ArchiveError`), and otherwise returns an `Archive` whose articles are in a total order.
Files and folders whose names start with `_` are data (vocabularies, term intros), not
articles; anything else that is not a `.md` article is reported rather than ignored.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .articles import load_article
from .model import TAXONOMIES, Article, Event
from .problems import ArchiveError, Problem
from .vocabulary import Term, Vocabulary
from .vocabulary_files import VOCABULARY_DIR, load_vocabularies


@dataclass
class Archive:
    articles: tuple[Article, ...]
    vocabularies: dict[str, Vocabulary]
    intros: dict[tuple[str, str], str] = field(default_factory=dict)  # (taxonomy, key) -> Markdown

    def __post_init__(self) -> None:
        self.by_path = {article.path: article for article in self.articles}

    @property
    def events(self) -> list[Event]:
        return sorted((e for a in self.articles for e in a.events), key=lambda e: e.sort_key)


def _walk(articles_dir: Path) -> tuple[list[str], list[str]]:
    """Article paths and other (non-data) paths, relative and POSIX, sorted."""
    articles: list[str] = []
    others: list[str] = []
    for root, dirs, files in os.walk(articles_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith(("_", ".")))
        for name in sorted(files):
            if name.startswith(("_", ".")):
                continue
            relative = (Path(root) / name).relative_to(articles_dir).as_posix()
            (articles if name.endswith(".md") else others).append(relative)
    return articles, others


def load_archive(
    articles_dir: Path, display_dir: str = "articles", *, shipped_vocabularies: bool = True
) -> Archive:
    """Load and validate everything; raise `ArchiveError` listing every problem found."""
    if not articles_dir.is_dir():
        raise ArchiveError([Problem(display_dir, 0, "", "the articles folder does not exist")])
    vocabularies, problems = load_vocabularies(articles_dir, display_dir, shipped=shipped_vocabularies)
    article_paths, other_paths = _walk(articles_dir)
    problems += [
        Problem(
            f"{display_dir}/{p}", 1, "", "unexpected file: articles are .md files; data files start with '_'"
        )
        for p in other_paths
    ]
    articles: list[Article] = []
    spellings: dict[str, list[str]] = {}
    for path in article_paths:
        display = f"{display_dir}/{path}"
        article, found, tags = load_article(path, display, (articles_dir / path).read_bytes(), vocabularies)
        problems += found
        if article is not None:
            articles.append(article)
        for key, names in tags.items():
            spellings.setdefault(key, []).extend(names)
    problems += _duplicate_event_ids(articles)
    problems += _alias_collisions(articles)
    vocabularies["tags"] = vocabularies["tags"].with_terms(_free_tags(vocabularies["tags"], spellings))
    intros, found = _intros(articles_dir, display_dir, vocabularies)
    problems += found
    if problems:
        raise ArchiveError(problems)
    articles.sort(key=lambda a: a.sort_key)
    return Archive(tuple(articles), vocabularies, intros)


def _duplicate_event_ids(articles: list[Article]) -> list[Problem]:
    first: dict[str, Event] = {}
    owner = {article.path: article for article in articles}
    problems = []
    for article in articles:
        for event in article.events:
            other = first.setdefault(event.id, event)
            if other is not event:
                where = owner[other.article_path].display_path
                problems.append(
                    Problem(
                        article.display_path,
                        1,
                        f"events[{event.position}].id",
                        f"event id {event.id!r} is also used by events[{other.position}] in {where}",
                    )
                )
    return problems


def _alias_collisions(articles: list[Article]) -> list[Problem]:
    """An earlier path must not be a live article's path, nor claimed by two articles."""
    live = {a.slug: a for a in articles}
    claimed: dict[str, Article] = {}
    problems = []
    for article in articles:
        for alias in article.aliases:
            other = live.get(alias) or claimed.setdefault(alias, article)
            if other is not article:
                problems.append(
                    Problem(
                        article.display_path,
                        1,
                        "aliases",
                        f"{alias!r} is also the path of {other.display_path}",
                    )
                )
    return problems


def _free_tags(vocabulary: Vocabulary, spellings: dict[str, list[str]]) -> dict[str, Term]:
    """Terms for tags that are not in the vocabulary, named by their most used spelling."""
    terms = {}
    for key, names in sorted(spellings.items()):
        if key in vocabulary:
            continue
        counts = Counter(names)
        # Most used spelling; among equals, mixed case ("Gaza") before "GAZA" and "gaza".
        name = min(counts, key=lambda n: (-counts[n], n.isupper(), n.islower(), n))
        terms[key] = Term(taxonomy="tags", key=key, name=name, origin="articles")
    return terms


def _intros(
    articles_dir: Path, display_dir: str, vocabularies: dict[str, Vocabulary]
) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """Editor-written intro text for term pages: `_vocabulary/<taxonomy>/<key>.md`."""
    intros: dict[tuple[str, str], str] = {}
    problems = []
    for taxonomy in TAXONOMIES:
        folder = articles_dir / VOCABULARY_DIR / taxonomy
        if not folder.is_dir():
            continue
        for file in sorted(folder.iterdir()):
            display = f"{display_dir}/{VOCABULARY_DIR}/{taxonomy}/{file.name}"
            key = file.name.removesuffix(".md")
            if file.suffix != ".md" or key not in vocabularies[taxonomy]:
                problems.append(
                    Problem(display, 1, "", f"intro files are named <key>.md after a {taxonomy} key")
                )
                continue
            try:
                intros[(taxonomy, key)] = file.read_bytes().decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.append(Problem(display, 1, "", "not valid UTF-8; save the file as UTF-8"))
    return intros, problems
