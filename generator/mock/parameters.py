"""Request parameters as the spec declares them: find each value, turn the text into JSON readings.

Path, query, header and cookie values arrive as text; the parameter's schema says what JSON value
the text can stand for (`"7"` is the integer 7 for an integer schema, the string "7" for a string
one). The types a schema allows are read through `$ref`, `allOf`, `anyOf`, `oneOf`, `enum` and
`const` (`allowed_types`), so a parameter whose schema is a reference is read as what it names.
A value gets every reading its declared types allow, in a fixed order (an untyped schema: only the
most specific); the caller validates them with the same compiled validator as bodies and keeps the
first that passes, or reports the first's errors, so every keyword of the schema (`minimum`,
`format: int32`, `pattern`, ...) is checked.
Arrays and objects follow `style` and `explode` as OpenAPI 3 lays them out: `form` (repeated keys,
or one comma-joined value; exploded objects as one query key per property), `spaceDelimited`,
`pipeDelimited`, `deepObject` (`name[key]=value`), `simple` (`a,b` / `k,v` / `k=v`), `label`
(`.a.b`) and `matrix` (`;name=a,b`). A parameter declared with `content` is parsed as JSON.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qsl

from generator.mock.operations import Parameter

# Longer digit strings stay text (Python refuses int() past 4,300 digits; no schema needs them).
_INTEGER = re.compile(r"-?[0-9]{1,300}")
_SEPARATORS = {"spaceDelimited": " ", "pipeDelimited": "|"}
_DEEP_KEY = re.compile(r"(?P<name>[^\[\]]+)\[(?P<key>[^\[\]]*)\]")
# The order readings are tried in: the most specific reading of the text first, text last.
READING_ORDER = ("integer", "number", "boolean", "null", "string")
ALL_TYPES = frozenset({"integer", "number", "boolean", "null", "string", "array", "object"})
# How deep `allowed_types` follows references and combinators (schemas may be recursive).
MAX_TYPE_DEPTH = 16

Resolve = Callable[[str], Any]


@dataclass(frozen=True)
class Request:
    """Where parameter values come from: path parameters, raw query, lower-case headers."""

    path_parameters: Mapping[str, str]
    query: str
    headers: Mapping[str, str]
    claimed: frozenset[str] = frozenset()  # query keys that other parameters own

    def query_pairs(self) -> list[tuple[str, str]]:
        """The query's decoded (key, value) pairs, in order."""
        return parse_qsl(self.query, keep_blank_values=True)


def raw_values(parameter: Parameter, request: Request) -> list[str] | None:
    """The parameter's text values as sent under its own name (None when absent)."""
    if parameter.location == "path":
        value = request.path_parameters.get(parameter.name)
        return None if value is None else [value]
    if parameter.location == "query":
        found = [value for key, value in request.query_pairs() if key == parameter.name]
        return found or None
    if parameter.location == "header":
        value = request.headers.get(parameter.name.lower())
        return None if value is None else [value]
    cookie = SimpleCookie()
    try:
        cookie.load(request.headers.get("cookie", ""))
    except CookieError:
        return None
    morsel = cookie.get(parameter.name)
    return None if morsel is None else [morsel.value]


def readings(
    parameter: Parameter, request: Request, schema: Any, resolve: Resolve
) -> list[Any] | None:
    """The JSON values the parameter's text may stand for, best first (None when absent)."""
    types = allowed_types(schema, resolve)
    if "object" in types and types != ALL_TYPES and not parameter.content and _is_spread(parameter):
        pairs = _spread_pairs(parameter, request)
        return None if pairs is None else [_object(pairs, schema, resolve)]
    values = raw_values(parameter, request)
    if values is None:
        return None
    if parameter.content:
        try:
            return [json.loads(values[0])]
        except ValueError:
            return [values[0]]
    text = _unprefixed(parameter, values)
    if types == ALL_TYPES:  # the schema does not say: the text's most specific reading only
        return scalar_readings(text, types)[:1]
    candidates: list[Any] = []
    if "array" in types:
        items = _array_items(parameter, values, text)
        item_schema = _subschema(schema, resolve, "items")
        candidates.append([_first_reading(item, item_schema, resolve) for item in items])
    if "object" in types:
        candidates.append(_object(_inline_pairs(parameter, text), schema, resolve))
    candidates += scalar_readings(text, types)
    return candidates or [text]


def scalar_readings(text: str, types: frozenset[str]) -> list[Any]:
    """Every reading of `text` as a JSON scalar that `types` allows, in `READING_ORDER`."""
    found: list[Any] = []
    for kind in READING_ORDER:
        if kind not in types:
            continue
        value = _READERS[kind](text)
        if value is not _NO_READING and not any(_same(value, seen) for seen in found):
            found.append(value)
    return found


