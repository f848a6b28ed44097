"""Generation time against spec size (issues 13 and 18), each run in a fresh interpreter.

Scale: a synthesised spec at 1/4, 1/2 and 1x of 500 operations and 1,000 schemas, with an empty
formatter cache. Stages are timed in-process (`perf_counter`): resolve (load + `$ref`s), IR, emit
(schemas, validators, strategies, client) and format (black through the writer, cold cache, worker
processes). Growth is the ratio of the 1x time to the 1/4 time: 4 is linear, 16 quadratic.

Hostile shapes (issue 18): `allOf` fan-out `g{i} = allOf: [$ref g{i+1}, $ref g{i+1}]` at 18, 20
and 30 levels, a ring of 1,000 and 5,000 schemas (each refers to the next, the last to the
first), an enum of 60,000 values (refused above 5,000: the time to the error). For each,
`generate` up to the files' text (resolve, IR, emit; black is the linear cost the scale table
shows, and the 5,000 ring's 25 MB would keep it busy for minutes) with the output's size, and
`invitegen diff` of the spec against a copy with one description changed (a whole process).

`python -m bench.scale` prints both tables (`--fractions 0.1 0.2` for other sizes, `--part
scale` or `--part hostile` for one); `make bench PART=scale` runs only this module, `make bench`
runs it as the `scale` part.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from time import perf_counter
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FULL_OPERATIONS, FULL_SCHEMAS = 500, 1000
FRACTIONS = (0.25, 0.5, 1.0)
STAGES = ("resolve", "ir", "emit", "format")
HOSTILE_TIMEOUT_S = 300


# Schemas refer to each other within groups of this many, as models of one resource do in real
# specs (the ring of `hostile.py` is the shape where every schema reaches every other). The
# full size is about 95,000 YAML nodes: the loader refuses documents over 100,000.
GROUP = 10


def _schema(index: int, count: int) -> dict[str, Any]:
    """An object schema with scalars of several kinds, an enum, an array and up to two `$ref`s
    to later schemas of its group."""
    properties: dict[str, Any] = {
        "id": {"type": "string"},
        "name": {"type": "string", "maxLength": 64},
        "count": {"type": "integer", "format": "int64", "minimum": 0},
        "ratio": {"type": ["number", "null"]},
        "created": {"type": "string", "format": "date-time"},
        "kind": {"type": "string", "enum": ["a", "b", "c"]},
        "tags": {"type": "array", "items": {"type": "string"}},
    }
    if index % GROUP < GROUP - 1 and index + 1 < count:
        properties["next"] = {"$ref": f"#/components/schemas/thing{index + 1}"}
    if index % GROUP < GROUP - 2 and index + 2 < count:
        properties["items"] = {
            "type": "array",
            "items": {"$ref": f"#/components/schemas/thing{index + 2}"},
        }
    return {"type": "object", "required": ["id"], "properties": properties}


def _operation(index: int, schemas: int) -> tuple[str, str, dict[str, Any]]:
    """One operation: a path with an id, a query and a header parameter, JSON in and out."""
    target = f"#/components/schemas/thing{index % schemas}"
    method = ("get", "post", "put", "patch", "delete")[index % 5]
    operation: dict[str, Any] = {
        "operationId": f"operation{index}",
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1}},
            {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
        ],
        "responses": {
            "200": {
                "description": "ok",
                "content": {"application/json": {"schema": {"$ref": target}}},
            },
        },
    }
    if method in ("post", "put", "patch"):
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": target}}},
        }
    return f"/resources{index}/{{id}}", method, operation


def synthesize(operations: int, schemas: int) -> dict[str, Any]:
    """An OpenAPI 3.1 document with `operations` operations and `schemas` object schemas."""
    paths: dict[str, Any] = {}
    for index in range(operations):
        path, method, operation = _operation(index, schemas)
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Scale", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {"schemas": {f"thing{i}": _schema(i, schemas) for i in range(schemas)}},
    }


def time_stages(spec: Path, formatting: bool = True) -> dict[str, float]:
    """Seconds per stage of one generation (run in a fresh interpreter by `measure`), and the
    output's size in bytes (`bytes`); `formatting=False` stops before black."""
    from dataclasses import replace

    from generator.emit.client import emit_client
    from generator.emit.schemas import emit_schemas
    from generator.emit.strategies import emit_strategies
    from generator.ir.build import api_from_spec
    from generator.output.writer import Header, finalize
    from generator.pipeline import emit_validators
    from generator.spec.refs import resolve_spec

    times: dict[str, float] = {}
    start = perf_counter()
    resolved = resolve_spec(spec)
    times["resolve"] = perf_counter() - start
    start = perf_counter()
    api = replace(api_from_spec(resolved), package="scale")
    times["ir"] = perf_counter() - start
    start = perf_counter()
    files = {
        **emit_schemas(api),
        **emit_validators(api),
        **emit_strategies(api),
        **emit_client(api),
    }
    times["emit"] = perf_counter() - start
    times["bytes"] = float(sum(len(text.encode("utf-8")) for text in files.values()))
    if formatting:
        start = perf_counter()
        finalize(files, Header(spec.name, api.spec_sha256, api.generator_version))
        times["format"] = perf_counter() - start
    return times


