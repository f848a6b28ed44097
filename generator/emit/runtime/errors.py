"""Errors raised by the generated client: error responses, transport failures, bad payloads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .validators import ValidationError

__all__ = ["GraphError", "ValidationError"]


class GraphError(Exception):
    """An error response (4xx/5xx), or a request that failed for good after its retries.

    `status_code` is None when no response arrived at all (connection failure, timeout).
    `model` is the error body parsed into the model the spec gives that status (None when the
    spec types none, or the body does not fit it). Messages carry the service's code, message
    and request id, never the token or the request body.
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

    def __str__(self) -> str:
        status = "no response" if self.status_code is None else str(self.status_code)
        code = f" {self.code}" if self.code else ""
        request = f"; request-id {self.request_id}" if self.request_id else ""
        tries = "attempt" if self.attempts == 1 else "attempts"
        return f"{status}{code}: {self.message} ({self.attempts} {tries}{request})"

    @classmethod
    def from_response(
        cls,
        status_code: int,
        body: Any,
        headers: Mapping[str, str],
        *,
        attempts: int,
        model: Any = None,
    ) -> GraphError:
        """Read an OData-style `{"error": {...}}` leniently: any other body still gives an error."""
        error = body.get("error") if isinstance(body, dict) else None
        error = error if isinstance(error, dict) else {}
        inner = error.get("innerError")
        inner = inner if isinstance(inner, dict) else {}
        return cls(
            _text(error.get("message")) or f"HTTP {status_code} with no error message in the body",
            status_code=status_code,
            code=_text(error.get("code")),
            request_id=_text(inner.get("request-id")) or headers.get("request-id", ""),
            client_request_id=_text(inner.get("client-request-id"))
            or headers.get("client-request-id", ""),
            date=_text(inner.get("date")),
            target=_text(error.get("target")),
            body=body,
            attempts=attempts,
            model=model,
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
