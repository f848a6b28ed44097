"""Keyword handlers for any instance type, strings, numbers and combinators.

Each `check_<keyword>(node, value)` validates its keyword value (a malformed one is a
`SchemaCompileError`) and emits its check through `node`, once for both variants.
"""

from __future__ import annotations

from typing import Any

from generator.errors import SchemaCompileError
from generator.jsonschema.checks import (
    TYPE_NOUNS,
    closed_object,
    expect_count,
    expect_number,
    expect_pattern,
    expect_schema,
    expect_schema_list,
    known_keys,
    number_text,
    plain_text,
    plural,
    property_names,
    type_test,
)
from generator.jsonschema.containers import emit_property_walk, walks_properties
from generator.jsonschema.deferral import emit_deferred_format
from generator.jsonschema.formats import FORMATS
from generator.jsonschema.inline import negate, operand
from generator.jsonschema.node import Node, Variant
from generator.jsonschema.runtime import DEFERRED_FUNCTIONS
from generator.jsonschema.writer import CodeWriter, python_literal, short_repr, string_literal


def check_type(node: Node, value: Any) -> None:
    """`type`: a JSON type name or an array of unique ones."""
    names = [value] if isinstance(value, str) else value
    if node.dialect.nullable and node.schema.get("nullable") is True and isinstance(names, list):
        names = names if "null" in names else [*names, "null"]  # OpenAPI 3.0
    valid = isinstance(names, list) and names and all(name in TYPE_NOUNS for name in names)
    if not valid or len(set(names)) != len(names):
        raise SchemaCompileError(node.at("type"), "type must be a JSON type name or unique names")
    # "number" already accepts every integer, so testing both would only cost time.
    tested = [name for name in names if not (name == "integer" and "number" in names)]
    if tested == ["object"] and node.fast and not node.compiler.in_predicate:
        _check_object_statements(node)
        return
    tests = [type_test(node, name, node.value, type_keyword=True) for name in tested]
    condition = tests[0] if len(tests) == 1 else "(" + " or ".join(tests) + ")"
    nouns = [TYPE_NOUNS[name] for name in names]
    noun = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " or " + nouns[-1]
    node.fail_if(negate(condition), node.at("type"), "type", string_literal(f"must be {noun}"))
    if node.stops_at_failure:
        node.known_types = frozenset(names)
    if node.fast:
        node.keys_checked = "object" in names and closed_object(node)


def _check_object_statements(node: Node) -> None:
    """Boolean walk, `type: object`: the key loop written in place of `_has_str_keys` /
    `_keys_within` (a call per object was a third of a small object's check: 100 recipients
    30 -> 26 µs). A predicate folded into an expression keeps the calls (`type_test`)."""
    node.fail_if(f"type({node.value}) is not dict", node.at("type"), "type", "''")
    closed = closed_object(node)
    if closed and not property_names(node):
        node.fail_if(node.value, node.at("type"), "type", "''")  # only {} is such an object
    elif walks_properties(node):
        emit_property_walk(node, closed=closed)
    else:
        key = node.scope.variable("key")
        test = f"type({key}) is not str"
        if closed:
            test = f"{test} or {key} not in {known_keys(node)}"
        with node.scope.capture() as body:
            node.fail_if(test, node.at("type"), "type", "''")
        node.scope.writer.add_block(f"for {key} in {node.value}:", body)
    node.known_types = frozenset({"object"})
    node.keys_checked = closed


def _values_text(values: list[Any]) -> str:
    """`'read', 'write', 'owner'`, shortened when the list is long."""
    text = ", ".join(short_repr(item, 40) for item in values)
    return (
        text if len(text) <= 100 else text[:90].rsplit(", ", 1)[0] + f", ... ({len(values)} values)"
    )


