"""`zoo validate --update`: write what the IR measured back into the card's model.yml.

Edits go through ruamel.yaml's round trip, which keeps comments, quotes and key order; of its
output only the top-level fields we changed are used, so every other line stays byte-identical.
A changed field keeps the indentation it was written with, and the file its line endings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError as RoundTripError

from generator.atomic_file import write_atomic
from generator.cards.catalog import CardSource, Catalog
from generator.cards.schema import Card, Tensor
from generator.cards.yaml_source import YamlError, parse_yaml
from generator.validation.ir_compare import (
    Dim,
    dim_problem,
    match_tensors,
    round_figure,
    shape_text,
)
from generator.validation.results import Mismatch, TensorInfo, ValidationResult

MEASURED = ("passed", "failed")  # results whose IR was read and counted


class UpdateError(Exception):
    """The updated card would not be valid; the file is left as it was."""


class Written(float):
    """A measured figure, written in plain decimals (0.00001382, not 1.382e-05)."""

    def __str__(self) -> str:
        return f"{Decimal(repr(float(self))):f}"


def update_cards(catalog: Catalog, results: Sequence[ValidationResult]) -> dict[str, list[str]]:
    """Update each card from its first measured precision; card name -> changes made."""
    updated = {}
    for source in catalog.cards:
        measured = [r for r in results if r.name == source.name and r.status in MEASURED]
        if measured and (changes := update_card(source, measured[0])):
            updated[source.name] = changes
    return updated


def update_card(source: CardSource, result: ValidationResult) -> list[str]:
    """Rewrite the card's complexity and tensors where they are missing or contradict the IR."""
    with source.yml.open(encoding="utf-8", newline="") as stream:
        raw = stream.read()  # line endings as written
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = tabs_as_spaces(raw.replace("\r\n", "\n"))
    try:
        data = YAML(typ="rt").load(text)
    except RoundTripError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise UpdateError(f"{source.yml}{where}: cannot update the card: {problem}") from None
    starts = {key: data.lc.key(key)[0] for key in data}  # before keys are added
    changes: dict[str, list[str]] = {
        "complexity": update_complexity(data, source.card, result),
        "inputs": update_tensors(data, "inputs", source.card.inputs, result),
        "outputs": update_tensors(data, "outputs", source.card.outputs, result),
    }
    changed = {key for key, made in changes.items() if made}
    if not changed:
        return []
    new_text = splice(raw, text, data, starts, changed, newline)
    try:
        Card.model_validate(parse_yaml(new_text).data)
    except (YamlError, ValidationError) as error:
        raise UpdateError(f"{source.yml}: the update would break the card: {error}") from None
    write_atomic(source.yml, new_text)
    return [change for made in changes.values() for change in made]


def tabs_as_spaces(text: str) -> str:
    """Tabs where libyaml allows them but ruamel.yaml does not (after a colon, before a comment
    or the line end) as spaces: same columns, same lines, for the round trip only."""
    tabbed = r"[ \t]*\t[ \t]*(?=#|$)|(?<=:)[ \t]*\t[ \t]*"
    return re.sub(tabbed, lambda match: " " * len(match.group()), text, flags=re.MULTILINE)


class Indent(NamedTuple):
    """ruamel.yaml's indent settings: mapping indent, sequence item indent, dash offset."""

    mapping: int | None
    sequence: int | None
    offset: int | None

    def over(self, fallback: Indent) -> Indent:
        return Indent(
            *(
                mine if mine is not None else other
                for mine, other in zip(self, fallback, strict=True)
            )
        )


DEFAULT_INDENT = Indent(2, 4, 2)  # `key:` / `  sub: 1`, `key:` / `  - item`
KEY_ONLY = re.compile(r"^(?P<indent> *)(?P<dash>(?:- +)?)[^\s#][^:#]*:[ \t]*(?:#.*)?$")


def guess_indent(lines: Sequence[str]) -> Indent:
    """The indentation the lines use: the first nested mapping and the first block sequence."""
    mapping = sequence = offset = None
    parent = None  # column of the previous line's key when it had no value
    for line in lines:
        content = line.strip()
        if not content or content.startswith("#"):
            continue
        column = len(line) - len(line.lstrip(" "))
        if parent is not None:
            if (content == "-" or content.startswith("- ")) and column >= parent:
                if sequence is None:
                    after = content[1:]
                    offset = column - parent
                    gap = len(after) - len(after.lstrip(" ")) if after.strip() else 1
                    sequence = offset + 1 + gap
            elif mapping is None and column > parent:
                mapping = column - parent
        match = KEY_ONLY.match(line.rstrip("\n"))
        parent = column + len(match["dash"]) if match else None
    return Indent(mapping, sequence, offset)


