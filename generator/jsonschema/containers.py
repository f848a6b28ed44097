"""Keyword handlers for objects and arrays (same signature as `validator_keywords`).

Members are checked inline: a property's subschema becomes code on a local variable, with
the member's key or index appended to the data path only when an error is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from generator.errors import SchemaCompileError
from generator.jsonschema.checks import (
    closed_object,
    expect_count,
    expect_pattern,
    expect_schema,
    expect_schema_list,
    expect_schema_map,
    expect_string_list,
    known_keys,
    plural,
    property_names,
)
from generator.jsonschema.deferral import PENDING, item_queues
from generator.jsonschema.inline import negate
from generator.jsonschema.node import Node, Variant
from generator.jsonschema.writer import INDENT, CodeWriter, short_repr, string_literal

# Description of a failure emitted only in the fast variant, which reports no message.
FAST_ONLY = "''"


def check_required(node: Node, value: Any) -> None:
    """`required`: each listed key is present (error on the object, naming the key)."""
    for name in expect_string_list(value, node.at("required"), "required"):
        description = string_literal(f"{short_repr(name)} is a required property")
        condition = f"{string_literal(name)} not in {node.value}"
        node.fail_if(condition, node.at("required"), "required", description)
        if node.stops_at_failure:
            node.known_present.add(name)


def check_dependent_required(node: Node, value: Any) -> None:
    """`dependentRequired`: when a key is present, the listed keys must be too."""
    if not isinstance(value, dict):
        raise SchemaCompileError(
            node.at("dependentRequired"), "dependentRequired must be an object"
        )
    for trigger, names in value.items():
        _dependent_required(node, "dependentRequired", trigger, names)


def _dependent_required(node: Node, keyword: str, trigger: str, names: Any) -> None:
    """When `trigger` is present, each of `names` must be too."""
    pointer = node.at(keyword, trigger)
    with node.scope.capture() as body:
        for name in expect_string_list(names, pointer, keyword):
            reason = f"(because {short_repr(trigger)} is present)"
            description = string_literal(f"{short_repr(name)} is a required property {reason}")
            condition = f"{string_literal(name)} not in {node.value}"
            node.fail_if(condition, pointer, keyword, description)
    node.scope.writer.add_block(f"if {string_literal(trigger)} in {node.value}:", body)


def check_dependencies(node: Node, value: Any) -> None:
    """`dependencies` (drafts 4-7): per key, a list of required keys or a schema."""
    if not isinstance(value, dict):
        raise SchemaCompileError(node.at("dependencies"), "dependencies must be an object")
    for trigger, dependency in value.items():
        if isinstance(dependency, list):
            _dependent_required(node, "dependencies", trigger, dependency)
        else:
            expect_schema(dependency, node.at("dependencies", trigger))
            _dependent_schema(node, "dependencies", trigger, dependency)


def check_min_properties(node: Node, value: Any) -> None:
    """`minProperties`."""
    count = expect_count(node, "minProperties")
    if count:
        description = f"must have at least {plural(count, 'property', 'properties')}"
        condition = f"len({node.value}) < {count}"
        node.fail_if(
            condition, node.at("minProperties"), "minProperties", string_literal(description)
        )


def check_max_properties(node: Node, value: Any) -> None:
    """`maxProperties`."""
    count = expect_count(node, "maxProperties")
    description = f"must have at most {plural(count, 'property', 'properties')}"
    condition = f"len({node.value}) > {count}"
    node.fail_if(condition, node.at("maxProperties"), "maxProperties", string_literal(description))


def check_properties(node: Node, value: Any) -> None:
    """`properties`: each present key's value is checked inline on a local variable."""
    if node.properties_walked:
        return
    for name, schema in expect_schema_map(node, "properties").items():
        variable = node.scope.variable("value")
        key = string_literal(name)
        with node.scope.capture() as body:
            target = node.target.child(variable, key)
            node.apply(schema, node.at("properties", name), target, rule="properties")
        setup = [(variable, f"{node.value}[{key}]")]
        if name in node.known_present:
            node.scope.writer.add_lines(body, setup)
        else:
            node.scope.writer.add_block(f"if {key} in {node.value}:", body, setup)


