"""Citations: read back by the clients that use them (bibtexparser, extruct, an HTML parser),
with editors' titles that try to break each format."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import bibtexparser
import extruct
import pytest
from bibtexparser import middlewares
from bs4 import BeautifulSoup, Tag
from pylatexenc import latex2text

from conflict_archive.archive import Archive, load_archive
from conflict_archive.citations import (
    Cited,
    bibtex,
    citation_key,
    cite_block_html,
    csl_json,
    event_cite_html,
    event_reference,
    highwire_html,
    highwire_tags,
    json_ld,
    json_ld_html,
    reference,
    ris,
)
from conflict_archive.model import Article
from conflict_archive.render import template_environment
from conftest import SiteDir, synthetic_article, synthetic_event

PATH = "2025/10/kyiv-night.md"
PERMALINK = "https://archive.invalid/articles/2025/10/kyiv-night/"
SITE = "Synthetic Archive"
SHA = "ab" * 32
TRICKY_TITLES = [
    'Fuel & power: 100% {down} "quoted" #1 $5 a_b ~x^2 back\\slash }{',
    "Обстріл Києва: «нічна атака» і ґрати",
    "</script><script>alert(1)</script><!-- &amp;",
    "A title\nwith a newline\r\nTI  - injected",
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Archive:
    site = SiteDir(tmp_path_factory.mktemp("citations") / "site")
    site.article(
        PATH,
        synthetic_article(
            1,
            title="Night attack on Kyiv",
            date="2025-10-23",
            updated="2025-10-25",
            summary="Drones struck Kyiv overnight.",
            authors=["Olena Shevchenko", "Synthetic Desk"],
            language="uk",
            sources=[
                {
                    "title": "Synthetic report",
                    "url": "https://news.invalid/report",
                    "publisher": "Synthetic News",
                    "published": "2025-10-22",
                    "archived_url": "https://archive.invalid/web/report",
                }
            ],
            corrections=[{"date": "2025-10-30", "note": "Corrected the district."}],
            events=[
                synthetic_event(id="kyiv-strike", region="kyiv", coordinates=[50.4501, 30.5234], killed=2),
                {
                    **synthetic_event(id="kyiv-month", region="kyiv", date_precision="month"),
                    "date": "2025-10-01",
                },
            ],
        ),
    )
    site.article("2025/10/no-authors.md", synthetic_article(2, title="Is it over?", date="2025-10-23"))
    return load_archive(site.articles)


@pytest.fixture
def article(archive: Archive) -> Article:
    return dataclasses.replace(archive.by_path[PATH], sha256=SHA)


def _cited(article: Article, permalink: str = PERMALINK) -> Cited:
    return Cited(article, permalink, SITE, "https://archive.invalid/")


def _titled(article: Article, title: str) -> Cited:
    return _cited(dataclasses.replace(article, title=title))


# ---- Reference and per-event reference -----------------------------------------------------


def test_reference(article: Article) -> None:
    assert reference(_cited(article)) == (
        "Olena Shevchenko and Synthetic Desk. “Night attack on Kyiv.” Synthetic Archive, "
        f"2025-10-23; last changed 2025-10-30. {PERMALINK}. SHA-256 {SHA}."
    )


def test_reference_without_authors_names_the_site_and_keeps_a_question_mark(archive: Archive) -> None:
    cited = Cited(archive.by_path["2025/10/no-authors.md"], "articles/2025/10/no-authors/", SITE)
    text = reference(cited)
    assert text.startswith("Synthetic Archive. “Is it over?” Synthetic Archive, 2025-10-23. ")
    assert "articles/2025/10/no-authors/. SHA-256" in text  # a path on the site, no invented host
    assert "last changed" not in text  # never changed since publication


def test_event_reference(archive: Archive, article: Article) -> None:
    event = article.events[0]
    assert event_reference(_cited(article), event, archive.vocabularies) == (
        "Air/drone strike in Kyiv, 2025-10-22. In: Olena Shevchenko and Synthetic Desk. "
        "“Night attack on Kyiv.” Synthetic Archive, 2025-10-23; last changed 2025-10-30. "
        f"{PERMALINK}#event-kyiv-strike."
    )
    month = event_reference(_cited(article), article.events[1], archive.vocabularies)
    assert month.startswith("Air/drone strike in Kyiv, October 2025. In: ")


def test_the_event_citation_does_not_depend_on_the_body(archive: Archive, article: Article) -> None:
    """It is kept by the front-matter's hash: an edit of the body must not make it stale."""
    env = template_environment()
    edited = dataclasses.replace(article, body="Another body.", sha256="cd" * 32)
    event = article.events[0]
    before = event_cite_html(env, _cited(article), event, archive.vocabularies)
    assert before == event_cite_html(env, _cited(edited), event, archive.vocabularies)
    assert SHA not in before
    assert cite_block_html(env, _cited(article)) != cite_block_html(env, _cited(edited))


