"""A small deterministic example synthesiser: JSON Schema (2020-12, as bundled) + seed -> a value.

Used when the spec gives no example for an answer. It prefers what the schema itself offers
(`const`, `enum`, `examples`, `default`), then builds a value by type: objects carry their
required properties and, while shallow, the optional ones; strings fit `format`, length and (for
the simple patterns the mock recognises) `pattern`. The caller validates the result with the
compiled validator and tries further seeds when a schema asked for more than this knows (a
`pattern` it cannot meet, `not`, ...). Same schema + same seed = same value.
"""

from __future__ import annotations

import random
import string
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from generator.spec.refs import pointer_get

# Below this depth optional properties are left out and arrays hold their minimum: bounded output
# for recursive schemas.
OPTIONAL_DEPTH = 3
MAX_DEPTH = 12
FORMAT_VALUES: dict[str, Callable[[random.Random], str]] = {
    "date-time": lambda rng: f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}T10:00:00Z",
    "date": lambda rng: f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
    "time": lambda rng: f"10:{rng.randint(10, 59)}:00Z",
    "email": lambda rng: f"user{rng.randint(1, 999)}@example.com",
    "hostname": lambda rng: f"host{rng.randint(1, 999)}.example.com",
    "ipv4": lambda rng: f"192.0.2.{rng.randint(1, 254)}",
    "ipv6": lambda rng: f"2001:db8::{rng.randint(1, 65535):x}",
    "uri": lambda rng: f"https://example.com/{rng.randint(1, 999)}",
    "uri-reference": lambda rng: f"/items/{rng.randint(1, 999)}",
    "uuid": lambda rng: str(uuid.UUID(int=rng.getrandbits(128), version=4)),
    "regex": lambda rng: "^[a-z]+$",
}


class Synthesiser:
    """Draws values for schemas inside one bundle document (to follow `$ref`s)."""

    def __init__(self, document: Mapping[str, Any], hints: Mapping[str, Any] | None = None) -> None:
        self.document = document
        self.hints = dict(hints or {})

    def value(self, schema: Any, rng: random.Random, depth: int = 0) -> Any:
        """A value meant to match `schema` (checked by the caller)."""
        if schema is True or not isinstance(schema, Mapping):
            return {} if schema is True else None
        if "$ref" in schema and depth < MAX_DEPTH:
            return self.value(self._merged_ref(schema), rng, depth + 1)
        for offered in self._offered(schema):
            return offered
        if "allOf" in schema:
            return self.value(_merge_all(self, schema), rng, depth + 1)
        for keyword in ("oneOf", "anyOf"):
            if isinstance(schema.get(keyword), list) and schema[keyword]:
                choice = schema[keyword][rng.randrange(len(schema[keyword]))]
                rest = {k: v for k, v in schema.items() if k != keyword}
                return self.value(_merge(self, rest, choice), rng, depth + 1)
        kind = _first_type(schema)
        return TYPE_BUILDERS[kind](self, schema, rng, depth)

    def resolve(self, schema: Any) -> Any:
        """Follow `$ref` chains (bounded) to the schema they name."""
        for _ in range(MAX_DEPTH):
            if not (isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str)):
                break
            schema = self._merged_ref(schema)
        return schema

    def _merged_ref(self, schema: Mapping[str, Any]) -> Any:
        target = pointer_get(self.document, schema["$ref"])
        rest = {key: value for key, value in schema.items() if key != "$ref"}
        return _merge(self, rest, target) if rest else target

    @staticmethod
    def _offered(schema: Mapping[str, Any]) -> list[Any]:
        if "const" in schema:
            return [schema["const"]]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return [schema["enum"][0]]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return [schema["examples"][0]]
        if "default" in schema:
            return [schema["default"]]
        return []


def _first_type(schema: Mapping[str, Any]) -> str:
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if declared else []
    for kind in types:
        if kind != "null" and kind in TYPE_BUILDERS:
            return str(kind)
    if types:
        return "null"
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "string" if {"minLength", "maxLength", "pattern", "format"} & set(schema) else "object"


def _merge(synth: Synthesiser, first: Mapping[str, Any], second: Any) -> dict[str, Any]:
    """Two schemas that must both hold -> one (properties and required unioned, else second wins)."""
    second = synth.resolve(second)
    if not isinstance(second, Mapping):
        return dict(first)
    merged = {**first, **second}
    merged["properties"] = {**first.get("properties", {}), **second.get("properties", {})}
    merged["required"] = [*first.get("required", []), *second.get("required", [])]
    if not merged["properties"]:
        del merged["properties"]
    if not merged["required"]:
        del merged["required"]
    return merged


