"""Citations of an article in the forms readers and their reference managers take in.

- **Highwire Press `<meta name="citation_*">`** tags, read by Zotero's "Embedded Metadata"
  translator and by Google Scholar. Zotero guesses "journal article" from `citation_title`
  alone, so `citation_technical_report_institution` (the site) makes the item a *report*,
  the type every other format here uses. `citation_online_date` is left out: Highwire means
  the day an article first went online, which for an online archive is its publication date;
  the day of the last change is in the JSON-LD's `dateModified` and in every format's note.
- **schema.org JSON-LD**, typed `Report` rather than `NewsArticle`: an article is compiled
  from published sources and kept up to date with dated corrections, the work of an
  organisation documenting events, not original news reporting. Its events are its `about`.
- A **formatted reference** (Chicago-like, one line), **BibTeX** (`@misc`), **RIS**
  (`RPRT`) and **CSL-JSON** (`report`), and a shorter reference for each event.

Every output is a function of the article and the site alone, never of the clock. Names are
kept whole (`literal` in CSL, `{braced}` in BibTeX): "Conflict Archive editors" is not a
surname and a given name. Without a `site_url` the permalink is a path on the site: the
human reference shows it, the machine formats leave URLs out rather than invent a host, and
events' JSON-LD ids are bare fragments, which resolve against the page they are on.

The article's citations carry the SHA-256 of its file, so HTML holding them must be kept by
`Article.sha256`, not by the front-matter's hash; an event's citation leaves it out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment

from .labels import format_event_date
from .model import Article, Event, Source
from .vocabulary import Vocabulary

Vocabularies = Mapping[str, Vocabulary]
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    # BibTeX counts every brace, escaped or not, so a lone `\{` would unbalance the field.
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


@dataclass(frozen=True)
class Cited:
    """An article as cited: what a citation needs that the article itself lacks.

    `permalink` is absolute when the site has a `site_url`, else a path on the site."""

    article: Article
    permalink: str
    site_name: str
    site_url: str | None = None
    licence_url: str | None = None  # the archive's licence, where it states one
    release: str | None = None  # the snapshot's name (`snapshot.Revision.label`), where it has one

    @property
    def absolute(self) -> bool:
        parts = urlsplit(self.permalink)
        return bool(parts.scheme and parts.netloc)

    @property
    def url(self) -> str | None:
        """The permalink where a machine can follow it, safe in every format here."""
        return _safe_url(self.permalink) if self.absolute else None

    @property
    def key(self) -> str:
        """The citation key: the slug in ASCII, led by the year of publication."""
        return citation_key(self.article)

    def event_url(self, event: Event) -> str:
        return f"{self.permalink}#event-{event.id}"


@dataclass(frozen=True)
class CitationFile:
    """One downloadable form of a citation, with the `data:` URI that downloads it."""

    label: str
    filename: str
    media_type: str
    text: str

    @property
    def href(self) -> str:
        return f"data:{self.media_type};charset=utf-8,{quote(self.text, safe='')}"


def _line(text: str) -> str:
    """An editor's value on one line: any run of whitespace, newlines included, is one space."""
    return " ".join(text.split())


def _safe_url(url: str) -> str:
    """Percent-encode what would end a URL in BibTeX, RIS or HTML: whitespace, braces, quotes."""
    return re.sub(r'[\s{}\\"<>^`|]', lambda m: quote(m.group(), safe=""), url)


