"""Read a card's YAML safely and remember where every value came from.

Builds plain Python data from libyaml's event stream (fast, depth checked as it opens), so
aliases are refused before they can expand and every key maps to its `line:col`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from generator.cards.figure import Figure

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
    """Build a card's data from libyaml's events, refusing what a card must not use.

    Events, not libyaml's composer: the composer recurses once per nesting level and crashes
    the interpreter on ~40,000 nested `[`; here the depth is checked as each level opens."""
    loader = Loader(text)
    try:
        return _compose(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(
            " ".join(str(part).split()) for part in (error.context, error.problem) if part
        )
        raise YamlError(
            f"invalid YAML: {message}", mark.line + 1 if mark else 1, mark.column + 1 if mark else 1
        ) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow, e.g. NUL
        line = text.count("\n", 0, error.position) + 1
        col = error.position - (text.rfind("\n", 0, error.position) + 1) + 1
        char = error.character if isinstance(error.character, int) else ord(error.character)
        raise YamlError(f"invalid YAML: character U+{char:04X} is not allowed", line, col) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {' '.join(str(error).split())}") from None
    finally:
        loader.dispose()


_NO_KEY = object()
COLLECTION_TAGS = (None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
STR_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass
class _Open:
    """A mapping or sequence being filled; for a mapping, the key waiting for its value."""

    value: dict | list
    loc: Loc
    key: Any = _NO_KEY


def _compose(loader: Any) -> YamlDocument:
    doc = YamlDocument(None, {}, {})
    loader.get_event()  # stream start
    if loader.check_event(yaml.StreamEndEvent):
        return doc
    loader.get_event()  # document start
    stack: list[_Open] = []
    while True:
        event = loader.get_event()
        here = Position(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            if stack:
                continue
            break
        if isinstance(event, yaml.AliasEvent):
            raise YamlError("YAML aliases (*name) are not allowed in cards", here.line, here.col)
        top = stack[-1] if stack else None
        if top is not None and isinstance(top.value, dict) and top.key is _NO_KEY:
            top.key = _key(event, top, here, loader, doc)
            continue
        collection = not isinstance(event, yaml.ScalarEvent)
        if collection:
            if event.tag not in COLLECTION_TAGS:
                message = f"YAML tag {event.tag} is not allowed in cards"
                raise YamlError(message, here.line, here.col)
            value: Any = {} if isinstance(event, yaml.MappingStartEvent) else []
        else:
            value = _scalar(event, here, loader)
        if top is None:
            loc: Loc = ()
            doc.data = value
        elif isinstance(top.value, list):
            loc = top.loc + (len(top.value),)
            top.value.append(value)
        else:
            loc = top.loc + (top.key,)
            top.value[top.key] = value
            top.key = _NO_KEY
        if len(loc) > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", here.line, here.col)
        doc.positions[loc] = here
        if collection:
            stack.append(_Open(value, loc))
        elif top is None:
            break  # the document is one scalar
    loader.get_event()  # document end
    if not loader.check_event(yaml.StreamEndEvent):
        mark = loader.get_event().start_mark
        raise YamlError(
            "invalid YAML: expected a single document but found another document",
            mark.line + 1,
            mark.column + 1,
        )
    return doc


def _key(event: Any, mapping: _Open, here: Position, loader: Any, doc: YamlDocument) -> Any:
    """The mapping key of `event`: a plain scalar, not a merge key, not seen before."""
    if not isinstance(event, yaml.ScalarEvent):
        raise YamlError("mapping keys must be plain scalars", here.line, here.col)
    tag = _tag(event, loader)
    if tag == MERGE_TAG:
        raise YamlError("YAML merge keys (<<) are not allowed in cards", here.line, here.col)
    key = _scalar(event, here, loader, tag)
    if not isinstance(key, str | int | float | bool) and key is not None:
        raise YamlError("mapping keys must be plain scalars", here.line, here.col)
    if key in mapping.value:
        raise YamlError(f"duplicate key '{key}'", here.line, here.col)
    if len(mapping.loc) >= MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", here.line, here.col)
    doc.keys[mapping.loc + (key,)] = here
    return key


def _tag(event: Any, loader: Any) -> str:
    if event.tag is None or event.tag == "!":
        return loader.resolve(yaml.ScalarNode, event.value, event.implicit)
    return event.tag


def _scalar(event: Any, here: Position, loader: Any, tag: str | None = None) -> Any:
    tag = tag or _tag(event, loader)
    if tag == STR_TAG:
        return event.value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        # ValueError: an integer over Python's 4300-digit limit, a date such as 2024-13-45
        problem = getattr(error, "problem", None) or str(error)
        raise YamlError(f"invalid value: {problem}", here.line, here.col) from None
    if isinstance(value, float):
        return Figure(value, event.value)  # keep the digits as written: 2.300, not 2.3
    return value
