"""JSON Schema (draft 2020-12 subset) -> Python expression text of a Hypothesis strategy.

`StrategyBuilder.strategy(schema, pointer)` dispatches first on the keywords that shape the
whole instance (`allOf`, `anyOf`, `oneOf`, `$ref`, `const`, `enum`: `SHAPE_HANDLERS`), then on
each allowed instance type (`TYPE_STRATEGIES`). Every drawn instance is valid; a keyword outside
`SUPPORTED_KEYWORDS` raises `SchemaCompileError` rather than being ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from generator.errors import SchemaCompileError, join_pointer, unescape_pointer_token
from generator.ir.schema import BUNDLE_PREFIX
from generator.names import py_literal, python_identifier
from generator.strategies.merge import (
    MERGERS,
    EmptySchema,
    TypeOracle,
    allows_type,
    merge_schemas,
)
from generator.strategies.scalars import (
    NUMBER_KEYWORDS,
    FormatStrategy,
    one_of,
    python_pattern,
    sizes,
    strategy_integer,
    strategy_number,
    strategy_string,
)

# ANNOTATIONS is the shared vocabulary: what the validators ignore, the strategies need not draw.
from generator.vocabulary import ANNOTATIONS

Handler = Callable[["StrategyBuilder", dict[str, Any], str], str]

# How many items past minItems a list without maxItems may have.
UNBOUNDED_EXTRA_ITEMS = 4
# A merged schema's strategy longer than this becomes a private function that every use calls:
# copying it into each use made the module exponential in the depth of nested `allOf`s (issue 18).
MAX_INLINE_MERGED = 240
# The keywords each instance type's strategy reads; they constrain only instances of that type.
TYPE_KEYWORDS: dict[str, frozenset[str]] = {
    "object": frozenset(
        {
            "properties",
            "required",
            "additionalProperties",
            "unevaluatedProperties",
            "minProperties",
            "maxProperties",
            "propertyNames",
            "patternProperties",
        }
    ),
    "array": frozenset(
        {"prefixItems", "items", "unevaluatedItems", "minItems", "maxItems", "uniqueItems"}
    ),
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "number": NUMBER_KEYWORDS,
    "integer": NUMBER_KEYWORDS,
    "boolean": frozenset(),
    "null": frozenset(),
}


@dataclass
class StrategyBuilder:
    """Schema -> strategy expression text, recording which helpers and imports it needs."""

    bundle: Mapping[str, Any]
    function_names: dict[str, str]
    helpers: set[str] = field(default_factory=set)
    imports: set[str] = field(default_factory=set)
    oracle: TypeOracle = field(init=False)
    # Strategies of merged schemas (keyed by their canonical JSON), each worked out once.
    merged_inline: dict[str, str] = field(default_factory=dict)
    merged_names: dict[str, str] = field(default_factory=dict)
    merged_functions: dict[str, str] = field(default_factory=dict)  # name -> expression
    merged_in_progress: set[str] = field(default_factory=set)
    components_by_key: dict[str, str] = field(init=False)
    # `oneOf` pointer -> validator entry point deciding it: branches whose instances may overlap
    # are drawn from every branch and filtered through it (the validator names used are kept).
    one_of_checks: Mapping[str, str] = field(default_factory=dict)
    validator_imports: set[str] = field(default_factory=set)
    # Set while drawing a schema the strict rules refused (`relaxed_strategy`): keywords the
    # emitter cannot draw are left out and conflicting merges keep one side, since the caller
    # filters every draw through the schema's validator.
    relaxed: bool = False

    def __post_init__(self) -> None:
        # One oracle for the whole module: each component's types are worked out once.
        self.oracle = TypeOracle(self.resolve)
        # The same checks by what they check: merging `allOf` members (or a `$ref`'s target)
        # moves a `oneOf` to another pointer, and its validator still decides it there.
        self.checks_by_content: dict[str, str] = {}
        for pointer, name in sorted(self.one_of_checks.items(), reverse=True):
            node = self.node_at(pointer)
            if isinstance(node, dict):
                for key in check_keys(node):
                    self.checks_by_content[key] = name
        # A merged schema equal to a component (`allOf: [$ref x]`) is drawn by x's function.
        self.components_by_key = {
            json.dumps(schema, sort_keys=True): name
            for name, schema in sorted(self.bundle.get("$defs", {}).items(), reverse=True)
            if name in self.function_names
        }

    def merged(self, schema: dict[str, Any], pointer: str) -> str:
        """The strategy for a schema merged from `allOf` branches or `$ref` siblings.

        Equal merged schemas share one expression, and a long one (or one that includes
        itself) becomes a private function: the work and the text stay linear in the number of
        distinct merged schemas however often nested `allOf`s name the same component.
        """
        key = ("relaxed " if self.relaxed else "") + json.dumps(schema, sort_keys=True)
        if key in self.components_by_key:
            return f"{self.function_names[self.components_by_key[key]]}()"
        if key in self.merged_names:
            return f"{self.merged_names[key]}()"
        if key in self.merged_inline:
            return self.merged_inline[key]
        if key in self.merged_in_progress:  # it includes itself: only a call can express that
            return f"{self.merged_name(key)}()"
        self.merged_in_progress.add(key)
        try:
            expression = self.strategy(schema, pointer)
        finally:
            self.merged_in_progress.discard(key)
        if key in self.merged_names or len(expression) > MAX_INLINE_MERGED:
            name = self.merged_name(key)
            self.merged_functions[name] = expression
            return f"{name}()"
        self.merged_inline[key] = expression
        return expression

    def merged_name(self, key: str) -> str:
        """The private function name of a merged schema, allocated on first need."""
        if key not in self.merged_names:
            taken = {*self.function_names.values(), *self.merged_names.values()}
            self.merged_names[key] = python_identifier(
                f"_merged_{len(self.merged_names) + 1}", taken=taken
            )
        return self.merged_names[key]

    def node_at(self, pointer: str) -> Any:
        """The bundle's node at a `#/...` pointer; None when there is none."""
        node: Any = self.bundle
        for raw in pointer.split("/")[1:]:
            token = unescape_pointer_token(raw)
            if isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            elif isinstance(node, dict) and token in node:
                node = node[token]
            else:
                return None
        return node

    def check_name(self, schema: dict[str, Any], pointer: str) -> str | None:
        """The validator deciding what a draw of `schema` (at `pointer`) must be filtered by: its
        own node's, or that of the node it was merged from; None when there is none."""
        check = self.one_of_checks.get(pointer)
        for key in check_keys(schema):
            check = check or self.checks_by_content.get(key)
        if check is not None:
            self.validator_imports.add(f"iter_errors_{check}")
        return check

    def json_types(self, schema: Any) -> frozenset[str] | None:
        """The JSON types instances of `schema` can have (None: any), memoised per `$ref`."""
        return self.oracle.types(schema)

    def strategy(self, schema: Any, pointer: str) -> str:
        """The strategy expression drawing instances valid against `schema` (at `pointer`)."""
        if schema is True or schema == {}:
            return self.any_json()
        if schema is False:
            raise EmptySchema(pointer, "allows no instance: there is nothing to draw")
        if not isinstance(schema, dict):
            raise SchemaCompileError(pointer, "is not a schema: there is nothing to draw")
        check_keywords(schema, pointer, self.relaxed)
        for keyword, handler in SHAPE_HANDLERS.items():
            if keyword in schema:
                return handler(self, schema, pointer)
        types = declared_types(schema, pointer) or inferred_types(schema)
        if not types:
            return self.any_json()
        return one_of([TYPE_STRATEGIES[name](self, schema, pointer) for name in types])

    def any_json(self) -> str:
        """Any JSON value (a schema that does not constrain)."""
        self.helpers.add("json_values")
        return "_JSON_VALUES"

    def component(self, reference: Any, pointer: str) -> str:
        """The `$defs` name a `$ref` names (`#/$defs/<name>` only)."""
        if not isinstance(reference, str) or not reference.startswith(BUNDLE_PREFIX):
            raise SchemaCompileError(
                pointer, f"only {BUNDLE_PREFIX}<name> references: {reference!r}"
            )
        name = unescape_pointer_token(reference[len(BUNDLE_PREFIX) :])
        if name not in self.function_names:
            raise SchemaCompileError(pointer, f"$ref to a missing definition {reference!r}")
        return name

    def nested(self, reference: Any) -> Any:
        """The schema a `$ref` into a definition names (`#/$defs/A/properties/b`); None for any
        other reference. Such a target has no function of its own: it is drawn inline."""
        if not isinstance(reference, str) or not reference.startswith(BUNDLE_PREFIX):
            return None
        if reference.count("/") < 3:  # `#/$defs/A` itself: a definition with its own function
            return None
        return self.node_at(reference)

    def resolve(self, reference: str) -> Any:
        """The schema a (checked) `$ref` points at."""
        return self.bundle["$defs"][self.component(reference, "#")]

    def inline(
        self, schema: Any, pointer: str, seen: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        """`schema` with its `$ref` replaced by the referenced schema's keywords (for merging)."""
        if schema is True:
            return {}
        if not isinstance(schema, dict):
            raise SchemaCompileError(pointer, "allows no instance: there is nothing to draw")
        check_keywords(schema, pointer, self.relaxed)
        if "$ref" not in schema:
            return schema
        reference = schema["$ref"]
        if reference in seen:
            raise SchemaCompileError(pointer, f"{reference!r} includes itself: cannot merge")
        nested = self.nested(reference)
        if nested is not None:
            target = nested
        else:
            target = self.bundle["$defs"][self.component(reference, pointer)]
        rest, unevaluated = outer_unevaluated(
            {key: value for key, value in schema.items() if key != "$ref"}
        )
        merged = self.merge(self.inline(target, pointer, seen | {reference}), rest, pointer)
        return with_unevaluated(merged, unevaluated, pointer)

    def merge(self, first: dict[str, Any], second: dict[str, Any], pointer: str) -> dict[str, Any]:
        """One schema for instances valid against both (relaxed: at least against `first`'s
        value of a keyword the two give different values it cannot merge)."""
        try:
            return merge_schemas(first, second, pointer, ANNOTATIONS)
        except EmptySchema:
            raise
        except SchemaCompileError:
            if not self.relaxed:
                raise
        return merge_schemas(
            first,
            {key: value for key, value in second.items() if key not in first},
            pointer,
            ANNOTATIONS,
        )

    def relaxed_strategy(self, schema: Any, pointer: str, check: str) -> str:
        """Draws of `schema` the strict rules refused: drawn leaving out what the emitter cannot
        draw, and kept when the validator `check` accepts them."""
        self.relaxed = True
        try:
            drawn = self.strategy(schema, pointer)
        finally:
            self.relaxed = False
        self.validator_imports.add(f"iter_errors_{check}")
        return f"{drawn}.filter(lambda value: next(iter_errors_{check}(value), None) is None)"

    def use(self, format_strategy: FormatStrategy) -> str:
        """Record what a format's expression needs and return the expression."""
        self.helpers.update(format_strategy.helpers)
        self.imports.update(format_strategy.imports)
        return format_strategy.expression


def check_keys(schema: dict[str, Any]) -> list[str]:
    """What a filtering check decides, as text, most exact first: the node's validating keywords,
    then for a `oneOf` its branches alone (a draw from one branch merged with more siblings than
    the node had is still kept exactly when one branch holds)."""
    keys = [json.dumps(validation_keywords(schema), sort_keys=True)]
    if "oneOf" in schema:
        keys.append(json.dumps({"oneOf": schema["oneOf"]}, sort_keys=True))
    return keys


def check_keywords(schema: dict[str, Any], pointer: str, relaxed: bool = False) -> None:
    """Raise for any keyword the emitter would otherwise silently ignore (unless `relaxed`: the
    draws are filtered through the validator, which checks it)."""
    if relaxed:
        return
    for keyword in schema:
        if keyword in SUPPORTED_KEYWORDS or keyword in ANNOTATIONS or str(keyword).startswith("x-"):
            continue
        raise SchemaCompileError(
            join_pointer(pointer, keyword),
            f'unsupported keyword "{keyword}": the strategy emitter cannot draw instances for it',
        )


def declared_types(schema: dict[str, Any], pointer: str) -> list[str]:
    """The `type` keyword as a list, checked; empty when absent."""
    if "type" not in schema:
        return []
    declared = schema["type"]
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or not names or any(name not in TYPE_KEYWORDS for name in names):
        raise SchemaCompileError(join_pointer(pointer, "type"), f"unknown type {declared!r}")
    # "integer" is part of "number": drawing both would only repeat the integers.
    return [name for name in names if not (name == "integer" and "number" in names)]


def inferred_types(schema: dict[str, Any]) -> list[str]:
    """Without `type`: the instance types the present keywords constrain (others not drawn)."""
    return [
        name
        for name in ("object", "array", "string", "number")
        if TYPE_KEYWORDS[name] & schema.keys()
    ]


def validation_keywords(schema: dict[str, Any], *without: str) -> dict[str, Any]:
    """The keywords of `schema` that constrain, minus `without`."""
    return {
        key: value
        for key, value in schema.items()
        if key not in ANNOTATIONS and key not in without and not str(key).startswith("x-")
    }


def shape_all_of(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """allOf: every branch merged into one schema, then drawn."""
    own, unevaluated = outer_unevaluated(validation_keywords(schema, "allOf"))
    merged = builder.inline(own, pointer)
    for index, branch in enumerate(branches(schema, "allOf", pointer)):
        branch_pointer = join_pointer(pointer, "allOf", index)
        merged = builder.merge(merged, builder.inline(branch, branch_pointer), branch_pointer)
    return builder.merged(with_unevaluated(merged, unevaluated, pointer), pointer)


def with_unevaluated(
    merged: dict[str, Any], unevaluated: dict[str, Any], pointer: str
) -> dict[str, Any]:
    """`merged` with the `unevaluated*` keywords of the schema that merged it put back: they see
    the properties of every merged part, so no part's properties are closed out."""
    result = dict(merged)
    for keyword, value in unevaluated.items():
        present = result.get(keyword, value)
        result[keyword] = value if present == value else MERGERS[keyword](present, value, pointer)
    return result


def outer_unevaluated(schema: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(`schema` without them, its `unevaluatedProperties`/`unevaluatedItems`): those see what
    every `allOf` branch, `$ref` and matching `anyOf`/`oneOf` branch evaluated, so they are
    merged in after everything else (then `additionalProperties`/`items` of the merged schema
    evaluate before them, as they would have)."""
    unevaluated = {key: schema[key] for key in UNEVALUATED if key in schema}
    if not unevaluated:
        return schema, {}
    return {key: value for key, value in schema.items() if key not in UNEVALUATED}, unevaluated


def shape_any_of(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """anyOf: one strategy per branch (merged with its siblings), so one branch always holds."""
    return one_of(alternatives(builder, schema, "anyOf", pointer))


def shape_one_of(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """oneOf: as anyOf, for branches whose instance types differ (so no two can both hold)."""
    listed = branches(schema, "oneOf", pointer)
    resolved = [builder.json_types(branch) for branch in listed]
    disjoint = all(
        types is not None and other is not None and not types & other
        for index, types in enumerate(resolved)
        for other in resolved[index + 1 :]
    ) or _disjoint_values(builder, listed, pointer)
    drawn = one_of(alternatives(builder, schema, "oneOf", pointer))
    if disjoint:
        return drawn
    check = builder.check_name(schema, pointer)
    if check is None and builder.relaxed:
        return drawn
    if check is None:
        raise SchemaCompileError(
            join_pointer(pointer, "oneOf"),
            "oneOf branches that may both match are not supported (only disjoint types)",
        )
    # A draw from one branch may match another too; the schema's validator keeps the others.
    return f"{drawn}.filter(lambda value: next(iter_errors_{check}(value), None) is None)"


def _disjoint_values(builder: StrategyBuilder, listed: list[Any], pointer: str) -> bool:
    """Every branch a `const` or `enum` and no value in two of them (`oneOf: [{const: A},
    {const: B}]`, a common way to document each value): no instance matches two branches."""
    seen: list[str] = []
    for index, branch in enumerate(listed):
        inlined = builder.inline(branch, join_pointer(pointer, "oneOf", index))
        if "const" in inlined:
            values = [inlined["const"]]
        elif isinstance(inlined.get("enum"), list):
            values = inlined["enum"]
        else:
            return False
        # Equal JSON values (1 and 1.0) print alike once integral floats are integers.
        texts = {json.dumps(_integral(value), sort_keys=True) for value in values}
        if texts & set(seen):
            return False
        seen.extend(texts)
    return True


def _integral(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_integral(item) for item in value]
    if isinstance(value, dict):
        return {name: _integral(item) for name, item in value.items()}
    return value


def branches(schema: dict[str, Any], keyword: str, pointer: str) -> list[Any]:
    """A combinator's list of schemas, checked to be a non-empty list."""
    value = schema[keyword]
    if not isinstance(value, list) or not value:
        raise SchemaCompileError(join_pointer(pointer, keyword), "must be a non-empty list")
    return value


def alternatives(
    builder: StrategyBuilder, schema: dict[str, Any], keyword: str, pointer: str
) -> list[str]:
    """One strategy per anyOf/oneOf branch; sibling keywords are merged into every branch."""
    own, unevaluated = outer_unevaluated(validation_keywords(schema, keyword))
    siblings = builder.inline(own, pointer)
    expressions = []
    empty: EmptySchema | None = None
    for index, branch in enumerate(branches(schema, keyword, pointer)):
        branch_pointer = join_pointer(pointer, keyword, index)
        if not siblings and not unevaluated:
            expressions.append(builder.strategy(branch, branch_pointer))
            continue
        try:
            merged = builder.merge(siblings, builder.inline(branch, branch_pointer), branch_pointer)
            merged = with_unevaluated(merged, unevaluated, branch_pointer)
        except EmptySchema as error:
            empty = error  # this branch allows nothing beside its siblings: never drawn
            continue
        expressions.append(builder.merged(merged, branch_pointer))
    if not expressions and empty is not None:
        raise empty
    return expressions


def shape_reference(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """$ref: a call of the component's strategy function (merged when it has siblings)."""
    if validation_keywords(schema, "$ref") or builder.nested(schema["$ref"]) is not None:
        return builder.merged(builder.inline(schema, pointer), pointer)
    name = builder.component(schema["$ref"], join_pointer(pointer, "$ref"))
    return f"{builder.function_names[name]}()"


def shape_const(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """const: the one value."""
    return values_strategy(builder, schema, [schema["const"]], pointer, "const")


def shape_enum(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """enum: every listed value of an allowed type."""
    values = schema["enum"]
    if not isinstance(values, list) or not values:
        raise SchemaCompileError(join_pointer(pointer, "enum"), "must be a non-empty list")
    return values_strategy(builder, schema, values, pointer, "enum")


def values_strategy(
    builder: StrategyBuilder, schema: dict[str, Any], values: list[Any], node: str, keyword: str
) -> str:
    """Sample from fixed values (enum/const) that also pass `type` and the scalar keywords
    beside them (`VALUE_CHECKS`); with a `format` beside them, the values the schema's validator
    accepts (the listed values are the spec's, and may break the format)."""
    pointer = join_pointer(node, keyword)
    others = validation_keywords(schema, "enum", "const", "type", "format", *VALUE_CHECKS)
    if (others or ("enum" in schema and "const" in schema)) and not builder.relaxed:
        raise SchemaCompileError(pointer, f"enum/const with {sorted(others)} is not supported")
    allowed = [
        value
        for value in values
        if allows_type(schema.get("type"), value) and value_fits(schema, value)
    ]
    if not allowed:
        raise SchemaCompileError(
            pointer, "no value has an allowed type or passes its siblings: nothing to draw"
        )
    expression = f"st.sampled_from({py_literal(allowed)})"
    if any(isinstance(value, list | dict) for value in allowed):
        # A container would be shared by every draw: give each draw its own copy.
        builder.imports.add("import copy")
        expression += ".map(copy.deepcopy)"
    if "format" not in schema:
        return expression
    check = builder.check_name(schema, node)
    if check is None and builder.relaxed:
        return expression
    if check is None:
        raise SchemaCompileError(pointer, "enum/const with format is not supported here")
    return f"{expression}.filter(lambda value: next(iter_errors_{check}(value), None) is None)"


def strategy_array(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """Lists of item instances, between minItems and maxItems (or minItems + a few) long."""
    low, high = sizes(schema, ("minItems", "maxItems"), pointer)
    if "prefixItems" in schema:
        return strategy_tuple(builder, schema, pointer, low, high)
    # `unevaluatedItems` decides only the items `items` did not (here: all or none).
    keyword = "items" if "items" in schema else "unevaluatedItems"
    item = builder.strategy(schema.get(keyword, True), join_pointer(pointer, keyword))
    arguments = [item] + ([f"min_size={low}"] if low else [])
    # Without maxItems, long lists of nested objects (permissions of identity sets of identities)
    # make every draw slow and show nothing a few items do not; the declared bounds are kept.
    arguments.append(f"max_size={low + UNBOUNDED_EXTRA_ITEMS if high is None else high}")
    if schema.get("uniqueItems") is True:
        builder.helpers.add("unique_key")
        arguments.append("unique_by=_unique_key")
    return f"st.lists({', '.join(arguments)})"


def strategy_tuple(
    builder: StrategyBuilder, schema: dict[str, Any], pointer: str, low: int, high: int | None
) -> str:
    """`prefixItems`: a list whose first items match their own schemas and the rest `items`
    (`unevaluatedItems`), as long as minItems/maxItems allow."""
    prefix = branches(schema, "prefixItems", pointer)
    keyword = "items" if "items" in schema else "unevaluatedItems"
    rest = schema.get(keyword, True)
    longest = len(prefix) if rest is False else low + len(prefix) + UNBOUNDED_EXTRA_ITEMS
    longest = longest if high is None else min(high, longest)
    if low > longest:
        raise SchemaCompileError(
            pointer, f"minItems {low} > {longest} items allowed: nothing to draw"
        )
    if schema.get("uniqueItems") is True:
        raise SchemaCompileError(pointer, "prefixItems with uniqueItems is not supported")
    items = [
        builder.strategy(item, join_pointer(pointer, "prefixItems", index))
        for index, item in enumerate(prefix)
    ]
    rest_text = "None" if rest is False else builder.strategy(rest, join_pointer(pointer, keyword))
    builder.helpers.add("prefixed")
    return f"_prefixed([{', '.join(items)}], {rest_text}, {low}, {longest})"


def strategy_object(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """Objects: required properties always, optional ones sometimes, extras where allowed."""
    properties = schema.get("properties", {})
    required = schema.get("required", [])
    patterns = schema.get("patternProperties", {})
    # `unevaluatedProperties` decides only the properties nothing else evaluated: with no
    # `additionalProperties` (which evaluates every other name) that is every unknown one.
    keyword = (
        "unevaluatedProperties"
        if "unevaluatedProperties" in schema and "additionalProperties" not in schema
        else "additionalProperties"
    )
    extra = schema.get(keyword, True)
    if not (isinstance(properties, dict) and isinstance(required, list)):
        raise SchemaCompileError(pointer, "properties must be an object and required a list")
    if not isinstance(patterns, dict):
        raise SchemaCompileError(join_pointer(pointer, "patternProperties"), "must be an object")
    drawn: dict[str, str] = {}
    for name in dict.fromkeys([*required, *properties]):
        try:
            drawn[name] = property_strategy(builder, schema, name, join_pointer(pointer, keyword))
        except EmptySchema:
            if name in required:
                raise
            # An optional property no value fits: every valid instance leaves it out.
    builder.helpers.add("objects")
    known = {name: text for name, text in drawn.items() if name in required}
    optional = {name: text for name, text in drawn.items() if name not in required}
    extra_text = (
        "None" if extra is False else builder.strategy(extra, join_pointer(pointer, keyword))
    )
    arguments = [mapping_text(known), mapping_text(optional), extra_text]
    names = unknown_names(builder, schema, pointer)
    if names and extra is not False:
        arguments.append(names)
    drawn_objects = with_pattern_properties(
        builder, schema, f"_objects({', '.join(arguments)})", pointer
    )
    low, high = sizes(schema, ("minProperties", "maxProperties"), pointer)
    # Unknown and pattern-named properties come on top of the named ones.
    more = extra is not False or bool(patterns)
    if low <= len(known) and (high is None or (len(drawn) <= high and not more)):
        return drawn_objects
    if high is not None and high < len(known):
        raise SchemaCompileError(
            pointer, f"maxProperties {high} < {len(known)} required: nothing to draw"
        )
    upper = "" if high is None else f" <= {high}"
    return f"{drawn_objects}.filter(lambda value: {low} <= len(value){upper})"


def property_strategy(
    builder: StrategyBuilder, schema: dict[str, Any], name: str, extra_pointer: str
) -> str:
    """A named property's values: its own schema, and every `patternProperties` schema whose
    pattern matches its name (a required name no schema names is an extra one)."""
    pointer = extra_pointer.rsplit("/", 1)[0]
    properties = schema.get("properties", {})
    schemas = [properties[name]] if name in properties else []
    for pattern, value in sorted(schema.get("patternProperties", {}).items()):
        if _search(pattern, name, join_pointer(pointer, "patternProperties", pattern)):
            schemas.append(value)
    if schemas:
        at = join_pointer(pointer, "properties", name)
        return builder.strategy(schemas[0] if len(schemas) == 1 else {"allOf": schemas}, at)
    extra = schema.get(extra_pointer.rsplit("/", 1)[-1], True)
    if extra is False:
        raise SchemaCompileError(pointer, f"required {name!r} is not allowed: nothing to draw")
    return builder.strategy(extra, extra_pointer)


def _search(pattern: Any, name: str, pointer: str) -> bool:
    return re.search(python_pattern(pattern, pointer), name) is not None


def unknown_names(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """Names of unknown properties when something restricts them (`propertyNames`; no pattern of
    `patternProperties` may match them either); empty: any text."""
    patterns = [
        python_pattern(pattern, join_pointer(pointer, "patternProperties", pattern))
        for pattern in sorted(schema.get("patternProperties", {}))
    ]
    names = (
        property_names(builder, schema["propertyNames"], pointer)
        if "propertyNames" in schema
        else ""
    )
    if not patterns:
        return names
    builder.imports.add("import re")
    unmatched = f"not any(re.search(pattern, name) for pattern in {py_literal(patterns)})"
    return f"{names or 'st.text()'}.filter(lambda name: {unmatched})"


def with_pattern_properties(
    builder: StrategyBuilder, schema: dict[str, Any], drawn: str, pointer: str
) -> str:
    """`drawn` objects with up to two more properties per `patternProperties` pattern, named by
    the pattern (and no other pattern, nor a named property) and drawn from its schema."""
    at = join_pointer(pointer, "patternProperties")
    patterns = [
        (python_pattern(pattern, join_pointer(at, pattern)), value, join_pointer(at, pattern))
        for pattern, value in sorted(schema.get("patternProperties", {}).items())
    ]
    taken = sorted({*schema.get("properties", {}), *schema.get("required", [])})
    for pattern, value, place in patterns:
        others = [other for other, _, _ in patterns if other != pattern]
        unmatched = f"not any(re.search(other, name) for other in {py_literal(others)})"
        keep = f"name not in {py_literal(taken)} and {unmatched}"
        names = f"st.from_regex(re.compile({py_literal(pattern)}), fullmatch=True).filter(lambda name: {keep})"
        values = builder.strategy(value, place)
        builder.imports.add("import re")
        drawn = f"st.builds(_with_unknown, {drawn}, st.dictionaries({names}, {values}, max_size=2))"
    return drawn


def property_names(builder: StrategyBuilder, schema: Any, pointer: str) -> str:
    """Names of unknown properties: the strings `propertyNames` allows."""
    at = join_pointer(pointer, "propertyNames")
    return builder.merged(builder.merge(builder.inline(schema, at), {"type": "string"}, at), at)


def mapping_text(entries: dict[str, str]) -> str:
    """A dict display of property-name literals to strategy expressions."""
    return "{" + ", ".join(f"{py_literal(name)}: {text}" for name, text in entries.items()) + "}"


def strategy_checked_string(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """Strings; with both `format` and `pattern`, strings of the pattern that the schema's
    validator finds in the format too (neither draw knows the other's rule)."""
    if "format" not in schema or "pattern" not in schema:
        return strategy_string(builder, schema, pointer)
    check = builder.check_name(schema, pointer)
    drawn = strategy_string(builder, validation_keywords(schema, "format"), pointer)
    if check is None and builder.relaxed:
        return drawn
    if check is None:
        raise SchemaCompileError(pointer, "format together with pattern is not supported here")
    return f"{drawn}.filter(lambda value: next(iter_errors_{check}(value), None) is None)"


def strategy_boolean(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """True and False."""
    return "st.booleans()"


def strategy_null(builder: StrategyBuilder, schema: dict[str, Any], pointer: str) -> str:
    """JSON null."""
    return "st.none()"


def value_fits(schema: dict[str, Any], value: Any) -> bool:
    """Whether a listed value passes the scalar keywords beside its `enum`/`const`."""
    return all(
        check(schema[keyword], value)
        for keyword, check in VALUE_CHECKS.items()
        if keyword in schema
    )


def _numeric(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _multiple(divisor: Any, value: Any) -> bool:
    if not _numeric(value) or not _numeric(divisor) or divisor <= 0:
        return not _numeric(value)
    return Fraction(repr(value)) % Fraction(repr(divisor)) == 0


# Keywords beside `enum`/`const` that each listed value is checked against when the module is
# generated (only values that pass are drawn); each applies to one JSON type and passes others.
VALUE_CHECKS: dict[str, Callable[[Any, Any], bool]] = {
    "minLength": lambda bound, value: not isinstance(value, str) or len(value) >= bound,
    "maxLength": lambda bound, value: not isinstance(value, str) or len(value) <= bound,
    "pattern": lambda pattern, value: not isinstance(value, str)
    or re.search(python_pattern(pattern, "#"), value) is not None,
    "minimum": lambda bound, value: not _numeric(value) or value >= bound,
    "maximum": lambda bound, value: not _numeric(value) or value <= bound,
    "exclusiveMinimum": lambda bound, value: not _numeric(value) or value > bound,
    "exclusiveMaximum": lambda bound, value: not _numeric(value) or value < bound,
    "multipleOf": _multiple,
}
# Checked in this order: allOf merges first, so the others see one schema.
SHAPE_HANDLERS: dict[str, Handler] = {
    "allOf": shape_all_of,
    "anyOf": shape_any_of,
    "oneOf": shape_one_of,
    "$ref": shape_reference,
    "const": shape_const,
    "enum": shape_enum,
}
TYPE_STRATEGIES: dict[str, Handler] = {
    "null": strategy_null,
    "boolean": strategy_boolean,
    "integer": strategy_integer,
    "number": strategy_number,
    "string": strategy_checked_string,
    "array": strategy_array,
    "object": strategy_object,
}
UNEVALUATED = ("unevaluatedProperties", "unevaluatedItems")
SUPPORTED_KEYWORDS = frozenset(
    {"type", *SHAPE_HANDLERS, *(keyword for group in TYPE_KEYWORDS.values() for keyword in group)}
)
