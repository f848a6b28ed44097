"""OpenAPI 3.0 read natively (normalised to the 3.1 model); unknown formats are warnings."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from generator.cli import main
from generator.errors import SpecErrors
from generator.pipeline import build
from generator.spec.normalize import schema_30_to_31
from tests.conftest import ROOT

UNKNOWN_FORMAT = ROOT / "tests" / "data" / "unknown_format.yaml"
WARNING = "#/components/schemas/request/properties/email/format: unknown format 'e-mail'"


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"type": "string", "nullable": True}, {"type": ["string", "null"]}),
        (
            {"type": "string", "enum": ["a"], "nullable": True},
            {"type": ["string", "null"], "enum": ["a", None]},
        ),
        (
            {"$ref": "#/components/schemas/x", "nullable": True},
            {"anyOf": [{"$ref": "#/components/schemas/x"}, {"type": "null"}]},
        ),
        (
            {"$ref": "#/components/schemas/x", "type": "number", "minimum": 1, "description": "d"},
            {"$ref": "#/components/schemas/x", "description": "d"},
        ),
        ({"type": "integer", "nullable": False}, {"type": "integer"}),
        (
            {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 9},
            {"type": "number", "exclusiveMinimum": 0, "maximum": 9},
        ),
        (
            {"type": "number", "maximum": 9, "exclusiveMaximum": False},
            {"type": "number", "maximum": 9},
        ),
        (
            {"properties": {"a": {"type": "string", "nullable": True, "example": "x"}}},
            {"properties": {"a": {"type": ["string", "null"], "example": "x"}}},
        ),
        (
            {"type": "array", "items": {"type": "integer", "nullable": True}},
            {"type": "array", "items": {"type": ["integer", "null"]}},
        ),
    ],
)
def test_3_0_schemas_become_3_1(schema: dict[str, object], expected: dict[str, object]) -> None:
    assert schema_30_to_31(schema) == expected


def test_unknown_format_is_a_warning_and_strict_formats_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["--spec", str(UNKNOWN_FORMAT), "--previous", "none"]
    assert main(["generate", *arguments, "--out", str(tmp_path / "loose")]) == 0
    captured = capsys.readouterr()
    assert WARNING in captured.err and "(warning)" in captured.err
    schema = (tmp_path / "loose" / "schemas" / "request.schema.json").read_text()
    assert '"format": "e-mail"' in schema  # kept as an annotation in the JSON Schema
    strict = tmp_path / "strict"
    assert main(["generate", *arguments, "--out", str(strict), "--strict-formats"]) == 1
    captured = capsys.readouterr()
    assert WARNING in captured.err and "nothing was written" in captured.err
    assert not strict.exists()


def test_openapi_formats_are_no_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spec = tmp_path / "spec.yaml"
    text = UNKNOWN_FORMAT.read_text().replace("format: e-mail", "format: password")
    spec.write_text(text.replace("type: string\n", "type: integer\n          format: int64\n", 1))
    out = ["--out", str(tmp_path / "out"), "--previous", "none"]
    assert main(["generate", "--spec", str(spec), *out]) == 0
    assert "warning" not in capsys.readouterr().err


NULLABLE_31 = """\
openapi: 3.1.0
info: {title: kept nullable, version: 1.0.0}
paths:
  /items/{item%id}:
    parameters:
      - {name: item%id, in: path, required: true, schema: {type: string}}
    get:
      operationId: get_item
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/item'}
  /copies/{item%id}:
    get:
      operationId: get_copy
      parameters:
        - $ref: '#/paths/~1items~1%7Bitem%25id%7D/parameters/0'
      responses:
        '204': {description: none}
components:
  schemas:
    item:
      type: object
      summary: not a JSON Schema keyword
      properties:
        name: {type: string, nullable: true}
        owner: {$ref: '#/components/schemas/owner', nullable: true}
        size: {type: integer, nullable: false}
    owner:
      $schema: https://json-schema.org/draft/2020-12/schema
      type: object
      properties:
        id: {type: string}