def check_enum(node: Node, value: Any) -> None:
    """`enum`: the instance equals (as JSON) one of the listed values."""
    if not isinstance(value, list):
        raise SchemaCompileError(node.at("enum"), "enum must be an array")
    literal = python_literal(value, node.at("enum"))
    if all(isinstance(item, str) for item in value):
        members = ", ".join(string_literal(item) for item in sorted(set(value)))
        constant = node.constant("ENUM", f"frozenset({{{members}}})" if members else "frozenset()")
        # The plain value: a str subclass's __hash__/__eq__ would decide membership.
        text = plain_text(node.value)
        condition = f"{text} not in {constant}"
        if node.known_types != {"string"}:
            condition = f"not ({type_test(node, 'string', node.value)} and {text} in {constant})"
    else:
        freeze = node.compiler.helper("_freeze")
        constant = node.constant("ENUM", f"frozenset(map({freeze}, {literal}))")
        condition = f"{freeze}({node.value}) not in {constant}"
    description = f"must be one of: {_values_text(value)}"
    node.fail_if(condition, node.at("enum"), "enum", string_literal(description))


def check_const(node: Node, value: Any) -> None:
    """`const`: the instance equals the value as JSON (1 == 1.0, True != 1, deep)."""
    literal = python_literal(value, node.at("const"))
    if value is None or isinstance(value, bool):
        condition = f"{node.value} is not {literal}"
    elif isinstance(value, str):
        # The type first (`==` on any other object may raise, lie or not return a bool), then
        # the plain value (a str subclass's `__eq__` never runs).
        string = type_test(node, "string", node.value)
        condition = f"not ({string} and {plain_text(node.value)} == {literal})"
    else:
        freeze = node.compiler.helper("_freeze")
        constant = node.constant("CONST", f"{freeze}({literal})")
        condition = f"{freeze}({node.value}) != {constant}"
    description = f"must be equal to {short_repr(value)}"
    node.fail_if(condition, node.at("const"), "const", string_literal(description))


def check_min_length(node: Node, value: Any) -> None:
    """`minLength`: at least n code points (Python's len counts code points)."""
    count = expect_count(node, "minLength")
    if count:
        description = f"must be at least {plural(count, 'character')} long"
        condition = f"str.__len__({node.value}) < {count}"  # never a subclass's __len__
        node.fail_if(condition, node.at("minLength"), "minLength", string_literal(description))


def check_max_length(node: Node, value: Any) -> None:
    """`maxLength`: at most n code points."""
    count = expect_count(node, "maxLength")
    description = f"must be at most {plural(count, 'character')} long"
    condition = f"str.__len__({node.value}) > {count}"
    node.fail_if(condition, node.at("maxLength"), "maxLength", string_literal(description))


def check_pattern(node: Node, value: Any) -> None:
    """`pattern`: ECMA-262 semantics (translated to Python `re`), unanchored `search`."""
    translated = expect_pattern(value, node.at("pattern"))
    regex = node.constant("PATTERN", f"re.compile({string_literal(translated)})", ("re",))
    description = f"must match pattern {short_repr(value)}"
    condition = f"{regex}.search({node.value}) is None"
    node.fail_if(condition, node.at("pattern"), "pattern", string_literal(description))


def check_format(node: Node, value: Any) -> None:
    """`format`: asserted only when the compiler was asked to (and the format is known);
    otherwise an annotation."""
    if not isinstance(value, str):
        raise SchemaCompileError(node.at("format"), "format must be a string")
    if not (node.compiler.assert_formats or node.dialect.format_assertion):
        return
    if value not in FORMATS:
        # The specification: an unknown format is an annotation even when formats are asserted
        # (schemas in the wild use `int32`, `byte`, custom names). The README lists the known.
        return
    check = FORMATS[value]
    helper = node.compiler.helper(check.helper)
    # Helpers read the plain value; an inline head, only an exact str (a subclass's methods
    # would run in it).
    test = f"{helper}({plain_text(node.value)})"
    if check.inline:
        exact = check.inline.format(value=node.value)
        test = f"({exact} if type({node.value}) is str else {test})"
    condition = negate(test)
    description = string_literal(f"must be {check.description}")
    if not emit_deferred_format(node, value, condition, description):
        node.fail_if(condition, node.at("format"), "format", description)


def _bound(node: Node, keyword: str, operator: str, relation: str) -> None:
    """Shared body of the four range keywords."""
    limit = expect_number(node, keyword)
    description = string_literal(f"must be {relation} {number_text(limit)}")
    node.fail_if(f"{node.value} {operator} {limit!r}", node.at(keyword), keyword, description)