# ---- Highwire Press meta tags ----------------------------------------------------------------


def test_highwire_tags(article: Article) -> None:
    assert highwire_tags(_cited(article)) == [
        ("citation_title", "Night attack on Kyiv"),
        ("citation_author", "Olena Shevchenko"),
        ("citation_author", "Synthetic Desk"),
        ("citation_publication_date", "2025/10/23"),
        ("citation_online_date", "2025/10/23"),
        ("citation_publisher", SITE),
        ("citation_technical_report_institution", SITE),
        ("citation_public_url", PERMALINK),
        ("citation_language", "uk"),
        ("citation_abstract", "Drones struck Kyiv overnight."),
    ]


def test_highwire_without_authors_or_site_url(archive: Archive) -> None:
    tags = dict(highwire_tags(Cited(archive.by_path["2025/10/no-authors.md"], "articles/x/", SITE)))
    assert "citation_author" not in tags and "citation_public_url" not in tags
    assert tags["citation_publisher"] == SITE


def _document(cited: Cited, archive: Archive) -> str:
    head = highwire_html(cited) + "\n" + json_ld_html(cited, archive.vocabularies)
    return f"<!doctype html><html><head><title>t</title>\n{head}\n</head><body><p>After</p></body></html>"


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_meta_content_is_escaped_and_reads_back(archive: Archive, article: Article, title: str) -> None:
    cited = _titled(article, title)
    soup = BeautifulSoup(_document(cited, archive), "lxml")
    meta = soup.find("meta", attrs={"name": "citation_title"})
    assert isinstance(meta, Tag)
    assert meta["content"] == " ".join(title.split())
    assert len(soup.find_all("meta", attrs={"name": "citation_author"})) == 2
    if '"' in title or "<" in title:
        tag = highwire_html(cited).splitlines()[0]
        assert '"' not in tag.removeprefix('<meta name="citation_title" content="')[:-2]
        assert "<" not in tag[1:]


# ---- JSON-LD ---------------------------------------------------------------------------------


def _extracted(document: str) -> dict[str, Any]:
    found = extruct.extract(document, base_url=PERMALINK, syntaxes=["json-ld"])["json-ld"]
    assert len(found) == 1
    item: dict[str, Any] = found[0]
    return item


def test_json_ld_reads_back(archive: Archive, article: Article) -> None:
    data = _extracted(_document(_cited(article), archive))
    assert (data["@type"], data["@id"], data["url"]) == ("Report", PERMALINK, PERMALINK)
    assert (data["datePublished"], data["dateModified"]) == ("2025-10-23", "2025-10-30")
    assert [a["name"] for a in data["author"]] == ["Olena Shevchenko", "Synthetic Desk"]
    assert data["publisher"] == {"@type": "Organization", "name": SITE, "url": "https://archive.invalid/"}
    assert data["identifier"]["value"] == SHA
    assert data["inLanguage"] == "uk"
    [source] = data["citation"]
    assert source["archivedAt"] == "https://archive.invalid/web/report"
    assert source["publisher"]["name"] == "Synthetic News"
    assert data["correction"] == [
        {"@type": "CorrectionComment", "datePublished": "2025-10-30", "text": "Corrected the district."}
    ]
    strike, month = data["about"]
    assert strike["@type"] == "Event"
    assert strike["@id"] == f"{PERMALINK}#event-kyiv-strike"
    assert (strike["name"], strike["startDate"]) == ("Air/drone strike in Kyiv", "2025-10-22")
    assert strike["description"] == "Killed: 2. Injured: not reported."
    assert (month["startDate"], month["endDate"]) == ("2025-10", "2025-10")  # not the 1st: the month


