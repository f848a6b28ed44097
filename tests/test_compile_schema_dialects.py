"""compile_schema across dialects: `draft`, `$schema`, older keywords, OpenAPI, registries, CLI."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Any

import pytest
from referencing import Registry, Resource

from generator.cli import main
from generator.emit.validators import compile_schema
from generator.errors import SchemaCompileError
from tests.test_compile_schema import load


def verdicts(module: types.ModuleType, instances: list[Any]) -> list[bool]:
    """Whether each instance is valid, after checking both walks agree."""
    results = []
    for instance in instances:
        errors = list(module.iter_errors(instance))
        try:
            module.validate(instance)
        except module.ValidationError:
            valid = False
        else:
            valid = True
        assert valid == (not errors)
        results.append(valid)
    return results


def compiled(schema: Any, **options: Any) -> types.ModuleType:
    return load(compile_schema(schema, **options))


def test_draft_names_the_default_dialect_and_schema_wins() -> None:
    schema = {"items": [{"type": "integer"}], "additionalItems": False}
    # 2020-12 has no array form of items: an array is a compile error there.
    with pytest.raises(SchemaCompileError, match="items"):
        compile_schema(schema)
    draft7 = compiled(schema, draft="draft7")
    assert verdicts(draft7, [[1], [1, 2], ["a"]]) == [True, False, False]
    declared = {"$schema": "http://json-schema.org/draft-07/schema#", **schema}
    assert verdicts(compiled(declared, draft="draft2020-12"), [[1], [1, 2]]) == [True, False]
    with pytest.raises(SchemaCompileError, match="unknown draft"):
        compile_schema({}, draft="draft5")


def test_draft4_boolean_exclusives_and_id() -> None:
    schema = {"maximum": 3, "exclusiveMaximum": True, "minimum": 1, "exclusiveMinimum": False}
    assert verdicts(compiled(schema, draft="draft4"), [1, 2.5, 3]) == [True, True, False]
    with pytest.raises(SchemaCompileError, match="must be a boolean"):
        compile_schema({"exclusiveMaximum": 3}, draft="draft4")
    nested = {
        "id": "http://example.com/root.json",
        "definitions": {"a": {"id": "item.json", "type": "integer"}},
        "items": {"$ref": "item.json"},
    }
    assert verdicts(compiled(nested, draft="draft4"), [[1], ["x"]]) == [True, False]


def test_ref_siblings_are_ignored_up_to_draft7_only() -> None:
    schema = {"$defs": {"a": {"type": "integer"}}, "$ref": "#/$defs/a", "maximum": 3}
    assert verdicts(compiled(schema, draft="draft7"), [5, "x"]) == [True, False]
    assert verdicts(compiled(schema, draft="draft2019-09"), [5, 2]) == [False, True]


def test_dependencies_both_forms() -> None:
    schema = {"dependencies": {"a": ["b"], "c": {"required": ["d"]}}}
    module = compiled(schema, draft="draft6")
    assert verdicts(module, [{"a": 1}, {"a": 1, "b": 2}, {"c": 1}, {"c": 1, "d": 1}]) == [
        False,
        True,
        False,
        True,
    ]
    # Not a 2020-12 keyword: ignored as the specification says for unknown keywords.
    assert verdicts(compiled(schema), [{"a": 1}]) == [True]


def test_openapi_30_nullable_and_exclusives() -> None:
    schema = {"type": "string", "nullable": True, "maxLength": 2}
    assert verdicts(compiled(schema, draft="openapi3.0"), ["ab", None, "abc", 1]) == [
        True,
        True,
        False,
        False,
    ]
    assert verdicts(compiled(schema), [None]) == [False]  # 2020-12: nullable means nothing
    bounds = {"type": "number", "minimum": 0, "exclusiveMinimum": True, "example": 1}
    assert verdicts(compiled(bounds, draft="openapi3.0"), [0, 0.5]) == [False, True]


def test_openapi_31_dialect_by_schema() -> None:
    schema = {
        "$schema": "https://spec.openapis.org/oas/3.1/dialect/base",
        "type": ["string", "null"],
        "discriminator": {"propertyName": "kind"},
    }
    assert verdicts(compiled(schema), ["a", None, 1]) == [True, True, False]


def test_unknown_keywords_are_annotations() -> None:
    assert verdicts(compiled({"typo": 1, "x-vendor": {"type": "string"}}), [1]) == [True]


def test_a_later_drafts_defs_is_data_that_references_may_point_into() -> None:
    """cibuildwheel's draft-7 schema keeps `$defs` (a 2019-09 word) with a string among the
    schemas: in draft 7 `$defs` is an annotation, so only what a `$ref` names must be a schema,
    as python-jsonschema reads it. In 2019-09 the same `$defs` is refused, where it is."""
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$defs": {"description": "A Python version.", "enable": {"enum": ["pypy", "cpython"]}},
        "properties": {"enable": {"$ref": "#/$defs/enable"}},
    }
    assert verdicts(compiled(schema), [{"enable": "pypy"}, {"enable": "jython"}, {}]) == [
        True,
        False,
        True,
    ]
    schema["$schema"] = "https://json-schema.org/draft/2019-09/schema"
    with pytest.raises(
        SchemaCompileError, match="a schema must be an object or a boolean"
    ) as error:
        compile_schema(schema)
    assert error.value.pointer == "#/$defs/description"


def test_embedded_resources_and_anchors() -> None:
    schema = {
        "$id": "https://example.com/root.json",
        "$defs": {
            "b": {"$id": "other.json", "$defs": {"n": {"$anchor": "num", "type": "number"}}},
        },
        "properties": {
            "a": {"$ref": "other.json#num"},
            "b": {"$ref": "https://example.com/other.json#/$defs/n"},
        },
    }
    assert verdicts(compiled(schema), [{"a": 1, "b": 2}, {"a": "x"}, {"b": "x"}]) == [
        True,
        False,
        False,
    ]


@pytest.mark.parametrize("kind", ["mapping", "referencing"])
def test_remote_references_come_from_the_registry(kind: str) -> None:
    remote = {"$defs": {"positive": {"type": "integer", "minimum": 1}}}
    uri = "https://example.com/types.json"
    registry: Any = {uri: remote}
    if kind == "referencing":
        registry = Registry().with_resource(uri, Resource.opaque(remote))
    schema = {"items": {"$ref": f"{uri}#/$defs/positive"}}
    assert verdicts(compiled(schema, registry=registry), [[1, 2], [0]]) == [True, False]
    with pytest.raises(SchemaCompileError, match="unresolvable reference") as raised:
        compile_schema(schema)
    assert raised.value.pointer == "#/items/$ref"


def test_standard_meta_schemas_are_built_in() -> None:
    schema = {"$ref": "http://json-schema.org/draft-07/schema#"}
    module = compiled(schema, draft="draft7")
    assert verdicts(module, [{"type": "string"}, {"type": 3}]) == [True, False]


def test_cli_draft_and_registry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "count.json").write_text(json.dumps({"id": "urn:count", "type": "integer"}))
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"properties": {"a": {"$ref": "urn:count"}}}))
    output = tmp_path / "out" / "validator.py"
    arguments = ["compile-schema", str(schema), "-o", str(output), "--draft", "draft4"]
    assert main([*arguments, "--registry", str(registry)]) == 0
    module = types.ModuleType("cli_validator")
    exec(compile(output.read_text(), str(output), "exec"), module.__dict__)
    assert verdicts(module, [{"a": 1}, {"a": "x"}]) == [True, False]
    assert main(arguments) == 1
    assert 'unresolvable reference "urn:count"' in capsys.readouterr().err
    assert main([*arguments, "--registry", str(tmp_path / "missing")]) == 1
    assert "--registry must be a folder" in capsys.readouterr().err


def test_unevaluated_properties_report_each_key() -> None:
    schema = {
        "properties": {"a": True},
        "anyOf": [{"properties": {"b": True}, "required": ["b"]}, {"required": ["c"]}],
        "unevaluatedProperties": False,
    }
    module = compiled(schema)
    assert verdicts(module, [{"a": 1, "b": 2}, {"a": 1, "c": 3}, {"b": 1, "x": 1}]) == [
        True,
        False,
        False,
    ]
    errors = list(module.iter_errors({"b": 1, "x": 1}))
    assert [(error.rule, error.schema_path) for error in errors] == [
        ("unevaluatedProperties", "#/unevaluatedProperties")
    ]
    assert "'x'" in errors[0].message


def test_dynamic_ref_extends_a_recursive_schema() -> None:
    tree = {
        "$id": "https://example.com/tree",
        "$dynamicAnchor": "node",
        "type": "object",
        "properties": {"children": {"type": "array", "items": {"$dynamicRef": "#node"}}},
    }
    strict = {
        "$id": "https://example.com/strict-tree",
        "$dynamicAnchor": "node",
        "$ref": "tree",
        "unevaluatedProperties": False,
    }
    module = compiled(strict, registry={"https://example.com/tree": tree})
    good = {"children": [{"children": []}]}
    bad = {"children": [{"children": [], "extra": 1}]}
    assert verdicts(module, [good, bad]) == [True, False]
    [error] = list(module.iter_errors(bad))
    assert error.path == ("children", 0)
    # The plain tree allows the extra key: the dynamic scope decides what #node means.
    assert verdicts(compiled(tree), [bad]) == [True]


@pytest.mark.parametrize(
    ("name", "valid", "invalid"),
    [
        ("email", ["a@example.com"], ["a@example.com.", "a@.example.com"]),
        ("hostname", ["example.com", "xn--bcher-kva.example"], ["example.com.", "xn--x.com"]),
        ("idn-hostname", ["b\u00fccher.example"], ["-b\u00fccher.example", "\u0300a.com"]),
        ("idn-email", ["\u00fcser@b\u00fccher.example"], ["user@", "@x.com"]),
        ("duration", ["P1Y2M3DT4H5M6S", "P2W"], ["P1Y2W", "PT", "P1D\n"]),
        ("json-pointer", ["", "/a~0b/~1"], ["a", "/~2"]),
        ("relative-json-pointer", ["0#", "1/a"], ["-1", "01"]),
        ("uri-template", ["http://x/{a}/{+b*}"], ["{a", "{}"]),
        ("iri", ["http://b\u00fccher.example/\u00e9"], ["b\u00fccher", "http://x/ y"]),
        ("iri-reference", ["/\u00e9t\u00e9", ""], ["\\\\x"]),
    ],
)
def test_formats_of_2020_12_are_asserted(name: str, valid: list[str], invalid: list[str]) -> None:
    module = compiled({"format": name}, assert_formats=True)
    assert verdicts(module, valid + invalid) == [True] * len(valid) + [False] * len(invalid)


def test_messages_stay_short_with_huge_keys_and_many_branches() -> None:
    module = compiled(
        {"additionalProperties": {"anyOf": [{"type": "string", "maxLength": 1}] * 50}}
    )
    key = "k" * 1_000_000
    [error] = list(module.iter_errors({key: "long string"}))
    assert error.path == (key,)
    assert len(str(error)) < 600


def test_cli_no_format_writes_the_same_validator_unformatted(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    long_enum = [f"value-number-{index}" for index in range(12)]
    schema.write_text(json.dumps({"properties": {"a": {"enum": long_enum}}, "required": ["a"]}))
    formatted, raw = tmp_path / "formatted.py", tmp_path / "raw.py"
    assert main(["compile-schema", str(schema), "-o", str(formatted)]) == 0
    assert main(["compile-schema", str(schema), "-o", str(raw), "--no-format"]) == 0
    assert raw.read_text() != formatted.read_text()
    for path in (formatted, raw):
        module = types.ModuleType(path.stem)
        exec(compile(path.read_text(), str(path), "exec"), module.__dict__)
        samples = [{"a": "value-number-3"}, {"a": "other"}, {}, []]
        assert verdicts(module, samples) == [True, False, False, True], path.name