"""


def test_a_3_1_document_may_keep_3_0_nullable_and_unknown_keywords(tmp_path: Path) -> None:
    """Documents converted from 3.0 keep `nullable` (read as 3.0 reads it, with a warning);
    an unknown keyword is an annotation (a warning); a `$ref` fragment is percent-decoded; a
    `$schema` naming the document's own dialect is no error."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(NULLABLE_31)
    api = build(spec, project_root=tmp_path, package="kept").api
    fields = {field.wire_name: field for field in api.model("Item").fields}
    assert fields["name"].type.nullable and fields["owner"].type.nullable
    assert not fields["size"].type.nullable
    warnings = [str(warning) for warning in api.warnings]
    assert sum("`nullable` is OpenAPI 3.0" in warning for warning in warnings) == 3
    assert any("item/summary: unknown keyword 'summary'" in warning for warning in warnings)
    item = api.schema_bundle["$defs"]["item"]
    assert "summary" not in item and item["properties"]["name"]["type"] == ["string", "null"]
    assert "$schema" not in api.schema_bundle["$defs"]["owner"]
    assert [len(operation.parameters) for operation in api.operations] == [1, 1]


ELSEWHERE = """\
openapi: 3.1.0
info: {title: refs elsewhere, version: 1.0.0}
paths:
  /a:
    post:
      operationId: post_a
      responses:
        '500':
          description: failed
          content:
            application/json:
              schema:
                type: object
                required: [code]
                properties:
                  code: {type: integer, minimum: 1}
        '503':
          description: unavailable
          content:
            application/json:
              schema:
                $ref: '#/paths/~1a/post/responses/500/content/application~1json/schema'
                description: the same body as the 500's (PagerDuty writes its errors so)
"""


def test_a_schema_ref_outside_components_is_inlined(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(ELSEWHERE)
    api = build(spec, project_root=tmp_path, package="elsewhere").api
    bodies = {key: value for key, value in api.schema_bundle["$defs"].items() if ":" in key}
    inlined = [body for body in bodies.values() if "allOf" in body]
    assert len(bodies) == 2 and len(inlined) == 1
    assert inlined[0]["allOf"][0]["required"] == ["code"]


def test_path_items_in_their_own_files_keep_their_parameters(tmp_path: Path) -> None:
    """Redocly's multi-file layout: `paths: {/items: {$ref: paths/items.yaml}}`, whose operations
    reference parameter files: those are bundled as parameters, not as schemas."""
    (tmp_path / "paths").mkdir()
    (tmp_path / "parameters").mkdir()
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: files, version: 1.0.0}\n"
        "paths:\n  /items:\n    $ref: paths/items.yaml\n"
    )
    (tmp_path / "paths" / "items.yaml").write_text(
        "get:\n  operationId: list_items\n  parameters:\n"
        "    - $ref: ../parameters/limit.yaml\n"
        "  responses:\n    '200':\n      description: ok\n"
    )
    (tmp_path / "parameters" / "limit.yaml").write_text(
        "name: limit\nin: query\nrequired: false\nschema: {type: integer, minimum: 1}\n"
    )
    api = build(tmp_path / "spec.yaml", project_root=tmp_path, package="files").api
    [operation] = api.operations
    assert [parameter.wire_name for parameter in operation.parameters] == ["limit"]


def test_references_where_openapi_allows_none_are_inlined(tmp_path: Path) -> None:
    """DigitalOcean's and Lob's multi-file specs reference whole operations and `content` maps
    from other files (as `redocly bundle` accepts): those are read in place."""
    (tmp_path / "ops").mkdir()
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: files, version: 1.0.0}\n"
        "paths:\n  /items/{id}:\n    get:\n      $ref: ops/get.yaml\n"
    )
    (tmp_path / "ops" / "get.yaml").write_text(
        "operationId: get_item\nparameters:\n"
        "  - {name: id, in: path, required: true, schema: {type: string}}\n"
        "responses:\n  '200':\n    description: ok\n    content:\n      $ref: content.yaml\n"
    )
    (tmp_path / "ops" / "content.yaml").write_text(
        "application/json:\n  schema:\n    type: object\n    properties:\n"
        "      name: {type: string}\n"
    )
    api = build(tmp_path / "spec.yaml", project_root=tmp_path, package="files").api
    [operation] = api.operations
    assert operation.operation_id == "get_item"
    assert [response.body is not None for response in operation.responses] == [True]


