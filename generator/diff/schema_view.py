"""Schema views: a JSON Schema (through `$ref`, `allOf`, `anyOf`, `oneOf`) -> facts a diff compares.

A view answers "which types, which enum values, which properties, which bounds" whatever shape the
spec author chose: `type: [string, 'null']` and `anyOf: [{$ref: x}, {type: 'null'}]` both give a
nullable view, and `anyOf: [permissionRole, {type: string}]` gives an open enum.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

Node = tuple[Any, str]

TRACKED_KEYWORDS = (
    "maxLength",
    "minLength",
    "maxItems",
    "minItems",
    "maxProperties",
    "minProperties",
    "maximum",
    "minimum",
    "exclusiveMaximum",
    "exclusiveMinimum",
    "pattern",
    "format",
)
# Guards view building against `allOf: [{$ref: self}]`-style cycles and absurd nesting.
MAX_VIEW_DEPTH = 32


@dataclass(frozen=True)
class SchemaView:
    """What one schema accepts, flattened: `types` None means any type, `enum` None means open."""

    pointer: str
    types: frozenset[str] | None = None
    enum: frozenset[str] | None = None
    keywords: Mapping[str, Any] = field(default_factory=dict)
    properties: Mapping[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    items: Node | None = None
    closed: bool = False

    @property
    def nullable(self) -> bool:
        """Whether null is accepted (only meaningful when `types` is known)."""
        return self.types is not None and "null" in self.types

    @property
    def value_types(self) -> frozenset[str] | None:
        """The types other than null, or None for any type."""
        return None if self.types is None else self.types - {"null"}


def canonical(value: Any) -> str:
    """A JSON value as canonical JSON text, so unhashable enum values can be compared."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


class SchemaViews:
    """The views of one spec's schemas, built once each (keyed by bundled pointer).

    Without the cache `g0: allOf: [g1, g1]`, `g1: allOf: [g2, g2]`, ... builds 2**depth views; with
    it, one per schema. A schema met again while its own view is being built (`allOf: [self]`)
    contributes nothing, which also bounds the recursion.
    """

    def __init__(self, spec: ResolvedSpec) -> None:
        self.spec = spec
        self.cache: dict[str, SchemaView] = {}
        self.building: set[str] = set()

    def view(self, node: Any, pointer: str) -> SchemaView:
        """The view of the schema `node` at `pointer` (following `$ref`s)."""
        schema, pointer = self.spec.deref(node, pointer)
        cached = self.cache.get(pointer)
        if cached is not None:
            return cached
        if pointer in self.building or len(self.building) > MAX_VIEW_DEPTH:
            return SchemaView(pointer)
        self.building.add(pointer)
        try:
            view = self._build(schema, pointer)
        finally:
            self.building.discard(pointer)
        self.cache[pointer] = view
        return view

    def _build(self, schema: Any, pointer: str) -> SchemaView:
        if schema is False:
            return SchemaView(pointer, types=frozenset())
        if not isinstance(schema, dict):
            return SchemaView(pointer)
        view = _own_view(schema, pointer)
        for index, member in enumerate(_members(schema, "allOf")):
            view = _intersect(view, self.view(member, join_pointer(pointer, "allOf", index)))
        branches = [
            self.view(branch, join_pointer(pointer, keyword, index))
            for keyword in ("anyOf", "oneOf")
            for index, branch in enumerate(_members(schema, keyword))
        ]
        if branches:
            view = _intersect(view, _union(pointer, branches))
        return view


def _members(schema: dict[str, Any], keyword: str) -> list[Any]:
    members = schema.get(keyword)
    return members if isinstance(members, list) else []


def _own_view(schema: dict[str, Any], pointer: str) -> SchemaView:
    properties = schema.get("properties")
    items = schema.get("items")
    return SchemaView(
        pointer=pointer,
        types=_own_types(schema),
        enum=_own_enum(schema),
        keywords={key: schema[key] for key in TRACKED_KEYWORDS if key in schema},
        properties={
            name: (child, join_pointer(pointer, "properties", name))
            for name, child in (properties.items() if isinstance(properties, dict) else ())
        },
        required=frozenset(
            name
            for name in (schema["required"] if isinstance(schema.get("required"), list) else ())
            if isinstance(name, str)
        ),
        items=(items, join_pointer(pointer, "items")) if isinstance(items, dict | bool) else None,
        closed=schema.get("additionalProperties") is False
        or schema.get("unevaluatedProperties") is False,
    )


def _own_types(schema: dict[str, Any]) -> frozenset[str] | None:
    declared = schema.get("type")
    if isinstance(declared, str):
        types = {declared}
    elif isinstance(declared, list):
        types = {name for name in declared if isinstance(name, str)}
    else:
        return None
    # OpenAPI 3.0 spelling, still met in specs converted to 3.1.
    if schema.get("nullable") is True:
        types.add("null")
    return frozenset(types)


def _own_enum(schema: dict[str, Any]) -> frozenset[str] | None:
    if "const" in schema:
        values = [schema["const"]]
    elif isinstance(schema.get("enum"), list):
        values = schema["enum"]
    else:
        return None
    return frozenset(canonical(value) for value in values if value is not None)


def _intersect(first: SchemaView, second: SchemaView) -> SchemaView:
    """Both schemas apply (a schema and its `allOf` members, or its combined branches)."""
    return replace(
        first,
        types=_intersect_types(first.types, second.types),
        enum=(
            second.enum
            if first.enum is None
            else first.enum if second.enum is None else first.enum & second.enum
        ),
        keywords={**second.keywords, **first.keywords},
        properties={**second.properties, **first.properties},
        required=first.required | second.required,
        items=first.items if first.items is not None else second.items,
        closed=first.closed or second.closed,
    )


def _intersect_types(
    first: frozenset[str] | None, second: frozenset[str] | None
) -> frozenset[str] | None:
    if first is None or second is None:
        return second if first is None else first
    common = set(first & second)
    # integer is a subset of number: `type: number` and `type: integer` together mean integer.
    if ("integer" in first and "number" in second) or ("number" in first and "integer" in second):
        common.add("integer")
    return frozenset(common)


def _union(pointer: str, branches: list[SchemaView]) -> SchemaView:
    """Any one branch applies (`anyOf`/`oneOf`); null-only branches only add nullability."""
    valued = [branch for branch in branches if branch.types != frozenset({"null"})]
    types: frozenset[str] | None = frozenset()
    for branch in branches:
        types = None if types is None or branch.types is None else types | branch.types
    if not valued:
        return SchemaView(pointer, types=types)
    enums = [branch.enum for branch in valued if branch.enum is not None]
    properties: dict[str, Node] = {}
    for branch in reversed(valued):
        properties.update(branch.properties)
    single = valued[0] if len(valued) == 1 else None
    return SchemaView(
        pointer=pointer,
        types=types,
        enum=frozenset().union(*enums) if len(enums) == len(valued) else None,
        keywords=dict(single.keywords) if single else _shared_keywords(valued),
        properties=properties,
        required=frozenset.intersection(*(branch.required for branch in valued)),
        items=next((branch.items for branch in valued if branch.items is not None), None),
        closed=all(branch.closed for branch in valued),
    )


def _shared_keywords(branches: list[SchemaView]) -> dict[str, Any]:
    first, *others = branches
    return {
        key: value
        for key, value in first.keywords.items()
        if all(other.keywords.get(key, object()) == value for other in others)
    }