def _sentence(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else f"{text}."


def citation_key(article: Article) -> str:
    """`2025/10/kyiv-strike.md` -> `2025-10-kyiv-strike`, `kyiv.md` of 2025 -> `2025-kyiv`.
    Letters that do not fold to ASCII (Cyrillic) add a digest of the slug, so keys stay unique."""
    folded = unicodedata.normalize("NFKD", article.slug).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", folded.lower())
    year = str(article.published_date.year)
    if not words or words[0] != year:
        words.insert(0, year)
    if not article.slug.isascii():
        words.append(hashlib.sha256(article.slug.encode()).hexdigest()[:8])
    return "-".join(words)


def authors_text(cited: Cited) -> str:
    """`A`, `A and B`, `A, B and C`; the site when no author is named."""
    names = [_line(a) for a in cited.article.authors] or [_line(cited.site_name)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _dates_text(article: Article) -> str:
    text = article.published_date.isoformat()
    if article.last_changed != article.published_date:
        text += f"; last changed {article.last_changed.isoformat()}"
    return text


def _work_text(cited: Cited) -> str:
    """Who, what, where and when: `A and B. “Title.” Site, 2025-10-23; last changed 2025-10-30.`"""
    who = _sentence(authors_text(cited))
    title = _sentence(_line(cited.article.title))
    return f"{who} “{title}” {_line(cited.site_name)}, {_dates_text(cited.article)}."


def _release_text(cited: Cited) -> str:
    """` Snapshot 2025.11.`: the release a reader saw, which they can find again."""
    return f" Snapshot {_line(cited.release)}." if cited.release else ""


def reference(cited: Cited) -> str:
    """The article's reference, ending with its permalink and the SHA-256 of its source file,
    which `manifest.json` lists, so that a reader can check the text they cite."""
    return f"{_work_text(cited)}{_release_text(cited)} {cited.permalink}. SHA-256 {cited.article.sha256}."


def _note(cited: Cited) -> str:
    article = cited.article
    return (
        f"{_release_text(cited).strip()} Last changed {article.last_changed.isoformat()}. "
        f"SHA-256 of the source file: {article.sha256}."
    ).strip()


def event_name(event: Event, vocabularies: Vocabularies) -> str:
    """`Air/drone strike in Kyiv`: the names of the event's type and region."""
    kind = vocabularies["event-types"][event.type].name
    return f"{kind} in {vocabularies['regions'][event.region].name}"


def event_reference(cited: Cited, event: Event, vocabularies: Vocabularies) -> str:
    """One event's reference. Made of front-matter alone (no SHA-256 of the file), so that
    HTML kept by the front-matter's hash stays right when only the body is edited."""
    return (
        f"{event_name(event, vocabularies)}, {format_event_date(event)}. "
        f"In: {_work_text(cited)}{_release_text(cited)} {cited.event_url(event)}."
    )


def highwire_tags(cited: Cited) -> list[tuple[str, str]]:
    """`(name, content)` of the `citation_*` meta tags, in the order they are written."""
    article = cited.article
    day = article.published_date
    tags = [("citation_title", _line(article.title))]
    tags += [("citation_author", _line(author)) for author in article.authors]
    tags += [
        ("citation_publication_date", f"{day.year:04d}/{day.month:02d}/{day.day:02d}"),
        # The day it first went online, which for an archive's article is its publication.
        ("citation_online_date", f"{day.year:04d}/{day.month:02d}/{day.day:02d}"),
        ("citation_publisher", _line(cited.site_name)),
        ("citation_technical_report_institution", _line(cited.site_name)),
    ]
    if cited.url:
        tags.append(("citation_public_url", cited.url))
    if article.language:
        tags.append(("citation_language", article.language))
    if article.summary:
        tags.append(("citation_abstract", _line(article.summary)))
    return tags


def highwire_html(cited: Cited) -> str:
    return "\n".join(
        f'<meta name="{html.escape(name)}" content="{html.escape(content, quote=True)}">'
        for name, content in highwire_tags(cited)
    )


def _event_ld(cited: Cited, event: Event, vocabularies: Vocabularies) -> dict[str, Any]:
    place: dict[str, Any] = {
        "@type": "Place",
        "name": event.location or vocabularies["regions"][event.region].name,
    }
    if event.coordinates is not None:  # (latitude, longitude), as front-matter gives them
        latitude, longitude = event.coordinates
        place["geo"] = {"@type": "GeoCoordinates", "latitude": latitude, "longitude": longitude}
    killed = "not reported" if event.killed is None else str(event.killed)
    injured = "not reported" if event.injured is None else str(event.injured)
    return {
        "@type": "Event",
        "@id": (cited.url or "") + f"#event-{event.id}",
        "name": event_name(event, vocabularies),
        **_event_dates(event),
        "location": place,
        "description": f"Killed: {killed}. Injured: {injured}.",
    }


def _event_dates(event: Event) -> dict[str, str]:
    """ISO 8601 to the precision known: `2025-10` for a month; a week is the seven days from
    its start, as "week of 2025-10-20" reads."""
    if event.date_precision == "month":
        return {"startDate": event.start.isoformat()[:7], "endDate": event.end.isoformat()[:7]}
    end = event.end
    if event.date_precision == "week":
        end = max(end, event.start + dt.timedelta(days=6))
    return {"startDate": event.start.isoformat(), "endDate": end.isoformat()}


def _source_ld(source: Source) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "CreativeWork", "name": source.title}
    if source.url:
        work["url"] = source.url
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    if source.published:
        work["datePublished"] = source.published.isoformat()
    if source.archived_url:
        work["archivedAt"] = source.archived_url
    if source.sha256:
        work["identifier"] = {"@type": "PropertyValue", "propertyID": "sha256", "value": source.sha256}
    return work


def json_ld(cited: Cited, vocabularies: Vocabularies) -> dict[str, Any]:
    """The article as a schema.org `Report`, with its events, sources and corrections."""
    article = cited.article
    publisher: dict[str, Any] = {"@type": "Organization", "name": cited.site_name}
    if cited.site_url:
        publisher["url"] = cited.site_url
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Report",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "dateModified": article.last_changed.isoformat(),
        "publisher": publisher,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "sha256",
            "name": "SHA-256 of the article's source file",
            "value": article.sha256,
        },
    }
    if cited.url:
        data.update({"@id": cited.url, "url": cited.url, "mainEntityOfPage": cited.url})
    if cited.licence_url:
        data["license"] = cited.licence_url
    if cited.release:
        data["isPartOf"] = {"@type": "Collection", "name": cited.site_name, "version": cited.release}
        if cited.site_url:
            data["isPartOf"]["url"] = cited.site_url
    if article.authors:
        data["author"] = [{"@type": "Person", "name": name} for name in article.authors]
    if article.language:
        data["inLanguage"] = article.language
    if article.summary:
        data["description"] = article.summary
    if article.events:
        data["about"] = [_event_ld(cited, event, vocabularies) for event in article.events]
    if article.sources:
        data["citation"] = [_source_ld(source) for source in article.sources]
    if article.corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "datePublished": c.date.isoformat(), "text": c.note}
            for c in article.corrections
        ]
    return data


