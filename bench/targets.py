"""The issue's performance targets, each judged PASS or MISS from ratios measured in one run.

A benchmark reports; it never fails a build. A target whose inputs were not measured (a peer not
installed, `--skip`) is N/A.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bench.processes import ProcessTiming
from bench.results import (
    GENERATION_COLD,
    GENERATION_EDITED,
    GENERATION_PEER,
    GENERATION_WARM,
    Clock,
    Results,
    geometric_mean,
)


@dataclass(frozen=True)
class Target:
    """One target: what it asks, the verdict and the numbers behind it."""

    goal: str
    status: str  # PASS, MISS or N/A
    detail: str

    def as_json(self) -> dict[str, str]:
        """Plain strings for results.json."""
        return {"goal": self.goal, "status": self.status, "detail": self.detail}


def _judge(goal: str, passed: bool | None, detail: str) -> Target:
    status = "N/A" if passed is None else ("PASS" if passed else "MISS")
    return Target(goal, status, detail)


def _ratios(
    results: Results, clock: Clock, payloads: list[str], *, table: str, name: str, base: str
) -> dict[str, float]:
    """time(name) / time(base) per payload, where both were measured."""
    found = {payload: results.ratio(table, payload, name, base, clock) for payload in payloads}
    return {payload: ratio for payload, ratio in found.items() if ratio is not None}


def _worst(ratios: dict[str, float]) -> tuple[str, float]:
    """(payload, ratio) with the largest ratio: where we are slowest against the base."""
    payload = max(ratios, key=ratios.__getitem__)
    return payload, ratios[payload]


def validators_near_floor(results: Results, clock: Clock) -> Target:
    """Compiled validators on valid payloads: geometric mean at most 1.2x the floor."""
    names = [payload.name for payload in results.payloads_where(valid=True)]
    ratios = _ratios(results, clock, names, table="validation", name="ours", base="floor")
    mean = geometric_mean(ratios.values())
    if mean is None:
        return _judge("validators <= 1.2x floor (geo mean, valid)", None, "not measured")
    worst, ratio = _worst(ratios)
    detail = f"geo mean {mean:.2f}x floor; worst {worst} {ratio:.2f}x"
    return _judge("validators <= 1.2x floor (geo mean, valid)", mean <= 1.2, detail)


def _slowest_speedup(
    results: Results, clock: Clock, names: list[str], *, table: str, ours: str, peer: str
) -> tuple[str, float] | None:
    """(payload, peer time / our time) where our lead over the peer is smallest."""
    speedups = _ratios(results, clock, names, table=table, name=peer, base=ours)
    if not speedups:
        return None
    payload = min(speedups, key=speedups.__getitem__)
    return payload, speedups[payload]


def _at_least_twice_as_fast(
    results: Results, clock: Clock, goal: str, *, table: str, ours: str, peer: str
) -> Target:
    """Our contender at least 2x faster than `peer` on every valid payload of `table`."""
    return _at_least_as_fast(results, clock, goal, 2.0, table=table, ours=ours, peer=peer)


def _at_least_as_fast(
    results: Results,
    clock: Clock,
    goal: str,
    factor: float,
    *,
    table: str,
    ours: str,
    peer: str,
) -> Target:
    """Our contender at least `factor` times as fast as `peer` on every valid payload of `table`."""
    names = [payload.name for payload in results.payloads_where(valid=True)]
    found = _slowest_speedup(results, clock, names, table=table, ours=ours, peer=peer)
    if found is None:
        return _judge(goal, None, "not measured")
    payload, speedup = found
    return _judge(goal, speedup >= factor, f"smallest speedup {speedup:.2f}x ({payload})")


def validators_vs_fastjsonschema(results: Results, clock: Clock) -> Target:
    """At least 2x faster than fastjsonschema on every valid payload."""
    goal = "validators >= 2x faster than fastjsonschema (every valid)"
    return _at_least_twice_as_fast(
        results, clock, goal, table="validation", ours="ours", peer="fastjsonschema"
    )


def early_errors_beat_floor(results: Results, clock: Clock) -> Target:
    """Invalid payloads with an early error: faster than the floor walk."""
    goal = "early error: validator faster than floor (every early)"
    names = [payload.name for payload in results.payloads_where(valid=False, error_at="early")]
    ratios = _ratios(results, clock, names, table="validation", name="ours", base="floor")
    if not ratios:
        return _judge(goal, None, "not measured")
    worst, ratio = _worst(ratios)
    return _judge(goal, ratio < 1.0, f"worst {worst} {ratio:.2f}x floor")


def compiled_near_floor(results: Results, clock: Clock) -> Target:
    """The compiled build's validators (`make compiled`): geometric mean at most 0.5x the floor."""
    goal = "compiled validators <= 0.5x floor (geo mean, valid)"
    names = [payload.name for payload in results.payloads_where(valid=True)]
    ratios = _ratios(results, clock, names, table="validation", name="compiled", base="floor")
    mean = geometric_mean(ratios.values())
    if mean is None:
        return _judge(goal, None, "not measured (no `make compiled` build)")
    worst, ratio = _worst(ratios)
    return _judge(goal, mean <= 0.5, f"geo mean {mean:.2f}x floor; worst {worst} {ratio:.2f}x")


