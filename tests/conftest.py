"""Shared helpers: write small archives into tmp_path, build them with MkDocs, parse the HTML."""

from __future__ import annotations

import os
import subprocess
import textwrap
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from htmlcheck import forget_parsed_pages

REPO = Path(__file__).resolve().parent.parent

MKDOCS_YML = """\
site_name: Synthetic archive
site_url: https://synthetic.invalid/
theme:
  name: material
plugins:
{material_search}  - conflict-archive:
{options}
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
  links:
    not_found: warn
"""


class SiteDir:
    """A site folder in tmp_path: mkdocs.yml, docs/, articles/, and helpers to fill them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.articles = root / "articles"
        self.site = root / "site"
        (root / "docs").mkdir(parents=True, exist_ok=True)
        (root / "docs" / "index.md").write_text("# Synthetic archive\n", encoding="utf-8")
        self.articles.mkdir(exist_ok=True)
        self.configure()

    def configure(self, **options: Any) -> None:
        """Write mkdocs.yml with these plugin options. Unless told otherwise the site uses
        Material's search plugin and hands it the archive (`search: material`), as most tests
        need no search index; `search="pagefind"` drops Material's plugin for the archive's."""
        options.setdefault("search", "material")
        material_search = "  - search\n" if options["search"] == "material" else ""
        lines = (
            "\n".join(
                f"      {k}: {yaml.safe_dump(v, default_flow_style=True).strip().removesuffix('...').strip()}"
                for k, v in options.items()
            )
            or "      enabled: true"
        )
        (self.root / "mkdocs.yml").write_text(
            MKDOCS_YML.format(options=lines, material_search=material_search), encoding="utf-8"
        )

    def add_to_config(self, yaml: str) -> None:
        """Append top-level settings (`hooks:`, `validation:`, ...) to the site's mkdocs.yml."""
        config = self.root / "mkdocs.yml"
        config.write_text(config.read_text(encoding="utf-8") + yaml, encoding="utf-8")

    def add_plugins(self, yaml: str) -> None:
        """Add entries (`- tags`, `- privacy:` with its options, ...) at the end of the `plugins:`
        list, after conflict-archive. Call it after `configure`, which writes mkdocs.yml afresh."""
        config = self.root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        entries = textwrap.indent(textwrap.dedent(yaml).strip("\n") + "\n", "  ")
        assert "\nvalidation:\n" in text, "the plugins list ends where validation: starts"
        config.write_text(
            text.replace("\nvalidation:\n", "\n" + entries + "validation:\n", 1), encoding="utf-8"
        )

    def write(self, relative: str, text: str) -> Path:
        path = self.articles / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def article(self, relative: str, front: dict[str, Any], body: str = "Synthetic body text.\n") -> Path:
        text = "---\n" + yaml.safe_dump(front, sort_keys=False, allow_unicode=True) + "---\n" + body
        path = self.articles / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, strict: bool = True) -> None:
        """As `mkdocs build` does it: a new process, so new plugin instances."""
        MkDocsConfig.plugins.plugin_cache.clear()
        config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
        forget_parsed_pages()
        try:
            build(config)
        finally:
            forget_parsed_pages()

    def files(self) -> dict[str, bytes]:
        """Every file of the built site, by path: two builds compare equal if they wrote the same bytes."""
        site = self.site
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()
        }

    def html(self, url_path: str) -> BeautifulSoup:
        """The built page at a site URL path such as `regions/kyiv/`."""
        path = (
            self.site / url_path.strip("/") / "index.html"
            if not url_path.endswith(".html")
            else self.site / url_path
        )
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(autouse=True)
def new_plugin_instances() -> None:
    """MkDocs keeps one instance of each plugin that defines on_startup for the whole process
    (so that `mkdocs serve` keeps it between rebuilds); each test starts with new ones, as a
    new `mkdocs build` would."""
    MkDocsConfig.plugins.plugin_cache.clear()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demonstration archive, built once with `mkdocs build --strict` (tests only read it)."""
    site = tmp_path_factory.mktemp("demo") / "site"
    build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site), strict=True))
    return site


@pytest.fixture
def site_dir(tmp_path: Path) -> SiteDir:
    return SiteDir(tmp_path / "site-root")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tmp_path as the current folder, where a user runs a command (beside mkdocs.yml), so that
    output names `site/...` as the user would type it."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


GIT_TIME = "2025-11-25T10:30:00+00:00"  # the commit time of tests' repositories


def git_env(when: str = GIT_TIME) -> dict[str, str]:
    """The environment for git (and tools that run it): a synthetic editor at a fixed time,
    whatever the machine's settings."""
    return {
        **os.environ,
        "GIT_AUTHOR_NAME": "Synthetic Editor",
        "GIT_AUTHOR_EMAIL": "editor@synthetic.invalid",
        "GIT_COMMITTER_NAME": "Synthetic Editor",
        "GIT_COMMITTER_EMAIL": "editor@synthetic.invalid",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def run_git(folder: Path, *args: str, when: str = GIT_TIME) -> str:
    """git in `folder`, with `git_env`."""
    env = git_env(when)
    result = subprocess.run(
        ["git", "-C", str(folder), *args], env=env, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def write_files(folder: Path, files: Mapping[str, str | bytes]) -> None:
    """Each file (a path relative to `folder`: its text or bytes) written, folders made."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def synthetic_event(**fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "date": "2025-10-22",
        "type": "air-drone-strike",
        "region": "kyiv",
        "perpetrators": ["russian-armed-forces"],
    }
    event.update(fields)
    return event


def synthetic_article(number: int, **fields: Any) -> dict[str, Any]:
    front: dict[str, Any] = {"title": f"Synthetic report {number:06d}", "date": "2025-10-23"}
    front.update(fields)
    return front


@pytest.fixture
def make_article() -> Callable[..., dict[str, Any]]:
    return synthetic_article
