"""Property: whatever an editor types into any text field or vocabulary name, the built site
contains no element or attribute that the editor's text injected.

Every generated value carries the marker `xinj` inside markup-like fragments (tags, quotes
that would close an attribute, `</title>`, comments, bidi and zero-width characters); after
the build, no page may contain an `<xinj>` element, a `data-xinj` or `onerror` attribute,
or a `<script>` that Material did not put there.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import MKDOCS_YML

FRAGMENTS = [
    "<xinj>",
    "</xinj>",
    "<xinj data-xinj='1'>",
    '" data-xinj="1',
    "' data-xinj='1",
    "</title><xinj>",
    "<img src=x onerror=alert(1)>",
    "<script>alert(1)</script>",
    "<!--",
    "-->",
    "&",
    "&amp;",
    "&lt;",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "{{ 7*7 }}",
    "{% raw %}",
    "]]>",
    "`",
    "*",
    "_",
    "[x](javascript:alert(1))",
]
payload = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet="abc XYZ<>\"'&/=;:", min_size=1, max_size=6)),
    min_size=1,
    max_size=5,
).map(lambda parts: "Synthetic " + "".join(parts))


def _write_site(root: Path, texts: list[str]) -> None:
    title, summary, location, note, name, description, author, tag = texts
    (root / "docs").mkdir(parents=True)
    # The archive at a glance too: its latest reports, busiest regions and map name editors' text.
    (root / "docs" / "index.md").write_text(
        "# Synthetic archive\n\n<!-- conflict-archive:overview -->\n", encoding="utf-8"
    )
    (root / "mkdocs.yml").write_text(
        MKDOCS_YML.format(options="      search: material", material_search="  - search\n"), encoding="utf-8"
    )
    vocabulary = root / "articles" / "_vocabulary"
    vocabulary.mkdir(parents=True)
    entry = {"name": name, "description": description, "aliases": [f"{name} alias"]}
    for taxonomy, key, extra in (
        ("regions", "synthetic-place", {"parent": "kyiv", "coordinates": [50.4, 30.5]}),
        ("actors", "synthetic-actor", {"kind": "other"}),
        ("weapons", "synthetic-weapon", {}),
        ("tags", "synthetic-tag", {}),
        ("event-types", "synthetic-type", {"parent": "explosions-remote-violence"}),
    ):
        data = {key: {**entry, **extra}}
        (vocabulary / f"{taxonomy}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
        )
    front: dict[str, Any] = {
        "title": title,
        "date": "2025-10-23",
        "summary": summary,
        "authors": [author],
        "tags": [f"{tag} tag", "synthetic-tag"],
        "sources": [{"title": title, "publisher": author, "url": "https://synthetic.invalid/?q=<xinj>"}],
        "events": [
            {
                "date": "2025-10-22",
                "type": "synthetic-type",
                "region": f"{name} alias",
                "location": location,
                "perpetrators": ["synthetic-actor"],
                "weapons": ["synthetic-weapon"],
                "killed": {"low": 1, "high": 2},
                "injured": {"low": 1, "as_reported": note},
                "damage": [location],
                "notes": note,
                "sources": [1],
            }
        ],
        "corrections": [{"date": "2025-10-24", "note": note}],
    }
    text = (
        "---\n"
        + yaml.safe_dump(front, allow_unicode=True, sort_keys=False)
        + "---\n"
        + note
        + "\n\n"
        + title
        + "\n"
    )
    (root / "articles" / "synthetic.md").write_text(text, encoding="utf-8")


def _injected(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    found = [f"<{tag.name}>" for tag in soup.find_all("xinj")]
    found += [
        f"{tag.name}[{attribute}]"
        for tag in soup.find_all(True)
        for attribute in tag.attrs
        if attribute in {"data-xinj", "onerror"}
    ]
    for script in soup.find_all("script"):
        text = script.get_text()
        if script.get("type") == "application/ld+json":
            # Data, not code: editors' text may be in it, but only as JSON strings, with no `<`
            # that could close the element.
            if "<" in text or not isinstance(json.loads(text), dict):
                found.append(f"<script type=ld+json> {text[:40]!r}")
        elif "alert(1)" in text:
            found.append(f"<script> {text[:40]!r}")
    return found


@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(texts=st.lists(payload, min_size=8, max_size=8))
def test_no_editor_value_injects_markup(tmp_path_factory: Any, texts: list[str]) -> None:
    root = tmp_path_factory.mktemp("escaping")
    _write_site(root, texts)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    build(load_config(str(root / "mkdocs.yml"), strict=True))
    site = root / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        assert _injected(page.read_text(encoding="utf-8")) == [], page.relative_to(site)
    for data in ("search/search_index.json", "manifest.json"):
        json.loads((site / data).read_text(encoding="utf-8"))
