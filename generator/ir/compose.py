"""Composed schemas in the IR: `oneOf`/`anyOf` -> typed unions, `allOf` -> one merged object.

A union is decoded by one generated function (`Union.decoder`): the branch the discriminator
property names (explicit `mapping` first, then the component's own name, as OpenAPI defines the
implicit mapping), else the first branch whose schema the data matches. `allOf` members are
flattened (following `$ref`s into components) into one list of properties, so a composed schema
becomes one model with every member's properties.
May import: `generator.errors`, `generator.ir.model`, `generator.names` (the builder is passed in).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from generator.errors import join_pointer
from generator.ir.model import TypeRef, Union, UnionBranch
from generator.names import UniqueNames


class SchemaBuilder(Protocol):
    """What composition needs of `generator.ir.schema.SchemaBuilder` (a Protocol: no cycle)."""

    components: dict[str, Any]
    union_types: dict[str, TypeRef]
    union_names: UniqueNames
    object_parts_cache: dict[str, ObjectParts]

    def type_from_schema(self, schema: Any, pointer: str, owner: str) -> TypeRef: ...

    def branch_check(
        self, member: Any, pointer: str, label: str, branch_type: TypeRef
    ) -> tuple[str, str] | None: ...

    def remember_union(self, pointer: str, type_ref: TypeRef) -> TypeRef: ...

    def model_check(self, key: str) -> str: ...


COMPONENT_PREFIX = "#/components/schemas/"
# A `oneOf`/`anyOf` member with one of these says what its instances are; members with none
# (`{required: [email]}`) only constrain the schema around them and leave its type alone.
_TYPED_KEYWORDS = frozenset(
    {"$ref", "type", "properties", "enum", "const", "items", "allOf", "oneOf", "anyOf"}
)
_NULL = {"type": "null"}


def union_members(schema: dict[str, Any]) -> tuple[str, list[Any]] | None:
    """(`oneOf`|`anyOf`, members) when the schema is a choice between types; None otherwise.

    A schema with its own `properties` is a union only when every member names its own shape
    (`$ref` or `properties`) or some member is not an object: `properties` + `anyOf: [{type:
    object, required: [a]}, ...]` is an object with constraints, not a choice.
    """
    for combinator in ("oneOf", "anyOf"):
        members = schema.get(combinator)
        if not isinstance(members, list) or not members:
            continue
        if not all(isinstance(m, dict) and _TYPED_KEYWORDS & m.keys() for m in members):
            continue
        if (
            "properties" in schema
            and not any(_other_than_object(m) for m in members)
            and not all("$ref" in m or "properties" in m or m == _NULL for m in members)
        ):
            continue
        return combinator, members
    return None


def _other_than_object(member: dict[str, Any]) -> bool:
    """A member whose instances are no objects (nor only null): `oneOf: [{type: boolean},
    {type: object}]` beside `properties` (Lob's `return_envelope`) is a choice of types."""
    declared = member.get("type")
    names = {declared} if isinstance(declared, str) else set(declared or ())
    return bool(names) and "object" not in names and names != {"null"}


def component_key(ref: Any) -> str:
    """`#/components/schemas/Cat` -> `Cat` (the JSON pointer token unescaped); `` otherwise."""
    if not isinstance(ref, str) or not ref.startswith(COMPONENT_PREFIX):
        return ""
    token = ref[len(COMPONENT_PREFIX) :]
    return "" if "/" in token else token.replace("~1", "/").replace("~0", "~")


def discriminator_tags(schema: dict[str, Any], members: list[Any]) -> tuple[str, list[list[str]]]:
    """(property name, the tags naming each member): `mapping` entries, then implicit names."""
    discriminator = schema.get("discriminator")
    if not isinstance(discriminator, dict) or not isinstance(
        discriminator.get("propertyName"), str
    ):
        return "", [[] for _ in members]
    mapping = discriminator.get("mapping")
    mapping = mapping if isinstance(mapping, dict) else {}
    mapped: dict[str, str] = {}
    for tag, target in mapping.items():
        # A mapping value is a reference or a bare component name.
        key = component_key(target) or (target if isinstance(target, str) else "")
        mapped[str(tag)] = key
    tags: list[list[str]] = []
    for member in members:
        key = component_key(member.get("$ref")) if isinstance(member, dict) else ""
        own = [tag for tag, target in mapped.items() if key and target == key]
        # The implicit mapping: the component's name, unless the mapping gives it elsewhere.
        if key and key not in mapped:
            own.append(key)
        tags.append(own)
    return str(discriminator["propertyName"]), tags


def union_type(
    builder: SchemaBuilder, schema: dict[str, Any], pointer: str, owner: str
) -> TypeRef | None:
    """The `TypeRef` of a `oneOf`/`anyOf` schema; None when the schema is not a choice of types."""
    found = union_members(schema)
    if found is None:
        return None
    if pointer in builder.union_types:
        return builder.union_types[pointer]
    combinator, members = found
    at = join_pointer(pointer, combinator)
    nullable = any(member == _NULL for member in members)
    indexed = [(index, member) for index, member in enumerate(members) if member != _NULL]
    property_name, tags = discriminator_tags(schema, members)
    branches: list[UnionBranch] = []
    entry_points: list[tuple[str, str]] = []
    for index, member in indexed:
        label = f"{owner} option {index + 1}"
        branch_type = builder.type_from_schema(member, join_pointer(at, index), label)
        nullable = nullable or branch_type.nullable
        if branch_type.kind == "any":
            return builder.remember_union(pointer, TypeRef("any"))
        check = builder.branch_check(member, join_pointer(at, index), label, branch_type)
        if check is None:
            return builder.remember_union(pointer, TypeRef("any"))
        if check[1]:
            entry_points.append(check)
        plain = _without_null(branch_type)
        if any(branch.type.base_hint == plain.base_hint for branch in branches):
            continue  # the same Python type twice: the first branch decodes both
        branches.append(UnionBranch(plain, check[0], tuple(tags[index])))
    result = _collapsed(branches, nullable)
    if result is None:
        union = Union(
            builder.union_names.identifier(owner, fallback="union"),
            str(schema.get("description", "")),
            tuple(branches),
            property_name,
            tuple(entry_points),
        )
        result = TypeRef("union", nullable, union=union)
    return builder.remember_union(pointer, result)


def subtypes(components: dict[str, Any]) -> dict[str, list[str]]:
    """Component key -> every component that includes it through `allOf` (at any depth), sorted."""
    parents: dict[str, set[str]] = {}
    for key, schema in components.items():
        members = schema.get("allOf") if isinstance(schema, dict) else None
        for member in members if isinstance(members, list) else []:
            parent = component_key(member.get("$ref")) if isinstance(member, dict) else ""
            if parent and parent != key:
                parents.setdefault(parent, set()).add(key)
    result: dict[str, list[str]] = {}
    for parent in parents:
        found: set[str] = set()
        pending = [parent]
        while pending:
            for child in parents.get(pending.pop(), ()):
                if child not in found and child != parent:
                    found.add(child)
                    pending.append(child)
        result[parent] = sorted(found)
    return result


def inheritance_type(
    builder: SchemaBuilder, key: str, family: list[tuple[str, TypeRef]]
) -> TypeRef:
    """A model with a `discriminator` and subtypes that include it through `allOf`: the union of
    the subtypes (chosen by tag only) and the base itself (for any other tag)."""
    pointer = COMPONENT_PREFIX + key
    if pointer in builder.union_types:
        return builder.union_types[pointer]
    schema = builder.components[key]
    members = [{"$ref": COMPONENT_PREFIX + child} for child, _ in family]
    property_name, tags = discriminator_tags(schema, members)
    branches = [
        UnionBranch(child_type, builder.model_check(child), tuple(tags[index]), child == key)
        for index, (child, child_type) in enumerate(family)
    ]
    union = Union(
        builder.union_names.identifier(f"any {key}", fallback="union"),
        str(schema.get("description", "")),
        tuple(branches),
        property_name,
    )
    return builder.remember_union(pointer, TypeRef("union", union=union))


def _without_null(type_ref: TypeRef) -> TypeRef:
    return replace(type_ref, nullable=False)


def _collapsed(branches: list[UnionBranch], nullable: bool) -> TypeRef | None:
    """The type when no choice is left to make: one branch, or an enum widened by `string`."""
    if not branches:
        return TypeRef("any")
    if len(branches) == 1:
        only = branches[0].type
        return replace(only, nullable=nullable)
    kinds = [branch.type for branch in branches]
    if len(kinds) == 2 and kinds[0].kind == "enum" and kinds[0].enum_base == "str":
        if kinds[1].kind == "string":
            # `anyOf: [$ref knownValues, string]`: an open enum (unknown strings kept as str).
            return replace(kinds[0], nullable=nullable, open=True)
    return None


@dataclass
class ObjectParts:
    """An object schema flattened through `allOf`: properties with their pointers, and the rest."""

    properties: list[tuple[str, Any, str]] = field(default_factory=list)
    positions: dict[str, int] = field(default_factory=dict)  # wire name -> index in properties
    required: set[str] = field(default_factory=set)
    extra_allowed: bool = True
    description: str = ""
    is_object: bool = False


def object_parts(builder: SchemaBuilder, schema: Any, pointer: str) -> ObjectParts:
    """Every property of `schema` and of its `allOf` members (through `$ref`s), in order.

    A later member's property of the same name replaces the type of an earlier one but keeps its
    place; `required` and `additionalProperties: false` of any member hold for the whole. Each
    node is flattened once (`builder.object_parts_cache`): a diamond of `allOf`s costs linear work.
    """
    cached = builder.object_parts_cache.get(pointer)
    if cached is not None:
        return cached
    parts = ObjectParts()
    builder.object_parts_cache[pointer] = parts  # a cycle back here sees what is known so far
    _collect(builder, schema, pointer, parts)
    return parts


def _merge(parts: ObjectParts, other: ObjectParts) -> None:
    for entry in other.properties:
        _add_property(parts, entry)
    parts.required |= other.required
    parts.extra_allowed = parts.extra_allowed and other.extra_allowed
    parts.description = parts.description or other.description
    parts.is_object = parts.is_object or other.is_object


def _add_property(parts: ObjectParts, entry: tuple[str, Any, str]) -> None:
    index = parts.positions.setdefault(entry[0], len(parts.properties))
    if index == len(parts.properties):
        parts.properties.append(entry)
    else:
        parts.properties[index] = entry


def _collect(builder: SchemaBuilder, schema: Any, pointer: str, parts: ObjectParts) -> None:
    if not isinstance(schema, dict):
        return
    key = component_key(schema.get("$ref"))
    if key and key in builder.components:
        ref = str(schema["$ref"])
        _merge(parts, object_parts(builder, builder.components[key], ref))
    members = schema.get("allOf")
    for index, member in enumerate(members if isinstance(members, list) else []):
        at = join_pointer(pointer, "allOf", index)
        _merge(parts, object_parts(builder, member, at))
    types = schema.get("type")
    parts.is_object = parts.is_object or "properties" in schema or types == "object"
    parts.is_object = parts.is_object or (isinstance(types, list) and "object" in types)
    properties = schema.get("properties")
    for wire_name, prop in (properties if isinstance(properties, dict) else {}).items():
        _add_property(parts, (wire_name, prop, join_pointer(pointer, "properties", wire_name)))
    required = schema.get("required")
    names = required if isinstance(required, list) else []
    parts.required.update(name for name in names if isinstance(name, str))
    if schema.get("additionalProperties", True) is False:
        parts.extra_allowed = False
    if isinstance(schema.get("description"), str):
        parts.description = schema["description"]
