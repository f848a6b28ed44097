"""The strategy emitter (`generator/emit_strategies.py` + `strategy_*.py`) and the generated
`graph_invite.strategies`: what they draw, what they refuse to emit, how they import.

- Coverage: the generated strategies reach the cases the contract tests need (2000-character
  messages, every enum value, unknown values of open enums, nulls, 7-digit `Z` date-times, each
  driveRecipient identifier alone, 200- and 207-style responses).
- Every keyword and format the emitter supports draws only valid instances, on a synthetic
  bundle that uses them all (recursion included), judged by the compiled validator and jsonschema.
- Unsupported keywords and unsatisfiable schemas are generation-time errors, never skipped.
- Hostile names still give a module that compiles; output is deterministic; nothing but
  `graph_invite.strategies` needs Hypothesis.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from types import ModuleType
from typing import Any

import graph_invite.strategies as strategies
import pytest
from graph_invite import PermissionRole, SharingLinkScope, SharingLinkType
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from generator.emit.strategies import emit_strategies, strategies_path
from generator.emit.validators import compile_validators
from generator.errors import SchemaCompileError
from generator.ir.model import Api
from generator.output.formatting import format_python
from generator.strategies.builder import StrategyBuilder
from tests.strategies_differential import run_property
from tests.strategies_models import spec_api

FIND_SETTINGS = settings(
    max_examples=1000,
    database=None,
    derandomize=True,
    phases=[Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def drawn(strategy: st.SearchStrategy[Any], condition: Callable[[Any], bool]) -> Any:
    """An example of `strategy` satisfying `condition` (NoSuchExample if none in 1000 draws)."""
    return find(strategy, condition, settings=FIND_SETTINGS)


# --------------------------------------------------------------------------------------------
# What the generated strategies reach


def message_length(request: dict[str, Any]) -> int:
    message = request.get("message")
    return len(message) if isinstance(message, str) else -1


@pytest.mark.parametrize("length", [0, 2000])
def test_request_messages_reach_both_boundary_lengths(length: int) -> None:
    drawn(strategies.invite_request(), lambda request: message_length(request) == length)


@pytest.mark.parametrize("present", ["absent", "null"])
def test_request_messages_are_also_absent_or_null(present: str) -> None:
    if present == "absent":
        drawn(strategies.invite_request(), lambda request: "message" not in request)
    else:
        drawn(strategies.invite_request(), lambda request: request.get("message", 0) is None)


@pytest.mark.parametrize("role", [role.value for role in PermissionRole])
def test_every_request_role_is_drawn(role: str) -> None:
    drawn(strategies.invite_request(), lambda request: role in request.get("roles", []))


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("type", {kind.value for kind in SharingLinkType}),
        ("scope", {s.value for s in SharingLinkScope}),
    ],
)
def test_open_link_enums_draw_every_value_and_unknown_ones(field: str, values: set[str]) -> None:
    for value in values:
        drawn(strategies.sharing_link(), lambda link, value=value: link.get(field) == value)
    drawn(strategies.sharing_link(), lambda link: field in link and link[field] not in values)


def test_response_roles_include_unknown_values() -> None:
    known = {role.value for role in PermissionRole}
    drawn(strategies.permission(), lambda item: any(r not in known for r in item.get("roles", [])))


def test_date_times_include_seven_fraction_digits_and_z() -> None:
    pattern = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")
    drawn(
        strategies.permission(),
        lambda item: pattern.fullmatch(item.get("expirationDateTime") or "") is not None,
    )


@pytest.mark.parametrize("identifier", ["email", "alias", "objectId"])
def test_each_recipient_identifier_is_drawn_alone(identifier: str) -> None:
    others = {"email", "alias", "objectId"} - {identifier}
    drawn(
        strategies.drive_recipient(),
        lambda recipient: identifier in recipient and not others & recipient.keys(),
    )


def test_nested_nulls_absences_and_unknown_properties_are_drawn() -> None:
    drawn(strategies.permission(), lambda item: item.get("grantedTo", 0) is None)
    drawn(strategies.permission(), lambda item: isinstance(item.get("grantedTo"), dict))
    drawn(strategies.permission(), lambda item: not item.keys() & {"grantedTo", "link"})
    known = {"@odata.type", "id", "roles", "link", "error", "invitation", "grantedTo"}
    drawn(strategies.identity(), lambda item: bool(item.keys() - {"@odata.type", "id"} - known))


def test_responses_come_in_200_and_207_shapes() -> None:
    def failed(response: dict[str, Any]) -> int:
        return sum(1 for item in response["value"] if item.get("error") is not None)

    drawn(strategies.invite_response(), lambda response: response["value"] and not failed(response))
    drawn(strategies.invite_response(), lambda response: failed(response) >= 1)


# --------------------------------------------------------------------------------------------
# Every supported keyword and format, on a synthetic bundle

FORMATS = ["date", "date-time", "time", "email", "hostname", "ipv4", "ipv6", "regex", "uri"]
FORMATS += ["uri-reference", "uuid"]
SYNTHETIC: dict[str, Any] = {
    "$defs": {
        "formats": {
            "type": "object",
            "additionalProperties": False,
            "required": FORMATS,
            "properties": {name: {"type": "string", "format": name} for name in FORMATS},
        },
        "numbers": {
            "type": "object",
            "required": ["count", "ratio"],
            "properties": {
                "count": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10},
                "ratio": {"type": "number", "exclusiveMinimum": 0, "maximum": 1.5},
                "any": {"type": "number"},
                "fraction": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
            },
        },
        "texts": {
            "type": "object",
            "properties": {
                "short": {"type": "string", "minLength": 2, "maxLength": 5},
                "exact": {"type": "string", "minLength": 3, "maxLength": 3},
                "code": {"type": "string", "pattern": "^[A-Z]{3}-\\d+$", "maxLength": 8},
                "stamp": {"type": "string", "format": "date-time", "maxLength": 30},
            },
        },
        "choice": {"oneOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "integer"}]},
        "constant": {"const": {"kind": ["fixed"]}},
        "base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        "merged": {
            "allOf": [
                {"$ref": "#/$defs/base"},
                {"required": ["flag"], "properties": {"flag": {"type": "boolean"}}},
            ]
        },
        "tree": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "label": {"type": ["string", "null"], "maxLength": 3},
                "children": {"type": "array", "items": {"$ref": "#/$defs/tree"}, "maxItems": 2},
            },
        },
        "pair": {"type": "array", "items": {"type": "boolean"}, "minItems": 2, "maxItems": 3},
        "typeless": {"required": ["a"], "anyOf": [{"required": ["b"]}, {"required": ["c"]}]},
        "anything": {},
        "mixed": {
            "type": ["string", "integer", "boolean", "null", "array", "object"],
            "maxLength": 2,
        },
        "extras": {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}},
        "multiples": {
            "type": "object",
            "required": ["even", "quarter", "step", "both"],
            "properties": {
                "even": {"type": "integer", "multipleOf": 2, "exclusiveMinimum": 0},
                "quarter": {"type": "number", "multipleOf": 0.25, "minimum": -1, "maximum": 1},
                "step": {"type": "integer", "multipleOf": 0.5},
                "both": {"allOf": [{"multipleOf": 0.5}, {"type": "number", "multipleOf": 0.2}]},
            },
        },
        "sized": {
            "type": "object",
            "minProperties": 2,
            "maxProperties": 3,
            "properties": {"a": {"type": "boolean"}, "b": {"type": "boolean"}},
        },
        "listed": {
            "type": "object",
            "required": ["code", "level"],
            "properties": {
                "code": {
                    "type": "string",
                    "pattern": "^a",
                    "enum": ["x", "ab", "a"],
                    "minLength": 2,
                },
                "level": {"enum": [1, 2, 3, 4], "multipleOf": 2, "maximum": 3},
            },
        },
        "closed": {
            "allOf": [{"$ref": "#/$defs/base"}],
            "properties": {"extra": {"type": "integer"}},
            "unevaluatedProperties": False,
        },
        "closed_choice": {
            "type": "object",
            "unevaluatedProperties": False,
            "anyOf": [
                {"required": ["card"], "properties": {"card": {"type": "string"}}},
                {"required": ["bank"], "properties": {"bank": {"type": "integer"}}},
            ],
        },
        "closed_list": {"type": "array", "unevaluatedItems": {"type": "string"}, "maxItems": 3},
        "pairs": {
            "type": "array",
            "prefixItems": [{"type": "string", "maxLength": 2}, {"type": "integer"}],
            "items": False,
            "minItems": 1,
        },
        "headed": {"type": "array", "prefixItems": [{"const": "head"}], "items": {"type": "null"}},
        "patterned": {
            "type": "object",
            "properties": {"x-id": {"type": "string"}, "plain": {"type": "boolean"}},
            "required": ["x-id"],
            "patternProperties": {"^x-": {"maxLength": 3}, "^[0-9]+$": {"type": "integer"}},
            "additionalProperties": {"type": "null"},
            "maxProperties": 4,
        },
        "named": {
            "type": "object",
            "propertyNames": {"pattern": "^[a-z]+$", "maxLength": 4},
            "additionalProperties": {"type": "integer"},
        },
    }
}


def module_from_source(source: str, name: str) -> ModuleType:
    """Execute generated source as a module (black-formatted first, as the writer does)."""
    module = ModuleType(name)
    exec(compile(format_python(source), f"<{name}>", "exec"), module.__dict__)
    return module


def emitted(bundle: dict[str, Any]) -> str:
    """The strategies module the emitter writes for a bundle (spec IR with that bundle)."""
    api: Api = replace(spec_api(), schema_bundle=bundle, schema_files=(), operations=(), models=())
    return emit_strategies(api)[strategies_path(api)]


@cache
def synthetic_modules() -> tuple[ModuleType, ModuleType]:
    """(strategies, compiled validators) for the synthetic bundle."""
    entries = [(name, f"#/$defs/{name}") for name in SYNTHETIC["$defs"]]
    validators = module_from_source(compile_validators(SYNTHETIC, entries), "synthetic_validators")
    return module_from_source(emitted(SYNTHETIC), "synthetic_strategies"), validators


@pytest.mark.parametrize("name", sorted(SYNTHETIC["$defs"]))
def test_every_supported_keyword_draws_only_valid_instances(name: str) -> None:
    generated, validators = synthetic_modules()
    reference = Draft202012Validator(
        {"$ref": f"#/$defs/{name}", **SYNTHETIC}, format_checker=Draft202012Validator.FORMAT_CHECKER
    )

    def check(instance: Any) -> None:
        getattr(validators, f"validate_{name}")(instance)
        assert reference.is_valid(instance), next(iter(reference.iter_errors(instance))).message

    run_property(getattr(generated, name)(), check)


def test_recursion_is_drawn_through_deferred_strategies() -> None:
    generated, _ = synthetic_modules()
    drawn(
        generated.tree(),
        lambda tree: any(child.get("children") for child in tree.get("children", [])),
    )


# --------------------------------------------------------------------------------------------
# Refusals: generation-time errors with a pointer


def build(schema: Any) -> str:
    """The strategy expression for one component `thing`."""
    builder = StrategyBuilder(
        {"$defs": {"thing": schema, "other": {}}}, {"thing": "thing", "other": "other"}
    )
    return builder.strategy(schema, "#/$defs/thing")


@pytest.mark.parametrize(
    "keyword",
    [
        ("not", {"type": "null"}),
        ("contains", {"type": "string"}),
        ("dependentRequired", {"a": ["b"]}),
        ("if", {"type": "string"}),
        ("$dynamicRef", "#node"),
        ("minContains", 1),
        ("maxContains", 1),
    ],
    ids=lambda pair: pair[0],
)
def test_an_unsupported_keyword_is_an_error(keyword: tuple[str, Any]) -> None:
    name, value = keyword
    with pytest.raises(
        SchemaCompileError, match=f'unsupported keyword "{re.escape(name)}"'
    ) as error:
        build({"type": "object", "properties": {"deep": {"type": "string", name: value}}})
    assert error.value.pointer == f"#/$defs/thing/properties/deep/{name}"


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (False, "allows no instance"),
        ({"type": "string", "format": "e-mail"}, "unknown format"),
        ({"type": "strnig"}, "unknown type"),
        ({"type": "string", "minLength": 3, "maxLength": 2}, "nothing to draw"),
        ({"type": "object", "additionalProperties": False, "required": ["x"]}, "nothing to draw"),
        ({"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 2}]}, "may both match"),
        ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, "may both match"),
        ({"enum": ["a"], "minProperties": 3}, "not supported"),
        ({"enum": ["abcd"], "maxLength": 3}, "no value has an allowed type"),
        ({"enum": ["a"], "format": "uuid"}, "enum/const with format is not supported here"),
        ({"type": "integer", "enum": ["a"]}, "no value has an allowed type"),
        ({"$ref": "https://example.com/schema"}, "only #/\\$defs/"),
        ({"$ref": "#/$defs/missing"}, "missing definition"),
        ({"allOf": [{"type": "string"}, {"type": "integer"}]}, "share no instance"),
        ({"allOf": [{"pattern": "a"}, {"pattern": "b"}]}, "cannot combine"),
        (
            {"allOf": [{"additionalProperties": False}, {"required": ["x"]}]},
            "required properties \\['x'\\] are not allowed",
        ),
        ({"type": "string", "pattern": "(unclosed"}, "not a regular expression"),
        (
            {"type": "string", "format": "date-time", "pattern": "^2"},
            "format together with pattern",
        ),
        ({"anyOf": []}, "non-empty list"),
        ({"type": "integer", "minimum": 0.2, "maximum": 0.8}, "no integer"),
        ({"type": "number", "exclusiveMinimum": 1, "maximum": 1}, "no number"),
    ],
)
def test_an_unsatisfiable_or_unsupported_schema_is_an_error(schema: Any, message: str) -> None:
    with pytest.raises(SchemaCompileError, match=message):
        build(schema)


# --------------------------------------------------------------------------------------------
# The module: names, determinism, imports


def test_patterns_are_drawn_with_ecma_semantics() -> None:
    """ECMA's `.` matches no line terminator and its `$` only the very end: the strategy draws
    from the pattern the validators use, so `\\r` or a final newline is never drawn."""
    expression = build({"type": "string", "pattern": "^a.b$"})
    assert "[^\\\\n\\\\r\\\\u2028\\\\u2029]" in expression and "\\\\Z" in expression


def test_hostile_names_still_compile() -> None:
    hostile = 'x"""\\n{{ }}\'\n\u202e'
    bundle = {
        "$defs": {
            hostile: {"type": "object", "properties": {hostile: {"enum": [hostile]}}},
            "st": {},
        }
    }
    module = module_from_source(emitted(bundle), "hostile_strategies")
    assert len(module.__all__) == 2 and "st" not in module.__all__  # no shadowed import
    function = next(name for name in module.__all__ if name.startswith("x"))
    drawn(getattr(module, function)(), lambda value: value == {hostile: hostile})


def test_emission_is_deterministic() -> None:
    assert emitted(spec_api().schema_bundle) == emitted(spec_api().schema_bundle)


def test_only_the_strategies_module_needs_hypothesis() -> None:
    script = """
import sys
sys.modules["hypothesis"] = None  # any `import hypothesis...` now raises ImportError
import graph_invite, graph_invite.client, graph_invite.errors, graph_invite.models
import graph_invite.requests, graph_invite.types, graph_invite.validators
try:
    import graph_invite.strategies
except ImportError as error:
    print(error)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert "pip install 'graph-invite[strategies]'" in result.stdout
