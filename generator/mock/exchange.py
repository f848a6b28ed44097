"""The mock's request pipeline without HTTP plumbing: `Incoming` -> checks in order -> `Reply`.

Each step takes the exchange and returns a `Reply` to stop there or None to go on; the table
`_STEPS` is the order Graph applies them in (routing, method, authentication, payload, processing).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.ir.build import api_from_spec
from generator.ir.model import Api, Operation
from generator.mock.faults import (
    FAULT_HEADER,
    FAULT_STATUSES,
    Fault,
    FaultLedger,
    FaultSyntaxError,
    parse_fault,
)
from generator.mock.responses import ErrorDetail, Invitation, graph_error, invite_response
from generator.mock.routes import RouteMatch, Router
from generator.mock.schemas import CompiledSchemas, SchemaViolation, render_path
from generator.spec.refs import resolve_spec

# Graph refuses request payloads over 4 MB; the mock enforces the same limit (4 MiB).
MAX_BODY_BYTES = 4 * 1024 * 1024
JSON_MEDIA_TYPE = "application/json"
MAX_JOURNAL = 1000
GRAPH_ROOT = "https://graph.microsoft.com"
logger = logging.getLogger("invitegen.mock")


@dataclass(frozen=True)
class Incoming:
    """One HTTP request as read off the socket; header names lower-case."""

    method: str
    raw_path: str
    headers: Mapping[str, str]
    body: bytes = field(default=b"", repr=False)
    oversize: bool = False


@dataclass(frozen=True)
class Reply:
    """What to answer: a status and JSON body, or `drop` to close the connection silently."""

    status: int
    body: dict[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    drop: bool = False
    note: str = ""


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


class MockState:
    """One server's mutable state: the request journal, the fault ledger, the stop signal."""

    def __init__(self) -> None:
        self.ledger = FaultLedger()
        self.stopping = threading.Event()
        self._journal: deque[Recorded] = deque(maxlen=MAX_JOURNAL)
        self._lock = threading.Lock()

    def reset(self) -> None:
        """Forget every request and fault count (between tests); the stop signal is kept."""
        with self._lock:
            self._journal.clear()
            self.ledger = FaultLedger()

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
class _Exchange:
    incoming: Incoming
    request_id: str
    client_request_id: str
    match: RouteMatch | None = None
    operation: Operation | None = None
    document: Any = None

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
        body = graph_error(
            code,
            message,
            request_id=self.request_id,
            client_request_id=self.client_request_id,
            target=target,
            details=details,
        )
        return Reply(status, body, headers=headers or {}, note=note)


