"""Whole-process timings: code generation and package import, each run in a fresh subprocess.

Generation: `invitegen generate` (full tree, black included) cold (a fresh, empty XDG_CACHE_HOME,
so every file is formatted) and warm (a cache filled by an untimed run), against
`datamodel-codegen` on the same spec. Import: `python -c "import X"` minus `python -c "pass"`.
Commands run round-robin like the in-process contenders; every run gets fresh folders. Each run
also records the child's CPU time (user + system, from `getrusage`), as the in-process timings do.

Bytecode caching is on for every child, in a scratch PYTHONPYCACHEPREFIX that the untimed warm-up
runs fill: an installed package has its .pyc files (pip compiles them), so a timing must not
include compiling source. Without this, an environment with PYTHONDONTWRITEBYTECODE=1 would
recompile graph_invite (an editable install without __pycache__) on every import, while msgraph's
.pyc files from pip would be used.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter_ns

from bench import peers, pydantic_models

Setup = Callable[[Path], tuple[list[str], dict[str, str]]]
IMPORTS = {
    "bare interpreter": "pass",
    "graph_invite.client": "import graph_invite.client",
    "msgraph": "import msgraph",
}


class ProcessFailed(RuntimeError):
    """A timed command exited non-zero: its timing would mean nothing."""


@dataclass(frozen=True)
class Command:
    """A named command; `setup(folder)` prepares a fresh folder and returns (argv, extra env)."""

    name: str
    setup: Setup
    warm_up: bool = True  # one untimed run first (page cache, .pyc files, a shared cache)


@dataclass(frozen=True)
class ProcessTiming:
    """Median wall-clock and CPU nanoseconds of the whole process, and every run's wall time."""

    median_ns: float
    cpu_ns: float
    runs_ns: tuple[int, ...]

    def as_json(self) -> dict[str, object]:
        """Plain numbers for results.json."""
        return {"median_ns": self.median_ns, "cpu_ns": self.cpu_ns, "runs_ns": list(self.runs_ns)}


def _children_cpu_ns() -> int:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return int((usage.ru_utime + usage.ru_stime) * 1e9)


def child_environment(pycache: Path) -> dict[str, str]:
    """This process's environment with bytecode caching on, in `pycache` (see module docstring)."""
    environment = {
        key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
    }
    environment["PYTHONPYCACHEPREFIX"] = str(pycache)
    return environment


def _run(command: Command, folder: Path, environment: dict[str, str]) -> tuple[int, int]:
    """Prepare a fresh `folder`, then time the command from spawn to exit: (wall, CPU) ns."""
    folder.mkdir(parents=True)
    argv, extra_env = command.setup(folder)
    environment = {**environment, **extra_env}
    cpu_start = _children_cpu_ns()
    start = perf_counter_ns()
    completed = subprocess.run(  # noqa: S603 - our own argv, no shell
        argv, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )
    elapsed = perf_counter_ns() - start
    if completed.returncode != 0:
        tail = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        raise ProcessFailed(f"{command.name}: exit {completed.returncode}: {tail}")
    return elapsed, _children_cpu_ns() - cpu_start


def time_commands(
    commands: Sequence[Command], scratch: Path, budget_ns: int, bounds: tuple[int, int]
) -> dict[str, ProcessTiming]:
    """An untimed warm-up run of each command that wants one, then whole rounds until
    `budget_ns` is spent, at least `bounds[0]` and at most `bounds[1]` of them."""
    environment = child_environment(scratch / "pycache")
    for index, command in enumerate(commands):
        if command.warm_up:
            _run(command, scratch / f"warm-up-{index}", environment)
    start = perf_counter_ns()
    runs: dict[str, list[tuple[int, int]]] = {command.name: [] for command in commands}
    for round_index in range(bounds[1]):
        if round_index >= bounds[0] and perf_counter_ns() - start >= budget_ns:
            break
        shift = round_index % len(commands)
        for index in [*range(shift, len(commands)), *range(shift)]:
            folder = scratch / f"run-{index}-{round_index}"
            runs[commands[index].name].append(_run(commands[index], folder, environment))
            shutil.rmtree(folder, ignore_errors=True)
    return {name: _timing(values) for name, values in runs.items()}


def _timing(runs: list[tuple[int, int]]) -> ProcessTiming:
    walls = tuple(wall for wall, _ in runs)
    cpu = statistics.median(cpu for _, cpu in runs)
    return ProcessTiming(statistics.median(walls), cpu, walls)


# The description of one schema: editing it changes one class docstring in models.py (which goes
# through black again), the JSON Schemas that carry it, and every file's header (the spec's sha256).
EDITED_TEXT = "description: One further error in mainError.details."


def _invitegen(cache: Path | None, *, edit: bool = False) -> Setup:
    """`invitegen generate` in a copy of the project layout; a fresh cache when `cache` is None;
    with `edit`, one description reworded differently in every run (a spec edit, warm cache)."""

    def setup(folder: Path) -> tuple[list[str], dict[str, str]]:
        (folder / "spec").mkdir()
        text = peers.SPEC.read_text(encoding="utf-8")
        if edit:
            assert EDITED_TEXT in text, "the spec no longer has the description the bench edits"
            text = text.replace(EDITED_TEXT, f"{EDITED_TEXT[:-1]} ({folder.name}).", 1)
        (folder / "spec" / peers.SPEC.name).write_text(text, encoding="utf-8")
        argv = [peers.tool("invitegen"), "generate", "--out", "generated", "--previous", "none"]
        return argv, {"XDG_CACHE_HOME": str(cache or folder / "cache")}

    return setup


def _datamodel_codegen(spec: Path) -> Setup:
    def setup(folder: Path) -> tuple[list[str], dict[str, str]]:
        return (
            pydantic_models.codegen_command(spec, folder / "models.py", pydantic_models.PYDANTIC),
            {},
        )

    return setup


def generation_commands(scratch: Path, codegen_spec: Path) -> list[Command]:
    """invitegen cold and warm, and datamodel-codegen (pydantic v2 models, black + isort)."""
    return [
        # No warm-up for cold: the warm and datamodel-codegen warm-ups load the same interpreter,
        # black and page cache, and a cold run is the slowest command.
        Command("invitegen (cold cache)", _invitegen(None), warm_up=False),
        Command("invitegen (warm cache)", _invitegen(scratch / "shared-cache")),
        Command(
            "invitegen (spec edited, warm cache)", _invitegen(scratch / "shared-cache", edit=True)
        ),
        Command("datamodel-codegen", _datamodel_codegen(codegen_spec)),
    ]


def _python(statement: str) -> Setup:
    def setup(folder: Path) -> tuple[list[str], dict[str, str]]:
        return [sys.executable, "-c", statement], {}

    return setup


def import_commands() -> list[Command]:
    """A bare interpreter and each import, every one in a fresh interpreter."""
    return [Command(name, _python(statement)) for name, statement in IMPORTS.items()]
