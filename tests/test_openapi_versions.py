"""OpenAPI 3.0 read natively (normalised to the 3.1 model); unknown formats are warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
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
