"""Helpers of the output-channel tests: read outputs back the way GitHub, a spreadsheet and a
Markdown renderer would, and make results and cards without validation."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from markdown_it import MarkdownIt

from generator.cards.catalog import CardSource
from generator.cards.schema import Card
from generator.safe_text import UNSAFE
from generator.validation.results import ValidationResult


def raw_controls(text: str) -> set[str]:
    """The UNSAFE characters of `text` other than newline."""
    return {char for char in UNSAFE.findall(text) if char != "\n"}


# in the order the runner undoes them
PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command as the GitHub runner reads it (ActionCommand.TryParseV2)."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2 :]
    name, _, props = info.partition(" ")
    properties = {}
    for prop in filter(None, props.strip().split(",")):
        key, _, value = prop.partition("=")
        for escaped, char in PROPERTY_ESCAPES:
            value = value.replace(escaped, char)
        properties[key] = value
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        data = data.replace(escaped, char)
    return name, properties, data


def result(name: str, status: str, message: str = "", **extra: object) -> ValidationResult:
    """A result made without validation: the writers must cope with any text."""
    fields = dict(ValidationResult(name="m", device="CPU", status="passed"))
    fields.update(name=name, status=status, message=message, precision="FP32", **extra)
    return ValidationResult.model_construct(**fields)


def card_source(**fields: object) -> CardSource:
    """A card made without validation: the CSV writer must cope with any text."""
    card = Card.model_construct(
        **{
            "name": "m",
            "task": "detection",
            "tags": [],
            "framework": None,
            "license": None,
            "complexity": None,
            "accuracy": [],
            "ir": {},
            "files": [],
            "part_of": None,
            "year": None,
            **fields,
        }
    )
    return CardSource(card=card, folder=Path("m"), doc=None)  # type: ignore[arg-type]


class Html(HTMLParser):
    """The tags of a rendered page and the text of its heading and table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.cells: list[list[str]] = []
        self.heading = ""
        self._into = ""

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        if tag == "tr":
            self.cells.append([])
        elif tag in ("td", "th"):
            self.cells[-1].append("")
        if tag in ("td", "th", "h3"):
            self._into = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th", "h3"):
            self._into = ""

    def handle_data(self, data: str) -> None:
        if self._into == "h3":
            self.heading += data
        elif self._into:
            self.cells[-1][-1] += data


def render_summary(text: str) -> Html:
    html = Html()
    html.feed(MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text))
    return html
