"""The card format: one pydantic class per concept of a `model.yml`.

These classes are the single source of truth: validation, error messages, the published JSON
Schema and the site templates all read them.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from functools import cache, lru_cache
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from generator.cards.card_paths import plain_file_name
from generator.cards.figure import Figure
from generator.cards.vocab import ELEMENT_TYPES, FRAMEWORKS, PRECISIONS, TAGS, TASKS

NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
DIM_SYMBOL = re.compile(r"^(\?|[A-Za-z_][A-Za-z0-9_]*|\d{1,19}\.\.\d{1,19})$")
CHECKSUM_LENGTHS = {"md5": 32, "sha256": 64, "sha384": 96}
INT64_MAX = 2**63 - 1  # a dim must fit the runtime's int64 shapes
MAX_FILE_BYTES = 1 << 40  # 1 TiB: far above any model file, far below an overflow
# http(s), a host, no whitespace, no control or invisible format characters; the text is kept
# as written (quotes or markup in a URL are escaped where it is shown, not refused here).
# The JSON Schema pattern says the same as url_problem, but for the port's range.
URL_PATTERN = (
    r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e"
    r"\u2060-\u206f\ufeff/?#@]+"
    r"([/?#][^\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]*)?$"
)


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


@lru_cache(maxsize=4096)  # a catalog repeats a few licenses; parsing one took ~10% of loading
def spdx_valid(expression: str) -> bool:
    try:
        return not spdx_licensing().validate(expression).errors
    except Exception:  # license_expression raises on some invalid keys instead of reporting
        return False


Tag = Annotated[str, AfterValidator(lambda tag: check_vocabulary(tag, TAGS, "tag"))]


URL_ASCII_BAD = re.compile(r"[\x00-\x20\x7f]")


def url_problem(url: str) -> str | None:
    """Why `url` is not an http(s) URL with a host that a page can link to as written."""
    bad = URL_ASCII_BAD.search(url)
    if bad is None and not url.isascii():
        bad = next((c for c in url if c.isspace() or unicodedata.category(c) in ("Cc", "Cf")), None)
    if bad is not None:
        char = bad if isinstance(bad, str) else bad.group()
        return f"has a space or an invisible character (U+{ord(char):04X})"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError as error:
        return f"is not a URL ({error})"
    if parts.scheme.lower() not in ("http", "https") or not url[len(parts.scheme) :].startswith(
        "://"
    ):
        return "must start with http:// or https://"
    if "@" in parts.netloc:
        return "has a user name or password before the host"
    if not parts.hostname:
        return "has no host"
    return None


def check_url(url: str) -> str:
    if (problem := url_problem(url)) is not None:
        raise card_error("bad-url", f"URL {url!r} {problem}")
    return url


# every URL field of a card: kept as written (no normalisation), http(s) with a host only
HttpUrl = Annotated[
    str,
    AfterValidator(check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": URL_PATTERN}),
]


def check_file_name(name: str) -> str:
    if (problem := plain_file_name(name)) is not None:
        raise card_error("bad-file-name", problem)
    return name


FileName = Annotated[str, AfterValidator(check_file_name)]
CardName = Annotated[str, Field(pattern=NAME_PATTERN)]


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
            if isinstance(dim, int):
                bounds = [dim]
            else:  # a range: at most 19 digits each (DIM_SYMBOL)
                bounds = [int(end) for end in dim.split("..")] if ".." in dim else []
            if len(bounds) == 2 and bounds[0] > bounds[1]:
                raise card_error("bad-dim", f"dimension {index} is {dim!r}: an empty range")
            if any(bound > INT64_MAX for bound in bounds):
                raise card_error(
                    "bad-dim", f"dimension {index} is {dim!r}: over the int64 limit of the runtime"
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
    protocol: str | None = Field(
        None, description="How the figure was measured, e.g. single centre crop."
    )


class Speed(Strict):
    """A measured throughput or latency."""

    value: Figure = Field(gt=0)
    unit: str = Field(description="e.g. images/s, ms.")
    device: str | None = None
    notes: str | None = None


class LicenseInfo(Strict):
    """A license; a card may also give just the SPDX id as a string."""

    id: str = Field(description="SPDX license id or expression, or LicenseRef-...")
    url: HttpUrl | None = None
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

    name: FileName = Field(description="A plain file name in the card folder.")
    size: int | None = Field(None, gt=0, le=MAX_FILE_BYTES, description="Bytes.")
    md5: str | None = None
    sha256: str | None = None
    sha384: str | None = None
    url: HttpUrl | None = None

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
    url: HttpUrl | None = None


class Demo(Strict):
    name: str
    url: HttpUrl | None = None


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
    parts: list[CardName] = Field([], description="Names of the sub-model cards of a composite.")
    part_of: CardName | None = Field(
        None, description="Name of the composite this card belongs to."
    )
    year: int | None = Field(None, ge=1900, le=2100, description="Year the model was introduced.")
    citations: list[Citation] = []
    homepage: HttpUrl | None = None
    demos: list[Demo] = []
    obtain: list[Step] = Field([], description="How to download and convert the model.")
    weights: Literal["trained", "placeholder"] = Field(
        "trained", description="placeholder: stand-in weights of a demo, not a trained model."
    )
    label_map: str | None = Field(
        None, description="Path of a text file naming the output classes, relative to the card."
    )
    preprocessing: str | None = Field(
        None, description="Markdown: how to prepare inputs (resize, crop, mean, scale)."
    )
    caveats: list[str] = Field(
        [], description="Markdown: what a reader should know before using the model."
    )

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
