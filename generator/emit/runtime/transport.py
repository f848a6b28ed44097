"""Sending requests: retries, deadlines, token refresh, body encodings, and reading answers.

Retries are idempotency-aware: a POST may have effects (an invitation sends e-mail), so a request
is sent again only when the service provably did not process it (the connection never carried
the request; 429 or 503, throttling answers). A 500/502/504 or a failure after the body was sent
is retried only when `RetryPolicy(retry_processed=True)` says the caller accepts duplicates. The
rules themselves are in `decisions`; time comes from an injectable `Clock` and sleeper. Answers
are read streamed, capped at `max_response_bytes` and within the call's deadline (`reading`).
Errors are raised outside the `except` blocks that saw the HTTP library's exception, so no
traceback or `__context__` holds the request with its token.
httpx (and asyncio, uuid, random, email.utils, json, ipaddress) are imported where first used:
httpx alone takes several times longer to import than the rest of a generated package.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from .decisions import Finish, Refresh, Wait, after_answer, after_failure
from .errors import (
    ApiDecodeError,
    ApiError,
    ApiResponseTooLargeError,
    ApiResponseValidationError,
    ApiTimeoutError,
    request_id,
)
from .reading import (
    DEFAULT_MAX_RESPONSE_BYTES,
    BodyProblem,
    aread_chunks,
    declared_too_large,
    decode_json,
    decode_text,
    read_chunks,
)
from .redaction import check_header, check_no_credentials
from .request_info import RequestInfo, qualified
from .results import ApiResult, Headers
from .security import Applied, Credentials, SchemeTable, TokenSource, uses_token
from .servers import ServerTable, check_variables, choose_server, pick_server
from .service import DEFAULT_RULES, ServiceRules
from .throttle import SYSTEM_CLOCK, Clock, Deadline
from .types import UNSET, FrozenRecord, Unset
from .validators import ValidationError

if TYPE_CHECKING:
    import httpx

# 30 s, 10 s to connect: made on first access by `__getattr__` below, since it needs httpx.
DEFAULT_TIMEOUT: httpx.Timeout
# A whole call (every attempt, wait and read) ends after this many seconds unless told otherwise.
DEFAULT_DEADLINE = 300.0
# Parses decoded body data into its typed form: `parser(data, validate=...)`.
Parser = Callable[..., Any]
# Status key ("200", "2XX", "default") -> (body kind: json, text, bytes or none; parser or None).
ResponseTable = Mapping[str, tuple[str, Parser | None]]
ResultT = TypeVar("ResultT", bound=ApiResult[Any])
# Headers the client sets itself (and the service's request id header); custom headers may not
# replace them.
RESERVED_HEADERS = frozenset({"authorization", "content-type", "content-length", "host"})
# What a model raises when data that failed validation does not even have the model's shape.
_SHAPE_ERRORS = (TypeError, KeyError, AttributeError, ValueError, IndexError, RecursionError)


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
    """When and how long to wait before sending a request again (immutable, hashable).

    `max_retry_after` (180 s, as Microsoft's SDKs): a `Retry-After` above it is not waited out;
    the call raises at once with `retry_after` on the error.
    """

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
        max_retry_after: float = 180.0,
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


class CallOptions(FrozenRecord):
    """Per-call settings: API version, extra headers, deadline (seconds; None: none), request id."""

    __slots__ = ("api_version", "client_request_id", "deadline", "headers")
    _fields: ClassVar[tuple[str, ...]] = ("api_version", "headers", "deadline", "client_request_id")
    api_version: str | None
    headers: Mapping[str, str]
    deadline: float | Unset | None
    client_request_id: str | None

    def __init__(
        self,
        api_version: str | None = None,
        headers: Mapping[str, str] | None = None,
        deadline: float | Unset | None = UNSET,
        client_request_id: str | None = None,
    ) -> None:
        checked = dict(check_header(name, value) for name, value in (headers or {}).items())
        if client_request_id is not None:
            check_header("client-request-id", client_request_id)
        self._init(
            api_version=api_version,
            headers=checked,
            deadline=deadline,
            client_request_id=client_request_id,
        )


def check_base_url(base_url: str) -> str:
    """The service root without a trailing slash; plain http is refused except for loopback hosts.

    Credentials in the URL (`user:password@`) are refused: they would go out as Basic auth and
    show in reprs.
    """
    import httpx

    url = httpx.URL(base_url)
    check_no_credentials(url.userinfo.decode("ascii", "replace"))
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

    text = json.dumps(body, ensure_ascii=False, allow_nan=False)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as error:
        # Raised outside the handler: UnicodeEncodeError.object is the whole body (passwords too).
        position = error.start
    raise ValueError(f"the request body holds a lone surrogate (character {position} of its JSON)")


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


def _match(table: ResponseTable, status: int) -> tuple[str, Parser | None] | None:
    """The table entry for a status: exact code, then its `NXX` range, then `default`."""
    for key in (str(status), f"{status // 100}XX", "default"):
        if key in table:
            return table[key]
    return None


class Answer:
    """The call's final answer: status, headers, the body as read (capped), and the call's facts."""

    __slots__ = ("attempts", "client_request_id", "content", "headers", "retry_after", "status")

    def __init__(
        self,
        status: int,
        headers: Headers,
        content: bytes,
        attempts: int,
        client_request_id: str,
        retry_after: float | None,
    ) -> None:
        self.status = status
        self.headers = headers
        self.content = content
        self.attempts = attempts
        self.client_request_id = client_request_id
        self.retry_after = retry_after

    def facts(self) -> dict[str, Any]:
        """The keyword arguments every `ApiError` about this answer carries."""
        return {
            "status_code": self.status,
            "request_id": request_id(self.headers),
            "client_request_id": self.client_request_id,
            "attempts": self.attempts,
            "headers": self.headers,
            "retry_after": self.retry_after,
            "raw": self.content,
        }


_PROBLEMS: dict[str, type[ApiError]] = {
    "too_large": ApiResponseTooLargeError,
    "deadline": ApiTimeoutError,
    "encoding": ApiDecodeError,
    "json": ApiDecodeError,
}


def _problem_error(
    problem: BodyProblem,
    status: int | None,
    headers: Mapping[str, str],
    client_request_id: str,
    attempts: int,
) -> ApiError:
    return _PROBLEMS[problem.kind](
        problem.message,
        status_code=status,
        request_id=request_id(headers),
        client_request_id=client_request_id,
        attempts=attempts,
        headers=headers,
    )


def _transport_failure(name: str, attempts: int, client_request_id: str) -> ApiError:
    """An error naming only the failure's type: its message could hold the request's headers."""
    kind = ApiTimeoutError if name.endswith("Timeout") else ApiError
    return kind(
        f"{name}: the request could not be completed",
        status_code=None,
        client_request_id=client_request_id,
        attempts=attempts,
    )


class Settings:
    """What both clients share: base URL, credentials, servers, policies, headers, limits, clock,
    and the service's rules (request id header, error shape, auth challenges)."""

    def __init__(
        self,
        credentials: Credentials,
        base_url: str | None,
        retry: RetryPolicy,
        validate_requests: bool,
        validate_responses: bool,
        *,
        api_version: str | None = None,
        servers: ServerTable | None = None,
        server: str | None = None,
        server_variables: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        user_agent: str = "",
        qualified_action_names: bool = False,
        clock: Clock = SYSTEM_CLOCK,
        rules: ServiceRules = DEFAULT_RULES,
    ) -> None:
        self.credentials = credentials
        self.rules = rules
        # None: each operation goes to the origin its (expanded) server URL names.
        self.base_url = None if base_url is None else check_base_url(base_url)
        self.retry = retry
        self.validate_requests = validate_requests
        self.validate_responses = validate_responses
        self.api_version = api_version
        self.servers = servers or {}
        self.server = server
        self.server_variables = dict(server_variables or {})
        self.headers = self.custom_headers(headers or {}, rules.request_id_header)
        Deadline(clock, deadline)  # refuses a deadline that is not a positive number
        self.deadline = deadline
        if not isinstance(max_response_bytes, int) or max_response_bytes < 1:
            raise ValueError("max_response_bytes must be a positive integer")
        self.max_response_bytes = max_response_bytes
        self.user_agent = check_header("User-Agent", user_agent)[1] if user_agent else ""
        if qualified_action_names and not rules.qualified_name_extension:
            raise ValueError("qualified_action_names: this API has no qualified action names")
        self.qualified_action_names = qualified_action_names
        self.clock = clock

    @staticmethod
    def custom_headers(headers: Mapping[str, str], request_id_header: str = "") -> dict[str, str]:
        """Checked extra headers; the ones the client sets itself are refused."""
        checked = dict(check_header(name, value) for name, value in headers.items())
        own = {*RESERVED_HEADERS, request_id_header.lower()} - {""}
        reserved = sorted(name for name in checked if name.lower() in own)
        if reserved:
            raise ValueError(f"the client sets {', '.join(reserved)} itself")
        return checked

    def deadline_for(self, options: CallOptions) -> Deadline:
        """The call's deadline on the settings' clock."""
        seconds = self.deadline if isinstance(options.deadline, Unset) else options.deadline
        return Deadline(self.clock, seconds)

    def url(self, request: RequestInfo, options: CallOptions) -> str:
        """The request's URL: its server (by API version, the client's pick, or its first) with
        variables filled in, `base_url` in place of the server's origin when given."""
        version = options.api_version or self.api_version
        origin, prefix = choose_server(
            request, self.servers, version, self.server, self.server_variables
        )
        if self.base_url is None and not origin:
            raise ValueError(
                f"{request.operation_id}: the spec gives this operation a relative server URL; "
                "pass base_url to the client"
            )
        base = self.base_url if self.base_url is not None else check_base_url(origin)
        path = request.path
        name = request.extensions.get(self.rules.qualified_name_extension)
        if self.qualified_action_names and name:
            path, _, query = path.partition("?")
            path = qualified(path, str(name))
            path += f"?{query}" if query else ""
        return base + prefix + path

    def prepare(
        self, request: RequestInfo, call: _Call, extra: Mapping[str, str]
    ) -> tuple[str, dict[str, str], bytes | None]:
        """URL (with any API key in the query), headers and body bytes for one attempt."""
        headers = {
            "Accept": request.accept,
            **({"User-Agent": self.user_agent} if self.user_agent else {}),
            **self.headers,
            **request.headers,
            **extra,
        }
        if self.rules.request_id_header:
            headers[self.rules.request_id_header] = call.client_request_id
        url = self.credentials.apply(call.auth, call.token, headers, call.url)
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
        return url, headers, content

    def timeout(self, configured: httpx.Timeout, deadline: Deadline) -> httpx.Timeout:
        """The attempt's timeouts, none longer than the time the call has left."""
        import httpx

        left = deadline.remaining()
        if left is None:
            return configured

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(configured.connect),
            read=cap(configured.read),
            write=cap(configured.write),
            pool=cap(configured.pool),
        )

    def failure(self, answer: Answer, model: Any = None) -> ApiError:
        """The `ApiError` for a 4xx/5xx answer (its body read leniently by the service's rules)."""
        try:
            body = decode_json(answer.content) if answer.content else None
        except BodyProblem:
            body = None
        return ApiError.from_response(
            answer.status,
            body,
            answer.headers,
            attempts=answer.attempts,
            model=model,
            client_request_id=answer.client_request_id,
            retry_after=answer.retry_after,
            raw=answer.content,
            reader=self.rules.read_error,
        )

    def result(self, answer: Answer, table: ResponseTable, result: type[ResultT]) -> ResultT:
        """The typed result of a documented non-error answer; an `ApiError` for anything else.

        Error statuses the spec types carry their parsed body on `ApiError.model` (None when the
        body does not fit: an error answer never fails to become an error).
        """
        entry = _match(table, answer.status)
        if answer.status >= 400:
            raise self.failure(answer, self._error_model(answer, entry))
        if entry is None:
            error = self.failure(answer)
            error.message = f"unexpected HTTP {answer.status} for this operation"
            error.args = (error.message,)
            raise error
        kind, parser = entry
        body = self._body(answer, kind, parser)
        return result(answer.status, body, request_id(answer.headers), answer.headers)

    def _decoded(self, answer: Answer, kind: str) -> Any:
        problem: BodyProblem | None = None
        try:
            if kind == "json":
                return decode_json(answer.content)
            if kind == "text":
                return decode_text(answer.content)
        except BodyProblem as caught:
            problem = caught
        if problem is not None:
            raise ApiDecodeError(problem.message, **answer.facts())
        return None if kind == "none" else answer.content

    def _body(self, answer: Answer, kind: str, parser: Parser | None) -> Any:
        """The parsed body: validated; kept as it came (lenient) unless `validate_responses`."""
        data = self._decoded(answer, kind)
        if parser is None:
            return data
        failed: tuple[ValidationError, ...] = ()
        try:
            return parser(data, validate=True)
        except ValidationError as error:
            failed = (error,)
        if not self.validate_responses:
            try:
                return parser(data, validate=False)
            except _SHAPE_ERRORS:
                pass  # not even the model's shape: reported below with the validation error
        raise ApiResponseValidationError(
            f"the HTTP {answer.status} answer does not fit the spec: {failed[0]}",
            errors=failed,
            **answer.facts(),
        )

    def _error_model(self, answer: Answer, entry: tuple[str, Parser | None] | None) -> Any:
        if entry is None or entry[1] is None or entry[0] != "json":
            return None
        try:
            return entry[1](decode_json(answer.content), validate=True)
        except (ValueError, BodyProblem):  # not JSON, or not this model
            return None


