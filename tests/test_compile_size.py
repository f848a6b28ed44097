"""The size of compiled validator modules is linear in the schema (issue 17 item 6).

Time is measured by `make bench PART=schemas`, never by a test; what a test can bound is the
code: every real schema of `tests/schema_corpus/` compiles to at most a fixed multiple of its
own size (the documents its compile reads included), and schema graphs where each level refers
to the next twice (the shapes that made other stages exponential, issue 18 H1) grow by the same
amount per level.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from generator.emit.validators import compile_schema
from generator.errors import SchemaCompileError
from tests.test_compile_schema import unfold
from tests.test_schema_corpus import CORPUS, SCHEMAS, read_json, registry_documents

# Bytes of module per byte of compact schema JSON, plus the helpers and imports every module
# has. Measured: 0.5x (tsconfig, mostly descriptions) to 19x (codecov, small schemas full of
# short alternatives); the corpus as a whole about 8x.
PER_SCHEMA_BYTE = 24
FIXED_BYTES = 40_000
# The same for the code compiled when the module loads: the module without its functions'
# source (strings, each compiled on the function's first call): helpers, constants, entry
# points. Measured: 0.03x to 1.6x (readthedocs), 7x for a 1 KB schema (within FIXED_BYTES);
# 0.4x to 11.5x when every function but the branch explanations was compiled at load.
PER_SCHEMA_BYTE_LOADED = 2
# package.json, the largest module: measured 4.2% of it compiled at load (55% when only the
# branch explanations were deferred, 100% before).
PACKAGE_LOADED_SHARE = 0.06


def compact_size(document: Any) -> int:
    """Bytes of the document as compact JSON."""
    return len(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode())


@cache
def _compiled(name: str) -> tuple[str, int]:
    """(module source, bytes of the schema and of the registry documents it needed)."""
    schema = read_json(CORPUS / "schemas" / f"{name}.json")
    size = compact_size(schema)
    try:
        source = compile_schema(schema)
    except SchemaCompileError:  # remote references: the registry's documents count too
        registry = registry_documents()
        source = compile_schema(schema, registry=registry)
        size += sum(compact_size(document) for document in registry.values())
    return source, size


def _loaded_bytes(source: str) -> int:
    """Bytes of the module without its deferred functions' source."""
    return len(source.encode()) - (len(unfold(source).encode()) - len(source.encode()))


@pytest.mark.parametrize("name", SCHEMAS)
def test_compiled_size_is_bounded_by_the_schema(name: str) -> None:
    source, size = _compiled(name)
    limit = FIXED_BYTES + PER_SCHEMA_BYTE * size
    assert len(source.encode()) <= limit, f"{name}: {len(source):,} bytes for {size:,}"
    loaded = _loaded_bytes(source)
    limit = FIXED_BYTES + PER_SCHEMA_BYTE_LOADED * size
    assert loaded <= limit, f"{name}: {loaded:,} bytes compiled at load for {size:,}"


def test_the_largest_module_compiles_little_at_load() -> None:
    source, _ = _compiled("package")
    loaded = _loaded_bytes(source)
    assert loaded <= PACKAGE_LOADED_SHARE * len(source.encode()), f"{loaded:,} of {len(source):,}"


def _chain(levels: int, level: Callable[[str], Any]) -> dict[str, Any]:
    """`d{i}` built by `level` from a reference to `d{i+1}`; the last one a small object."""
    definitions = {f"d{index}": level(f"#/$defs/d{index + 1}") for index in range(levels)}
    leaf = {"type": "object", "properties": {"x": {"type": "string", "maxLength": 3}}}
    definitions[f"d{levels}"] = leaf
    # Under anyOf, so that the boolean walk (the one that inlines) is compiled too.
    return {"$defs": definitions, "anyOf": [{"type": "null"}, {"$ref": "#/$defs/d0"}]}


def _object(reference: str) -> dict[str, Any]:
    properties = {"a": {"$ref": reference}, "b": {"$ref": reference}}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _branches(reference: str) -> dict[str, Any]:
    inline = {"type": "object", "properties": {"z": {"$ref": reference}}, "required": ["z"]}
    return {"anyOf": [{"$ref": reference}, inline], "oneOf": [{"$ref": reference}, inline]}


SHAPES: dict[str, Callable[[str], Any]] = {
    "properties": _object,  # the boolean walk inlines small $ref targets: capped per call
    "allOf": lambda reference: {"allOf": [{"$ref": reference}, {"$ref": reference}]},
    "anyOf-oneOf": _branches,  # each branch also gets a first-error function (why it failed)
    "items": lambda reference: {"items": {"$ref": reference}, "contains": {"$ref": reference}},
    "not-if": lambda reference: {"not": {"$ref": reference}, "if": {"$ref": reference}},
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_size_grows_linearly_with_levels_that_refer_twice(shape: str) -> None:
    # Lines, not bytes: inlined bodies nest (the boolean walk's property branches two levels
    # per object), so their indentation, bounded like their lines by MAX_INLINE_LINES, would
    # count as growth until the cap is reached.
    sizes = [
        len(compile_schema(_chain(levels, SHAPES[shape])).splitlines()) for levels in (4, 8, 12)
    ]
    small, middle, large = sizes
    # Linear: the last 4 levels add what the 4 before did (2**levels paths exist; code copied
    # along them, as uncapped inlining would, is 16 times larger each time).
    assert large - middle <= 1.5 * (middle - small), f"{shape}: {sizes}"
    assert (large - middle) / 4 < 100, f"{shape}: {sizes} (lines per level)"
