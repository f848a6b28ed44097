"""Interleaved timing: round-robin over contenders, adaptive repeat counts, medians.

All contenders of one payload are sampled in turns (A B C, B C A, C A B, ...) so a slow drift of
the machine (frequency scaling, a neighbour on the host) lands on every contender alike instead of
on whichever ran last. A sample runs the call `number` times so it lasts about `Budget.sample_ns`:
short enough to interleave finely, long enough that `perf_counter_ns` resolution is noise.

Medians are of wall-clock time (`perf_counter_ns`). Each sample also records the process's CPU time
(`process_time_ns`): on a machine shared with other work, CPU time leaves out the moments the
scheduler gave our core away, and the report uses the two to say how busy the machine was.
"""

from __future__ import annotations

import gc
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from time import perf_counter_ns, process_time_ns

MAX_NUMBER = 1_000_000


@dataclass(frozen=True)
class Budget:
    """How long to spend: per sample, per contender and payload, and the sample-count bounds."""

    sample_ns: int = 1_000_000
    contender_ns: int = 120_000_000
    min_samples: int = 3
    max_samples: int = 31

    def scaled(self, factor: float) -> Budget:
        """The same budget with `contender_ns` multiplied (`--budget` on the command line)."""
        return Budget(
            self.sample_ns, int(self.contender_ns * factor), self.min_samples, self.max_samples
        )


@dataclass(frozen=True)
class Contender:
    """One implementation bound to one payload: `call()` does the work once."""

    name: str
    call: Callable[[], object]


@dataclass(frozen=True)
class Timing:
    """Median wall and CPU nanoseconds per call, the sample count and the interquartile spread."""

    median_ns: float
    cpu_ns: float
    samples: int
    number: int
    spread: float = field(default=0.0)  # (q3 - q1) / median of the per-call wall samples

    def as_json(self) -> dict[str, float | int]:
        """Plain numbers for results.json."""
        return {
            "median_ns": round(self.median_ns, 1),
            "cpu_ns": round(self.cpu_ns, 1),
            "samples": self.samples,
            "number": self.number,
            "spread": round(self.spread, 4),
        }


def _sample(call: Callable[[], object], number: int) -> tuple[int, int]:
    """(wall, CPU) nanoseconds for `number` calls."""
    cpu_start = process_time_ns()
    start = perf_counter_ns()
    for _ in repeat(None, number):
        call()
    elapsed = perf_counter_ns() - start
    return elapsed, process_time_ns() - cpu_start


def _plan(call: Callable[[], object], budget: Budget) -> tuple[int, int]:
    """(calls per sample, samples) from the warm-up call, timed again when it was short."""
    single, _ = _sample(call, 1)  # warm-up: lazy compilation, first-use caches, page faults
    if single < budget.sample_ns:  # the first call may be unrepresentative; a slow one is not
        single, _ = _sample(call, 1)
    single = max(single, 1)
    number = max(1, min(budget.sample_ns // single, MAX_NUMBER))
    samples = budget.contender_ns // (number * single)
    return number, max(budget.min_samples, min(samples, budget.max_samples))


def _summary(wall: list[float], cpu: list[float], number: int) -> Timing:
    median = statistics.median(wall)
    spread = 0.0
    if len(wall) >= 4 and median > 0:
        quartiles = statistics.quantiles(wall, n=4)
        spread = (quartiles[2] - quartiles[0]) / median
    return Timing(median, statistics.median(cpu), len(wall), number, spread)


def measure(contenders: Sequence[Contender], budget: Budget) -> dict[str, Timing]:
    """Median time per call of every contender, sampled round-robin with a rotating start."""
    plans = {contender.name: _plan(contender.call, budget) for contender in contenders}
    wall: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    cpu: dict[str, list[float]] = {contender.name: [] for contender in contenders}
    rounds = max(samples for _, samples in plans.values())
    was_enabled = gc.isenabled()
    gc.disable()  # as timeit does: a collection triggered by one contender is not its cost
    try:
        for round_index in range(rounds):
            gc.collect()
            shift = round_index % len(contenders)
            for contender in [*contenders[shift:], *contenders[:shift]]:
                number, samples = plans[contender.name]
                if len(wall[contender.name]) < samples:
                    elapsed, cpu_time = _sample(contender.call, number)
                    wall[contender.name].append(elapsed / number)
                    cpu[contender.name].append(cpu_time / number)
    finally:
        if was_enabled:
            gc.enable()
    return {name: _summary(wall[name], cpu[name], plans[name][0]) for name in plans}