def _boolean_exclusive(node: Node, keyword: str) -> bool:
    """Draft 4 / OpenAPI 3.0: whether `exclusiveMinimum`/`exclusiveMaximum` is `true`."""
    if not node.dialect.boolean_exclusives or keyword not in node.schema:
        return False
    value = node.schema[keyword]
    if not isinstance(value, bool):
        raise SchemaCompileError(node.at(keyword), f"{keyword} must be a boolean in this dialect")
    return value


def check_minimum(node: Node, value: Any) -> None:
    """`minimum`: instance >= limit (> with draft 4's `exclusiveMinimum: true`)."""
    if _boolean_exclusive(node, "exclusiveMinimum"):
        _bound(node, "minimum", "<=", "greater than")
    else:
        _bound(node, "minimum", "<", "greater than or equal to")


def check_maximum(node: Node, value: Any) -> None:
    """`maximum`: instance <= limit (< with draft 4's `exclusiveMaximum: true`)."""
    if _boolean_exclusive(node, "exclusiveMaximum"):
        _bound(node, "maximum", ">=", "less than")
    else:
        _bound(node, "maximum", ">", "less than or equal to")


def check_exclusive_minimum(node: Node, value: Any) -> None:
    """`exclusiveMinimum`: instance > limit (draft 4: a boolean modifying `minimum`)."""
    if node.dialect.boolean_exclusives:
        _boolean_exclusive(node, "exclusiveMinimum")
    else:
        _bound(node, "exclusiveMinimum", "<=", "greater than")


def check_exclusive_maximum(node: Node, value: Any) -> None:
    """`exclusiveMaximum`: instance < limit (draft 4: a boolean modifying `maximum`)."""
    if node.dialect.boolean_exclusives:
        _boolean_exclusive(node, "exclusiveMaximum")
    else:
        _bound(node, "exclusiveMaximum", ">=", "less than")


def check_multiple_of(node: Node, value: Any) -> None:
    """`multipleOf`: exact for integers; decimal-exact (via Fraction) for fractional divisors."""
    divisor = expect_number(node, "multipleOf")
    if divisor <= 0:
        raise SchemaCompileError(node.at("multipleOf"), "multipleOf must be greater than 0")
    if isinstance(divisor, float) and divisor.is_integer():
        divisor = int(divisor)
    if isinstance(divisor, int):
        # `%` by an int is exact for ints and for floats alike (floats are binary fractions).
        condition = f"{node.value} % {divisor} != 0"
    else:
        constant = node.constant(
            "MULTIPLE_OF", f"Fraction({string_literal(repr(divisor))})", ("fractions:Fraction",)
        )
        condition = f"not {node.compiler.helper('_is_multiple_of')}({node.value}, {constant})"
    description = string_literal(f"must be a multiple of {number_text(divisor)}")
    node.fail_if(condition, node.at("multipleOf"), "multipleOf", description)


def check_ref(node: Node, value: Any) -> None:
    """`$ref`: call the one function compiled for the target (recursion stays a call)."""
    node.call(node.compiler.resolve_reference(value, node.pointer))


def check_dynamic_ref(node: Node, value: Any) -> None:
    """`$dynamicRef` (2020-12): a call of the function compiled for the target this dynamic
    scope gives (each scope that can change a target has its own functions)."""
    node.call(node.compiler.resolve_dynamic(node.scope, value, node.pointer, "$dynamicRef"))


def check_recursive_ref(node: Node, value: Any) -> None:
    """`$recursiveRef` (2019-09): as `$dynamicRef`, with `$recursiveAnchor` runs."""
    node.call(node.compiler.resolve_dynamic(node.scope, value, node.pointer, "$recursiveRef"))


def check_all_of(node: Node, value: Any) -> None:
    """`allOf`: every subschema applies inline, reporting its own errors."""
    for index, schema in enumerate(expect_schema_list(node, "allOf")):
        node.apply(schema, node.at("allOf", index), rule="allOf")


