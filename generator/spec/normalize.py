"""OpenAPI 3.0 -> the 3.1 / JSON Schema 2020-12 model the later stages read.

3.0 documents are read natively and rewritten schema by schema: `nullable: true` becomes a
`"null"` type (or an `anyOf` with `{"type": "null"}` where the schema has no `type`), boolean
`exclusiveMinimum`/`exclusiveMaximum` become the numeric 2020-12 keywords, and the validation
keywords beside a `$ref` are dropped (3.0 ignores a Reference Object's siblings). `example` needs no
rewrite (the IR drops it from the portable schemas as an OpenAPI-only keyword). Swagger 2.0 and
documents that are not OpenAPI at all are refused with one located error, before anything else
reads them. Pointers are unchanged except inside a rewritten `nullable`, so errors still locate.

A 3.1 document that kept 3.0's `nullable` (common in documents converted from 3.0) is read the
same way, with a warning at each: refusing it would refuse the document for a word whose meaning
nobody doubts, and so is 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`. Likewise for draft 2019-09's recursive references, which documents written against
2019-09 tools use for a schema that contains itself: `$recursiveRef: "#"` inside a component that
sets `$recursiveAnchor: true` is read as a `$ref` to that component (`_recursive_31`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from generator.errors import SpecError, SpecErrors, join_pointer
from generator.spec.refs import ResolvedSpec, is_extension
from generator.vocabulary import SCHEMA_LISTS_2020, SCHEMA_MAPS_2020, SCHEMA_VALUES_2020

OPENAPI_VERSION = re.compile(r"3\.[01]\.\d+(-.+)?")
# Keywords whose value is one schema, a list of schemas, or a map of name -> schema.
_ONE_SCHEMA = ("items", "additionalProperties", "not")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")
_SCHEMA_MAPS = ("properties",)
# Object members (outside schemas) whose value is a schema.
_SCHEMA_MEMBERS = frozenset({"schema"})
# In 3.0 a Reference Object's other members "SHALL be ignored": `{$ref: Amount, type: number}`
# means Amount. Annotations are kept (harmless), and so is `nullable`, which many 3.0 documents
# put beside a `$ref` to say "this Amount or null" (honouring it only widens what is accepted).
_REF_SIBLINGS_KEPT = frozenset(
    {
        "$ref",
        "description",
        "title",
        "summary",
        "example",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "externalDocs",
        "xml",
        "nullable",
    }
)


def openapi_version(resolved: ResolvedSpec) -> str:
    """`3.0` or `3.1`; raise `SpecErrors` (one located error) for Swagger 2.0 or non-OpenAPI input."""
    data = resolved.data
    if isinstance(data, dict) and "swagger" in data:
        message = (
            f"Swagger {data['swagger']!s} is not supported: convert the document to OpenAPI 3 "
            "first (for example with swagger2openapi)"
        )
        raise SpecErrors([resolved.error("#/swagger", message)])
    version = data.get("openapi") if isinstance(data, dict) else None
    if not (isinstance(version, str) and OPENAPI_VERSION.fullmatch(version)):
        message = (
            f"expected an OpenAPI 3.0 or 3.1 document (openapi: 3.0.x or 3.1.x), got {version!r}"
        )
        raise SpecErrors([resolved.error("#/openapi", message)])
    return version[:3]


def normalize(resolved: ResolvedSpec) -> tuple[ResolvedSpec, tuple[SpecError, ...]]:
    """The document in the 3.1 model, and warnings: 3.0 schemas rewritten; in 3.1 documents only
    `nullable` and 2019-09's recursive references are rewritten (and each one warned about)."""
    if openapi_version(resolved) == "3.0":
        return replace(resolved, data=_document(resolved.data)), ()
    found: list[tuple[str, str]] = []
    data = _document_31(resolved.data, "#", found)
    if not found:
        return resolved, ()
    warnings = tuple(resolved.error(pointer, message) for pointer, message in found)
    return replace(resolved, data=data), warnings


