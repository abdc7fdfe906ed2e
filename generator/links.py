"""Links in card prose (inline, image, reference-style, autolinks): for `zoo check` and the site.

A target is judged as a browser would read it: entities decoded, tabs and newlines dropped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

SAFE_SCHEMES = ("http", "https", "mailto")

# the target after `](` of [text](target) and ![alt](target): <...> or up to whitespace or ')'
INLINE = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]+)")
# a reference definition `[label]: target`, the target possibly on the next line
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*(<[^>\n]*>|\S*)")
REFERENCE_NEXT = re.compile(r"^[ \t]*(<[^>\n]*>|\S+)")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# what a browser drops from a URL before reading its scheme (WHATWG URL: tab, newline and,
# at the start, C0 controls and space); a backslash escape of Markdown vanishes too
DROPPED = re.compile(r"[\x00-\x20\x7f\\]")


@dataclass(frozen=True)
class Link:
    """A link target in Markdown text, at its 1-based line and column."""

    line: int
    col: int
    target: str

    @property
    def decoded(self) -> str:
        return DROPPED.sub("", html.unescape(self.target))

    @property
    def scheme(self) -> str | None:
        """The URL scheme a browser would follow, lower case, or None for a path."""
        match = SCHEME.match(self.decoded)
        return match.group(1).lower() if match else None

    @property
    def unsafe(self) -> bool:
        return self.scheme is not None and self.scheme not in SAFE_SCHEMES

    @property
    def relative(self) -> bool:
        """A path on this site (not a URL, not `//host`, not only `#fragment` or `?query`)."""
        return self.scheme is None and not self.decoded.startswith(("//", "#", "?"))

    @property
    def path(self) -> str:
        """The file part of a relative target, as the site's server would look it up."""
        return unquote(html.unescape(self.target).split("#", 1)[0].split("?", 1)[0])


def links(text: str) -> Iterator[Link]:
    """Every link target in Markdown text: inline, image, reference definitions, autolinks."""
    lines = text.splitlines()
    seen: set[tuple[int, int]] = set()  # `[r]: <url>` is also an autolink's shape
    for number, line in enumerate(lines, start=1):
        found = [(number, match) for match in INLINE.finditer(line)]
        found += [(number, match) for match in AUTOLINK.finditer(line)]
        if match := REFERENCE.match(line):
            if match.group(1):
                found.append((number, match))
            elif number < len(lines) and (next_match := REFERENCE_NEXT.match(lines[number])):
                found.append((number + 1, next_match))
        for at, match in found:
            target = match.group(1)
            col = match.start(1) + (2 if target.startswith("<") else 1)
            if (at, col) not in seen:
                seen.add((at, col))
                yield Link(at, col, _unbracket(target))


def _unbracket(target: str) -> str:
    return target[1:-1].strip() if target.startswith("<") and target.endswith(">") else target


def relative_links(text: str) -> Iterator[tuple[int, int, str]]:
    """(line, col, target) of every relative link target in Markdown text, 1-based."""
    for link in links(text):
        if link.relative:
            yield link.line, link.col, link.target


def link_path(folder: Path, target: str) -> Path:
    return folder / Link(1, 1, target).path
