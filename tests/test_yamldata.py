"""The strict YAML loader: no coercion, exact lines, and refusal of what YAML 1.1 gets wrong."""

from __future__ import annotations

import pytest
import yaml

from conflict_archive import yamldata


def test_values_are_not_coerced_behind_the_editors_back() -> None:
    data, _ = yamldata.load(
        "a: NO\nb: 012\nc: 1:20\nd: 2024-02-03\ne: yes\nf: 12\ng: -3\nh: 2.5\ni: true\nj: ~\n"
    )
    assert data == {
        "a": "NO",
        "b": "012",
        "c": "1:20",
        "d": "2024-02-03",
        "e": "yes",
        "f": 12,
        "g": -3,
        "h": 2.5,
        "i": True,
        "j": None,
    }


def test_quoted_numbers_stay_text() -> None:
    data, _ = yamldata.load("a: '12'\nb: \"true\"\n")
    assert data == {"a": "12", "b": "true"}


def test_lines_are_recorded_for_every_value_with_an_offset() -> None:
    _, lines = yamldata.load("title: x\nevents:\n  - date: 2024-01-01\n    killed: 3\n", first_line=2)
    assert lines[("title",)] == 2
    assert lines[("events", 0)] == 4
    assert lines[("events", 0, "killed")] == 5


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: &x 1\nb: *x\n", 1, "anchors and aliases"),
        ("a: !!python/object/apply:os.system [ls]\n", 1, "YAML tags"),
        ("a: !!binary aGk=\n", 1, "YAML tags"),
        ("a: !!set {x}\n", 1, "YAML tags"),
        ("1: x\n", 1, "keys must be names"),
        ("a: !!str 12\n", 1, "YAML tags such as 'tag:yaml.org,2002:str'"),
        ("a: 1\nb: \x1b\n", 2, "control character U+001B"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", 1, "nested more than 32 levels"),
        ("a: 'x\u2028y\u0085z'\nb: !!binary eA==\n", 2, "YAML tags"),  # U+2028 and NEL are not line breaks
        ("a: [1, 2\n", 1, "invalid YAML: while parsing a flow sequence"),
    ],
)
@pytest.mark.parametrize("loader", [yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)])
def test_refused_yaml_is_located(
    text: str, line: int, message: str, loader: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same refusals with libyaml and with pure-Python PyYAML (used where libyaml is missing)."""
    monkeypatch.setattr(yamldata, "_Loader", loader)
    with pytest.raises(yamldata.YamlDataError) as caught:
        yamldata.load(text)
    assert caught.value.line == line
    assert message in caught.value.message


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    with pytest.raises(yamldata.YamlDataError, match="anchors and aliases"):
        yamldata.load(bomb)
