"""Keyword dispatch: which handler compiles each keyword, in which order, under which type guard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from generator.errors import SchemaCompileError
from generator.jsonschema import containers, keywords
from generator.jsonschema.checks import type_test
from generator.jsonschema.inline import unwrap
from generator.jsonschema.node import Node, Scope, Target
from generator.jsonschema.writer import string_literal
from generator.vocabulary import Dialect

Handler = Callable[[Node, Any], None]


# Emission order: cheap type/value checks first, then per-type keywords, then combinators.
KEYWORD_HANDLERS: dict[str, Handler] = {
    "type": keywords.check_type,
    "enum": keywords.check_enum,
    "const": keywords.check_const,
    "minLength": keywords.check_min_length,
    "maxLength": keywords.check_max_length,
    "pattern": keywords.check_pattern,
    "format": keywords.check_format,
    "minimum": keywords.check_minimum,
    "maximum": keywords.check_maximum,
    "exclusiveMinimum": keywords.check_exclusive_minimum,
    "exclusiveMaximum": keywords.check_exclusive_maximum,
    "multipleOf": keywords.check_multiple_of,
    "required": containers.check_required,
    "dependentRequired": containers.check_dependent_required,
    "minProperties": containers.check_min_properties,
    "maxProperties": containers.check_max_properties,
    "properties": containers.check_properties,
    "patternProperties": containers.check_pattern_properties,
    "additionalProperties": containers.check_additional_properties,
    "propertyNames": containers.check_property_names,
    "dependentSchemas": containers.check_dependent_schemas,
    "dependencies": containers.check_dependencies,
    "minItems": containers.check_min_items,
    "maxItems": containers.check_max_items,
    "uniqueItems": containers.check_unique_items,
    "prefixItems": containers.check_prefix_items,
    "items": containers.check_items,
    "additionalItems": containers.check_additional_items,
    "contains": containers.check_contains,
    "minContains": keywords.check_min_contains,
    "maxContains": keywords.check_max_contains,
    "$ref": keywords.check_ref,
    "$dynamicRef": keywords.check_dynamic_ref,
    "$recursiveRef": keywords.check_recursive_ref,
    "allOf": keywords.check_all_of,
    "anyOf": keywords.check_any_of,
    "oneOf": keywords.check_one_of,
    "not": keywords.check_not,
    "if": keywords.check_if,
    "then": keywords.check_then,
    "else": keywords.check_else,
    "$defs": keywords.check_defs,
    "definitions": keywords.check_defs,
    # Last: they consult what every other keyword (of this schema) evaluated.
    "unevaluatedProperties": containers.check_unevaluated_properties,
    "unevaluatedItems": containers.check_unevaluated_items,
}

# Keywords that only constrain one instance type; their code runs under one guard per group.
GROUP_TYPES: dict[str, frozenset[str]] = {
    "string": frozenset({"string"}),
    "number": frozenset({"number", "integer"}),
    "object": frozenset({"object"}),
    "array": frozenset({"array"}),
}
KEYWORD_GROUPS: dict[str, str] = {
    **dict.fromkeys(["minLength", "maxLength", "pattern", "format"], "string"),
    **dict.fromkeys(
        ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"], "number"
    ),
    **dict.fromkeys(
        [
            "required",
            "dependentRequired",
            "minProperties",
            "maxProperties",
            "properties",
            "patternProperties",
            "additionalProperties",
            "propertyNames",
            "dependentSchemas",
            "dependencies",
        ],
        "object",
    ),
    **dict.fromkeys(
        ["minItems", "maxItems", "uniqueItems", "prefixItems", "items", "additionalItems"],
        "array",
    ),
}
KEYWORD_GROUPS.update(contains="array", minContains="array", maxContains="array")
KEYWORD_GROUPS.update(unevaluatedProperties="object", unevaluatedItems="array")

# Compiled in every dialect (in the checking pass) so that errors inside them surface.
_DEFINITIONS = frozenset({"$defs", "definitions"})


def present_keywords(schema: dict[Any, Any], pointer: str, dialect: Dialect) -> list[str]:
    """The keywords of `schema` that its dialect gives a meaning (the others are annotations,
    as the specification says); `$ref` alone where the dialect ignores its siblings."""
    for keyword in schema:
        if not isinstance(keyword, str):
            raise SchemaCompileError(pointer, f"schema keys must be strings, not {keyword!r}")
    if dialect.ref_overrides and "$ref" in schema:
        return ["$ref"]
    return [
        keyword
        for keyword in schema
        if (keyword in dialect.keywords or keyword in _DEFINITIONS) and keyword in _PLACES
    ]


def _phases() -> list[tuple[str | None, list[str]]]:
    """Runs of consecutive keywords sharing a type group (None: applies to any instance)."""
    phases: list[tuple[str | None, list[str]]] = []
    for keyword in KEYWORD_HANDLERS:
        group = KEYWORD_GROUPS.get(keyword)
        if phases and group is not None and phases[-1][0] == group:
            phases[-1][1].append(keyword)
        else:
            phases.append((group, [keyword]))
    return phases


PHASES = _phases()
# keyword -> (index of its phase, position in KEYWORD_HANDLERS): a node's keywords are found by
# looking its own keys up, not by testing every known keyword against it.
_PLACES = {
    keyword: (phase, position)
    for phase, (_, names) in enumerate(PHASES)
    for position, keyword in enumerate(names)
}


def compile_node(
    scope: Scope,
    schema: Any,
    pointer: str,
    target: Target,
    rule: str,
    *,
    known_types: frozenset[str] = frozenset(),
) -> None:
    """Emit inline code applying `schema` (at `pointer`) to `target` into the scope's writer.

    `known_types`: types the fast variant already established for the target (guards dropped).
    """
    if schema is True:
        return
    if schema is False:
        description = string_literal("is not allowed")
        Node(scope, {}, pointer, target).fail(pointer, rule or "false", description)
        return
    if not isinstance(schema, dict):
        raise SchemaCompileError(pointer, "a schema must be an object or a boolean")
    entered = scope.compiler.enter(scope, pointer)
    if entered != scope.context:  # an embedded resource: its code runs in a new dynamic scope
        outer, scope.context = scope.context, entered
        try:
            _compile_object(scope, schema, pointer, target, known_types)
        finally:
            scope.context = outer
    else:
        _compile_object(scope, schema, pointer, target, known_types)


def _compile_object(
    scope: Scope, schema: dict[Any, Any], pointer: str, target: Target, known_types: frozenset[str]
) -> None:
    """compile_node for a schema object, in the scope's dynamic scope."""
    dialect = scope.compiler.dialect_at(pointer)
    present = present_keywords(schema, pointer, dialect)
    node = Node(scope, schema, pointer, target, known_types, dialect=dialect)
    places = sorted((_PLACES[keyword], keyword) for keyword in present)
    start = 0
    while start < len(places):
        phase = places[start][0][0]
        end = start + 1
        while end < len(places) and places[end][0][0] == phase:
            end += 1
        present = [keyword for _, keyword in places[start:end]]
        group = PHASES[phase][0]
        if group is None:
            _run(node, present)
        else:
            _compile_group(node, group, present)
        start = end


def _run(node: Node, present: list[str]) -> None:
    """Call the handler of each keyword."""
    for keyword in present:
        KEYWORD_HANDLERS[keyword](node, node.schema[keyword])


def _compile_group(node: Node, group: str, present: list[str]) -> None:
    """Emit the keywords of one type group under a single type guard (omitted when known)."""
    known = node.known_types
    if known and not known & GROUP_TYPES[group]:
        # The type check already rejected every instance these keywords apply to; compiling
        # them would only leave unused functions behind (the checking pass still validates).
        if node.compiler.checking:
            deferred, forwards = set(node.scope.deferred), set(node.scope.forwards)
            with node.scope.capture():
                _run(node, present)
            # Code thrown away defers nothing: the function must not take queues for it.
            node.scope.deferred.intersection_update(deferred)
            node.scope.forwards.intersection_update(forwards)
        return
    with node.scope.capture() as body:
        _run(node, present)
    if known and known <= GROUP_TYPES[group]:
        node.scope.writer.add_lines(body)
        return
    if body.lines:  # the guard may define constants: only build it when it is emitted
        guard = type_test(node, group, node.value)
        node.scope.writer.add_block(f"if {unwrap(guard)}:", body)
