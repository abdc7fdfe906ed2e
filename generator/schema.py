"""The card format: one pydantic class per concept of a `model.yml`.

These classes are the single source of truth: validation, error messages, the published JSON
Schema and the site templates all read them.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.figure import Figure
from generator.vocab import ELEMENT_TYPES, FRAMEWORKS, PRECISIONS, TAGS, TASKS

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
DIM_SYMBOL = re.compile(r"^(\?|[A-Za-z_][A-Za-z0-9_]*|\d+\.\.\d+)$")
CHECKSUM_LENGTHS = {"md5": 32, "sha256": 64, "sha384": 96}


def suggest(value: str, choices: list[str] | tuple[str, ...]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def check_vocabulary(value: str, choices: dict | tuple, what: str) -> str:
    if value not in choices:
        raise PydanticCustomError(
            "unknown-" + what.replace(" ", "-"),
            "unknown {what} '{value}'{hint}",
            {"what": what, "value": value, "hint": suggest(value, tuple(choices))},
        )
    return value


def card_error(code: str, message: str) -> PydanticCustomError:
    """A validation error whose type is our finding code."""
    return PydanticCustomError(code, message.replace("{", "{{").replace("}", "}}"))


@cache
def spdx_licensing():
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def spdx_valid(expression: str) -> bool:
    try:
        return not spdx_licensing().validate(expression).errors
    except Exception:  # license_expression raises on some invalid keys instead of reporting
        return False


Tag = Annotated[str, AfterValidator(lambda tag: check_vocabulary(tag, TAGS, "tag"))]


class Strict(BaseModel):
    """Base for every card concept: unknown keys are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Tensor(Strict):
    """One input or output of a model."""

    name: str | None = Field(None, description="Tensor name; unnamed outputs match by position.")
    shape: list[int | str] = Field(
        description="Dimensions; a symbol such as N or ? (or a range 1..8) marks a dynamic dim."
    )
    layout: str | None = Field(None, description="One letter per dim, e.g. NCHW.")
    type: str = Field(
        "f32", description="Element type.", json_schema_extra={"enum": list(ELEMENT_TYPES)}
    )
    color_order: Literal["RGB", "BGR", "GRAY"] | None = Field(None, description="Image channels.")
    description: str | None = Field(None, description="Markdown: meaning of the values.")

    @field_validator("shape", mode="before")
    @classmethod
    def _dims(cls, shape: object) -> object:
        if not isinstance(shape, list):
            raise card_error("bad-shape", "shape must be a list of dimensions")
        for index, dim in enumerate(shape):
            positive = isinstance(dim, int) and not isinstance(dim, bool) and dim >= 1
            if not positive and not (isinstance(dim, str) and DIM_SYMBOL.match(dim)):
                raise card_error(
                    "bad-dim",
                    f"dimension {index} is {dim!r}: use a positive number, or a symbol "
                    "such as N or ? for a dynamic dim",
                )
        return shape

    @field_validator("layout")
    @classmethod
    def _layout(cls, layout: str | None) -> str | None:
        if layout is not None and not re.fullmatch(r"[A-Z?]+", layout):
            raise card_error(
                "bad-layout", f"layout '{layout}' must be upper-case letters, one per dim"
            )
        return layout

    @field_validator("type")
    @classmethod
    def _type(cls, value: str) -> str:
        return check_vocabulary(value, ELEMENT_TYPES, "element type")

    @model_validator(mode="after")
    def _rank(self) -> Tensor:
        layout, rank = self.layout, len(self.shape)
        if layout is not None and len(layout) != rank:
            raise card_error(
                "layout-rank", f"layout '{layout}' has {len(layout)} dims but shape has {rank}"
            )
        return self


class Original(Strict):
    """Inputs and outputs of the model in its source framework, before conversion."""

    inputs: list[Tensor] = []
    outputs: list[Tensor] = []


class Complexity(Strict):
    """Compute and size; null means unknown (shown as '-')."""

    gflops: Figure | None = Field(None, gt=0, description="Billions of floating point operations.")
    mparams: Figure | None = Field(None, gt=0, description="Millions of parameters.")


class Metric(Strict):
    """One published accuracy figure."""

    metric: str = Field(description="Name as published, e.g. mAP, top-1 err., Rank-1.")
    value: Figure
    unit: str | None = Field(None, description="'%' or none.")
    dataset: str | None = None
    better: Literal["higher", "lower"] = Field("higher", description="Direction of improvement.")


class Speed(Strict):
    """A measured throughput or latency."""

    value: Figure = Field(gt=0)
    unit: str = Field(description="e.g. images/s, ms.")
    device: str | None = None
    notes: str | None = None