def measure(
    spec: Path, scratch: Path, *, formatting: bool = True, timeout: float = 1800
) -> dict[str, float]:
    """Stage times for one spec, in a fresh interpreter with an empty formatter cache;
    `{"failed": 1}` (or `{"timeout": seconds}`) when it does not finish."""
    code = "import json, sys; from bench.scale import time_stages; from pathlib import Path; "
    code += "print(json.dumps(time_stages(Path(sys.argv[1]), sys.argv[2] == 'format')))"
    environment = {**os.environ, "XDG_CACHE_HOME": str(scratch / f"cache-{spec.stem}")}
    command = [sys.executable, "-c", code, str(spec), "format" if formatting else "no-format"]
    try:
        completed = subprocess.run(  # noqa: S603 - our own argv, no shell
            command,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=environment,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"timeout": timeout}
    if completed.returncode != 0:
        refused = "SpecErrors" in completed.stderr
        return {"refused" if refused else "failed": 1.0}
    times: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return times


def run(scratch: Path, fractions: tuple[float, ...] = FRACTIONS) -> list[dict[str, Any]]:
    """One row per size: operations, schemas and the seconds of each stage and in total."""
    scratch.mkdir(parents=True, exist_ok=True)
    rows = []
    for fraction in fractions:
        operations, schemas = int(FULL_OPERATIONS * fraction), int(FULL_SCHEMAS * fraction)
        spec = scratch / f"scale-{operations}-{schemas}.json"
        spec.write_text(json.dumps(synthesize(operations, schemas)), encoding="utf-8")
        times = measure(spec, scratch)
        total = sum(times.get(stage, 0.0) for stage in STAGES)
        rows.append({"operations": operations, "schemas": schemas, **times, "total": total})
    return rows


def _problem(row: dict[str, Any]) -> str | None:
    """Why a row has no times (refused, failed, timed out), or None."""
    if "timeout" in row:
        return f"over {row['timeout']:.0f} s (stopped)"
    if "refused" in row:
        return "refused (a located error)"
    return "failed" if "failed" in row else None


def report(rows: list[dict[str, Any]]) -> str:
    """The table, and the growth from the smallest to the largest size."""
    lines = [
        "| operations | schemas | " + " | ".join(STAGES) + " | total |",
        "|---:|---:|" + "---:|" * (len(STAGES) + 1),
    ]
    for row in rows:
        problem = _problem(row)
        if problem:
            lines.append(f"| {row['operations']} | {row['schemas']} | {problem} |")
            continue
        cells = " | ".join(f"{row[stage]:.2f} s" for stage in (*STAGES, "total"))
        lines.append(f"| {row['operations']} | {row['schemas']} | {cells} |")
    good = [row for row in rows if not _problem(row)]
    if len(good) >= 2:
        small, large = good[0], good[-1]
        size = large["operations"] / small["operations"]
        growth = ", ".join(
            f"{stage} {large[stage] / small[stage]:.1f}x"
            for stage in (*STAGES, "total")
            if small[stage] > 0
        )
        lines.append(
            f"\nGrowth from {small['operations']} to {large['operations']} operations "
            f"({size:g}x the spec; linear is {size:g}x): {growth}"
        )
    return "\n".join(lines)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _one_operation(schemas: dict[str, Any], body: str) -> dict[str, Any]:
    """A document with `schemas` and one operation that sends and answers `body`."""
    content = {"application/json": {"schema": _ref(body)}}
    answer = {"200": {"description": "ok", "content": content}}
    operation = {"operationId": "send", "requestBody": {"content": content}, "responses": answer}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1", "description": "first"},
        "paths": {"/things": {"post": operation}},
        "components": {"schemas": schemas},
    }


def ring_spec(count: int) -> dict[str, Any]:
    """`s{i}` has a `name` and a `next` that is `s{i+1}`; the last one's is `s0`."""
    schemas = {
        f"s{index}": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "next": _ref(f"s{(index + 1) % count}")},
        }
        for index in range(count)
    }
    return _one_operation(schemas, "s0")