def walks_properties(node: Node) -> bool:
    """Boolean walk of a `type: object` node: whether its `properties` are checked in the key
    loop the type test writes (`emit_property_walk`) instead of one `in` test per property.

    Only where no other keyword reads the keys (`patternProperties`, a schema for
    `additionalProperties`, `unevaluatedProperties` keep their own loops).
    """
    schema = node.schema
    properties = schema.get("properties")
    additional = schema.get("additionalProperties", True)
    return (
        node.fast
        and "properties" in node.dialect.keywords
        and isinstance(properties, dict)
        and bool(properties)
        and "patternProperties" not in schema
        and (additional is True or additional is False)
        and "unevaluatedProperties" not in schema
    )


def emit_property_walk(node: Node, *, closed: bool) -> None:
    """One pass over the object's items: the key's type, then a branch per named property
    (and, for a closed object, a failure for any other key).

    The boolean walk's verdict does not depend on the order of its checks, so it may follow the
    instance's keys. Compiled (mypyc), each key costs a few length-first string comparisons
    against constants instead of a hash lookup per schema property plus one per present value;
    past MAX_KEY_CHAIN names the key's length picks which names to compare.
    """
    key, item = node.scope.variable("key"), node.scope.variable("value")
    branches: list[tuple[str, CodeWriter | None]] = []  # None: the subschema checks nothing
    with node.scope.capture() as loop_body:
        node.fail_if(f"type({key}) is not str", node.at("type"), "type", FAST_ONLY)
        for name, schema in expect_schema_map(node, "properties").items():
            with node.scope.capture() as body:
                target = node.target.child(item, string_literal(name))
                node.apply(schema, node.at("properties", name), target, rule="properties")
            branches.append((name, body if body.lines else None))
        if len(branches) > MAX_KEY_CHAIN:
            _emit_length_dispatch(node, key, branches, closed=closed)
        else:
            _emit_key_chain(node, key, branches, closed=closed)
    _emit_key_loop(node, key, item, loop_body)
    node.properties_walked = True


# Property names a key is compared with one after the other. With more, the key's length, found
# by bisection, picks the few names to compare: an unknown key of the 16-property permission
# took 16 comparisons. Compiled, a length test is one C integer compare (responses 0.40x ->
# 0.35x the floor); in pure Python the `len()` call per key costs what it saves for objects of
# about 8 names (measured at 4 and 8: pure Python unchanged at 8, 2% slower at 4).
MAX_KEY_CHAIN = 8


def _emit_key_chain(
    node: Node, key: str, branches: list[tuple[str, CodeWriter | None]], *, closed: bool
) -> None:
    """`if key == 'a': ... elif key == 'b': ...`, then for a closed object the failure."""
    writer = node.scope.writer
    branch = "if"
    for name, body in branches:
        if body is not None:
            writer.line(f"{branch} {key} == {string_literal(name)}:")
            shift = INDENT * (writer.level + 1 - body.level)  # bodies were written for the loop
            writer.lines.extend(shift + text for text in body.lines)
            branch = "elif"
    if not closed:
        return
    unchecked = [name for name, body in branches if body is None]
    pointer = node.at("additionalProperties")
    if unchecked:
        others = " and ".join(f"{key} != {string_literal(name)}" for name in unchecked)
        node.fail_if(others, pointer, "additionalProperties", FAST_ONLY, branch=branch)
    else:
        _fail_otherwise(node)


def _emit_length_dispatch(
    node: Node, key: str, branches: list[tuple[str, CodeWriter | None]], *, closed: bool
) -> None:
    """The key's length, found by bisection (`if length < 9:`), picks the names to compare."""
    length = node.scope.variable("length")
    node.scope.writer.line(f"{length} = len({key})")
    groups: dict[int, list[tuple[str, CodeWriter | None]]] = {}
    for name, body in branches:
        if body is not None or closed:
            groups.setdefault(len(name), []).append((name, body))
    dispatch = _LengthDispatch(node, key, length, groups, closed)
    dispatch.chain(sorted(groups))


# Lengths tested one after the other (`elif length == 7:`) where the bisection stops.
_LENGTHS_PER_LEAF = 3