class LicenseInfo(Strict):
    """A license; a card may also give just the SPDX id as a string."""

    id: str = Field(description="SPDX license id or expression, or LicenseRef-...")
    url: str | None = None
    file: str | None = Field(None, description="Path of a license text, relative to the card.")

    @field_validator("id")
    @classmethod
    def _spdx(cls, spdx_id: str) -> str:
        if not spdx_id.startswith("LicenseRef-") and not spdx_valid(spdx_id):
            known = [symbol.key for symbol in spdx_licensing().known_symbols.values()]
            raise card_error(
                "unknown-license", f"unknown SPDX license '{spdx_id}'{suggest(spdx_id, known)}"
            )
        return spdx_id


class FileEntry(Strict):
    """A model file in storage, with its checksum."""

    name: str
    size: int | None = Field(None, gt=0, description="Bytes.")
    md5: str | None = None
    sha256: str | None = None
    sha384: str | None = None
    url: str | None = None

    @field_validator("md5", "sha256", "sha384", mode="before")
    @classmethod
    def _checksum(cls, value: object, info: ValidationInfo) -> object:
        if isinstance(value, int | float):
            raise card_error(
                "bad-checksum", f"{info.field_name} was read as a number: put it in quotes"
            )
        if not isinstance(value, str):
            return value
        want = CHECKSUM_LENGTHS[info.field_name]
        if not re.fullmatch(r"[0-9a-fA-F]*", value):
            raise card_error("bad-checksum", f"{info.field_name} must be hexadecimal")
        if len(value) != want:
            raise card_error(
                "bad-checksum", f"{info.field_name} must be {want} hex digits, got {len(value)}"
            )
        return value.lower()

    @property
    def checksum(self) -> tuple[str, str] | None:
        for algorithm in CHECKSUM_LENGTHS:
            if value := getattr(self, algorithm):
                return algorithm, value
        return None


class Citation(Strict):
    title: str
    authors: list[str] = []
    venue: str | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    url: str | None = None


class Demo(Strict):
    name: str
    url: str | None = None


class Step(Strict):
    """One way to obtain or convert the model, shown as a shell command."""

    title: str
    command: str


class Card(Strict):
    """The metadata of one model, read from `model_cards/<name>/model.yml`."""

    name: str = Field(pattern=NAME_PATTERN, description="Equal to the folder name.")
    task: str = Field(
        description="Task type from the controlled vocabulary.",
        json_schema_extra={"enum": list(TASKS)},
    )
    tags: list[Tag] = Field(
        [],
        description="Category marks, e.g. face, person, vehicle.",
        json_schema_extra={"items": {"enum": list(TAGS)}},
    )
    description: str = Field(description="Markdown: use case and high-level description.")
    framework: str | None = Field(
        None, description="Source framework.", json_schema_extra={"enum": [*FRAMEWORKS, None]}
    )
    license: LicenseInfo | None = Field(None, description="SPDX id, or {id, url, file}.")
    complexity: Complexity | None = None
    accuracy: list[Metric] = []
    speed: list[Speed] = []
    inputs: list[Tensor] = []
    outputs: list[Tensor] = []
    original: Original | None = None
    files: list[FileEntry] = []
    ir: dict[str, str] = Field({}, description="IR .xml per precision, relative to the card.")
    parts: list[str] = Field([], description="Names of the sub-model cards of a composite.")
    part_of: str | None = Field(None, description="Name of the composite this card belongs to.")
    year: int | None = Field(None, ge=1900, le=2100, description="Year the model was introduced.")
    citations: list[Citation] = []
    homepage: str | None = None
    demos: list[Demo] = []
    obtain: list[Step] = Field([], description="How to download and convert the model.")

    @field_validator("task")
    @classmethod
    def _task(cls, value: str) -> str:
        return check_vocabulary(value, TASKS, "task")

    @field_validator("framework")
    @classmethod
    def _framework(cls, value: str | None) -> str | None:
        return value if value is None else check_vocabulary(value, FRAMEWORKS, "framework")

    @field_validator("ir")
    @classmethod
    def _ir(cls, ir: dict[str, str]) -> dict[str, str]:
        for precision, path in ir.items():
            check_vocabulary(precision, PRECISIONS, "precision")
            if not path.endswith(".xml"):
                raise card_error("bad-ir-path", f"IR path '{path}' must point to the .xml file")
        return ir

    @field_validator("license", mode="before")
    @classmethod
    def _license_id(cls, value: object) -> object:
        return {"id": value} if isinstance(value, str) else value

    @property
    def precisions(self) -> list[str]:
        return list(self.ir)


def card_json_schema() -> dict:
    """The JSON Schema that editors use to autocomplete and check `model.yml`."""
    schema = Card.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "zoo-cards model card"
    # the loader also takes a bare SPDX id for `license`
    schema["properties"]["license"] = {
        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/LicenseInfo"}, {"type": "null"}],
        "description": "SPDX id, or {id, url, file}.",
    }
    return schema
