"""Read a card's YAML safely; find where a value came from when a finding needs it.

Builds plain Python data from libyaml's event stream (fast, depth checked as it opens), so
aliases are refused before they can expand. Positions (`line:col` of every value and key) are
found by reading the text again, only for a card that has a finding: most cards have none.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    StreamEndEvent,
)

from generator.cards.figure import Figure

MAX_BYTES = 1 << 20  # a card is a few KiB; anything near this is a mistake or an attack
MAX_DEPTH = 32

Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
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


class YamlDocument:
    """The data of a card and its text; positions are read from the text on first use."""

    __slots__ = ("_keys", "_positions", "data", "text")

    def __init__(self, data: Any, text: str) -> None:
        self.data = data
        self.text = text
        self._positions: dict[Loc, Position] | None = None
        self._keys: dict[Loc, Position] = {}

    @property
    def positions(self) -> dict[Loc, Position]:
        """Where each value starts."""
        if self._positions is None:
            self._positions = {}
            _read(self.text, self._positions, self._keys)
        return self._positions

    @property
    def keys(self) -> dict[Loc, Position]:
        """Where each mapping key starts."""
        self.positions  # noqa: B018 -- fills both
        return self._keys

    def position(self, loc: Loc, key: bool = False) -> Position:
        """Position of the deepest known prefix of `loc` (pydantic locs may add type tags)."""
        positions, keys = self.positions, self._keys
        for end in range(len(loc), -1, -1):
            prefix = tuple(loc[:end])
            found = (keys.get(prefix) if key else None) or positions.get(prefix)
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
    return YamlDocument(_read(text, None, None), text)


def _read(text: str, positions: dict | None, keys: dict | None) -> Any:
    loader = Loader(text)
    try:
        return _compose(loader, positions, keys)
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
# first characters of a plain scalar that may be something else than text (1, true, null...)
RESOLVED_STARTS = frozenset(Loader.yaml_implicit_resolvers)  # None: for any first character
SHARED_TEXT = 24  # texts up to this length are interned, and their tags remembered
_PLAIN_TAGS: dict[str, str] = {}  # a plain scalar's resolved tag (resolving runs regexes)


def _here(event: Any) -> tuple[int, int]:
    return event.start_mark.line + 1, event.start_mark.column + 1


def _compose(loader: Any, positions: dict | None, keys: dict | None) -> Any:
    """The document's data; with `positions`, also where each value and key starts.

    The stack holds [container, loc, waiting key] per open collection; locs are built only
    when positions are wanted (they cost more than the data)."""
    get = loader.get_event
    get()  # stream start
    if loader.check_event(StreamEndEvent):
        return None
    get()  # document start
    data: Any = None
    stack: list[list] = []
    while True:
        event = get()
        kind = type(event)
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            if stack:
                continue
            break
        if kind is AliasEvent:
            raise YamlError("YAML aliases (*name) are not allowed in cards", *_here(event))
        top = stack[-1] if stack else None
        if top is not None and type(top[0]) is dict and top[2] is _NO_KEY:
            top[2] = _key(event, top, len(stack), loader, keys)
            continue
        if kind is ScalarEvent:
            value = _scalar(event, loader)
        else:
            if event.tag not in COLLECTION_TAGS:
                raise YamlError(f"YAML tag {event.tag} is not allowed in cards", *_here(event))
            value = {} if kind is MappingStartEvent else []
        if len(stack) > MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", *_here(event))
        loc: Loc | None = None
        if top is None:
            data = value
            if positions is not None:
                loc = ()
        elif type(top[0]) is list:
            if positions is not None:
                loc = top[1] + (len(top[0]),)
            top[0].append(value)
        else:
            if positions is not None:
                loc = top[1] + (top[2],)
            top[0][top[2]] = value
            top[2] = _NO_KEY
        if positions is not None:
            positions[loc] = Position(*_here(event))
        if kind is not ScalarEvent:
            stack.append([value, loc, _NO_KEY])
        elif top is None:
            break  # the document is one scalar
    get()  # document end
    if not loader.check_event(StreamEndEvent):
        raise YamlError(
            "invalid YAML: expected a single document but found another document", *_here(get())
        )
    return data


def _key(event: Any, mapping: list, depth: int, loader: Any, keys: dict | None) -> Any:
    """The mapping key of `event`: a plain scalar, not a merge key, not seen before."""
    if type(event) is not ScalarEvent:
        raise YamlError("mapping keys must be plain scalars", *_here(event))
    tag = _tag(event, loader)
    if tag == MERGE_TAG:
        raise YamlError("YAML merge keys (<<) are not allowed in cards", *_here(event))
    key = _scalar(event, loader, tag)
    if not isinstance(key, str | int | float | bool) and key is not None:
        raise YamlError("mapping keys must be plain scalars", *_here(event))
    if key in mapping[0]:
        raise YamlError(f"duplicate key '{key}'", *_here(event))
    if depth > MAX_DEPTH:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels", *_here(event))
    if keys is not None:
        keys[mapping[1] + (key,)] = Position(*_here(event))
    return key


def _tag(event: Any, loader: Any) -> str:
    tag = event.tag
    if tag is None or tag == "!":
        implicit = event.implicit
        if not implicit[0]:  # quoted: text
            return STR_TAG
        value = event.value
        if value[:1] not in RESOLVED_STARTS and None not in RESOLVED_STARTS:
            return STR_TAG
        if (known := _PLAIN_TAGS.get(value)) is not None:
            return known
        tag = loader.resolve(yaml.ScalarNode, value, implicit)
        if len(value) <= SHARED_TEXT and len(_PLAIN_TAGS) < 4096:
            _PLAIN_TAGS[value] = tag  # keys and vocabulary repeat in every card
    return tag


def _scalar(event: Any, loader: Any, tag: str | None = None) -> Any:
    tag = tag or _tag(event, loader)
    if tag == STR_TAG:
        value = event.value
        # one copy of a key or a short word (f32, NCHW, COCO) for the whole catalog
        return sys.intern(value) if len(value) <= SHARED_TEXT else value
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        value = loader.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, OverflowError) as error:
        # ValueError: an integer over Python's 4300-digit limit, a date such as 2024-13-45
        problem = getattr(error, "problem", None) or str(error)
        raise YamlError(f"invalid value: {problem}", *_here(event)) from None
    if isinstance(value, float):
        return Figure(value, event.value)  # keep the digits as written: 2.300, not 2.3
    return value