def json_ld_html(cited: Cited, vocabularies: Vocabularies) -> str:
    """The JSON-LD in its `<script>`. `<`, `>` and `&` are written as JSON escapes, so no
    value can close the script element or open a comment in it."""
    data = json_ld(cited, vocabularies)
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/ld+json">{text}</script>'


def _bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIALS.get(char, char) for char in _line(text))


def _latex_url(url: str) -> str:
    """A URL for `\\url{}` inside another field, where hyperref asks for `\\%` and `\\#`;
    the `url` field is read verbatim and keeps them bare."""
    return url.replace("%", r"\%").replace("#", r"\#")


def bibtex(cited: Cited) -> str:
    """A BibTeX `@misc` entry (BibTeX has no type for web pages; biblatex reads it too)."""
    article = cited.article
    day = article.published_date
    site = _bibtex_escape(cited.site_name)
    fields: list[tuple[str, str]] = []
    if article.authors:
        fields.append(("author", " and ".join(f"{{{_bibtex_escape(a)}}}" for a in article.authors)))
    fields.append(("title", f"{{{_bibtex_escape(article.title)}}}"))  # braced: keep its capitals
    fields.append(("howpublished", f"{site}, \\url{{{_latex_url(cited.url)}}}" if cited.url else site))
    fields += [("year", str(day.year)), ("month", _BIBTEX_MONTHS[day.month - 1]), ("date", day.isoformat())]
    if cited.url:
        fields.append(("url", cited.url))
    if cited.release:
        fields.append(("version", _bibtex_escape(f"Snapshot {cited.release}")))
    fields.append(("note", _bibtex_escape(_note(cited))))
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}" for name, value in fields
    )
    return f"@misc{{{cited.key},\n{body}\n}}\n"


def ris(cited: Cited) -> str:
    """An RIS record (`RPRT`), lines ended CRLF as the format asks; one line per value."""
    article = cited.article
    day = article.published_date
    tags = [("TY", "RPRT"), ("TI", article.title)]
    tags += [("AU", author) for author in article.authors]
    tags += [("PY", f"{day.year:04d}"), ("DA", f"{day.year:04d}/{day.month:02d}/{day.day:02d}/")]
    tags.append(("PB", cited.site_name))
    if cited.release:
        tags.append(("ET", f"Snapshot {cited.release}"))
    if cited.url:
        tags.append(("UR", cited.url))
    if article.language:
        tags.append(("LA", article.language))
    if article.summary:
        tags.append(("AB", article.summary))
    tags.append(("N1", _note(cited)))
    lines = [f"{tag}  - {_line(value)}" for tag, value in tags if _line(value)]
    return "\r\n".join([*lines, "ER  - ", ""])


def csl_json(cited: Cited) -> str:
    """A CSL-JSON list of one `report`, as citeproc and Zotero import it."""
    article = cited.article
    day = article.published_date
    item: dict[str, Any] = {
        "id": cited.key,
        "type": "report",
        "title": article.title,
        "issued": {"date-parts": [[day.year, day.month, day.day]]},
        "publisher": cited.site_name,
        "note": _note(cited),
    }
    if cited.release:
        item["version"] = f"Snapshot {cited.release}"
    if article.authors:
        item["author"] = [{"literal": name} for name in article.authors]
    if cited.url:
        item["URL"] = cited.url
    if article.language:
        item["language"] = article.language
    if article.summary:
        item["abstract"] = article.summary
    return json.dumps([item], ensure_ascii=False, sort_keys=True, indent=2) + "\n"


def citation_files(cited: Cited) -> tuple[CitationFile, ...]:
    key = cited.key
    return (
        CitationFile("BibTeX", f"{key}.bib", "application/x-bibtex", bibtex(cited)),
        CitationFile("RIS", f"{key}.ris", "application/x-research-info-systems", ris(cited)),
        CitationFile("CSL-JSON", f"{key}.json", "application/vnd.citationstyles.csl+json", csl_json(cited)),
    )


def cite_block_html(env: Environment, cited: Cited) -> str:
    """The "Cite this" section (`cite.html`). `env` is the renderer's, so that a site's own
    `cite.html` is used; it must autoescape, as `render.template_environment()` does."""
    template = env.get_template("cite.html")
    return template.render(cited=cited, reference=reference(cited), files=citation_files(cited))


def event_cite_html(env: Environment, cited: Cited, event: Event, vocabularies: Vocabularies) -> str:
    """The "Cite this event" box (`event_cite.html`), of front-matter alone."""
    text = event_reference(cited, event, vocabularies)
    return env.get_template("event_cite.html").render(cited=cited, event=event, reference=text)
