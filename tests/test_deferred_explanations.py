"""Functions compiled on first call (issue 17 item 6).

The standalone compiler writes every function into the module as source
(`_DEFERRED = _Deferred({name: source})`) and each is compiled when first called: loading
reads strings, and a run compiles what its instances reach (the branch explanations, which
say why anyOf/oneOf branches failed, only once an error needs them). The messages must be
those of the same functions compiled up front (`unfold`).
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


def _compiled_functions(module: types.ModuleType) -> set[str]:
    """Deferred functions compiled so far (the others are still bound to their stand-ins)."""
    stand_ins = module._DEFERRED.stand_ins
    return {name for name, stand_in in stand_ins.items() if vars(module)[name] is not stand_in}


def test_functions_are_compiled_when_first_called() -> None:
    source = compile_schema(SCHEMA)
    deferred = set(deferred_sources(source))
    # The two walks of the root and of `tag`, and the four branch explanations (branches 1
    # and 2, the nested oneOf's branches); `tag`'s boolean function is inlined.
    assert deferred == {
        "_first_error_root",
        "_errors_root",
        "_first_error_tag",
        "_errors_tag",
        "_first_error_item_one_of_1",
        "_first_error_item_one_of_2",
        "_first_error_item_one_of_1_size_one_of_0",
        "_first_error_item_one_of_1_size_one_of_1",
    } | {name for name in deferred if name.startswith("_is_valid_")}, deferred
    assert not unused_names(source)
    module = load(source)
    assert not _compiled_functions(module), "compiled at load"
    module.validate({"tag": "ab", "item": "abc"})
    # validate's walk and the boolean functions its oneOf calls; no error walk, no explanation.
    assert _compiled_functions(module) == {
        "_first_error_root",
        "_first_error_tag",
        "_is_valid_tag",
        "_is_valid_item_one_of_1",
        "_is_valid_item_one_of_2",
    }
    assert errors_of(module, {"tag": "a"})[0].rule == "minLength"
    explanations = {name for name in deferred if name.startswith("_first_error_item")}
    assert not explanations & _compiled_functions(module), "compiled before an error needed them"

    # Each is compiled when an explanation first calls it: not the nested oneOf's branches yet.
    [error] = errors_of(module, {"item": 5})
    assert str(error) == (
        "item: must match exactly one schema in oneOf (0: item: must be a string;"
        " 1: item: must be an object; 2: item: must be an array)"
    )
    compiled_now = explanations & _compiled_functions(module)
    assert len(compiled_now) == 2 and not any("size" in name for name in compiled_now)

    errors = errors_of(module, {"item": {"size": 1.5}})
    assert [str(error) for error in errors] == [
        "item: must match exactly one schema in oneOf (0: item: must be a string;"
        " 1: item.size: must match exactly one schema in oneOf (0: item.size: must be an i...;"
        " 2: item: must be an array)"
    ]
    assert explanations <= _compiled_functions(module)


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


def _first_error(branch: Any, instance: Any) -> Any:
    """What explaining `branch` on {"b": instance} says: its first error (None if it matches)."""
    if isinstance(branch, bool):
        return None if branch else "is not allowed"
    module = load(compile_schema({"properties": {"b": branch}}))
    return next(module.iter_errors({"b": instance}), None)


@given(
    branches=st.lists(RANDOM_SCHEMAS, min_size=2, max_size=3),
    keyword=st.sampled_from(["anyOf", "oneOf"]),
    instance=JSON_VALUES,
)
def test_equal_branches_share_explanations_that_say_what_their_own_would(
    branches: list[Any], keyword: str, instance: Any
) -> None:
    # The branches of `b` are explained by the functions compiled for the equal branches of `a`
    # (their schema locations differ; an explanation keeps the messages only): b's error must
    # say, for each branch, that branch's own first error.
    source = compile_schema({"properties": {"a": {keyword: branches}, "b": {keyword: branches}}})
    explaining_b = [name for name in deferred_sources(source) if name.startswith("_first_error_b_")]
    assert not explaining_b, explaining_b
    module = load(source)
    where = f"#/properties/b/{keyword}"
    found = [error for error in errors_of(module, {"b": instance}) if error.schema_path == where]
    if found:
        [error] = found
        description = "must match " + ("at least" if keyword == "anyOf" else "exactly")
        description += f" one schema in {keyword}"
        failures = tuple(_first_error(branch, instance) for branch in branches)
        assert error.description == module._why(description, failures), (branches, instance)
