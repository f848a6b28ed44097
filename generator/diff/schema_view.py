"""Schema views: a JSON Schema (through `$ref` and `allOf`) -> the facts a diff compares.

A view answers "which types, which enum values, which properties, which bounds" whatever shape the
spec author chose: `type: [string, 'null']` and `anyOf: [{$ref: x}, {type: 'null'}]` both give a
nullable view of `x`. `allOf` members are merged (all of them apply). `oneOf`/`anyOf` with two or
more non-null branches are *not* merged: the view keeps the branches, and the walk compares them
branch by branch. Every fact remembers the schema object that states it, so a change is located
at the keyword that changed.

Keywords of the wrong JSON type (`required: 5`) are read as absent: the diff reports what it can
compare, and the spec's own validation (`invitegen generate`) reports the mistake.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

Node = tuple[Any, str]

NUMERIC_KEYWORDS = (
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
    "maxContains",
    "minContains",
)
TEXT_KEYWORDS = ("pattern", "format", "contentMediaType", "contentEncoding")
SUBSCHEMA_KEYWORDS = (
    "contains",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "contentSchema",
    "not",
)
FLAG_KEYWORDS = ("readOnly", "writeOnly", "deprecated")
BRANCH_KEYWORDS = ("oneOf", "anyOf")
# Keywords compared through other view fields whose location is still worth keeping.
LOCATED = ("type", "enum", "additionalProperties", "unevaluatedProperties")
# Bounds recursion through `allOf` chains; the cache makes each schema's view cost one build.
MAX_VIEW_DEPTH = 64


@dataclass(frozen=True)
class SchemaView:
    """What one schema accepts, flattened: `types` None means any type, `enum` None means open.

    `keywords` holds the scalar keywords compared as values (bounds, pattern, format, default,
    const, flags) and `owners` the pointer of the schema object each was read from.
    """

    pointer: str
    types: frozenset[str] | None = None
    enum: Mapping[str, str] | None = None  # canonical JSON value -> pointer of the enum entry
    keywords: Mapping[str, Any] = field(default_factory=dict)
    owners: Mapping[str, str] = field(default_factory=dict)
    properties: Mapping[str, Node] = field(default_factory=dict)
    required: Mapping[str, str] = field(default_factory=dict)  # name -> pointer of its entry
    items: Node | None = None
    prefix_items: tuple[Node, ...] = ()
    additional: Node | None = None  # `additionalProperties` when it is a schema object
    closed: bool = False  # `additionalProperties: false`
    unevaluated_closed: bool = False  # `unevaluatedProperties: false`
    pattern_properties: Mapping[str, Node] = field(default_factory=dict)
    dependent_required: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    discriminator: tuple[str, Mapping[str, str]] | None = None
    subschemas: Mapping[str, Node] = field(default_factory=dict)
    all_of: tuple[Node, ...] = ()  # this schema's own allOf members (their facts are merged)
    extensible_enum: Mapping[str, str] | None = None  # `x-extensible-enum`, like `enum`
    dependent_schemas: Mapping[str, Node] = field(default_factory=dict)
    branches: Mapping[str, tuple[Node, ...]] = field(default_factory=dict)
    null_branch: bool = False

    @property
    def nullable(self) -> bool:
        """Whether null is accepted."""
        return self.null_branch or (self.types is not None and "null" in self.types)

    @property
    def nullability_known(self) -> bool:
        """Whether the schema says anything about null (a type, or a null branch)."""
        return self.types is not None or self.null_branch

    @property
    def value_types(self) -> frozenset[str] | None:
        """The types other than null, or None for any type."""
        return None if self.types is None else self.types - {"null"}

    def flag(self, keyword: str) -> bool:
        """`readOnly`, `writeOnly`, `deprecated`: true only when the spec says `true`."""
        return self.keywords.get(keyword) is True

    def spot(self, keyword: str) -> str:
        """Pointer of `keyword` where this view read it (the view's own pointer when absent)."""
        owner = self.owners.get(keyword)
        return join_pointer(owner, keyword) if owner is not None else self.pointer


def canonical(value: Any) -> str:
    """A JSON value as canonical JSON text, so unhashable values can be compared."""
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

    def _build(self, schema: Any, pointer: str, skip: str = "") -> SchemaView:
        if schema is False:
            return SchemaView(pointer, types=frozenset())
        if not isinstance(schema, dict):
            return SchemaView(pointer)
        view = _own_view(schema, pointer)
        for index, member in enumerate(_members(schema, "allOf")):
            view = _intersect(view, self.view(member, join_pointer(pointer, "allOf", index)))
        for keyword in BRANCH_KEYWORDS:
            if keyword != skip:
                view = self._with_branches(view, schema, pointer, keyword)
        return view

    def sole_branch(self, pointer: str, keyword: str) -> Node | None:
        """The one non-null branch of `keyword` that the view at `pointer` merged, if it did."""
        schema = self.spec.node(pointer)
        if not isinstance(schema, dict) or not _members(schema, keyword):
            return None
        valued = [
            (member, join_pointer(pointer, keyword, index))
            for index, member in enumerate(_members(schema, keyword))
            if self.view(member, join_pointer(pointer, keyword, index)).types != frozenset({"null"})
        ]
        return valued[0] if len(valued) == 1 else None

    def without(self, pointer: str, keyword: str) -> SchemaView:
        """The view at `pointer` without its `keyword` branches (null branches still count)."""
        schema = self.spec.node(pointer)
        view = self._build(schema, pointer, skip=keyword)
        has_null = any(
            self.view(member, join_pointer(pointer, keyword, index)).types == frozenset({"null"})
            for index, member in enumerate(
                _members(schema, keyword) if isinstance(schema, dict) else []
            )
        )
        if has_null and view.types is not None:
            return replace(view, types=view.types | {"null"}, null_branch=True)
        return replace(view, null_branch=view.null_branch or has_null)

    def _with_branches(
        self, view: SchemaView, schema: dict[str, Any], pointer: str, keyword: str
    ) -> SchemaView:
        """Null-only branches make the view nullable; one other branch is merged; more are kept."""
        branches = [
            ((member, join_pointer(pointer, keyword, index)), None)
            for index, member in enumerate(_members(schema, keyword))
        ]
        if not branches:
            return view
        valued: list[tuple[Node, SchemaView]] = []
        has_null = False
        for node, _ in branches:
            branch = self.view(*node)
            if branch.types == frozenset({"null"}):
                has_null = True
            else:
                valued.append((node, branch))
        if len(valued) == 1:
            merged = _intersect(view, valued[0][1])
            if has_null and merged.types is not None:
                return replace(merged, types=merged.types | {"null"}, null_branch=True)
            return replace(merged, null_branch=merged.null_branch or has_null)
        view = replace(view, null_branch=view.null_branch or has_null)
        if not valued:
            return view
        return replace(view, branches={**view.branches, keyword: tuple(node for node, _ in valued)})


def _members(schema: dict[str, Any], keyword: str) -> list[Any]:
    members = schema.get(keyword)
    return members if isinstance(members, list) else []


def _own_view(schema: dict[str, Any], pointer: str) -> SchemaView:
    keywords = _own_keywords(schema)
    return SchemaView(
        pointer=pointer,
        types=_own_types(schema),
        enum=_own_enum(schema, pointer),
        keywords=keywords,
        owners=dict.fromkeys([*keywords, *(key for key in LOCATED if key in schema)], pointer),
        properties=_schema_map(schema, pointer, "properties"),
        required=_own_required(schema, pointer),
        items=_schema_at(schema, pointer, "items"),
        prefix_items=tuple(
            (member, join_pointer(pointer, "prefixItems", index))
            for index, member in enumerate(_members(schema, "prefixItems"))
        ),
        additional=(
            (schema["additionalProperties"], join_pointer(pointer, "additionalProperties"))
            if isinstance(schema.get("additionalProperties"), dict)
            else None
        ),
        closed=schema.get("additionalProperties") is False,
        unevaluated_closed=schema.get("unevaluatedProperties") is False,
        pattern_properties=_schema_map(schema, pointer, "patternProperties"),
        dependent_required=_own_dependent_required(schema),
        discriminator=_own_discriminator(schema),
        subschemas={
            keyword: node
            for keyword in SUBSCHEMA_KEYWORDS
            if (node := _schema_at(schema, pointer, keyword)) is not None
        },
        dependent_schemas=_schema_map(schema, pointer, "dependentSchemas"),
        all_of=tuple(
            (member, join_pointer(pointer, "allOf", index))
            for index, member in enumerate(_members(schema, "allOf"))
        ),
        extensible_enum=_own_enum(schema, pointer, "x-extensible-enum"),
    )


def _own_keywords(schema: dict[str, Any]) -> dict[str, Any]:
    keywords: dict[str, Any] = {}
    for key in NUMERIC_KEYWORDS:
        value = schema.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            keywords[key] = value
    for key in TEXT_KEYWORDS:
        if isinstance(schema.get(key), str):
            keywords[key] = schema[key]
    for key in FLAG_KEYWORDS:
        if isinstance(schema.get(key), bool):
            keywords[key] = schema[key]
    for key in ("default", "const"):
        if key in schema:
            keywords[key] = canonical(schema[key])
    # Lifecycle extensions, read as they are: `lifecycle` judges what a value means.
    for key in ("x-sunset", "x-stability-level"):
        if key in schema:
            keywords[key] = schema[key]
    return keywords


def _schema_map(schema: dict[str, Any], pointer: str, keyword: str) -> dict[str, Node]:
    children = schema.get(keyword)
    if not isinstance(children, dict):
        return {}
    return {
        name: (child, join_pointer(pointer, keyword, name))
        for name, child in children.items()
        if isinstance(child, dict | bool)
    }


def _schema_at(schema: dict[str, Any], pointer: str, keyword: str) -> Node | None:
    child = schema.get(keyword)
    return (child, join_pointer(pointer, keyword)) if isinstance(child, dict | bool) else None


def _own_required(schema: dict[str, Any], pointer: str) -> dict[str, str]:
    listed = schema.get("required")
    if not isinstance(listed, list):
        return {}
    return {
        name: join_pointer(pointer, "required", index)
        for index, name in enumerate(listed)
        if isinstance(name, str)
    }


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


def _own_enum(schema: dict[str, Any], pointer: str, keyword: str = "enum") -> dict[str, str] | None:
    values = schema.get(keyword)
    if not isinstance(values, list):
        return None
    return {
        canonical(value): join_pointer(pointer, keyword, index)
        for index, value in enumerate(values)
        if value is not None
    }


def _own_dependent_required(schema: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    listed = schema.get("dependentRequired")
    if not isinstance(listed, dict):
        return {}
    return {
        name: tuple(sorted(str(entry) for entry in names))
        for name, names in listed.items()
        if isinstance(names, list)
    }


def _own_discriminator(schema: dict[str, Any]) -> tuple[str, Mapping[str, str]] | None:
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, dict):
        return None
    mapping = discriminator.get("mapping")
    return (
        str(discriminator.get("propertyName", "")),
        (
            {str(key): str(value) for key, value in mapping.items()}
            if isinstance(mapping, dict)
            else {}
        ),
    )


def _intersect(first: SchemaView, second: SchemaView) -> SchemaView:
    """Both schemas apply (a schema and its `allOf` members, or its one non-null branch)."""
    return replace(
        first,
        types=_intersect_types(first.types, second.types),
        enum=(
            second.enum
            if first.enum is None
            else (
                first.enum
                if second.enum is None
                else {value: spot for value, spot in first.enum.items() if value in second.enum}
            )
        ),
        keywords={**second.keywords, **first.keywords},
        owners={**second.owners, **first.owners},
        properties={**second.properties, **first.properties},
        required={**second.required, **first.required},
        items=first.items if first.items is not None else second.items,
        prefix_items=first.prefix_items or second.prefix_items,
        additional=first.additional if first.additional is not None else second.additional,
        closed=first.closed or second.closed,
        unevaluated_closed=first.unevaluated_closed or second.unevaluated_closed,
        pattern_properties={**second.pattern_properties, **first.pattern_properties},
        dependent_required={**second.dependent_required, **first.dependent_required},
        discriminator=first.discriminator or second.discriminator,
        subschemas={**second.subschemas, **first.subschemas},
        dependent_schemas={**second.dependent_schemas, **first.dependent_schemas},
        extensible_enum=(
            first.extensible_enum if first.extensible_enum is not None else second.extensible_enum
        ),
        branches={**second.branches, **first.branches},
        null_branch=first.null_branch or second.null_branch,
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