class _Call:
    """One call's state across attempts: deadline, request id, token, counters (sync and async)."""

    def __init__(
        self, settings: Settings, request: RequestInfo, options: CallOptions | None
    ) -> None:
        self.settings = settings
        self.options = options or CallOptions()
        self.url = settings.url(request, self.options)  # a version error is raised before sending
        self.deadline = settings.deadline_for(self.options)
        self.client_request_id = self._request_id(settings.rules, self.options)
        self.auth: tuple[Applied, ...] = settings.credentials.choose(
            request.operation_id, request.security
        )
        self.token = settings.credentials.token() if uses_token(self.auth) else ""
        self.attempt = 0
        self.sent = 0
        self.refreshed = False

    @staticmethod
    def _request_id(rules: ServiceRules, options: CallOptions) -> str:
        """The call's id for the service's request id header: the caller's, else a new UUID."""
        if not rules.request_id_header:
            if options.client_request_id is not None:
                raise ValueError("this API has no request id header: client_request_id is unused")
            return ""
        import uuid

        return options.client_request_id or str(uuid.uuid4())

    def start_attempt(self) -> None:
        """Count an attempt; an `ApiTimeoutError` once the deadline has passed."""
        if self.deadline.expired():
            raise ApiTimeoutError(
                "the call's deadline passed before the next attempt",
                status_code=None,
                client_request_id=self.client_request_id,
                attempts=self.sent,
            )
        self.sent += 1

    def decide(self, status: int, headers: Mapping[str, str]) -> Wait | Refresh | Finish:
        """What to do after an answer's status and headers."""
        settings = self.settings
        decision = after_answer(
            settings.retry,
            self.attempt,
            status,
            headers,
            now=settings.clock.time(),
            deadline=self.deadline,
            refresh_allowed=(
                uses_token(self.auth) and settings.credentials.refreshable and not self.refreshed
            ),
            read_challenge=settings.rules.read_challenge,
        )
        if isinstance(decision, Refresh):
            self.refreshed = True
            self.token = settings.credentials.token(decision.claims)
        elif isinstance(decision, Wait):
            self.attempt += 1
        return decision

    def after_failure(self, name: str, not_sent: bool) -> float:
        """The wait before resending after a transport failure; raises when there is none."""
        wait = after_failure(self.settings.retry, self.attempt, not_sent, self.deadline)
        if wait is None:
            raise _transport_failure(name, self.sent, self.client_request_id)
        self.attempt += 1
        return wait.seconds

    def too_large(self, status: int, headers: Headers) -> bool:
        """True when the answer announces more bytes than the cap (nothing is read then)."""
        return declared_too_large(headers, self.settings.max_response_bytes)

    def answer(self, status: int, headers: Headers, content: bytes, decision: Finish) -> Answer:
        """The final answer of the call."""
        return Answer(
            status, headers, content, self.sent, self.client_request_id, decision.retry_after
        )

    def body_error(self, problem: BodyProblem, status: int, headers: Headers) -> ApiError:
        """The `ApiError` for a body that could not be read."""
        return _problem_error(problem, status, headers, self.client_request_id, self.sent)


