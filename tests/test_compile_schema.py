"""Compiled validators: keyword semantics, error reports, recursion, sharing, typing, agreement."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import black
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.emit.validators import compile_schema, compile_validators
from generator.errors import SchemaCompileError

REPOSITORY = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def load(source: str) -> types.ModuleType:
    """Execute emitted source as a fresh module."""
    module = types.ModuleType("compiled_validator")
    exec(compile(source, "<compiled validator>", "exec"), module.__dict__)
    return module


def deferred_sources(source: str) -> dict[str, str]:
    """The module's deferred functions: name -> source (`_DEFERRED = _Deferred({name: source})`)."""
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "_DEFERRED":
            assert isinstance(node.value, ast.Call)
            entries: dict[str, str] = ast.literal_eval(node.value.args[0])
            return entries
    return {}


def unfold(source: str) -> str:
    """The module with its deferred functions written at module level, where compiling them on
    first use puts them: what mypy and ruff must read."""
    deferred = deferred_sources(source)
    return "\n\n".join([source, *deferred.values()]) if deferred else source


def unused_names(source: str) -> set[str]:
    """Module-level names the emitted module (deferred functions included) defines but never
    uses (public API aside)."""
    tree = ast.parse(unfold(source))
    defined = {
        target.id
        for node in tree.body
        for target in (node.targets if isinstance(node, ast.Assign) else [node])
        if isinstance(target, ast.Name)
    }
    defined |= {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    used |= {  # `_DEFERRED.<name>(...)`: a call of a deferred function
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "_DEFERRED"
    }
    public = {name for name in defined if name.startswith(("validate", "iter_errors"))}
    return defined - public - used - {"ValidationError"}


@cache
def _compiled(schema_json: str, assert_formats: bool) -> types.ModuleType:
    source = compile_schema(json.loads(schema_json), assert_formats=assert_formats)
    assert not unused_names(source), f"unused definitions: {unused_names(source)}\n{source}"
    return load(source)


def compiled(schema: Any, *, assert_formats: bool = False) -> types.ModuleType:
    """Compile (once per distinct schema) and load."""
    return _compiled(json.dumps(schema, sort_keys=True), assert_formats)


def error_fields(error: Any) -> tuple[Any, ...]:
    """Everything a caller can read from a ValidationError (its value by identity)."""
    return (type(error), error.path, error.schema_path, error.rule, error.message, id(error.value))


def errors_of(module: types.ModuleType, instance: Any, suffix: str = "") -> list[Any]:
    """All errors, after checking that `validate` (fast + first-error variants) agrees.

    `validate` raises what `_first_error_<n>` returns; it must be `next(iter_errors(...))`
    in every field, not only in its message.
    """
    errors = list(getattr(module, f"iter_errors{suffix}")(instance))
    try:
        getattr(module, f"validate{suffix}")(instance)
    except module.ValidationError as error:
        assert errors, "validate() raised but iter_errors() found nothing"
        assert error_fields(error) == error_fields(errors[0])
    else:
        assert not errors, f"validate() passed but iter_errors() found {errors}"
    return errors


# (schema, instance, expected first error message or None when valid)
KEYWORD_CASES: list[tuple[str, Any, Any, str | None]] = [
    ("type-string", {"type": "string"}, "x", None),
    ("type-string-bad", {"type": "string"}, 1, "(root): must be a string"),
    ("type-integer-float", {"type": "integer"}, 1.0, None),
    ("type-integer-fraction", {"type": "integer"}, 1.5, "(root): must be an integer"),
    ("type-integer-bool", {"type": "integer"}, True, "(root): must be an integer"),
    ("type-number-bool", {"type": "number"}, False, "(root): must be a number"),
    ("type-number-nan", {"type": "number"}, float("nan"), "(root): must be a number"),
    ("type-number-inf", {"type": "number"}, float("inf"), "(root): must be a number"),
    ("type-list", {"type": ["string", "null"]}, None, None),
    ("type-list-bad", {"type": ["string", "null"]}, 3, "(root): must be a string or null"),
    ("type-object-int-keys", {"type": "object"}, {1: 2}, "(root): must be an object"),
    ("type-array-tuple", {"type": "array"}, (1, 2), "(root): must be an array"),
    ("enum", {"enum": ["read", "write", "owner"]}, "write", None),
    (
        "enum-bad",
        {"enum": ["read", "write", "owner"]},
        "admin",
        "(root): must be one of: 'read', 'write', 'owner'",
    ),
    ("enum-mixed", {"enum": [1, None, [1]]}, 1.0, None),
    ("enum-bool-is-not-1", {"enum": [1]}, True, "(root): must be one of: 1"),
    ("const-deep", {"const": {"a": [1, {"b": None}]}}, {"a": [1.0, {"b": None}]}, None),
    ("const-bool", {"const": False}, 0, "(root): must be equal to False"),
    (
        "min-length-code-points",
        {"minLength": 2},
        "\U0001f600",
        "(root): must be at least 2 characters long",
    ),
    ("max-length", {"maxLength": 3}, "abcd", "(root): must be at most 3 characters long"),
    ("max-length-ignores-numbers", {"maxLength": 1}, 12345, None),
    ("pattern-search", {"pattern": "b+"}, "abbbc", None),
    ("pattern-bad", {"pattern": "^a"}, "ba", "(root): must match pattern '^a'"),
    ("minimum", {"minimum": 0}, -1, "(root): must be greater than or equal to 0"),
    ("maximum", {"maximum": 1.5}, 2, "(root): must be less than or equal to 1.5"),
    ("exclusive-minimum", {"exclusiveMinimum": 0}, 0, "(root): must be greater than 0"),
    ("exclusive-maximum", {"exclusiveMaximum": 0}, 0.0, "(root): must be less than 0"),
    ("multiple-of-decimal", {"multipleOf": 0.0001}, 0.0075, None),
    ("multiple-of-int", {"multipleOf": 3}, 10, "(root): must be a multiple of 3"),
    ("multiple-of-huge", {"multipleOf": 0.5}, 1e308, None),
    ("required", {"required": ["a"]}, {}, "(root): 'a' is a required property"),
    ("required-ignores-arrays", {"required": ["a"]}, [], None),
    (
        "additional-false",
        {"properties": {"a": {}}, "additionalProperties": False},
        {"a": 1, "foo": 2},
        "(root): is not allowed (additional property 'foo')",
    ),
    (
        "additional-schema",
        {"properties": {"a": {}}, "additionalProperties": {"type": "string"}},
        {"a": 1, "b": 2},
        "b: must be a string",
    ),
    (
        "pattern-properties",
        {"patternProperties": {"^x-": {"type": "integer"}}, "additionalProperties": False},
        {"x-a": "no"},
        '["x-a"]: must be an integer',
    ),
    (
        "property-names",
        {"propertyNames": {"maxLength": 2}},
        {"abc": 1},
        "(root): has an invalid property name 'abc'",
    ),
    ("min-properties", {"minProperties": 1}, {}, "(root): must have at least 1 property"),
    (
        "max-properties",
        {"maxProperties": 1},
        {"a": 1, "b": 2},
        "(root): must have at most 1 property",
    ),
    (
        "dependent-required",
        {"dependentRequired": {"a": ["b"]}},
        {"a": 1},
        "(root): 'b' is a required property (because 'a' is present)",
    ),
    (
        "dependent-schemas",
        {"dependentSchemas": {"a": {"required": ["b"]}}},
        {"a": 1},
        "(root): 'b' is a required property",
    ),
    ("items", {"items": {"type": "integer"}}, [1, "x"], "[1]: must be an integer"),
    (
        "prefix-items",
        {"prefixItems": [{"type": "string"}], "items": False},
        ["a", "b"],
        "(root): must have at most 1 item",
    ),
    (
        "contains",
        {"contains": {"const": 1}},
        [2, 3],
        "(root): must contain at least 1 matching item",
    ),
    (
        "max-contains",
        {"contains": {"const": 1}, "maxContains": 1},
        [1, 1],
        "(root): must contain at most 1 matching item",
    ),
    ("min-contains-zero", {"contains": {"const": 1}, "minContains": 0}, [], None),
    ("min-items", {"minItems": 1}, [], "(root): must have at least 1 item"),
    ("max-items", {"maxItems": 1}, [1, 2], "(root): must have at most 1 item"),
    ("unique-items", {"uniqueItems": True}, [1, 1.0], "(root): must not contain duplicate items"),
    ("unique-items-bool", {"uniqueItems": True}, [1, True, [0], [False]], None),
    (
        "all-of",
        {"allOf": [{"type": "integer"}, {"minimum": 2}]},
        1,
        "(root): must be greater than or equal to 2",
    ),
    (
        "any-of",
        {"anyOf": [{"type": "string"}, {"type": "null"}]},
        1,
        "(root): must match at least one schema in anyOf"
        " (0: (root): must be a string; 1: (root): must be null)",
    ),
    (
        "one-of",
        {"oneOf": [{"minimum": 0}, {"maximum": 5}]},
        3,
        "(root): must match exactly one schema in oneOf (branches 0, 1 all match)",
    ),
    ("not", {"not": {"type": "null"}}, None, "(root): must not match the schema in not"),
    (
        "if-then-else",
        {"if": {"type": "string"}, "then": {"minLength": 2}, "else": {"type": "null"}},
        1,
        "(root): must be null",
    ),
    ("if-then", {"if": {"type": "string"}, "then": {"minLength": 2}}, "ab", None),
    ("false", False, 0, "(root): is not allowed"),
    ("true", True, {1: object()}, None),
    (
        "annotations-ignored",
        {"title": "t", "description": "d", "default": 1, "examples": [], "x-ms-enum": {}},
        0,
        None,
    ),
]


@pytest.mark.parametrize(
    ("schema", "instance", "expected"),
    [case[1:] for case in KEYWORD_CASES],
    ids=[case[0] for case in KEYWORD_CASES],
)
def test_keyword(schema: Any, instance: Any, expected: str | None) -> None:
    errors = errors_of(compiled(schema), instance)
    if expected is None:
        assert errors == []
    else:
        assert str(errors[0]) == expected


INVITE_BUNDLE: dict[str, Any] = {
    "$defs": {
        "invite": {
            "type": "object",
            "properties": {
                "recipients": {"type": "array", "items": {"$ref": "#/$defs/driveRecipient"}},
                "message": {"type": ["string", "null"], "maxLength": 2000},
                "roles": {"type": "array", "items": {"enum": ["read", "write", "owner"]}},
                "expirationDateTime": {"type": ["string", "null"], "format": "date-time"},
            },
            "required": ["recipients"],
        },
        "driveRecipient": {
            "type": "object",
            "properties": {
                "@odata.type": {"type": "string"},
                "email": {"type": ["string", "null"], "format": "email"},
                "objectId": {"type": ["string", "null"]},
            },
        },
        "unused": {"type": "integer"},
    }
}


@cache
def invite_module() -> types.ModuleType:
    entries = [("invite", "#/$defs/invite"), ("drive_recipient", "#/$defs/driveRecipient")]
    return load(compile_validators(INVITE_BUNDLE, entries, module_doc="Invite validators."))


def test_error_attributes_point_at_data_and_schema() -> None:
    module = invite_module()
    invite = {"recipients": [{"email": "not an address", "@odata.type": 1}], "roles": ["x"]}
    errors = errors_of(module, invite, "_invite")
    assert [str(error) for error in errors] == [  # schema order
        'recipients[0]["@odata.type"]: must be a string',
        "recipients[0].email: must be an email address",
        "roles[0]: must be one of: 'read', 'write', 'owner'",
    ]
    email = errors[1]
    assert email.message == "recipients[0].email: must be an email address"
    assert email.path == ("recipients", 0, "email")
    assert email.schema_path == "#/$defs/driveRecipient/properties/email/format"
    assert (email.rule, email.value) == ("format", "not an address")
    assert isinstance(email, ValueError)


def test_required_error_is_on_the_object() -> None:
    errors = errors_of(invite_module(), {"recipients": [{}], "message": None}, "_invite")
    assert errors == []
    (error,) = errors_of(invite_module(), {"message": "hi"}, "_invite")
    assert (str(error), error.path, error.rule) == (
        "(root): 'recipients' is a required property",
        (),
        "required",
    )


def test_date_time_accepts_graph_precision_and_rejects_bad_dates() -> None:
    module = invite_module()
    assert (
        errors_of(
            module,
            {"recipients": [], "expirationDateTime": "2018-07-15T14:00:00.0000000Z"},
            "_invite",
        )
        == []
    )
    (error,) = errors_of(
        module, {"recipients": [], "expirationDateTime": "2018-02-30T14:00:00Z"}, "_invite"
    )
    assert error.rule == "format"


def test_formats_are_annotations_unless_asserted() -> None:
    schema = {"format": "email"}
    assert errors_of(compiled(schema), "nope") == []
    assert (
        str(errors_of(compiled(schema, assert_formats=True), "nope")[0])
        == "(root): must be an email address"
    )
    assert errors_of(compiled(schema, assert_formats=True), 42) == []


def test_unknown_format_is_an_annotation_even_when_asserted() -> None:
    # The specification (and the suite's optional/format/unknown.json): real schemas use
    # `int32`, `byte` and names of their own.
    assert errors_of(compiled({"format": "e-mail"}), "x") == []
    assert errors_of(compiled({"format": "e-mail"}, assert_formats=True), "x") == []
    [error] = errors_of(compiled({"format": "email"}, assert_formats=True), "x")
    assert error.rule == "format"
    with pytest.raises(SchemaCompileError, match="format must be a string"):
        compile_schema({"format": 3}, assert_formats=True)


def test_huge_values_stay_out_of_messages() -> None:
    module = compiled({"const": "x" * 10_000, "additionalProperties": False})
    (error,) = errors_of(module, "y")
    assert len(str(error)) < 120
    errors = errors_of(module, {"k" * 10_000: 1})
    assert [error.rule for error in errors] == ["const", "additionalProperties"]
    assert all(len(str(error)) < 140 for error in errors)


@pytest.mark.parametrize(
    "instance",
    [
        b"x",
        {1, 2},
        (1, 2),
        {1: 2},
        {"a": {(1,): 2}},
        float("nan"),
        float("-inf"),
        object(),
        [float("nan")],
    ],
    ids=["bytes", "set", "tuple", "int-keys", "nested-tuple-key", "nan", "-inf", "object", "[nan]"],
)
def test_non_json_values_never_crash(instance: Any) -> None:
    schema = {
        "type": ["object", "array", "number", "string"],
        "properties": {"a": {"type": "object", "propertyNames": {"pattern": "^a"}}},
        "patternProperties": {"^b": {"minimum": 1}},
        "additionalProperties": {"type": "string"},
        "uniqueItems": True,
        "contains": {"const": [1]},
        "enum": [1, [1], {"a": {}}],
        "minimum": 0,
        "multipleOf": 0.5,
        "maxLength": 3,
    }
    errors = errors_of(compiled(schema), instance)
    assert errors, "non-JSON values match no JSON type"


def test_custom_subclasses() -> None:
    # tests/test_compile_schema_hostile.py says why: a str subclass is a string (its plain
    # value), int subclasses and str-subclass keys are not JSON until json.dumps/loads.
    class Text(str):
        pass

    class Number(int):
        pass

    assert errors_of(compiled({"type": "string", "enum": ["a"]}), Text("a")) == []
    cases = [({"type": "integer", "minimum": 1}, Number(2)), ({"type": "object"}, {Text("b"): 2})]
    for schema, instance in cases:
        assert [error.rule for error in errors_of(compiled(schema), instance)] == ["type"]
        assert errors_of(compiled(schema), json.loads(json.dumps(instance))) == []


TREE = {
    "$defs": {
        "node": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            },
            "required": ["name"],
        }
    },
    "$ref": "#/$defs/node",
}


