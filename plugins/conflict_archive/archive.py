"""The whole archive: every article file under the articles folder, validated together.

`load_archive` reads every file, reports every problem of every file in one go (raising
`ArchiveError`), and otherwise returns an `Archive` whose articles are in a total order.
Files and folders whose names start with `_` are data (vocabularies, term intros), not
articles; anything else that is not a `.md` article is reported rather than ignored.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .articles import ArticleFile, ArticleReading, read_articles
from .documents import DocumentError, decode
from .inventory import take_inventory
from .model import Article, Event
from .problems import ArchiveError, Problem
from .vocabulary import Term, Vocabulary
from .vocabulary_files import load_vocabularies


@dataclass
class Archive:
    articles: tuple[Article, ...]
    vocabularies: dict[str, Vocabulary]
    intros: dict[tuple[str, str], str] = field(default_factory=dict)  # (taxonomy, key) -> Markdown
    warnings: list[Problem] = field(default_factory=list)  # worth a look, but not wrong
    article_files: int = 0  # .md files found by the inventory: articles and retracted, when valid
    # Withdrawn articles (`retracted:`): published as notices at their addresses, and in no
    # listing, total, search, feed or export but the list of retractions.
    retracted: tuple[Article, ...] = ()

    def __post_init__(self) -> None:
        self.by_path = {article.path: article for article in self.articles}

    @property
    def events(self) -> list[Event]:
        return sorted((e for a in self.articles for e in a.events), key=lambda e: e.sort_key)


def display_name(articles_dir: Path, root: Path) -> str:
    """How problems name the articles folder: relative to the site folder when inside it, so
    `articles_dir: ./articles/` and `articles` give the same messages."""
    folder = articles_dir.resolve()
    try:
        return folder.relative_to(root.resolve()).as_posix()
    except ValueError:
        return folder.as_posix()


ReadArticles = Callable[[Sequence[ArticleFile], dict[str, Vocabulary]], list[ArticleReading]]


def load_archive(
    articles_dir: Path,
    display_dir: str = "articles",
    *,
    shipped_vocabularies: bool = True,
    today: dt.date | None = None,
    read: ReadArticles = read_articles,
) -> Archive:
    """Load and validate everything; raise `ArchiveError` listing every problem found.

    `read` turns the article files into readings, one per file and in the same order; a
    build may pass one that remembers earlier readings or shares the work out, as long as
    each reading is what `load_article` gives for that file."""
    if not articles_dir.is_dir():
        raise ArchiveError([Problem(display_dir, 0, "", "the articles folder does not exist")])
    vocabularies, problems = load_vocabularies(articles_dir, display_dir, shipped=shipped_vocabularies)
    inventory = take_inventory(articles_dir, display_dir)
    problems += inventory.problems
    files = [
        ArticleFile(path, f"{display_dir}/{path}", (articles_dir / path).read_bytes())
        for path in inventory.articles
    ]
    articles: list[Article] = []
    spellings: dict[str, list[str]] = {}
    for reading in read(files, vocabularies):
        problems += reading.problems
        if reading.article is not None:
            articles.append(reading.article)
        if reading.article is not None and reading.article.retracted is not None:
            continue  # a withdrawn report names no live tag
        for tag, names in reading.tag_spellings.items():
            spellings.setdefault(tag, []).extend(names)
    problems += _duplicate_event_ids(articles)
    problems += _alias_collisions(articles)
    vocabularies["tags"] = vocabularies["tags"].with_terms(_free_tags(vocabularies["tags"], spellings))
    intros, found = _intros(articles_dir, display_dir, inventory.intros, vocabularies)
    problems += found
    if problems:
        raise ArchiveError(problems)
    articles.sort(key=lambda a: a.sort_key)
    live = [a for a in articles if a.retracted is None]
    withdrawn = tuple(a for a in articles if a.retracted is not None)
    warnings = sorted(_date_warnings(live, today or reference_date()))
    return Archive(tuple(live), vocabularies, intros, warnings, len(inventory.articles), withdrawn)


def reference_date() -> dt.date:
    """Today for the future-date check: `SOURCE_DATE_EPOCH` when set, so a rebuild of an old
    snapshot judges dates as of that snapshot. Only warnings depend on it, never output."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return dt.datetime.now(tz=dt.UTC).date()


