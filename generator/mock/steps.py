"""The steps every request goes through, in order; the first that returns a `Reply` answers.

404 for a path no operation has (after the layer's aliases), 405 (with `Allow`), 401 when the
operation's security is not met, 415 for a media type or `Content-Encoding` the operation does not
take, 413 above the body limit (also after decompression), the `X-Mock-Fail` test header, 400 for
parameters or a body that break the spec, then the answer: the layer's, or the spec's example,
or a schema-valid body drawn with a seed taken from the request.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from typing import Any

from generator.mock.exchange import ErrorDetail, Exchange, MockState, Reply, Served, Step
from generator.mock.faults import (
    FAULT_HEADER,
    FAULT_STATUSES,
    Fault,
    FaultSyntaxError,
    parse_fault,
    retry_after_value,
)
from generator.mock.operations import NO_EXAMPLE, Answer
from generator.mock.parameters import Request, raw_values, readings
from generator.mock.schemas import SchemaViolation

JSON_MEDIA_TYPE = "application/json"
# A CAE challenge as Graph sends it: the claims are base64 JSON the token provider must satisfy.
CAE_CLAIMS = (
    "eyJhY2Nlc3NfdG9rZW4iOnsibmJmIjp7ImVzc2VudGlhbCI6dHJ1ZSwgInZhbHVlIjoiMTcwMDAwMDAwMCJ9fX0="
)
CAE_CHALLENGE = (
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
    f'client_id="00000003-0000-0000-c000-000000000000", error="insufficient_claims", claims="{CAE_CLAIMS}"'
)
DECODERS: dict[str, int] = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}


def check_route(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """404 unless the path, or one of the layer's aliases for it, names an operation."""
    query = exchange.incoming.raw_path.partition("?")[2]
    for candidate in [
        exchange.incoming.raw_path.split("?", 1)[0],
        *service.layer.aliases(exchange.path),
    ]:
        exchange.match = service.router.resolve(candidate)
        if exchange.match is not None:
            exchange.raw_path = candidate + (f"?{query}" if query else "")
            return None
    return exchange.error(404, "itemNotFound", "The resource could not be found.")