class BaseClient:
    """Synchronous client base: `send` with retries; generated subclasses add one method per operation.

    `token` is a bearer token or a callable returning one (asked again once after a 401, with
    `claims=` when it takes them and the 401 is a CAE challenge). `base_url` is the service root
    (left out: the spec's first server); each operation adds the path its server gives, or the
    one `api_version` names. `sleep` and `clock` replace `time.sleep` and the system clocks.
    """

    DEFAULT_BASE_URL: ClassVar[str] = ""
    USER_AGENT: ClassVar[str] = ""
    # The API version (a server's path, `v1.0`) operations use unless told otherwise.
    DEFAULT_API_VERSION: ClassVar[str | None] = None
    # The API's security schemes, every server URL template with its variables, and the
    # document's top-level server URLs (what `server=<index>` picks from).
    SECURITY_SCHEMES: ClassVar[SchemeTable] = {}
    SERVERS: ClassVar[ServerTable] = {}
    TOP_LEVEL_SERVERS: ClassVar[tuple[str, ...]] = ()
    # What this service does its own way: request id header, error shape, auth challenges.
    SERVICE: ClassVar[ServiceRules] = DEFAULT_RULES

    def __init__(
        self,
        token: TokenSource | None = None,
        base_url: str | None = None,
        *,
        api_key: str | Mapping[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
        server: int | str | None = None,
        server_variables: Mapping[str, str] | None = None,
        api_version: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | Unset = UNSET,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        validate_responses: bool = False,
        qualified_action_names: bool = False,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`timeout` is seconds or an `httpx.Timeout` per attempt; left out, `DEFAULT_TIMEOUT`."""
        import httpx

        self._settings = Settings(
            Credentials(self.SECURITY_SCHEMES, token, api_key, basic_auth),
            base_url,
            retry or RetryPolicy(),
            validate_requests,
            validate_responses,
            api_version=self.DEFAULT_API_VERSION if api_version is None else api_version,
            servers=self.SERVERS,
            server=pick_server(self.SERVERS, self.TOP_LEVEL_SERVERS, server),
            server_variables=check_variables(self.SERVERS, server_variables or {}),
            headers=headers,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            user_agent=self.USER_AGENT,
            qualified_action_names=qualified_action_names,
            clock=clock,
            rules=self.SERVICE,
        )
        self._timeout = _default_timeout() if timeout is UNSET else httpx.Timeout(timeout)
        self._http = httpx.Client(
            timeout=self._timeout, transport=transport, follow_redirects=False
        )
        self._sleep = sleep or time.sleep

    def __repr__(self) -> str:
        base_url = self._settings.base_url or self.DEFAULT_BASE_URL
        return f"{type(self).__name__}(base_url={base_url!r})"

    def close(self) -> None:
        """Close the underlying HTTP connections."""
        self._http.close()

    def __enter__(self) -> BaseClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, request: RequestInfo, options: CallOptions | None = None) -> Answer:
        """Send a built request with retries; a final 4xx/5xx raises `ApiError`."""
        answer = self._exchange(request, options)
        if answer.status >= 400:
            raise self._settings.failure(answer)
        return answer

    def _call(
        self,
        request: RequestInfo,
        table: ResponseTable,
        result: type[ResultT],
        options: CallOptions | None = None,
    ) -> ResultT:
        return self._settings.result(self._exchange(request, options), table, result)

    def _exchange(self, request: RequestInfo, options: CallOptions | None) -> Answer:
        """The final answer after retries and one token refresh."""
        import httpx

        call = _Call(self._settings, request, options)
        while True:
            call.start_attempt()
            url, headers, content = self._settings.prepare(request, call, call.options.headers)
            failure: tuple[str, bool] | None = None
            try:
                response = self._http.send(
                    self._http.build_request(
                        request.method,
                        url,
                        headers=headers,
                        content=content,
                        timeout=self._settings.timeout(self._timeout, call.deadline),
                    ),
                    stream=True,
                )
            except httpx.TransportError as error:
                failure = (type(error).__name__, _not_sent(error))
            if failure is not None:
                self._sleep(call.after_failure(*failure))
                continue
            decision = call.decide(response.status_code, response.headers)
            if not isinstance(decision, Finish):
                response.close()
                if isinstance(decision, Wait):
                    self._sleep(decision.seconds)
                continue
            content_read, failed = self._read(call, response)
            if failed:  # the answer broke off: resent only when duplicates are acceptable
                self._sleep(call.after_failure(failed, False))
                continue
            return call.answer(
                response.status_code, Headers(response.headers), content_read, decision
            )

    def _read(self, call: _Call, response: httpx.Response) -> tuple[bytes, str]:
        """The capped body and "", or b"" and the name of the transport error that cut it."""
        import httpx

        headers = Headers(response.headers)
        problem: BodyProblem | None = None
        failure = ""
        try:
            if call.too_large(response.status_code, headers):
                raise BodyProblem("too_large", "the answer announces more than max_response_bytes")
            return (
                read_chunks(response.iter_bytes(), call.settings.max_response_bytes, call.deadline),
                "",
            )
        except BodyProblem as caught:
            problem = caught
        except httpx.HTTPError as error:
            failure = type(error).__name__
        finally:
            response.close()
        if problem is not None:
            raise call.body_error(problem, response.status_code, headers)
        return b"", failure


class AsyncBaseClient:
    """Asynchronous client base: as `BaseClient`, with `await`."""

    DEFAULT_BASE_URL: ClassVar[str] = ""
    USER_AGENT: ClassVar[str] = ""
    # The API version (a server's path, `v1.0`) operations use unless told otherwise.
    DEFAULT_API_VERSION: ClassVar[str | None] = None
    # The API's security schemes, every server URL template with its variables, and the
    # document's top-level server URLs (what `server=<index>` picks from).
    SECURITY_SCHEMES: ClassVar[SchemeTable] = {}
    SERVERS: ClassVar[ServerTable] = {}
    TOP_LEVEL_SERVERS: ClassVar[tuple[str, ...]] = ()
    # What this service does its own way: request id header, error shape, auth challenges.
    SERVICE: ClassVar[ServiceRules] = DEFAULT_RULES

    def __init__(
        self,
        token: TokenSource | None = None,
        base_url: str | None = None,
        *,
        api_key: str | Mapping[str, str] | None = None,
        basic_auth: tuple[str, str] | None = None,
        server: int | str | None = None,
        server_variables: Mapping[str, str] | None = None,
        api_version: str | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | httpx.Timeout | Unset = UNSET,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        retry: RetryPolicy | None = None,
        validate_requests: bool = True,
        validate_responses: bool = False,
        qualified_action_names: bool = False,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        """`timeout` is seconds or an `httpx.Timeout` per attempt; left out, `DEFAULT_TIMEOUT`."""
        import asyncio

        import httpx

        self._settings = Settings(
            Credentials(self.SECURITY_SCHEMES, token, api_key, basic_auth),
            base_url,
            retry or RetryPolicy(),
            validate_requests,
            validate_responses,
            api_version=self.DEFAULT_API_VERSION if api_version is None else api_version,
            servers=self.SERVERS,
            server=pick_server(self.SERVERS, self.TOP_LEVEL_SERVERS, server),
            server_variables=check_variables(self.SERVERS, server_variables or {}),
            headers=headers,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
            user_agent=self.USER_AGENT,
            qualified_action_names=qualified_action_names,
            clock=clock,
            rules=self.SERVICE,
        )
        self._timeout = _default_timeout() if timeout is UNSET else httpx.Timeout(timeout)
        self._http = httpx.AsyncClient(
            timeout=self._timeout, transport=transport, follow_redirects=False
        )
        self._sleep = sleep or asyncio.sleep

    def __repr__(self) -> str:
        base_url = self._settings.base_url or self.DEFAULT_BASE_URL
        return f"{type(self).__name__}(base_url={base_url!r})"

    async def close(self) -> None:
        """Close the underlying HTTP connections."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncBaseClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def send(self, request: RequestInfo, options: CallOptions | None = None) -> Answer:
        """Send a built request with retries; a final 4xx/5xx raises `ApiError`."""
        answer = await self._exchange(request, options)
        if answer.status >= 400:
            raise self._settings.failure(answer)
        return answer

    async def _call(
        self,
        request: RequestInfo,
        table: ResponseTable,
        result: type[ResultT],
        options: CallOptions | None = None,
    ) -> ResultT:
        return self._settings.result(await self._exchange(request, options), table, result)

    async def _exchange(self, request: RequestInfo, options: CallOptions | None) -> Answer:
        """The final answer after retries and one token refresh."""
        import httpx

        call = _Call(self._settings, request, options)
        while True:
            call.start_attempt()
            url, headers, content = self._settings.prepare(request, call, call.options.headers)
            failure: tuple[str, bool] | None = None
            try:
                response = await self._http.send(
                    self._http.build_request(
                        request.method,
                        url,
                        headers=headers,
                        content=content,
                        timeout=self._settings.timeout(self._timeout, call.deadline),
                    ),
                    stream=True,
                )
            except httpx.TransportError as error:
                failure = (type(error).__name__, _not_sent(error))
            if failure is not None:
                await self._sleep(call.after_failure(*failure))
                continue
            decision = call.decide(response.status_code, response.headers)
            if not isinstance(decision, Finish):
                await response.aclose()
                if isinstance(decision, Wait):
                    await self._sleep(decision.seconds)
                continue
            content_read, failed = await self._read(call, response)
            if failed:  # the answer broke off: resent only when duplicates are acceptable
                await self._sleep(call.after_failure(failed, False))
                continue
            return call.answer(
                response.status_code, Headers(response.headers), content_read, decision
            )

    async def _read(self, call: _Call, response: httpx.Response) -> tuple[bytes, str]:
        """The capped body and "", or b"" and the name of the transport error that cut it."""
        import httpx

        headers = Headers(response.headers)
        problem: BodyProblem | None = None
        failure = ""
        try:
            if call.too_large(response.status_code, headers):
                raise BodyProblem("too_large", "the answer announces more than max_response_bytes")
            return (
                await aread_chunks(
                    response.aiter_bytes(), call.settings.max_response_bytes, call.deadline
                ),
                "",
            )
        except BodyProblem as caught:
            problem = caught
        except httpx.HTTPError as error:
            failure = type(error).__name__
        finally:
            await response.aclose()
        if problem is not None:
            raise call.body_error(problem, response.status_code, headers)
        return b"", failure


__all__ = [
    "DEFAULT_DEADLINE",
    "Answer",
    "ApiResult",
    "AsyncBaseClient",
    "BaseClient",
    "CallOptions",
    "Headers",
    "ResponseTable",
    "RetryPolicy",
    "TokenSource",
]