def _date_warnings(articles: list[Article], today: dt.date) -> list[Problem]:
    warnings = []
    for article in articles:
        for event in article.events:
            field = f"events[{event.position}]"
            if event.start > today:
                warnings.append(
                    Problem(
                        article.display_path,
                        event.date_line,
                        f"{field}.date",
                        f"the event is dated {event.start}, in the future",
                    )
                )
            elif article.last_changed < event.start:
                warnings.append(
                    Problem(
                        article.display_path,
                        event.date_line,
                        f"{field}.date",
                        f"the event ({event.start}) is after the article was published or last "
                        f"updated ({article.last_changed}); add `updated:` if it was updated since",
                    )
                )
    return warnings


def _duplicate_event_ids(articles: list[Article]) -> list[Problem]:
    """An id is one event's, whether it is its id now or one it had before (an anchor kept
    for old links), and whether its article is live or retracted (its notice keeps them)."""
    first: dict[str, Event] = {}
    owner = {article.path: article for article in articles}
    problems = []
    claims = [(event.id, event, False) for article in articles for event in article.events]
    claims += [
        (old, event, True) for article in articles for event in article.events for old in event.previous_ids
    ]
    for event_id, event, earlier in claims:
        other = first.setdefault(event_id, event)
        if other is event:
            continue
        where = owner[other.article_path].display_path
        article = owner[event.article_path]
        if earlier:
            field, line, what = f"events[{event.position}].previous_ids", event.line, "earlier id"
            hint = ""
        else:
            field, line, what = (
                f"events[{event.position}].id",
                event.id_line if event.id_given else event.line,
                "id",
            )
            hint = "" if event.id_given else " (derived from the path; give one of them an explicit id)"
        message = f"event {what} {event_id!r} is also used by events[{other.position}] in {where}{hint}"
        problems.append(Problem(article.display_path, line, field, message))
    return problems


def _alias_collisions(articles: list[Article]) -> list[Problem]:
    """An earlier path must not be a live article's path, nor claimed by two articles."""
    live = {a.slug: a for a in articles}
    claimed: dict[str, Article] = {}
    problems = []
    for article in articles:
        for index, alias in enumerate(article.aliases):
            line = article.alias_lines[index]
            field = f"aliases[{index}]"
            if alias == article.slug:
                problems.append(
                    Problem(article.display_path, line, field, f"{alias!r} is this article's own path")
                )
                continue
            other = live.get(alias) or claimed.setdefault(alias, article)
            if other is not article:
                message = f"{alias!r} is also the path of {other.display_path}"
                problems.append(Problem(article.display_path, line, field, message))
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
    articles_dir: Path, display_dir: str, paths: list[str], vocabularies: dict[str, Vocabulary]
) -> tuple[dict[tuple[str, str], str], list[Problem]]:
    """Editor-written intro text for term pages: `_vocabulary/<taxonomy>/<key>.md`."""
    intros: dict[tuple[str, str], str] = {}
    problems = []
    for path in paths:
        _, taxonomy, name = path.split("/")
        key = name.removesuffix(".md")
        display = f"{display_dir}/{path}"
        if key not in vocabularies[taxonomy]:
            near = vocabularies[taxonomy].suggest(key)
            problems.append(Problem(display, 1, "", f"no {taxonomy} entry {key!r} for this intro{near}"))
            continue
        try:
            intros[(taxonomy, key)] = decode((articles_dir / path).read_bytes(), display)
        except DocumentError as error:
            problems.append(error.problem)
    return intros, problems
