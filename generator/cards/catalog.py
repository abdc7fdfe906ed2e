"""Load `model_cards/` into a typed Catalog, turning every problem into a located Finding.

This is the first stage of every command: the site, `zoo check` and validation all start here.
"""

from __future__ import annotations

import re
import stat
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from generator.cards.card_paths import OutsideCard, card_path, read_card_text
from generator.cards.schema import Card, suggest
from generator.cards.yaml_source import Loc, Position, YamlDocument, YamlError, load_yaml
from generator.findings import Finding, relative

CARD_FILE = "model.yml"
PROSE_FILE = "README.md"
MAX_PROSE_BYTES = 256 << 10  # a README is a few KiB; 10 MB took the site build minutes
# control characters (tab and newline are text) and the bidi overrides that reorder what a
# reader sees: no card text holds them, whatever the field (README.md may use CRLF)
INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class CatalogError(Exception):
    """The catalog cannot be read at all (missing folder): a usage error, not a finding."""


@dataclass(slots=True)
class CardSource:
    """A valid card with where it came from."""

    card: Card
    folder: Path
    doc: YamlDocument
    prose: str | None = None
    findings: list[Finding] = field(default_factory=list)  # README problems of a valid card

    @property
    def yml(self) -> Path:
        return self.folder / CARD_FILE

    @property
    def name(self) -> str:
        return self.card.name

    def finding(
        self, loc: Loc, code: str, message: str, severity: str = "error", key: bool = False
    ) -> Finding:
        at: Position = self.doc.position(loc, key)
        return Finding(relative(self.yml), at.line, at.col, code, message, severity)  # type: ignore[arg-type]


@dataclass
class Catalog:
    root: Path
    cards: list[CardSource]
    findings: list[Finding] = field(default_factory=list)

    @cached_property
    def by_name(self) -> dict[str, CardSource]:
        return {source.name: source for source in self.cards}

    def parts(self, source: CardSource) -> list[CardSource]:
        return [self.by_name[name] for name in source.card.parts if name in self.by_name]

    @cached_property
    def by_task(self) -> dict[str, list[CardSource]]:
        """Top-level cards (not parts of a composite) grouped by task."""
        groups: dict[str, list[CardSource]] = {}
        for source in self.cards:
            if source.card.part_of is None:
                groups.setdefault(source.card.task, []).append(source)
        return groups


def load_catalog(root: Path) -> Catalog:
    """Read every `<root>/<name>/model.yml`; invalid cards become findings, not exceptions."""
    if not root.is_dir():
        raise CatalogError(f"{root}: cards folder not found")
    try:
        folders = sorted(path for path in root.iterdir() if path.is_dir())
    except OSError as error:
        raise CatalogError(f"{root}: {error.strerror or error}") from None
    cards: list[CardSource] = []
    findings: list[Finding] = []
    for folder in folders:
        if folder.name.startswith((".", "_")):
            continue
        loaded = load_card(folder)
        if isinstance(loaded, CardSource):
            cards.append(loaded)
            findings.extend(loaded.findings)
        else:
            findings.extend(loaded)
    return Catalog(root, cards, findings)


def load_card(folder: Path) -> CardSource | list[Finding]:
    yml = folder / CARD_FILE

    def problem(code: str, message: str, line: int = 1, col: int = 1) -> list[Finding]:
        return [Finding(relative(yml), line, col, code, message)]  # resolved only when needed

    try:
        yml = card_path(folder, CARD_FILE)  # a symlinked folder or model.yml is not followed
        info = yml.stat()
    except OutsideCard as error:
        return problem("outside-card", str(error))
    except (FileNotFoundError, NotADirectoryError):
        return problem("missing-card", f"folder has no {CARD_FILE}")
    except OSError as error:
        return problem("unreadable", error.strerror or str(error))
    if not stat.S_ISREG(info.st_mode):
        return problem("unreadable", f"{CARD_FILE} is not a regular file")
    try:
        doc = load_yaml(yml)
    except YamlError as error:
        return problem("yaml", error.message, error.line, error.col)
    except OSError as error:
        return problem("unreadable", error.strerror or str(error))
    if not isinstance(doc.data, dict):
        return problem("not-a-mapping", "a card must be a YAML mapping of keys")
    invisible = _invisible_in_values(relative(yml), doc) if _has_invisible(doc.data) else []
    try:
        card = Card.model_validate(doc.data)
    except ValidationError as error:
        where = relative(yml)
        return invisible + [_finding(where, doc, item) for item in error.errors()]
    if invisible:
        return invisible
    _share_fields_sets(card)
    prose, findings = _read_prose(folder)
    return CardSource(card, folder, doc, prose, findings)


_FIELDS_SETS: dict[frozenset[str], set[str]] = {}