def compiled_vs_jsonschema_rs(results: Results, clock: Clock) -> Target:
    """The compiled build's validators at most 2x jsonschema-rs's time on every valid payload."""
    goal = "compiled validators within 2x of jsonschema-rs (every valid)"
    names = [payload.name for payload in results.payloads_where(valid=True)]
    ratios = _ratios(
        results, clock, names, table="validation", name="compiled", base="jsonschema-rs"
    )
    if not ratios:
        return _judge(goal, None, "not measured (no `make compiled` build or no jsonschema-rs)")
    worst, ratio = _worst(ratios)
    return _judge(goal, ratio <= 2.0, f"worst {worst} {ratio:.2f}x jsonschema-rs's time")


def from_dict_vs_pydantic(results: Results, clock: Clock) -> Target:
    """Pure-Python `from_dict` (validating) no slower than pydantic's `model_validate` on any
    valid payload (issue 19)."""
    goal = "from_dict no slower than pydantic model_validate (every valid)"
    return _at_least_as_fast(
        results, clock, goal, 1.0, table="models", ours="from_dict", peer="pydantic"
    )


def compiled_from_dict_vs_pydantic(results: Results, clock: Clock) -> Target:
    """The compiled build's `from_dict` at least 2x faster than pydantic on every valid payload."""
    goal = "compiled from_dict >= 2x faster than pydantic model_validate"
    target = _at_least_twice_as_fast(
        results, clock, goal, table="models", ours="from_dict(compiled)", peer="pydantic"
    )
    if target.status == "N/A":
        return _judge(goal, None, "not measured (no `make compiled` build)")
    return target


def to_dict_vs_rebuild(results: Results, clock: Clock) -> Target:
    """`to_dict` no slower than the floor's recursive copy."""
    goal = "to_dict no slower than floor rebuild (every valid)"
    names = [payload.name for payload in results.payloads_where(valid=True)]
    ratios = _ratios(results, clock, names, table="models", name="to_dict", base="rebuild")
    if not ratios:
        return _judge(goal, None, "not measured")
    worst, ratio = _worst(ratios)
    mean = geometric_mean(ratios.values()) or 0.0
    detail = f"worst {worst} {ratio:.2f}x rebuild; geo mean {mean:.2f}x"
    return _judge(goal, ratio <= 1.0, detail)


def generation_vs_datamodel_codegen(results: Results, clock: Clock) -> Target:
    """`invitegen generate` with an empty cache (every file formatted) at most half of
    datamodel-codegen."""
    return _generation(results, clock, "cold cache", GENERATION_COLD)


def warm_generation_vs_datamodel_codegen(results: Results, clock: Clock) -> Target:
    """The same with the formatter cache the issue names, the spec unchanged."""
    return _generation(results, clock, "warm cache", GENERATION_WARM)


def edited_generation_vs_datamodel_codegen(results: Results, clock: Clock) -> Target:
    """The same after a one-description spec edit (warm cache): what a user waits for."""
    return _generation(results, clock, "spec edited, warm cache", GENERATION_EDITED)


def _generation(results: Results, clock: Clock, case: str, name: str) -> Target:
    goal = f"invitegen generate <= 0.5x datamodel-codegen ({case})"
    timings = results.generation
    if GENERATION_PEER not in timings or name not in timings:
        return _judge(goal, None, "not measured")
    ours, peer = _seconds(timings[name], clock), _seconds(timings[GENERATION_PEER], clock)
    return _judge(goal, ours / peer <= 0.5, f"{ours:.2f} s vs {peer:.2f} s = {ours / peer:.2f}x")


def import_vs_msgraph(results: Results, clock: Clock) -> Target:
    """`import graph_invite.client` at least 10x faster than `import msgraph`."""
    goal = "import graph_invite.client >= 10x faster than msgraph"
    ours, peer = results.import_ns("graph_invite.client", clock), results.import_ns(
        "msgraph", clock
    )
    if ours is None or peer is None:
        return _judge(goal, None, "not measured")
    detail = f"{ours / 1e6:.0f} ms vs {peer / 1e6:.0f} ms = {peer / ours:.2f}x faster"
    return _judge(goal, peer / ours >= 10.0, detail)


def _seconds(timing: ProcessTiming, clock: Clock) -> float:
    return (timing.cpu_ns if clock == "cpu" else timing.median_ns) / 1e9


TARGETS: tuple[Callable[[Results, Clock], Target], ...] = (
    validators_near_floor,
    validators_vs_fastjsonschema,
    early_errors_beat_floor,
    compiled_near_floor,
    compiled_vs_jsonschema_rs,
    from_dict_vs_pydantic,
    compiled_from_dict_vs_pydantic,
    to_dict_vs_rebuild,
    generation_vs_datamodel_codegen,
    warm_generation_vs_datamodel_codegen,
    edited_generation_vs_datamodel_codegen,
    import_vs_msgraph,
)


def judge_all(results: Results, clock: Clock = "wall") -> list[Target]:
    """Every target, in the issue's order, judged on wall-clock (or CPU) medians."""
    return [target(results, clock) for target in TARGETS]