@dataclass(frozen=True)
class _LengthDispatch:
    """Writes `if length < 11: <shorter names> elif length == 11: ... else: <failure>`."""

    node: Node
    key: str
    length: str
    groups: dict[int, list[tuple[str, CodeWriter | None]]]
    closed: bool

    def chain(self, sizes: list[int]) -> None:
        """An `if`/`elif` chain over `sizes`; a closed object fails in its `else`."""
        self.branches(sizes, "if")
        if self.closed:
            _fail_otherwise(self.node)

    def branches(self, sizes: list[int], keyword: str) -> None:
        """Branches for `sizes`, the first one opened with `keyword` (`if` or `elif`)."""
        writer = self.node.scope.writer
        if len(sizes) > _LENGTHS_PER_LEAF:
            middle = len(sizes) // 2
            writer.line(f"{keyword} {self.length} < {sizes[middle]}:")
            writer.level += 1
            self.chain(sizes[:middle])
            writer.level -= 1
            self.branches(sizes[middle:], "elif")  # `elif`: ruff's PLR5501 (no `else: if`)
            return
        for position, size in enumerate(sizes):
            writer.line(f"{'elif' if position else keyword} {self.length} == {size}:")
            writer.level += 1
            _emit_key_chain(self.node, self.key, self.groups[size], closed=self.closed)
            writer.level -= 1


def _fail_otherwise(node: Node) -> None:
    """`else:` and the closed object's failure (the key is none of its properties)."""
    writer = node.scope.writer
    writer.line("else:")
    writer.level += 1
    node.fail(node.at("additionalProperties"), "additionalProperties", FAST_ONLY)
    writer.level -= 1


def _patterns(node: Node) -> dict[str, Any]:
    """`patternProperties` entries (pattern -> schema), each pattern checked to compile."""
    if "patternProperties" not in node.schema:
        return {}
    patterns = expect_schema_map(node, "patternProperties")
    for pattern in patterns:
        expect_pattern(pattern, node.at("patternProperties", pattern))
    return patterns


def _regex(node: Node, pattern: str) -> str:
    """Module constant holding the compiled pattern (requested only when code uses it)."""
    translated = expect_pattern(pattern, node.at("patternProperties", pattern))
    return node.constant("PROPERTY_PATTERN", f"re.compile({string_literal(translated)})", ("re",))


def _emit_key_loop(node: Node, key: str, item: str, body_writer: CodeWriter) -> None:
    """Loop over `.items()`, or only the keys or values when the body ignores the other."""
    if not body_writer.uses(item):
        node.scope.writer.add_block(f"for {key} in {node.value}:", body_writer)
    elif not body_writer.uses(key):
        node.scope.writer.add_block(f"for {item} in {node.value}.values():", body_writer)
    else:
        node.scope.writer.add_block(f"for {key}, {item} in {node.value}.items():", body_writer)


def check_pattern_properties(node: Node, value: Any) -> None:
    """`patternProperties`: keys matching a regex (`re.search`) have their value checked."""
    key, item = node.scope.variable("key"), node.scope.variable("value")
    with node.scope.capture() as loop_body:
        for pattern, schema in _patterns(node).items():
            with node.scope.capture() as body:
                target = node.target.child(item, key)
                node.apply(
                    schema, node.at("patternProperties", pattern), target, "patternProperties"
                )
            if body.lines:
                regex = _regex(node, pattern)
                node.scope.writer.add_block(f"if {regex}.search({key}) is not None:", body)
    _emit_key_loop(node, key, item, loop_body)


def check_additional_properties(node: Node, value: Any) -> None:
    """`additionalProperties`: keys matched by neither `properties` nor a pattern."""
    schema = expect_schema(value, node.at("additionalProperties"))
    patterns = _patterns(node)
    if schema is True:
        return
    names = property_names(node)
    if node.fast and closed_object(node):
        if not node.keys_checked:
            condition = f"not {known_keys(node)}.issuperset({node.value})" if names else node.value
            pointer = node.at("additionalProperties")
            node.fail_if(condition, pointer, "additionalProperties", FAST_ONLY)
        return
    if not (closed_object(node) and names):
        _check_additional_keys(node, schema, names, patterns)
        return
    # Only an object with an unknown key needs the loop: valid ones pay one C-level subset test.
    with node.scope.capture() as guarded:
        _check_additional_keys(node, schema, names, patterns)
    known = node.keys_known or f"{known_keys(node)}.issuperset({node.value})"
    node.scope.writer.add_block(f"if not {known}:", guarded)


