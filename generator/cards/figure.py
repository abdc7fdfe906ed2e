"""A published number that keeps the digits its card wrote (2.300 stays 2.300 on the site).

Only finite numbers: `.inf`, `.nan` and figures that overflow a float are refused."""

from __future__ import annotations

from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema


class Figure(float):
    """A float that prints as written in the card; JSON and arithmetic see a plain float."""

    __slots__ = ("text",)  # no __dict__ per figure: a catalog holds many
    text: str

    def __new__(cls, value: float, text: str | None = None) -> Figure:
        figure = super().__new__(cls, value)
        figure.text = text if text is not None else repr(float(value))
        return figure

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return self.text if not spec else float.__format__(self, spec)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        def keep_text(value: Any, validate: core_schema.ValidatorFunctionWrapHandler) -> Figure:
            number = validate(value)  # float rules and Field constraints (gt=0) apply
            if isinstance(value, Figure):
                return value
            if isinstance(value, int) and not isinstance(value, bool):
                return cls(number, str(value))
            return cls(number)

        return core_schema.no_info_wrap_validator_function(
            keep_text,
            core_schema.float_schema(allow_inf_nan=False),  # .inf, .nan, 1e400 are refused
            serialization=core_schema.plain_serializer_function_ser_schema(float),
        )