def test_a_properties_map_from_another_file_is_read_in_place(tmp_path: Path) -> None:
    """DigitalOcean writes `properties: {$ref: attributes.yml#/ids}`: the reference stands for
    the whole `properties` map (as `redocly bundle` reads it), in a body schema and inside a
    component's `allOf`; a property that is itself called `properties` stays a schema. Its
    patterns escape punctuation (`\\:`), which ECMA-262 without the `u` flag reads literally.
    A body that is an `allOf` of an inline object gets its strategy too, and a Link Object in
    its own file stays a link."""
    (tmp_path / "models").mkdir()
    (tmp_path / "spec.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: files, version: 1.0.0}\npaths:\n  /tags:\n    post:\n"
        "      operationId: tag\n      requestBody:\n        content:\n          application/json:\n"
        "            schema:\n              properties:\n"
        "                $ref: models/attributes.yml#/ids\n"
        "              required: [ids]\n      responses:\n        '200':\n"
        "          description: ok\n          links:\n            user: {$ref: models/link.yml}\n"
        "          content:\n            application/json:\n"
        "              schema: {$ref: models/tag.yml}\n"
        "  /users:\n    put:\n      operationId: update_user\n      requestBody:\n"
        "        content:\n          application/json:\n            schema:\n              allOf:\n"
        "              - {type: object, properties: {settings: {type: string}}}\n"
        "              required: [settings]\n      responses:\n        '204': {description: ok}\n"
    )
    (tmp_path / "models" / "attributes.yml").write_text(
        "ids:\n  ids:\n    type: array\n    items: {type: integer}\n"
        "name:\n  name:\n    type: string\n    pattern: '^[a-zA-Z0-9_\\-\\:]+$'\n"
    )
    (tmp_path / "models" / "tag.yml").write_text(
        "allOf:\n- type: object\n  properties:\n    $ref: attributes.yml#/name\n"
        "- type: object\n  properties:\n    properties:\n      $ref: attributes.yml#/ids/ids\n"
    )
    (tmp_path / "models" / "link.yml").write_text("operationId: update_user\n")
    generation = build(tmp_path / "spec.yaml", project_root=tmp_path, package="files")
    # The Link Object is bundled as a link, not read as a schema with unknown keywords.
    assert not any("link" in path.name for path in generation.files)
    namespace: dict[str, object] = {}
    exec(generation.files[PurePosixPath("files/validators.py")], namespace)
    validate_tag = namespace["validate_tag"]
    assert callable(validate_tag)
    validate_tag({"name": "prod:eu-1", "properties": [1, 2]})
    for bad in ({"name": "prod eu"}, {"properties": ["x"]}, {"name": 5}):
        with pytest.raises(ValueError):
            validate_tag(bad)
    assert b"def update_user_request" in generation.files[PurePosixPath("files/strategies.py")]


# Written as OpenAI's public description writes them (a 3.1 document with 2019-09 recursion, a
# 3.0 boolean exclusive bound and a repeated `required` name).
WRITTEN_FOR_OLDER_TOOLS = """\
openapi: 3.1.0
info: {title: older words, version: 1.0.0}
paths:
  /filters:
    post:
      operationId: post_filter
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/CompoundFilter'}
      responses:
        '204': {description: stored}
components:
  schemas:
    ComparisonFilter:
      type: object
      required: [key, key]
      properties:
        key: {type: string}
        rate: {type: number, minimum: 0, exclusiveMinimum: true}
    CompoundFilter:
      $recursiveAnchor: true
      type: object
      required: [type]
      properties:
        type: {type: string, enum: [and, or]}
        filters:
          type: array
          items:
            anyOf:
              - $ref: '#/components/schemas/ComparisonFilter'
              - $recursiveRef: '#'
"""