def _predicates(node: Node, keyword: str, schemas: list[Any]) -> list[str]:
    """Boolean expressions, one per subschema of anyOf/oneOf (the checking pass also records
    the calls that explain a failure in the error walks)."""
    if node.fast and node.compiler.checking and node.compiler.explain_branches:
        for index, schema in enumerate(schemas):
            if not isinstance(schema, bool):
                node.compiler.note_explanation(node.scope, node.at(keyword, index), node.target)
    return [node.predicate(node.at(keyword, index), node.value) for index in range(len(schemas))]


def _check_all(node: Node, keyword: str, schemas: list[Any]) -> None:
    """Subschemas whose verdict cannot matter still compile (in the checking pass)."""
    for index, schema in enumerate(schemas):
        node.compiler.check_only(node.scope, schema, node.at(keyword, index))


def _calls(expression: str) -> int:
    """How many compiled functions an expression calls (a rough cost)."""
    return expression.count("_is_valid_")


def check_any_of(node: Node, value: Any) -> None:
    """`anyOf`: at least one subschema accepts the instance."""
    schemas = expect_schema_list(node, "anyOf")
    if any(schema is True for schema in schemas):
        _check_all(node, "anyOf", schemas)
        return
    description = string_literal("must match at least one schema in anyOf")
    predicates = _predicates(node, "anyOf", schemas)
    if "True" in predicates:
        return
    # Any order gives the same verdict: inline tests (`x is None`) go before function calls.
    live = sorted(
        (index for index, item in enumerate(predicates) if item != "False"),
        key=lambda index: _calls(predicates[index]),
    )
    if not live:
        # Known types may settle every branch here and not in the error walk, which explains
        # them: the same description in both, so validate's error is iter_errors' first.
        node.fail(node.at("anyOf"), "anyOf", _why(node, "anyOf", schemas, description))
        return
    terms = [predicates[index] for index in live]
    if node.scope.defers:
        # Once the last branch is tried, its verdict is the anyOf's: it may defer formats.
        terms[-1] = node.predicate(node.at("anyOf", live[-1]), node.value, tail=True)
    if node.fast and _calls(terms[-1]) and _inline_last(node, schemas[live[-1]], live, terms):
        return
    description = _why(node, "anyOf", schemas, description)
    node.fail_if(negate(" or ".join(terms)), node.at("anyOf"), "anyOf", description)


def _why(node: Node, keyword: str, schemas: list[Any], description: str) -> str:
    """Error walks: the description, then why each branch failed (or which ones matched),
    from each branch's first error; built only when the check fails."""
    if node.fast or not node.compiler.explain_branches:
        return description
    failures = []
    for index, schema in enumerate(schemas):
        if isinstance(schema, bool):
            failures.append("None" if schema else string_literal("is not allowed"))
        else:
            # Called through the deferred functions: only an error needs the explanation, so
            # the functions only explanations call are compiled when one is first built.
            where = node.compiler.explanation_location(node.scope, node.at(keyword, index))
            call = node.compiler.call(node.scope, where, Variant.FIRST, node.target)
            deferred = node.compiler.defer_functions
            failures.append(f"{DEFERRED_FUNCTIONS}.{call}" if deferred else call)
    return f"{node.compiler.helper('_why')}({description}, ({', '.join(failures)},))"


def _inline_last(node: Node, schema: Any, live: list[int], terms: list[str]) -> bool:
    """Boolean walk: `if not (<other branches>):` then the last branch's body, when that body
    has the call of a `$ref` target inlined (its `return False` is the anyOf's failure)."""
    writer, counters = node.scope.writer, dict(node.scope.counters)
    with node.scope.capture() as body:
        node.apply(schema, node.at("anyOf", live[-1]))
    if len(body.lines) <= 2:  # `if not <call>:` / `return False`: the expression form is as fast
        node.scope.counters = counters
        return False
    if len(terms) > 1:
        writer.add_block(f"if {negate(' or '.join(terms[:-1]))}:", body)
    else:
        writer.add_lines(body)
    return True