def nested_tree(depth: int) -> dict[str, Any]:
    tree: dict[str, Any] = {"name": "leaf"}
    for _ in range(depth):
        tree = {"name": "branch", "children": [tree]}
    return tree


def test_recursive_schema_compiles_to_recursive_calls() -> None:
    source = compile_schema(TREE)
    assert source.count("def _first_error_node(") == 1
    module = load(source)
    assert errors_of(module, nested_tree(50)) == []
    broken = nested_tree(3)
    broken["children"][0]["children"][0]["name"] = 5
    (error,) = errors_of(module, broken)
    assert error.path == ("children", 0, "children", 0, "name")
    assert error.schema_path == "#/$defs/node/properties/name/type"


def test_deep_nesting_is_a_clean_error_not_recursion_error() -> None:
    module = load(compile_schema(TREE))
    (error,) = errors_of(module, nested_tree(10_000))
    assert error.rule == "depth"
    assert "nested too deeply" in str(error)
    assert len(str(error)) < 300


def test_deep_data_under_a_non_recursive_schema_is_not_walked() -> None:
    deep: list[Any] = []
    for _ in range(10_000):
        deep = [deep]
    assert errors_of(compiled({"type": "array", "items": {"type": "array"}}), deep) == []
    module = compiled({"uniqueItems": True, "enum": [[[]]]})
    assert [error.rule for error in errors_of(module, [deep, deep])] == ["enum", "uniqueItems"]