def round_trip_yaml(indent: Indent) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a line we write
    yaml.indent(mapping=indent.mapping, sequence=indent.sequence, offset=indent.offset)
    yaml.representer.add_representer(
        Written, lambda r, value: r.represent_scalar("tag:yaml.org,2002:float", str(value))
    )
    return yaml


def update_complexity(data: CommentedMap, card: Card, result: ValidationResult) -> list[str]:
    wrong = {m.field for m in result.errors}
    figures = {"gflops": result.measured_gflops, "mparams": result.measured_mparams}
    if data.get("complexity") is None:
        written = {key: Written(round_figure(value)) for key, value in figures.items() if value}
        if not written:
            return []
        insert_key(data, "complexity", flow_map(written), list(Card.model_fields))
        return [f"complexity.{key}: {value}" for key, value in written.items()]
    changes = []
    for key, value in figures.items():
        documented = getattr(card.complexity, key) if card.complexity else None
        if value and (documented is None or f"complexity.{key}" in wrong):
            written = Written(round_figure(value))
            insert_key(data["complexity"], key, written, ["gflops", "mparams"])
            changes.append(f"complexity.{key}: {documented or '-'} -> {written}")
    return changes


def update_tensors(
    data: CommentedMap, kind: str, documented: Sequence[Tensor], result: ValidationResult
) -> list[str]:
    """Fix the names, shapes and types the IR contradicts; add and drop tensors to match it."""
    ir: list[TensorInfo] = getattr(result, kind)
    if not ir:
        return []
    if not documented:
        tensors = CommentedSeq([flow_tensor(info) for info in ir])
        insert_key(data, kind, tensors, list(Card.model_fields))
        return [f"{kind}: {len(ir)} from the IR"]
    errors = {
        m.field: m for m in result.errors if m.field == kind or m.field.startswith(f"{kind}[")
    }
    if not errors:
        return []
    items: CommentedSeq = data[kind]
    matched = match_tensors(documented, ir)
    unmatched = [j for j in range(len(ir)) if j not in matched]
    for index, j in enumerate(matched):
        if j is None and unmatched:
            matched[index] = unmatched.pop(0)  # an IR tensor the card calls by another name
    changes = []
    for index, j in enumerate(matched):
        if j is not None:
            field = f"{kind}[{index}]"
            shape_error = errors.get(f"{field}.shape")
            changes += update_tensor(field, items[index], documented[index], ir[j], shape_error)
    for index in reversed([index for index, j in enumerate(matched) if j is None]):
        del items[index]
        changes.append(f"{kind}[{index}]: dropped, not in the IR")
    for j in unmatched:
        items.append(flow_tensor(ir[j]))
        changes.append(f"{kind}[{len(items) - 1}]: added {ir[j].name or ''} from the IR")
    return changes


def update_tensor(
    field: str, item: CommentedMap, tensor: Tensor, info: TensorInfo, shape_error: Mismatch | None
) -> list[str]:
    changes = []
    order = list(Tensor.model_fields)
    if info.name and tensor.name != info.name and tensor.name is not None:
        item["name"] = info.name
        changes.append(f"{field}.name: {tensor.name} -> {info.name}")
    shape = merged_shape(tensor.shape, info.shape)
    if shape == list(tensor.shape) and shape_error is not None:
        shape = inferred_shape(tensor.shape, info.shape, shape_error.measured)
    if shape != list(tensor.shape):
        if isinstance(item.get("shape"), CommentedSeq):
            replace_items(item["shape"], shape)
        else:
            insert_key(item, "shape", flow_seq(shape), order)
        changes.append(f"{field}.shape: {shape_text(tensor.shape)} -> {shape_text(shape)}")
    if tensor.type != info.type:
        insert_key(item, "type", info.type, order)
        changes.append(f"{field}.type: {tensor.type} -> {info.type}")
    if tensor.layout and info.layout and tensor.layout != info.layout:
        item["layout"] = info.layout
        changes.append(f"{field}.layout: {tensor.layout} -> {info.layout}")
    return changes


