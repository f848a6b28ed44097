"""Request parameters as the spec declares them: find each value, turn the text into JSON, check it.

Path, query, header and cookie values arrive as text; the parameter's schema says what JSON value
the text stands for (`"7"` is the integer 7 for an integer schema). Arrays follow `style` and
`explode` (repeated query keys, or one value split on `,`, ` ` or `|`); a parameter declared with
`content` is parsed as JSON. Object-valued parameters in `form`/`deepObject` style are not decoded
and not checked (README, "The mock").
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from generator.mock.operations import Parameter

NOT_CHECKED = object()
# Longer digit strings stay text (Python refuses int() past 4,300 digits; no schema needs them).
_INTEGER = re.compile(r"-?[0-9]{1,300}")
_SEPARATORS = {"spaceDelimited": " ", "pipeDelimited": "|"}


def raw_values(
    parameter: Parameter,
    path_parameters: Mapping[str, str],
    query: str,
    headers: Mapping[str, str],
) -> list[str] | None:
    """The parameter's text values as sent (None when absent)."""
    if parameter.location == "path":
        value = path_parameters.get(parameter.name)
        return None if value is None else [value]
    if parameter.location == "query":
        found = [
            value
            for key, value in parse_qsl(query, keep_blank_values=True)
            if key == parameter.name
        ]
        return found or None
    if parameter.location == "header":
        value = headers.get(parameter.name.lower())
        return None if value is None else [value]
    cookie = SimpleCookie()
    try:
        cookie.load(headers.get("cookie", ""))
    except CookieError:
        return None
    morsel = cookie.get(parameter.name)
    return None if morsel is None else [morsel.value]


def coerce(parameter: Parameter, values: list[str], schema: Any) -> Any:
    """Text values -> the JSON value they stand for under `schema` (NOT_CHECKED for objects)."""
    if parameter.content:
        try:
            return json.loads(values[0])
        except ValueError:
            return values[0]
    types = _types(schema)
    if "array" in types:
        items = values if parameter.explode and len(values) > 1 else _split(parameter, values[0])
        item_schema = schema.get("items", True) if isinstance(schema, dict) else True
        return [_scalar(item, _types(item_schema)) for item in items]
    if "object" in types:
        return NOT_CHECKED
    return _scalar(values[0], types)


def _types(schema: Any) -> list[str]:
    if not isinstance(schema, dict):
        return []
    declared = schema.get("type")
    if isinstance(declared, list):
        return [str(kind) for kind in declared]
    return [str(declared)] if isinstance(declared, str) else []


def _split(parameter: Parameter, value: str) -> list[str]:
    if value == "":
        return []
    return value.split(_SEPARATORS.get(parameter.style, ","))


def _scalar(text: str, types: list[str]) -> Any:
    """The first reading of `text` the types allow; the text itself when none does."""
    for kind in types:
        if kind == "integer" and _INTEGER.fullmatch(text):
            return int(text)
        if kind == "number":
            number = _number(text)
            if number is not None:
                return number
        if kind == "boolean" and text in ("true", "false"):
            return text == "true"
        if kind == "null" and text == "":
            return None
        if kind == "string":
            return text
    return text


def _number(text: str) -> int | float | None:
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) and text.strip() == text else None