@pytest.mark.parametrize(
    "schema",
    [
        {"$ref": "#"},
        {"anyOf": [{"type": "string"}, {"$ref": "#"}]},
        {"$defs": {"a": {"not": {"$ref": "#/$defs/b"}}, "b": {"allOf": [{"$ref": "#/$defs/a"}]}}},
    ],
)
def test_cycles_on_the_same_instance_are_compile_errors(schema: Any) -> None:
    # Such a schema never finishes (with two branches, 2**depth calls): reject it up front.
    with pytest.raises(SchemaCompileError, match="same instance forever"):
        compile_schema(schema)


BAD_DEFINITION = {"type": "object", "properties": {"q": {"minimum": "x"}}}


@pytest.mark.parametrize(
    "schema",
    [
        {"$defs": {"a": BAD_DEFINITION}},  # never referenced
        {"$defs": {"a": BAD_DEFINITION}, "$ref": "#/$defs/a"},  # referenced after it is checked
        {"properties": {"p": {"$ref": "#/$defs/a"}}, "$defs": {"a": BAD_DEFINITION}},  # before
        {"anyOf": [{"$ref": "#/$defs/a"}, {"type": "null"}], "$defs": {"a": BAD_DEFINITION}},
        {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": BAD_DEFINITION}, "not": {"$ref": "#/$defs/a"}},
    ],
)
def test_errors_in_definitions_surface_however_they_are_reached(schema: Any) -> None:
    # The checking pass compiles a definition once: where `$defs` is read, or as the function a
    # `$ref` (or a branch) compiled before; either compile reports the error.
    with pytest.raises(SchemaCompileError, match="minimum must be a number") as raised:
        compile_schema(schema)
    assert raised.value.pointer.endswith("/q/minimum")


def test_recursion_through_combinators_is_depth_limited() -> None:
    module = compiled({"anyOf": [{"type": "integer"}, {"items": {"$ref": "#"}}]})
    assert errors_of(module, [[1, [2]], 3]) == []
    deep: list[Any] = ["x"]
    for _ in range(2000):
        deep = [deep]
    assert [error.rule for error in errors_of(module, deep)] == ["anyOf"]


def test_id_relative_root_reference() -> None:
    schema = {
        "$id": "https://example.com/schemas/root.json",
        "$defs": {"a": {"type": "integer"}},
        "properties": {
            "x": {"$ref": "root.json#/$defs/a"},
            "y": {"$ref": "https://example.com/schemas/root.json#/$defs/a"},
        },
    }
    assert [str(error) for error in errors_of(compiled(schema), {"x": "1", "y": 2})] == [
        "x: must be an integer"
    ]


def test_compile_validators_shares_one_function_per_def() -> None:
    source = compile_validators(
        INVITE_BUNDLE, [("invite", "#/$defs/invite"), ("drive_recipient", "#/$defs/driveRecipient")]
    )
    assert source.count("def _first_error_") == 2
    assert source.count("def _errors_") == 2
    # The boolean variant only where a check needs a verdict: `items` of recipients.
    assert source.count("def _is_valid_") == 1
    assert source.count("def _is_valid_drive_recipient(") == 1
    assert "unused" not in source


def test_output_is_deterministic_across_hash_seeds() -> None:
    script = (
        "import json, sys; from generator.emit.validators import compile_validators;"
        "bundle = json.loads(sys.argv[1]);"
        "print(compile_validators(bundle, [('invite', '#/$defs/invite')]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, json.dumps(INVITE_BUNDLE)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPOSITORY,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert outputs.pop() == compile_validators(INVITE_BUNDLE, [("invite", "#/$defs/invite")]) + "\n"


@pytest.mark.parametrize(
    ("schema", "pointer", "message"),
    [
        ({"$defs": {"a": {"$anchor": "1x"}}}, "#/$defs/a/$anchor", "invalid anchor"),
        ({"properties": {"a": {"$id": 3}}}, "#/properties/a/$id", "must be a string"),
        ({"$ref": "https://example.com/other.json"}, "#/$ref", "unresolvable reference"),
        ({"$ref": "#anchor"}, "#/$ref", 'no anchor "anchor"'),
        ({"$ref": "#/$defs/missing"}, "#/$ref", "has no target"),
        ({"then": {"minimum": "x"}}, "#/then/minimum", "minimum must be a number"),
        ({"maxLength": "x"}, "#/maxLength", "maxLength must be a non-negative integer"),
        ({"type": "strin"}, "#/type", "type must be"),
        ({"required": [1]}, "#/required", "required must be an array of strings"),
        ({"pattern": "("}, "#/pattern", "invalid regular expression"),
        ({"enum": "a"}, "#/enum", "enum must be an array"),
        ({"properties": []}, "#/properties", "properties must be an object of schemas"),
        ({"items": 3}, "#/items", "a schema must be an object or a boolean"),
        ({"multipleOf": 0}, "#/multipleOf", "multipleOf must be greater than 0"),
        ({"$schema": "https://example.com/custom-meta"}, "#/$schema", "unknown dialect"),
        ({"$schema": 7}, "#/$schema", "$schema must be a string"),
    ],
)
def test_schema_errors_name_the_pointer(schema: Any, pointer: str, message: str) -> None:
    with pytest.raises(SchemaCompileError) as raised:
        compile_schema(schema)
    assert raised.value.pointer == pointer
    assert message in raised.value.message


def test_unused_definitions_are_still_checked() -> None:
    with pytest.raises(SchemaCompileError, match="minimum must be a number"):
        compile_validators({"$defs": {"a": {}, "b": {"minimum": "x"}}}, [("a", "#/$defs/a")])


def test_bad_entry_point_names() -> None:
    with pytest.raises(SchemaCompileError, match="identifier"):
        compile_validators(INVITE_BUNDLE, [("not-valid", "#/$defs/invite")])
    with pytest.raises(SchemaCompileError, match="entry point validate_missing") as raised:
        compile_validators(INVITE_BUNDLE, [("missing", "#/$defs/missing")])
    assert raised.value.pointer == "#/$defs/missing"


TYPED_SCHEMAS: dict[str, Any] = {
    "tree": TREE,
    "combinators": {
        "oneOf": [{"type": "integer", "multipleOf": 0.5}, {"const": {"a": [1]}}],
        "anyOf": [
            {"not": {"enum": [1, "a"]}},
            {"if": {"minimum": 3}, "then": {"maximum": 9}, "else": False},
        ],
        "dependentSchemas": {"k": {"propertyNames": {"minLength": 1}}},
    },
    "containers": {
        "properties": {
            "a-b": {"prefixItems": [True, {"uniqueItems": True}], "items": {"$ref": "#/$defs/s"}}
        },
        "patternProperties": {"^x": {"contains": {"type": "null"}, "maxContains": 2}},
        "additionalProperties": False,
        "dependentRequired": {"a-b": ["c"]},
        "$defs": {"s": {"type": "string", "format": "uuid", "pattern": "^[a-f]"}},
    },
    # Format checks deferred by the boolean walk of items (generator/validator_deferral.py).
    "deferred": {
        "type": "array",
        "items": {"$ref": "#/$defs/recipient"},
        "$defs": {
            "recipient": {
                "properties": {
                    "email": {"format": "email"},
                    "link": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/link"}]},
                    "times": {"items": {"format": "date-time"}},
                }
            },
            "link": {"properties": {"url": {"format": "uri"}}},
        },
    },
}


def test_generated_modules_pass_mypy_strict_and_ruff(tmp_path: Path) -> None:
    entries = [("invite", "#/$defs/invite"), ("drive_recipient", "#/$defs/driveRecipient")]
    sources = {"bundle": compile_validators(INVITE_BUNDLE, entries, module_doc="Invite.")}
    for name, schema in TYPED_SCHEMAS.items():
        sources[name] = compile_schema(schema, assert_formats=True)
    for name, source in sources.items():
        assert not unused_names(source), f"{name}: unused {unused_names(source)}"
        (tmp_path / f"{name}.py").write_text(
            black.format_str(unfold(source), mode=black.Mode(line_length=100))
        )
    files = sorted(str(path) for path in tmp_path.glob("*.py"))
    checks = [
        [str(BIN / "mypy"), "--strict", "--no-incremental", "--cache-dir", os.devnull, *files],
        [
            str(BIN / "ruff"),
            "check",
            "--no-cache",
            "--config",
            str(REPOSITORY / "pyproject.toml"),
            *files,
        ],
    ]
    for command in checks:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
        if result.returncode != 0:
            listing = "\n\n".join(f"# {name}.py\n{source}" for name, source in sources.items())
            pytest.fail(f"{command[0]} failed:\n{result.stdout}{result.stderr}\n{listing}")


# Hypothesis: both variants and jsonschema agree on arbitrary JSON.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-10, max_value=10)
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-10, max_value=10)
    | st.sampled_from(["", "a", "ab", "abc", "b", "xyz"])
)
KEYS = st.sampled_from(["a", "b", "c", "x1", "name", "children"])
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=4),
    max_leaves=16,
)
AGREEMENT_SCHEMAS: list[Any] = [
    TREE,
    {
        "type": "object",
        "properties": {
            "a": {"type": "integer", "minimum": 0},
            "b": {"type": "string", "maxLength": 2},
        },
        "patternProperties": {"^x": {"type": "array", "uniqueItems": True}},
        "additionalProperties": {"enum": [None, 1, "a", [1]]},
        "required": ["a"],
        "minProperties": 1,
        "dependentRequired": {"b": ["c"]},
        "propertyNames": {"pattern": "^[abcx]"},
    },
    {
        "anyOf": [{"type": "string", "minLength": 2}, {"type": "integer", "multipleOf": 3}],
        "oneOf": [{"not": {"const": "ab"}}, {"type": "string"}],
        "if": {"type": "array"},
        "then": {"prefixItems": [{"type": "number"}], "items": {"type": "string"}},
        "else": {"not": {"type": "object"}},
    },
    {
        "type": ["array", "object", "null"],
        "contains": {"type": "integer"},
        "minContains": 1,
        "maxContains": 2,
        "maxItems": 3,
        "dependentSchemas": {"a": {"required": ["b"]}},
        "allOf": [{"$ref": "#/$defs/notEmpty"}],
        "$defs": {"notEmpty": {"minProperties": 1, "minItems": 1}},
    },
]


