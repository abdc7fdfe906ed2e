"""Load `model_cards/` into a typed Catalog, turning every problem into a located Finding.

This is the first stage of every command: the site, `zoo check` and validation all start here.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ValidationError

from generator.findings import Finding, relative
from generator.schema import Card, suggest
from generator.yaml_source import Loc, Position, YamlDocument, YamlError, load_yaml

CARD_FILE = "model.yml"
PROSE_FILE = "README.md"


class CatalogError(Exception):
    """The catalog cannot be read at all (missing folder): a usage error, not a finding."""


@dataclass
class CardSource:
    """A valid card with where it came from."""

    card: Card
    folder: Path
    doc: YamlDocument
    prose: str | None = None

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
    cards: list[CardSource] = []
    findings: list[Finding] = []
    for folder in sorted(path for path in root.iterdir() if path.is_dir()):
        if folder.name.startswith((".", "_")):
            continue
        loaded = load_card(folder)
        if isinstance(loaded, CardSource):
            cards.append(loaded)
        else:
            findings.extend(loaded)
    return Catalog(root, cards, findings)


def load_card(folder: Path) -> CardSource | list[Finding]:
    yml = folder / CARD_FILE
    where = relative(yml)
    if not yml.is_file():
        return [Finding(where, 1, 1, "missing-card", f"folder has no {CARD_FILE}")]
    try:
        doc = load_yaml(yml)
    except YamlError as error:
        return [Finding(where, error.line, error.col, "yaml", error.message)]
    except OSError as error:
        return [Finding(where, 1, 1, "unreadable", error.strerror or str(error))]
    if not isinstance(doc.data, dict):
        return [Finding(where, 1, 1, "not-a-mapping", "a card must be a YAML mapping of keys")]
    try:
        card = Card.model_validate(doc.data)
    except ValidationError as error:
        return [_finding(where, doc, item) for item in error.errors()]
    prose_path = folder / PROSE_FILE
    prose = (
        prose_path.read_text(encoding="utf-8", errors="replace") if prose_path.is_file() else None
    )
    return CardSource(card, folder, doc, prose)


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
