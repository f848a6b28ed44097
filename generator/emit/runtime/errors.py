"""Errors raised by the generated client: error responses, transport failures, bad payloads.

Every error of a call is a `GraphError` (or a subclass); none is chained to the exception that
caused it (`__cause__` and `__context__` stay None), because an HTTP library's exception holds
the request, its `Authorization` header and its body.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .validators import ValidationError

__all__ = [
    "GraphDecodeError",
    "GraphError",
    "GraphResponseTooLargeError",
    "GraphResponseValidationError",
    "GraphThrottledError",
    "GraphTimeoutError",
    "GraphVersionError",
    "ValidationError",
]


class GraphError(Exception):
    """An error response (4xx/5xx), or a request that failed for good after its retries.

    `status_code` is None when no response arrived at all (connection failure, timeout).
    `model` is the error body parsed into the model the spec gives that status (None when the
    spec types none, or the body does not fit it). `headers` are the answer's headers,
    `retry_after` the seconds the server asked to wait (`Retry-After`), `inner_codes` the chain of
    `innerError.code` values, most specific last, `client_request_id` always the id the client
    sent. Messages carry the service's code, message and request id, never the token or the
    request body.
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
    ) -> GraphError:
        """Read an OData-style `{"error": {...}}` leniently: any other body still gives an error."""
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        inner = error.get("innerError", error.get("innererror"))
        inner = inner if isinstance(inner, dict) else {}
        kind = GraphThrottledError if status_code in (429, 503) else cls
        return kind(
            _text(error.get("message")) or f"HTTP {status_code} with no error message in the body",
            status_code=status_code,
            code=_text(error.get("code")),
            request_id=_text(inner.get("request-id")) or headers.get("request-id", ""),
            client_request_id=client_request_id
            or _text(inner.get("client-request-id"))
            or headers.get("client-request-id", ""),
            date=_text(inner.get("date")),
            target=_text(error.get("target")),
            body=body,
            attempts=attempts,
            model=model,
            headers=headers,
            retry_after=retry_after,
            inner_codes=inner_codes(error),
            raw=raw,
        )


class GraphThrottledError(GraphError):
    """A 429 or 503 that was not (or no longer) retried; `retry_after` says how long to wait."""


class GraphResponseValidationError(GraphError):
    """A success answer whose body does not fit the spec's schema (`validate_responses=True`), or
    cannot be read into its model at all; `errors` holds the validation errors, `raw` the body."""

    def __init__(
        self, message: str, *, errors: tuple[ValidationError, ...] = (), **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.errors = errors


class GraphDecodeError(GraphError):
    """An answer that is not what its content says: not JSON, not UTF-8, JSON nested too deeply."""


class GraphResponseTooLargeError(GraphError):
    """An answer larger than `max_response_bytes`; reading stopped at the cap."""


class GraphTimeoutError(GraphError):
    """The call's deadline passed (before an attempt, during a wait, or while reading)."""


class GraphVersionError(GraphError):
    """The operation is not served by the requested API version; nothing was sent."""


def inner_codes(error: Mapping[str, Any], limit: int = 32) -> tuple[str, ...]:
    """The `code` of each nested `innerError`/`innererror`, outermost first (at most `limit`)."""
    codes: list[str] = []
    node: Any = error.get("innerError", error.get("innererror"))
    while isinstance(node, dict) and len(codes) < limit:
        if isinstance(node.get("code"), str):
            codes.append(node["code"])
        node = node.get("innerError", node.get("innererror"))
    return tuple(codes)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