class MockService:
    """The spec compiled for serving: routes, validators, and which body fields are secret."""

    def __init__(self, api: Api, *, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.api = api
        self.router = Router(api.operations)
        self.schemas = CompiledSchemas(api)
        self.max_body_bytes = max_body_bytes
        self.secret_fields = frozenset(
            field.wire_name for model in api.models for field in model.fields if field.secret
        )

    @classmethod
    def from_spec(cls, spec_path: Path, **options: Any) -> MockService:
        """Load, resolve and build the IR of a spec; raise `SpecErrors` when it is not usable."""
        return cls(api_from_spec(resolve_spec(spec_path)), **options)

    def handle(self, incoming: Incoming, state: MockState, client: str = "-") -> Reply:
        """Run the checks in order; the first one that answers decides the reply; log one line."""
        started = time.perf_counter()
        exchange = _Exchange(incoming, str(uuid.uuid4()), _client_request_id(incoming.headers))
        reply = next(reply for step in _STEPS if (reply := step(self, exchange, state)) is not None)
        if not reply.drop:
            reply = self._checked(exchange, reply)
        match = exchange.match
        entry = Recorded(
            incoming.method,
            incoming.raw_path,
            match.route.template if match else "",
            exchange.operation.operation_id if exchange.operation else "",
            dict(match.parameters) if match else {},
            reply.status,
            exchange.client_request_id,
        )
        state.record(entry)
        _log(client, entry, reply.note, time.perf_counter() - started)
        headers = {
            "request-id": exchange.request_id,
            "client-request-id": exchange.client_request_id,
        }
        return Reply(reply.status, reply.body, {**headers, **reply.headers}, reply.drop, reply.note)

    def is_date_time(self, text: str) -> bool:
        """Whether a permission may carry `text` as its expirationDateTime (a date-time format)."""
        return self.schemas.is_valid("permission", {"expirationDateTime": text})

    def response_schema(self, operation: Operation | None, status: int) -> str:
        """The schema a response with this status must match (Graph's error body by default)."""
        for response in operation.responses if operation else ():
            if response.status == str(status) and response.model:
                return self.api.model(response.model).snake_name
        return "odata_error"

    def _checked(self, exchange: _Exchange, reply: Reply) -> Reply:
        """The reply itself, or a 500 when the mock is about to break its own spec (a mock bug)."""
        name = self.response_schema(exchange.operation, reply.status)
        violations = self.schemas.errors(name, reply.body)
        if not violations:
            return reply
        message = f"mock response {reply.status} breaks schema {name}: {violations[0].message}"
        return exchange.error(500, "generalException", message, note=f"MOCK BUG: {message}")


def _log(client: str, entry: Recorded, note: str, seconds: float) -> None:
    """One line per request: never a header value but client-request-id, never the body."""
    path, query, _ = entry.raw_path.partition("?")
    status = "dropped" if entry.status == 0 else str(entry.status)
    logger.info(
        "%s %s %s%s -> %s %s client-request-id=%s%s (%.1f ms)",
        client,
        entry.method,
        path,
        "?..." if query else "",  # a query string could carry a token: never logged
        status,
        entry.operation_id or "-",
        entry.client_request_id,
        f" {note}" if note else "",
        seconds * 1000,
    )


def _client_request_id(headers: Mapping[str, str]) -> str:
    """The caller's client-request-id when it is a sane token, else a fresh one (as Graph does)."""
    given = headers.get("client-request-id", "")
    if 0 < len(given) <= 100 and given.isascii() and given.isprintable():
        return given
    return str(uuid.uuid4())


def _check_route(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    exchange.match = service.router.resolve(exchange.incoming.raw_path)
    if exchange.match is None:
        return exchange.error(404, "itemNotFound", "The resource could not be found.")
    return None


def _check_method(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    assert exchange.match is not None
    operations = exchange.match.route.operations
    exchange.operation = operations.get(exchange.incoming.method)
    if exchange.operation is None:
        allowed = ", ".join(sorted(operations))
        message = f"{exchange.incoming.method} is not supported here; use {allowed}."
        return exchange.error(405, "methodNotAllowed", message, headers={"Allow": allowed})
    return None


def _check_auth(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    scheme, _, token = exchange.incoming.headers.get("authorization", "").partition(" ")
    headers = {"WWW-Authenticate": "Bearer"}
    if scheme.lower() != "bearer" or not token.strip():
        return exchange.error(
            401, "InvalidAuthenticationToken", "Access token is empty.", headers=headers
        )
    if token.strip().lower().startswith("expired"):
        message = "Access token has expired or is not yet valid."
        return exchange.error(401, "InvalidAuthenticationToken", message, headers=headers)
    return None


def _check_media_type(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    incoming = exchange.incoming
    if "content-type" not in incoming.headers and not incoming.body and not incoming.oversize:
        return None  # no body at all: a 400 from the body check, not a media type problem
    media_type, *parameters = incoming.headers.get("content-type", "").split(";")
    charset = "utf-8"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    if media_type.strip().lower() == JSON_MEDIA_TYPE and charset in ("utf-8", "utf8"):
        return None
    message = f"The request body must be {JSON_MEDIA_TYPE} (UTF-8)."
    return exchange.error(415, "unsupportedMediaType", message)


def _check_size(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    if not exchange.incoming.oversize:
        return None
    message = f"The request body is larger than {service.max_body_bytes} bytes."
    return exchange.error(413, "requestTooLarge", message)


def _inject_fault(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    value = exchange.incoming.headers.get(FAULT_HEADER.lower())
    if value is None:
        return None
    try:
        fault = parse_fault(value)
    except FaultSyntaxError as error:
        return exchange.error(400, "invalidRequest", str(error), target=FAULT_HEADER)
    incoming = exchange.incoming
    key = (
        incoming.headers.get("client-request-id")
        or f"{incoming.method} {incoming.raw_path} {value}"
    )
    if not state.ledger.should_fail(key, fault):
        return None
    return _FAULT_ACTIONS[fault.action](exchange, state, fault)


def _fail_with_status(exchange: _Exchange, state: MockState, fault: Fault) -> Reply | None:
    code, message = FAULT_STATUSES[fault.status]
    headers = {} if fault.retry_after is None else {"Retry-After": fault.retry_after}
    note = f"{FAULT_HEADER} {fault.status}"
    return exchange.error(fault.status, code, message, headers=headers, note=note)


def _hang(exchange: _Exchange, state: MockState, fault: Fault) -> Reply | None:
    # Waiting on the stop signal, not sleeping, lets a shutdown end the hang at once.
    state.stopping.wait(fault.seconds)
    return None


def _drop(exchange: _Exchange, state: MockState, fault: Fault) -> Reply | None:
    return Reply(0, drop=True, note=f"{FAULT_HEADER} drop: connection closed without an answer")


_FAULT_ACTIONS: dict[str, Callable[[_Exchange, MockState, Fault], Reply | None]] = {
    "status": _fail_with_status,
    "hang": _hang,
    "drop": _drop,
}


def _check_body(service: MockService, exchange: _Exchange, state: MockState) -> Reply | None:
    if not exchange.incoming.body:
        return exchange.error(400, "invalidRequest", "The request body is required.")
    try:
        exchange.document = json.loads(exchange.incoming.body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return exchange.error(400, "invalidRequest", "The request body is not valid JSON.")
    assert exchange.operation is not None
    model = service.api.model(exchange.operation.body_model)
    violations = service.schemas.errors(model.snake_name, exchange.document)
    if not violations:
        return None
    details = [_detail(violation, service.secret_fields) for violation in violations]
    first = details[0]
    message = f"Invalid request body: {first.message}"
    note = f"target {first.target}"
    return exchange.error(
        400, "invalidRequest", message, target=first.target, details=details, note=note
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _detail(violation: SchemaViolation, secret_fields: frozenset[str]) -> ErrorDetail:
    """One validation problem; a secret field's value is never repeated back (or logged)."""
    target = render_path(violation.path)
    if any(part in secret_fields for part in violation.path if isinstance(part, str)):
        return ErrorDetail(
            "invalidRequest", f"{target}: value not accepted ({violation.rule})", target
        )
    return ErrorDetail("invalidRequest", violation.message, target)


def _answer(service: MockService, exchange: _Exchange, state: MockState) -> Reply:
    assert exchange.match is not None and exchange.operation is not None
    invitation = Invitation.from_body(exchange.document, service.is_date_time)
    operation, parameters = exchange.operation, exchange.match.parameters
    item = operation.path + json.dumps(parameters, sort_keys=True)
    context = f"{GRAPH_ROOT}{exchange.match.route.prefix}/$metadata#Collection(microsoft.graph.permission)"
    status, body = invite_response(invitation, item, context)
    failed = sum("error" in permission for permission in body["value"])
    return Reply(status, body, note=f"{len(body['value'])} recipients, {failed} not notified")


_Step = Callable[[MockService, _Exchange, MockState], Reply | None]
_STEPS: tuple[_Step, ...] = (
    _check_route,
    _check_method,
    _check_auth,
    _check_media_type,
    _check_size,
    _inject_fault,
    _check_body,
    _answer,
)