_NULLABLE_31 = "`nullable` is OpenAPI 3.0, read as type: [T, 'null'] (in 3.1 write that)"
_EXCLUSIVE_31 = "a boolean `{keyword}` is OpenAPI 3.0, read as 3.0 reads it (in 3.1 the keyword holds the bound)"


def _document_31(node: Any, pointer: str, found: list[tuple[str, str]]) -> Any:
    """A 3.1 document with `nullable` and recursive references rewritten in every schema;
    `found` gets each rewrite's pointer and warning."""
    if isinstance(node, list):
        return [
            _document_31(item, join_pointer(pointer, index), found)
            for index, item in enumerate(node)
        ]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        at = join_pointer(pointer, key)
        if is_extension(pointer, key) or key in ("example", "examples"):
            result[key] = value
        elif key in _SCHEMA_MEMBERS:
            result[key] = _schema_31(value, at, found, None)
        elif key == "schemas" and pointer == "#/components" and isinstance(value, dict):
            result[key] = {
                name: _schema_31(schema, join_pointer(at, name), found, None)
                for name, schema in value.items()
            }
        else:
            result[key] = _document_31(value, at, found)
    return result


def _schema_31(schema: Any, pointer: str, found: list[tuple[str, str]], anchor: str | None) -> Any:
    """One 3.1 schema (and its subschemas) with a 3.0 `nullable` read as 3.0 reads it, and
    2019-09's `$recursiveAnchor`/`$recursiveRef` read as a plain `$ref` where that is their
    meaning; `anchor` is the component (a pointer) whose `$recursiveAnchor: true` encloses it."""
    if not isinstance(schema, dict):
        return schema
    if schema.get("$recursiveAnchor") is True and _COMPONENT.fullmatch(pointer):
        anchor = pointer
    result: dict[str, Any] = {}
    for key, value in schema.items():
        at = join_pointer(pointer, key)
        if key in SCHEMA_VALUES_2020:
            result[key] = _schema_31(value, at, found, anchor)
        elif key in SCHEMA_LISTS_2020 and isinstance(value, list):
            result[key] = [
                _schema_31(item, join_pointer(at, index), found, anchor)
                for index, item in enumerate(value)
            ]
        elif key in SCHEMA_MAPS_2020 and isinstance(value, dict):
            result[key] = {
                name: _schema_31(item, join_pointer(at, name), found, anchor)
                for name, item in value.items()
            }
        else:
            result[key] = value
    _recursive_31(result, pointer, found, anchor)
    for keyword in _boolean_exclusives(result):
        found.append((join_pointer(pointer, keyword), _EXCLUSIVE_31.format(keyword=keyword)))
    if not isinstance(result.get("nullable"), bool):
        return result  # absent, or malformed: left for the IR to report where it is
    found.append((join_pointer(pointer, "nullable"), _NULLABLE_31))
    return _nullable(result) if result.pop("nullable") else result


# A component schema's pointer: where a `$recursiveAnchor: true` can be the target of a `$ref`.
_COMPONENT = re.compile(r"#/components/schemas/[^/]+")


def _recursive_31(
    schema: dict[str, Any], pointer: str, found: list[tuple[str, str]], anchor: str | None
) -> None:
    """`$recursiveAnchor`/`$recursiveRef` (draft 2019-09, not OpenAPI 3.1's 2020-12 dialect),
    written by documents that mean "this schema again": `$recursiveRef: "#"` under a component
    that sets `$recursiveAnchor: true` becomes a `$ref` to that component, which is what 2019-09
    resolves it to when validation enters there (a wider dynamic scope, entering through another
    anchored schema, is not modelled). Anything else is left for the IR to refuse where it is."""
    if "$recursiveAnchor" in schema and (anchor == pointer or schema["$recursiveAnchor"] is False):
        found.append(
            (
                join_pointer(pointer, "$recursiveAnchor"),
                "`$recursiveAnchor` is JSON Schema 2019-09, not OpenAPI 3.1's dialect: read as "
                "marking this schema as the target of `$recursiveRef: '#'` inside it (in 3.1 write a $ref)",
            )
        )
        del schema["$recursiveAnchor"]
    if schema.get("$recursiveRef") == "#" and anchor is not None and "$ref" not in schema:
        found.append(
            (
                join_pointer(pointer, "$recursiveRef"),
                f"`$recursiveRef` is JSON Schema 2019-09, not OpenAPI 3.1's dialect: read as "
                f"$ref: {anchor!r}, the enclosing schema with `$recursiveAnchor: true`",
            )
        )
        schema["$ref"] = anchor
        del schema["$recursiveRef"]