def _check_additional_keys(
    node: Node, schema: Any, names: list[str], patterns: dict[str, Any]
) -> None:
    """The loop over keys of `additionalProperties`, checking those no other keyword covers."""
    key, item = node.scope.variable("key"), node.scope.variable("value")
    with node.scope.capture() as loop_body:
        with node.scope.capture() as body:
            if schema is False:
                short = node.compiler.helper("_short_repr")
                description = f'"is not allowed (additional property " + {short}({key}) + ")"'
                node.fail(node.at("additionalProperties"), "additionalProperties", description)
            else:
                target = node.target.child(item, key)
                node.apply(schema, node.at("additionalProperties"), target, "additionalProperties")
        if body.lines and (names or patterns):
            tests = [f"{key} not in {known_keys(node)}"] if names else []
            tests += [f"{_regex(node, pattern)}.search({key}) is None" for pattern in patterns]
            node.scope.writer.add_block(f"if {' and '.join(tests)}:", body)
        else:
            node.scope.writer.add_lines(body)
    _emit_key_loop(node, key, item, loop_body)


def check_property_names(node: Node, value: Any) -> None:
    """`propertyNames`: every key, as a string instance, matches the subschema."""
    schema = expect_schema(value, node.at("propertyNames"))
    pointer = node.at("propertyNames")
    if schema is True:
        return
    if schema is False:
        node.fail_if(node.value, pointer, "propertyNames", "'must not have any properties'")
        return
    key = node.scope.variable("key")
    with node.scope.capture() as body:
        if node.fast:
            node.apply(schema, pointer, node.target.child(key, key), "propertyNames")
        else:
            # A key has no data path of its own: report one error on the object, naming it.
            short = node.compiler.helper("_short_repr")
            description = f'"has an invalid property name " + {short}({key})'
            predicate = node.predicate(pointer, key)
            node.fail_if(negate(predicate), pointer, "propertyNames", description, value=key)
    node.scope.writer.add_block(f"for {key} in {node.value}:", body)


def check_dependent_schemas(node: Node, value: Any) -> None:
    """`dependentSchemas`: when a key is present, the whole object must match a schema."""
    for name, schema in expect_schema_map(node, "dependentSchemas").items():
        _dependent_schema(node, "dependentSchemas", name, schema)


def _dependent_schema(node: Node, keyword: str, name: str, schema: Any) -> None:
    """When key `name` is present, the object must match `schema`."""
    with node.scope.capture() as body:
        node.apply(schema, node.at(keyword, name), rule=keyword)
    node.scope.writer.add_block(f"if {string_literal(name)} in {node.value}:", body)


def check_min_items(node: Node, value: Any) -> None:
    """`minItems`."""
    count = expect_count(node, "minItems")
    if count:
        description = string_literal(f"must have at least {plural(count, 'item')}")
        node.fail_if(f"len({node.value}) < {count}", node.at("minItems"), "minItems", description)


def check_max_items(node: Node, value: Any) -> None:
    """`maxItems`."""
    count = expect_count(node, "maxItems")
    description = string_literal(f"must have at most {plural(count, 'item')}")
    node.fail_if(f"len({node.value}) > {count}", node.at("maxItems"), "maxItems", description)


def check_unique_items(node: Node, value: Any) -> None:
    """`uniqueItems`: no two items equal as JSON values."""
    if not isinstance(value, bool):
        raise SchemaCompileError(node.at("uniqueItems"), "uniqueItems must be a boolean")
    if value:
        condition = f"{node.compiler.helper('_has_duplicates')}({node.value})"
        description = string_literal("must not contain duplicate items")
        node.fail_if(condition, node.at("uniqueItems"), "uniqueItems", description)


def check_prefix_items(node: Node, value: Any) -> None:
    """`prefixItems`: item i, when present, matches subschema i."""
    _check_prefix(node, "prefixItems")


def _check_prefix(node: Node, keyword: str) -> None:
    """Item i, when present, matches subschema i of `keyword` (prefixItems, an items array)."""
    for index, schema in enumerate(expect_schema_list(node, keyword)):
        item = node.scope.variable("item")
        with node.scope.capture() as body:
            target = node.target.child(item, str(index))
            node.apply(schema, node.at(keyword, index), target, keyword)
        setup = [(item, f"{node.value}[{index}]")]
        node.scope.writer.add_block(f"if len({node.value}) > {index}:", body, setup)


def check_additional_items(node: Node, value: Any) -> None:
    """`additionalItems` (drafts <= 2019-09): items after an `items` array match the schema."""
    schema = expect_schema(value, node.at("additionalItems"))
    prefix = node.schema.get("items")
    if not isinstance(prefix, list):  # without an items array it does nothing
        node.compiler.check_only(node.scope, schema, node.at("additionalItems"))
        return
    start = len(prefix)
    _check_each_item(node, schema, f"{node.value}[{start}:]", start, "additionalItems")