def check_one_of(node: Node, value: Any) -> None:
    """`oneOf`: exactly one subschema accepts the instance."""
    schemas = expect_schema_list(node, "oneOf")
    description = string_literal("must match exactly one schema in oneOf")
    if sum(schema is True for schema in schemas) > 1:
        _check_all(node, "oneOf", schemas)
        node.fail(node.at("oneOf"), "oneOf", description)
        return
    predicates = _predicates(node, "oneOf", schemas)
    always = predicates.count("True")
    live = [item for item in predicates if item not in {"True", "False"}]
    if always > 1 or (always == 0 and not live):
        # Known types may settle the branches here and not in the error walk, which explains
        # them: the same description in both, so validate's error is iter_errors' first.
        node.fail(node.at("oneOf"), "oneOf", _why(node, "oneOf", schemas, description))
        return
    if always == 1:
        condition = " or ".join(live)  # the always-true branch must be the only match
    else:
        condition = negate(live[0]) if len(live) == 1 else " + ".join(map(operand, live)) + " != 1"
    if condition:
        description = _why(node, "oneOf", schemas, description)
        node.fail_if(condition, node.at("oneOf"), "oneOf", description)


def check_not(node: Node, value: Any) -> None:
    """`not`: the subschema must reject the instance."""
    expect_schema(value, node.at("not"))
    predicate = node.predicate(node.at("not"), node.value)
    description = string_literal("must not match the schema in not")
    if predicate == "True":
        node.fail(node.at("not"), "not", description)
    elif predicate != "False":
        node.fail_if(predicate, node.at("not"), "not", description)


def check_if(node: Node, value: Any) -> None:
    """`if`/`then`/`else`: `then` applies when `if` accepts the instance, `else` otherwise."""
    expect_schema(value, node.at("if"))
    branches = {word: node.schema[word] for word in ("then", "else") if word in node.schema}
    never = {True: "else", False: "then"}.get(value) if isinstance(value, bool) else None
    bodies: dict[str, CodeWriter] = {}
    for word, schema in branches.items():
        expect_schema(schema, node.at(word))
        if word == never:
            node.compiler.check_only(node.scope, schema, node.at(word))
            continue
        with node.scope.capture() as body:
            node.apply(schema, node.at(word), rule=word)
        if body.lines:
            bodies[word] = body
    if isinstance(value, bool) or not bodies:
        node.compiler.check_only(node.scope, value, node.at("if"))
        for body in bodies.values():
            node.scope.writer.add_lines(body)
        return
    predicate = node.predicate(node.at("if"), node.value)
    if len(bodies) == 2:
        matched = node.scope.variable("matched")
        node.scope.writer.line(f"{matched} = {predicate}")
        predicate = matched
    if "then" in bodies:
        node.scope.writer.add_block(f"if {predicate}:", bodies["then"])
    if "else" in bodies:
        node.scope.writer.add_block(f"if {negate(predicate)}:", bodies["else"])


def _check_unconditional(node: Node, word: str) -> None:
    """`then`/`else` without `if` never apply, but must still compile."""
    schema = expect_schema(node.schema[word], node.at(word))
    if "if" not in node.schema:
        node.compiler.check_only(node.scope, schema, node.at(word))


def check_then(node: Node, value: Any) -> None:
    """`then`: applied by `check_if`."""
    _check_unconditional(node, "then")


def check_else(node: Node, value: Any) -> None:
    """`else`: applied by `check_if`."""
    _check_unconditional(node, "else")


def check_defs(node: Node, value: Any) -> None:
    """`$defs` / `definitions`: not applied here; each compiles where it is referenced."""
    keyword = "$defs" if "$defs" in node.schema and node.schema["$defs"] is value else "definitions"
    if not isinstance(value, dict):
        raise SchemaCompileError(node.at(keyword), f"{keyword} must be an object of schemas")
    known = keyword in node.dialect.keywords
    for name, schema in value.items():
        if not known and not isinstance(schema, dict | bool):
            # A keyword of another draft (`$defs` in draft 7) is an annotation here: its members
            # need not be schemas (only one a `$ref` names, which is checked where it is used).
            continue
        expect_schema(schema, node.at(keyword, name))
        node.compiler.check_only(node.scope, schema, node.at(keyword, name))


def check_min_contains(node: Node, value: Any) -> None:
    """`minContains`: validated here, applied by `contains`."""
    expect_count(node, "minContains")


def check_max_contains(node: Node, value: Any) -> None:
    """`maxContains`: validated here, applied by `contains`."""
    expect_count(node, "maxContains")