def allowed_types(schema: Any, resolve: Resolve, depth: int = 0) -> frozenset[str]:
    """The JSON types an instance of `schema` can have (every type when it does not say)."""
    if schema is False:
        return frozenset()
    if not isinstance(schema, dict) or depth > MAX_TYPE_DEPTH:
        return ALL_TYPES
    allowed = ALL_TYPES
    if isinstance(schema.get("$ref"), str):
        allowed = _meet(allowed, allowed_types(resolve(schema["$ref"]), resolve, depth + 1))
    declared = schema.get("type")
    if isinstance(declared, (str, list)):
        names = {declared} if isinstance(declared, str) else {str(name) for name in declared}
        allowed = _meet(allowed, frozenset(names) | ({"integer"} if "number" in names else set()))
    values = [schema["const"]] if "const" in schema else schema.get("enum")
    if isinstance(values, list):
        allowed = _meet(allowed, frozenset(_json_type(value) for value in values))
    for member in schema.get("allOf") or []:
        allowed = _meet(allowed, allowed_types(member, resolve, depth + 1))
    for keyword in ("anyOf", "oneOf"):
        members = schema.get(keyword)
        if isinstance(members, list) and members:
            union = frozenset().union(*(allowed_types(m, resolve, depth + 1) for m in members))
            allowed = _meet(allowed, union)
    return allowed


def _meet(left: frozenset[str], right: frozenset[str]) -> frozenset[str]:
    return left & right


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "object"
    return "array" if isinstance(value, list) else "string"


def _subschema(schema: Any, resolve: Resolve, keyword: str, name: str | None = None) -> Any:
    """`items`, or `properties[name]` / `additionalProperties`, seen through `$ref` and `allOf`."""
    seen = 0
    pending = [schema]
    while pending and seen <= MAX_TYPE_DEPTH:
        current = pending.pop(0)
        seen += 1
        if not isinstance(current, dict):
            continue
        if name is None and keyword in current:
            return current[keyword]
        if name is not None:
            properties = current.get("properties")
            if isinstance(properties, dict) and name in properties:
                return properties[name]
            if isinstance(current.get("additionalProperties"), dict):
                return current["additionalProperties"]
        if isinstance(current.get("$ref"), str):
            pending.append(resolve(current["$ref"]))
        pending += [m for m in current.get("allOf") or [] if isinstance(m, dict)]
    return True


def _first_reading(text: str, schema: Any, resolve: Resolve) -> Any:
    found = scalar_readings(text, allowed_types(schema, resolve))
    return found[0] if found else text


def _object(pairs: list[tuple[str, str]], schema: Any, resolve: Resolve) -> dict[str, Any]:
    return {
        key: _first_reading(value, _subschema(schema, resolve, "properties", key), resolve)
        for key, value in pairs
    }


def _is_spread(parameter: Parameter) -> bool:
    """An object sent as several query keys: `deepObject`, or `form` exploded."""
    return parameter.location == "query" and (
        parameter.style == "deepObject" or (parameter.style == "form" and parameter.explode)
    )


def _spread_pairs(parameter: Parameter, request: Request) -> list[tuple[str, str]] | None:
    """`name[key]=value` (deepObject) or every query key no other parameter owns (form)."""
    pairs: list[tuple[str, str]] = []
    for key, value in request.query_pairs():
        if parameter.style == "deepObject":
            found = _DEEP_KEY.fullmatch(key)
            if found and found.group("name") == parameter.name:
                pairs.append((found.group("key"), value))
        elif key not in request.claimed:
            pairs.append((key, value))
    return pairs or None


def _unprefixed(parameter: Parameter, values: list[str]) -> str:
    """The first value without its `label` (`.`) or `matrix` (`;name=`) prefix."""
    text = values[0]
    if parameter.location != "path":
        return text
    if parameter.style == "label":
        return text.removeprefix(".")
    if parameter.style == "matrix":
        text = text.removeprefix(";")
        return "" if text == parameter.name else text.removeprefix(parameter.name + "=")
    return text


def _array_items(parameter: Parameter, values: list[str], text: str) -> list[str]:
    if parameter.location == "query" and parameter.explode and len(values) > 1:
        return values
    if text == "":
        return []
    if parameter.style == "label" and parameter.explode:
        return text.split(".")
    if parameter.style == "matrix" and parameter.explode:
        return [part.removeprefix(parameter.name + "=") for part in text.split(";")]
    return text.split(_SEPARATORS.get(parameter.style, ","))


def _inline_pairs(parameter: Parameter, text: str) -> list[tuple[str, str]]:
    """An object in one value: `k,v,k2,v2`, or exploded `k=v,k2=v2` (`.`/`;` for label/matrix)."""
    if text == "":
        return []
    if parameter.explode and parameter.style in ("simple", "label", "matrix"):
        separator = {"label": ".", "matrix": ";"}.get(parameter.style, ",")
        pairs = [part.partition("=") for part in text.split(separator)]
        return [(key, value) for key, _, value in pairs]
    parts = text.split(_SEPARATORS.get(parameter.style, ","))
    if len(parts) % 2:
        parts.append("")  # an odd count cannot be key/value pairs; the last key gets ""
    return list(zip(parts[::2], parts[1::2], strict=True))


_NO_READING = object()


def _read_integer(text: str) -> Any:
    return int(text) if _INTEGER.fullmatch(text) else _NO_READING


def _read_number(text: str) -> Any:
    if _INTEGER.fullmatch(text):
        return int(text)
    try:
        number = float(text)
    except ValueError:
        return _NO_READING
    return number if math.isfinite(number) and text.strip() == text else _NO_READING


_READERS: dict[str, Callable[[str], Any]] = {
    "integer": _read_integer,
    "number": _read_number,
    "boolean": lambda text: {"true": True, "false": False}.get(text, _NO_READING),
    "null": lambda text: None if text in ("", "null") else _NO_READING,
    "string": lambda text: text,
}


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and bool(left == right)