def check_method(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """405 with `Allow` when the path has no operation for this method."""
    assert exchange.match is not None
    operations = exchange.match.route.operations
    exchange.operation = operations.get(exchange.incoming.method)
    if exchange.operation is None:
        allowed = ", ".join(sorted(operations))
        message = f"{exchange.incoming.method} is not supported here; use {allowed}."
        return exchange.error(405, "methodNotAllowed", message, headers={"Allow": allowed})
    return None


def check_auth(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """401 unless one of the operation's security alternatives is met.

    A bearer token (OAuth 2, OpenID Connect, HTTP bearer) is any non-empty token that does not
    start with `expired`; an API key is any non-empty value where the scheme says; HTTP basic any
    `Basic` credential.
    """
    assert exchange.operation is not None
    alternatives = exchange.operation.security
    if not alternatives or any(not alternative for alternative in alternatives):
        return None
    problems = [_unmet(service, exchange, alternative) for alternative in alternatives]
    if any(problem is None for problem in problems):
        return None
    message = next(problem for problem in problems if problem)
    headers = {"WWW-Authenticate": "Bearer"}
    return exchange.error(401, "InvalidAuthenticationToken", message, headers=headers)


def _unmet(service: Served, exchange: Exchange, alternative: tuple[str, ...]) -> str | None:
    headers = exchange.incoming.headers
    for name in alternative:
        scheme = service.api.security_schemes.get(name, {})
        kind = scheme.get("type")
        if kind == "apiKey":
            where = scheme.get("in")
            key = str(scheme.get("name", ""))
            source = {"header": headers.get(key.lower())}.get(str(where))
            if where == "query":
                source = _query_value(exchange, key)
            if where == "cookie":
                source = key + "=" if key + "=" in headers.get("cookie", "") else None
            if not source:
                return f"The {key} API key is missing."
            continue
        wanted = (
            "basic"
            if kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"
            else "bearer"
        )
        given, _, token = headers.get("authorization", "").partition(" ")
        if given.lower() != wanted or not token.strip():
            return "Access token is empty."
        if wanted == "bearer" and token.strip().lower().startswith("expired"):
            return "Access token has expired or is not yet valid."
    return None


def _query_value(exchange: Exchange, key: str) -> str | None:
    from urllib.parse import parse_qsl

    query = exchange.raw_path.partition("?")[2]
    return next((value for name, value in parse_qsl(query) if name == key), None)


def check_media_type(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """415 unless the body's media type is one the operation takes (JSON only as UTF-8)."""
    assert exchange.operation is not None
    incoming, bodies = exchange.incoming, exchange.operation.bodies
    if not bodies or (
        "content-type" not in incoming.headers and not incoming.body and not incoming.oversize
    ):
        return None  # no body at all: a 400 from the body check, not a media type problem
    media_type, *parameters = incoming.headers.get("content-type", "").split(";")
    media_type = media_type.strip().lower()
    charset = "utf-8"
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    chosen = _accepted(media_type, bodies)
    if chosen is not None and (not _is_json(media_type) or charset in ("utf-8", "utf8")):
        exchange.media_type = chosen
        return None
    accepted = ", ".join(sorted(bodies))
    message = f"The request body must be one of: {accepted}" + (
        " (UTF-8)." if JSON_MEDIA_TYPE in bodies else "."
    )
    return exchange.error(415, "unsupportedMediaType", message)


def _accepted(media_type: str, bodies: dict[str, str | None]) -> str | None:
    """The declared media type (possibly a wildcard range) that `media_type` falls under."""
    main = media_type.split("/", 1)[0]
    for candidate in (media_type, f"{main}/*", "*/*"):
        if candidate in bodies:
            return candidate
    return None


def decode_body(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """Undo `Content-Encoding` (gzip, deflate); 415 for others, 413 past the limit once inflated."""
    incoming = exchange.incoming
    exchange.body = incoming.body
    codings = [
        c.strip().lower()
        for c in incoming.headers.get("content-encoding", "").split(",")
        if c.strip()
    ]
    for coding in reversed(codings):
        if coding == "identity":
            continue
        if coding not in DECODERS:
            return exchange.error(
                415, "unsupportedMediaType", f"Content-Encoding {coding!r} is not supported."
            )
        inflater = zlib.decompressobj(DECODERS[coding])
        try:
            inflated = inflater.decompress(exchange.body, service.max_body_bytes + 1)
        except zlib.error:
            return exchange.error(
                400, "invalidRequest", f"The request body is not valid {coding} data."
            )
        if len(inflated) > service.max_body_bytes or inflater.unconsumed_tail:
            return _too_large(service, exchange)
        exchange.body = inflated
    return None


def check_size(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """413 when the body was over the limit as sent."""
    return _too_large(service, exchange) if exchange.incoming.oversize else None


def _too_large(service: Served, exchange: Exchange) -> Reply:
    message = f"The request body is larger than {service.max_body_bytes} bytes."
    return exchange.error(413, "requestTooLarge", message)


def inject_fault(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """`X-Mock-Fail`: answer with the asked-for failure the first N times (faults.py)."""
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
    return FAULT_ACTIONS[fault.action](exchange, state, fault)


def _fail_with_status(exchange: Exchange, state: MockState, fault: Fault) -> Reply | None:
    import time

    code, message = FAULT_STATUSES[fault.status]
    headers = (
        {}
        if fault.retry_after is None
        else {"Retry-After": retry_after_value(fault.retry_after, time.time())}
    )
    return exchange.error(
        fault.status, code, message, headers=headers, note=f"{FAULT_HEADER} {fault.status}"
    )


def _claims(exchange: Exchange, state: MockState, fault: Fault) -> Reply | None:
    message = (
        "Continuous access evaluation resulted in challenge with result: InteractionRequired "
        "and code: TokenIssuedBeforeRevocationTimestamp"
    )
    headers = {"WWW-Authenticate": CAE_CHALLENGE}
    return exchange.error(
        401, "InvalidAuthenticationToken", message, headers=headers, note=f"{FAULT_HEADER} claims"
    )


def _hang(exchange: Exchange, state: MockState, fault: Fault) -> Reply | None:
    # The server waits before sending whatever the later steps answer (ended early by a stop).
    exchange.delay = fault.seconds
    return None


def _drop(exchange: Exchange, state: MockState, fault: Fault) -> Reply | None:
    return Reply(0, drop=True, note=f"{FAULT_HEADER} drop: connection closed without an answer")


FAULT_ACTIONS: dict[str, Callable[[Exchange, MockState, Fault], Reply | None]] = {
    "status": _fail_with_status,
    "claims": _claims,
    "hang": _hang,
    "drop": _drop,
}


def check_parameters(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """400 for a missing required parameter or one whose value breaks its schema."""
    assert exchange.operation is not None and exchange.match is not None
    parameters = exchange.operation.parameters
    for parameter in parameters:
        request = Request(
            exchange.match.parameters,
            exchange.raw_path.partition("?")[2],
            exchange.incoming.headers,
            frozenset(p.name for p in parameters if p.location == "query" and p is not parameter),
        )
        if parameter.schema is None:
            found = raw_values(parameter, request)
        else:
            schema = service.schemas.schema(parameter.schema)
            found = readings(parameter, request, schema, service.schemas.resolve)
        if found is None:
            if parameter.required:
                message = f"Missing required {parameter.location} parameter {parameter.name!r}."
                return exchange.error(400, "invalidRequest", message, target=parameter.name)
            continue
        if parameter.schema is None:
            continue
        violations = _first_valid_reading(service, parameter.schema, found)
        if violations:
            details = [ErrorDetail("invalidRequest", v.message, parameter.name) for v in violations]
            message = f"Invalid {parameter.location} parameter {parameter.name!r}: {violations[0].message}"
            return exchange.error(
                400, "invalidRequest", message, target=parameter.name, details=details
            )
    return None


def _first_valid_reading(service: Served, entry: str, found: list[Any]) -> list[Any]:
    """No violations when some reading of the value is valid; else the first reading's."""
    first: list[Any] = []
    for index, value in enumerate(found):
        violations = service.schemas.errors(entry, value)
        if not violations:
            return []
        if index == 0:
            first = list(violations)
    return first


def check_body(service: Served, exchange: Exchange, state: MockState) -> Reply | None:
    """400 when a required body is missing, JSON is malformed, or the body breaks its schema."""
    operation = exchange.operation
    assert operation is not None
    if not operation.bodies:
        return None
    if not exchange.body:
        if operation.body_required:
            return exchange.error(400, "invalidRequest", "The request body is required.")
        return None
    return _check_json_body(service, exchange)


def _check_json_body(service: Served, exchange: Exchange) -> Reply | None:
    assert exchange.operation is not None
    schema = exchange.operation.bodies.get(exchange.media_type)
    media = exchange.media_type
    if not (media == JSON_MEDIA_TYPE or media.endswith("+json")):
        return None  # other media types are taken as they come
    try:
        exchange.document = json.loads(exchange.body, parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        return exchange.error(400, "invalidRequest", "The request body is not valid JSON.")
    violations = service.schemas.errors(schema, exchange.document) if schema else []
    if not violations:
        return None
    details = [_detail(service, violation) for violation in violations]
    first = details[0]
    return exchange.error(
        400,
        "invalidRequest",
        f"Invalid request body: {first.message}",
        target=first.target,
        details=details,
        note=f"target {first.target}",
    )


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _detail(service: Served, violation: SchemaViolation) -> ErrorDetail:
    """One validation problem; a secret field's value is never repeated back (or logged)."""
    target = service.schemas.render_path(violation.path)
    secrets = service.schemas.bundle.secret_names
    if any(part in secrets for part in violation.path if isinstance(part, str)):
        return ErrorDetail(
            "invalidRequest", f"{target}: value not accepted ({violation.rule})", target
        )
    return ErrorDetail("invalidRequest", violation.message, target)


def answer(service: Served, exchange: Exchange, state: MockState) -> Reply:
    """The layer's answer, else the spec's: its first 2xx response with an example or drawn body."""
    assert exchange.operation is not None
    if state.layer is not None:
        reply = service.layer.answer(service, exchange, state.layer)
        if reply is not None:
            return reply
    documented = exchange.operation.success()
    if documented is None:
        return Reply(204)
    status = int(documented.status) if documented.status.isdigit() else 200
    if documented.schema is None:
        return _unchecked_answer(status, documented)
    body = service.draw(exchange, documented)
    if body is NO_EXAMPLE:
        message = f"the mock could not draw a body that fits the {status} schema"
        return exchange.error(500, "generalException", message, note=f"MOCK LIMIT: {message}")
    return Reply(status, body, content_type=documented.media_type or JSON_MEDIA_TYPE)


def _unchecked_answer(status: int, documented: Answer) -> Reply:
    """A documented answer without a schema: its example, `{}` for a JSON media type (any value
    fits; never an empty body a client cannot decode), else no body."""
    if documented.example is not NO_EXAMPLE:
        return Reply(status, documented.example)
    if _is_json((documented.media_type or "").lower()):
        return Reply(status, {}, content_type=documented.media_type or JSON_MEDIA_TYPE)
    return Reply(status, None)


def _is_json(media_type: str) -> bool:
    """`application/json` or a `+json` type (`media_type` in lower case, without parameters)."""
    return media_type == JSON_MEDIA_TYPE or media_type.endswith("+json")


STEPS: tuple[Step, ...] = (
    check_route,
    check_method,
    check_auth,
    check_media_type,
    decode_body,
    check_size,
    inject_fault,
    check_parameters,
    check_body,
    answer,
)
