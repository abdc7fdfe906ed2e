"""Reading card YAML: positions of values, and refusal of hostile or broken input."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from conftest import BIN, ROOT, mkdocs_build, site_config, write_card
from generator.cards.catalog import load_catalog
from generator.cards.yaml_source import (
    MAX_BYTES,
    MAX_DEPTH,
    Position,
    YamlError,
    load_yaml,
    parse_yaml,
)


def test_positions_point_at_keys_and_list_items() -> None:
    doc = parse_yaml("name: a\ninputs:\n  - name: x\n    shape: [1,\n      3]\n")
    assert doc.position(("inputs", 0, "shape")).line == 4
    assert doc.position(("inputs", 0, "shape", 1)).line == 5
    # pydantic adds type tags to locations; the deepest known prefix is used
    assert doc.position(("inputs", 0, "shape", 1, "int")).line == 5


def test_float_keeps_digits_as_written() -> None:
    doc = parse_yaml("gflops: 2.300\n")
    assert doc.data["gflops"] == 2.3
    assert str(doc.data["gflops"]) == "2.300"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: &x [1]\nb: *x\n", 2, "aliases"),
        ("a: {x: 1}\nb:\n  <<: {y: 2}\n", 3, "merge keys"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a: [1, 2\nb: 3\n", 2, "invalid YAML"),
        ("a: b: c\n", 1, "invalid YAML"),
    ],
)
def test_bad_yaml_is_refused_with_its_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml(text)
    assert raised.value.line == line
    assert message in raised.value.message


def test_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    started = time.monotonic()
    with pytest.raises(YamlError, match="aliases"):
        parse_yaml("\n".join(lines))
    assert time.monotonic() - started < 2


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlError):
        parse_yaml("a: " + "[" * 5000 + "]" * 5000)
    with pytest.raises(YamlError, match="nested deeper"):
        parse_yaml("a: " + "[" * 60 + "]" * 60)


def test_huge_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_bytes(b"a: " + b"x" * (MAX_BYTES + 10))
    with pytest.raises(YamlError, match="byte limit"):
        load_yaml(path)


def test_binary_junk_is_refused_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_bytes(b"name: a\n\x00\x01\x02\xff")
    with pytest.raises(YamlError, match="binary") as raised:
        load_yaml(path)
    assert raised.value.line == 2


def test_invalid_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.yml"
    path.write_bytes(b"name: a\ndescription: caf\xe9\n")
    with pytest.raises(YamlError, match="UTF-8") as raised:
        load_yaml(path)
    assert raised.value.line == 2


@pytest.mark.parametrize("opener", ["[", "{a: ", "- "])
def test_40000_levels_are_refused_without_crashing(tmp_path: Path, opener: str) -> None:
    # libyaml's composer recursed once per level and segfaulted; a subprocess turns a crash
    # into a failed test instead of a dead pytest
    if opener == "- ":
        text = "- " * 40_000 + "x\n"  # block sequences nested on one line
    else:
        text = "a: " + opener * 40_000 + ("]" if opener == "[" else "}") * 40_000 + "\n"
    write_card(tmp_path, "m", text)
    result = subprocess.run(
        [str(BIN / "zoo"), "check", "--cards", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"yaml nested deeper than {MAX_DEPTH} levels" in result.stdout


def test_depth_limit_is_exact() -> None:
    inside = parse_yaml("a: " + "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)).data["a"]
    for _ in range(MAX_DEPTH - 1):
        (inside,) = inside
    assert inside == 1
    with pytest.raises(YamlError, match="nested deeper") as raised:
        parse_yaml("a: " + "[" * MAX_DEPTH + "1" + "]" * MAX_DEPTH)
    assert (raised.value.line, raised.value.col) == (1, 4 + MAX_DEPTH)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb: " + "9" * 5000 + "\n", 2, "invalid value"),
        ("a: 2024-13-45\n", 1, "invalid value"),
        ("a: !!python/object:os.system {}\n", 1, "tag"),
        ("a: !!set {x, y}\n", 1, "tag"),
        ("a: !custom x\n", 1, "invalid value"),
        ("? [k]\n: v\n", 1, "plain scalars"),
        ("a: 1\n---\nb: 2\n", 2, "single document"),
        ("a:\n  b: &x 1\n  c: *x\n", 3, "aliases"),
    ],
)
def test_hostile_values_are_refused_at_their_line(text: str, line: int, message: str) -> None:
    with pytest.raises(YamlError, match=message) as raised:
        parse_yaml(text)
    assert raised.value.line == line


def test_documents_of_one_scalar_or_nothing() -> None:
    assert parse_yaml("").data is None
    assert parse_yaml("# only a comment\n").data is None
    assert parse_yaml("just text\n").data == "just text"
    doc = parse_yaml("a: {b: [x, {c: 1.50}]}\n")
    assert doc.data == {"a": {"b": ["x", {"c": 1.5}]}}
    assert str(doc.data["a"]["b"][1]["c"]) == "1.50"
    assert doc.position(("a", "b", 1, "c")) == Position(1, 16)
    assert doc.position(("a", "b", 1, "c"), key=True) == Position(1, 13)


def test_disallowed_character_is_one_line_at_its_position() -> None:
    with pytest.raises(YamlError) as raised:
        parse_yaml("a: 1\nb: x\x07y\n")
    assert (raised.value.line, raised.value.col) == (2, 5)
    assert raised.value.message == "invalid YAML: character U+0007 is not allowed"


def test_site_build_refuses_deep_nesting_without_crashing(tmp_path: Path) -> None:
    cards = tmp_path / "cards"
    write_card(cards, "m", "a: " + "[" * 40_000 + "]" * 40_000 + "\n")
    result = mkdocs_build(site_config(tmp_path, cards), tmp_path / "site")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert f"yaml nested deeper than {MAX_DEPTH} levels" in result.stderr


def locs_of(value: object, loc: tuple = ()) -> set[tuple]:
    found = {loc}
    if isinstance(value, dict):
        for key, item in value.items():
            found |= locs_of(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found |= locs_of(item, (*loc, index))
    return found


@pytest.mark.parametrize("name", ["resnet50-binary-0001", "action-recognition-0001"])
def test_positions_are_read_only_when_asked_and_cover_every_value(name: str) -> None:
    text = (ROOT / "model_cards" / name / "model.yml").read_text()
    doc = parse_yaml(text)
    assert doc._positions is None  # a card without findings never pays for its positions
    assert set(doc.positions) == locs_of(doc.data)
    mapping_items = {loc for loc in doc.positions if loc and isinstance(loc[-1], str)}
    assert set(doc.keys) == mapping_items
    assert parse_yaml(text).data == doc.data  # reading positions did not change the data


def test_valid_cards_of_a_catalog_hold_no_positions(tmp_path: Path) -> None:
    write_card(tmp_path, "a", "name: a\ntask: detection\ndescription: A.\n")
    write_card(tmp_path, "b", "name: b\ntask: detection\ndescription: B.\nyear: 1800\n")
    catalog = load_catalog(tmp_path)
    assert [source.doc._positions for source in catalog.cards] == [None]
    (finding,) = catalog.findings
    assert (finding.line, finding.col, finding.code) == (4, 7, "invalid-value")
