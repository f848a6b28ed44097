"""Shape check: a resolved spec -> located errors for keywords the differ reads that have the wrong
JSON type (`required: 5`, `properties: []`, `enum: {}`, `items: 3`, `parameters: {}`).

Without it a mistyped keyword reads as absent, and the diff reports a confident but false change
(`required: 5` -> "property became optional"). The check walks the OpenAPI object model from the
document root through `$ref`s, each (node, kind) once, so it costs time linear in the spec. Only
what OpenAPI 3.0/3.1 and JSON Schema define is checked; unknown keys and `x-` extensions pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from generator.errors import SpecError, join_pointer, unescape_pointer_token
from generator.spec.refs import ResolvedSpec
from generator.vocabulary import SCHEMA_LISTS_2020, SCHEMA_MAPS_2020, SCHEMA_VALUES_2020

# At most this many errors per spec: one mistake repeated in a generated spec should not print
# thousands of lines.
MAX_SHAPE_ERRORS = 50


@dataclass(frozen=True)
class Field:
    """What one keyword holds: a value of `accepts`, or child objects of `child` kind.

    `holds` is `one` (the value is the child), `map` (an object of children) or `list` (an array
    of children); for `value` fields `accepts` names the JSON types allowed.
    """

    holds: str
    child: str = ""
    accepts: tuple[str, ...] = ()


def _value(*accepts: str) -> Field:
    return Field("value", accepts=accepts)


def _one(child: str) -> Field:
    return Field("one", child)


def _map(child: str) -> Field:
    return Field("map", child)


def _list(child: str) -> Field:
    return Field("list", child)


TEXT = _value("string")
FLAG = _value("boolean")
COUNT = _value("non-negative integer")
NUMBER = _value("number")
TEXTS = _list("string")

OPERATION_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

_SCHEMA_FIELDS: dict[str, Field] = {
    **dict.fromkeys(SCHEMA_VALUES_2020, _one("schema")),
    **dict.fromkeys(SCHEMA_MAPS_2020 | {"definitions"}, _map("schema")),
    **dict.fromkeys(SCHEMA_LISTS_2020, _list("schema")),
    "type": _value("string", "array of strings"),
    "required": TEXTS,
    "enum": _value("array"),
    "x-extensible-enum": _value("array"),
    **dict.fromkeys(
        (
            "maxLength minLength maxItems minItems maxProperties minProperties "
            "maxContains minContains"
        ).split(),
        COUNT,
    ),
    **dict.fromkeys(("maximum", "minimum", "multipleOf"), NUMBER),
    # OpenAPI 3.0 spells them as booleans beside maximum/minimum.
    **dict.fromkeys(("exclusiveMaximum", "exclusiveMinimum"), _value("number", "boolean")),
    **dict.fromkeys(("pattern", "format", "$ref", "contentMediaType", "contentEncoding"), TEXT),
    **dict.fromkeys(("nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems"), FLAG),
    "dependentRequired": _map("strings"),
    "discriminator": _one("discriminator"),
}

OBJECT_FIELDS: Mapping[str, Mapping[str, Field]] = {
    "document": {
        "info": _one("info"),
        "paths": _map("path-item"),
        "webhooks": _map("path-item"),
        "components": _one("components"),
        "security": _list("security-requirement"),
        "servers": _list("server"),
    },
    "info": {},
    "path-item": {
        **dict.fromkeys(OPERATION_METHODS, _one("operation")),
        "$ref": TEXT,
        "parameters": _list("parameter"),
        "servers": _list("server"),
    },
    "operation": {
        "operationId": TEXT,
        "tags": TEXTS,
        "deprecated": FLAG,
        "parameters": _list("parameter"),
        "requestBody": _one("request-body"),
        "responses": _map("response"),
        "security": _list("security-requirement"),
        "servers": _list("server"),
        "callbacks": _map("callback"),
    },
    "callback": {},  # a map of path items: checked by `_children`
    "parameter": {
        "$ref": TEXT,
        "name": TEXT,
        "in": TEXT,
        "required": FLAG,
        "deprecated": FLAG,
        "schema": _one("schema"),
        "content": _map("media-type"),
    },
    "request-body": {"$ref": TEXT, "required": FLAG, "content": _map("media-type")},
    "response": {"$ref": TEXT, "headers": _map("header"), "content": _map("media-type")},
    "media-type": {"schema": _one("schema")},
    "header": {
        "$ref": TEXT,
        "required": FLAG,
        "deprecated": FLAG,
        "schema": _one("schema"),
        "content": _map("media-type"),
    },
    "components": {
        "schemas": _map("schema"),
        "responses": _map("response"),
        "parameters": _map("parameter"),
        "requestBodies": _map("request-body"),
        "headers": _map("header"),
        "securitySchemes": _map("security-scheme"),
        "pathItems": _map("path-item"),
    },
    "security-scheme": {"$ref": TEXT, "type": TEXT, "flows": _map("oauth-flow")},
    "oauth-flow": {
        "authorizationUrl": TEXT,
        "tokenUrl": TEXT,
        "refreshUrl": TEXT,
        "scopes": _map("string"),
    },
    "security-requirement": {},  # scheme -> scopes: checked by `_children`
    "server": {"url": TEXT},
    "discriminator": {"propertyName": TEXT, "mapping": _map("string")},
    "schema": _SCHEMA_FIELDS,
}
# Kinds whose value may be `true`/`false` instead of an object.
BOOLEAN_ALLOWED = frozenset({"schema"})
# Kinds whose every entry is a child of one kind (no fixed field names).
MAP_KINDS: Mapping[str, Field] = {
    "callback": _map("path-item"),
    "security-requirement": _map("strings"),
}
# Kinds that are a JSON value, not an object with fields.
VALUE_KINDS: Mapping[str, Field] = {"string": TEXT, "strings": TEXTS}

Pending = tuple[Any, str, str]  # node, bundled pointer, kind


def _last_token(pointer: str) -> str:
    return unescape_pointer_token(pointer.rsplit("/", 1)[-1])


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _accepted(value: Any, accepts: tuple[str, ...]) -> bool:
    for name in accepts:
        if name == "array of strings" and isinstance(value, list):
            return all(isinstance(item, str) for item in value)
        if name == "non-negative integer":
            is_number = isinstance(value, int | float) and not isinstance(value, bool)
            if is_number and value >= 0 and float(value).is_integer():
                return True
        elif name == _json_type(value) or (name == "number" and _json_type(value) == "integer"):
            return True
    return False


def _article(name: str) -> str:
    return "an" if name[0] in "aeiou" else "a"


def _describe(field: Field) -> str:
    """`an array of strings`, `a schema (an object or a boolean)`, `an object of responses`."""
    if field.holds == "value":
        return " or ".join(f"{_article(name)} {name}" for name in field.accepts)
    child = field.child.replace("-", " ")
    if field.holds == "one":
        return (
            "a schema (an object or a boolean)"
            if field.child == "schema"
            else f"{_article(child)} {child} object"
        )
    noun = "an array" if field.holds == "list" else "an object"
    plural = {"string": "strings", "strings": "arrays of strings", "schema": "schemas"}.get(
        field.child, f"{child} objects"
    )
    return f"{noun} of {plural}"


class ShapeCheck:
    """One walk over one spec, collecting errors."""

    def __init__(self, spec: ResolvedSpec) -> None:
        self.spec = spec
        self.errors: list[SpecError] = []
        self.seen: set[tuple[str, str]] = set()

    def run(self) -> list[SpecError]:
        """Walk from the document root; the errors found, in document order."""
        stack: list[Pending] = [(self.spec.data, "#", "document")]
        while stack and len(self.errors) < MAX_SHAPE_ERRORS:
            node, pointer, kind = stack.pop()
            stack.extend(reversed(list(self.visit(node, pointer, kind))))
        return self.errors

    def fail(self, pointer: str, keyword: str, field: Field, value: Any) -> None:
        message = f"`{keyword}` must be {_describe(field)}, not {_article(_json_type(value))} {_json_type(value)}"
        self.errors.append(self.spec.error(pointer, message))

    def visit(self, node: Any, pointer: str, kind: str) -> Iterator[Pending]:
        """Check one node of `kind`; yield the nodes below it to check next."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str) and kind != "document":
            try:
                target, target_pointer = self.spec.deref(node, pointer)
            except KeyError:
                target = None  # the resolver reported it
            if target is not None:
                yield target, target_pointer, kind
        if (pointer, kind) in self.seen:
            return
        self.seen.add((pointer, kind))
        if kind in VALUE_KINDS or kind in MAP_KINDS:
            field = MAP_KINDS.get(kind) or VALUE_KINDS[kind]
            yield from self.children(node, pointer, _last_token(pointer), field)
            return
        if not isinstance(node, dict):
            return  # the parent reported it
        for keyword, field in OBJECT_FIELDS[kind].items():
            if keyword in node:
                yield from self.children(
                    node[keyword], join_pointer(pointer, keyword), keyword, field
                )

    def children(self, value: Any, pointer: str, keyword: str, field: Field) -> Iterator[Pending]:
        """Check `value` against `field`; yield the child objects it holds."""
        if field.holds == "value":
            if not _accepted(value, field.accepts):
                self.fail(pointer, keyword, field, value)
            return
        if field.holds == "one":
            if isinstance(value, dict) or (
                isinstance(value, bool) and field.child in BOOLEAN_ALLOWED
            ):
                yield value, pointer, field.child
            elif field.child in VALUE_KINDS:
                yield value, pointer, field.child
            else:
                self.fail(pointer, keyword, field, value)
            return
        container = list if field.holds == "list" else dict
        if not isinstance(value, container):
            self.fail(pointer, keyword, field, value)
            return
        entries = enumerate(value) if isinstance(value, list) else value.items()
        for key, child in entries:
            # Extensions sit beside paths, responses and callbacks; a property may be `x-a`.
            if isinstance(key, str) and key.startswith("x-") and field.child != "schema":
                continue
            yield from self.children(child, join_pointer(pointer, key), str(key), _one(field.child))


def shape_errors(spec: ResolvedSpec) -> list[SpecError]:
    """Every keyword the differ reads whose value has the wrong JSON type, located."""
    return ShapeCheck(spec).run()
