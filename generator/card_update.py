"""`zoo validate --update`: write what the IR measured back into the card's model.yml.

Edits go through ruamel.yaml's round trip, which keeps comments, quotes and key order; of its
output only the top-level fields we changed are used, so every other line stays byte-identical.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from pydantic import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.util import load_yaml_guess_indent

from generator.atomic_file import write_atomic
from generator.catalog import CardSource, Catalog
from generator.ir_compare import Dim, dim_problem, match_tensors, round_figure, shape_text
from generator.results import Mismatch, TensorInfo, ValidationResult
from generator.schema import Card, Tensor
from generator.yaml_source import YamlError, parse_yaml

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
    text = source.yml.read_text(encoding="utf-8")
    yaml = round_trip_yaml(text)
    data = yaml.load(text)
    changes: dict[str, list[str]] = {
        "complexity": update_complexity(data, source.card, result),
        "inputs": update_tensors(data, "inputs", source.card.inputs, result),
        "outputs": update_tensors(data, "outputs", source.card.outputs, result),
    }
    changed = {key for key, made in changes.items() if made}
    if not changed:
        return []
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = splice(text, out.getvalue(), changed)
    try:
        Card.model_validate(parse_yaml(new_text).data)
    except (YamlError, ValidationError) as error:
        raise UpdateError(f"{source.yml}: the update would break the card: {error}") from None
    write_atomic(source.yml, new_text)
    return [change for made in changes.values() for change in made]


def round_trip_yaml(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a line we write
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml.indent(mapping=2, sequence=sequence or 4, offset=2 if offset is None else offset)
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
            item["shape"][:] = shape  # keeps the list's flow or block style
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


def splice(old: str, new: str, changed: set[str]) -> str:
    """`new`'s text for the changed top-level keys, `old`'s text for everything else."""
    old_head, old_blocks = top_level_blocks(old)
    _, new_blocks = top_level_blocks(new)
    text = old_head
    for key, block in new_blocks.items():
        if text and not text.endswith("\n"):
            text += "\n"
        text += block if key in changed else old_blocks[key]
    return text


def top_level_blocks(text: str) -> tuple[str, dict[str, str]]:
    """The text before the first key, and each top-level key's lines (comments after it too)."""
    data = YAML(typ="rt").load(text)
    lines = text.splitlines(keepends=True)
    starts = [data.lc.key(key)[0] for key in data]
    ends = [*starts[1:], len(lines)]
    blocks = {
        key: "".join(lines[start:end]) for key, start, end in zip(data, starts, ends, strict=True)
    }
    return "".join(lines[: starts[0]]) if starts else text, blocks
