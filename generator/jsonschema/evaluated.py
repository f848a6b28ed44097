"""`unevaluatedProperties` / `unevaluatedItems`: annotation tracking, compiled.

The keys (indexes) a schema evaluates are those its `properties`, `patternProperties`,
`additionalProperties` (`prefixItems`, `items`, `additionalItems`, 2020-12's `contains`) touch,
plus those of the in-place subschemas that *accept* the instance: every `allOf` branch, the
`anyOf`/`oneOf` branches that match, `if` with `then` or `else` as `if` decides,
`dependentSchemas` of present keys, and `$ref`/`$dynamicRef`/`$recursiveRef` targets. Nested
`unevaluated*` (and `additionalProperties`, `items`) evaluate everything left.

Nothing is interpreted at run time: for each schema whose siblings an `unevaluated*` needs,
one function `_evaluated_properties_<name>(data) -> set[str]` (`_evaluated_items_<name>(data)
-> set[int]`) is emitted; it asks the boolean walk (`_is_valid_<branch>`) only where a verdict
decides (anyOf, oneOf, if, contains), and a subschema that can evaluate nothing is skipped at
compile time. An invalid sibling makes the instance invalid anyway, so the set it yields for an
instance that fails elsewhere never changes a verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from generator.errors import join_pointer
from generator.jsonschema.checks import expect_pattern
from generator.jsonschema.node import Compiler, Scope, Target, Variant
from generator.jsonschema.resources import Resources
from generator.jsonschema.writer import CodeWriter, comment_text, string_literal


class ModuleCompiler(Compiler, Protocol):
    """What annotation functions need from the module compiler (`validator_compiler`)."""

    resources: Resources
    evaluation: Evaluation

    def function_key(self, scope: Scope, pointer: str) -> str:
        """Key of the function a call from `scope` runs for the subschema at `pointer`."""

    def function_name(self, pointer: str, variant: Variant) -> str:
        """Name of the function compiled for a key, queued for compiling."""


PROPERTIES, ITEMS = Variant.PROPERTIES, Variant.ITEMS
# Keywords that evaluate members themselves, per kind.
_OWN = {
    PROPERTIES: (
        "properties",
        "patternProperties",
        "additionalProperties",
        "unevaluatedProperties",
    ),
    ITEMS: ("prefixItems", "items", "additionalItems", "unevaluatedItems", "contains"),
}
# Keywords after which nothing is left unevaluated (once the schema accepts the instance).
_ALL = {
    PROPERTIES: ("additionalProperties", "unevaluatedProperties"),
    ITEMS: ("unevaluatedItems",),
}
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_REFERENCES = ("$ref", "$dynamicRef", "$recursiveRef")


class Evaluation:
    """Which subschemas can evaluate members (memoised), and the call expressions for them."""

    def __init__(self, compiler: ModuleCompiler) -> None:
        self.compiler = compiler
        self.memo: dict[tuple[str, Variant], bool] = {}

    def keywords(self, pointer: str, schema: dict[str, Any]) -> list[str]:
        """The keywords of `schema` its dialect gives a meaning."""
        dialect = self.compiler.dialect_at(pointer)
        if dialect.ref_overrides and "$ref" in schema:
            return ["$ref"]
        return [keyword for keyword in schema if keyword in dialect.keywords]

    def may_evaluate(self, pointer: str, kind: Variant, siblings: bool = False) -> bool:
        """Whether the subschema at `pointer` can evaluate any member (static, conservative).

        `siblings`: leave out the schema's own `unevaluated*` (what that keyword consults).
        """
        memo_key = (pointer, kind)
        if not siblings and memo_key in self.memo:
            return self.memo[memo_key]
        if not siblings:
            self.memo[memo_key] = False  # a cycle back here adds nothing
        schema = self.compiler.schema_at(pointer)
        result = isinstance(schema, dict) and self._may_evaluate(pointer, schema, kind, siblings)
        if not siblings:
            self.memo[memo_key] = result
        return result

    def _may_evaluate(
        self, pointer: str, schema: dict[str, Any], kind: Variant, siblings: bool
    ) -> bool:
        own = [word for word in _OWN[kind] if not (siblings and word.startswith("unevaluated"))]
        if kind is ITEMS and not self.compiler.dialect_at(pointer).contains_annotations:
            own = [word for word in own if word != "contains"]
        for keyword in self.keywords(pointer, schema):
            if keyword in own:
                return True
            if keyword in ("$dynamicRef", "$recursiveRef"):
                return True  # the target depends on the dynamic scope
            if any(self.may_evaluate(where, kind) for where in self.in_place(pointer, keyword)):
                return True
        return False

    def in_place(self, pointer: str, keyword: str) -> list[str]:
        """Locations of the in-place subschemas under one keyword (static `$ref` resolved)."""
        value = self.compiler.schema_at(join_pointer(pointer, keyword))
        if keyword == "$ref":
            return [self.compiler.resolve_reference(value, pointer)]
        if keyword in _IN_PLACE_LISTS and isinstance(value, list):
            return [join_pointer(pointer, keyword, index) for index in range(len(value))]
        if keyword in ("if", "then", "else", "not"):
            return [join_pointer(pointer, keyword)] if keyword != "not" else []
        if keyword == "dependentSchemas" and isinstance(value, dict):
            return [join_pointer(pointer, keyword, name) for name in value]
        return []

    def full(self, scope: Scope, pointer: str, kind: Variant, data: str) -> str | None:
        """Expression for what the subschema at `pointer` evaluates of `data` when it accepts
        it, or None when it evaluates nothing."""
        schema = self.compiler.schema_at(pointer)
        if not isinstance(schema, dict):
            return None
        keywords = self.keywords(pointer, schema)
        if any(keyword in keywords for keyword in _ALL[kind]) or (
            kind is ITEMS and _evaluates_every_item(schema, keywords)
        ):
            return f"set({data})" if kind is PROPERTIES else f"set(range(len({data})))"
        if not self.may_evaluate(pointer, kind):
            return None
        return self.call(scope, pointer, kind, data)

    def call(self, scope: Scope, pointer: str, kind: Variant, data: str) -> str:
        """Call of the annotation function for the subschema at `pointer` (its siblings)."""
        key = self.compiler.function_key(scope, pointer)
        return f"{self.compiler.function_name(key, kind)}({data})"


def _evaluates_every_item(schema: dict[str, Any], keywords: list[str]) -> bool:
    """`items` as one schema (after any prefix), or `additionalItems` after an items array."""
    if "items" in keywords and not isinstance(schema["items"], list):
        return True
    return "additionalItems" in keywords and isinstance(schema.get("items"), list)


def function_lines(compiler: ModuleCompiler, key: str, kind: Variant) -> list[str]:
    """Source of `_evaluated_properties_<name>` / `_evaluated_items_<name>` for a function key."""
    location, context = compiler.resources.unkey(key)
    scope = Scope(compiler, Variant.FAST, key, CodeWriter(1), False, context=context)
    schema = compiler.schema_at(location)
    emitter = _Emitter(scope, compiler.evaluation, location, schema, kind)
    keywords = compiler.evaluation.keywords(location, schema)
    everything = _ALL[kind][:-1]  # the schema's own unevaluated* is what consults this
    if any(keyword in keywords for keyword in everything) or (
        kind is ITEMS and _evaluates_every_item(schema, keywords)
    ):
        scope.writer.line(
            "return set(data)" if kind is PROPERTIES else "return set(range(len(data)))"
        )
        keywords = []
    for keyword in keywords:
        handler = _HANDLERS.get((kind, keyword)) or _HANDLERS.get((None, keyword))
        if handler is not None:
            handler(emitter)
    name = compiler.function_name(key, kind)
    returns = "set[str]" if kind is PROPERTIES else "set[int]"
    where = comment_text(location)
    noun = "keys" if kind is PROPERTIES else "indexes"
    head = [
        f"def {name}(data: Any) -> {returns}:",
        f'    """The {noun} of data that {where} evaluates (when data is valid against it)."""',
    ]
    if not keywords:
        return [*head, *scope.writer.lines]
    body = [f"    evaluated: {returns} = set()", *scope.writer.lines, "    return evaluated"]
    return [*head, *body]


@dataclass
class _Emitter:
    """One annotation function being written: the schema and where its lines go."""

    scope: Scope
    evaluation: Evaluation
    location: str
    schema: dict[str, Any]
    kind: Variant

    def add(self, pointer: str, condition: str = "") -> None:
        """`evaluated.update(<what pointer evaluates>)`, under `condition` when there is one."""
        part = self.evaluation.full(self.scope, pointer, self.kind, "data")
        if part is None:
            return
        if condition:
            self.scope.writer.line(f"if {condition}:")
            self.scope.writer.line(f"    evaluated.update({part})")
        else:
            self.scope.writer.line(f"evaluated.update({part})")

    def valid(self, pointer: str) -> str:
        """Boolean expression: the subschema at `pointer` accepts `data`."""
        schema = self.scope.compiler.schema_at(pointer)
        if isinstance(schema, bool):
            return repr(schema)
        return self.scope.compiler.call(self.scope, pointer, Variant.FAST, Target("data"))

    def in_place(self, keyword: str) -> list[str]:
        """Locations of the in-place subschemas under `keyword`."""
        return self.evaluation.in_place(self.location, keyword)


def _properties(emitter: _Emitter) -> None:
    value = emitter.schema["properties"]
    if isinstance(value, dict) and value:
        names = ", ".join(string_literal(name) for name in sorted(value))
        known = emitter.scope.compiler.constant("_EVALUATED_KEYS", f"frozenset({{{names}}})")
        emitter.scope.writer.line(f"evaluated.update({known}.intersection(data))")


def _pattern_properties(emitter: _Emitter) -> None:
    for pattern in emitter.schema["patternProperties"]:
        where = join_pointer(emitter.location, "patternProperties", pattern)
        translated = expect_pattern(pattern, where)
        regex = emitter.scope.compiler.constant(
            "_PROPERTY_PATTERN", f"re.compile({string_literal(translated)})", ("re",)
        )
        emitter.scope.writer.line(f"evaluated.update(key for key in data if {regex}.search(key))")


def _prefix(keyword: str) -> Callable[[_Emitter], None]:
    def emit(emitter: _Emitter) -> None:
        value = emitter.schema[keyword]
        if isinstance(value, list):
            emitter.scope.writer.line(f"evaluated.update(range(min(len(data), {len(value)})))")

    return emit


def _contains(emitter: _Emitter) -> None:
    compiler = emitter.scope.compiler
    if compiler.dialect_at(emitter.location).contains_annotations:
        where = join_pointer(emitter.location, "contains")
        test = compiler.call(emitter.scope, where, Variant.FAST, Target("item"))
        emitter.scope.writer.line(
            f"evaluated.update(index for index, item in enumerate(data) if {test})"
        )


def _reference(keyword: str) -> Callable[[_Emitter], None]:
    def emit(emitter: _Emitter) -> None:
        compiler, value = emitter.scope.compiler, emitter.schema[keyword]
        if keyword == "$ref":
            target = compiler.resolve_reference(value, emitter.location)
        else:
            target = compiler.resolve_dynamic(emitter.scope, value, emitter.location, keyword)
        emitter.add(target)

    return emit


def _all_of(emitter: _Emitter) -> None:
    for where in emitter.in_place("allOf"):
        emitter.add(where)


def _matching(keyword: str) -> Callable[[_Emitter], None]:
    def emit(emitter: _Emitter) -> None:
        for where in emitter.in_place(keyword):
            emitter.add(where, emitter.valid(where))

    return emit


def _dependent_schemas(emitter: _Emitter) -> None:
    value = emitter.schema["dependentSchemas"]
    if isinstance(value, dict):
        for name in value:
            where = join_pointer(emitter.location, "dependentSchemas", name)
            emitter.add(where, f"{string_literal(name)} in data")


def _if(emitter: _Emitter) -> None:
    """`if` and `then` when `if` accepts the instance, `else` otherwise."""
    evaluation, scope, kind = emitter.evaluation, emitter.scope, emitter.kind
    words = {word: join_pointer(emitter.location, word) for word in ("if", "then", "else")}
    present = {word: word in emitter.schema for word in ("then", "else")}
    parts = [evaluation.full(scope, words["if"], kind, "data")]
    if present["then"]:
        parts.append(evaluation.full(scope, words["then"], kind, "data"))
    matched = [part for part in parts if part]
    otherwise = evaluation.full(scope, words["else"], kind, "data") if present["else"] else None
    if not matched and not otherwise:
        return
    condition = emitter.valid(words["if"])
    if matched:
        scope.writer.line(f"if {condition}:")
        for part in matched:
            scope.writer.line(f"    evaluated.update({part})")
    if otherwise:
        scope.writer.line("else:" if matched else f"if not {condition}:")
        scope.writer.line(f"    evaluated.update({otherwise})")


# (kind or None for both, keyword) -> what the keyword adds to the evaluated set.
_HANDLERS: dict[tuple[Variant | None, str], Callable[[_Emitter], None]] = {
    (PROPERTIES, "properties"): _properties,
    (PROPERTIES, "patternProperties"): _pattern_properties,
    (ITEMS, "prefixItems"): _prefix("prefixItems"),
    (ITEMS, "items"): _prefix("items"),
    (ITEMS, "contains"): _contains,
    (None, "$ref"): _reference("$ref"),
    (None, "$dynamicRef"): _reference("$dynamicRef"),
    (None, "$recursiveRef"): _reference("$recursiveRef"),
    (None, "allOf"): _all_of,
    (None, "anyOf"): _matching("anyOf"),
    (None, "oneOf"): _matching("oneOf"),
    (None, "if"): _if,
    (None, "dependentSchemas"): _dependent_schemas,
}
