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
# When bundles would grow with the square of the schema count (`SchemaFile.shared`), every
# definition is written once, here, and each file's root is a `$ref` into it, relative to its
# `$id`. A dash never appears in a component's file name (a Python identifier), so no clash.
SHARED_DEFS = "shared-defs.schema.json"


def schema_document(
    api: Api, schema_file: SchemaFile, definitions: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The JSON document for one schema file: root `$ref`s its entry in the bundled `$defs`
    (or, for a `shared` file, in `shared-defs.schema.json`).

    Every component keeps the same `#/$defs/<name>` pointer in every file, so a validator error's
    `schema_path` is a valid pointer into any file that bundles that component (and into the
    shared definitions file).
    """
    document: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{ID_BASE}{schema_file.name}.schema.json",
        "title": schema_file.title,
    }
    if schema_file.description:
        document["description"] = schema_file.description
    if schema_file.shared:
        document["$ref"] = f"{SHARED_DEFS}#/$defs/{schema_file.entry}"
        return document
    document["$ref"] = f"#/$defs/{schema_file.entry}"
    definitions = definitions if definitions is not None else strict_definitions(api)
    document["$defs"] = {name: definitions[name] for name in schema_file.defs}
    return document


def shared_document(api: Api, definitions: dict[str, Any]) -> dict[str, Any]:
    """`shared-defs.schema.json`: every definition once, for the `shared` schema files."""
    return {
        "$schema": DIALECT,
        "$id": f"{ID_BASE}{SHARED_DEFS}",
        "title": f"{api.title}: shared definitions",
        "$defs": definitions,
    }


def strict_definitions(api: Api) -> dict[str, Any]:
    """Every `$defs` entry of the bundle the files hold, each through `strict_required` once."""
    bundle = api.annotated_bundle or api.schema_bundle  # unknown formats kept as annotations
    return {name: strict_required(schema) for name, schema in bundle["$defs"].items()}


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
    """`schemas/<name>.schema.json` for every schema file in the IR (text, sorted keys kept stable),
    and `schemas/shared-defs.schema.json` when the files share their definitions."""
    definitions = strict_definitions(api)
    documents = {
        PurePosixPath("schemas", f"{schema_file.name}.schema.json"): schema_document(
            api, schema_file, definitions
        )
        for schema_file in api.schema_files
    }
    if any(schema_file.shared for schema_file in api.schema_files):
        documents[PurePosixPath("schemas", SHARED_DEFS)] = shared_document(api, definitions)
    return {
        path: json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        for path, document in documents.items()
    }
