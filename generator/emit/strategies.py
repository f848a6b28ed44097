"""Emit stage: IR -> `<package>/strategies.py`, one Hypothesis strategy function per schema.

The strategies are built from the portable schema bundle (`api.schema_bundle`), the same
schemas the validators are compiled from, by `strategy_builder`; this module names the
functions, collects imports and helpers, and renders `templates/client/strategies.py.jinja`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import jinja2

from generator.emit.client import template_environment
from generator.errors import SchemaCompileError, join_pointer
from generator.ir.model import Api
from generator.ir.schema import BUNDLE_PREFIX
from generator.names import UniqueNames
from generator.strategies.builder import UNBOUNDED_EXTRA_ITEMS, StrategyBuilder

# Names the generated module defines or imports; strategy functions may not take them.
MODULE_NAMES = frozenset(
    {"st", "provisional", "cache", "copy", "re", "Any", "Mapping", "SearchStrategy", "error"}
)
# Hints for components whose instances all have one JSON type; others are `Any`.
RETURN_HINTS = {
    frozenset({"object"}): "dict[str, Any]",
    frozenset({"array"}): "list[Any]",
    frozenset({"string"}): "str",
    frozenset({"boolean"}): "bool",
    frozenset({"integer"}): "int",
    frozenset({"null"}): "None",
}
# Helper blocks of the template that use `Any` / `Mapping` in their signatures.
_HELPERS_USING_ANY = frozenset({"json_values", "objects", "unique_key", "prefixed"})


@dataclass(frozen=True)
class StrategyFunction:
    """One public strategy function: its name, component, docstring text, hint and body."""

    name: str
    component: str
    summary: str
    return_hint: str
    expression: str


def strategy_function_names(api: Api) -> dict[str, str]:
    """`$defs` name -> function name: the schema file's name, as in `validate_<name>`."""
    file_names = {schema_file.entry: schema_file.name for schema_file in api.schema_files}
    taken = UniqueNames(MODULE_NAMES)
    return {
        component: taken.identifier(file_names.get(component, component))
        for component in sorted(api.schema_bundle["$defs"])
    }


def strategy_functions(
    api: Api, builder: StrategyBuilder, notes: list[SchemaCompileError] | None = None
) -> list[StrategyFunction]:
    """One function per `$defs` component, sorted by name (the output must be deterministic).

    `notes` receives, for each component drawn loosely (or not at all), why: the command line
    prints them as warnings located in the spec."""
    functions = []
    checks = {schema_file.entry: schema_file.name for schema_file in api.schema_files}
    for component, name in sorted(builder.function_names.items(), key=lambda item: item[1]):
        schema = api.schema_bundle["$defs"][component]
        pointer = join_pointer(BUNDLE_PREFIX.rstrip("/"), component)
        types = builder.json_types(schema)
        summary = f"Valid instances of the {component} schema."
        try:
            expression = builder.strategy(schema, pointer)
        except SchemaCompileError as error:
            if component not in checks:
                raise
            # A schema the emitter cannot draw exactly (`not`, `if`, a merge it cannot make)
            # must not stop the generation: its draws go through its validator instead.
            expression, summary = fallback(builder, schema, component, checks[component], error)
            if notes is not None:
                outcome = (
                    "draw nothing for it"
                    if expression == "st.nothing()"
                    else "draw it loosely and keep what its validator accepts"
                )
                notes.append(
                    SchemaCompileError(
                        error.pointer,
                        f"{error.message}: the test strategies for {component} {outcome}",
                    )
                )
        hint = RETURN_HINTS.get(types or frozenset(), "Any")
        functions.append(StrategyFunction(name, component, summary, hint, expression))
    # Merged schemas drawn in more than one place (or that include themselves): private helpers.
    for name, expression in builder.merged_functions.items():
        summary = "Valid instances of a schema merged from allOf branches or $ref siblings."
        functions.append(StrategyFunction(name, "", summary, "Any", expression))
    return functions


def fallback(
    builder: StrategyBuilder, schema: Any, component: str, check: str, error: SchemaCompileError
) -> tuple[str, str]:
    """(expression, docstring) for a schema the strict emitter refused: relaxed draws filtered
    through the schema's validator, or no draws at all when even that cannot be built."""
    reason = f"{error.pointer}: {error.message}"
    try:
        pointer = join_pointer(BUNDLE_PREFIX.rstrip("/"), component)
        expression = builder.relaxed_strategy(schema, pointer, check)
    except SchemaCompileError as second:
        summary = f"No instances: the schema allows none that can be drawn ({second.pointer}: {second.message})."
        return "st.nothing()", summary
    summary = f"Valid instances of the {component} schema, drawn loosely and kept when its validator accepts them ({reason})."
    return expression, summary


def module_imports(
    builder: StrategyBuilder, functions: list[StrategyFunction]
) -> dict[str, list[str]]:
    """Import lines: the standard library's, and Hypothesis's (which the template guards)."""
    standard = {"from functools import cache"}
    standard.update(line for line in builder.imports if not line.startswith("from hypothesis"))
    if builder.helpers & _HELPERS_USING_ANY or any("Any" in f.return_hint for f in functions):
        standard.add("from typing import Any")
    if "objects" in builder.helpers:
        standard.add("from collections.abc import Mapping")
    hypothesis = {
        "from hypothesis import strategies as st",
        "from hypothesis.strategies import SearchStrategy",
    }
    hypothesis.update(line for line in builder.imports if line.startswith("from hypothesis"))
    return {"standard": sorted(standard, key=_import_key), "hypothesis": sorted(hypothesis)}


def _import_key(line: str) -> tuple[bool, str]:
    """isort order: `import x` lines before `from x import y` lines, each alphabetical."""
    return line.startswith("from "), line


def example_function(api: Api, builder: StrategyBuilder) -> str:
    """The strategy the module docstring shows: the first operation's request body's."""
    bodies = [
        api.model(operation.body_model) for operation in api.operations if operation.body_model
    ]
    for model in bodies:
        pointer = model.schema_pointer
        # A body model inside a definition (an object in a body's `allOf`) has no function.
        if pointer.startswith(BUNDLE_PREFIX) and builder.nested(pointer) is None:
            return builder.function_names[builder.component(pointer, pointer)]
    return min(builder.function_names.values(), default="")


def emit_strategies(
    api: Api,
    bytecode_cache: jinja2.BytecodeCache | None = None,
    notes: list[SchemaCompileError] | None = None,
) -> dict[PurePosixPath, str]:
    """`<package>/strategies.py`: path -> unformatted text (`notes`: see `strategy_functions`)."""
    builder = StrategyBuilder(
        api.schema_bundle,
        strategy_function_names(api),
        one_of_checks={pointer: name for name, pointer in api.one_of_checks},
    )
    functions = strategy_functions(api, builder, notes)
    context = {
        "api": api,
        "package": api.package,
        "distribution": api.distribution,
        "functions": functions,
        "helpers": sorted(builder.helpers),
        "imports": module_imports(builder, functions),
        "validator_imports": sorted(builder.validator_imports),
        "exports": sorted(function.name for function in functions if function.component),
        "example": example_function(api, builder),
        "unbounded_extra_items": UNBOUNDED_EXTRA_ITEMS,
    }
    template = template_environment(bytecode_cache).get_template("client/strategies.py.jinja")
    return {strategies_path(api): template.render(context)}


def strategies_path(api: Api) -> PurePosixPath:
    """`<package>/strategies.py`."""
    return PurePosixPath(api.package, "strategies.py")
