"""Errors raised by the generated client: error responses, transport failures, bad payloads.

Every error of a call is an `ApiError` (or a subclass); none is chained to the exception that
caused it (`__cause__` and `__context__` stay None), because an HTTP library's exception holds
the request, its `Authorization` header and its body.

Error bodies are read leniently by `error_fields`, whatever shape the service uses: an
`{"error": {...}}` envelope (OData, JSON:API-style services, Google's JSON style), a flat object
with `code`/`message` (the Petstore's `Error`), or an RFC 9457 problem (`title`, `detail`,
`type`). A service with its own shape (Microsoft Graph: module `graph`) gives the client another
reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .validators import ValidationError

# The fields an error body gives: code, message, target, request_id, date (strings) and
# inner_codes (tuple of strings), each left out when the body has none.
ErrorFields = dict[str, Any]
ErrorReader = Callable[[Any], ErrorFields]
# Headers that carry the service's id for a request, first found wins.
REQUEST_ID_HEADERS = ("request-id", "x-request-id", "x-ms-request-id", "x-amzn-requestid")

__all__ = [
    "ApiDecodeError",
    "ApiError",
    "ApiResponseTooLargeError",
    "ApiResponseValidationError",
    "ApiThrottledError",
    "ApiTimeoutError",
    "ApiVersionError",
    "ErrorReader",
    "ValidationError",
    "error_fields",
    "request_id",
]


class ApiError(Exception):
    """An error response (4xx/5xx), or a request that failed for good after its retries.

    `status_code` is None when no response arrived at all (connection failure, timeout).
    `model` is the error body parsed into the model the spec gives that status (None when the
    spec types none, or the body does not fit it). `headers` are the answer's headers,
    `retry_after` the seconds the server asked to wait (`Retry-After`), `code`, `target` and
    `inner_codes` (nested error codes, most specific last) what the body says, `request_id` the
    service's id for the request, `client_request_id` the id the client sent (when the API has
    such a header). Messages carry the service's code, message and request id, never the token or
    the request body.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None,
        code: str = "",
        request_id: str = "",
        client_request_id: str = "",
        date: str = "",
        target: str = "",
        body: Any = None,
        attempts: int = 1,
        model: Any = None,
        headers: Mapping[str, str] | None = None,
        retry_after: float | None = None,
        inner_codes: tuple[str, ...] = (),
        raw: bytes = b"",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.code = code
        self.request_id = request_id
        self.client_request_id = client_request_id
        self.date = date
        self.target = target
        self.body = body
        self.attempts = attempts
        self.model = model
        self.headers: dict[str, str] = dict(headers or {})
        self.retry_after = retry_after
        self.inner_codes = inner_codes
        self.raw = raw

    def __str__(self) -> str:
        status = "no response" if self.status_code is None else str(self.status_code)
        code = f" {self.code}" if self.code else ""
        request = f"; request-id {self.request_id}" if self.request_id else ""
        tries = "attempt" if self.attempts == 1 else "attempts"
        wait = f"; retry after {self.retry_after:g} s" if self.retry_after is not None else ""
        return f"{status}{code}: {self.message} ({self.attempts} {tries}{request}{wait})"

    @classmethod
    def from_response(
        cls,
        status_code: int,
        body: Any,
        headers: Mapping[str, str],
        *,
        attempts: int,
        model: Any = None,
        client_request_id: str = "",
        retry_after: float | None = None,
        raw: bytes = b"",
        reader: ErrorReader | None = None,
    ) -> ApiError:
        """The error for an answer, its body read by `reader` (`error_fields` by default);
        any body, even none, still gives an error. 429 and 503 give `ApiThrottledError`."""
        fields = (reader or error_fields)(body)
        kind = ApiThrottledError if status_code in (429, 503) else cls
        return kind(
            _text(fields.get("message")) or f"HTTP {status_code} with no error message in the body",
            status_code=status_code,
            code=_text(fields.get("code")),
            request_id=_text(fields.get("request_id")) or request_id(headers),
            client_request_id=client_request_id or _text(fields.get("client_request_id")),
            date=_text(fields.get("date")),
            target=_text(fields.get("target")),
            body=body,
            attempts=attempts,
            model=model,
            headers=headers,
            retry_after=retry_after,
            inner_codes=tuple(fields.get("inner_codes", ())),
            raw=raw,
        )


class ApiThrottledError(ApiError):
    """A 429 or 503 that was not (or no longer) retried; `retry_after` says how long to wait."""


class ApiResponseValidationError(ApiError):
    """A success answer whose body does not fit the spec's schema (`validate_responses=True`), or
    cannot be read into its model at all; `errors` holds the validation errors, `raw` the body."""

    def __init__(
        self, message: str, *, errors: tuple[ValidationError, ...] = (), **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.errors = errors


class ApiDecodeError(ApiError):
    """An answer that is not what its content says: not JSON, not UTF-8, JSON nested too deeply."""


class ApiResponseTooLargeError(ApiError):
    """An answer larger than `max_response_bytes`; reading stopped at the cap."""


class ApiTimeoutError(ApiError):
    """The call's deadline passed (before an attempt, during a wait, or while reading)."""


class ApiVersionError(ApiError):
    """The operation is not served by the requested API version; nothing was sent."""


def error_fields(body: Any) -> ErrorFields:
    """Code, message, target and nested codes of a common error body (see the module docstring)."""
    if not isinstance(body, dict):
        return {}
    envelope = body.get("error")
    error = envelope if isinstance(envelope, dict) else body
    message = _first_text(error, ("message", "detail", "title", "error_description"))
    if not message and isinstance(envelope, str):
        message = envelope  # {"error": "invalid_grant", ...} (OAuth 2) names only a code
    code = _first_text(error, ("code", "error_code", "type")) or _integer_code(error.get("code"))
    return {
        "code": code or (_text(envelope) if message != envelope else ""),
        "message": message,
        "target": _text(error.get("target")),
        "inner_codes": inner_codes(error),
    }


def inner_codes(error: Mapping[str, Any], limit: int = 32) -> tuple[str, ...]:
    """The `code` of each nested `innerError`/`innererror` (OData), outermost first (at most
    `limit`)."""
    codes: list[str] = []
    node: Any = error.get("innerError", error.get("innererror"))
    while isinstance(node, dict) and len(codes) < limit:
        if isinstance(node.get("code"), str):
            codes.append(node["code"])
        node = node.get("innerError", node.get("innererror"))
    return tuple(codes)


def request_id(headers: Mapping[str, str]) -> str:
    """The service's request id from the first of `REQUEST_ID_HEADERS` present, or ``."""
    return next((headers[name] for name in REQUEST_ID_HEADERS if headers.get(name)), "")


def _first_text(error: Mapping[str, Any], keys: tuple[str, ...]) -> str:
    return next((error[key] for key in keys if isinstance(error.get(key), str)), "")


def _integer_code(value: Any) -> str:
    """An integer `code` (the Petstore's `Error.code`) as text; ``for anything else."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
