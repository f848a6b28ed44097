"""Draft 2020-12 schema -> the draft-7 form fastjsonschema compiles (it knows drafts 4, 6 and 7).

Our emitted schemas use only keywords draft 7 also has, except where they keep definitions
(`$defs`, draft 7: `definitions`) and what a `$ref` next to other keywords means (2020-12 applies
both; draft 7 ignores the siblings, so they move into an `allOf`). Any keyword draft 7 lacks
(`prefixItems`, `unevaluated*`, `dependent*`, dynamic refs) raises `Draft7Unsupported`, and the
benchmark reports fastjsonschema as unable to compile instead of timing a weaker check.
"""

from __future__ import annotations

from typing import Any

DRAFT7_URI = "http://json-schema.org/draft-07/schema#"
ONLY_IN_2019_OR_LATER = frozenset(
    {
        "$anchor",
        "$dynamicAnchor",
        "$dynamicRef",
        "$recursiveAnchor",
        "$recursiveRef",
        "dependentRequired",
        "dependentSchemas",
        "maxContains",
        "minContains",
        "prefixItems",
        "unevaluatedItems",
        "unevaluatedProperties",
    }
)
# Keywords holding a name -> subschema map, a list of subschemas, or one subschema.
_SCHEMA_MAPS = frozenset({"$defs", "definitions", "patternProperties", "properties"})
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
_SCHEMA_VALUES = frozenset(
    {"additionalProperties", "contains", "else", "if", "items", "not", "propertyNames", "then"}
)
# Keywords that never change a verdict: a `$ref` beside only these needs no allOf.
_ANNOTATIONS = frozenset(
    {
        "$comment",
        "$id",
        "$schema",
        "default",
        "definitions",
        "deprecated",
        "description",
        "examples",
        "readOnly",
        "title",
        "writeOnly",
    }
)


class Draft7Unsupported(ValueError):
    """The schema uses a keyword draft 7 does not have; `pointer` says where."""

    def __init__(self, keyword: str, pointer: str) -> None:
        super().__init__(f"{pointer or '#'}: {keyword} has no draft-7 equivalent")
        self.keyword = keyword
        self.pointer = pointer


def _ref(target: str) -> str:
    return target.replace("#/$defs/", "#/definitions/", 1)


def _subschema(key: str, value: Any, pointer: str) -> Any:
    """The draft-7 form of the value of keyword `key`."""
    if key in _SCHEMA_MAPS:
        return {name: _schema(item, f"{pointer}/{name}") for name, item in value.items()}
    if key in _SCHEMA_LISTS:
        return [_schema(item, f"{pointer}/{index}") for index, item in enumerate(value)]
    if key in _SCHEMA_VALUES:
        return _schema(value, pointer)
    if key == "$ref":
        return _ref(value)
    return value  # enum, const, examples, required...: data, copied as is


def _schema(node: Any, pointer: str) -> Any:
    """One (sub)schema in draft-7 form; booleans pass through."""
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key in ONLY_IN_2019_OR_LATER:
            raise Draft7Unsupported(key, f"{pointer}/{key}")
        new_key = "definitions" if key == "$defs" else key
        result[new_key] = _subschema(key, value, f"{pointer}/{key}")
    if "$ref" in result and not set(result) <= _ANNOTATIONS | {"$ref"}:
        reference = result.pop("$ref")
        result["allOf"] = [{"$ref": reference}, *result.get("allOf", [])]
    return result


def to_draft7(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` (2020-12) rewritten for a draft-7 validator; raises Draft7Unsupported."""
    converted: dict[str, Any] = _schema(schema, "")
    converted["$schema"] = DRAFT7_URI
    return converted