def test_latitude_is_north_and_longitude_east(archive: Archive, article: Article) -> None:
    """Kyiv is about 50.45 N, 30.52 E: a swap would put it in the Arabian Sea."""
    strike, from_region = json_ld(_cited(article), archive.vocabularies)["about"]
    assert strike["location"]["geo"] == {"@type": "GeoCoordinates", "latitude": 50.4501, "longitude": 30.5234}
    geo = from_region["location"]["geo"]  # no coordinates given: Kyiv's own, from the vocabulary
    assert (geo["latitude"], geo["longitude"]) == archive.vocabularies["regions"]["kyiv"].coordinates
    assert 50 < geo["latitude"] < 51 and 30 < geo["longitude"] < 31


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_json_ld_script_cannot_be_closed_by_a_title(archive: Archive, article: Article, title: str) -> None:
    cited = _titled(article, title)
    script = json_ld_html(cited, archive.vocabularies)
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not re.search(r"[<>&]", inner)
    document = _document(cited, archive)
    soup = BeautifulSoup(document, "lxml")
    assert len(soup.find_all("script")) == 1
    assert _one(soup, "p").get_text() == "After"  # the page goes on after the script
    assert _extracted(document)["headline"] == title


def test_json_ld_is_deterministic(archive: Archive, article: Article) -> None:
    cited = _titled(article, "Обстріл Києва")
    first = json_ld_html(cited, archive.vocabularies)
    assert first == json_ld_html(dataclasses.replace(cited), archive.vocabularies)
    assert '"headline":"Обстріл Києва"' in first  # UTF-8, not \u escapes
    assert first.index('"@context"') < first.index('"@type"') < first.index('"about"')  # keys sorted


def test_without_a_site_url_nothing_invents_a_host(archive: Archive, article: Article) -> None:
    cited = Cited(article, "articles/2025/10/kyiv-night/", SITE)
    data = json_ld(cited, archive.vocabularies)
    assert not {"@id", "url", "mainEntityOfPage"} & set(data)
    assert data["about"][0]["@id"] == "#event-kyiv-strike"  # resolves against the page itself
    assert "url" not in data["publisher"]
    assert "url" not in bibtex(cited) and "\\url" not in bibtex(cited)
    assert "\r\nUR  - " not in ris(cited)
    assert "URL" not in json.loads(csl_json(cited))[0]


# ---- BibTeX ----------------------------------------------------------------------------------


def _latex_to_text(value: str) -> str:
    """What LaTeX prints for a field's value: pylatexenc, taught the glyph macros LaTeX defines
    and it does not know."""
    db = latex2text.get_default_latex_context_db()
    glyphs = {"textbraceleft": "{", "textbraceright": "}", "textasciicircum": "^"}
    db.add_context_category(
        "glyphs", prepend=True, macros=[latex2text.MacroTextSpec(k, v) for k, v in glyphs.items()]
    )
    return str(latex2text.LatexNodes2Text(latex_context=db).latex_to_text(value))


def _parse_bibtex(text: str) -> dict[str, Any]:
    """The one entry of `text`, fields as written (enclosing braces removed), authors split."""
    split = [middlewares.SeparateCoAuthors()]
    library = bibtexparser.parse_string(text, append_middleware=split)  # type: ignore[attr-defined]
    assert library.failed_blocks == []
    [entry] = library.entries
    return {"key": entry.key, "type": entry.entry_type, **{f.key: f.value for f in entry.fields}}


