"""The Jinja2 environment that turns typed catalog data into the site's Markdown pages.

Escaping is the default: every `{{ value }}` is encoded so it stays text in HTML and in Markdown,
unless it is Markup made on purpose (a filter below, or `|safe` in a template).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator.cards.vocab import FRAMEWORKS, task_title
from generator.site.card_markdown import escape_text, render_block, render_inline
from generator.site.view_model import model_page, status_glyph

# the default templates: packaged in the wheel (mapped from the top-level templates/ at build
# time), or that folder itself in a checkout
PACKAGED_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
DEFAULT_TEMPLATES = (
    PACKAGED_TEMPLATES
    if PACKAGED_TEMPLATES.is_dir()
    else Path(__file__).resolve().parents[2] / "templates"
)


def escape_value(value: object) -> Markup:
    """finalize of every expression: Markup passes, anything else is encoded as text."""
    if isinstance(value, Markup):
        return value
    return Markup(escape_text("" if value is None else value))


def markdown_block(value: object) -> Markup:
    """Card Markdown as a block of HTML (raw HTML off, links filtered)."""
    return Markup(render_block("" if value is None else str(value)))


def markdown_inline(value: object) -> Markup:
    """Card Markdown inside a table cell or a sentence."""
    return Markup(render_inline("" if value is None else str(value)))


def dash(value: object) -> object:
    """'-' for a missing value, as the tables print it."""
    return "-" if value is None or value == "" else value


def shape(dims: list) -> str:
    return ", ".join(str(dim) for dim in dims)


def size(num_bytes: int | None) -> str:
    if num_bytes is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB"):
        if num_bytes < 1024 or unit == "GiB":
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    return str(num_bytes)


@cache
def environment(templates: Path | None = None) -> jinja2.Environment:
    """A zoo's `templates` folder overrides any template by name; the defaults give the rest."""
    folders = [DEFAULT_TEMPLATES]
    if templates is not None and templates.resolve() != DEFAULT_TEMPLATES:
        folders.insert(0, templates)
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(folder) for folder in folders]),
        undefined=jinja2.StrictUndefined,
        # on, so macros, includes and `join` keep Markup and `|safe` is the one way out
        autoescape=True,
        finalize=escape_value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        markdown=markdown_block,
        markdown_inline=markdown_inline,
        dash=dash,
        shape=shape,
        size=size,
        task_title=task_title,
        model_page=model_page,
    )
    env.globals.update(frameworks=FRAMEWORKS, status_glyph=status_glyph)
    return env


def render(templates: Path | None, template: str, **context: object) -> str:
    return environment(templates).get_template(template).render(**context)