def _document(node: Any) -> Any:
    """Walk the document outside schemas; convert each schema found under a `schema` member."""
    if isinstance(node, list):
        return [_document(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key.startswith("x-") or key in ("example", "examples"):
            result[key] = value  # extensions and examples are data, never schemas
        elif key in _SCHEMA_MEMBERS:
            result[key] = schema_30_to_31(value)
        elif key == "components" and isinstance(value, dict):
            result[key] = _components(value)
        else:
            result[key] = _document(value)
    return result


def _components(components: dict[str, Any]) -> dict[str, Any]:
    result = _document({key: value for key, value in components.items() if key != "schemas"})
    if "schemas" in components:
        schemas = components["schemas"]
        result["schemas"] = (
            {name: schema_30_to_31(schema) for name, schema in schemas.items()}
            if isinstance(schemas, dict)
            else schemas
        )
    return {key: result[key] for key in components}  # keep the document's key order


def schema_30_to_31(schema: Any) -> Any:
    """One OpenAPI 3.0 schema object (and its subschemas) in JSON Schema 2020-12 form."""
    if not isinstance(schema, dict):
        return schema
    if isinstance(schema.get("$ref"), str):
        schema = {
            key: value
            for key, value in schema.items()
            if key in _REF_SIBLINGS_KEPT or str(key).startswith("x-")
        }
    result = {key: _subschemas(key, value) for key, value in schema.items()}
    _boolean_exclusives(result)
    nullable = result.pop("nullable", None)
    if nullable is not True:
        if nullable is not None and not isinstance(nullable, bool):
            result["nullable"] = nullable  # malformed: left for the IR to report where it is
        return result
    return _nullable(result)


def _boolean_exclusives(schema: dict[str, Any]) -> list[str]:
    """3.0's boolean `exclusiveMinimum`/`exclusiveMaximum` rewritten in place as 2020-12's numeric
    ones (`minimum: 0, exclusiveMinimum: true` -> `exclusiveMinimum: 0`; a false one, or one
    without its bound, says nothing and goes); the keywords rewritten."""
    rewritten = []
    for keyword, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(keyword)
        if isinstance(flag, bool):
            rewritten.append(keyword)
            del schema[keyword]
            if flag and bound in schema:
                schema[keyword] = schema.pop(bound)
    return rewritten


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    kind = schema.get("type")
    if isinstance(kind, str):
        schema["type"] = [kind, "null"]
        if isinstance(schema.get("enum"), list) and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema
    if isinstance(kind, list):
        schema["type"] = kind if "null" in kind else [*kind, "null"]
        return schema
    # No `type` to extend (a `$ref`, an `allOf`, ...): null or whatever the schema allows.
    return {"anyOf": [schema, {"type": "null"}]}


def _subschemas(keyword: str, value: Any) -> Any:
    if keyword in _ONE_SCHEMA:
        return schema_30_to_31(value)
    if keyword in _SCHEMA_LISTS and isinstance(value, list):
        return [schema_30_to_31(item) for item in value]
    if keyword in _SCHEMA_MAPS and isinstance(value, dict):
        return {name: schema_30_to_31(item) for name, item in value.items()}
    return value
