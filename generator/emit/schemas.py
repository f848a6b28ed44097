"""Emit stage: IR -> standalone JSON Schema (draft 2020-12) files, one per component schema."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from generator.ir.model import Api, SchemaFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# `$id` names the schema; it is not a download location (`.invalid` can never resolve), so no
# implementation will try to fetch it, and bundled `$defs` make every file self-contained.
ID_BASE = "https://invitegen.invalid/schemas/graph-invite/"


def schema_document(api: Api, schema_file: SchemaFile) -> dict[str, Any]:
    """The JSON document for one schema file: root `$ref`s its entry in the bundled `$defs`.

    Every component keeps the same `#/$defs/<name>` pointer in every file, so a validator error's
    `schema_path` is a valid pointer into any file that bundles that component.
    """
    document: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{ID_BASE}{schema_file.name}.schema.json",
        "title": schema_file.title,
    }
    if schema_file.description:
        document["description"] = schema_file.description
    document["$ref"] = f"#/$defs/{schema_file.entry}"
    bundle = api.annotated_bundle or api.schema_bundle  # unknown formats kept as annotations
    document["$defs"] = {name: strict_required(bundle["$defs"][name]) for name in schema_file.defs}
    return document


# Keywords whose value is instance data, never a schema: left exactly as written.
_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples", "example"})


def strict_required(schema: Any) -> Any:
    """The schema with every key a `required` lists also under that object's `properties`
    (as `true` where it was missing): same instances, and ajv's strict mode (`strictRequired`)
    accepts it, e.g. for `anyOf` branches that hold only `required`."""
    if isinstance(schema, list):
        return [strict_required(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    result = {
        key: value if key in _DATA_KEYWORDS else strict_required(value)
        for key, value in schema.items()
    }
    required = result.get("required")
    if isinstance(required, list) and isinstance(result.get("properties", {}), dict):
        missing = [name for name in required if name not in result.get("properties", {})]
        if missing:
            result["properties"] = {**result.get("properties", {}), **dict.fromkeys(missing, True)}
    return result


def emit_schemas(api: Api) -> dict[PurePosixPath, str]:
    """`schemas/<name>.schema.json` for every schema file in the IR (text, sorted keys kept stable)."""
    return {
        PurePosixPath("schemas", f"{schema_file.name}.schema.json"): json.dumps(
            schema_document(api, schema_file), indent=2, ensure_ascii=False
        )
        + "\n"
        for schema_file in api.schema_files
    }
