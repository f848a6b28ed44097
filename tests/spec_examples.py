"""The spec's own examples (copied from the seeds into the spec), grouped by the model they parse into."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from tests.conftest import SPEC


def _load() -> dict[str, Any]:
    with SPEC.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def _deref(spec: dict[str, Any], node: Any) -> Any:
    while isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def iter_examples() -> Iterator[tuple[str, str, Any]]:
    """(example id, component schema name, example value) for every media-type example in the spec."""
    spec = _load()
    seen: set[str] = set()
    for section in ("requestBodies", "responses"):
        for name, raw in sorted(spec.get("components", {}).get(section, {}).items()):
            body = _deref(spec, raw)
            media = (body.get("content") or {}).get("application/json") or {}
            schema_ref = (media.get("schema") or {}).get("$ref", "")
            component = schema_ref.rsplit("/", 1)[-1]
            for example_name, raw_example in sorted((media.get("examples") or {}).items()):
                example = _deref(spec, raw_example)
                key = f"{section}.{name}.{example_name}"
                if key not in seen and "value" in example:
                    seen.add(key)
                    yield key, component, example["value"]
