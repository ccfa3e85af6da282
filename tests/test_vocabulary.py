"""Vocabularies: keys, aliases, hierarchy, merging of shipped and site entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from conflict_archive.places import REGION_KINDS
from conflict_archive.vocabulary import Term, UnknownTerm, Vocabulary, normalise, slugify
from conflict_archive.vocabulary_files import load_vocabularies


def _vocabulary() -> Vocabulary:
    return Vocabulary(
        "regions",
        {
            "ukraine": Term("regions", "ukraine", "Ukraine", coordinates=(48.0, 31.0)),
            "kyiv": Term("regions", "kyiv", "Kyiv", aliases=("Kiev",), parent="ukraine"),
            "kyiv-pecherskyi": Term(
                "regions", "kyiv-pecherskyi", "Pecherskyi", aliases=("Pechersk",), parent="kyiv"
            ),
            "kharkiv": Term("regions", "kharkiv", "Kharkiv", parent="ukraine"),
        },
    )


def test_resolve_by_key_or_alias_ignoring_case_and_spaces() -> None:
    vocabulary = _vocabulary()
    assert vocabulary.resolve("kyiv") == "kyiv"
    assert vocabulary.resolve(" KIEV\u00a0") == "kyiv"
    assert vocabulary.resolve("pechersk") == "kyiv-pecherskyi"


def test_unknown_value_names_the_nearest_keys() -> None:
    with pytest.raises(UnknownTerm, match="nearest known keys: kharkiv"):
        _vocabulary().resolve("Kharkov")


def test_ambiguous_alias_is_an_error() -> None:
    vocabulary = Vocabulary(
        "actors",
        {
            "a": Term("actors", "a", "A", aliases=("Forces",)),
            "b": Term("actors", "b", "B", aliases=("forces",)),
        },
    )
    with pytest.raises(UnknownTerm, match="ambiguous: it is an alias of a, b"):
        vocabulary.resolve("Forces")


def test_hierarchy_and_inherited_coordinates() -> None:
    vocabulary = _vocabulary()
    assert vocabulary.ancestors("kyiv-pecherskyi") == ("kyiv", "ukraine")
    assert vocabulary.children("ukraine") == ("kharkiv", "kyiv")
    assert vocabulary.coordinates("kyiv-pecherskyi") == (48.0, 31.0)


def test_tags_normalise_to_one_key() -> None:
    assert {slugify(t) for t in ("Gaza", "gaza", "Gaza ", "\u00a0GAZA")} == {"gaza"}
    assert slugify("Energy  infrastructure") == "energy-infrastructure"
    assert normalise("Ａ b") == "a b"


def test_shipped_vocabularies_have_the_acled_taxonomy() -> None:
    vocabularies, problems = load_vocabularies(Path("/nonexistent"), "articles")
    assert problems == []
    types = vocabularies["event-types"]
    roots = [k for k in types if types[k].parent is None]
    assert len(roots) == 6
    assert len(types) - len(roots) == 25
    assert types["air-drone-strike"].parent == "explosions-remote-violence"
    assert types["shelling-artillery-missile-attack"].parent == "explosions-remote-violence"


def test_gazetteer_takes_official_names_from_pycountry() -> None:
    regions = load_vocabularies(Path("/nonexistent"), "articles")[0]["regions"]
    assert regions["kharkiv-oblast"].iso == "UA-63"
    assert regions.resolve("Kharkivska oblast") == "kharkiv-oblast"
    assert regions.ancestors("kyiv-dniprovskyi") == ("kyiv", "ukraine")


def test_site_entries_override_shipped_keys_and_aliases(tmp_path: Path) -> None:
    folder = tmp_path / "_vocabulary"
    folder.mkdir()
    (folder / "weapons.yml").write_text(
        "shahed-136: {name: Site Shahed}\n"
        "site-drone: {name: Site drone, aliases: [Geran-2], parent: drone}\n",
        encoding="utf-8",
    )
    weapons = load_vocabularies(tmp_path, "articles")[0]["weapons"]
    assert weapons["shahed-136"].name == "Site Shahed"
    assert weapons.resolve("geran-2") == "site-drone"


def test_shipped_vocabularies_can_be_turned_off(tmp_path: Path) -> None:
    vocabularies, _ = load_vocabularies(tmp_path, "articles", shipped=False)
    assert all(len(v) == 0 for v in vocabularies.values())


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("a: {name: A, parent: b}\nb: {name: B, parent: a}\n", 1, "a.parent", "parent cycle: a -> b -> a"),
        ("a: {name: A, parent: nowhere}\n", 1, "a.parent", "no regions entry 'nowhere'"),
        (
            "a: {name: A, aliases: [X]}\nb: {name: B, aliases: [x]}\n",
            2,
            "b.aliases",
            "alias 'x' is already used by 'a'",
        ),
        ("Bad Key: {name: A}\n", 1, "Bad Key", "lowercase slugs"),
        ("a: {name: A, kind: army}\n", 1, "a.kind", "unknown kind 'army'; known kinds: 'country'"),
        ("a:\n  name: A\n  kind: state forces\n", 3, "a.kind", "unknown kind 'state forces'"),
        ("a: {name: A, iso: UA-99}\n", 1, "a.iso", "not an ISO 3166 code"),
        ("a: {name: A, colour: red}\n", 1, "a.colour", "unknown field"),
    ],
)
def test_vocabulary_file_problems_are_located(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    folder = tmp_path / "_vocabulary"
    folder.mkdir()
    (folder / "regions.yml").write_text(text, encoding="utf-8")
    _, problems = load_vocabularies(tmp_path, "articles", shipped=False)
    assert problems, "expected a problem"
    problem = problems[0]
    assert (problem.path, problem.line, problem.field) == ("articles/_vocabulary/regions.yml", line, field)
    assert message in problem.message


def test_every_shipped_region_says_what_sort_of_place_it_is() -> None:
    regions = load_vocabularies(Path("/nonexistent"), "articles")[0]["regions"]
    assert {key for key, term in regions.items() if term.kind not in REGION_KINDS} == set()
    assert (regions["ukraine"].kind, regions["odesa-oblast"].kind) == ("country", "oblast")
    assert (regions["hroza"].kind, regions["kyiv-pecherskyi"].kind) == ("village", "city district")


def test_an_actor_kind_is_refused_for_a_region_and_a_region_kind_for_an_actor(tmp_path: Path) -> None:
    folder = tmp_path / "_vocabulary"
    folder.mkdir()
    (folder / "actors.yml").write_text("a: {name: A, kind: oblast}\n", encoding="utf-8")
    (folder / "weapons.yml").write_text("w: {name: W, kind: city}\n", encoding="utf-8")
    _, problems = load_vocabularies(tmp_path, "articles", shipped=False)
    assert [(p.path, p.field, p.message[:30]) for p in problems] == [
        ("articles/_vocabulary/actors.yml", "a.kind", "unknown kind 'oblast'; known k"),
        ("articles/_vocabulary/weapons.yml", "w.kind", "'kind' is not a field of weapo"),
    ]
