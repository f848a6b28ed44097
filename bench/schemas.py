"""Compile time of the real-world schemas of `tests/schema_corpus/` (issue 17, item 6).

Each schema is timed in fresh interpreters (nothing cached from another schema or round), CPU
seconds (the machine is shared), the minimum over `ROUNDS` processes:

- invitegen: `compile_schema` (schema -> module source), then loading that source (`compile`
  + `exec`), and the size of the source; the module keeps its functions as source and compiles
  each on its first call, so apart: the first use (the samples below checked once with
  `validate` and `iter_errors`, compiling the functions they reach) and compiling every
  function (what loading cost when they were all compiled at load);
- fastjsonschema, when installed: `fastjsonschema.compile` (it generates and executes code as
  well; drafts 4 to 7 only, remote `$ref`s served from the same registry by handlers, never the
  network): a schema it refuses is listed with the reason;
- jsonschema-rs, when installed: building its validator (Rust; references from the registry);
- python-jsonschema: it compiles nothing, so its figure is the time until the schema is
  usable: `check_schema`, the validator, and its first validation (references are resolved
  lazily, on first use).

Then both validators check the schema's shipped samples (`positive/` and `negative/`):
microseconds per sample, so the table shows how many validations pay for the compile.
`make bench PART=schemas` runs this part alone; `python -m bench.schemas [NAME ...]` too.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from time import process_time
from typing import Any

from bench.peers import ROOT, optional_module
from generator.emit.validators import compile_schema

CORPUS = ROOT / "tests" / "schema_corpus"
ROUNDS = 3
FASTJSONSCHEMA_DRAFTS = frozenset({"draft4", "draft6", "draft7"})
TOOLS = ("invitegen", "fastjsonschema", "jsonschema_rs", "jsonschema")
TIMEOUT_S = 300
# Samples are validated this many times per tool (the minimum per sample is kept).
SAMPLE_LOOPS = 5


def schema_names() -> list[str]:
    """Every corpus schema, by file stem."""
    return sorted(path.stem for path in (CORPUS / "schemas").glob("*.json"))


def _read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def registry_documents() -> dict[str, Any]:
    """URI -> document for the registry folder and every corpus schema (by `$id`)."""
    paths = sorted([*(CORPUS / "registry").glob("*.json"), *(CORPUS / "schemas").glob("*.json")])
    documents = (_read(path) for path in paths)
    return {document["$id"]: document for document in documents if "$id" in document}


def samples(name: str) -> list[Any]:
    """The sample instances shipped with a schema (valid and invalid ones)."""
    folders = [CORPUS / kind / name for kind in ("positive", "negative")]
    return [_read(path) for folder in folders for path in sorted(folder.glob("*.json"))]


def _cpu(call: Any) -> tuple[float, Any]:
    """(CPU seconds, result) of one call."""
    start = process_time()
    result = call()
    return process_time() - start, result


def _per_sample(check: Any, instances: list[Any]) -> float:
    """Best CPU microseconds per instance over SAMPLE_LOOPS passes."""
    best = float("inf")
    for _ in range(SAMPLE_LOOPS):
        seconds, _ = _cpu(lambda: [check(instance) for instance in instances])
        best = min(best, seconds)
    return best / len(instances) * 1e6


def _short(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".splitlines()[0]
    return text if len(text) <= 70 else text[:67] + "..."


def _first_use(namespace: dict[str, Any], instances: list[Any]) -> None:
    """Each instance checked once by `validate` and `iter_errors`, in a fresh module (compiling
    the functions they reach)."""
    for instance in instances:
        try:
            namespace["validate"](instance)
        except namespace["ValidationError"]:
            pass
        list(namespace["iter_errors"](instance))


def time_invitegen(schema: Any, registry: dict[str, Any], instances: list[Any]) -> dict[str, Any]:
    """Compile, load and validate with invitegen."""
    compile_s, source = _cpu(lambda: compile_schema(schema, registry=registry))
    namespace: dict[str, Any] = {}
    load_s, _ = _cpu(lambda: exec(compile(source, "<compiled>", "exec"), namespace))  # noqa: S102
    row: dict[str, Any] = {"compile": compile_s, "load": load_s}
    deferred = namespace.get("_DEFERRED")
    if deferred is not None:
        # Every function (a run compiles those it reaches, on their first call), into a copy of
        # the namespace: the samples below run as in a fresh module.
        sources = list(deferred.sources.values())
        copy = dict(namespace)

        def compile_deferred() -> None:
            for code in sources:
                exec(compile(code, "<deferred>", "exec"), copy)  # noqa: S102

        row["deferred"], _ = _cpu(compile_deferred)
    row["source_bytes"] = len(source.encode())
    # "Validator compiled from a JSON Schema (draft7)." -> draft7
    row["dialect"] = str(namespace.get("__doc__", "")).rpartition("(")[2].partition(")")[0]
    if instances:
        errors = namespace["iter_errors"]
        row["first_use"], _ = _cpu(lambda: _first_use(namespace, instances))
        row["per_sample_us"] = _per_sample(lambda instance: next(errors(instance), None), instances)
    return row


def _server(registry: dict[str, Any]) -> Any:
    """uri -> document from the registry or the standard meta-schemas (as invitegen has them
    built in); any other URI is an error (never the network)."""
    specifications = optional_module("jsonschema_specifications")
    known = set(specifications.REGISTRY) if specifications is not None else set()

    def serve(uri: str) -> Any:
        address = uri.split("#", maxsplit=1)[0]
        document = registry.get(uri) or registry.get(address)
        if document is None and specifications is not None and address in known:
            document = specifications.REGISTRY.contents(address)
        if document is None:
            raise LookupError(f"{uri} is not in the registry (the network is never used)")
        return document

    return serve


def time_fastjsonschema(schema: Any, registry: dict[str, Any]) -> dict[str, Any]:
    """fastjsonschema.compile, or why it refused."""
    module = optional_module("fastjsonschema")
    if module is None:
        return {"absent": True}

    serve = _server(registry)
    handlers = {"http": serve, "https": serve}
    try:
        seconds, _ = _cpu(lambda: module.compile(schema, handlers=handlers))
    except Exception as error:  # any refusal is a result to report
        return {"refused": _short(error)}
    return {"compile": seconds}


def time_jsonschema_rs(schema: Any, registry: dict[str, Any]) -> dict[str, Any]:
    """jsonschema-rs (Rust) building its validator, or why it refused."""
    module = optional_module("jsonschema_rs")
    if module is None:
        return {"absent": True}

    serve = _server(registry)
    try:
        seconds, _ = _cpu(lambda: module.validator_for(schema, retriever=serve))
    except Exception as error:  # any refusal is a result to report
        return {"refused": _short(error)}
    return {"compile": seconds}


def _jsonschema_registry(registry: dict[str, Any]) -> Any:
    """The documents as a `referencing.Registry` (draft 7 where a document names no dialect)."""
    referencing = optional_module("referencing")
    specifications = optional_module("referencing.jsonschema")
    if referencing is None or specifications is None:
        return None
    resources = [
        (uri, referencing.Resource.from_contents(document, specifications.DRAFT7))
        for uri, document in registry.items()
    ]
    return referencing.Registry().with_resources(resources)


def time_jsonschema(schema: Any, registry: dict[str, Any], instances: list[Any]) -> dict[str, Any]:
    """python-jsonschema: check_schema + validator + first validation, then per sample."""
    validators = optional_module("jsonschema.validators")
    if validators is None:
        return {"absent": True}
    references = _jsonschema_registry(registry)
    first = instances[0] if instances else {}

    def ready() -> Any:
        cls = validators.validator_for(schema, default=validators.Draft202012Validator)
        cls.check_schema(schema)
        validator = cls(schema, registry=references)
        validator.is_valid(first)
        return validator

    try:
        seconds, validator = _cpu(ready)
        row: dict[str, Any] = {"ready": seconds}
        if instances:
            check = validator.iter_errors
            row["per_sample_us"] = _per_sample(lambda item: next(check(item), None), instances)
    except Exception as error:  # a reference failure is a result
        return {"refused": _short(error)}
    return row


def time_in_process(name: str) -> dict[str, Any]:
    """Every figure for one schema, in this (fresh) interpreter."""
    schema = _read(CORPUS / "schemas" / f"{name}.json")
    registry = registry_documents()
    instances = samples(name)
    return {
        "schema": name,
        "schema_bytes": (CORPUS / "schemas" / f"{name}.json").stat().st_size,
        "samples": len(instances),
        "invitegen": time_invitegen(schema, registry, instances),
        "fastjsonschema": time_fastjsonschema(schema, registry),
        "jsonschema_rs": time_jsonschema_rs(schema, registry),
        "jsonschema": time_jsonschema(schema, registry, instances),
    }


def measure(name: str) -> dict[str, Any]:
    """`time_in_process` in a fresh interpreter; {"failed": reason} when it does not finish."""
    code = "import json, sys; from bench.schemas import time_in_process; "
    code += "print(json.dumps(time_in_process(sys.argv[1])))"
    try:
        completed = subprocess.run(  # noqa: S603 - our own argv, no shell
            [sys.executable, "-c", code, name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"schema": name, "failed": f"over {TIMEOUT_S} s"}
    if completed.returncode != 0:
        lines = completed.stderr.strip().splitlines() or ["no output"]
        return {"schema": name, "failed": lines[-1][:100]}
    row: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return row


def _best(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from several rounds: the minimum of every number (refusals kept)."""
    best = dict(rows[0])
    for tool in TOOLS:
        figures = [row[tool] for row in rows]
        merged = dict(figures[0])
        for key, value in merged.items():
            if isinstance(value, float):
                merged[key] = min(figure[key] for figure in figures)
        best[tool] = merged
    return best


