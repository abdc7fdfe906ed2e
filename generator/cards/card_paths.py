"""Paths that a card names (README, license file, linked files, IR, files): confined to its folder.

A card is untrusted, so a path it gives is a plain relative path that never climbs with `..`,
is never absolute and never passes through a symlink: what it names is inside its card folder.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class OutsideCard(ValueError):
    """A path from a card that would leave (or may leave) its card folder."""


def card_path(folder: Path, relative: str) -> Path:
    """`folder / relative`, or OutsideCard when it is absolute, climbs, or crosses a symlink.

    The file need not exist; a path that does exist is inside `folder` for real."""
    if not relative or relative.strip() != relative:
        raise OutsideCard(f"path {relative!r} is empty or starts or ends with spaces")
    if "\\" in relative or any(ord(char) < 32 for char in relative):
        raise OutsideCard(f"path {relative!r} has a backslash or a control character")
    pure = PurePosixPath(relative)
    if pure.is_absolute():
        raise OutsideCard(f"path '{relative}' is absolute: give it relative to the card folder")
    if ".." in pure.parts:
        raise OutsideCard(f"path '{relative}' climbs out of the card folder with '..'")
    if folder.is_symlink():
        raise OutsideCard(f"card folder {folder.name} is a symlink")
    path = folder
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise OutsideCard(f"path '{relative}' goes through a symlink")
    return path


def read_card_text(path: Path, limit: int) -> str:
    """A text file of a card (already confined), refused when over `limit` bytes.

    Raises OSError for an unreadable file and ValueError when it is too large."""
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"file is over the {limit} byte limit")
    return data.decode("utf-8", errors="replace")


# files a card's own folder holds; a `files:` entry must never overwrite them
CARD_OWN_FILES = ("model.yml", "README.md")


def plain_file_name(name: str) -> str | None:
    """Why `name` is not a plain file name for a `files:` entry, or None when it is one."""
    if name in ("", ".", ".."):
        return f"file name {name!r} is not a file name"
    if "/" in name or "\\" in name:
        return f"file name '{name}' must be a plain name, without folders"
    if any(ord(char) < 32 or ord(char) == 127 for char in name):
        return f"file name {name!r} has a control character"
    if name.startswith(".") or name.strip() != name:
        return f"file name '{name}' is hidden or starts or ends with spaces"
    if name in CARD_OWN_FILES:
        return f"file name '{name}' is one of the card's own files"
    return None
