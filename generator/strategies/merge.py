"""Schema algebra for the strategy emitter: merge two schemas, and the JSON types a schema allows.

A strategy can draw from one schema only, so `allOf` branches (and the siblings of an `anyOf` /
`oneOf` branch, as in driveRecipient's `anyOf` of `required` lists) are merged into one schema
first. Merging is exact for the keywords below and refuses everything it cannot merge exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

from generator.errors import SchemaCompileError


class EmptySchema(SchemaCompileError):
    """Two merged schemas that no instance satisfies (different `const`s, disjoint types or
    enums): an `anyOf`/`oneOf` branch like that is dropped; anywhere else it is an error."""


# JSON types and the Python values `json.loads` gives for them (bool is not an integer).
JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")


def _union_required(first: Any, second: Any, pointer: str) -> list[str]:
    return [*dict.fromkeys([*first, *second])]


def _merge_properties(first: Any, second: Any, pointer: str) -> dict[str, Any]:
    merged = dict(first)
    for name, schema in second.items():
        # Both schemas apply to the property: an `allOf` the emitter merges in turn.
        same = name not in merged or merged[name] == schema
        merged[name] = schema if same else {"allOf": [merged[name], schema]}
    return merged


def _intersect_types(first: Any, second: Any, pointer: str) -> list[str]:
    first_types, second_types = _type_set(first), _type_set(second)
    common = [name for name in JSON_TYPES if name in first_types and name in second_types]
    if not common:
        raise EmptySchema(pointer, f"types {first!r} and {second!r} share no instance")
    return common


def _type_set(declared: Any) -> frozenset[str]:
    names = frozenset([declared] if isinstance(declared, str) else declared)
    return names | {"integer"} if "number" in names else names


def _both_schemas(first: Any, second: Any, pointer: str) -> Any:
    """Two subschemas of one keyword (`items`): instances valid against both, an `allOf`."""
    return {"allOf": [first, second]}


def _additional_properties(first: Any, second: Any, pointer: str) -> Any:
    """`false` wins; two schemas both apply (the closed-object check ran before)."""
    if first is False or second is False:
        return False
    if first is True or first == {}:
        return second
    if second is True or second == {}:
        return first
    return {"allOf": [first, second]}


def _either(first: Any, second: Any, pointer: str) -> Any:
    """`uniqueItems`: unique when either schema says so."""
    return bool(first) or bool(second)


def _same_const(first: Any, second: Any, pointer: str) -> Any:
    """Two different `const` values (they reach here unequal): no instance is both."""
    raise EmptySchema(pointer, f"const {first!r} and const {second!r} share no instance")


def _common_values(first: Any, second: Any, pointer: str) -> Any:
    """Two `enum` lists: the values in both, in the first list's order."""
    if not isinstance(first, list) or not isinstance(second, list):
        raise SchemaCompileError(pointer, "enum must be a list")
    common = [value for value in first if value in second]
    if not common:
        raise EmptySchema(pointer, "the enums share no value")
    return common


def _common_multiple(first: Any, second: Any, pointer: str) -> Any:
    """Two `multipleOf`s: their least common multiple, exact for decimals (0.5 and 0.2 give 1)."""
    try:
        one, two = Fraction(repr(first)), Fraction(repr(second))
    except (TypeError, ValueError):
        raise SchemaCompileError(pointer, "multipleOf must be a number") from None
    numerator = math.lcm(one.numerator, two.numerator)
    denominator = math.gcd(one.denominator, two.denominator)
    if denominator == 1:
        return numerator
    return float(Fraction(numerator, denominator))


def _larger(first: Any, second: Any, pointer: str) -> Any:
    return max(first, second)


def _smaller(first: Any, second: Any, pointer: str) -> Any:
    return min(first, second)


MERGERS: dict[str, Callable[[Any, Any, str], Any]] = {
    "required": _union_required,
    "properties": _merge_properties,
    "type": _intersect_types,
    "minLength": _larger,
    "minItems": _larger,
    "minimum": _larger,
    "exclusiveMinimum": _larger,
    "maxLength": _smaller,
    "maxItems": _smaller,
    "items": _both_schemas,
    "additionalProperties": _additional_properties,
    "uniqueItems": _either,
    "const": _same_const,
    "enum": _common_values,
    "maximum": _smaller,
    "exclusiveMaximum": _smaller,
    "multipleOf": _common_multiple,
    "minProperties": _larger,
    "maxProperties": _smaller,
    # Properties (items) no other keyword of the same schema object evaluated: where a schema
    # holding it is merged with others, the callers take it off first and put it back after.
    "unevaluatedProperties": _additional_properties,
    "unevaluatedItems": _both_schemas,
}


def merge_schemas(
    first: Mapping[str, Any], second: Mapping[str, Any], pointer: str, annotations: frozenset[str]
) -> dict[str, Any]:
    """One schema whose instances are exactly those valid against both (no `$ref` in either)."""
    merged = dict(first)
    rest: Mapping[str, Any] = second
    if _closed(first) or _closed(second):
        merged = {key: value for key, value in first.items() if key not in _OBJECT_KEYWORDS}
        merged.update(_merge_closed(first, second, pointer))
        rest = {key: value for key, value in second.items() if key not in _OBJECT_KEYWORDS}
    for keyword, value in rest.items():
        if keyword in annotations:
            continue
        if keyword not in merged or merged[keyword] == value:
            merged[keyword] = value
        elif keyword in MERGERS:
            merged[keyword] = MERGERS[keyword](merged[keyword], value, pointer)
        else:
            raise SchemaCompileError(pointer, f'cannot combine two different "{keyword}" values')
    return merged


