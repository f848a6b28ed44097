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
    document["$defs"] = {name: bundle["$defs"][name] for name in schema_file.defs}
    return document


def emit_schemas(api: Api) -> dict[PurePosixPath, str]:
    """`schemas/<name>.schema.json` for every schema file in the IR (text, sorted keys kept stable)."""
    return {
        PurePosixPath("schemas", f"{schema_file.name}.schema.json"): json.dumps(
            schema_document(api, schema_file), indent=2, ensure_ascii=False
        )
        + "\n"
        for schema_file in api.schema_files
    }
