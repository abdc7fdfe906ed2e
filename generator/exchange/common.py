"""What both exports share: choosing the cards, YAML that keeps card text as data, slugs.

A card's text is data in the exports: YAML is written by the safe dumper (strings quoted as
needed, non-ASCII escaped, no tags), figures as plain floats, identifiers as slugs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import yaml

from generator.cards.catalog import CardSource, Catalog
from generator.cards.schema import suggest


class ExportError(Exception):
    """An export that cannot be written: one line for the user (exit 2)."""


def chosen(catalog: Catalog, names: Sequence[str]) -> list[CardSource]:
    """The cards of `names` in the order given (all cards by name when none)."""
    unknown = [name for name in names if name not in catalog.by_name]
    if unknown:
        every = [source.name for source in catalog.cards]
        raise ExportError(f"unknown model '{unknown[0]}'{suggest(unknown[0], every)}")
    picked = [catalog.by_name[name] for name in dict.fromkeys(names)]
    return picked or sorted(catalog.cards, key=lambda source: source.name)


def slug(text: str) -> str:
    """Lower-case letters, digits and single dashes: 'top-1 err.' -> 'top-1-err'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def yaml_text(data: object) -> str:
    # non-ASCII escaped: a raw NEL or line separator would be folded by the next reader
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=False, width=100)
