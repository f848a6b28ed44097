"""Branch explanations compiled on first use (issue 17 item 6).

The first-error functions that only say why anyOf/oneOf branches failed are written into the
module as source (`_DEFERRED = _Deferred({name: source})`) and each is compiled when an error
first calls it: the messages must be those of the same functions compiled up front (`unfold`).
"""

from __future__ import annotations

import types
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.emit.validators import compile_schema
from tests.test_compile_schema import (
    JSON_VALUES,
    RANDOM_SCHEMAS,
    deferred_sources,
    errors_of,
    load,
    unfold,
    unused_names,
)

# `tag` is a shared definition: the main code checks it (properties) and a branch explains with
# it; the branches are inline objects with a nested oneOf, so deferred code calls deferred code.
SCHEMA: dict[str, Any] = {
    "$defs": {"tag": {"type": "string", "minLength": 2}},
    "type": "object",
    "properties": {
        "tag": {"$ref": "#/$defs/tag"},
        "item": {
            "oneOf": [
                {"$ref": "#/$defs/tag"},
                {
                    "type": "object",
                    "required": ["size"],
                    "properties": {
                        "size": {"oneOf": [{"type": "integer"}, {"enum": ["s", "m", "l"]}]}
                    },
                },
                {"type": "array", "items": {"type": "boolean"}},
            ]
        },
    },
}


def test_explanations_are_compiled_when_an_error_first_needs_them() -> None:
    source = compile_schema(SCHEMA)
    deferred = set(deferred_sources(source))
    # Branches 1 and 2 and the nested oneOf's branches; `tag`'s function is main code.
    assert len(deferred) == 4, deferred
    assert not any("tag" in name for name in deferred)
    assert not unused_names(source)
    module = load(source)
    assert errors_of(module, {"tag": "ab", "item": "abc"}) == []
    assert errors_of(module, {"tag": "a"})[0].rule == "minLength"
    assert not deferred & set(vars(module)), "compiled before an explanation needed them"

    # Each is compiled when an explanation first calls it: not the nested oneOf's branches yet.
    [error] = errors_of(module, {"item": 5})
    assert str(error) == (
        "item: must match exactly one schema in oneOf (0: item: must be a string;"
        " 1: item: must be an object; 2: item: must be an array)"
    )
    compiled_now = deferred & set(vars(module))
    assert len(compiled_now) == 2 and not any("size" in name for name in compiled_now)

    errors = errors_of(module, {"item": {"size": 1.5}})
    assert [str(error) for error in errors] == [
        "item: must match exactly one schema in oneOf (0: item: must be a string;"
        " 1: item.size: must match exactly one schema in oneOf (0: item.size: must be an i...;"
        " 2: item: must be an array)"
    ]
    assert deferred <= set(vars(module))


def _messages(module: types.ModuleType, instance: Any) -> list[str]:
    return [f"{error.schema_path} {error}" for error in errors_of(module, instance)]


@given(schema=RANDOM_SCHEMAS, instances=st.lists(JSON_VALUES, min_size=3, max_size=3))
def test_deferred_explanations_say_what_compiled_ones_say(
    schema: Any, instances: list[Any]
) -> None:
    source = compile_schema(schema)
    deferred, upfront = load(source), load(unfold(source))
    for instance in instances:
        assert _messages(deferred, instance) == _messages(upfront, instance), (schema, instance)
