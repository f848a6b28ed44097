"""The generated client against the mock service over real loopback HTTP, sync and async.

Every behaviour is proven by what the server received (its journal), not by what the client says.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from graph_invite import (
    AsyncGraphClient,
    GraphClient,
    GraphError,
    InviteRequest,
    InviteResult,
    RetryPolicy,
)
from graph_invite.transport import DEFAULT_TIMEOUT, TokenSource
from graph_invite.validators import validate_odata_error

from generator.mock.server import MockServer, MockService

TOKEN = "contract-token-51d2"
PASSWORD = "contract-password-8e4b"
BODY: dict[str, Any] = {
    "recipients": [{"email": "ryan@contoso.com"}],
    "roles": ["write"],
    "sendInvitation": True,
}
MODES = ["sync", "async"]


@dataclass
class Options:
    """How to build the client for one call; sleeps are recorded, never slept."""

    token: TokenSource = TOKEN
    retry: RetryPolicy | None = None
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    validate_requests: bool = True
    # Beta-only operations need `api_version="beta"`: the client defaults to v1.0.
    api_version: str | None = None
    clock: Any = None
    on_sleep: Callable[[float], None] = lambda seconds: None
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.on_sleep(seconds)

    def client_arguments(self, base_url: str) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "token": self.token,
            "base_url": base_url,
            "retry": self.retry,
            "validate_requests": self.validate_requests,
            "api_version": self.api_version,
        }
        if self.clock is not None:
            arguments["clock"] = self.clock
        if self.timeout is not None:
            arguments["timeout"] = self.timeout
        return arguments


class FixedClock:
    """A clock that stands still: the client reads HTTP-dates against it."""

    def __init__(self, now: float) -> None:
        self.now = now

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now


class HeaderTransport(httpx.HTTPTransport):
    """Real HTTP, plus test headers (`X-Mock-Fail`) the client itself has no reason to send."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__()
        self.extra = headers

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.headers.update(self.extra)
        return super().handle_request(request)


class AsyncHeaderTransport(httpx.AsyncHTTPTransport):
    """The async twin of `HeaderTransport`."""

    def __init__(self, headers: dict[str, str]) -> None:
        super().__init__()
        self.extra = headers

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        request.headers.update(self.extra)
        return await super().handle_async_request(request)


def call(mode: str, base_url: str, operation: str, *arguments: Any, options: Options) -> Any:
    """Run one operation with a fresh sync or async client and close it."""
    client_arguments = options.client_arguments(base_url)
    if mode == "sync":
        transport = HeaderTransport(options.headers)
        with GraphClient(**client_arguments, transport=transport, sleep=options.sleep) as graph:
            return getattr(graph, operation)(*arguments)

    async def record_sleep(seconds: float) -> None:
        options.sleep(seconds)

    async def run() -> Any:
        transport = AsyncHeaderTransport(options.headers)
        async with AsyncGraphClient(
            **client_arguments, transport=transport, sleep=record_sleep
        ) as graph:
            return await getattr(graph, operation)(*arguments)

    return asyncio.run(run())


def invite(mode: str, server: MockServer, body: Any = None, **options: Any) -> Any:
    """POST /v1.0/drives/{drive-id}/items/{item-id}/invite through the generated client."""
    chosen = Options(**options)
    return call(
        mode, server.url, "drives_items_invite", "drive-1", "item-1", body or BODY, options=chosen
    )


def graph_error(mode: str, server: MockServer, body: Any = None, **options: Any) -> GraphError:
    with pytest.raises(GraphError) as caught:
        invite(mode, server, body, **options)
    if caught.value.body is not None:
        validate_odata_error(caught.value.body)
    return caught.value


def statuses(server: MockServer) -> list[int]:
    return [entry.status for entry in server.requests]


@pytest.mark.parametrize("mode", MODES)
def test_200_returns_an_invite_result(mode: str, server: MockServer) -> None:
    body = InviteRequest.from_dict({**BODY, "password": PASSWORD, "requireSignIn": True})
    result = invite(mode, server, body)
    assert isinstance(result, InviteResult)
    assert result.status_code == 200 and not result.partial and result.request_id
    (permission,) = result.permissions
    assert permission.roles == ["write"] and permission.has_password is True
    assert permission.invitation and permission.invitation.email == "ryan@contoso.com"
    assert permission.invitation.sign_in_required is True
    assert result.succeeded == result.permissions and result.failed == []
    assert statuses(server) == [200]


