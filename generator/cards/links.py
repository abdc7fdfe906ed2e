"""Links in card prose (inline, image, reference-style, autolinks): for `zoo check` and the site.

A target is judged as a browser would read it: entities decoded, tabs and newlines dropped.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

SAFE_SCHEMES = ("http", "https", "mailto")

# the target after `](` of [text](target) and ![alt](target): <...> or up to whitespace or ')'
INLINE = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s)]+)")
# a reference definition `[label]: target`, the target possibly on the next line
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*(<[^>\n]*>|\S*)")
REFERENCE_NEXT = re.compile(r"^[ \t]*(<[^>\n]*>|\S+)")
AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]*:[^\s<>]*)>")
NEWLINE = re.compile(r"\r\n|\r|\n|\x0b|\x0c|\x1c|\x1d|\x1e|\x85|\u2028|\u2029")  # as splitlines
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
    if "]" not in text and "<" not in text:
        return  # each kind needs one of them: `](`, `]:`, `<`; most card texts have neither
    starts = [0] + [match.end() for match in NEWLINE.finditer(text)]
    found: list[tuple[int, str]] = []  # (offset, target as written)
    for pattern in (INLINE, AUTOLINK):  # over the whole text: `](` may end a line
        found += [(match.start(1), match.group(1)) for match in pattern.finditer(text)]
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if match := REFERENCE.match(line):
            if match.group(1):
                found.append((starts[number] + match.start(1), match.group(1)))
            elif number + 1 < len(lines) and (after := REFERENCE_NEXT.match(lines[number + 1])):
                found.append((starts[number + 1] + after.start(1), after.group(1)))
    seen: set[int] = set()  # `[r]: <url>` is also an autolink's shape
    for offset, target in sorted(found):
        offset += target.startswith("<")
        if offset not in seen:
            seen.add(offset)
            line = bisect.bisect_right(starts, offset)
            yield Link(line, offset - starts[line - 1] + 1, _unbracket(target))


def _unbracket(target: str) -> str:
    return target[1:-1].strip() if target.startswith("<") and target.endswith(">") else target