def test_words_of_older_dialects_in_a_3_1_document_are_read_as_meant(tmp_path: Path) -> None:
    """`$recursiveRef: '#'` under a component with `$recursiveAnchor: true` is a `$ref` to that
    component; a boolean exclusive bound is read as 3.0 reads it; a repeated required name counts
    once. Each is a located warning, and the portable schemas hold only 2020-12 keywords."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(WRITTEN_FOR_OLDER_TOOLS)
    api = build(spec, project_root=tmp_path, package="older").api
    fields = {field.wire_name: field for field in api.model("CompoundFilter").fields}
    assert fields["filters"].type.type_hint == "list[ComparisonFilter | CompoundFilter]"
    warnings = sorted(warning.pointer for warning in api.warnings)
    assert warnings == [
        "#/components/schemas/ComparisonFilter/properties/rate/exclusiveMinimum",
        "#/components/schemas/ComparisonFilter/required",
        "#/components/schemas/CompoundFilter/$recursiveAnchor",
        "#/components/schemas/CompoundFilter/properties/filters/items/anyOf/1/$recursiveRef",
    ]
    defs = api.schema_bundle["$defs"]
    assert defs["CompoundFilter"]["properties"]["filters"]["items"]["anyOf"][1] == {
        "$ref": "#/$defs/CompoundFilter"
    }
    assert "$recursiveAnchor" not in defs["CompoundFilter"]
    assert defs["ComparisonFilter"]["required"] == ["key"]
    assert defs["ComparisonFilter"]["properties"]["rate"] == {
        "type": "number",
        "exclusiveMinimum": 0,
    }


def test_a_recursive_ref_without_an_anchored_component_is_refused_where_it_is(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(WRITTEN_FOR_OLDER_TOOLS.replace("      $recursiveAnchor: true\n", ""))
    with pytest.raises(SpecErrors) as failure:
        build(spec, project_root=tmp_path, package="older")
    [error] = failure.value.errors
    assert error.pointer.endswith("/items/anyOf/1/$recursiveRef")
    assert "unsupported keyword '$recursiveRef'" in error.message


EXTENSIONS_EVERYWHERE = """\
openapi: 3.0.3
info: {title: extensions, version: 1.0.0}
paths:
  x-null: null
  x-number: 1
  x-looks-like-a-path-item:
    get:
      responses:
        default: {description: not an operation}
  /items:
    get:
      operationId: list_items
      responses:
        '200':
          description: the items
          content:
            application/json:
              schema: {type: array, items: {type: string}}
        x-rate-limited: true
"""


def test_extensions_in_paths_and_responses_are_not_paths_or_statuses(tmp_path: Path) -> None:
    """The Paths and Responses objects allow `x-...` extensions of any JSON value (Mermade's
    extensionsEverywhere): not path items (they were refused: 'must be an object, not null') and
    not responses ('response key ... is not supported')."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(EXTENSIONS_EVERYWHERE)
    api = build(spec, project_root=tmp_path, package="extended").api
    [operation] = api.operations
    assert (operation.path, [response.status for response in operation.responses]) == (
        "/items",
        ["200"],
    )


JAVA_PATTERN = """\
openapi: 3.1.0
info: {title: java pattern, version: 1.0.0}
paths: {}
components:
  schemas:
    Attachment:
      type: object
      properties:
        fileName: {type: string, pattern: '([^\\\\s]+(\\\\.(?i)(jpeg|tiff|pdf))$)'}
        code: {type: string, pattern: '^[A-Z]{3}$'}
"""


def test_a_pattern_no_ecma_engine_compiles_is_a_warning_and_left_out(tmp_path: Path) -> None:
    """Adyen's dispute specs write Java's inline `(?i)`: ECMA-262 has no such group, so neither
    a validator nor ajv could use it. Like an unknown format, it is a located warning and is not
    checked (it was a compile error that refused the whole spec); valid patterns stay checked."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(JAVA_PATTERN)
    api = build(spec, project_root=tmp_path, package="java").api
    [warning] = [warning for warning in api.warnings if "ECMA-262" in warning.message]
    assert warning.pointer == "#/components/schemas/Attachment/properties/fileName/pattern"
    assert (warning.line, warning.column) == (9, 43)
    properties = api.schema_bundle["$defs"]["Attachment"]["properties"]
    assert properties["fileName"] == {"type": "string"}
    assert properties["code"]["pattern"] == "^[A-Z]{3}$"


def test_swagger_2_with_its_own_references_is_refused_for_its_version(tmp_path: Path) -> None:
    """A Swagger 2.0 document whose references do not resolve (Mermade's ref-encoding2 points
    into `components`, which 2.0 has not): the one error names the version (it was
    'unresolvable $ref' at each reference, before the version was looked at)."""
    spec = tmp_path / "swagger.yaml"
    spec.write_text(
        'swagger: "2.0"\ninfo: {title: t, version: "1"}\npaths:\n  /a:\n    get:\n'
        "      responses:\n        '200':\n          description: ok\n"
        "          schema: {$ref: '#/components/schemas/A/properties/b'}\n"
        "definitions:\n  A: {type: object}\n"
    )
    with pytest.raises(SpecErrors) as failure:
        build(spec, project_root=tmp_path, package="old")
    [error] = failure.value.errors
    assert (error.pointer, error.line, error.column) == ("#/swagger", 1, 10)
    assert error.message.startswith("Swagger 2.0 is not supported")
