"""Card Markdown (descriptions, README.md, tensor notes) turned into HTML that cannot run script.

Raw HTML and attribute lists are off, links and images pass a scheme allow-list, and the text of
the result is entity-encoded so the site's own Markdown pass cannot re-read it as syntax.
"""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache
from xml.etree.ElementTree import Element

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from generator.cards.links import SAFE_SCHEMES, SCHEME, Link

# a link to another card's page: ../<card name>/ and an optional fragment
SIBLING_CARD = re.compile(r"^\.\./[a-z0-9][a-z0-9._-]*/?(#[\w.-]*)?$")
# characters Markdown (or an extension of it: tables, attr_list, math, critic...) gives a meaning
# to, and the ones that end an HTML text or attribute; encoded in every untrusted text
MARKDOWN_TEXT = str.maketrans(
    {char: f"&#{ord(char)};" for char in "&<>\"'`*[](){}|\\!#+~=^$:\n\r\t"}
    # other control characters (Markdown's own placeholders use \x02 and \x03) are not text
    | {code: "\ufffd" for code in [*range(32), *range(127, 160)] if chr(code) not in "\n\r\t"}
)
TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);)")


def escape_text(value: object) -> str:
    """Any value as text that stays text in HTML (also in a quoted attribute) and in Markdown."""
    return str(value).translate(MARKDOWN_TEXT)


def link_allowed(target: str, image: bool = False) -> bool:
    """Links: http(s), mailto, a fragment, or a relative path inside the card folder (or a
    sibling card's page). Images: only files inside the card folder, so a page loads nothing
    from other hosts."""
    raw = html.unescape(target.replace(AMP_SUBSTITUTE, "&"))
    # browsers drop these inside a URL, so `java\tscript:` would still be javascript:
    text = "".join(char for char in raw if ord(char) > 32 and char != "\x7f").strip()
    if not text or "\\" in text:
        return False
    if (scheme := SCHEME.match(text)) is not None:
        return not image and scheme.group(1).lower() in SAFE_SCHEMES
    if text.startswith("#"):
        return not image
    if text.startswith("/"):
        return False  # site-absolute or protocol-relative: outside the card
    if not image and SIBLING_CARD.match(text):
        return True
    return ".." not in Link(1, 1, text).path.split("/")  # as `zoo check` reads it: %2e%2e is ..


class LinkPolicy(Treeprocessor):
    """Drops every link or image target the policy refuses (the text stays)."""

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                target = element.get(attribute)
                image = element.tag == "img"
                if target is not None and not link_allowed(target, image):
                    del element.attrib[attribute]
            if element.tag == "a" and "href" not in element.attrib:
                element.tag = "span"  # a dead link reads as its text


def _restricted() -> markdown.Markdown:
    md = markdown.Markdown(extensions=["fenced_code", "tables", "sane_lists"])
    md.preprocessors.deregister("html_block")  # raw HTML is shown as text
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(LinkPolicy(md), "zoo_link_policy", 0)  # after inline links
    return md


_local = threading.local()


def _markdown() -> markdown.Markdown:
    if not hasattr(_local, "md"):
        _local.md = _restricted()
    return _local.md


def _encode_text(rendered: str) -> str:
    """Entity-encode Markdown syntax in the text between tags; tags and entities stay."""
    parts = TAG_OR_ENTITY.split(rendered)
    return "".join(part if index % 2 else escape_text(part) for index, part in enumerate(parts))


# a card's description is shown on several pages: a short text is converted once per process
# (the result depends on the text alone, so rebuilds of `mkdocs serve` may share it)
MAX_CACHED_TEXT = 4096


def render_block(text: str) -> str:
    """Card Markdown as block HTML on one line, safe inside any page."""
    return _cached_block(text) if len(text) <= MAX_CACHED_TEXT else _render_block(text)


@lru_cache(maxsize=8192)  # bounded: 8,192 texts of at most 4 KiB
def _cached_block(text: str) -> str:
    return _render_block(text)


def _render_block(text: str) -> str:
    md = _markdown()
    try:
        rendered = md.convert(text)
    finally:
        md.reset()
    return _encode_text(rendered)


def render_inline(text: str) -> str:
    """Card Markdown for one table cell: paragraphs joined, one line."""
    rendered = render_block(text)
    return re.sub(r"</p>(&#10;)*<p>", " ", rendered).removeprefix("<p>").removesuffix("</p>")
