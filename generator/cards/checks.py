"""`zoo check`: the fast static checks a pull request gets, beyond what the schema validates.

Each rule looks across cards or at files beside a card (names, composites, license files,
IR paths, local model files, links in prose) and yields located findings. A path a card names
is read only when it is a regular file inside its card folder (generator/cards/card_paths.py).
"""

from __future__ import annotations

import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from generator.cards.card_paths import OutsideCard, card_path
from generator.cards.catalog import MAX_PROSE_BYTES, PROSE_FILE, CardSource, Catalog
from generator.cards.links import Link, links
from generator.cards.yaml_source import Loc
from generator.findings import Finding, relative
from generator.model_files import file_digest

Rule = Callable[[Catalog, CardSource], Iterator[Finding]]


def run_checks(catalog: Catalog) -> list[Finding]:
    """All findings of a catalog: load errors first, then every rule on every valid card."""
    findings = list(catalog.findings)
    findings.extend(duplicate_names(catalog))
    for source in catalog.cards:
        for rule in RULES:
            findings.extend(rule(catalog, source))
    return sorted(set(findings))


def duplicate_names(catalog: Catalog) -> Iterator[Finding]:
    seen: dict[str, CardSource] = {}
    for source in catalog.cards:
        if (first := seen.get(source.name)) is not None:
            yield source.finding(
                ("name",), "duplicate-name", f"name '{source.name}' is also used by {first.yml}"
            )
        else:
            seen[source.name] = source


def name_matches_folder(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    if source.name != source.folder.name:
        yield source.finding(
            ("name",),
            "name-folder",
            f"name '{source.name}' differs from its folder '{source.folder.name}'",
        )


def composite_parts(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    card = source.card
    for index, part in enumerate(card.parts):
        other = catalog.by_name.get(part)
        if other is None:
            yield source.finding(("parts", index), "missing-part", f"no card for part '{part}'")
        elif other.card.part_of != card.name:
            yield source.finding(
                ("parts", index),
                "part-of-mismatch",
                f"part '{part}' does not declare part_of: {card.name}",
            )
    if card.part_of is not None:
        parent = catalog.by_name.get(card.part_of)
        if parent is None:
            yield source.finding(
                ("part_of",), "missing-part", f"no card for composite '{card.part_of}'"
            )
        elif card.name not in parent.card.parts:
            yield source.finding(
                ("part_of",), "part-of-mismatch", f"'{card.part_of}' does not list it in parts"
            )


def card_file(source: CardSource, loc: Loc, relative_path: str) -> Path | Finding:
    """The path a card names, or the finding when it leaves the folder or is not a plain file.

    The path may not exist; one that exists is a regular file (never a FIFO, which would hang
    the reader, nor a folder)."""
    try:
        path = card_path(source.folder, relative_path)
        info = path.lstat()
    except OutsideCard as error:
        return source.finding(loc, "outside-card", str(error))
    except FileNotFoundError:
        return path
    except OSError as error:
        return source.finding(loc, "unreadable", f"{relative_path}: {error.strerror or error}")
    if not stat.S_ISREG(info.st_mode):
        return source.finding(loc, "unreadable", f"{relative_path} is not a regular file")
    return path


def license_file(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    license_ = source.card.license
    if license_ is not None and license_.file:
        yield from text_file(source, ("license", "file"), license_.file, "missing-license-file")


def label_map_file(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    if source.card.label_map:
        yield from text_file(source, ("label_map",), source.card.label_map, "missing-label-map")


def text_file(source: CardSource, loc: Loc, relative_path: str, missing: str) -> Iterator[Finding]:
    """A text file the card names and the site publishes: inside the folder, present, bounded."""
    path = card_file(source, loc, relative_path)
    if isinstance(path, Finding):
        yield path
    elif not path.exists():
        what = missing.removeprefix("missing-").replace("-", " ")
        yield source.finding(loc, missing, f"{what} '{relative_path}' not found")
    elif (size := path.stat().st_size) > MAX_PROSE_BYTES:
        yield source.finding(
            loc, "too-large", f"{relative_path} is {size} bytes, over the {MAX_PROSE_BYTES} limit"
        )


def ir_paths(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    """An IR's .xml and .bin are files inside the card folder (not checked for presence)."""
    for precision, xml in source.card.ir.items():
        for relative_path in (xml, xml.removesuffix(".xml") + ".bin"):
            if isinstance(found := card_file(source, ("ir", precision), relative_path), Finding):
                yield found
                break


def local_files(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    """Files present beside the card must match the size and checksum the card gives."""
    for index, entry in enumerate(source.card.files):
        path = card_file(source, ("files", index, "name"), entry.name)
        if isinstance(path, Finding):
            yield path
            continue
        if not path.exists():
            continue  # files live in storage; only present ones can be checked here
        size = path.stat().st_size
        if entry.size is not None and size != entry.size:
            yield source.finding(
                ("files", index, "size"),
                "file-size",
                f"{entry.name}: card says {entry.size} bytes, file has {size}",
            )
            continue
        if (checksum := entry.checksum) is not None:
            algorithm, expected = checksum
            try:
                actual = file_digest(path, algorithm)
            except OSError as error:
                yield source.finding(
                    ("files", index, "name"),
                    "unreadable",
                    f"{entry.name}: {error.strerror or error}",
                )
                continue
            if actual != expected:
                yield source.finding(
                    ("files", index, algorithm),
                    "file-checksum",
                    f"{entry.name}: {algorithm} expected {expected}, file has {actual}",
                )


def prose_links(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    """Links in README.md and in every text of the card (most are Markdown on the site):
    http(s) or mailto, or a file in the card folder."""
    if source.prose is not None:
        prose_path = relative(source.folder / PROSE_FILE)
        for link in links(source.prose):
            if (problem := link_problem(catalog, source, link)) is not None:
                yield Finding(prose_path, link.line, link.col, *problem)
    for loc, text in card_texts(source.doc.data, ()):
        for link in links(text):
            if (problem := link_problem(catalog, source, link)) is not None:
                yield source.finding(loc, *problem)


def card_texts(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """Every text value of a card with its location, a field added later included."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from card_texts(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from card_texts(item, loc + (index,))


def link_problem(catalog: Catalog, source: CardSource, link: Link) -> tuple[str, str] | None:
    """(code, message) of a link a card must not have, or None."""
    if link.unsafe:
        return "unsafe-link", (
            f"link '{link.target}' uses '{link.scheme}:': only http, https, mailto "
            "or a file in the card folder"
        )
    if not link.relative:
        return None
    path = link.path
    if _other_card(catalog, path):
        return None  # the one way out of the folder: another card's folder, `../name/`
    try:
        file = card_path(source.folder, path[:-1] if path.endswith("/") and path != "/" else path)
    except OutsideCard as error:
        return "outside-card", f"link '{link.target}': {error}"
    if not file.exists():
        return "broken-link", f"link target '{link.target}' not found"
    return None


def _other_card(catalog: Catalog, path: str) -> bool:
    parts = path.removesuffix("/").split("/")
    return len(parts) == 2 and parts[0] == ".." and parts[1] in catalog.by_name


RULES: tuple[Rule, ...] = (
    name_matches_folder,
    composite_parts,
    license_file,
    label_map_file,
    ir_paths,
    local_files,
    prose_links,
)
