"""Read a card's YAML safely and remember where every value came from.

Uses libyaml's composer (fast, bounded nesting) and builds plain Python data ourselves, so
aliases are refused before they can expand and every key maps to its `line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 1 << 20  # a card is a few KiB; anything near this is a mistake or an attack
MAX_DEPTH = 32

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Position:
    line: int
    col: int


class YamlError(Exception):
    """A card file that is not usable YAML; carries the 1-based position when known."""

    def __init__(self, message: str, line: int = 1, col: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass
class YamlDocument:
    data: Any
    positions: dict[Loc, Position]

    def position(self, loc: Loc) -> Position:
        """Position of the deepest known prefix of `loc` (pydantic locs may add type tags)."""
        for end in range(len(loc), -1, -1):
            if (found := self.positions.get(tuple(loc[:end]))) is not None:
                return found
        return Position(1, 1)


Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> YamlDocument:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise YamlError(f"file is {size} bytes, over the {MAX_BYTES} byte limit for a card")
    raw = path.read_bytes()
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise YamlError("binary data (NUL byte), not YAML text", line)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlError(f"not UTF-8 text (invalid byte at offset {error.start})", line) from None
    return parse_yaml(text)


def parse_yaml(text: str) -> YamlDocument:
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(part) for part in (error.context, error.problem) if part)
        raise YamlError(
            f"invalid YAML: {message}", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1
        ) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    if node is None:
        return YamlDocument(None, {})
    positions: dict[Loc, Position] = {}
    data = _build(node, (), positions, loader, set())
    return YamlDocument(data, positions)


def _at(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(
    node: yaml.Node, loc: Loc, positions: dict[Loc, Position], loader: Any, seen: set[int]
) -> Any:
    here = _at(node)
    if id(node) in seen:
        at = positions.get(loc, here)  # the alias's key; the node itself sits at its anchor
        raise YamlError("YAML aliases (*name) are not allowed in cards", at.line, at.col)
    seen.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", here.line, here.col)
    positions.setdefault(loc, here)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                at = _at(key_node)
                raise YamlError("YAML merge keys (<<) are not allowed in cards", at.line, at.col)
            key = _build(key_node, loc + ("<key>",), {}, loader, seen)
            if not isinstance(key, str | int | float | bool) and key is not None:
                at = _at(key_node)
                raise YamlError("mapping keys must be plain scalars", at.line, at.col)
            if key in result:
                at = _at(key_node)
                raise YamlError(f"duplicate key '{key}'", at.line, at.col)
            positions[loc + (key,)] = _at(key_node)
            result[key] = _build(value_node, loc + (key,), positions, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, loc + (index,), positions, loader, seen)
            for index, item in enumerate(node.value)
        ]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise YamlError(f"invalid value: {error}", here.line, here.col) from None