@pytest.mark.parametrize("mode", MODES)
def test_207_returns_a_result_whose_failed_recipients_are_reachable(
    mode: str, server: MockServer
) -> None:
    recipients = [
        {"email": "ryan@contoso.com"},
        {"email": "hipCheckRequired@fail.example"},
        {"email": "helga@contoso.com"},
    ]
    result = invite(mode, server, {**BODY, "recipients": recipients})
    assert isinstance(result, InviteResult)
    assert result.status_code == 207 and result.partial
    assert [p.invitation.email for p in result.succeeded] == [
        "ryan@contoso.com",
        "helga@contoso.com",
    ]
    (failed,) = result.failed
    assert failed.invitation.email == "hipCheckRequired@fail.example"
    assert failed.error.code == "notAllowed" and failed.error.innererror.code == "hipCheckRequired"
    assert statuses(server) == [207]


@pytest.mark.parametrize("mode", MODES)
def test_throttling_is_retried_after_retry_after_seconds(mode: str, server: MockServer) -> None:
    options = Options(headers={"X-Mock-Fail": "429;retry-after=1;times=2"})
    result = call(mode, server.url, "me_drive_items_invite", "item", BODY, options=options)
    assert result.status_code == 200
    assert statuses(server) == [429, 429, 200]
    assert options.sleeps == [1.0, 1.0]
    # One client-request-id for the whole call: that is how the mock (and Graph) relate retries.
    assert len({entry.client_request_id for entry in server.requests}) == 1


@pytest.mark.parametrize("mode", MODES)
def test_retry_after_as_an_http_date(mode: str, server: MockServer) -> None:
    clock = FixedClock(1_700_000_000.0)
    when = email.utils.formatdate(clock.time() + 5, usegmt=True)
    options = Options(headers={"X-Mock-Fail": f"503;retry-after={when}"}, clock=clock)
    result = call(mode, server.url, "drives_items_invite", "d", "i", BODY, options=options)
    assert result.status_code == 200 and statuses(server) == [503, 200]
    # The client reads the HTTP-date on its injected clock: exactly 5 s, no wall-clock window.
    assert options.sleeps == [5.0]


@pytest.mark.parametrize("mode", MODES)
def test_without_retry_after_backoff_is_exponential_with_jitter(
    mode: str, server: MockServer
) -> None:
    policy = RetryPolicy(max_retries=3, backoff_base=0.5)
    options = Options(retry=policy, headers={"X-Mock-Fail": "503;retry-after=none;times=3"})
    result = call(mode, server.url, "drives_items_invite", "d", "i", BODY, options=options)
    assert result.status_code == 200
    assert statuses(server) == [503, 503, 503, 200]
    assert len(options.sleeps) == 3
    for attempt, delay in enumerate(options.sleeps):
        assert 0 <= delay <= 0.5 * 2**attempt


@pytest.mark.parametrize("mode", MODES)
def test_throttling_gives_up_with_attempts_matching_the_requests_sent(
    mode: str, server: MockServer
) -> None:
    headers = {"X-Mock-Fail": "429;retry-after=0;times=10"}
    error = graph_error(mode, server, retry=RetryPolicy(max_retries=2), headers=headers)
    assert error.status_code == 429 and error.code == "activityLimitReached"
    assert error.attempts == 3 == len(server.requests)
    assert error.client_request_id == server.requests[0].client_request_id


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [500, 502, 504])
def test_processed_failures_are_not_retried_unless_opted_in(
    mode: str, status: int, server: MockServer
) -> None:
    headers = {"X-Mock-Fail": str(status)}
    error = graph_error(mode, server, headers=headers)
    assert (error.status_code, error.attempts, statuses(server)) == (status, 1, [status])
    server.state.reset()
    result = invite(mode, server, retry=RetryPolicy(retry_processed=True), headers=headers)
    assert result.status_code == 200 and statuses(server) == [status, 200]


@pytest.mark.parametrize("mode", MODES)
def test_a_connection_dropped_after_the_body_was_sent_is_not_retried(
    mode: str, server: MockServer
) -> None:
    headers = {"X-Mock-Fail": "drop"}
    error = graph_error(mode, server, headers=headers)
    assert error.status_code is None and error.attempts == 1
    assert statuses(server) == [0]  # the server did read the whole request
    server.state.reset()
    result = invite(mode, server, retry=RetryPolicy(retry_processed=True), headers=headers)
    assert result.status_code == 200 and statuses(server) == [0, 200]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("mode", MODES)
def test_refused_connections_are_retried_until_the_service_is_up(
    mode: str, service: MockService
) -> None:
    port = free_port()
    started: list[MockServer] = []

    def start_service(seconds: float) -> None:
        # The client sleeps before its retry: that is when the service comes up.
        if not started:
            started.append(MockServer(service, port=port).start())

    options = Options(on_sleep=start_service, api_version="beta")
    try:
        result = call(
            mode, f"http://127.0.0.1:{port}", "me_drive_root_invite", BODY, options=options
        )
    finally:
        for server in started:
            server.stop()
    assert result.status_code == 200 and len(options.sleeps) == 1
    assert statuses(started[0]) == [200]


