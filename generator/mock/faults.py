"""The mock's `X-Mock-Fail` test header: parse it, and count faults per client-request-id.

Grammar: `X-Mock-Fail: <action>[;<name>=<value>]...`, for example `429;retry-after=1;times=2`.

| action | effect |
|---|---|
| `403`, `429`, `500`, `502`, `503`, `504` | answer that status with an error body in the layer's shape |
| `claims` | 401 with a Continuous Access Evaluation challenge: `WWW-Authenticate: Bearer ...,
  error="insufficient_claims", claims="<base64 JSON>"` |
| `hang` | wait `seconds` (default 10, at most 30) before answering normally: a hung server |
| `drop` | read the whole request, send the status line and headers, then close the connection
  before the body (an ASGI server cannot close without starting an answer) |

| option | meaning |
|---|---|
| `times=N` | the first N requests with the same key fail (default 1, at most 100); later ones go through |
| `retry-after=V` | `Retry-After` on 429/503, default `1`: seconds (`400` for a long delay), an HTTP
  date as written, `+N` for the HTTP date N seconds from now, or `none` to omit it |
| `seconds=S` | how long `hang` waits |

A `retry-after` value with a control character is refused (400) like any other malformed
value. The key is the request's `client-request-id` header (the generated client sends one per call and
keeps it across retries), else method + path + the header value itself.
"""

from __future__ import annotations

import email.utils
import threading
from collections import OrderedDict
from dataclasses import dataclass

FAULT_HEADER = "X-Mock-Fail"
MAX_TIMES = 100
MAX_HANG_SECONDS = 30.0
MAX_RETRY_AFTER = 86_400.0
DEFAULT_HANG_SECONDS = 10.0
DEFAULT_RETRY_AFTER = "1"
# The error code (Graph's, used by the Graph layer) and message for each status a test can ask for.
FAULT_STATUSES = {
    403: ("accessDenied", "The caller does not have permission to perform the action."),
    429: ("activityLimitReached", "The app or user has been throttled."),
    500: ("generalException", "An unspecified error has occurred."),
    502: ("badGateway", "The service could not reach a backend."),
    503: ("serviceNotAvailable", "The service is temporarily unavailable. Retry after a delay."),
    504: ("gatewayTimeout", "A backend did not answer in time."),
}
THROTTLE_STATUSES = frozenset({429, 503})
# Forget the oldest keys beyond this many, so a long-running mock's memory stays bounded.
MAX_TRACKED_KEYS = 10_000


class FaultSyntaxError(ValueError):
    """The `X-Mock-Fail` header does not follow the documented grammar."""


@dataclass(frozen=True)
class Fault:
    """One parsed `X-Mock-Fail` instruction."""

    action: str
    status: int = 0
    times: int = 1
    retry_after: str | None = None
    seconds: float = DEFAULT_HANG_SECONDS


def parse_fault(value: str) -> Fault:
    """`429;retry-after=1;times=2` -> `Fault`; raise `FaultSyntaxError` when malformed."""
    action, *parts = (part.strip() for part in value.split(";"))
    options: dict[str, str] = {}
    for part in parts:
        name, equals, option = part.partition("=")
        if not equals or name.strip().lower() not in _OPTION_NAMES:
            raise FaultSyntaxError(f"unknown {FAULT_HEADER} option {name.strip()!r}")
        options[name.strip().lower()] = option.strip()
    times = _bounded_number(options.get("times", "1"), "times", 1, MAX_TIMES)
    if action == "claims":
        return Fault("claims", times=int(times))
    if action in ("hang", "drop"):
        seconds = _bounded_number(
            options.get("seconds", str(DEFAULT_HANG_SECONDS)), "seconds", 0, MAX_HANG_SECONDS
        )
        return Fault(action, times=int(times), seconds=seconds)
    if not action.isdigit() or int(action) not in FAULT_STATUSES:
        known = ", ".join([*map(str, FAULT_STATUSES), "claims", "hang", "drop"])
        raise FaultSyntaxError(
            f"unknown {FAULT_HEADER} action {action!r} (expected one of {known})"
        )
    status = int(action)
    given = options.get("retry-after", DEFAULT_RETRY_AFTER)
    if given.startswith("+"):
        _bounded_number(given[1:], "retry-after", 0, MAX_RETRY_AFTER)
    if not (given.isascii() and given.isprintable()):
        raise FaultSyntaxError(f"{FAULT_HEADER} option retry-after must be printable ASCII")
    retry_after = None if status not in THROTTLE_STATUSES or given.lower() == "none" else given
    return Fault("status", status=status, times=int(times), retry_after=retry_after)


def retry_after_value(given: str, now: float) -> str:
    """The header value for a fault's `retry-after`: `+N` becomes the HTTP date N s after `now`."""
    if given.startswith("+"):
        return email.utils.formatdate(now + float(given[1:]), usegmt=True)
    return given


_OPTION_NAMES = frozenset({"times", "retry-after", "seconds"})


def _bounded_number(text: str, name: str, low: float, high: float) -> float:
    try:
        number = float(text)
    except ValueError:
        raise FaultSyntaxError(f"{FAULT_HEADER} option {name} must be a number") from None
    if not low <= number <= high:
        raise FaultSyntaxError(f"{FAULT_HEADER} option {name} must be in [{low:g}, {high:g}]")
    return number


class FaultLedger:
    """How many times each key has been failed; thread-safe (the server handles requests in threads)."""

    def __init__(self) -> None:
        self._counts: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def should_fail(self, key: str, fault: Fault) -> bool:
        """True (and counted) while fewer than `fault.times` requests with this key have failed."""
        with self._lock:
            count = self._counts.pop(key, 0)
            self._counts[key] = count + 1 if count < fault.times else count
            while len(self._counts) > MAX_TRACKED_KEYS:
                self._counts.popitem(last=False)
            return count < fault.times
