"""Related coverage: which other articles a reader of one article should see next.

Candidates share an event or a region with the article. Score = shared events x 8 + shared
regions x 3 + shared event types x 2 + shared actors x 1, plus up to 2 for closeness in time
(2 on the same day, 1 at 30 days apart, then falling).
Two articles share an event when each has an event on the same start date in the same
region: that is how two reports of one incident look in the data.

Candidates come from inverted indexes, never from all pairs: articles sharing an event, and
for each of the article's regions the `window` articles nearest in time. Each candidate is then
scored by intersecting small feature sets. The cost per article is bounded by the window, not
by the archive, so the whole is linear. Ties are broken by closeness in time, then path, so the
result is the same from build to build.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence

from .model import Article

WEIGHTS = {"event": 8.0, "region": 3.0, "type": 2.0, "actor": 1.0}
Feature = tuple[str, str]


def _features(article: Article) -> frozenset[Feature]:
    features = {("event", f"{e.start.isoformat()}|{e.region}") for e in article.events}
    features |= {("region", key) for key in article.terms.get("regions", ())}
    features |= {("type", key) for key in article.terms.get("event-types", ())}
    features |= {("actor", key) for key in article.terms.get("actors", ())}
    return frozenset(features)


def _days(article: Article) -> float:
    """Publication time in days, so that postings sorted by `sort_key` are sorted by it too."""
    return article.published_moment / 86400.0


def _nearest(posting: list[Article], days: list[float], day: float, window: int) -> list[Article]:
    if len(posting) <= window:
        return posting
    middle = bisect.bisect_left(days, day)
    low = max(0, min(middle - window // 2, len(posting) - window))
    return posting[low : low + window]


def related_articles(
    articles: Sequence[Article], limit: int = 5, window: int = 40
) -> dict[str, tuple[Article, ...]]:
    """For each article path, up to `limit` related articles, best first."""
    ordered = sorted(articles, key=lambda a: a.sort_key)
    features = {a.path: _features(a) for a in ordered}
    postings: dict[Feature, list[Article]] = defaultdict(list)
    for article in ordered:  # date order, so each posting list is sorted by date
        for feature in features[article.path]:
            if feature[0] in {"event", "region"}:
                postings[feature].append(article)
    day_of = {a.path: _days(a) for a in ordered}
    days = {feature: [day_of[a.path] for a in posting] for feature, posting in postings.items()}
    result = {}
    for article in ordered:
        day = day_of[article.path]
        mine = features[article.path]
        candidates: dict[str, Article] = {}
        for feature in mine:
            if feature in postings:
                for other in _nearest(postings[feature], days[feature], day, window):
                    candidates[other.path] = other
        candidates.pop(article.path, None)
        ranked = []
        for path in candidates:
            shared = sum(WEIGHTS[kind] for kind, _ in mine & features[path])
            distance = abs(day_of[path] - day)
            ranked.append((-(shared + 2.0 / (1.0 + distance / 30.0)), distance, path))
        ranked.sort()
        result[article.path] = tuple(candidates[path] for _, _, path in ranked[:limit])
    return result


def neighbours_in_region(articles: Sequence[Article]) -> dict[str, tuple[Article | None, Article | None]]:
    """Previous and next article in time among those with the same main region."""
    by_region: dict[str, list[Article]] = defaultdict(list)
    for article in sorted(articles, key=lambda a: a.sort_key):
        if article.main_region:
            by_region[article.main_region].append(article)
    result: dict[str, tuple[Article | None, Article | None]] = {}
    for group in by_region.values():
        for i, article in enumerate(group):
            result[article.path] = (group[i - 1] if i else None, group[i + 1] if i + 1 < len(group) else None)
    return result
