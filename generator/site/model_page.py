"""What a model page shows beyond the card's own fields: its summary, a runtime snippet, BibTeX,
related models and the layout legend, computed once per catalog and handed to model.md.j2.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass

from generator.cards.catalog import CardSource, Catalog
from generator.cards.schema import Card, Citation, Tensor

# a trailing version number names one variant of a family: face-detection-0100, ...-0106
FAMILY_SUFFIX = re.compile(r"-\d{3,4}$")
SAME_TASK_NEIGHBOURS = 4
# what each layout letter stands for (OpenVINO's layout letters)
LAYOUT_LETTERS = {
    "N": "batch",
    "B": "batch",
    "C": "channels",
    "D": "depth",
    "H": "height",
    "W": "width",
    "T": "time (sequence)",
    "?": "any other dimension",
}
NUMPY_TYPES = {
    "f64": "float64", "f32": "float32", "f16": "float16", "bf16": "float32", "i64": "int64",
    "i32": "int32", "i16": "int16", "i8": "int8", "u64": "uint64", "u32": "uint32",
    "u16": "uint16", "u8": "uint8", "u1": "uint8", "boolean": "bool_", "string": "str_",
}  # fmt: skip
PREFERRED_PRECISIONS = ("FP32", "FP16")
BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
    "#": r"\#", "_": r"\_", "~": r"\~{}", "^": r"\^{}",
}  # fmt: skip
BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in BIBTEX_ESCAPES))


@dataclass(frozen=True)
class Related:
    source: CardSource
    relation: str  # "part", "composite", "variant", "same task"


@dataclass(frozen=True)
class SnippetInput:
    """One input of the runtime snippet; every text is a Python literal or a checked value."""

    key: str  # Python literal: the tensor name, or its index
    dims: str  # a tuple of ints for numpy.zeros
    dtype: str
    shape: str  # the shape as the card gives it (symbols: dynamic dims)
    layout: str | None
    color_order: str | None


@dataclass(frozen=True)
class RuntimeSnippet:
    xml: str  # Python literal of the IR file
    precision: str | None
    inputs: list[SnippetInput]


def family(name: str) -> str:
    return FAMILY_SUFFIX.sub("", name)


class RelatedIndex:
    """Related models of every card: composite parts, variants of a family, same task."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.families: dict[str, list[CardSource]] = {}
        for source in catalog.cards:
            self.families.setdefault(family(source.name), []).append(source)
        # per task, the cards with GFLOPs in log order, for the nearest ones by bisection
        self.by_gflops: dict[str, list[tuple[float, str]]] = {}
        for task, sources in catalog.by_task.items():
            self.by_gflops[task] = sorted(
                (math.log(gflops), source.name)
                for source in sources
                if (gflops := _gflops(source.card)) is not None
            )

    def related(self, source: CardSource) -> list[Related]:
        card, by_name = source.card, self.catalog.by_name
        found: list[Related] = []
        seen = {source.name}

        def add(other: CardSource | None, relation: str) -> None:
            if other is not None and other.name not in seen:
                seen.add(other.name)
                found.append(Related(other, relation))

        add(by_name.get(card.part_of) if card.part_of else None, "composite")
        for part in self.catalog.parts(source):
            add(part, "part")
        if card.part_of and (parent := by_name.get(card.part_of)) is not None:
            for sibling in self.catalog.parts(parent):
                add(sibling, "part")
        for variant in sorted(self.families.get(family(source.name), []), key=lambda s: s.name):
            add(variant, "variant")
        for name in self.nearest(source, skip=seen):
            add(by_name.get(name), "same task")
        return found

    def nearest(self, source: CardSource, skip: set[str]) -> list[str]:
        """Up to SAME_TASK_NEIGHBOURS cards of the task closest in GFLOPs (log scale), but
        those in `skip` (already related otherwise)."""
        gflops = _gflops(source.card)
        ranked = self.by_gflops.get(source.card.task, [])
        if gflops is None or not ranked:
            return []
        here = math.log(gflops)
        at = bisect.bisect_left(ranked, (here, source.name))
        low, high, picked = at - 1, at, []
        while len(picked) < SAME_TASK_NEIGHBOURS and (low >= 0 or high < len(ranked)):
            take_low = high >= len(ranked) or (
                low >= 0 and here - ranked[low][0] <= ranked[high][0] - here
            )
            if take_low:
                name, low = ranked[low][1], low - 1
            else:
                name, high = ranked[high][1], high + 1
            if name not in skip and name not in picked:
                picked.append(name)
        return picked


def _gflops(card: Card) -> float | None:
    value = card.complexity.gflops if card.complexity else None
    return float(value) if value is not None and float(value) > 0 else None


def runtime_snippet(card: Card) -> RuntimeSnippet | None:
    """The data of the 'Use this model' snippet, or None for a card without inputs."""
    if not card.inputs:
        return None
    precision = next((p for p in PREFERRED_PRECISIONS if p in card.ir), next(iter(card.ir), None))
    xml = card.ir[precision].rsplit("/", 1)[-1] if precision else f"{card.name}.xml"
    inputs = []
    for index, tensor in enumerate(card.inputs):
        inputs.append(
            SnippetInput(
                key=repr(tensor.name) if tensor.name else str(index),
                dims=_zeros_dims(tensor),
                dtype=NUMPY_TYPES.get(tensor.type, "float32"),
                shape="[" + ", ".join(str(dim) for dim in tensor.shape) + "]",
                layout=tensor.layout,
                color_order=tensor.color_order,
            )
        )
    return RuntimeSnippet(repr(xml), precision, inputs)


def _zeros_dims(tensor: Tensor) -> str:
    """The shape of an example array: a dynamic dim takes 1, a range its lower bound."""
    dims = []
    for dim in tensor.shape:
        if isinstance(dim, int):
            dims.append(str(dim))
        elif ".." in dim:
            dims.append(str(max(1, int(dim.split("..")[0]))))
        else:
            dims.append("1")
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def layout_legend(card: Card) -> list[tuple[str, str]]:
    """(letter, meaning) of every layout letter the card's tensors use."""
    tensors = [*card.inputs, *card.outputs]
    if card.original:
        tensors += [*card.original.inputs, *card.original.outputs]
    letters = {letter for tensor in tensors for letter in tensor.layout or ""}
    return [(letter, meaning) for letter, meaning in LAYOUT_LETTERS.items() if letter in letters]


def bibtex(citation: Citation) -> str:
    """A BibTeX entry for the citation (special characters escaped, one field a line)."""
    authors = " and ".join(_bibtex_text(author) for author in citation.authors)
    surname = citation.authors[0].split()[-1] if citation.authors else "anonymous"
    first_word = next((w for w in re.findall(r"[A-Za-z0-9]+", citation.title)), "")
    key = re.sub(r"[^a-z0-9]", "", f"{surname}{citation.year or ''}{first_word}".lower())
    venue = citation.venue or ""
    kind = "misc" if not venue else ("article" if "arxiv" in venue.lower() else "inproceedings")
    fields = [("title", "{" + _bibtex_text(citation.title) + "}")]
    if authors:
        fields.append(("author", authors))
    if venue:
        fields.append(("journal" if kind == "article" else "booktitle", _bibtex_text(venue)))
    if citation.year:
        fields.append(("year", str(citation.year)))
    if citation.url:
        fields.append(("url", re.sub(r"([{}\\])", r"\\\1", citation.url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key or 'citation'},\n{body}\n}}"


def _bibtex_text(text: str) -> str:
    return BIBTEX_SPECIAL.sub(lambda m: BIBTEX_ESCAPES[m.group()], " ".join(text.split()))