def fan_out_spec(levels: int) -> dict[str, Any]:
    """`g{i} = allOf: [$ref g{i+1}, $ref g{i+1}]`: 2**levels paths through `levels` schemas."""
    schemas: dict[str, Any] = {
        f"g{index}": {"allOf": [_ref(f"g{index + 1}"), _ref(f"g{index + 1}")]}
        for index in range(levels)
    }
    schemas[f"g{levels}"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    return _one_operation(schemas, "g0")


def enum_spec(values: int) -> dict[str, Any]:
    """One string enum of `values` values, used by the body."""
    enum = {"type": "string", "enum": [f"value{index}" for index in range(values)]}
    body = {"type": "object", "properties": {"kind": _ref("kind")}}
    return _one_operation({"kind": enum, "body": body}, "body")


HOSTILE: dict[str, tuple[int, ...]] = {"allOf fan-out": (18, 20, 30), "ring": (1000, 5000)}
HOSTILE["enum"] = (60_000,)
_BUILDERS = {"allOf fan-out": fan_out_spec, "ring": ring_spec, "enum": enum_spec}


def time_diff(old: Path, new: Path, timeout: float) -> float | None:
    """Seconds of `invitegen diff old new` in a fresh process; None over `timeout`."""
    command = [sys.executable, "-m", "generator", "diff", str(old), str(new)]
    start = perf_counter()
    try:
        subprocess.run(  # noqa: S603 - our own argv, no shell
            command, capture_output=True, cwd=ROOT, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    return perf_counter() - start


def run_hostile(scratch: Path, timeout: float = HOSTILE_TIMEOUT_S) -> list[dict[str, Any]]:
    """One row per hostile shape and size: generate (to text) and diff seconds, output bytes."""
    scratch.mkdir(parents=True, exist_ok=True)
    rows = []
    for shape, sizes in HOSTILE.items():
        for size in sizes:
            document = _BUILDERS[shape](size)
            spec = scratch / f"{shape.split()[0]}-{size}.json"
            spec.write_text(json.dumps(document), encoding="utf-8")
            document["info"]["description"] = "second"
            edited = scratch / f"{shape.split()[0]}-{size}-edited.json"
            edited.write_text(json.dumps(document), encoding="utf-8")
            times = measure(spec, scratch, formatting=False, timeout=timeout)
            generate = None if _problem(times) else sum(times[stage] for stage in STAGES[:3])
            row = {"shape": shape, "size": size, "spec_bytes": spec.stat().st_size, **times}
            row["generate"], row["diff"] = generate, time_diff(spec, edited, timeout)
            rows.append(row)
    return rows


def hostile_report(rows: list[dict[str, Any]]) -> str:
    """The hostile table and, per shape, the growth of time and output against size."""
    lines = [
        "| shape | size | spec | generate (to text) | output | diff |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        generate = _problem(row) or f"{row['generate']:.2f} s"
        output = f"{row['bytes'] / 1e6:.1f} MB" if "bytes" in row else "-"
        diff = "over the timeout" if row["diff"] is None else f"{row['diff']:.2f} s"
        spec = f"{row['spec_bytes'] / 1e3:.0f} KB"
        lines.append(
            f"| {row['shape']} | {row['size']:,} | {spec} | {generate} | {output} | {diff} |"
        )
    for shape in HOSTILE:
        measured = [row for row in rows if row["shape"] == shape and row["generate"] is not None]
        if len(measured) >= 2:
            small, large = measured[0], measured[-1]
            size = large["spec_bytes"] / small["spec_bytes"]
            growth = f"generate {large['generate'] / small['generate']:.1f}x"
            growth += f", output {large['bytes'] / small['bytes']:.1f}x"
            if small["diff"] and large["diff"]:
                growth += f", diff {large['diff'] / small['diff']:.1f}x"
            lines.append(f"\n{shape}: {size:.1f}x the spec bytes; {growth}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the scale and hostile tables; always 0 (a benchmark never fails)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--fractions", type=float, nargs="+", default=list(FRACTIONS))
    parser.add_argument("--part", choices=("scale", "hostile"), action="append", default=[])
    arguments = parser.parse_args(argv)
    parts = arguments.part or ["scale", "hostile"]
    with tempfile.TemporaryDirectory(prefix="invitegen-scale-") as folder:
        if "scale" in parts:
            print("Generation against spec size (seconds, fresh process, empty black cache):\n")
            print(report(run(Path(folder), tuple(arguments.fractions))), flush=True)
        if "hostile" in parts:
            print("\nHostile shapes (issue 18; seconds, fresh processes):\n")
            print(hostile_report(run_hostile(Path(folder) / "hostile")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
