"""`zoo check`: the fast static checks a pull request gets, beyond what the schema validates.

Each rule looks across cards or at files beside a card (names, composites, license files,
local model files, relative links in prose) and yields located findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from generator.catalog import CARD_FILE, PROSE_FILE, CardSource, Catalog
from generator.findings import Finding, relative
from generator.links import link_path, relative_links
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


def license_file(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    license_ = source.card.license
    if license_ is not None and license_.file and not (source.folder / license_.file).is_file():
        yield source.finding(
            ("license", "file"), "missing-license-file", f"license file '{license_.file}' not found"
        )


def local_files(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    """Files present beside the card must match the size and checksum the card gives."""
    for index, entry in enumerate(source.card.files):
        path = source.folder / entry.name
        if not path.is_file():
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
            actual = file_digest(path, algorithm)
            if actual != expected:
                yield source.finding(
                    ("files", index, algorithm),
                    "file-checksum",
                    f"{entry.name}: {algorithm} expected {expected}, file has {actual}",
                )


def prose_links(catalog: Catalog, source: CardSource) -> Iterator[Finding]:
    """Relative links in README.md and in the description must point at existing files."""
    if source.prose is not None:
        prose_path = relative(source.folder / PROSE_FILE)
        for line, col, target in relative_links(source.prose):
            if not link_resolves(source.folder, target):
                yield Finding(
                    prose_path, line, col, "broken-link", f"link target '{target}' not found"
                )
    for _, _, target in relative_links(source.card.description):
        if not link_resolves(source.folder, target):
            yield source.finding(
                ("description",), "broken-link", f"link target '{target}' not found"
            )


def link_resolves(folder: Path, target: str) -> bool:
    path = link_path(folder, target)
    # a link to another card's folder counts as resolved when that card exists
    return path.exists() or (path / CARD_FILE).is_file()


RULES: tuple[Rule, ...] = (
    name_matches_folder,
    composite_parts,
    license_file,
    local_files,
    prose_links,
)