def _closed(schema: Mapping[str, Any]) -> bool:
    """Whether a schema decides the properties it does not name (`additionalProperties`, or a
    merged member's own `unevaluatedProperties`)."""
    return any(schema.get(keyword, True) is not True for keyword in _CLOSING)


def _extra(schema: Mapping[str, Any]) -> Any:
    """The schema a property a schema does not name must match (True: any)."""
    for keyword in _CLOSING:
        if keyword in schema:
            return schema[keyword]
    return True


def _merge_closed(
    first: Mapping[str, Any], second: Mapping[str, Any], pointer: str
) -> dict[str, Any]:
    """`properties`, `required` and `additionalProperties` of two schemas one of which decides the
    properties it does not name: each property matches both sides' schema for it (its own, else
    the side's `additionalProperties`); one a side forbids may not be present, so it is left out
    (and nothing is possible when it is required)."""
    required = _union_required(first.get("required", []), second.get("required", []), pointer)
    names = [*dict.fromkeys([*first.get("properties", {}), *second.get("properties", {})])]
    properties: dict[str, Any] = {}
    for name in names:
        schemas = [side.get("properties", {}).get(name, _extra(side)) for side in (first, second)]
        if False in schemas:
            if name in required:
                raise EmptySchema(pointer, f"required property {name!r} is not allowed")
            continue
        kept = [schema for schema in schemas if schema is not True and schema != {}]
        properties[name] = (
            kept[0]
            if len(kept) == 1 or (kept and kept[0] == kept[1])
            else {"allOf": kept} if kept else True
        )
    merged: dict[str, Any] = {"properties": properties} if properties else {}
    if required:
        merged["required"] = required
    extra = _additional_properties(_extra(first), _extra(second), pointer)
    if extra is not True:
        merged["additionalProperties"] = extra
    missing = set(required) - set(properties)
    if missing and extra is False:
        raise EmptySchema(pointer, f"required properties {sorted(missing)} are not allowed")
    return merged


_CLOSING = ("additionalProperties", "unevaluatedProperties")
_OBJECT_KEYWORDS = frozenset({"properties", "required", *_CLOSING})


def value_type(value: Any) -> str:
    """The JSON type of a JSON value (an integral float is an integer, as JSON Schema says)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    kinds = {float: "number", str: "string", list: "array", dict: "object"}
    return kinds[type(value)]


def allows_type(declared: Any, value: Any) -> bool:
    """Whether a JSON value has one of the types a `type` keyword allows."""
    return declared is None or value_type(value) in _type_set(declared)


class TypeOracle:
    """The JSON types each schema allows, memoised per `$ref` target.

    Memoising per referenced schema keeps the walk linear in the number of schema nodes: without
    it, `g{i} = allOf: [$ref g{i+1}, $ref g{i+1}]` is walked 2**depth times (issue 18, H1).
    A `$ref` met again while its own types are being worked out (a cycle) allows any type: the
    answer is then a superset of the exact one, which only makes callers more careful.
    """

    def __init__(self, resolve: Callable[[str], Any]) -> None:
        self.resolve = resolve
        self.memo: dict[str, frozenset[str] | None] = {}
        self.in_progress: set[str] = set()
        self.visits = 0  # schema nodes walked (tests count work with it, not wall time)

    def types(self, schema: Any) -> frozenset[str] | None:
        """The JSON types instances of `schema` can have; None when any type can be valid."""
        self.visits += 1
        if not isinstance(schema, dict):
            return None if schema is not False else frozenset()
        found: list[frozenset[str]] = []
        if "type" in schema:
            found.append(_type_set(schema["type"]))
        for keyword in ("enum", "const"):
            if keyword in schema:
                values = schema[keyword] if keyword == "enum" else [schema[keyword]]
                found.append(_type_set([value_type(value) for value in values]))
        if "$ref" in schema:
            found.append(_or_all(self.referenced(schema["$ref"])))
        for keyword in ("anyOf", "oneOf"):
            if keyword in schema:
                branches = [self.types(branch) for branch in schema[keyword]]
                known = [types for types in branches if types is not None]
                found.append(
                    _or_all(frozenset().union(*known) if len(known) == len(branches) else None)
                )
        for branch in schema.get("allOf", []):
            found.append(_or_all(self.types(branch)))
        return frozenset.intersection(*found) if found else None

    def referenced(self, reference: str) -> frozenset[str] | None:
        """The types of the schema a `$ref` names, worked out once per reference."""
        if reference in self.memo:
            return self.memo[reference]
        if reference in self.in_progress:
            return None
        self.in_progress.add(reference)
        try:
            result = self.types(self.resolve(reference))
        finally:
            self.in_progress.discard(reference)
        self.memo[reference] = result
        return result


def json_types(schema: Any, resolve: Callable[[str], Any]) -> frozenset[str] | None:
    """The JSON types instances of `schema` can have; None when any type can be valid."""
    return TypeOracle(resolve).types(schema)


def _or_all(types: frozenset[str] | None) -> frozenset[str]:
    return frozenset(JSON_TYPES) if types is None else types
