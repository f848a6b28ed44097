"""What one run measured, and the ratios and targets derived from it."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from bench.corpus import Payload, node_count
from bench.processes import ProcessTiming
from bench.timing import Timing

GENERATION_COLD = "invitegen (cold cache)"
GENERATION_WARM = "invitegen (warm cache)"
GENERATION_EDITED = "invitegen (spec edited, warm cache)"
GENERATION_PEER = "datamodel-codegen"
BARE = "bare interpreter"
Clock = Literal["wall", "cpu"]
DISTURBED = 0.9  # a timing whose CPU time is below this share of its wall time was disturbed


@dataclass
class Results:
    """Every measurement of one `python -m bench` run, keyed by payload and contender name."""

    machine: dict[str, str | int]
    versions: dict[str, str]
    payloads: list[Payload]
    validation: dict[str, dict[str, Timing]] = field(default_factory=dict)
    models: dict[str, dict[str, Timing]] = field(default_factory=dict)
    round_trips: dict[str, dict[str, bool]] = field(default_factory=dict)
    generation: dict[str, ProcessTiming] = field(default_factory=dict)
    imports: dict[str, ProcessTiming] = field(default_factory=dict)
    import_profile: dict[str, dict[str, object]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    def ratio(
        self, table: str, payload: str, name: str, baseline: str, clock: Clock = "wall"
    ) -> float | None:
        """time(name) / time(baseline) for one payload; None when either is missing."""
        timings = (self.validation if table == "validation" else self.models).get(payload, {})
        if name not in timings or baseline not in timings:
            return None
        denominator = clocked(timings[baseline], clock)
        return clocked(timings[name], clock) / denominator if denominator > 0 else None

    def import_ns(self, name: str, clock: Clock = "wall") -> float | None:
        """Median time of an import minus a bare interpreter's start (never below 1 ns)."""
        if name not in self.imports or BARE not in self.imports:
            return None
        net = clocked(self.imports[name], clock) - clocked(self.imports[BARE], clock)
        return max(net, 1.0)

    def disturbed_share(self) -> float | None:
        """Share of in-process timings whose median CPU time is under 90% of their wall time:
        about 0 on an idle machine; high when other processes took our core during samples."""
        shares = [
            timing.cpu_ns < DISTURBED * timing.median_ns
            for table in (self.validation, self.models)
            for timings in table.values()
            for timing in timings.values()
        ]
        return sum(shares) / len(shares) if shares else None

    def payloads_where(self, *, valid: bool, error_at: str = "") -> list[Payload]:
        """Payloads by validity (and, for invalid ones, where the error is)."""
        return [
            payload
            for payload in self.payloads
            if payload.valid == valid and (valid or payload.error_at == error_at)
        ]

    def as_json(self) -> dict[str, Any]:
        """Everything as plain JSON values (results.json)."""
        return {
            "machine": self.machine,
            "versions": self.versions,
            "elapsed_s": round(self.elapsed_s, 1),
            "disturbed_share": self.disturbed_share(),
            "payloads": [_payload_json(payload) for payload in self.payloads],
            "validation": _timings_json(self.validation),
            "models": _timings_json(self.models),
            "round_trips": self.round_trips,
            "generation": {name: t.as_json() for name, t in self.generation.items()},
            "imports": {name: t.as_json() for name, t in self.imports.items()},
            "import_profile": self.import_profile,
            "notes": self.notes,
        }


def _payload_json(payload: Payload) -> dict[str, Any]:
    return {
        "name": payload.name,
        "kind": payload.kind,
        "status": payload.status,
        "size": payload.size,
        "nodes": node_count(payload.data),
        "valid": payload.valid,
        "error_at": payload.error_at or None,
    }


def _timings_json(table: dict[str, dict[str, Timing]]) -> dict[str, Any]:
    return {
        payload: {name: timing.as_json() for name, timing in timings.items()}
        for payload, timings in table.items()
    }


def clocked(timing: Timing | ProcessTiming, clock: Clock) -> float:
    return timing.cpu_ns if clock == "cpu" else timing.median_ns


def geometric_mean(values: Iterable[float]) -> float | None:
    """Geometric mean of positive values; None for none."""
    logs = [math.log(value) for value in values if value > 0]
    return math.exp(sum(logs) / len(logs)) if logs else None
