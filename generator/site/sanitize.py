"""The last gate of a generated page: an allow-list of tags and attributes (nh3/ammonia).

Escaping in the templates is the first defence; this one holds even when a template marks
card text `|safe` by mistake: no script, no event handler, no `javascript:` or `data:` URL.
"""

from __future__ import annotations

import nh3

TEXT_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre",
    "s", "section", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# the leaderboard charts: shapes and text only (no <a>, <use>, <image> or <foreignObject>)
SVG_TAGS = {"svg", "g", "title", "desc", "line", "circle", "text"}
SVG_PAINT = {"fill", "fill-opacity", "stroke", "stroke-opacity", "stroke-width", "font-size",
             "font-weight", "text-anchor"}  # fmt: skip
FORM_TAGS = {"button", "fieldset", "input", "label", "legend", "noscript", "option", "select"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "role", "hidden", "tabindex", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    "input": set(
        [
            "type",
            "placeholder",
            "autocomplete",
            "spellcheck",
            "min",
            "max",
            "step",
            "inputmode",
            "value",
            "checked",
            "disabled",
            "name",
        ]
    ),
    "label": {"for"},
    "button": {"type", "disabled"},
    "option": {"value", "selected"},
    "svg": {"viewBox", "width", "height", *SVG_PAINT},
    "g": SVG_PAINT,
    "line": {"x1", "y1", "x2", "y2", *SVG_PAINT},
    "circle": {"cx", "cy", "r", *SVG_PAINT},
    "text": {"x", "y", *SVG_PAINT},
}
# Python-Markdown writes table alignment as style; nothing else may style a generated page
STYLE_PROPERTIES = {"text-align"}


def sanitize_page(html: str) -> str:
    """The HTML of a generated page with everything outside the allow-list removed."""
    return nh3.clean(
        html,
        tags=TEXT_TAGS | FORM_TAGS | SVG_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes={"http", "https", "mailto"},
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,
        strip_comments=True,
    )