def _merge_all(synth: Synthesiser, schema: Mapping[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema["allOf"]:
        merged = _merge(synth, merged, part)
    return merged


def _object(synth: Synthesiser, schema: Mapping[str, Any], rng: random.Random, depth: int) -> Any:
    properties = schema.get("properties") or {}
    required = [name for name in schema.get("required", []) if isinstance(name, str)]
    names = list(properties) if depth < OPTIONAL_DEPTH else []
    result: dict[str, Any] = {}
    for name in dict.fromkeys([*required, *names]):
        subschema = properties.get(name, schema.get("additionalProperties", True))
        if subschema is False:
            continue
        hinted = synth.hints.get(name)
        if hinted is not None and _fits_type(synth.resolve(subschema), hinted):
            result[name] = hinted
        else:
            result[name] = synth.value(subschema, rng, depth + 1)
    for index in range(int(schema.get("minProperties", 0)) - len(result)):
        extra = schema.get("additionalProperties", True)
        result[f"key{index}"] = synth.value(extra if extra is not False else True, rng, depth + 1)
    return result


def _fits_type(schema: Any, value: Any) -> bool:
    if not isinstance(schema, Mapping) or "type" not in schema:
        return isinstance(schema, Mapping)
    declared = schema["type"]
    types = declared if isinstance(declared, list) else [declared]
    kind = {bool: "boolean", int: "integer", float: "number", str: "string"}.get(type(value))
    return kind in types or (kind == "integer" and "number" in types)


def _array(synth: Synthesiser, schema: Mapping[str, Any], rng: random.Random, depth: int) -> Any:
    low = int(schema.get("minItems", 0))
    high = int(schema.get("maxItems", low + 2))
    count = max(low, min(high, 1 if depth < OPTIONAL_DEPTH else low))
    prefix = list(schema.get("prefixItems") or [])
    items = schema.get("items", True)
    values = [
        synth.value(prefix[index] if index < len(prefix) else items, rng, depth + 1)
        for index in range(count)
    ]
    if schema.get("uniqueItems"):
        unique: list[Any] = []
        for value in values:
            if value not in unique:
                unique.append(value)
        values = unique
    return values


def _string(synth: Synthesiser, schema: Mapping[str, Any], rng: random.Random, depth: int) -> Any:
    form = schema.get("format")
    if isinstance(form, str) and form in FORMAT_VALUES:
        return FORMAT_VALUES[form](rng)
    low = int(schema.get("minLength", 1))
    high = int(schema.get("maxLength", max(low, 12)))
    length = max(low, min(high, rng.randint(low, max(low, min(high, 12)))))
    alphabet = string.ascii_lowercase + string.digits
    return "".join(rng.choice(alphabet) for _ in range(length))


def _integer(synth: Synthesiser, schema: Mapping[str, Any], rng: random.Random, depth: int) -> Any:
    low, high = _bounds(schema)
    first = int(low) + (1 if "exclusiveMinimum" in schema and int(low) == low else 0)
    last = int(high) - (1 if "exclusiveMaximum" in schema and int(high) == high else 0)
    if first > last:
        return first
    value = rng.randint(first, last)
    step = schema.get("multipleOf")
    if isinstance(step, int) and step > 0:
        value = value - value % step
        value = value if value >= first else value + step
    return value


def _number(synth: Synthesiser, schema: Mapping[str, Any], rng: random.Random, depth: int) -> Any:
    if isinstance(schema.get("multipleOf"), int):
        return _integer(synth, schema, rng, depth)
    low, high = _bounds(schema)
    return round(low + (high - low) * (0.25 + rng.random() / 2), 2)


def _bounds(schema: Mapping[str, Any]) -> tuple[float, float]:
    low = schema.get("minimum", schema.get("exclusiveMinimum", 1))
    high = schema.get("maximum", schema.get("exclusiveMaximum", max(low, 0) + 100))
    return float(low), float(high)


TYPE_BUILDERS: dict[str, Callable[[Synthesiser, Mapping[str, Any], random.Random, int], Any]] = {
    "object": _object,
    "array": _array,
    "string": _string,
    "integer": _integer,
    "number": _number,
    "boolean": lambda synth, schema, rng, depth: rng.random() < 0.5,
    "null": lambda synth, schema, rng, depth: None,
}
