"""The mock's request pipeline without HTTP plumbing: `Incoming` -> checks in order -> `Reply`.

Each step takes the exchange and returns a `Reply` to stop there or None to go on; `STEPS` is the
order (routing, method, authentication, payload, faults, parameters, body, answer). A `Layer`
(the Graph rules, or none) can add path aliases, answer operations itself and shape errors and
headers; without one the mock answers with the spec's examples or a drawn schema-valid body.
"""

from __future__ import annotations

import hashlib
import random
import threading
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from generator.mock.faults import FaultLedger
from generator.mock.operations import Answer, MockApi, MockOperation
from generator.mock.routes import RouteMatch, Router
from generator.mock.schemas import CompiledSchemas

MAX_JOURNAL = 1000
# The most details one 400 lists: enough to fix a body, bounded for a hostile one.
MAX_ERROR_DETAILS = 10


@dataclass(frozen=True)
class Incoming:
    """One HTTP request: method, raw target (path + query), lower-case headers, body bytes."""

    method: str
    raw_path: str
    headers: Mapping[str, str]
    body: bytes = field(default=b"", repr=False)
    oversize: bool = False


@dataclass(frozen=True)
class Reply:
    """What to answer: status, JSON body (None: no body), headers; `drop` closes the connection.

    `delay` seconds pass before the answer is sent (a hung server); `error` marks a body the mock
    built to report a problem, which may be redrawn to fit the spec's schema for that status.
    """

    status: int
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)
    drop: bool = False
    note: str = ""
    delay: float = 0.0
    error: bool = False
    content_type: str = "application/json"


@dataclass(frozen=True)
class Recorded:
    """One request as the mock understood it, for tests to assert on; no token, no body."""

    method: str
    raw_path: str
    template: str
    operation_id: str
    parameters: Mapping[str, str]
    status: int
    client_request_id: str


@dataclass(frozen=True)
class ErrorDetail:
    """One entry of an error's `details`: a code, a message and the data path it is about."""

    code: str
    message: str
    target: str


class Served(Protocol):
    """What steps and layers may use of the service (`generator.mock.service.MockService`)."""

    api: MockApi
    router: Router
    schemas: CompiledSchemas
    layer: Layer
    max_body_bytes: int

    def draw(
        self, exchange: Exchange, answer: Answer, hints: Mapping[str, Any] | None = None
    ) -> Any:
        """The answer's example or a seeded schema-valid value (NO_EXAMPLE when none)."""


class LayerState(Protocol):
    """A layer's mutable state (one per server)."""

    def reset(self) -> None:
        """Back to the state the server started with."""


class Layer(Protocol):
    """Service-specific rules on top of the spec-driven core (see `generator.mock.graph`)."""

    name: str
    # The media type of the error bodies `error_body` builds.
    error_media_type: str

    def new_state(self) -> LayerState:
        """Fresh state for one server."""

    def aliases(self, raw_path: str) -> list[str]:
        """Other spellings of a path the spec does not route as written, tried in order."""

    def answer(self, service: Served, exchange: Exchange, state: LayerState) -> Reply | None:
        """The answer for a valid request, or None to let the core answer from the spec."""

    def error_body(self, exchange: Exchange, code: str, message: str, **extra: Any) -> Any:
        """The body of an error answer."""

    def finish(self, exchange: Exchange, reply: Reply) -> Reply:
        """Last touches on every answer (headers, content type)."""


class MockState:
    """One server's mutable state: the journal, the fault ledger, the layer's store, stop signal."""

    def __init__(self, layer_state: LayerState | None = None) -> None:
        self.ledger = FaultLedger()
        self.layer = layer_state
        self.stopping = threading.Event()
        self._journal: deque[Recorded] = deque(maxlen=MAX_JOURNAL)
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget every request, fault count and stored resource (between tests)."""
        with self._lock:
            self._journal.clear()
            self.ledger = FaultLedger()
        if self.layer is not None:
            self.layer.reset()

    def record(self, entry: Recorded) -> None:
        """Add one request to the journal."""
        with self._lock:
            self._journal.append(entry)

    @property
    def requests(self) -> list[Recorded]:
        """Every request received so far (the last `MAX_JOURNAL`), oldest first."""
        with self._lock:
            return list(self._journal)


@dataclass
class Exchange:
    """One request on its way through the steps, and what they learned about it."""

    incoming: Incoming
    request_id: str
    client_request_id: str
    service: Served
    raw_path: str = ""
    match: RouteMatch | None = None
    operation: MockOperation | None = None
    document: Any = None
    body: bytes = b""
    media_type: str = ""
    delay: float = 0.0

    @property
    def path(self) -> str:
        """The routed path without its query string."""
        return self.raw_path.split("?", 1)[0]

    def error(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
        target: str | None = None,
        details: Sequence[ErrorDetail] = (),
        note: str = "",
    ) -> Reply:
        """An error answer in the layer's shape."""
        layer = self.service.layer
        body = layer.error_body(
            self, code, message, status=status, target=target, details=details[:MAX_ERROR_DETAILS]
        )
        return Reply(
            status,
            body,
            headers=headers or {},
            note=note,
            error=True,
            content_type=layer.error_media_type,
        )

    def seed(self) -> random.Random:
        """A random source that depends only on the request (method, routed path, body)."""
        digest = hashlib.sha256(
            f"{self.incoming.method} {self.raw_path}\n".encode() + self.body
        ).digest()
        seed = int.from_bytes(digest[:8], "big")
        return random.Random(seed)  # noqa: S311 (it draws examples, not secrets)


def client_request_id(headers: Mapping[str, str]) -> str:
    """The caller's client-request-id when it is a sane token, else a fresh one (as Graph does)."""
    given = headers.get("client-request-id", "")
    if 0 < len(given) <= 100 and given.isascii() and given.isprintable():
        return given
    return str(uuid.uuid4())


def escape(text: str) -> str:
    """`text` with every control and other non-printable character as a Python escape."""
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(
        char if char.isprintable() and char != "\\" else repr(char)[1:-1] for char in text
    )


def log_line(client: str, entry: Recorded, note: str, seconds: float) -> str:
    """One line per request: never a header value but client-request-id, never the body."""
    path, query, _ = entry.raw_path.partition("?")
    status = "dropped" if entry.status == 0 else str(entry.status)
    return "%s %s %s%s -> %s %s client-request-id=%s%s (%.1f ms)" % (  # noqa: UP031
        escape(client),
        escape(entry.method),
        escape(path),
        "?..." if query else "",  # a query string could carry a token: never logged
        status,
        escape(entry.operation_id) or "-",
        escape(entry.client_request_id),
        f" {escape(note)}" if note else "",
        seconds * 1000,
    )


Step = Callable[[Served, Exchange, MockState], Reply | None]
