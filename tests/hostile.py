"""Hostile cards and reports generated from the schema itself: every text field of `Card` and of
`ValidationResult` carries each payload, so a field added later is attacked without anyone
listing it. Fields whose validators refuse a payload get the first value they accept.
"""

from __future__ import annotations

import itertools
import types
import typing
from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel, ValidationError

from generator.cards.schema import Card

Loc = tuple[str | int, ...]

# each payload is one attack; {n} makes every occurrence tell where it came from
PAYLOADS: dict[str, str] = {
    "script": '<script>alert("{n}")</script>',
    "handler": '<img src=x onerror=alert("{n}")> "><svg onload=alert("{n}")>',
    "js-link": '[inline](javascript:alert("{n}")) [spaced]( javascript:alert("{n}") )',
    "ref-link": '[ref][r{n}]\n\n[r{n}]: javascript:alert("{n}")\n',
    "entities": '[ent](jav&#x61;script&#58;alert("{n}")) &lt;img src=x onerror=alert("{n}")&gt;',
    "data-url": '[d](data:text/html,<script>alert("{n}")</script>) ![i](data:image/png;base64,AA)',
    "attr-list": "text{: onclick=\"alert('{n}')\" }\n{: onmouseover=\"alert('{n}')\" }\n",
    "code-escape": '`x` ```\n</code></pre><script>alert("{n}")</script>\n```\n',
    "cell-escape": 'a | b </td><td onclick=alert("{n}")>\n\n| x |\n|---|\n| <b onclick=x("{n}")> |',
    "autolink": '<javascript:alert("{n}")> <vbscript:alert("{n}")>',
}
# what an http(s)-only URL field may still be given: quotes and markup inside a valid URL
URL_PAYLOAD = 'https://example.com/?q="><script>alert("{n}")</script>&x=\'onmouseover=alert(1)'
BAD_SCHEMES = ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://host/x")
# values tried, in order, on a text field whose validators refuse the payload
FALLBACKS = (URL_PAYLOAD, "https://example.com/file", "person", "onnx", "f32", "N", "RGB",
             "Apache-2.0", "model.bin", "0" * 32, "0" * 64, "0" * 96, None)  # fmt: skip
MARK = "alert("


def text_leaves(model: type[BaseModel], loc: Loc = ()) -> Iterator[tuple[Loc, Any]]:
    """(loc, annotation) of every leaf of the model: lists hold one item, models recurse."""
    for name, info in model.model_fields.items():
        yield from _leaves(info.annotation, (*loc, name))


def _leaves(annotation: Any, loc: Loc) -> Iterator[tuple[Loc, Any]]:
    args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield from text_leaves(annotation, loc)
    elif origin is list:
        yield from _leaves(args[0], (*loc, 0))
    elif origin is dict:
        yield from _leaves(args[1], (*loc, "FP32"))
    elif origin is typing.Annotated:
        yield from _leaves(args[0], loc)
    elif isinstance(annotation, types.UnionType) or origin is typing.Union:
        models = [arg for arg in args if isinstance(arg, type) and issubclass(arg, BaseModel)]
        yield from _leaves(models[0] if models else args[0], loc)
    else:
        yield loc, annotation


def _is_text(annotation: Any) -> bool:
    return annotation is str or (
        typing.get_origin(annotation) in (types.UnionType, typing.Union)
        and str in typing.get_args(annotation)
    )


def _plain_values(annotation: Any) -> list[Any]:
    """Values to try on a non-text leaf: the choices of a Literal, else a few numbers."""
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [1, 2000, 1.5, None]


def _put(data: dict, loc: Loc, value: Any) -> None:
    node: Any = data
    for part, following in itertools.pairwise(loc):
        if isinstance(part, int):
            while len(node) <= part:
                node.append([] if isinstance(following, int) else {})
            node = node[part]
        else:
            node = node.setdefault(part, [] if isinstance(following, int) else {})
    if isinstance(loc[-1], int):
        while len(node) <= loc[-1]:
            node.append(None)
    node[loc[-1]] = value


def _error_locs(model: type[BaseModel], data: dict) -> list[Loc]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return [tuple(item["loc"]) for item in error.errors()]
    return []


def hostile_data(
    model: type[BaseModel], payload: str, base: dict, skip: tuple[Loc, ...] = ()
) -> tuple[dict, list[Loc], list[Loc]]:
    """`base` with the payload in every text leaf that takes it, a fallback in the others.

    Returns (data, locs carrying the payload, locs that refused it)."""
    data: dict = {}
    values: dict[Loc, Any] = {}
    options: dict[Loc, list[Any]] = {}
    for loc, annotation in text_leaves(model):
        if any(loc[: len(prefix)] == prefix for prefix in skip):
            continue
        if _is_text(annotation):
            tag = ".".join(str(part) for part in loc)
            options[loc] = [
                text if text is None else text.replace("{n}", tag) for text in (payload, *FALLBACKS)
            ]
        else:
            options[loc] = _plain_values(annotation)
        values[loc] = options[loc][0]
    for _ in range(len(FALLBACKS) + 4):
        data = {}
        for loc, value in values.items():
            _put(data, loc, value)
        data.update(base)
        bad = _error_locs(model, data)
        if not bad:
            break
        for loc in values:
            # an error at this leaf, or at the object that holds it (a model validator)
            if any(error[: len(loc)] == loc or error == loc[:-1] for error in bad):
                tried = options[loc]
                if len(tried) > 1:
                    tried.pop(0)
                values[loc] = tried[0]
    else:
        raise AssertionError(f"no valid hostile {model.__name__}: {bad}")
    texts = [loc for loc, annotation in text_leaves(model) if _is_text(annotation)]
    carried = [loc for loc in texts if loc in values and MARK in str(values[loc])]
    carried = [loc for loc in carried if loc[0] not in base]
    refused = [loc for loc in texts if loc not in carried]
    return data, carried, refused


def url_leaves() -> list[Loc]:
    """Text leaves that take an https URL but refuse javascript: (the schema's URL type)."""
    found = []
    for loc, annotation in text_leaves(Card):
        if not _is_text(annotation):
            continue
        good, _, _ = hostile_data(Card, "https://example.com/{n}", minimal_card("u"))
        bad = dict(good)
        _put(bad, loc, "javascript:alert(1)")
        if _error_locs(Card, good) == [] and any(
            error[: len(loc)] == loc for error in _error_locs(Card, bad)
        ):
            found.append(loc)
    return found


def minimal_card(name: str) -> dict:
    return {"name": name, "task": "classification"}


# fields that name other cards or files: the payload would be a finding of `zoo check`
REFERENCES: tuple[Loc, ...] = (
    ("parts",),
    ("part_of",),
    ("ir",),
    ("license", "file"),
    ("label_map",),
)


def hostile_card(name: str, kind: str) -> tuple[dict, list[Loc], list[Loc]]:
    """A card with payload `kind` in every free-text field; the locs it reached and not."""
    return hostile_data(Card, PAYLOADS[kind], minimal_card(name), skip=REFERENCES)


def hostile_result(name: str, kind: str) -> dict:
    """A validation result for card `name` with the payload in every text field of a report."""
    from generator.validation.results import ValidationResult

    base = {"name": name, "status": "failed", "checked_at": "2026-01-02T03:04:05Z"}
    data, _, _ = hostile_data(ValidationResult, PAYLOADS[kind], base)
    return data