def run(names: list[str] | None = None, rounds: int = ROUNDS) -> list[dict[str, Any]]:
    """One row per corpus schema (the best of `rounds` fresh processes each)."""
    rows = []
    for name in names or schema_names():
        measured = [measure(name) for _ in range(rounds)]
        good = [row for row in measured if "failed" not in row]
        rows.append(_best(good) if good else measured[0])
    return rows


def _seconds(value: float) -> str:
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.1f}x" if ours > 0 else "-"


def _row_cells(row: dict[str, Any]) -> list[str]:
    """Table cells of one schema."""
    ours, fast, reference = row["invitegen"], row["fastjsonschema"], row["jsonschema"]
    total = ours["compile"] + ours["load"]
    cells = [row["schema"], f"{row['schema_bytes'] / 1e3:.0f}", _seconds(ours["compile"])]
    cells += [_seconds(ours["load"]), _seconds(ours.get("first_use", 0.0))]
    cells += [_seconds(ours.get("deferred", 0.0))]
    cells += [f"{ours['source_bytes'] / 1e3:.0f}"]
    if "compile" in fast and ours["dialect"] not in FASTJSONSCHEMA_DRAFTS:
        # It compiles what it knows of a newer draft and skips the rest: no comparison.
        cells += [f"({_seconds(fast['compile'])}, {ours['dialect']} unsupported)", "-"]
    elif "compile" in fast:
        cells += [_seconds(fast["compile"]), _ratio(fast["compile"], total)]
    else:
        cells += ["not installed" if "absent" in fast else f"refused ({fast['refused']})", "-"]
    rust = row["jsonschema_rs"]
    if "compile" in rust:
        cells += [_seconds(rust["compile"]), _ratio(rust["compile"], total)]
    else:
        cells += ["not installed" if "absent" in rust else f"refused ({rust['refused']})", "-"]
    if "ready" in reference:
        cells += [_seconds(reference["ready"]), _ratio(reference["ready"], total)]
    else:
        cells += ["-" if "absent" in reference else f"failed ({reference['refused']})", "-"]
    if "per_sample_us" in ours and "per_sample_us" in reference:
        ratio = _ratio(reference["per_sample_us"], ours["per_sample_us"])
        cells += [
            f"{row['samples']}",
            f"{ours['per_sample_us']:.0f} / {reference['per_sample_us']:.0f}",
            ratio,
        ]
    else:
        cells += [f"{row['samples']}", "-", "-"]
    return cells


