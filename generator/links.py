"""Relative links in card prose: found for `zoo check` and for copying assets to the site."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

# [text](target) and ![alt](target); the target stops at whitespace or ')'
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//|#)", re.IGNORECASE)


def relative_links(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, col, target) of every relative link target in Markdown text, 1-based."""
    for line_number, line in enumerate(text.splitlines(), start=1):
        for match in MARKDOWN_LINK.finditer(line):
            target = match.group(1)
            if not EXTERNAL.match(target):
                yield line_number, match.start(1) + 1, target


def link_path(folder: Path, target: str) -> Path:
    return folder / target.split("#", 1)[0].split("?", 1)[0]