def check_items(node: Node, value: Any) -> None:
    """`items`: every item after the `prefixItems` ones matches the subschema (drafts <= 2019-09:
    an array of schemas, one per position)."""
    if isinstance(value, list) and node.dialect.items_array:
        _check_prefix(node, "items")
        return
    schema = expect_schema(value, node.at("items"))
    prefix = node.schema.get("prefixItems") if "prefixItems" in node.dialect.keywords else None
    start = len(prefix) if isinstance(prefix, list) else 0
    _check_items_from(node, schema, start)


def _check_items_from(node: Node, schema: Any, start: int) -> None:
    """Items from index `start` on match `schema` (the subschema of `items`)."""
    items = f"{node.value}[{start}:]" if start else node.value
    if schema is False:
        _check_each_item(node, schema, items, start)
        return
    function = None
    if node.scope.variant is not Variant.ERRORS:
        function = node.compiler.callable_name(node.scope, node.at("items"))
    if function is not None and node.fast and not node.compiler.in_predicate:
        # A loop, not map(): on CPython 3.11 a call from bytecode is cheaper than one from map()
        # (100 recipients: 25.9 -> 24.5 µs), a small item schema is written in the loop instead
        # of called (22.0 µs), and the compiled build calls its native function directly.
        _check_each_item(node, schema, items, start)
        return
    if function is not None and node.fast:
        # A predicate folded into an expression: map() keeps the per-item loop an expression.
        queues = ""
        if node.compiler.forwarded(node.scope, node.at("items"), Variant.FAST):
            # Each call gets this walk's format queues too (`repeat` runs in C, as map does).
            node.compiler.use_import("itertools:repeat")
            queues = f", repeat({PENDING})"
        condition = f"not all(map({function}, {items}{queues}))"
        node.fail_if(condition, node.at("items"), "items", FAST_ONLY)
        return
    if function is None:
        _check_each_item(node, schema, items, start)
        return
    # First-error variant: the first item goes straight to the first-error walk, so an error
    # there (a one-recipient request) is walked once; the rest pass the map() test first, so
    # valid arrays build no item paths. A one-item array builds no slice or map() at all.
    item = node.scope.variable("item")
    with node.scope.capture() as head:
        node.apply(schema, node.at("items"), node.target.child(item, str(start)), "items")
    setup = [(item, f"{node.value}[{start}]")]
    node.scope.writer.add_block(f"if len({node.value}) > {start}:", head, setup)
    rest = f"{node.value}[{start + 1}:]"
    formats = node.compiler.deferred_by(node.scope, node.at("items"), Variant.FAST)
    with node.scope.capture() as more:
        with node.scope.capture() as loop:
            _check_each_item(node, schema, rest, start + 1)
        failure = ""
        arguments = item = node.scope.variable("item")
        if formats:
            # The boolean walk queues format checks; they run once for all items after it. A
            # failure there, as any, sends every item through the first-error walk above.
            queues, assignment, failure = item_queues(node, formats)
            more.line(assignment)
            arguments = f"{item}, {queues}"
        # The boolean test of the other items is a loop calling the boolean function (cheaper
        # than map() on CPython 3.11; a direct native call in the compiled build).
        valid = node.scope.variable("valid")
        more.line(f"{valid} = True")
        more.line(f"for {item} in {rest}:")
        more.line(f"    if not {function}({arguments}):")
        more.line(f"        {valid} = False")
        more.line("        break")
        more.add_block(f"if not {valid}{f' or {failure}' if failure else ''}:", loop)
    node.scope.writer.add_block(f"if len({node.value}) > {start + 1}:", more)


def _check_each_item(
    node: Node, schema: Any, items: str, start: int, keyword: str = "items"
) -> None:
    """Loop over `items` (an expression) applying `schema`; indexes count from `start`."""
    if schema is False:
        description = string_literal(f"must have at most {plural(start, 'item')}")
        node.fail_if(f"len({node.value}) > {start}", node.at(keyword), keyword, description)
        return
    item, index = node.scope.variable("item"), node.scope.variable("index")
    with node.scope.capture() as body:
        node.apply(schema, node.at(keyword), node.target.child(item, index), keyword)
    if node.fast:
        header = f"for {item} in {items}:"
    else:
        header = f"for {index}, {item} in enumerate({items}{f', {start}' if start else ''}):"
    node.scope.writer.add_block(header, body)