def _share_fields_sets(value: object) -> None:
    """Models given the same keys share one set of those names (pydantic keeps a set per model,
    ~400 bytes: a quarter of a loaded card). Safe as cards are frozen: pydantic changes the set
    only on assignment, and model_copy copies it first."""
    if isinstance(value, BaseModel):
        names = value.__pydantic_fields_set__
        key = frozenset(names)
        shared = _FIELDS_SETS.get(key)
        if shared is None and len(_FIELDS_SETS) < 4096:  # a hostile catalog varies its keys
            _FIELDS_SETS[key] = names
        elif shared is not None:
            object.__setattr__(value, "__pydantic_fields_set__", shared)
        for item in value.__dict__.values():
            _share_fields_sets(item)
    elif type(value) is list:
        for item in value:
            _share_fields_sets(item)


def _has_invisible(value: object) -> bool:
    """Whether any key or text value holds a control character or a bidi override; locations
    are found only when one does (most cards have none)."""
    if type(value) is str:
        return INVISIBLE.search(value) is not None
    if type(value) is dict:
        return any(
            (type(key) is str and INVISIBLE.search(key) is not None) or _has_invisible(item)
            for key, item in value.items()
        )
    if type(value) is list:
        return any(_has_invisible(item) for item in value)
    return False


def _invisible_in_values(where: str, doc: YamlDocument) -> list[Finding]:
    """A control character or bidi override in any key or text value of the card."""

    def walk(value: object, loc: Loc) -> Iterator[Finding]:
        if isinstance(value, str) and (match := INVISIBLE.search(value)):
            at = doc.position(loc)
            yield Finding(where, at.line, at.col, "control-char", _invisible(loc, match))
        elif isinstance(value, dict):
            for key, item in value.items():
                if isinstance(key, str) and (match := INVISIBLE.search(key)):
                    at = doc.position(loc + (key,), key=True)
                    yield Finding(where, at.line, at.col, "control-char", _invisible(loc, match))
                yield from walk(item, loc + (key,))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                yield from walk(item, loc + (index,))

    return list(walk(doc.data, ()))


def _invisible(loc: Loc, match: re.Match[str]) -> str:
    where = f"{_dotted(loc)}: " if loc else ""
    return (
        f"{where}invisible character U+{ord(match.group()):04X}: card text is printable "
        "(tab and newline allowed)"
    )


def _read_prose(folder: Path) -> tuple[str | None, list[Finding]]:
    """README.md of the card, read only when it is a regular file inside the folder, bounded."""

    def problem(code: str, message: str, line: int = 1, col: int = 1) -> tuple[None, list[Finding]]:
        return None, [Finding(relative(folder / PROSE_FILE), line, col, code, message)]

    try:
        path = card_path(folder, PROSE_FILE)
        info = path.lstat()  # the file itself, never what a link points at
    except OutsideCard as error:
        return problem("outside-card", str(error))
    except FileNotFoundError:
        return None, []
    except OSError as error:
        return problem("unreadable", f"{PROSE_FILE}: {error.strerror or error}")
    if not stat.S_ISREG(info.st_mode):  # a folder, a FIFO (opening one would wait forever)
        return problem("unreadable", f"{PROSE_FILE} is not a regular file")
    if info.st_size > MAX_PROSE_BYTES:
        return problem(
            "too-large", f"{PROSE_FILE} is {info.st_size} bytes, over the {MAX_PROSE_BYTES} limit"
        )
    try:
        text = read_card_text(path, MAX_PROSE_BYTES)
    except (OSError, ValueError) as error:
        return problem("unreadable", f"{PROSE_FILE}: {getattr(error, 'strerror', None) or error}")
    for number, line in enumerate(text.split("\n"), start=1):
        if match := INVISIBLE.search(line.removesuffix("\r")):
            return problem("control-char", _invisible((), match), number, match.start() + 1)
    return text, []


def _finding(where: str, doc: YamlDocument, error: dict) -> Finding:
    loc: Loc = tuple(error["loc"])
    kind: str = error["type"]
    at = doc.position(loc, key=kind in ("extra_forbidden", "missing"))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        hint = suggest(key, sorted(_fields_at(loc[:-1])))
        return Finding(where, at.line, at.col, "unknown-key", f"unknown key '{key}'{hint}")
    if kind == "missing":
        return Finding(
            where, at.line, at.col, "missing-key", f"missing required key '{_dotted(loc)}'"
        )
    if "-" in kind:  # our own codes from schema validators
        return Finding(where, at.line, at.col, kind, error["msg"])
    return Finding(where, at.line, at.col, "invalid-value", f"{_dotted(loc)}: {error['msg']}")


def _dotted(loc: Loc) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


def _fields_at(loc: Loc) -> set[str]:
    """Field names of the schema class found at `loc`, for "did you mean" on unknown keys."""
    model: type[BaseModel] | None = Card
    for part in loc:
        if model is None:
            return set()
        if isinstance(part, int):
            continue
        info = model.model_fields.get(str(part))
        model = _model_in(info.annotation) if info else None
    return set(model.model_fields) if model else set()


def _model_in(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            if found := _model_in(arg):
                return found
    return None
