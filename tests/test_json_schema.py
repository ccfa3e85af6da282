"""The published JSON Schema agrees with the validator: the demonstration archive passes it,
and bad input that JSON Schema can express fails it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from conflict_archive import yamldata
from conflict_archive.cli import main
from conflict_archive.json_schema import article_schema, vocabulary_schema
from conflict_archive.vocabulary_files import load_vocabularies
from conftest import REPO

ARTICLES = REPO / "articles"
CORPUS = Path(__file__).parent / "bad_inputs"


def _front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8-sig")
    _, front, _ = text.split("---\n", 2)
    return yamldata.load(front)[0]  # as editors' tools see it: dates stay text


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    vocabularies, problems = load_vocabularies(ARTICLES, "articles")
    assert problems == []
    schema = article_schema(vocabularies)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_demonstration_article_satisfies_the_schema(validator: Draft202012Validator) -> None:
    articles = sorted(p for p in ARTICLES.rglob("*.md") if "_vocabulary" not in p.parts)
    assert len(articles) >= 25
    for path in articles:
        errors = [e.message for e in validator.iter_errors(_front_matter(path))]
        assert errors == [], path


@pytest.mark.parametrize(
    "fixture",
    [
        "title-list.md",
        "killed-text.md",
        "killed-negative.md",
        "javascript-url.md",
        "unknown-field.md",
        "bad-sha256.md",
        "region-near-miss.md",
        "event-region-unknown.md",
        "missing-title.md",
        "ftp-archived-url.md",
        "high-without-low.md",
        "words-without-low.md",
        "as-reported-number.md",
        "unknown-precision.md",
    ],
)
def test_bad_input_fails_the_schema_too(validator: Draft202012Validator, fixture: str) -> None:
    assert list(validator.iter_errors(_front_matter(CORPUS / fixture))), fixture


def test_vocabulary_files_satisfy_their_schema() -> None:
    for file in sorted((REPO / "plugins" / "conflict_archive" / "vocabularies").glob("*.yml")):
        schema = vocabulary_schema(file.stem)
        Draft202012Validator.check_schema(schema)
        data = yamldata.load(file.read_text(encoding="utf-8"))[0]
        assert [e.message for e in Draft202012Validator(schema).iter_errors(data)] == [], file


def test_schema_command_prints_the_site_vocabulary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(REPO)]) == 0
    schema = json.loads(capsys.readouterr().out)
    regions = schema["$defs"]["EventIn"]["properties"]["region"]["enum"]
    assert "kharkiv" in regions and "chornomorsk" in regions  # shipped and site entries
