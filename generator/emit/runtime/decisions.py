"""What the client does after each attempt: wait and retry, refresh the token, or stop.

Pure functions of the answer's status and headers, the attempt count, the policy and the time
left, so the sync and async clients share them and tests check them without any HTTP. The rules
follow Microsoft Graph's throttling guidance and its SDKs' retry handler, which suit any HTTP API:

- 429 and 503 are retried after `Retry-After` (seconds or HTTP-date), or after exponential backoff
  with full jitter when the header is absent. A `Retry-After` above `max_retry_after` is not
  waited out: the call stops at once and the error carries `retry_after`.
- A request is sent again only when the service provably did not process it (a connection that
  never carried the request; a throttling answer) unless `retry_processed` says duplicates are
  acceptable: an invitation sends e-mail, a createLink creates a link.
- No wait may run past the call's deadline: when the next wait would, the call stops.
- A 401 is answered once by asking the token source again, with the claims the service's
  challenge reader finds in `WWW-Authenticate` (Graph: a Continuous Access Evaluation challenge).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from typing import Protocol

from .throttle import Deadline, parse_retry_after

SERVER_ERRORS = frozenset({500, 502, 504})


class Policy(Protocol):
    """The retry settings the decisions read (`RetryPolicy` has them)."""

    max_retries: int
    backoff_base: float
    backoff_max: float
    max_retry_after: float
    retry_statuses: frozenset[int]
    retry_processed: bool


class Wait:
    """Sleep `seconds`, then send the request again."""

    __slots__ = ("seconds",)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __repr__(self) -> str:
        return f"Wait({self.seconds!r})"


class Refresh:
    """Ask the token source again (with CAE `claims` when the challenge had them), then resend."""

    __slots__ = ("claims",)

    def __init__(self, claims: str | None) -> None:
        self.claims = claims

    def __repr__(self) -> str:
        return f"Refresh(claims={'…' if self.claims else None})"


class Finish:
    """Stop: this answer is the call's answer; `retry_after` is the server's wait, if it gave one."""

    __slots__ = ("reason", "retry_after")

    def __init__(self, retry_after: float | None = None, reason: str = "") -> None:
        self.retry_after = retry_after
        self.reason = reason

    def __repr__(self) -> str:
        return f"Finish(retry_after={self.retry_after!r}, reason={self.reason!r})"


Decision = Wait | Refresh | Finish


def backoff(policy: Policy, attempt: int, draw: Callable[[float, float], float]) -> float:
    """Exponential backoff with full jitter: uniform in [0, min(max, base * 2**attempt)]."""
    ceiling = min(policy.backoff_max, policy.backoff_base * 2 ** min(attempt, 62))
    return draw(0.0, ceiling)


def after_answer(
    policy: Policy,
    attempt: int,
    status: int,
    headers: Mapping[str, str],
    *,
    now: float,
    deadline: Deadline,
    refresh_allowed: bool,
    draw: Callable[[float, float], float] = random.uniform,
    read_challenge: Callable[[str], str | None] | None = None,
) -> Decision:
    """The step after an answer with `status` on retry number `attempt` (0 for the first send).

    `read_challenge` finds the claims a 401's `WWW-Authenticate` asks for (None: never any)."""
    if status == 401 and refresh_allowed:
        challenge = headers.get("WWW-Authenticate", "")
        return Refresh(read_challenge(challenge) if read_challenge else None)
    retry_after = parse_retry_after(headers.get("Retry-After"), now)
    throttled = status in policy.retry_statuses
    if not throttled and not (policy.retry_processed and status in SERVER_ERRORS):
        return Finish(retry_after)
    if retry_after is not None and retry_after > policy.max_retry_after:
        return Finish(retry_after, f"Retry-After {retry_after:g} s is above max_retry_after")
    if attempt >= policy.max_retries:
        return Finish(retry_after, f"gave up after {policy.max_retries} retries")
    wait = backoff(policy, attempt, draw) if retry_after is None else retry_after
    if not deadline.allows(wait):
        return Finish(retry_after, "the next wait would pass the call's deadline")
    return Wait(wait)


def after_failure(
    policy: Policy,
    attempt: int,
    not_sent: bool,
    deadline: Deadline,
    draw: Callable[[float, float], float] = random.uniform,
) -> Wait | None:
    """The wait before resending after a transport failure, or None to give up.

    `not_sent` is True when the request never left (connection refused, connect timeout): only
    then is a resend safe without `retry_processed`.
    """
    if attempt >= policy.max_retries or not (not_sent or policy.retry_processed):
        return None
    wait = backoff(policy, attempt, draw)
    return Wait(wait) if deadline.allows(wait) else None


__all__ = [
    "SERVER_ERRORS",
    "Decision",
    "Finish",
    "Policy",
    "Refresh",
    "Wait",
    "after_answer",
    "after_failure",
    "backoff",
]