def test_bibtex_fields(article: Article) -> None:
    raw = _parse_bibtex(bibtex(_cited(article)))
    assert (raw["key"], raw["type"]) == ("2025-10-kyiv-night", "misc")
    assert raw["author"] == ["{Olena Shevchenko}", "{Synthetic Desk}"]  # whole names, never split
    assert (raw["year"], raw["month"], raw["date"]) == ("2025", "oct", "2025-10-23")
    assert raw["url"] == PERMALINK
    assert raw["howpublished"] == f"{SITE}, \\url{{{PERMALINK}}}"
    assert raw["note"] == f"Last changed 2025-10-30. SHA-256 of the source file: {SHA}."


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_bibtex_titles_round_trip(article: Article, title: str) -> None:
    text = bibtex(_titled(article, title))
    # BibTeX counts every brace, escaped or not: the entry must balance as it counts them.
    assert text.count("{") == text.count("}")
    fields = _parse_bibtex(text)
    # `--` is LaTeX's en dash: what a LaTeX user expects of a dash typed in a title.
    assert _latex_to_text(fields["title"]) == " ".join(title.split()).replace("--", "–")
    assert [_latex_to_text(a) for a in fields["author"]] == ["Olena Shevchenko", "Synthetic Desk"]


def test_bibtex_keeps_unicode_and_escapes_authors(article: Article) -> None:
    cited = _cited(dataclasses.replace(article, authors=("Тарас & Co", "A and B")))
    authors = _parse_bibtex(bibtex(cited))["author"]
    assert [_latex_to_text(a) for a in authors] == [
        "Тарас & Co",
        "A and B",
    ]  # "and" inside a braced name is no separator


def test_bibtex_url_in_howpublished_escapes_percent_for_hyperref(article: Article) -> None:
    cited = _cited(article, "https://archive.invalid/articles/2025/10/%D0%BA%D0%B8%D1%97%D0%B2/")
    raw = _parse_bibtex(bibtex(cited))
    assert raw["url"] == cited.permalink  # read verbatim
    assert raw["howpublished"].endswith(
        "\\url{https://archive.invalid/articles/2025/10/\\%D0\\%BA\\%D0\\%B8\\%D1\\%97\\%D0\\%B2/}"
    )


@pytest.mark.parametrize(
    ("path", "published", "key"),
    [
        ("2025/10/kyiv-strike.md", "2025-10-23", "2025-10-kyiv-strike"),
        ("2025/10/kyiv-strike/index.md", "2025-10-23", "2025-10-kyiv-strike"),
        ("kyiv.md", "2024-02-01", "2024-kyiv"),
        ("2025/10/Zaporizhzhia_Strike.md", "2025-10-23", "2025-10-zaporizhzhia-strike"),
        ("2025/10/café.md", "2025-10-23", "2025-10-cafe-"),  # folded, then a digest of the slug
        ("2025/10/київ.md", "2025-10-23", "2025-10-"),
    ],
)
def test_citation_keys(article: Article, path: str, published: str, key: str) -> None:
    made = citation_key(dataclasses.replace(article, path=path, published=dt.date.fromisoformat(published)))
    if path.isascii():
        assert made == key
    else:
        assert re.fullmatch(re.escape(key) + "[0-9a-f]{8}", made)


def test_citation_keys_of_slugs_in_other_scripts_differ(article: Article) -> None:
    one = citation_key(dataclasses.replace(article, path="2025/10/київ.md"))
    two = citation_key(dataclasses.replace(article, path="2025/10/харків.md"))
    assert one != two


# ---- RIS and CSL-JSON ------------------------------------------------------------------------