def merged_shape(documented: Sequence[Dim], ir: Sequence[Dim]) -> list[Dim]:
    """The card's dims where the IR agrees with them (a number on a dynamic dim), else the IR's."""
    if len(documented) != len(ir):
        return list(ir)
    return [
        card if dim_problem(card, dim) is None else dim
        for card, dim in zip(documented, ir, strict=True)
    ]


def inferred_shape(documented: Sequence[Dim], ir: Sequence[Dim], measured: str) -> list[Dim]:
    """The card's numbers on dynamic IR dims replaced by what inference produced ('[1, 7]')."""
    got = [
        int(dim) if dim.strip().isdigit() else dim.strip()
        for dim in measured.strip("[]").split(",")
    ]
    if len(got) != len(documented):
        return list(documented)
    return [
        new if isinstance(card, int) and not isinstance(dim, int) else card
        for card, dim, new in zip(documented, ir, got, strict=True)
    ]


def replace_items(sequence: CommentedSeq, values: Sequence) -> None:
    """Set the list's items one by one: its style and the comments on kept items stay."""
    for index, value in enumerate(values):
        if index >= len(sequence):
            sequence.append(value)
        elif sequence[index] != value:
            sequence[index] = value
    while len(sequence) > len(values):
        del sequence[-1]


def flow_tensor(info: TensorInfo) -> CommentedMap:
    entry = {
        "name": info.name,
        "shape": flow_seq(info.shape),
        "layout": info.layout,
        "type": info.type,
    }
    return flow_map({key: value for key, value in entry.items() if value is not None})


def flow_map(values: dict) -> CommentedMap:
    mapping = CommentedMap(values)
    mapping.fa.set_flow_style()
    return mapping


def flow_seq(values: Sequence) -> CommentedSeq:
    sequence = CommentedSeq(values)
    sequence.fa.set_flow_style()
    return sequence


def insert_key(mapping: CommentedMap, key: str, value: object, order: list[str]) -> None:
    """Set `key`; a new key goes where the schema orders it among the keys present."""
    if key in mapping:
        mapping[key] = value
        return
    later = set(order[order.index(key) + 1 :])
    at = next((index for index, existing in enumerate(mapping) if existing in later), len(mapping))
    mapping.insert(at, key, value)


LINE = re.compile(r".*?(?:\r\n|[\n\r\x85\u2028\u2029])|.+", re.DOTALL)  # YAML's line breaks


def lines_of(text: str) -> list[str]:
    return LINE.findall(text)


def splice(
    raw: str, text: str, data: CommentedMap, starts: dict, changed: set[str], newline: str
) -> str:
    """The new text of the changed top-level keys, each dumped with the indentation its old
    block used, with newline as the file's; `raw`'s lines, as they are, for everything else."""
    raw_lines, lines = lines_of(raw), lines_of(text)
    old_head, old_blocks = blocks(raw_lines, starts)
    document = guess_indent(lines).over(DEFAULT_INDENT)
    _, old_text_blocks = blocks(lines, starts)
    dumps: dict[Indent, dict[str, str]] = {}
    result = old_head
    for key in data:
        if key in changed:
            old = old_text_blocks.get(key)
            indent = guess_indent(lines_of(old)).over(document) if old else document
            if indent not in dumps:
                out = io.StringIO()
                round_trip_yaml(indent).dump(data, out)
                dumped = YAML(typ="rt").load(out.getvalue())
                starts_new = {name: dumped.lc.key(name)[0] for name in dumped}
                dumps[indent] = blocks(lines_of(out.getvalue()), starts_new)[1]
            block = dumps[indent][key].replace("\n", newline)
        else:
            block = old_blocks[key]
        if result and not result.endswith(("\n", "\r")):
            result += newline
        result += block
    return result


def blocks(lines: list[str], starts: dict) -> tuple[str, dict[str, str]]:
    """The text before the first key, and each top-level key's lines (comments after it too)."""
    keys = list(starts)
    ends = [*(starts[key] for key in keys[1:]), len(lines)]
    found = {key: "".join(lines[starts[key] : end]) for key, end in zip(keys, ends, strict=True)}
    return ("".join(lines[: starts[keys[0]]]) if keys else "".join(lines)), found
