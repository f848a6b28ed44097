"""Shared pieces of keyword handlers: keyword value validation and JSON type tests as code."""

from __future__ import annotations

import math
from typing import Any

from generator.errors import SchemaCompileError
from generator.jsonschema.ecma_regex import ecma_to_python
from generator.jsonschema.node import Node
from generator.names import black_quotes

# How each JSON type is tested in emitted code, so that no method an instance's class defines
# (a lying `__eq__`/`__hash__`, a raising `__iter__`, a `__class__` that claims `str`) runs while
# it is checked. Containers are exactly `dict` (with exactly-`str` keys) and `list`; numbers
# exactly `int` and `float` (never bool; NaN and Infinity are not JSON; 1.0 is an integer, as
# draft 2020-12 says). A `str` subclass (`GraphDateTime`, a str enum) is a string, and every
# string check reads its plain value (`plain_text`). Anything else (dict, list, int or float
# subclasses, tuples, sets, bytes, ...) is of no JSON type.
TYPE_TESTS: dict[str, str] = {
    "string": "(type({value}) is str or issubclass(type({value}), str))",
    "integer": "(type({value}) is int or (type({value}) is float and {value}.is_integer()))",
    "number": "(type({value}) is int or (type({value}) is float and isfinite({value})))",
    "boolean": "type({value}) is bool",
    "null": "{value} is None",
    "array": "type({value}) is list",
}


def plain_text(value: str) -> str:
    """Expression for the plain `str` value of a string instance: `str.__str__` copies a
    subclass's characters without calling anything the subclass defines (an exact str is
    returned as it is)."""
    return f"str.__str__({value})"


TYPE_NOUNS: dict[str, str] = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "null": "null",
    "array": "an array",
    "object": "an object",
}


def type_test(node: Node, type_name: str, value: str, *, type_keyword: bool = False) -> str:
    """Python condition that `value` is of JSON type `type_name`.

    Only a dict with str keys is an object. With `type_keyword` in the fast variant, a schema
    that forbids unknown keys folds that check in.
    """
    if type_name != "object":
        if type_name == "number":
            node.compiler.use_import("math:isfinite")
        return TYPE_TESTS[type_name].format(value=value)
    # Keys are checked to be exact strings before anything hashes or compares them.
    string_keys = f"{node.compiler.helper('_has_str_keys')}({value})"
    if type_keyword and closed_object(node) and node.stops_at_failure:
        if not property_names(node):
            if node.fast:
                return f"(type({value}) is dict and not {value})"
            return f"(type({value}) is dict and {string_keys})"
        within = f"{node.compiler.helper('_keys_within')}({value}, {known_keys(node)})"
        if node.fast:
            return f"(type({value}) is dict and {within})"
        # The first-error variant keeps the verdict for `additionalProperties` to reuse.
        node.keys_known = node.scope.variable("keys_known")
        return f"(type({value}) is dict and (({node.keys_known} := {within}) or {string_keys}))"
    return f"(type({value}) is dict and {string_keys})"


def property_names(node: Node) -> list[str]:
    """Names listed under `properties` (validated there)."""
    properties = node.schema.get("properties")
    return list(properties) if isinstance(properties, dict) else []


def closed_object(node: Node) -> bool:
    """Whether the node forbids every key besides its `properties` (no patterns to consult)."""
    return node.schema.get("additionalProperties") is False and not node.schema.get(
        "patternProperties"
    )


def known_keys(node: Node) -> str:
    """Constant frozenset of the `properties` names, shared by all checks of this node."""
    names = ", ".join(black_quotes(ascii(name)) for name in sorted(property_names(node)))
    return node.constant("KNOWN_KEYS", f"frozenset({{{names}}})")


def keyword_value(node: Node, keyword: str) -> Any:
    """The value of `keyword` in the node's schema."""
    return node.schema[keyword]


def expect_count(node: Node, keyword: str) -> int:
    """A non-negative integer keyword value (2.0 counts as 2, as draft 2020-12 allows)."""
    value = keyword_value(node, keyword)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SchemaCompileError(node.at(keyword), f"{keyword} must be a non-negative integer")
    return value


def expect_number(node: Node, keyword: str) -> int | float:
    """A finite number keyword value."""
    value = keyword_value(node, keyword)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SchemaCompileError(node.at(keyword), f"{keyword} must be a number")
    return value


def expect_schema(value: Any, pointer: str) -> Any:
    """A subschema: an object or a boolean."""
    if not isinstance(value, dict | bool):
        raise SchemaCompileError(pointer, "a schema must be an object or a boolean")
    return value


def expect_schema_list(node: Node, keyword: str) -> list[Any]:
    """A non-empty array of subschemas."""
    value = keyword_value(node, keyword)
    if not isinstance(value, list) or not value:
        raise SchemaCompileError(
            node.at(keyword), f"{keyword} must be a non-empty array of schemas"
        )
    return [expect_schema(item, node.at(keyword, index)) for index, item in enumerate(value)]


def expect_schema_map(node: Node, keyword: str) -> dict[str, Any]:
    """An object whose values are subschemas."""
    value = keyword_value(node, keyword)
    if not isinstance(value, dict):
        raise SchemaCompileError(node.at(keyword), f"{keyword} must be an object of schemas")
    for name, item in value.items():
        expect_schema(item, node.at(keyword, name))
    return value


def expect_string_list(value: Any, pointer: str, keyword: str) -> list[str]:
    """An array of unique strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SchemaCompileError(pointer, f"{keyword} must be an array of strings")
    if len(set(value)) != len(value):
        raise SchemaCompileError(pointer, f"{keyword} must not repeat a string")
    return value


def expect_pattern(value: Any, pointer: str) -> str:
    """An ECMA-262 regular expression -> the equivalent Python `re` pattern (`ecma_regex`);
    invalid ECMA syntax, or what `re` cannot express, is a compile error naming it."""
    if not isinstance(value, str):
        raise SchemaCompileError(pointer, "a pattern must be a string")
    try:
        return ecma_to_python(value)
    except ValueError as error:
        raise SchemaCompileError(pointer, f"invalid regular expression: {error}") from None


def plural(count: int, noun: str, plural_noun: str = "") -> str:
    """`1 character`, `2 characters`."""
    return f"{count} {noun if count == 1 else plural_noun or noun + 's'}"


def number_text(value: int | float) -> str:
    """A schema number as messages show it."""
    return repr(value)