@pytest.mark.parametrize("mode", MODES)
def test_a_service_that_never_answers_the_connection_fails_with_attempts(mode: str) -> None:
    options = Options(retry=RetryPolicy(max_retries=2), api_version="beta")
    with pytest.raises(GraphError) as caught:
        call(mode, f"http://127.0.0.1:{free_port()}", "me_drive_root_invite", BODY, options=options)
    assert caught.value.status_code is None and caught.value.attempts == 3
    assert "ConnectError" in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
def test_a_hung_server_causes_a_bounded_timeout(mode: str, server: MockServer) -> None:
    # Bounded by the 0.5 s read timeout (the hang lasts 20 s); no wall-clock assertion needed.
    error = graph_error(mode, server, timeout=0.5, headers={"X-Mock-Fail": "hang;seconds=20"})
    assert error.status_code is None and "ReadTimeout" in str(error)
    # Journalled once when the answer was decided (it is still being held back): never retried.
    assert len(server.requests) == 1


def test_clients_have_a_timeout_by_default() -> None:
    assert DEFAULT_TIMEOUT.read is not None and DEFAULT_TIMEOUT.connect is not None
    with GraphClient(token="t") as graph:
        assert graph._http.timeout == DEFAULT_TIMEOUT


@pytest.mark.parametrize("mode", MODES)
def test_the_token_callable_is_asked_again_once_after_401(mode: str, server: MockServer) -> None:
    tokens = iter(["expired-1", "fresh-2", "unused-3"])
    asked: list[str] = []

    def token() -> str:
        asked.append(next(tokens))
        return asked[-1]

    assert invite(mode, server, token=token).status_code == 200
    assert asked == ["expired-1", "fresh-2"] and statuses(server) == [401, 200]
    server.state.reset()
    error = graph_error(mode, server, token=lambda: "expired-always")
    assert error.status_code == 401 and error.code == "InvalidAuthenticationToken"
    assert error.attempts == 2 and statuses(server) == [401, 401]


@pytest.mark.parametrize("mode", MODES)
def test_a_fixed_token_is_not_retried_after_401(mode: str, server: MockServer) -> None:
    error = graph_error(mode, server, token="expired-fixed")
    assert error.status_code == 401 and statuses(server) == [401]


HOSTILE = ["a/b", "..", ".", "a?b=c", "x#frag", "two words", "%2F", "../../me/drive/root", "café"]


@pytest.mark.parametrize("mode", MODES)
def test_hostile_path_parameters_reach_the_server_as_one_segment(
    mode: str, server: MockServer
) -> None:
    for value in HOSTILE:
        options = Options()
        call(mode, server.url, "drives_items_invite", value, value, BODY, options=options)
        call(
            mode,
            server.url,
            "me_drive_following_children_invite",
            value,
            "x",
            BODY,
            options=Options(api_version="beta"),
        )
    entries = server.requests
    assert [entry.status for entry in entries] == [200] * 2 * len(HOSTILE)
    for value, (items, children) in zip(
        HOSTILE, zip(entries[::2], entries[1::2], strict=True), strict=True
    ):
        assert items.operation_id == "drives_items_invite"
        assert items.parameters == {"drive-id": value, "item-id": value}
        assert children.operation_id == "me_drive_following_children_invite"
        assert children.parameters == {"item-id": value, "item-id1": "x"}


@pytest.mark.parametrize("mode", MODES)
def test_token_and_password_never_appear_in_logs_errors_or_reprs(
    mode: str, server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = {**BODY, "password": PASSWORD}
    result = invite(mode, server, body)
    bad_body = {**body, "recipients": [{"email": "not an address"}], "password": [PASSWORD]}
    rejected = graph_error(mode, server, bad_body, validate_requests=False)
    throttled = graph_error(
        mode, server, body, retry=RetryPolicy(max_retries=0), headers={"X-Mock-Fail": "503"}
    )
    client = GraphClient(token=TOKEN, base_url=server.url)
    client.close()
    assert rejected.status_code == 400 and rejected.target == "recipients[0].email"
    seen = [caplog.text, repr(result), repr(client), repr(InviteRequest.from_dict(body))]
    for error in (rejected, throttled):
        seen += [str(error), repr(error), repr(error.body), repr(error.args)]
    for text in seen:
        assert TOKEN not in text and PASSWORD not in text
    assert "invitegen.mock" in caplog.text and "httpx" in caplog.text  # both sides were captured
