"""Card Markdown and template values: what the restricted renderer and the escaping let through."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.site.card_markdown import escape_text, link_allowed, render_block, render_inline
from generator.site.render import render
from generator.site.sanitize import sanitize_page


@pytest.mark.parametrize(
    ("target", "image", "allowed"),
    [
        ("https://example.com/a", False, True),
        ("http://example.com/a", False, True),
        ("mailto:a@example.com", False, True),
        ("#inputs", False, True),
        ("images/arch.png", False, True),
        ("images/arch.png", True, True),
        ("../other-card/", False, True),
        ("https://example.com/a.png", True, False),  # images never load from other hosts
        ("javascript:alert(1)", False, False),
        ("JaVaScRiPt:alert(1)", False, False),
        ("java\tscript:alert(1)", False, False),
        (" javascript:alert(1)", False, False),
        ("jav&#x61;script:alert(1)", False, False),
        ("&#106;avascript:alert(1)", False, False),
        ("vbscript:x", False, False),
        ("data:text/html,x", False, False),
        ("file:///etc/passwd", False, False),
        ("//evil.example/x", False, False),
        ("/\\evil.example/x", False, False),
        ("/etc/passwd", False, False),
        ("../../.git/config", False, False),
        ("img/../../x.png", True, False),
        ("%2e%2e/%2e%2e/x.png", True, False),
    ],
)
def test_link_policy(target: str, image: bool, allowed: bool) -> None:
    assert link_allowed(target, image) is allowed


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[a](javascript:alert(1))",
        "[a][r]\n\n[r]: javascript:alert(1)",
        "[a](jav&#x61;script:alert(1))",
        "<javascript:alert(1)>",
        "![i](data:image/svg+xml,<svg onload=alert(1)>)",
        "para{: onclick=alert(1) }",
        "```\n</code></pre><script>alert(1)</script>\n```",
    ],
)
def test_rendered_markdown_has_no_markup_from_the_card(text: str) -> None:
    html = render_block(text)
    for bad in ("<script", "<img src=x", "onerror=", "onclick=", "javascript:", "data:", "<svg"):
        assert bad not in html.lower()
    # a refused link keeps its text; markup shows as text
    assert "alert" in html or ">a<" in html or 'alt="i"' in html


def test_markdown_keeps_ordinary_formatting() -> None:
    html = render_block("**bold** and `code` and [site](https://example.com/)\n\n- one\n- two")
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert '<a href="https://example.com/">site</a>' in html and "<li>one</li>" in html
    assert render_inline("one\n\ntwo") == "one two"


def test_escaped_text_has_no_markdown_or_html_meaning() -> None:
    text = escape_text("[x](javascript:a) <b> | `c` {: .x } & \"q\" 's'\nnext")
    for char in "[]()<>|`{}\"'\n":
        assert char not in text
    assert escape_text("squeezenet1.1-light_v2") == "squeezenet1.1-light_v2"  # names unchanged


def test_template_values_are_escaped_unless_marked(tmp_path: Path) -> None:
    (tmp_path / "page.md.j2").write_text("{{ value }} {{ value | markdown_inline }}\n")
    out = render(tmp_path, "page.md.j2", value="<b>x</b> *y*")
    assert out == "&#60;b&#62;x&#60;/b&#62; &#42;y&#42; &lt;b&gt;x&lt;/b&gt; <em>y</em>\n"


def test_sanitizer_is_the_last_gate() -> None:
    page = (
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:x()">l</a>'
        '<img src="data:image/png;base64,AA"><table><td style="text-align: right; color: red">'
        '1</td></table><input type="search" data-x="1" aria-label="s">'
    )
    clean = sanitize_page(page)
    assert "onclick" not in clean and "<script" not in clean and "javascript:" not in clean
    assert "data:" not in clean and "color" not in clean
    assert 'style="text-align:right"' in clean and 'data-x="1"' in clean


class Markup(HTMLParser):
    """Tags and attributes of rendered HTML, to check that random input made none of its own."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


RENDERED_TAGS = {"p", "em", "strong", "code", "pre", "a", "span", "img", "ul", "ol", "li", "h1",
                 "h2", "h3", "h4", "h5", "h6", "blockquote", "hr", "br", "table", "thead",
                 "tbody", "tr", "th", "td"}  # fmt: skip
MARKDOWNISH = st.text(alphabet=st.sampled_from(list("<>[]()!:`*_{}|#&;\"'=/\\\n -ajsvcriptdo")))


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), MARKDOWNISH))
def test_random_card_markdown_makes_no_unsafe_markup(text: str) -> None:
    parser = Markup()
    parser.feed(sanitize_page(render_block(text)) + render_block(text))
    for tag, attrs in parser.found:
        assert tag in RENDERED_TAGS, tag
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                assert link_allowed(attrs[name] or "", image=tag == "img"), attrs


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), MARKDOWNISH))
def test_random_values_stay_text_in_markdown(value: str) -> None:
    escaped = escape_text(value)
    assert not set("<>[]()`{}|\\\n\r") & set(escaped)
    # the page's own Markdown renders it back to exactly the characters of the value
    page = markdown.markdown(f"| a |\n|---|\n| {escaped} |", extensions=["tables", "attr_list"])
    cell = page.split("<td>", 1)[1].rsplit("</td>", 1)[0]
    shown = "".join("\ufffd" if (ord(c) < 32 and c not in "\n\r\t") or 127 <= ord(c) < 160 else c
                    for c in value)  # fmt: skip
    # `_` stays as written (names hold it), so `_x_` may come out as emphasis: nothing else
    text = re.sub(r"</?(em|strong)>", "", cell)
    assert "<" not in text
    assert html.unescape(text).replace("_", "").strip(" ") == shown.replace("_", "").strip(" ")