HEADER = (
    "| schema | KB | invitegen compile s | load s | first use s | all functions s | source KB "
    "| fastjsonschema s | ratio "
    "| jsonschema-rs s | ratio | jsonschema ready s | ratio | samples "
    "| us/sample (ours / jsonschema) | speedup |"
)


def report(rows: list[dict[str, Any]]) -> str:
    """The table (ratios: the peer's time over invitegen's compile + load; above 1x we are
    faster), then the slowest compile and the totals."""
    lines = [HEADER, "|---|" + "---:|" * 15]
    measured = []
    for row in rows:
        if "failed" in row:
            lines.append(f"| {row['schema']} | failed: {row['failed']} |")
            continue
        measured.append(row)
        lines.append("| " + " | ".join(_row_cells(row)) + " |")
    if measured:

        def ready(row: dict[str, Any]) -> float:
            return float(row["invitegen"]["compile"] + row["invitegen"]["load"])

        slowest = max(measured, key=ready)
        ours = slowest["invitegen"]
        total = sum(ready(row) for row in measured)
        lines.append(
            f"\nSlowest compile + load: {slowest['schema']} {ours['compile']:.2f} + "
            f"{ours['load']:.2f} s CPU; all {len(measured)} schemas {total:.2f} s (best of "
            f"{ROUNDS} fresh processes each)."
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """`python -m bench.schemas [NAME ...]`: the table for some or all corpus schemas."""
    print(report(run(argv or None)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
