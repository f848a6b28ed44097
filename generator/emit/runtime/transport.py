"""Sending requests: retries, token refresh, body encodings, and reading answers by status.

Retries are idempotency-aware: a POST may have effects (an invitation sends e-mail), so a request
is sent again only when the service provably did not process it (the connection never carried
the request; 429 or 503, throttling answers). A 500/502/504 or a failure after the body was sent
is retried only when `RetryPolicy(retry_processed=True)` says the caller accepts duplicates.
httpx (and asyncio, uuid, random, email.utils, json, ipaddress) are imported where first used:
httpx alone takes several times longer to import than the rest of a generated package.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .errors import GraphError
from .request_info import RequestInfo
from .results import ApiResult, Headers
from .types import UNSET, FrozenRecord, Unset

if TYPE_CHECKING:
    import httpx

# 30 s, 10 s to connect: made on first access by `__getattr__` below, since it needs httpx.
DEFAULT_TIMEOUT: httpx.Timeout
TokenSource = str | Callable[[], str]
# Parses decoded body data into its typed form: `parser(data, validate=...)`.
Parser = Callable[..., Any]
# Status key ("200", "2XX", "default") -> (body kind: json, text, bytes or none; parser or None).
ResponseTable = Mapping[str, tuple[str, Parser | None]]
ResultT = TypeVar("ResultT", bound=ApiResult[Any])
SERVER_ERRORS = frozenset({500, 502, 504})


def __getattr__(name: str) -> Any:
    """`DEFAULT_TIMEOUT` on first access (PEP 562): building it imports httpx."""
    if name == "DEFAULT_TIMEOUT":
        return _default_timeout()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _default_timeout() -> httpx.Timeout:
    import httpx

    return httpx.Timeout(30.0, connect=10.0)


def _not_sent(error: Exception) -> bool:
    """True for errors raised before the request left this machine: retrying cannot duplicate it."""
    import httpx

    return isinstance(error, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))


class RetryPolicy(FrozenRecord):
    """When and how long to wait before sending a request again (immutable, hashable)."""

    _fields: ClassVar[tuple[str, ...]] = (
        "max_retries",
        "backoff_base",
        "backoff_max",
        "max_retry_after",
        "retry_statuses",
        "retry_processed",
    )
    __slots__ = (
        "backoff_base",
        "backoff_max",
        "max_retries",
        "max_retry_after",
        "retry_processed",
        "retry_statuses",
    )
    max_retries: int
    backoff_base: float
    backoff_max: float
    max_retry_after: float
    retry_statuses: frozenset[int]
    retry_processed: bool

    def __init__(
        self,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        max_retry_after: float = 300.0,
        retry_statuses: frozenset[int] = frozenset({429, 503}),
        retry_processed: bool = False,
    ) -> None:
        self._init(
            max_retries=max_retries,
            backoff_base=backoff_base,
            backoff_max=backoff_max,
            max_retry_after=max_retry_after,
            retry_statuses=retry_statuses,
            retry_processed=retry_processed,
        )

    def delay(self, attempt: int, retry_after: str | None) -> float:
        """Seconds to wait: `Retry-After` when given, else exponential backoff with full jitter."""
        given = parse_retry_after(retry_after)
        if given is not None:
            return min(given, self.max_retry_after)
        import random

        ceiling = min(self.backoff_max, self.backoff_base * 2**attempt)
        return random.uniform(0, ceiling)  # noqa: S311 - jitter spreads retries; not security

    def retry_delay(
        self, attempt: int, status: int | None, headers: Mapping[str, str], error: Exception | None
    ) -> float | None:
        """The wait before attempt `attempt + 1`, or None when the request must not be repeated."""
        if attempt >= self.max_retries:
            return None
        if error is not None:
            safe = _not_sent(error) or self.retry_processed
            return self.delay(attempt, None) if safe else None
        retryable = status in self.retry_statuses or (
            self.retry_processed and status in SERVER_ERRORS
        )
        return self.delay(attempt, headers.get("Retry-After")) if retryable else None


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """`Retry-After` as seconds: a delay in seconds or an HTTP date; None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def check_base_url(base_url: str) -> str:
    """The service root without a trailing slash; plain http is refused except for loopback hosts."""
    import httpx

    url = httpx.URL(base_url)
    if url.scheme == "https" or (url.scheme == "http" and _is_loopback(url.host)):
        return str(url).rstrip("/")
    raise ValueError(
        f"base_url must use https (http only for loopback hosts), got {url.scheme}://{url.host}"
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def media_kind(content_type: str) -> str:
    """How a media type is written and read: json, form, multipart, text or bytes."""
    essence = content_type.split(";", 1)[0].strip().lower()
    if essence == "application/json" or essence.endswith("+json"):
        return "json"
    if essence == "application/x-www-form-urlencoded":
        return "form"
    if essence.startswith("multipart/"):
        return "multipart"
    return "text" if essence.startswith("text/") else "bytes"


def _json_bytes(body: Any) -> bytes:
    import json

    return json.dumps(body, ensure_ascii=False, allow_nan=False).encode("utf-8")


def _form_bytes(body: Any) -> bytes:
    from urllib.parse import urlencode

    pairs = [(key, _form_text(value)) for key, value in dict(body).items()]
    return urlencode(pairs).encode("ascii")


def _form_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(value, ensure_ascii=False)
    return "true" if value is True else "false" if value is False else str(value)


def _multipart(body: Any, boundary: str) -> bytes:
    """`multipart/form-data`: bytes values as file parts, everything else as text (JSON for objects)."""
    chunks: list[bytes] = []
    for name, value in dict(body).items():
        quoted = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        disposition = f'Content-Disposition: form-data; name="{quoted}"'
        if isinstance(value, bytes):
            head = f'{disposition}; filename="{quoted}"\r\nContent-Type: application/octet-stream'
            payload = value
        else:
            head, payload = disposition, _form_text(value).encode("utf-8")
        chunks.append(f"--{boundary}\r\n{head}\r\n\r\n".encode() + payload + b"\r\n")
    return b"".join(chunks) + f"--{boundary}--\r\n".encode()


def _text_bytes(body: Any) -> bytes:
    return str(body).encode("utf-8")


def _raw_bytes(body: Any) -> bytes:
    return bytes(body)


_BODY_WRITERS: dict[str, Callable[[Any], bytes]] = {
    "json": _json_bytes,
    "form": _form_bytes,
    "text": _text_bytes,
    "bytes": _raw_bytes,
}


def _read_json(response: httpx.Response) -> Any:
    return response.json()


def _read_text(response: httpx.Response) -> Any:
    return response.text


def _read_bytes(response: httpx.Response) -> Any:
    return response.content


def _read_none(response: httpx.Response) -> Any:
    return None


_BODY_READERS: dict[str, Callable[[httpx.Response], Any]] = {
    "json": _read_json,
    "text": _read_text,
    "bytes": _read_bytes,
    "none": _read_none,
}


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _match(table: ResponseTable, status: int) -> tuple[str, Parser | None] | None:
    """The table entry for a status: exact code, then its `NXX` range, then `default`."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in table:
            return table[key]
    return None


class Settings:
    """What both clients share: base URL, token source, retry policy, validation switches."""

    def __init__(
        self,
        token: TokenSource,
        base_url: str,
        retry: RetryPolicy,
        validate_requests: bool,
        validate_responses: bool,
    ) -> None:
        if not (isinstance(token, str) or callable(token)):
            raise TypeError("token must be a string or a callable returning one")
        self._token = token
        self.base_url = check_base_url(base_url)
        self.retry = retry
        self.validate_requests = validate_requests
        self.validate_responses = validate_responses

    @property
    def can_refresh(self) -> bool:
        """A callable token source can be asked again after a 401."""
        return callable(self._token)

    def token(self) -> str:
        """The current bearer token."""
        token = self._token() if callable(self._token) else self._token
        if not isinstance(token, str) or not token:
            raise TypeError("the token source returned no token")
        return token

    def prepare(
        self, request: RequestInfo, token: str, client_request_id: str
    ) -> tuple[str, dict[str, str], bytes | None]:
        """URL, headers and body bytes for one attempt."""
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": request.accept,
            "client-request-id": client_request_id,
            **request.headers,
        }
        content = None
        if request.body is not None:
            kind = media_kind(request.content_type)
            headers["Content-Type"] = request.content_type
            if kind == "multipart":
                import uuid

                boundary = uuid.uuid4().hex
                headers["Content-Type"] = f"{request.content_type}; boundary={boundary}"
                content = _multipart(request.body, boundary)
            else:
                content = _BODY_WRITERS[kind](request.body)
        return self.base_url + request.path, headers, content

    def failure(self, response: httpx.Response, attempts: int, model: Any = None) -> GraphError:
        """The `GraphError` for a 4xx/5xx answer."""
        return GraphError.from_response(
            response.status_code,
            _json_or_none(response),
            response.headers,
            attempts=attempts,
            model=model,
        )

    def result(
        self, response: httpx.Response, table: ResponseTable, result: type[ResultT]
    ) -> ResultT:
        """The typed result of a documented non-error answer; a `GraphError` for anything else.

        Error statuses the spec types carry their parsed body on `GraphError.model` (None when the
        body does not fit: an error answer never fails to become an error).
        """
        entry = _match(table, response.status_code)
        if response.status_code >= 400:
            raise self.failure(response, 1, self._error_model(response, entry))
        if entry is None:
            raise GraphError(
                f"unexpected HTTP {response.status_code} for this operation",
                status_code=response.status_code,
                body=_json_or_none(response),
            )
        kind, parser = entry
        data = _BODY_READERS[kind](response)
        body = data if parser is None else parser(data, validate=self.validate_responses)
        return result(
            response.status_code, body, response.headers.get("request-id", ""), response.headers
        )

    def _error_model(
        self, response: httpx.Response, entry: tuple[str, Parser | None] | None
    ) -> Any:
        if entry is None or entry[1] is None or entry[0] != "json":
            return None
        try:
            return entry[1](response.json(), validate=True)
        except ValueError:  # not JSON, or not this model (ValidationError is a ValueError)
            return None


def _transport_failure(
    error: httpx.TransportError, attempts: int, client_request_id: str
) -> GraphError:
    return GraphError(
        f"{type(error).__name__}: the request could not be completed",
        status_code=None,
        client_request_id=client_request_id,
        attempts=attempts,
    )


class BaseClient:
    """Synchronous client base: `send` with retries; generated subclasses add one method per operation.

    `token` is a bearer token or a callable returning one (asked again once after a 401).
    `base_url` is the service root (left out: the spec's first server); each operation adds the
    path its server gives.
    """

    DEFAULT_BASE_URL: ClassVar[str] = ""

    def __init__(
        self,
        token: TokenSource,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout | Unset = UNSET,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        validate_responses: bool = True,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        """`timeout` is seconds or an `httpx.Timeout`; left out, `DEFAULT_TIMEOUT`."""
        import httpx

        self._settings = Settings(
            token,
            self.DEFAULT_BASE_URL if base_url is None else base_url,
            retry or RetryPolicy(),
            validate_requests,
            validate_responses,
        )
        self._http = httpx.Client(
            timeout=_default_timeout() if timeout is UNSET else timeout,
            transport=transport,
            follow_redirects=False,
        )
        self._sleep = sleep or time.sleep

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._http.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, request: RequestInfo) -> httpx.Response:
        """Send a built request with retries; a final 4xx/5xx raises `GraphError`."""
        response, sent = self._exchange(request)
        if response.status_code >= 400:
            raise self._settings.failure(response, sent)
        return response

    def _call(self, request: RequestInfo, table: ResponseTable, result: type[ResultT]) -> ResultT:
        response, sent = self._exchange(request)
        try:
            return self._settings.result(response, table, result)
        except GraphError as error:
            error.attempts = sent
            raise

    def _exchange(self, request: RequestInfo) -> tuple[httpx.Response, int]:
        """The final answer after retries and one token refresh, and how many requests were sent."""
        import uuid

        import httpx

        settings = self._settings
        token = settings.token()
        # One id per call, kept across retries: the service's logs (and the caller's) tie the attempts together.
        client_request_id = str(uuid.uuid4())
        # `attempt` counts retries (the backoff exponent); `sent` counts every request, 401 refresh included.
        attempt, sent, refreshed = 0, 0, False
        while True:
            url, headers, content = settings.prepare(request, token, client_request_id)
            sent += 1
            try:
                response = self._http.request(request.method, url, headers=headers, content=content)
            except httpx.TransportError as error:
                delay = settings.retry.retry_delay(attempt, None, {}, error)
                if delay is None:
                    raise _transport_failure(error, sent, client_request_id) from error
                self._sleep(delay)
                attempt += 1
                continue
            if response.status_code == 401 and settings.can_refresh and not refreshed:
                # An expired token is rejected before anything is processed: ask for a new one once.
                refreshed, token = True, settings.token()
                continue
            delay = settings.retry.retry_delay(
                attempt, response.status_code, response.headers, None
            )
            if delay is None:
                return response, sent
            self._sleep(delay)
            attempt += 1


class AsyncBaseClient:
    """Asynchronous client base: as `BaseClient`, with `await`."""

    DEFAULT_BASE_URL: ClassVar[str] = ""

    def __init__(
        self,
        token: TokenSource,
        base_url: str | None = None,
        *,
        timeout: float | httpx.Timeout | Unset = UNSET,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        validate_responses: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        """`timeout` is seconds or an `httpx.Timeout`; left out, `DEFAULT_TIMEOUT`."""
        import asyncio

        import httpx

        self._settings = Settings(
            token,
            self.DEFAULT_BASE_URL if base_url is None else base_url,
            retry or RetryPolicy(),
            validate_requests,
            validate_responses,
        )
        self._http = httpx.AsyncClient(
            timeout=_default_timeout() if timeout is UNSET else timeout,
            transport=transport,
            follow_redirects=False,
        )
        self._sleep = sleep or asyncio.sleep

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._settings.base_url!r})"

    async def close(self) -> None:
        """Close the underlying HTTP connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncBaseClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def send(self, request: RequestInfo) -> httpx.Response:
        """Send a built request with retries; a final 4xx/5xx raises `GraphError`."""
        response, sent = await self._exchange(request)
        if response.status_code >= 400:
            raise self._settings.failure(response, sent)
        return response

    async def _call(
        self, request: RequestInfo, table: ResponseTable, result: type[ResultT]
    ) -> ResultT:
        response, sent = await self._exchange(request)
        try:
            return self._settings.result(response, table, result)
        except GraphError as error:
            error.attempts = sent
            raise

    async def _exchange(self, request: RequestInfo) -> tuple[httpx.Response, int]:
        """The final answer after retries and one token refresh, and how many requests were sent."""
        import uuid

        import httpx

        settings = self._settings
        token = settings.token()
        client_request_id = str(uuid.uuid4())
        attempt, sent, refreshed = 0, 0, False
        while True:
            url, headers, content = settings.prepare(request, token, client_request_id)
            sent += 1
            try:
                response = await self._http.request(
                    request.method, url, headers=headers, content=content
                )
            except httpx.TransportError as error:
                delay = settings.retry.retry_delay(attempt, None, {}, error)
                if delay is None:
                    raise _transport_failure(error, sent, client_request_id) from error
                await self._sleep(delay)
                attempt += 1
                continue
            if response.status_code == 401 and settings.can_refresh and not refreshed:
                refreshed, token = True, settings.token()
                continue
            delay = settings.retry.retry_delay(
                attempt, response.status_code, response.headers, None
            )
            if delay is None:
                return response, sent
            await self._sleep(delay)
            attempt += 1


__all__ = [
    "ApiResult",
    "AsyncBaseClient",
    "BaseClient",
    "Headers",
    "ResponseTable",
    "RetryPolicy",
    "TokenSource",
]
