"""The raw-HTML policy for editor-written Markdown (article bodies and term intros).

By default (`raw_html: sanitize`) the HTML that Markdown produced is passed through nh3
(the Ammonia sanitizer) with an allowlist that keeps everything Markdown and the usual
extensions emit (headings with ids and permalinks, tables with alignment, code highlighting,
admonitions, footnotes, details) and drops scripts, styles, event handlers, iframes, forms
and `javascript:` URLs. `raw_html: allow` trusts editors completely, for archives where
only trusted people can commit.
"""

from __future__ import annotations

import nh3

POLICIES = ("sanitize", "allow")

_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
_ATTRIBUTES: dict[str, set[str]] = {tag: {*attributes} for tag, attributes in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = _GLOBAL_ATTRIBUTES
_ATTRIBUTES["a"] = {*_ATTRIBUTES.get("a", set()), "title"}
_ATTRIBUTES["img"] = {*_ATTRIBUTES.get("img", set()), "title", "loading"}
for _cell in ("td", "th"):  # the tables extension aligns columns with style="text-align: …"
    _ATTRIBUTES[_cell] = {*_ATTRIBUTES.get(_cell, set()), "style"}
_ATTRIBUTES["details"] = {"open"}
_ATTRIBUTES["ol"] = {*_ATTRIBUTES.get("ol", set()), "start", "reversed"}


# Built once: `nh3.clean` converts the allowlists again on every call, which costs more than
# cleaning a short body does (docs/benchmarks.md measures the build).
_CLEANER = nh3.Cleaner(
    tags=nh3.ALLOWED_TAGS,
    attributes=_ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel=None,
    filter_style_properties={"text-align"},
)


def sanitize_html(html: str) -> str:
    return _CLEANER.clean(html)
