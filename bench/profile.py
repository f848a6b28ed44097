"""`python -m bench.profile`: where our time goes, per function, on the largest payloads.

Not part of `make bench` (profiling slows every call down); run it when `make bench` shows a miss.
Each scenario runs under cProfile `--repeat` times; the table lists the functions with the most
own time (tottime), which for straight-line generated code is where the work really is. The
profiler's clock is process CPU time, so other work on a shared machine does not show up as ours.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from graph_invite import validators
from graph_invite.models import InviteRequest, InviteResponse

from bench.corpus import Payload, build_corpus

Scenario = tuple[str, Callable[[Any], object]]


def _first_error(validate: Callable[[Any], None]) -> Callable[[Any], object]:
    def run(data: Any) -> object:
        try:
            validate(data)
        except validators.ValidationError as error:
            return error
        return None

    return run


SCENARIOS: dict[str, list[Scenario]] = {
    "request": [
        ("validate_invite_request", _first_error(validators.validate_invite_request)),
        (
            "list(iter_errors_invite_request)",
            lambda data: list(validators.iter_errors_invite_request(data)),
        ),
        ("InviteRequest.from_dict", InviteRequest.from_dict),
    ],
    "response": [
        ("validate_invite_response", _first_error(validators.validate_invite_response)),
        (
            "list(iter_errors_invite_response)",
            lambda data: list(validators.iter_errors_invite_response(data)),
        ),
        ("InviteResponse.from_dict", InviteResponse.from_dict),
        (
            "InviteResponse.from_dict(validate=False)",
            lambda data: InviteResponse.from_dict(data, validate=False),
        ),
    ],
}
DEFAULT_PAYLOADS = ("request-100", "207-1000", "200-1000-bad-late", "request-1-bad-early")


def _to_dict(payload: Payload) -> Scenario:
    model = (InviteRequest if payload.kind == "request" else InviteResponse).from_dict(payload.data)
    return (f"{type(model).__name__}.to_dict", lambda _: model.to_dict())


def profile(payload: Payload, scenario: Scenario, repeat: int, top: int) -> str:
    """cProfile of `repeat` runs of one scenario on one payload: the `top` functions by own time."""
    name, run = scenario
    profiler = cProfile.Profile(time.process_time_ns, 1e-9)
    profiler.enable()
    for _ in range(repeat):
        run(payload.data)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = max(stats.total_tt, 1e-12)  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)  # type: ignore[attr-defined]
    lines = [
        f"\n{payload.name}: {name} x{repeat}: {total / repeat * 1e3:.2f} ms per call (profiled)"
    ]
    for (_, line, function), (_, calls, own, cumulative, _) in rows[:top]:
        lines.append(
            f"  {own / total:6.1%} own  {cumulative / total:6.1%} cum  {calls // repeat:>7} calls  "
            f"{function} (line {line})"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Profile every scenario on the chosen payloads (default: the largest and an early error)."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("payloads", nargs="*", default=list(DEFAULT_PAYLOADS))
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    arguments = parser.parse_args(argv)
    corpus = {payload.name: payload for payload in build_corpus()}
    for name in arguments.payloads:
        payload = corpus[name]
        scenarios = list(SCENARIOS[payload.kind])
        if payload.valid:
            scenarios.append(_to_dict(payload))
        else:
            scenarios = scenarios[:2]
        for scenario in scenarios:
            print(profile(payload, scenario, arguments.repeat, arguments.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