def check_contains(node: Node, value: Any) -> None:
    """`contains` with `minContains` (default 1) and `maxContains`: count matching items."""
    schema = expect_schema(value, node.at("contains"))
    bounded = "minContains" in node.dialect.keywords  # 2019-09 on
    minimum = expect_count(node, "minContains") if bounded and "minContains" in node.schema else 1
    maximum = (
        expect_count(node, "maxContains") if bounded and "maxContains" in node.schema else None
    )
    if minimum == 0 and maximum is None:
        node.compiler.check_only(node.scope, schema, node.at("contains"))
        return
    item = node.scope.variable("item")
    predicate = node.predicate(node.at("contains"), item)
    count = {"True": f"len({node.value})", "False": "0"}.get(predicate)
    low_keyword = "minContains" if bounded and "minContains" in node.schema else "contains"
    low = string_literal(f"must contain at least {plural(minimum, 'matching item')}")
    if count is None and maximum is None and minimum == 1:
        # Stop at the first match: the common case never counts the whole array.
        condition = f"not any({predicate} for {item} in {node.value})"
        node.fail_if(condition, node.at(low_keyword), low_keyword, low)
        return
    if count is None:
        count = node.scope.variable("matches")
        node.scope.writer.line(f"{count} = sum(1 for {item} in {node.value} if {predicate})")
    if count == "0" and minimum > 0:
        node.fail(node.at(low_keyword), low_keyword, low)
    elif minimum > 0:
        node.fail_if(f"{count} < {minimum}", node.at(low_keyword), low_keyword, low)
    if maximum is not None and count != "0":
        high = string_literal(f"must contain at most {plural(maximum, 'matching item')}")
        node.fail_if(f"{count} > {maximum}", node.at("maxContains"), "maxContains", high)


def check_unevaluated_properties(node: Node, value: Any) -> None:
    """`unevaluatedProperties`: keys no sibling keyword (nor in-place subschema that accepts
    the object) evaluated match the schema (`validator_evaluated` computes the others)."""
    pointer = node.at("unevaluatedProperties")
    schema = expect_schema(value, pointer)
    key, item = node.scope.variable("key"), node.scope.variable("value")
    with node.scope.capture() as body:
        if schema is False:
            short = node.compiler.helper("_short_repr")
            description = f'"is not allowed (unevaluated property " + {short}({key}) + ")"'
            node.fail(pointer, "unevaluatedProperties", description)
        else:
            target = node.target.child(item, key)
            node.apply(schema, pointer, target, "unevaluatedProperties")
    if not body.lines:
        return
    evaluated = node.compiler.evaluated(node.scope, node.pointer, Variant.PROPERTIES, node.value)
    if evaluated is not None:
        name = node.scope.variable("evaluated")
        node.scope.writer.line(f"{name} = {evaluated}")
        guarded = body.nested()
        guarded.lines = [INDENT + line for line in body.lines]
        body = CodeWriter(body.level)
        body.add_block(f"if {key} not in {name}:", guarded)
    _emit_key_loop(node, key, item, body)


def check_unevaluated_items(node: Node, value: Any) -> None:
    """`unevaluatedItems`: items no sibling keyword (nor in-place subschema that accepts the
    array) evaluated match the schema."""
    pointer = node.at("unevaluatedItems")
    schema = expect_schema(value, pointer)
    item, index = node.scope.variable("item"), node.scope.variable("index")
    with node.scope.capture() as body:
        if schema is False:
            description = f'"is not allowed (unevaluated item " + str({index}) + ")"'
            node.fail(pointer, "unevaluatedItems", description)
        else:
            node.apply(schema, pointer, node.target.child(item, index), "unevaluatedItems")
    if not body.lines:
        return
    evaluated = node.compiler.evaluated(node.scope, node.pointer, Variant.ITEMS, node.value)
    if evaluated is not None:
        name = node.scope.variable("evaluated")
        node.scope.writer.line(f"{name} = {evaluated}")
        guarded = body.nested()
        guarded.lines = [INDENT + line for line in body.lines]
        body = CodeWriter(body.level)
        body.add_block(f"if {index} not in {name}:", guarded)
    node.scope.writer.add_block(f"for {index}, {item} in enumerate({node.value}):", body)
