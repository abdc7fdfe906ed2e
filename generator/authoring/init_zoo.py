"""`zoo init`: scaffold a new model zoo repository from the files in generator/init_files/.

It only adds files that are missing and never deletes or overwrites one; a folder that is not
empty needs --force. A failed run removes what it wrote, so nothing is left half-made.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from generator.atomic_file import write_atomic
from generator.cards.card_paths import OutsideCard, card_path
from generator.site.card_markdown import escape_text
from generator.site.export import schema_json

INIT_FILES = Path(__file__).resolve().parents[1] / "init_files"
# stored as `dot-github`, `dot-gitignore`: packaging globs and git treat dot files specially
DOT_PREFIX = "dot-"
SCHEMA = "model_cards/model-card.schema.json"
CARDS = "model_cards/"
# a folder holding only these is empty for `zoo init` (so `git init` may come first)
IGNORED = frozenset({".git"})
NAME_LIMIT = 100


class InitError(Exception):
    """The zoo cannot be created; nothing was written."""


@dataclass
class InitReport:
    """What `zoo init` did, as paths relative to the zoo folder."""

    written: list[str] = field(default_factory=list)
    kept: list[tuple[str, str]] = field(default_factory=list)  # (path, why it was not written)


def init_zoo(target: Path, name: str | None = None, force: bool = False) -> InitReport:
    """Write the scaffold of a zoo called `name` (default: the folder's name) into `target`."""
    if target.exists() and not target.is_dir():
        raise InitError(f"{target}: not a folder")
    try:
        present = [p.name for p in target.iterdir() if p.name not in IGNORED]
    except FileNotFoundError:
        present = []
    except OSError as error:
        raise InitError(f"{target}: {error.strerror or error}") from None
    if present and not force:
        raise InitError(
            f"{target} is not empty: "
            "use --force to add the missing files and keep the existing ones"
        )
    folder = target.resolve()
    name = check_name(folder.name if name is None else name)
    report = InitReport()
    plan: dict[Path, str] = {}
    try:
        cards = folder / CARDS
        has_cards = cards.is_dir() and any(p.is_dir() for p in cards.iterdir())
        for relative, text in scaffold_files(name).items():
            if has_cards and relative.startswith(CARDS) and relative != SCHEMA:
                report.kept.append((relative, "model_cards/ already has cards: no example card"))
            elif (why := blocked(folder, relative)) is not None:
                report.kept.append((relative, why))
            else:
                plan[folder / relative] = text
    except OSError as error:
        raise InitError(f"{error.filename or folder}: {error.strerror or error}") from None
    write_all(folder, plan)
    report.written = [path.relative_to(folder).as_posix() for path in plan]
    return report


def blocked(folder: Path, relative: str) -> str | None:
    """Why `relative` must not be written in `folder`, or None when it is free."""
    try:
        path = card_path(folder, relative)
    except OutsideCard:
        return "a symlink on its path: not written through"
    if path.exists() or path.is_symlink():
        return "already there"
    for parent in path.relative_to(folder).parents:
        if (folder / parent).exists() and not (folder / parent).is_dir():
            return f"{parent.as_posix()} is not a folder"
    return None


def write_all(folder: Path, plan: dict[Path, str]) -> None:
    """Write every file of `plan`; on the first failure remove the files and folders made."""
    made: list[Path] = []
    folders = sorted(
        {p for path in plan for p in [path.parent, *path.parent.parents] if not p.exists()},
        key=lambda p: len(p.parts),
    )
    try:
        for path in folders:
            path.mkdir()
            made.append(path)
        for path, text in plan.items():
            write_atomic(path, text)
            made.append(path)
    except OSError as error:
        for path in reversed(made):  # files first, then folders deepest first
            with contextlib.suppress(OSError):
                path.rmdir() if path.is_dir() else path.unlink()
        where = error.filename or folder
        raise InitError(f"{where}: {error.strerror or error}; nothing was written") from None


def scaffold_files(name: str) -> dict[str, str]:
    """Relative path -> text of every file of the scaffold of a zoo called `name`."""
    files = {}
    for source in sorted(INIT_FILES.rglob("*")):
        if not source.is_file():
            continue
        parts = source.relative_to(INIT_FILES).parts
        relative = "/".join(
            "." + part.removeprefix(DOT_PREFIX) if part.startswith(DOT_PREFIX) else part
            for part in parts
        )
        files[relative] = fill(source.read_text("utf-8"), relative, name)
    files[SCHEMA] = schema_json()  # what `# yaml-language-server: $schema=` of a card names
    return files


def fill(text: str, relative: str, name: str) -> str:
    """Put the zoo's name (quoted for YAML, escaped for Markdown) and the pinned zoo-cards in."""
    yaml = relative.endswith(".yml")
    quoted = json.dumps(name, ensure_ascii=False) if yaml else escape_text(name)
    return text.replace("@ZOO_NAME@", quoted).replace("@ZOO_CARDS_REQUIREMENT@", requirement())


def requirement() -> str:
    """`zoo-cards==<this version>` for the workflows; unpinned when run from a bare checkout."""
    try:
        return f"zoo-cards=={version('zoo-cards')}"
    except PackageNotFoundError:
        return "zoo-cards"


def check_name(name: str) -> str:
    """The site name: one line of printable text."""
    if not name.strip() or name.strip() != name:
        raise InitError(f"zoo name {name!r}: empty or starts or ends with spaces (use --name)")
    if len(name) > NAME_LIMIT:
        raise InitError(f"zoo name {name[:20]!r}...: over {NAME_LIMIT} characters")
    if not name.isprintable():
        raise InitError(f"zoo name {name!r}: control or invisible characters (use --name)")
    return name