@pytest.mark.parametrize(
    "schema", AGREEMENT_SCHEMAS, ids=["tree", "object", "combinators", "arrays"]
)
@given(instance=JSON_VALUES)
def test_variants_agree_with_each_other_and_jsonschema(schema: Any, instance: Any) -> None:
    errors = errors_of(compiled(schema), instance)
    assert (not errors) == jsonschema.Draft202012Validator(schema).is_valid(instance), errors


@given(case=st.sampled_from(KEYWORD_CASES), instance=JSON_VALUES)
def test_validate_raises_the_first_error_of_iter_errors(
    case: tuple[str, Any, Any, str | None], instance: Any
) -> None:
    _, schema, fixture, _ = case
    for assert_formats in (False, True):
        module = compiled(schema, assert_formats=assert_formats)
        for value in (fixture, instance):
            errors_of(module, value)  # compares validate's error with next(iter_errors(...))


# Arrays of a non-recursive `$ref`: the first-error variant checks item `start` directly and
# the rest behind a map() of the boolean variant; either way the first error must not change.
REF_ITEM_SCHEMAS: list[Any] = [
    {"items": {"$ref": "#/$defs/item"}, "$defs": {"item": {"type": "string", "minLength": 2}}},
    {
        "type": "array",
        "prefixItems": [{"type": "integer"}],
        "items": {"$ref": "#/$defs/item"},
        "$defs": {"item": {"type": ["object", "null"], "required": ["a"]}},
    },
]


