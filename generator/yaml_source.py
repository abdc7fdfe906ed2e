"""Read a card's YAML safely and remember where every value came from.

Uses libyaml's composer (fast, bounded nesting) and builds plain Python data ourselves, so
aliases are refused before they can expand and every key maps to its `line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.figure import Figure

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
    positions: dict[Loc, Position]  # where each value starts
    keys: dict[Loc, Position] = field(default_factory=dict)  # where each mapping key starts

    def position(self, loc: Loc, key: bool = False) -> Position:
        """Position of the deepest known prefix of `loc` (pydantic locs may add type tags)."""
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            found = (self.keys.get(prefix) if key else None) or self.positions.get(prefix)
            if found is not None:
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
    doc = YamlDocument(None, {}, {})
    doc.data = _build(node, (), doc, loader, set())
    return doc


def _at(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _build(node: yaml.Node, loc: Loc, doc: YamlDocument, loader: Any, seen: set[int]) -> Any:
    here = _at(node)
    if id(node) in seen:
        at = doc.keys.get(loc, here)  # the alias's key; the node itself sits at its anchor
        raise YamlError("YAML aliases (*name) are not allowed in cards", at.line, at.col)
    seen.add(id(node))
    if len(loc) > MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", here.line, here.col)
    doc.positions[loc] = here
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                at = _at(key_node)
                raise YamlError("YAML merge keys (<<) are not allowed in cards", at.line, at.col)
            key = _build(key_node, loc + ("<key>",), YamlDocument(None, {}), loader, seen)
            if not isinstance(key, str | int | float | bool) and key is not None:
                at = _at(key_node)
                raise YamlError("mapping keys must be plain scalars", at.line, at.col)
            if key in result:
                at = _at(key_node)
                raise YamlError(f"duplicate key '{key}'", at.line, at.col)
            doc.keys[loc + (key,)] = _at(key_node)
            result[key] = _build(value_node, loc + (key,), doc, loader, seen)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, loc + (index,), doc, loader, seen) for index, item in enumerate(node.value)
        ]
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.YAMLError as error:
        raise YamlError(f"invalid value: {error}", here.line, here.col) from None
    if isinstance(value, float):
        return Figure(value, node.value)  # keep the digits as written: 2.300, not 2.3
    return value
