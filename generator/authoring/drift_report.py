"""A drift report as the site reads it (the plugin's `drift:`, `zoo render --drift`): the JSON
`zoo drift --format json` writes, untrusted (a pull request can change it), so bounded and typed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from generator.cards.card_paths import OutsideCard, card_path
from generator.validation.results import read_regular, shown

MAX_DRIFT_BYTES = 8 << 20
MAX_DRIFTS = 20_000
SOURCES = Literal["index", "README", "card", "measured"]
MAX_TEXT = 1_000  # characters of any text of an entry; `zoo drift` clips to it
Text = Annotated[str, Field(max_length=MAX_TEXT)]


class DriftEntry(BaseModel):
    """One disagreement of a drift report."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: Text
    field: Literal["gflops", "mparams"]
    left: SOURCES
    left_value: Text
    left_where: Text
    right: SOURCES
    right_value: Text
    right_where: Text
    ratio: Annotated[float, Field(allow_inf_nan=False)] | None
    diagnosis: Text
    kind: Text


DRIFT_REPORT = TypeAdapter(Annotated[list[DriftEntry], Field(max_length=MAX_DRIFTS)])


class DriftReportError(Exception):
    """A drift report the site cannot use: one line naming the file."""


def read_drift_report(base: Path, relative: str) -> list[DriftEntry]:
    """The report at `relative` inside `base` (the project): a regular file, reached without a
    symlink or `..`, of at most MAX_DRIFT_BYTES, that validates as a drift report."""
    try:
        path = card_path(base, relative)
    except OutsideCard as error:
        raise DriftReportError(
            f"drift report: must be a file inside the project ({error})"
        ) from None
    try:
        data = read_regular(path, MAX_DRIFT_BYTES)
        return DRIFT_REPORT.validate_json(data)
    except OSError as error:
        raise DriftReportError(f"{shown(path)}: {error.strerror or error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part)[:40] for part in first["loc"])
        detail = f"{where}: {first['msg']}" if where else first["msg"]
        raise DriftReportError(
            f"{shown(path)}: not a drift report of `zoo drift --format json` ({detail})"
        ) from None
    except ValueError as error:
        raise DriftReportError(f"{shown(path)}: {error}") from None
