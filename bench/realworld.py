"""Validation speed of one large real-world schema compiled with `compile_schema` (issue 19, 2).

The schema is OAI's OpenAPI 3.0 schema from `tests/schema_corpus/` (draft 4, 36 KB: `oneOf`
over `$ref`s, `patternProperties`, `additionalProperties: false` everywhere); the payloads are
its shipped examples and the OpenAPI 3.0 descriptions of `tests/public_specs/` (real APIs, 2 KB
to 250 KB; licences in that folder). Draft 4 is one fastjsonschema knows, so every peer runs.

Contenders, as in the main validation table: the floor walk (`bench/floor.py`); the compiled
module's `validate` (first error) and `list(iter_errors(...))`; python-jsonschema
(`Draft4Validator.validate`); fastjsonschema (`compile(schema, use_default=False,
use_formats=False)`); jsonschema-rs (`validator_for(schema, validate_formats=False)`). Formats
are annotations for every one of them (the compiled module's default). Times are medians of
interleaved samples (`bench/timing.py`), reported as multiples of the floor; every verdict is
checked against ours before timing. `python -m bench.realworld [--profile]`.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from bench import peers
from bench.floor import floor_walk
from bench.schemas import CORPUS, _read, samples
from bench.timing import Budget, Contender, measure
from bench.validation import _raising
from generator.emit.validators import compile_schema
from generator.spec.loader import load_document

SCHEMA = "openapi-3.0"
PUBLIC_SPECS = peers.ROOT / "tests" / "public_specs"
NAMES = ("floor", "validate", "iter_errors", "jsonschema", "fastjsonschema", "jsonschema-rs")
Check = Callable[[Any], bool]


@dataclass(frozen=True)
class Document:
    """One payload: its label, the parsed instance, its size and node count."""

    label: str
    data: Any
    kilobytes: float
    nodes: int


def _nodes(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(map(_nodes, value.values()))
    if isinstance(value, list):
        return 1 + sum(map(_nodes, value))
    return 1


def documents() -> list[Document]:
    """The shipped examples, then every OpenAPI 3.0 description of tests/public_specs."""
    found = [(f"example {index + 1}", data) for index, data in enumerate(samples(SCHEMA))]
    for path in sorted([*PUBLIC_SPECS.glob("*.yaml"), *PUBLIC_SPECS.glob("*.json")]):
        data = load_document(path).data  # the project's loader: YAML timestamps stay strings
        if isinstance(data, dict) and str(data.get("openapi", "")).startswith("3.0."):
            found.append((path.stem, data))
    return [
        Document(label, data, len(json.dumps(data, default=str).encode()) / 1e3, _nodes(data))
        for label, data in found
    ]


def compiled_module() -> types.ModuleType:
    """The corpus schema compiled by compile_schema and loaded."""
    schema = _read(CORPUS / "schemas" / f"{SCHEMA}.json")
    module = types.ModuleType("compiled_openapi_30")
    exec(compile(compile_schema(schema), "<compiled>", "exec"), module.__dict__)  # noqa: S102
    return module


def _floor(data: Any) -> bool:
    floor_walk(data)
    return True


def checks(notes: list[str]) -> dict[str, Check]:
    """Every contender that is installed, by column name."""
    schema = _read(CORPUS / "schemas" / f"{SCHEMA}.json")
    module = compiled_module()
    found: dict[str, Check] = {
        "floor": _floor,
        "validate": _raising(module.validate, module.ValidationError),
        "iter_errors": lambda data: not list(module.iter_errors(data)),
    }
    jsonschema = peers.optional_module("jsonschema")
    if jsonschema is not None:
        found["jsonschema"] = _raising(
            jsonschema.Draft4Validator(schema).validate, jsonschema.ValidationError
        )
    fastjsonschema = peers.optional_module("fastjsonschema")
    if fastjsonschema is not None:
        compiled = fastjsonschema.compile(schema, use_default=False, use_formats=False)
        found["fastjsonschema"] = _raising(compiled, fastjsonschema.JsonSchemaValueException)
    rust = peers.optional_module("jsonschema_rs")
    if rust is not None:
        validator = rust.validator_for(schema, validate_formats=False)
        found["jsonschema-rs"] = _raising(validator.validate, rust.ValidationError)
    missing = [name for name in NAMES if name not in found]
    if missing:
        notes.append(f"not installed: {', '.join(missing)} (requirements-bench.txt)")
    return found


def run(budget: Budget | None = None) -> tuple[list[dict[str, object]], list[str]]:
    """One row per payload: its verdict, size, and the median of every contender."""
    notes: list[str] = []
    contenders = checks(notes)
    rows = []
    for document in documents():
        verdicts = {name: check(document.data) for name, check in contenders.items()}
        ours = verdicts["validate"]
        for name, verdict in verdicts.items():
            if name != "floor" and verdict != ours:
                notes.append(f"{document.label}: {name} says {verdict}, ours {ours}")
        timings = measure(
            [Contender(name, partial(check, document.data)) for name, check in contenders.items()],
            budget or Budget(contender_ns=60_000_000),
        )
        rows.append(
            {
                "payload": document.label,
                "kilobytes": round(document.kilobytes, 1),
                "nodes": document.nodes,
                "valid": ours,
                "cpu_ns": {name: timing.cpu_ns for name, timing in timings.items()},
            }
        )
    return rows, notes


def report(rows: list[dict[str, Any]], notes: list[str]) -> str:
    """Markdown table: the floor in µs, every other contender as a multiple of it (CPU time)."""
    title = f"\nValidation with the {SCHEMA} schema compiled by compile-schema (CPU time, "
    title += "multiples of the floor walk):\n"
    header = "| payload | KB | nodes | valid | floor | " + " | ".join(NAMES[1:]) + " |"
    lines = [title, header, "|---|---:|---:|---|---:|" + "---:|" * (len(NAMES) - 1)]
    for row in rows:
        times = row["cpu_ns"]
        floor = times["floor"]
        cells = [row["payload"], f"{row['kilobytes']:.1f}", str(row["nodes"])]
        cells += ["yes" if row["valid"] else "no", f"{floor / 1e3:.1f} µs"]
        cells += [f"{times[name] / floor:.2f}x" if name in times else "-" for name in NAMES[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    medians = [
        (
            f"{statistics.median(row['cpu_ns'][name] / row['cpu_ns']['floor'] for row in rows):.2f}x"
            if all(name in row["cpu_ns"] for row in rows)
            else "-"
        )
        for name in NAMES[1:]
    ]
    lines.append(f"| median of {len(rows)} | | | | | " + " | ".join(medians) + " |")
    lines += [f"\n- {note}" for note in notes]
    return "\n".join(lines)


def profile(top: int = 12) -> str:
    """Where `validate` spends its time on the largest payload: cProfile, by own time."""
    module = compiled_module()
    largest = max(documents(), key=lambda document: document.nodes)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(50):
        try:
            module.validate(largest.data)
        except module.ValidationError:
            pass
    profiler.disable()
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(top)
    return f"{largest.label} ({largest.nodes} nodes), 50 calls of validate:\n{text.getvalue()}"


def main(argv: list[str]) -> int:
    """`python -m bench.realworld [--profile]`."""
    print(report(*run()))
    if "--profile" in argv:
        print(profile())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
