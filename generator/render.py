"""The Jinja2 environment that turns typed catalog data into Markdown pages.

Templates hold the layout; the filters here only make card text safe inside Markdown.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

from generator.vocab import FRAMEWORKS, task_title

UNSAFE_SCHEME = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data):", re.IGNORECASE)


def prose(value: object) -> str:
    """Card Markdown as Markdown, but raw HTML shown as text and script links disarmed."""
    text = "" if value is None else str(value)
    text = text.replace("<", "&lt;")
    return UNSAFE_SCHEME.sub("](#", text)


def cell(value: object) -> str:
    """A value inside a Markdown table cell: one line, pipes escaped, HTML as text."""
    if value is None or value == "":
        return "-"
    text = prose(value).replace("\r", " ").replace("\n", " ")
    return text.replace("|", "\\|")


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
def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown; card text goes through `prose`/`cell`
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(prose=prose, cell=cell, shape=shape, size=size, task_title=task_title)
    env.globals.update(frameworks=FRAMEWORKS)
    return env


def render(templates: Path, template: str, **context: object) -> str:
    return environment(templates).get_template(template).render(**context)
