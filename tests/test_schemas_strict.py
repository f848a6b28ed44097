"""The emitted JSON Schemas compile in ajv's strict mode: its `strictRequired` rule, in Python.

Checked with node + ajv 8 (`Ajv2020({strict: true})` + ajv-formats) when the files changed;
this test keeps the rule that failed then (issue 17): every key a `required` lists is defined
under the same schema object's `properties`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.emit.schemas import strict_required

SCHEMAS = sorted((Path(__file__).resolve().parents[1] / "generated" / "schemas").glob("*.json"))


def undefined_required(schema: Any, pointer: str = "#") -> list[str]:
    """Pointers of schema objects whose `required` names a key their `properties` lack."""
    found: list[str] = []
    if isinstance(schema, dict):
        required = schema.get("required", [])
        if any(name not in schema.get("properties", {}) for name in required):
            found.append(pointer)
        for key, value in schema.items():
            if key not in ("enum", "const", "default", "examples"):
                found += undefined_required(value, f"{pointer}/{key}")
    elif isinstance(schema, list):
        for index, item in enumerate(schema):
            found += undefined_required(item, f"{pointer}/{index}")
    return found


@pytest.mark.parametrize("path", SCHEMAS, ids=[path.name for path in SCHEMAS])
def test_emitted_schemas_pass_strict_required(path: Path) -> None:
    assert undefined_required(json.loads(path.read_text(encoding="utf-8"))) == []


def test_strict_required_keeps_instances_and_data() -> None:
    schema = {
        "properties": {"a": {"type": "string"}},
        "anyOf": [{"required": ["a"]}, {"required": ["b"]}],
        "enum": [{"required": ["x"]}],
    }
    fixed = strict_required(schema)
    assert fixed["anyOf"] == [
        {"required": ["a"], "properties": {"a": True}},
        {"required": ["b"], "properties": {"b": True}},
    ]
    assert fixed["enum"] == [{"required": ["x"]}]
    assert undefined_required(fixed) == []
    assert undefined_required(schema) == ["#/anyOf/0", "#/anyOf/1"]