@given(schema=st.sampled_from(REF_ITEM_SCHEMAS), instance=JSON_VALUES)
def test_validate_raises_the_first_error_over_ref_items(schema: Any, instance: Any) -> None:
    errors = errors_of(compiled(schema), instance)
    assert (not errors) == jsonschema.Draft202012Validator(schema).is_valid(instance), errors


COUNTS = st.integers(min_value=0, max_value=3)
TYPE_NAMES = st.sampled_from(["string", "integer", "number", "boolean", "null", "array", "object"])
PATTERNS = st.sampled_from(["^a", "b", "^$"])


def _keyword_schemas(children: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """One or a few keywords (with their companions), over `children` subschemas."""
    keyword = st.one_of(
        st.fixed_dictionaries({"type": TYPE_NAMES | st.lists(TYPE_NAMES, min_size=1, unique=True)}),
        st.fixed_dictionaries({"enum": st.lists(JSON_VALUES, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"const": JSON_VALUES}),
        st.fixed_dictionaries({"minLength": COUNTS, "maxLength": COUNTS, "pattern": PATTERNS}),
        st.fixed_dictionaries({"minimum": COUNTS, "exclusiveMaximum": COUNTS}),
        st.fixed_dictionaries({"multipleOf": st.sampled_from([1, 2, 0.5])}),
        st.fixed_dictionaries({"properties": st.dictionaries(KEYS, children, max_size=2)}),
        st.fixed_dictionaries({"required": st.lists(KEYS, unique=True, max_size=2)}),
        st.fixed_dictionaries({"additionalProperties": children}),
        st.fixed_dictionaries(
            {"patternProperties": st.dictionaries(PATTERNS, children, max_size=2)}
        ),
        st.fixed_dictionaries({"propertyNames": children, "maxProperties": COUNTS}),
        st.fixed_dictionaries(
            {"dependentRequired": st.dictionaries(KEYS, st.lists(KEYS, unique=True, max_size=2))}
        ),
        st.fixed_dictionaries({"dependentSchemas": st.dictionaries(KEYS, children, max_size=2)}),
        st.fixed_dictionaries({"items": children, "minItems": COUNTS}),
        st.fixed_dictionaries({"prefixItems": st.lists(children, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"contains": children, "minContains": COUNTS, "maxContains": COUNTS}),
        st.fixed_dictionaries({"uniqueItems": st.booleans()}),
        st.fixed_dictionaries({"allOf": st.lists(children, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"anyOf": st.lists(children, min_size=1, max_size=2)}),
        st.fixed_dictionaries({"oneOf": st.lists(children, min_size=1, max_size=3)}),
        st.fixed_dictionaries({"not": children}),
        st.fixed_dictionaries({"if": children, "then": children, "else": children}),
        st.just({"items": {"$ref": "#"}}),
    )
    return st.lists(keyword, min_size=1, max_size=3).map(
        lambda parts: {name: value for part in parts for name, value in part.items()}
    )


RANDOM_SCHEMAS: st.SearchStrategy[Any] = st.recursive(
    st.booleans() | st.just({}), _keyword_schemas, max_leaves=6
)


@given(schema=RANDOM_SCHEMAS, instances=st.lists(JSON_VALUES, min_size=4, max_size=4))
def test_random_schemas_agree_with_jsonschema(schema: Any, instances: list[Any]) -> None:
    module = load(compile_schema(schema))
    validator = jsonschema.Draft202012Validator(schema)
    for instance in instances:
        errors = errors_of(module, instance)
        assert (not errors) == validator.is_valid(instance), (schema, instance, errors)
