"""IR for schemas: component schemas -> models, enums, field types and the portable JSON Schema bundle."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from generator.errors import SpecError, escape_pointer_token, join_pointer
from generator.ir.compose import (
    ObjectParts,
    component_key,
    inheritance_type,
    object_parts,
    subtypes,
    union_members,
    union_type,
)
from generator.ir.model import Enum, EnumMember, Field, Model, SchemaFile, TypeRef, Union
from generator.ir.overlap import every_branch_overlaps
from generator.jsonschema.ecma_regex import ecma_to_python
from generator.names import UniqueNames, py_literal, snake_case
from generator.spec.refs import ResolvedSpec
from generator.vocabulary import (
    ASSERTED_FORMATS,
    KNOWN_KEYWORDS,
    META_SCHEMAS,
    OPENAPI_ANNOTATIONS,
    OPENAPI_FORMATS,
    PORTABLE_REFUSED,
    PORTABLE_SCHEMA_LISTS,
    PORTABLE_SCHEMA_MAPS,
    PORTABLE_SCHEMA_VALUES,
    PORTABLE_VALUES,
)

COMPONENT_PREFIX = "#/components/schemas/"
BUNDLE_PREFIX = "#/$defs/"
# OpenAPI 3.1 requires every key of `components/*` to match this.
COMPONENT_NAME = re.compile(r"^[a-zA-Z0-9\.\-_]+$")
# Non-model components (`list of list of ...`) are inlined into the type that uses them; deeper
# nesting than this is refused instead of exhausting the interpreter's recursion limit.
MAX_ALIAS_DEPTH = 64
# Every enum value becomes a member, a mapping entry, a validator constant and a strategy value,
# and black formats about a thousand such lines a second: a bound keeps generation in seconds.
MAX_ENUM_VALUES = 5_000
# Standalone schema files bundle the definitions they reach while all bundles together stay
# within this many times the size of every definition; past that (a ring or a dense web of
# references, where bundles grow with the square of the schema count: issue 18 H2) every file
# refers to one shared definitions file instead. The invite spec's bundles are about 3.2 times.
BUNDLE_FACTOR = 8


class SchemaBuilder:
    """Turns `components/schemas` into models, enums and a `$defs` bundle, collecting errors."""

    def __init__(self, resolved: ResolvedSpec, *, strict_formats: bool = False) -> None:
        self.resolved = resolved
        self.strict_formats = strict_formats
        self.warnings: list[SpecError] = []
        components = resolved.data.get("components", {}).get("schemas", {})
        self.raw_components = components if isinstance(components, dict) else {}
        self.components: dict[str, Any] = (
            {
                key: self.any_of_reading(value, COMPONENT_PREFIX + escape_pointer_token(key))
                for key, value in components.items()
            }
            if isinstance(components, dict)
            else components
        )
        self.errors: list[SpecError] = []
        self.models: dict[str, Model] = {}
        self.enums: dict[str, Enum] = {}
        self.class_names: dict[str, str] = {}
        self.snake_names: dict[str, str] = {}
        self.subtypes = subtypes(self.components) if isinstance(self.components, dict) else {}
        self.bundle: dict[str, Any] = {"$defs": {}}
        # One namespace each for model/enum classes and for snake names (files, validators).
        self.class_namespace = UniqueNames()
        self.snake_namespace = UniqueNames()
        # Union decoders (`decode_<name>`), one per `oneOf`/`anyOf` node, by the node's pointer.
        self.union_names = UniqueNames()
        self.union_types: dict[str, TypeRef] = {}
        self.object_parts_cache: dict[str, ObjectParts] = {}
        self._alias_stack: list[str] = []
        # Inline body schemas bundled as `$defs` entries: spec pointer -> `$defs` key.
        self.inline_roots: dict[str, str] = {}
        self._inline_schemas: dict[str, Any] = {}
        self._inline_keys = UniqueNames()
        # `$defs` key of an inline body -> its schema file and validator name (`validate_<name>`).
        self.inline_names: dict[str, str] = {}
        # `$ref`s outside components being inlined into the bundle (a cycle guard).
        self._inlining: list[str] = []
        # Set while typing parameters and headers: their inline enums stay plain values.
        self.plain_enums = False

    def any_of_reading(self, schema: Any, pointer: str) -> Any:
        """`discriminated_any_of` of a schema, warning at each `oneOf` read as `anyOf` because
        its branches overlap."""
        widened: list[str] = []
        result = discriminated_any_of(schema, self.raw_components, pointer, widened)
        for at in widened:
            message = (
                "every branch's instances are another branch's too (so strictly none is "
                "valid): read as anyOf"
            )
            self.warn(at, message)
        return result

    @property
    def unions(self) -> tuple[Union, ...]:
        """Every union some type decodes through, sorted by name."""
        found = {u.name: u for t in self.union_types.values() for u in t.unions()}
        return tuple(found[name] for name in sorted(found))

    def one_of_checks(self) -> tuple[tuple[str, str], ...]:
        """(validator name, bundle pointer) for every `oneOf` node of the bundle."""
        counts: dict[str, int] = {}
        checks = []
        for label, pointer in one_of_pointers(self.bundle):
            counts[label] = counts.get(label, 0) + 1
            name = self.snake_namespace.identifier(f"{label} {counts[label]}", fallback="schema")
            checks.append((name, pointer))
        return tuple(checks)

    def remember_union(self, pointer: str, type_ref: TypeRef) -> TypeRef:
        """Record the type built for the `oneOf`/`anyOf` node at `pointer`, and return it."""
        self.union_types[pointer] = type_ref
        return type_ref

    def branch_check(
        self, member: Any, pointer: str, label: str, branch_type: TypeRef
    ) -> tuple[str, str] | None:
        """(validator name, new entry point or ``) telling whether data matches a union member.

        A component or a model has its validator already; another inline member inside a
        component gets one at its place in the bundle. None when it is not in the bundle at all.
        """
        key = component_key(member.get("$ref")) if isinstance(member, dict) else ""
        if key in self.snake_names:
            return self.snake_names[key], ""
        if branch_type.kind == "model" and pointer in self.models:
            return self.models[pointer].snake_name, ""
        bundled = self.bundle_pointer(pointer)
        if bundled is None:
            return None
        name = self.snake_namespace.identifier(label, fallback="schema")
        return name, fragment_reference(bundled)

    def bundle_pointer(self, pointer: str) -> str | None:
        """The bundle's pointer for a spec pointer inside a component or a bundled body schema."""
        if pointer.startswith(COMPONENT_PREFIX):
            return BUNDLE_PREFIX + pointer[len(COMPONENT_PREFIX) :]
        end = pointer.find("/schema")
        while end != -1:
            root = pointer[: end + len("/schema")]
            if root in self.inline_roots and pointer[len(root) : len(root) + 1] in ("", "/"):
                key = escape_pointer_token(self.inline_roots[root])
                return BUNDLE_PREFIX + key + pointer[len(root) :]
            end = pointer.find("/schema", end + 1)
        return None

    def body_type(self, schema: Any, pointer: str, owner: str) -> tuple[TypeRef, str]:
        """(type, `$defs` key) of a request or response body schema.

        A bare `$ref` is its component; any other schema is bundled under a key no component
        can have (it holds a colon), so inline objects become models, unions get validators,
        and strategies draw it like a component.
        """
        key = component_key(schema.get("$ref")) if isinstance(schema, dict) else ""
        if key and len(schema) == 1 and key in self.components:
            return self.type_from_schema(schema, pointer, owner), key
        if pointer not in self.inline_roots and isinstance(schema, (dict, bool)):
            # A shared `components/responses` body is bundled once, under its first user's name.
            self._inline_schemas[pointer] = self.any_of_reading(schema, pointer)
            key = self._inline_keys.distinct(f"{snake_case(owner) or 'inline'}:body")
            self.inline_roots[pointer] = key
            self.bundle["$defs"][key] = self.portable(self._inline_schemas[pointer], pointer)
        schema = self._inline_schemas.get(pointer, schema)
        type_ref = self.type_from_schema(schema, pointer, owner)
        key = self.inline_roots.get(pointer, "")
        if key and key not in self.inline_names:
            # An object body's model already named its validator; any other body gets one.
            model = self.models.get(pointer)
            self.inline_names[key] = (
                model.snake_name if model else self.snake_namespace.identifier(owner)
            )
        return type_ref, key

    def validator_name(self, key: str) -> str:
        """The `validate_<name>` suffix of a `$defs` key (a component or an inline body)."""
        return self.snake_names.get(key) or self.inline_names.get(key, "")

    def model_check(self, key: str) -> str:
        """The validator name of a component."""
        return self.snake_names[key]

    def is_object(self, schema: Any, pointer: str) -> bool:
        """True for an object schema (also through `allOf`) that is not a choice of types."""
        if not isinstance(schema, dict) or "$ref" in schema or union_members(schema):
            return False
        return object_parts(self, schema, pointer).is_object

    def fail(self, pointer: str, message: str) -> None:
        self.errors.append(self.resolved.error(pointer, message))

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.append(self.resolved.error(pointer, message))

    def build_components(self) -> None:
        """Name every component first (so references resolve in any order), then build each."""
        for key in sorted(self.components):
            if not COMPONENT_NAME.fullmatch(key):
                # Names become JSON pointer and URI fragment text in `$ref`s: `/`, `~`, `%`,
                # whitespace or an empty name would each need an escape some tool forgets.
                self.fail(
                    COMPONENT_PREFIX + escape_pointer_token(key),
                    f"component name {key!r} must match {COMPONENT_NAME.pattern} (OpenAPI 3.1)",
                )
            pointer = COMPONENT_PREFIX + escape_pointer_token(key)
            if _is_enum(self.components[key]) or self.is_object(self.components[key], pointer):
                self.class_names[key] = self.class_namespace.class_name(key)
            self.snake_names[key] = self.snake_namespace.identifier(key, fallback="schema")
        for key in sorted(self.components):
            pointer = COMPONENT_PREFIX + escape_pointer_token(key)
            schema = self.components[key]
            self.bundle["$defs"][key] = self.portable(schema, pointer)
            if _is_enum(schema):
                self.enums[key] = self.enum_from_schema(key, schema, pointer)
            elif key in self.class_names:
                self.add_model(key, self.class_names[key], schema, pointer)

    def portable(self, schema: Any, pointer: str) -> Any:
        """The JSON Schema 2020-12 form of an OpenAPI schema: refs into `$defs`, OpenAPI-only keys gone."""
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            self.fail(
                pointer, f"a schema must be an object or a boolean, not {type(schema).__name__}"
            )
            return {}
        result: dict[str, Any] = {}
        inlined: list[Any] = []
        for keyword, value in schema.items():
            at = join_pointer(pointer, keyword)
            if not self._kept(keyword, value, at):
                continue
            converter = _CONVERTERS[keyword]
            if keyword == "$ref" and _outside_components(value):
                # A reference to a schema elsewhere in the document (another operation's body):
                # the bundle has no `$defs` entry for it, so its portable form goes in its place.
                inlined.append(self.inlined_reference(value, at))
                continue
            result[keyword] = converter(self, value, at)
        if inlined:
            result["allOf"] = [*inlined, *result.get("allOf", [])]
        required = result.get("required")
        if isinstance(required, list) and all(isinstance(name, str) for name in required):
            if len(set(required)) != len(required):
                # JSON Schema asks for unique names; a repeat changes nothing, so it is dropped
                # (the portable schemas must pass the meta-schema and ajv's strict mode).
                self.warn(join_pointer(pointer, "required"), "required repeats a name: read once")
                result["required"] = list(dict.fromkeys(required))
        one_way = _one_way_properties(schema)
        if one_way and isinstance(result.get("required"), list):
            result["required"] = [name for name in result["required"] if name not in one_way]
        return result

    def _kept(self, keyword: str, value: Any, at: str) -> bool:
        """Whether a keyword goes into the portable schema; a warning or an error says why not
        (extensions and OpenAPI annotations go silently); every keyword kept has a converter."""
        if keyword.startswith("x-") or keyword in OPENAPI_ANNOTATIONS:
            return False
        if keyword == "$schema" and META_SCHEMAS.get(str(value)) in _SAME_DIALECT:
            return False  # restates the dialect the document uses already
        if keyword not in _CONVERTERS:
            if keyword not in KNOWN_KEYWORDS:
                self.warn(at, f"unknown keyword {keyword!r}: read as an annotation, not checked")
            else:
                hint = PORTABLE_REFUSED.get(keyword, "not a supported JSON Schema keyword")
                self.fail(at, f"unsupported keyword {keyword!r}: {hint}")
            return False
        if keyword == "pattern" and isinstance(value, str) and _not_ecma(value):
            # Java's and Python's inline flags (`(?i)`, Adyen's file names) are common in
            # specs; no ECMA-262 engine compiles them. Like an unknown format: a warning.
            message = (
                f"pattern is not an ECMA-262 regular expression ({_not_ecma(value)}): left out "
                "of the JSON Schema files, not checked"
            )
            self.warn(at, message)
            return False
        return True

    def inlined_reference(self, reference: str, pointer: str) -> Any:
        """The portable form of the schema a local `$ref` outside components names (a cycle
        through such references is refused: only components can be recursive)."""
        if reference in self._inlining:
            self.fail(pointer, f"recursive $ref {reference!r} outside {COMPONENT_PREFIX}...")
            return {}
        try:
            target, at = self.resolved.deref({"$ref": reference}, pointer)
        except KeyError:
            self.fail(pointer, f"unresolvable $ref {reference!r}")
            return {}
        self._inlining.append(reference)
        try:
            return self.portable(target, at)
        finally:
            self._inlining.pop()

    def convert_ref(self, value: Any, pointer: str) -> Any:
        if not isinstance(value, str) or not value.startswith(COMPONENT_PREFIX):
            self.fail(
                pointer, f"a schema $ref must point into {COMPONENT_PREFIX}..., got {value!r}"
            )
            return value
        return BUNDLE_PREFIX + value[len(COMPONENT_PREFIX) :]

    def convert_map(self, value: Any, pointer: str) -> Any:
        if not isinstance(value, dict):
            self.fail(pointer, "must be an object mapping names to schemas")
            return {}
        return {
            name: self.portable(item, join_pointer(pointer, name)) for name, item in value.items()
        }

    def convert_list(self, value: Any, pointer: str) -> Any:
        if not isinstance(value, list) or not value:
            self.fail(pointer, "must be a non-empty list of schemas")
            return []
        return [
            self.portable(item, join_pointer(pointer, index)) for index, item in enumerate(value)
        ]

    def convert_value(self, value: Any, pointer: str) -> Any:
        check = _VALUE_CHECKS.get(pointer.rsplit("/", 1)[-1])
        if check is not None and not check[0](value):
            self.fail(pointer, check[1])
            return value
        if pointer.endswith("/enum") and len(value) > MAX_ENUM_VALUES:
            self.fail(pointer, f"{len(value)} values; the limit is {MAX_ENUM_VALUES}")
        if (
            pointer.endswith("/format")
            and isinstance(value, str)
            and value not in ASSERTED_FORMATS
            and value not in OPENAPI_FORMATS
        ):
            # OpenAPI: tools must not fail on unknown formats. Kept as an annotation in the
            # JSON Schema files; not checked by validators or drawn by strategies.
            expected = ", ".join(ASSERTED_FORMATS + OPENAPI_FORMATS)
            message = f"unknown format {value!r} (expected one of: {expected})"
            (self.fail if self.strict_formats else self.warn)(
                pointer, f"{message}; kept as an annotation, not checked"
            )
        return value

    def enum_from_schema(self, key: str, schema: dict[str, Any], pointer: str) -> Enum:
        """An enum component -> `Enum` with distinct UPPER_SNAKE member names."""
        return _enum(key, self.class_names[key], schema, pointer)

    def type_inline_enum(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef:
        """An enum written inline (in a property, an item, a body): an `Enum` class named after
        its owner (`Account level` -> `AccountLevel`), one per schema node however it is reached."""
        if pointer not in self.enums:
            name = self.class_namespace.class_name(owner)
            self.enums[pointer] = _enum(owner, name, schema, pointer)
        enum = self.enums[pointer]
        return TypeRef("enum", _enum_nullable(schema), target=enum.class_name, enum_base=enum.base)

    def add_model(self, key: str, name: str, schema: dict[str, Any], pointer: str) -> None:
        """Register the model for an object schema at `pointer` (component or inline); `allOf`
        members' properties are its own."""
        # `portable` reported a malformed `required` or `properties`; build what can be built.
        parts = object_parts(self, schema, pointer)
        fields: list[Field] = []
        field_names = UniqueNames()
        for wire_name, prop, at in parts.properties:
            python_name = field_names.identifier(wire_name)
            field_type = self.type_from_schema(prop, at, f"{name} {wire_name}")
            description = str(prop.get("description", "")) if isinstance(prop, dict) else ""
            secret = isinstance(prop, dict) and prop.get("writeOnly") is True
            fields.append(
                Field(
                    wire_name,
                    python_name,
                    field_type,
                    wire_name in parts.required and not _one_way(prop),
                    description,
                    at,
                    secret,
                    isinstance(prop, dict) and prop.get("readOnly") is True,
                    self.default_code(prop, field_type),
                )
            )
        snake = self.snake_names.get(key) or self.snake_namespace.identifier(name)
        model = Model(
            key,
            name,
            snake,
            parts.description,
            tuple(fields),
            parts.extra_allowed,
            pointer,
            fragment_reference(self.bundle_pointer(pointer) or BUNDLE_PREFIX),
        )
        self.models[key] = model

    def type_from_schema(self, schema: Any, pointer: str, owner: str) -> TypeRef:
        """The `TypeRef` for a property schema; inline objects become models named after `owner`."""
        if not isinstance(schema, dict):
            return TypeRef("any")
        named = self.named_type(schema, pointer, owner)
        if named is not None:
            return named
        types = _types(schema) or _value_types(schema)
        nullable = "null" in types
        rest = [kind for kind in types if kind != "null"] or (
            ["object"] if "properties" in schema else []
        )
        if len(rest) != 1 or rest[0] not in _TYPE_BUILDERS:
            return TypeRef("any")
        base = _TYPE_BUILDERS[rest[0]](self, schema, pointer, owner)
        return replace(base, nullable=nullable)

    def default_code(self, schema: Any, type_ref: TypeRef) -> str:
        """The Python expression for a schema's `default` as a value of `type_ref`: a literal, an
        enum member, None; empty when there is no default or no literal holds it (a list, an
        object, a date-time, a union, a value of the wrong type)."""
        if not isinstance(schema, dict) or "default" not in schema:
            return ""
        value = schema["default"]
        if value is None:
            return "None" if type_ref.nullable else ""
        if type_ref.kind == "enum":
            return self._enum_default(type_ref, value)
        accepts = _DEFAULT_TYPES.get(type_ref.kind, ())
        fits = isinstance(value, accepts) and not (isinstance(value, bool) and bool not in accepts)
        return py_literal(value) if fits else ""

    def _enum_default(self, type_ref: TypeRef, value: Any) -> str:
        enum = next((e for e in self.enums.values() if e.class_name == type_ref.target), None)
        if enum is None:
            # An enum component sorted after the model whose default names it: built here.
            key = next(key for key, name in self.class_names.items() if name == type_ref.target)
            pointer = COMPONENT_PREFIX + escape_pointer_token(key)
            enum = self.enums[key] = self.enum_from_schema(key, self.components[key], pointer)
        for member in enum.members:
            if member.value == value and type(member.value) is type(value):
                return f"{enum.class_name}.{member.name}"
        return py_literal(value) if type_ref.open and isinstance(value, str) else ""

    def parameter_type(self, schema: Any, pointer: str, owner: str) -> TypeRef:
        """`type_from_schema` for a parameter or header: inline enums stay plain values (a
        class per operation argument would name the same choice many times)."""
        self.plain_enums = True
        try:
            return self.type_from_schema(schema, pointer, owner)
        finally:
            self.plain_enums = False

    def named_type(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef | None:
        """The type of a `$ref`, a union, an `allOf` or an enum; None for other schemas."""
        if isinstance(schema.get("$ref"), str):
            return self.type_from_ref(schema["$ref"])
        union = union_type(self, schema, pointer, owner)
        if union is not None:
            return union
        if isinstance(schema.get("allOf"), list):
            return self.type_from_all_of(schema, pointer, owner)
        if _is_enum(schema) and not self.plain_enums:
            return self.type_inline_enum(schema, pointer, owner)
        return None

    def type_from_ref(self, ref: str) -> TypeRef:
        key = ref[len(COMPONENT_PREFIX) :] if ref.startswith(COMPONENT_PREFIX) else ""
        if key in self.class_names:
            schema = self.components[key]
            if _is_enum(schema):
                base = _enum_base(schema["enum"]) or ""
                return TypeRef(
                    "enum", _enum_nullable(schema), target=self.class_names[key], enum_base=base
                )
            # A nullable component (`type: [object, "null"]`) is nullable wherever it is named.
            nullable = "null" in _types(schema)
            model = TypeRef("model", target=self.class_names[key])
            # Subtypes that are not object schemas (so have no class) cannot carry the tag.
            family = [
                (child, TypeRef("model", target=self.class_names[child]))
                for child in self.subtypes.get(key, ())
                if child in self.class_names and not _is_enum(self.components[child])
            ]
            if family and isinstance(schema.get("discriminator"), dict):
                union = inheritance_type(self, key, [*family, (key, model)])
                return replace(union, nullable=nullable)
            return replace(model, nullable=nullable)
        if key not in self.components or key in self._alias_stack:
            return TypeRef("any")  # a recursive alias has no finite Python type
        if len(self._alias_stack) >= MAX_ALIAS_DEPTH:
            message = f"the type nests through more than {MAX_ALIAS_DEPTH} component schemas"
            self.fail(ref, message)
            return TypeRef("any")
        self._alias_stack.append(key)
        try:
            return self.type_from_schema(self.components[key], ref, key)
        finally:
            self._alias_stack.pop()

    def type_from_all_of(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef:
        """`allOf`: one member alone is that member's type; an object composition is one model;
        otherwise the first member with a known type (the others only constrain it)."""
        members = schema["allOf"]
        if len(members) == 1 and "properties" not in schema:
            return self.type_from_schema(members[0], join_pointer(pointer, "allOf", 0), owner)
        if object_parts(self, schema, pointer).is_object:
            return self.type_object(schema, pointer, owner)
        for index, member in enumerate(members):
            found = self.type_from_schema(member, join_pointer(pointer, "allOf", index), owner)
            if found.kind != "any":
                return found
        return TypeRef("any")

    def type_array(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef:
        item = self.type_from_schema(
            schema.get("items", {}), join_pointer(pointer, "items"), f"{owner} item"
        )
        return TypeRef("array", item=item)

    def type_object(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef:
        extra = schema.get("additionalProperties")
        if not object_parts(self, schema, pointer).properties:
            if isinstance(extra, dict) and extra:
                # A map: `additionalProperties` with a schema and no named properties.
                at = join_pointer(pointer, "additionalProperties")
                return TypeRef("map", item=self.type_from_schema(extra, at, f"{owner} value"))
            return TypeRef("object")
        if self.bundle_pointer(pointer) is None:
            return TypeRef("object")
        if pointer in self.models:
            # One model per schema node, however many aliases reach it: building it again on
            # every path made `g{i} = array of {a: $ref g{i+1}, b: $ref g{i+1}}` exponential.
            return TypeRef("model", target=self.models[pointer].class_name)
        name = self.class_namespace.class_name(owner)
        self.add_model(pointer, name, schema, pointer)
        return TypeRef("model", target=name)

    def type_string(self, schema: dict[str, Any], pointer: str, owner: str) -> TypeRef:
        kind = {"date-time": "datetime", "binary": "binary"}.get(
            str(schema.get("format")), "string"
        )
        return TypeRef(kind)


def _outside_components(reference: Any) -> bool:
    """A local `$ref` that names no component schema (or a part of one)."""
    return (
        isinstance(reference, str)
        and reference.startswith("#/")
        and not reference.startswith(COMPONENT_PREFIX)
    )


def fragment_reference(pointer: str) -> str:
    """A JSON pointer as URI fragment text: `%`, whitespace and other non-URI characters
    percent-encoded, since a `$ref` fragment is URL-unquoted before it is read as a pointer
    (`x%41` must not become `xA`, a newline must not be stripped; issue 18 M1)."""
    return "#" + quote(pointer[1:], safe="/~!$&'()*+,;=:@-._")


def _scalar(kind: str) -> Callable[[SchemaBuilder, dict[str, Any], str, str], TypeRef]:
    return lambda builder, schema, pointer, owner: TypeRef(kind)


_TYPE_BUILDERS: dict[str, Callable[[SchemaBuilder, dict[str, Any], str, str], TypeRef]] = {
    "string": SchemaBuilder.type_string,
    "integer": _scalar("integer"),
    "number": _scalar("number"),
    "boolean": _scalar("boolean"),
    "array": SchemaBuilder.type_array,
    "object": SchemaBuilder.type_object,
}
# The Python types a `default` may have for each scalar kind (bool only where named: JSON
# `true` is no integer).
_DEFAULT_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "text": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}
_CONVERTERS: dict[str, Callable[[SchemaBuilder, Any, str], Any]] = {
    "$ref": SchemaBuilder.convert_ref,
    **{keyword: SchemaBuilder.convert_map for keyword in PORTABLE_SCHEMA_MAPS},
    **{keyword: SchemaBuilder.convert_list for keyword in PORTABLE_SCHEMA_LISTS},
    **{keyword: SchemaBuilder.portable for keyword in PORTABLE_SCHEMA_VALUES},
    **{keyword: SchemaBuilder.convert_value for keyword in PORTABLE_VALUES},
}


@functools.cache
def _not_ecma(pattern: str) -> str:
    """Why `pattern` is no ECMA-262 regular expression that Python can run ('' when it is)."""
    try:
        ecma_to_python(pattern)
    except ValueError as error:
        return str(error)
    return ""


def _types(schema: dict[str, Any]) -> list[str]:
    """The type names of a schema's `type` (a name or a list); none when it is malformed."""
    value: Any = schema.get("type")
    if not _is_type_value(value):
        return []
    return [value] if isinstance(value, str) else list(value)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_type_value(value: Any) -> bool:
    names = [value] if isinstance(value, str) else value
    return (
        isinstance(names, list)
        and bool(names)
        and all(isinstance(name, str) and name in _JSON_TYPES for name in names)
    )


# `$schema` values a schema may carry in an OpenAPI 3.1 document without changing its meaning.
_SAME_DIALECT = frozenset({"draft2020-12", "openapi3.1"})
_JSON_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
# Keywords the IR reads to decide types and fields: a value of the wrong shape is an error here,
# before any builder relies on it.
_VALUE_CHECKS: dict[str, tuple[Callable[[Any], bool], str]] = {
    "type": (_is_type_value, "must be a JSON type name or a non-empty list of them"),
    "required": (
        lambda value: isinstance(value, list) and all(isinstance(name, str) for name in value),
        "must be a list of property names",
    ),
    "enum": (lambda value: isinstance(value, list), "must be a list of values"),
}


def _is_enum(schema: Any) -> bool:
    """An enum a Python `Enum` class can hold losslessly (null may be among its values: a
    nullable enum, as 3.0 `nullable` writes)."""
    values = schema.get("enum") if isinstance(schema, dict) else None
    return isinstance(values, list) and _enum_base(values) is not None


def _enum_base(values: list[Any]) -> str | None:
    """The enum class's mixin for these values: `str`, `int`, `` (plain `Enum`), or None when no
    class fits: no value but null, arrays or objects, or values Python counts equal (`1`, `1.0`
    and `true` would become one member, so decoding would not give back what was read)."""
    present = [value for value in values if value is not None]
    if not present or not all(isinstance(v, (str, int, float)) for v in present):
        return None
    kinds = {_value_kind(value) for value in present}
    if kinds == {"string"}:
        return "str"
    if len(set(present)) != len(present):
        return None
    return "int" if kinds == {"integer"} else ""


def _enum_nullable(schema: dict[str, Any]) -> bool:
    return None in schema["enum"] and "null" in (_types(schema) or ["null"])


def _enum(name: str, class_name: str, schema: dict[str, Any], pointer: str) -> Enum:
    """An enum schema -> `Enum` with distinct UPPER_SNAKE member names (`1` -> `VALUE_1`)."""
    names = UniqueNames()
    values = [value for value in schema["enum"] if value is not None]
    members = [EnumMember(names.constant(str(value)), value) for value in values]
    description = str(schema.get("description", ""))
    base = _enum_base(schema["enum"]) or ""
    return Enum(name, class_name, description, tuple(members), pointer, base)


def _one_way_properties(schema: dict[str, Any]) -> frozenset[str]:
    """Properties marked `readOnly` or `writeOnly`: each travels in one direction only, so
    `required` cannot hold for it both ways (absent from requests, or from responses)."""
    properties = schema.get("properties")
    items = properties.items() if isinstance(properties, dict) else ()
    return frozenset(name for name, prop in items if _one_way(prop))


def _one_way(prop: Any) -> bool:
    return isinstance(prop, dict) and (
        prop.get("readOnly") is True or prop.get("writeOnly") is True
    )


def _value_kind(value: Any) -> str:
    """The JSON type name of a value (`bool` is not an integer here)."""
    if isinstance(value, bool):
        return "boolean"
    kinds = {str: "string", int: "integer", float: "number", type(None): "null"}
    return kinds.get(type(value), "array" if isinstance(value, list) else "object")


def _value_types(schema: dict[str, Any]) -> list[str]:
    """Without `type`: the JSON types of `const` or of the `enum` values (integers and numbers
    together are numbers)."""
    if "const" in schema:
        return [_value_kind(schema["const"])]
    values = schema.get("enum")
    kinds = {_value_kind(value) for value in values} if isinstance(values, list) else set()
    if {"integer", "number"} <= kinds:
        kinds.discard("integer")
    return sorted(kinds)


def _refs_in(schema: Any) -> Iterator[str]:
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith(BUNDLE_PREFIX):
            yield ref[len(BUNDLE_PREFIX) :].split("/", 1)[0].replace("~1", "/").replace("~0", "~")
        for value in schema.values():
            yield from _refs_in(value)
    elif isinstance(schema, list):
        for item in schema:
            yield from _refs_in(item)


def schema_files_from_components(builder: SchemaBuilder) -> tuple[SchemaFile, ...]:
    """One standalone schema file per component and per inline body schema, bundling the
    closure of what it references; every file refers to the shared definitions instead
    (`shared`) when bundling would write more than `BUNDLE_FACTOR` times the size of all
    definitions."""
    definitions = builder.bundle["$defs"]
    references = {name: set(_refs_in(schema)) for name, schema in definitions.items()}
    sizes = {name: len(json.dumps(schema)) for name, schema in definitions.items()}
    budget = BUNDLE_FACTOR * sum(sizes.values())
    roots = [(key, builder.snake_names[key]) for key in sorted(builder.components)]
    roots += sorted(builder.inline_names.items())
    closures: dict[str, tuple[str, ...]] = {}
    for key, _ in roots:
        closure = _closure(key, references)
        budget -= sum(sizes[name] for name in closure)
        if budget < 0:  # a ring or a dense web: stop before the work grows with the square
            closures = {}
            break
        closures[key] = tuple(sorted(closure))
    files: list[SchemaFile] = []
    for key, name in roots:
        schema = builder.components.get(key, definitions[key])
        title = str(schema.get("title", key)) if isinstance(schema, dict) else key
        description = str(schema.get("description", "")) if isinstance(schema, dict) else ""
        if closures:
            files.append(SchemaFile(name, key, title, description, closures[key]))
        else:
            files.append(SchemaFile(name, key, title, description, (), shared=True))
    return tuple(files)


def _closure(key: str, references: dict[str, set[str]]) -> set[str]:
    """`key` and every definition it reaches through `$ref`s."""
    closure: set[str] = set()
    pending = [key]
    while pending:
        current = pending.pop()
        if current in closure or current not in references:
            continue
        closure.add(current)
        pending.extend(references[current])
    return closure


def checked_bundle(schema: Any) -> Any:
    """The bundle without the formats validators and strategies do not know (annotations only)."""
    if isinstance(schema, list):
        return [checked_bundle(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        if keyword == "format" and isinstance(value, str) and value not in ASSERTED_FORMATS:
            continue
        if keyword in PORTABLE_SCHEMA_MAPS:
            result[keyword] = (
                {name: checked_bundle(item) for name, item in value.items()}
                if isinstance(value, dict)
                else value
            )
        elif keyword in PORTABLE_SCHEMA_LISTS or keyword in PORTABLE_SCHEMA_VALUES:
            result[keyword] = checked_bundle(value)
        else:
            result[keyword] = value  # data (enum, const, default, examples): left as written
    return result


def one_of_pointers(schema: Any, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """The JSON pointer of every schema in a bundle whose strategy filters its draws through its
    validator, in document order: each `oneOf` (a draw from one branch may match another), each
    string with both an asserted `format` and a `pattern` (drawn from the pattern), and each
    `enum`/`const` beside an asserted `format` (the listed values may break the format)."""
    if not isinstance(schema, dict):
        return
    if isinstance(schema.get("oneOf"), list):
        yield "one of", pointer
    if schema.get("format") in ASSERTED_FORMATS and isinstance(schema.get("pattern"), str):
        yield "pattern and format", pointer
    elif schema.get("format") in ASSERTED_FORMATS and ("enum" in schema or "const" in schema):
        yield "values and format", pointer
    for keyword, value in schema.items():
        at = join_pointer(pointer, keyword)
        if (keyword in PORTABLE_SCHEMA_MAPS or keyword == "$defs") and isinstance(value, dict):
            for name, item in value.items():
                yield from one_of_pointers(item, join_pointer(at, name))
        elif keyword in PORTABLE_SCHEMA_LISTS and isinstance(value, list):
            for index, item in enumerate(value):
                yield from one_of_pointers(item, join_pointer(at, index))
        elif keyword in PORTABLE_SCHEMA_VALUES:
            yield from one_of_pointers(value, at)


def discriminated_any_of(
    schema: Any, components: dict[str, Any], pointer: str = "#", widened: list[str] | None = None
) -> Any:
    """`schema` with every `oneOf` that has a `discriminator`, or whose every branch overlaps
    another (`generator.ir.overlap`), read as `anyOf`; `widened` gets the latter's pointers.

    OpenAPI lets the discriminator pick the branch; branches that overlap (`Cat` and `Dog` both
    open objects with a `petType` string) would make strict `oneOf` reject every instance, so
    validators and strategies check that some branch matches and decoders follow the tag.
    """
    if isinstance(schema, list):
        return [
            discriminated_any_of(item, components, join_pointer(pointer, index), widened)
            for index, item in enumerate(schema)
        ]
    if not isinstance(schema, dict):
        return schema
    rename = "oneOf" in schema and "anyOf" not in schema and isinstance(schema["oneOf"], list)
    if rename and "discriminator" not in schema:
        rename = every_branch_overlaps(schema["oneOf"], components)
        if rename and widened is not None:
            widened.append(join_pointer(pointer, "oneOf"))
    result: dict[str, Any] = {}
    for keyword, value in schema.items():
        name = "anyOf" if rename and keyword == "oneOf" else keyword
        at = join_pointer(pointer, keyword)
        if keyword in PORTABLE_SCHEMA_MAPS and isinstance(value, dict):
            result[name] = {
                key: discriminated_any_of(item, components, join_pointer(at, key), widened)
                for key, item in value.items()
            }
        elif keyword in PORTABLE_SCHEMA_LISTS or keyword in PORTABLE_SCHEMA_VALUES:
            result[name] = discriminated_any_of(value, components, at, widened)
        else:
            result[name] = value
    return result
