"""Inlined `$ref` calls in the boolean walk: same verdicts and first errors, recursion still calls."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

import generator.jsonschema.compiler as validator_compiler
from generator.emit.validators import compile_validators
from tests.conftest import GENERATED
from tests.test_compile_schema import errors_of, load, unused_names

INNER = {
    "type": "object",
    "required": ["x"],
    "properties": {"x": {"type": "string", "format": "email"}, "y": {"type": "integer"}},
    "additionalProperties": False,
}
BUNDLE: dict[str, Any] = {
    "$defs": {
        "list": {
            "type": "object",
            "properties": {"value": {"type": "array", "items": {"$ref": "#/$defs/outer"}}},
        },
        "outer": {
            "type": "object",
            "properties": {
                "a": {"anyOf": [{"$ref": "#/$defs/inner"}, {"type": "null"}]},
                "b": {"$ref": "#/$defs/inner"},
                "t": {"$ref": "#/$defs/tree"},
            },
        },
        "inner": INNER,
        "tree": {
            "type": "object",
            "properties": {
                "children": {"type": "array", "items": {"$ref": "#/$defs/tree"}},
                "leaf": {"$ref": "#/$defs/inner"},
            },
        },
    }
}
ENTRIES = [("list", "#/$defs/list"), ("tree", "#/$defs/tree")]
GOOD = {"x": "a@example.com"}
INSTANCES: list[Any] = [
    {"value": []},
    {"value": [{}, {"a": None, "b": GOOD}, {"a": GOOD}]},
    {"value": [{}, {"a": {"x": "no-at-sign"}}]},
    {"value": [{}, {"a": {"x": "a@example.com", "z": 1}}]},
    {"value": [{}, {"b": None}]},
    {"value": [{}, {"b": {"y": 1}}]},
    {"value": [{}, {"b": {"x": "a@example.com", "y": "1"}}, {"b": {"x": "bad"}}]},
    {"value": [{}, {"a": [], "b": GOOD}]},
    {"value": [{}, {"b": {"x": "bad"}}, {"a": {"x": 1}}]},
    {"value": [{}, {"t": {"children": [{"leaf": GOOD}, {"leaf": {"x": "bad"}}]}}]},
    {"value": [{}, {"t": {"children": [{"leaf": GOOD}]}, "b": GOOD}]},
]


def _function(source: str, name: str) -> str:
    match = re.search(rf"^def {name}\(.*?(?=^def |\Z)", source, re.MULTILINE | re.DOTALL)
    assert match is not None, name
    return match.group(0)


def test_small_reference_targets_are_written_in_place_of_their_call() -> None:
    source = compile_validators(BUNDLE, ENTRIES)
    outer = _function(source, "_is_valid_outer")
    assert "_is_valid_inner" not in outer
    assert outer.count("return False") > 4
    assert not unused_names(source)


def test_no_body_is_written_in_place_with_a_bound_of_zero() -> None:
    source = compile_validators(BUNDLE, ENTRIES, inline_lines=0)
    outer = _function(source, "_is_valid_outer")
    assert "_is_valid_inner(" in outer
    assert "_is_email" not in outer  # the inner schema's format check stays in its function
    assert not unused_names(source)


def test_the_generated_package_calls_every_reference() -> None:
    # The package's validators keep each `$ref` a call (pipeline.emit_validators: in-place
    # bodies made the walk no faster and a third of validators.py's black time).
    text = (GENERATED / "graph_invite" / "validators.py").read_text(encoding="utf-8")
    permission = _function(text, "_is_valid_permission")
    assert "_is_valid_identity_set(" in permission
    assert "_is_valid_item_reference(" in permission


def test_recursion_stays_a_call() -> None:
    source = compile_validators(BUNDLE, ENTRIES)
    assert re.search(r"_is_valid_tree\(value_\d+, 0", _function(source, "_is_valid_outer"))
    assert "_is_valid_tree(item_1, depth + 1" in _function(source, "_is_valid_tree")


def test_a_body_over_the_bound_stays_a_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validator_compiler, "MAX_INLINE_LINES", 3)
    source = compile_validators(BUNDLE, ENTRIES)
    assert "_is_valid_inner(" in _function(source, "_is_valid_outer")
    assert not unused_names(source)


@pytest.mark.parametrize("bound", [3, 200])
@pytest.mark.parametrize("instance", INSTANCES, ids=range(len(INSTANCES)))
def test_inlined_and_called_give_the_same_verdicts_and_errors(
    monkeypatch: pytest.MonkeyPatch, bound: int, instance: Any
) -> None:
    monkeypatch.setattr(validator_compiler, "MAX_INLINE_LINES", bound)
    module = load(compile_validators(BUNDLE, ENTRIES))
    schema = {**BUNDLE, "$ref": "#/$defs/list"}
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    expected = jsonschema.Draft202012Validator(schema, format_checker=checker).is_valid(instance)
    errors = errors_of(module, json.loads(json.dumps(instance)), "_list")
    assert (not errors) == expected
    monkeypatch.setattr(validator_compiler, "MAX_INLINE_LINES", 0)
    called = errors_of(load(compile_validators(BUNDLE, ENTRIES)), instance, "_list")
    assert [(e.path, e.message) for e in errors] == [(e.path, e.message) for e in called]


def test_deep_trees_hit_the_depth_limit_as_before() -> None:
    module = load(compile_validators(BUNDLE, ENTRIES))
    tree: dict[str, Any] = {"leaf": GOOD}
    for _ in range(600):
        tree = {"children": [{}, tree]}
    assert errors_of(module, tree, "_tree")
    assert not errors_of(module, {"children": [{}, {"leaf": GOOD}]}, "_tree")
