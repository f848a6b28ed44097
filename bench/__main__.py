"""`python -m bench`: run every benchmark, print the report, write bench/results.json."""

from __future__ import annotations

import argparse
import gc
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter_ns

from bench import (
    importtime,
    machine,
    models,
    peers,
    processes,
    pydantic_models,
    realworld,
    report,
    scale,
    schemas,
    validation,
)
from bench.corpus import build_corpus
from bench.results import Clock, Results
from bench.targets import judge_all
from bench.timing import Budget, measure

DEFAULT_OUTPUT = peers.ROOT / "bench" / "results.json"
PARTS = ("validation", "models", "generation", "imports", "scale", "schemas")
# Whole-process budgets (seconds) and (min, max) rounds; in-process ones live in timing.Budget.
GENERATION_BUDGET_S, GENERATION_ROUNDS = 20, (3, 7)
IMPORT_BUDGET_S, IMPORT_ROUNDS = 8, (5, 15)


class Progress:
    """Progress lines on stderr (the report itself goes to stdout)."""

    def __init__(self) -> None:
        self.start = perf_counter_ns()

    def elapsed_s(self) -> float:
        """Seconds since the run started."""
        return (perf_counter_ns() - self.start) / 1e9

    def __call__(self, message: str) -> None:
        print(f"[{self.elapsed_s():5.0f} s] {message}", file=sys.stderr, flush=True)


def run_validation(results: Results, budget: Budget, progress: Progress) -> None:
    """Every payload through every validator, interleaved per payload."""
    setup = validation.load_validation()
    results.notes += setup.notes
    for payload in results.payloads:
        checks = setup.checks[payload.kind]
        results.notes += validation.verdict_problems(payload, checks)
        progress(f"validation {payload.name}")
        contenders = validation.validation_contenders(payload, checks)
        results.validation[payload.name] = measure(contenders, budget)


def run_models(results: Results, budget: Budget, scratch: Path, progress: Progress) -> None:
    """Every valid payload through every decoder and encoder, interleaved per payload."""
    progress("generating pydantic v2 and msgspec models with datamodel-codegen")
    setup = models.load_models(scratch, results.payloads)
    results.notes += setup.notes
    for payload in results.payloads_where(valid=True):
        results.round_trips[payload.name] = models.round_trips(payload, setup)
        progress(f"models {payload.name}")
        results.models[payload.name] = measure(models.model_contenders(payload, setup), budget)


def run_generation(results: Results, factor: float, scratch: Path, progress: Progress) -> None:
    """invitegen generate (cold, warm) against datamodel-codegen, whole processes."""
    progress("generation: invitegen (cold, warm) and datamodel-codegen, whole processes")
    spec = pydantic_models.prepare_spec(scratch)
    commands = processes.generation_commands(scratch, spec)
    budget_ns = int(GENERATION_BUDGET_S * factor * 1e9)
    results.generation = processes.time_commands(
        commands, scratch / "generation", budget_ns, GENERATION_ROUNDS
    )


def run_imports(results: Results, factor: float, scratch: Path, progress: Progress) -> None:
    """`import graph_invite.client` against `import msgraph`, fresh interpreters."""
    progress("imports: graph_invite.client and msgraph, fresh interpreters")
    budget_ns = int(IMPORT_BUDGET_S * factor * 1e9)
    results.imports = processes.time_commands(
        processes.import_commands(), scratch / "imports", budget_ns, IMPORT_ROUNDS
    )
    for module in ("graph_invite.client", "msgraph"):
        pycache = scratch / "imports" / "pycache"
        results.import_profile[module] = importtime.import_profile(module, pycache)


def run_schemas(
    budget: Budget, progress: Progress
) -> tuple[list[dict[str, object]], tuple[list[dict[str, object]], list[str]]]:
    """Compile time of the corpus schemas, then validation with one of them compiled."""
    progress("schemas: compile time of every tests/schema_corpus schema, fresh processes")
    rows = schemas.run()
    progress("schemas: validation with the compiled OpenAPI 3.0 schema (issue 19)")
    return rows, realworld.run(budget)


def print_schemas(
    rows: list[dict[str, object]], validation: tuple[list[dict[str, object]], list[str]]
) -> None:
    """The two tables of the schemas part."""
    print("\nCompile time of real-world schemas (CPU seconds, fresh processes; ratio: the")
    print("peer's time over invitegen's compile + load, above 1x invitegen is faster):\n")
    print(schemas.report(rows))
    print(realworld.report(*validation))


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """--budget scales every time budget; --skip leaves parts out; --output moves results.json."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--budget", type=float, default=1.0, help="time budget factor (1.0)")
    parser.add_argument("--skip", action="append", choices=PARTS, default=[], help="leave out")
    parser.add_argument("--part", action="append", choices=PARTS, default=[], help="run only")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="results file")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall", help="clock of the tables (wall)"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the parts, print the report, write results.json; always 0 (a benchmark never fails)."""
    arguments = parse_arguments(argv)
    if arguments.part:
        arguments.skip = [part for part in PARTS if part not in arguments.part]
    progress = Progress()
    budget = Budget().scaled(arguments.budget)
    results = Results(machine.describe(), peers.versions(), build_corpus())
    results.machine["cpu_pressure_start"] = machine.cpu_pressure()
    with tempfile.TemporaryDirectory(prefix="invitegen-bench-") as folder:
        scratch = Path(folder)
        gc.collect()
        gc.freeze()  # the corpus is long-lived: keep it out of the collections between samples
        if "validation" not in arguments.skip:
            run_validation(results, budget, progress)
        if "models" not in arguments.skip:
            run_models(results, budget, scratch, progress)
        if "generation" not in arguments.skip:
            run_generation(results, arguments.budget, scratch, progress)
        if "imports" not in arguments.skip:
            run_imports(results, arguments.budget, scratch, progress)
        scale_rows: list[dict[str, object]] = []
        hostile_rows: list[dict[str, object]] = []
        if "scale" not in arguments.skip:
            progress("scale: generation of a synthesised spec at 1/4, 1/2 and 1x (500 operations)")
            scale_rows = scale.run(scratch / "scale")
            progress("scale: hostile shapes (allOf fan-out, rings, a 60,000-value enum)")
            hostile_rows = scale.run_hostile(scratch / "hostile")
        schema_rows: list[dict[str, object]] = []
        realworld_rows: tuple[list[dict[str, object]], list[str]] = ([], [])
        if "schemas" not in arguments.skip:
            schema_rows, realworld_rows = run_schemas(budget, progress)
    results.elapsed_s = progress.elapsed_s()
    results.machine["cpu_pressure_end"] = machine.cpu_pressure()
    clock: Clock = arguments.clock
    targets = judge_all(results, clock)
    other_targets = judge_all(results, "cpu" if clock == "wall" else "wall")
    print(report.full_report(results, clock, targets, other_targets))
    if scale_rows:
        print("\nGeneration against spec size (seconds, fresh process, empty black cache):\n")
        print(scale.report(scale_rows))
        print("\nHostile shapes (issue 18; seconds, fresh processes):\n")
        print(scale.hostile_report(hostile_rows))
    if schema_rows:
        print_schemas(schema_rows, realworld_rows)
    wall, cpu = (targets, other_targets) if clock == "wall" else (other_targets, targets)
    document = {
        **results.as_json(),
        "targets": [target.as_json() for target in wall],
        "targets_cpu_time": [target.as_json() for target in cpu],
        "scale": scale_rows,
        "hostile": hostile_rows,
        "schemas": schema_rows,
        "schema_validation": realworld_rows[0],
    }
    arguments.output.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {arguments.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