def test_ris(article: Article) -> None:
    text = ris(_cited(article))
    assert text.endswith("ER  - \r\n") and "\n" not in text.replace("\r\n", "")
    assert text.split("\r\n")[:-2] == [
        "TY  - RPRT",
        "TI  - Night attack on Kyiv",
        "AU  - Olena Shevchenko",
        "AU  - Synthetic Desk",
        "PY  - 2025",
        "DA  - 2025/10/23/",
        f"PB  - {SITE}",
        f"UR  - {PERMALINK}",
        "LA  - uk",
        "AB  - Drones struck Kyiv overnight.",
        f"N1  - Last changed 2025-10-30. SHA-256 of the source file: {SHA}.",
    ]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_ris_titles_stay_on_their_line(article: Article, title: str) -> None:
    lines = ris(_titled(article, title)).split("\r\n")
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1]), lines
    assert [line for line in lines if line.startswith("TI  - ")] == [f"TI  - {' '.join(title.split())}"]
    assert lines[-1] == ""  # the record ends with its line break, and nothing after


def test_csl_json(article: Article) -> None:
    text = csl_json(_cited(article))
    assert text == csl_json(_cited(article))
    [item] = json.loads(text)
    assert item == {
        "id": "2025-10-kyiv-night",
        "type": "report",
        "title": "Night attack on Kyiv",
        "author": [{"literal": "Olena Shevchenko"}, {"literal": "Synthetic Desk"}],
        "issued": {"date-parts": [[2025, 10, 23]]},
        "publisher": SITE,
        "URL": PERMALINK,
        "language": "uk",
        "abstract": "Drones struck Kyiv overnight.",
        "note": f"Last changed 2025-10-30. SHA-256 of the source file: {SHA}.",
    }
    assert list(json.loads(text)[0]) == sorted(item)  # keys sorted: the same bytes every build


# ---- Templates -------------------------------------------------------------------------------


def _one(parent: Tag, name: str, **attrs: Any) -> Tag:
    found = parent.find(name, **attrs)
    assert isinstance(found, Tag), (name, attrs)
    return found


def test_cite_block(article: Article) -> None:
    cited = _titled(article, '<script>alert("x")</script> & co')
    html = cite_block_html(template_environment(), cited)
    soup = BeautifulSoup(html, "html.parser")
    section = soup.find("section", class_="ca-cite")
    assert isinstance(section, Tag) and section["aria-labelledby"] == "cite-this"
    heading = section.find("h2", id="cite-this")
    assert heading is not None and heading.get_text() == "Cite this"
    assert soup.find("script") is None
    shown = section.find("p", class_="ca-cite__reference")
    assert shown is not None and shown.get_text() == reference(cited)
    downloads = {}
    for details in section.find_all("details"):
        code, link = _one(_one(details, "pre"), "code"), _one(details, "a")
        media_type, _, payload = str(link["href"]).removeprefix("data:").partition(",")
        assert not re.search(r"[\s\"'<>]", str(link["href"]))
        assert unquote(payload) == code.get_text()
        downloads[str(link["download"])] = (media_type, code.get_text())
    assert downloads == {
        "2025-10-kyiv-night.bib": ("application/x-bibtex;charset=utf-8", bibtex(cited)),
        "2025-10-kyiv-night.ris": ("application/x-research-info-systems;charset=utf-8", ris(cited)),
        "2025-10-kyiv-night.json": ("application/vnd.citationstyles.csl+json;charset=utf-8", csl_json(cited)),
    }


def test_event_cite(archive: Archive, article: Article) -> None:
    event = article.events[0]
    html = event_cite_html(
        template_environment(), _titled(article, "<b>Bold</b>"), event, archive.vocabularies
    )
    details = _one(BeautifulSoup(html, "html.parser"), "details", class_="ca-event-cite")
    assert _one(details, "summary").get_text() == "Cite this event"
    assert details.find("b") is None
    assert "“<b>Bold</b>.”" in details.get_text()
    assert details.get_text().strip().endswith(f"{PERMALINK}#event-kyiv-strike.")


def test_a_site_template_replaces_the_block(tmp_path: Path, article: Article) -> None:
    (tmp_path / "cite.html").write_text('<p class="mine">{{ reference }}</p>\n', encoding="utf-8")
    html = cite_block_html(template_environment([tmp_path]), _titled(article, "A & B"))
    assert html.startswith('<p class="mine">') and "A &amp; B" in html
