"""The generated client against Graph's behaviours, over real HTTP (a scripted loopback server).

Time never comes from the wall clock: the client gets a `FakeClock` and a sleeper that advances
it, so waits are checked exactly and no test depends on how fast the machine is.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import traceback
from collections.abc import Iterator
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from graph_invite import (
    AsyncGraphClient,
    CallOptions,
    GraphClient,
    GraphDecodeError,
    GraphError,
    GraphResponseTooLargeError,
    GraphResponseValidationError,
    GraphThrottledError,
    GraphVersionError,
    RetryPolicy,
    encode_sharing_url,
    item_path,
)

from tests.scripted_http import Reply, ScriptedServer

TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJ0b3Atc2VjcmV0LXRva2VuIn0.c2lnbmF0dXJlLXNlY3JldA"
PASSWORD = "Pa55-w0rd-never-logged"
BODY = {"recipients": [{"email": "ryan@contoso.com"}], "roles": ["write"], "password": PASSWORD}
PERMISSION = {"id": "p1", "roles": ["write"], "grantedToV2": {"user": {"id": "u1"}}}
JSON = {"Content-Type": "application/json"}


class FakeClock:
    """Time that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def ok(body: Any = PERMISSION, status: int = 200, **headers: str) -> Reply:
    return Reply(status, {**JSON, **headers}, json.dumps(body).encode())


def throttled(retry_after: str | None, status: int = 429) -> Reply:
    headers = {**JSON, **({"Retry-After": retry_after} if retry_after is not None else {})}
    error = {
        "error": {
            "code": "activityLimitReached",
            "message": "Throttled.",
            "innerError": {
                "code": "throttledRequest",
                "request-id": "r-1",
                "innerError": {"code": "appThrottled"},
            },
        }
    }
    return Reply(status, headers, json.dumps(error).encode())


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    with ScriptedServer() as running:
        yield running


def client(server: ScriptedServer, clock: FakeClock, **kw: Any) -> GraphClient:
    return GraphClient(TOKEN, server.url, clock=clock, sleep=clock.sleep, **kw)


def invite(graph: GraphClient, **kw: Any) -> Any:
    return graph.drives_items_invite("d1", "i1", BODY, **kw)


# --------------------------------------------------------------------------------------------
# The sharing surface


def test_list_get_update_delete_permission_requests(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(ok({"value": [PERMISSION]}), ok(PERMISSION), ok(PERMISSION), Reply(204))
    with client(server, clock) as graph:
        listed = graph.drives_items_list_permissions("d1", "i1", select=["id", "roles"])
        assert [p.id_ for p in listed.body.value] == ["p1"]
        assert graph.drives_items_get_permission("d1", "i1", "p1").body.id_ == "p1"
        graph.drives_items_update_permission("d1", "i1", "p1", {"roles": ["read"]}, if_match="e1")
        deleted = graph.drives_items_delete_permission("d1", "i1", "p1", if_match="e2")
    assert deleted.status_code == 204 and deleted.body is None
    methods = [(r.method, r.path) for r in server.received]
    assert methods == [
        ("GET", "/v1.0/drives/d1/items/i1/permissions?%24select=id%2Croles"),
        ("GET", "/v1.0/drives/d1/items/i1/permissions/p1"),
        ("PATCH", "/v1.0/drives/d1/items/i1/permissions/p1"),
        ("DELETE", "/v1.0/drives/d1/items/i1/permissions/p1"),
    ]
    assert json.loads(server.received[2].body) == {"roles": ["read"]}
    assert server.received[2].headers["if-match"] == "e1"


def test_create_link_answers_200_existing_and_201_new(server: ScriptedServer) -> None:
    link = {"id": "l1", "roles": ["read"], "link": {"type": "view", "scope": "anonymous"}}
    server.reply(ok(link, 201), ok(link, 200))
    with client(server, FakeClock()) as graph:
        created = graph.me_drive_items_create_link("i1", {"type": "view", "scope": "anonymous"})
        existing = graph.me_drive_items_create_link("i1", {"type": "view", "scope": "anonymous"})
    assert (created.status_code, existing.status_code) == (201, 200)
    assert created.body.link and created.body.link.scope == "anonymous"


def test_grant_takes_the_encoded_sharing_url(server: ScriptedServer) -> None:
    url = "https://contoso.sharepoint.com/:w:/g/design/EZexPoDjW4dMtKFUfAl6BK4B?e=1"
    server.reply(ok({"value": [PERMISSION]}))
    with client(server, FakeClock()) as graph:
        graph.shares_permission_grant(encode_sharing_url(url), {"recipients": [{"email": "a@b.c"}]})
    encoded = base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
    assert server.received[0].path == f"/v1.0/shares/u!{encoded}/permission/grant"


def test_path_based_addressing_and_qualified_names(server: ScriptedServer) -> None:
    server.reply(ok({"value": []}), ok({"value": []}), ok({"value": []}))
    with client(server, FakeClock(), qualified_action_names=True) as graph:
        graph.me_drive_root_path_list_permissions("Shared Docs/Q1 #2.docx")
        graph.drives_items_invite("d1", item_path("Docs/a b.docx"), BODY)
        graph.shares_permission_grant("u!abc", {"recipients": [{"email": "a@b.c"}]})
    assert [r.path for r in server.received] == [
        "/v1.0/me/drive/root:/Shared%20Docs/Q1%20%232.docx:/permissions",
        "/v1.0/drives/d1/items/root:/Docs/a%20b.docx:/microsoft.graph.invite",
        "/v1.0/shares/u%21abc/permission/microsoft.graph.grant",
    ]


@pytest.mark.parametrize("path", ["../../admin", "a//b", "", "./x"])
def test_multi_segment_paths_refuse_dot_and_empty_segments(path: str) -> None:
    graph = GraphClient(TOKEN, "http://127.0.0.1:9")
    with pytest.raises(ValueError):
        graph.me_drive_root_path_list_permissions(path)


# --------------------------------------------------------------------------------------------
# API versions, headers, User-Agent


def test_api_version_per_client_and_per_call(server: ScriptedServer) -> None:
    server.reply(ok({"value": []}), ok({"value": []}))
    with client(server, FakeClock(), api_version="beta") as graph:
        invite(graph)
        invite(graph, options=CallOptions(api_version="v1.0"))
    assert [r.path for r in server.received] == [
        "/beta/drives/d1/items/i1/invite",
        "/v1.0/drives/d1/items/i1/invite",
    ]


def test_a_version_that_does_not_serve_the_operation_raises_before_sending(
    server: ScriptedServer,
) -> None:
    with client(server, FakeClock()) as graph:
        with pytest.raises(GraphVersionError) as caught:
            graph.me_drive_root_invite(BODY)  # beta only
        with pytest.raises(GraphVersionError):
            graph.drive_items_invite("i1", BODY, options=CallOptions(api_version="beta"))
    assert "served by: beta" in str(caught.value) and caught.value.status_code is None
    assert server.received == []


def test_user_agent_custom_headers_and_one_client_request_id(server: ScriptedServer) -> None:
    server.reply(throttled("1"), ok({"value": []}))
    with client(server, FakeClock(), headers={"X-Team": "sharing"}) as graph:
        invite(graph, options=CallOptions(headers={"X-Trace": "t-1"}, client_request_id="c-1"))
    first, second = (r.headers for r in server.received)
    assert first["user-agent"].startswith("graph-invite/1.2.0 invitegen/")
    assert first["x-team"] == "sharing" and first["x-trace"] == "t-1"
    assert first["client-request-id"] == second["client-request-id"] == "c-1"
    assert first["authorization"] == f"Bearer {TOKEN}"


@pytest.mark.parametrize("name", ["Authorization", "client-request-id", "Content-Type"])
def test_custom_headers_cannot_replace_the_clients_own(name: str) -> None:
    with pytest.raises(ValueError, match="itself"):
        GraphClient(TOKEN, "http://127.0.0.1:9", headers={name: "x"})


# --------------------------------------------------------------------------------------------
# Throttling


def test_retry_after_seconds_is_waited_exactly(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("7"), throttled("3", 503), ok({"value": []}))
    with client(server, clock) as graph:
        assert invite(graph).status_code == 200
    assert clock.sleeps == [7.0, 3.0]


def test_retry_after_http_date_is_read_on_the_injected_clock(server: ScriptedServer) -> None:
    clock = FakeClock()
    when = format_datetime(datetime.fromtimestamp(clock.now + 5, timezone.utc), usegmt=True)
    server.reply(throttled(when, 503), ok({"value": []}))
    with client(server, clock) as graph:
        invite(graph)
    assert clock.sleeps == [5.0]


def test_retry_after_above_the_maximum_raises_at_once(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("400"))
    with client(server, clock) as graph, pytest.raises(GraphThrottledError) as caught:
        invite(graph)
    error = caught.value
    assert clock.sleeps == [] and len(server.received) == 1
    assert error.retry_after == 400.0 and error.status_code == 429 and error.attempts == 1
    assert error.headers["retry-after"] == "400"
    assert error.inner_codes == ("throttledRequest", "appThrottled")
    assert error.client_request_id == server.received[0].headers["client-request-id"]


def test_the_maximum_is_configurable(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("400"), ok({"value": []}))
    policy = RetryPolicy(max_retry_after=600)
    with client(server, clock, retry=policy, deadline=None) as graph:
        invite(graph)
    assert clock.sleeps == [400.0]


def test_the_deadline_stops_waits_that_would_pass_it(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("50"), throttled("50"), throttled("50"))
    with client(server, clock, deadline=120) as graph, pytest.raises(GraphThrottledError) as caught:
        invite(graph)
    assert clock.sleeps == [50.0, 50.0] and caught.value.attempts == 3
    assert caught.value.retry_after == 50.0


def test_per_call_deadline(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("50"))
    with client(server, clock) as graph, pytest.raises(GraphThrottledError):
        invite(graph, options=CallOptions(deadline=40))
    assert clock.sleeps == []


@pytest.mark.parametrize("value", ["²", "9" * 50, "soon", "-3"])
def test_hostile_retry_after_is_backoff_not_a_crash(server: ScriptedServer, value: str) -> None:
    clock = FakeClock()
    server.reply(throttled(value), ok({"value": []}))
    with client(server, clock) as graph:
        assert invite(graph).status_code == 200
    assert len(clock.sleeps) == 1 and 0 <= clock.sleeps[0] <= 0.5


def test_processed_posts_are_not_retried(server: ScriptedServer) -> None:
    server.reply(Reply(500, JSON, b'{"error": {"code": "generalException", "message": "x"}}'))
    with client(server, FakeClock()) as graph, pytest.raises(GraphError) as caught:
        invite(graph)
    assert caught.value.status_code == 500 and len(server.received) == 1


# --------------------------------------------------------------------------------------------
# Never lose a processed answer


def test_an_off_schema_success_is_kept_by_default(server: ScriptedServer) -> None:
    permission = {
        "id": "p",
        "roles": ["write"],
        "link": {"webUrl": "https://例え.jp/ファイル"},
        "error": {"code": "notAllowed", "message": "m", "fixItUrl": "/fix"},
    }
    server.reply(ok({"value": [permission]}, 207))
    with client(server, FakeClock()) as graph:
        result = invite(graph)
    assert result.status_code == 207
    assert result.body.value[0].link.web_url == "https://例え.jp/ファイル"  # type: ignore[union-attr]
    assert result.body.value[0].error.fix_it_url == "/fix"  # type: ignore[union-attr]


def test_strict_validation_raises_a_graph_error_with_everything(server: ScriptedServer) -> None:
    raw = json.dumps({"value": [{"id": "p", "link": {"webUrl": "not a uri"}}]}).encode()
    server.reply(Reply(200, {**JSON, "request-id": "r-9"}, raw))
    with client(server, FakeClock(), validate_responses=True) as graph:
        with pytest.raises(GraphResponseValidationError) as caught:
            invite(graph)
    error = caught.value
    assert error.status_code == 200 and error.request_id == "r-9" and error.raw == raw
    assert error.headers["request-id"] == "r-9" and error.errors
    assert error.client_request_id == server.received[0].headers["client-request-id"]


def test_a_body_without_the_models_shape_raises_even_when_lenient(server: ScriptedServer) -> None:
    server.reply(ok({"value": [{"id": "p", "grantedTo": [1, 2]}]}))
    with client(server, FakeClock()) as graph, pytest.raises(GraphResponseValidationError):
        invite(graph)


@pytest.mark.parametrize(
    "body",
    [b"<html>502 Bad Gateway</html>", b"\xff\xfe\x00{", b"[" * 5000 + b"]" * 5000, b""],
    ids=["html", "utf-8", "deep", "empty"],
)
def test_unreadable_success_bodies_are_decode_errors(server: ScriptedServer, body: bytes) -> None:
    server.reply(Reply(200, JSON, body))
    with client(server, FakeClock()) as graph, pytest.raises(GraphDecodeError) as caught:
        invite(graph)
    assert caught.value.status_code == 200 and caught.value.__context__ is None


def test_html_error_keeps_the_sent_client_request_id(server: ScriptedServer) -> None:
    server.reply(Reply(504, {"Content-Type": "text/html"}, b"<html>Gateway Time-out</html>"))
    with client(server, FakeClock()) as graph, pytest.raises(GraphError) as caught:
        invite(graph)
    assert caught.value.status_code == 504
    assert caught.value.client_request_id == server.received[0].headers["client-request-id"]


# --------------------------------------------------------------------------------------------
# Response size cap


def test_a_declared_oversized_body_is_refused_unread(server: ScriptedServer) -> None:
    server.reply(Reply(200, {**JSON, "Content-Length": str(10**9)}, b"{}"))
    with client(server, FakeClock(), max_response_bytes=1024) as graph:
        with pytest.raises(GraphResponseTooLargeError):
            invite(graph)


def test_an_endless_stream_stops_at_the_cap(server: ScriptedServer) -> None:
    def endless() -> Iterator[bytes]:
        while True:
            yield b"[" + b"0," * 4096

    server.reply(Reply(200, JSON, endless()))
    with client(server, FakeClock(), max_response_bytes=256 * 1024) as graph:
        with pytest.raises(GraphResponseTooLargeError) as caught:
            invite(graph)
    assert caught.value.status_code == 200


# --------------------------------------------------------------------------------------------
# Tokens and CAE


def test_cae_claims_reach_the_token_source_and_the_call_is_retried_once(
    server: ScriptedServer,
) -> None:
    claims = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}'
    challenge = (
        'Bearer realm="", error="insufficient_claims", '
        f'claims="{base64.b64encode(claims.encode()).decode()}"'
    )
    asked: list[str | None] = []

    def token(claims: str | None = None) -> str:
        asked.append(claims)
        return TOKEN if claims is None else TOKEN + "fresh"

    server.reply(Reply(401, {"WWW-Authenticate": challenge}), Reply(401), ok({"value": []}))
    with (
        GraphClient(token, server.url, clock=FakeClock()) as graph,
        pytest.raises(GraphError) as caught,
    ):
        invite(graph)
    assert asked == [None, claims] and caught.value.status_code == 401
    assert server.received[1].headers["authorization"] == f"Bearer {TOKEN}fresh"
    assert len(server.received) == 2


# --------------------------------------------------------------------------------------------
# Secrets never leak


def _chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    node: BaseException | None = error
    while node is not None and node not in seen:
        seen.append(node)
        node = node.__cause__ or node.__context__
    return seen


def audit(error: BaseException, caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """No traceback, exception attribute or log line holds a secret."""
    texts = ["".join(traceback.format_exception(error)), *(r.getMessage() for r in caplog.records)]
    for link in _chain(error):
        texts.append(repr(link))
        texts.extend(repr(value) for value in vars(link).values())
    for secret in secrets:
        assert not any(secret in text for text in texts), secret
    assert error.__cause__ is None and error.__context__ is None


@pytest.mark.parametrize(
    "bad_token", [TOKEN + "\n", TOKEN + "\r\nX-Injected: 1", "é" + TOKEN, TOKEN + " x"]
)
def test_a_bad_token_never_reaches_a_traceback_or_log(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture, bad_token: str
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises((ValueError, GraphError)) as caught:
        with GraphClient(lambda: bad_token, server.url) as graph:
            invite(graph)
    audit(caught.value, caplog, TOKEN, PASSWORD)
    assert server.received == []


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply(500, JSON, b"{}"), GraphError),
        (Reply(200, JSON, b"<not json>"), GraphDecodeError),
        (Reply(200, {**JSON, "Content-Length": "999999999"}, b"{}"), GraphResponseTooLargeError),
    ],
)
def test_failures_after_sending_hold_no_secret(
    server: ScriptedServer, caplog: pytest.LogCaptureFixture, reply: Reply, kind: type
) -> None:
    caplog.set_level(logging.DEBUG)
    server.reply(reply)
    with (
        client(server, FakeClock(), max_response_bytes=10**6) as graph,
        pytest.raises(kind) as caught,
    ):
        invite(graph)
    audit(caught.value, caplog, TOKEN, PASSWORD)


def test_transport_failures_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    clock = FakeClock()
    with GraphClient(TOKEN, "http://127.0.0.1:9", clock=clock, sleep=clock.sleep) as graph:
        with pytest.raises(GraphError) as caught:
            invite(graph)
    assert caught.value.status_code is None and "ConnectError" in str(caught.value)
    audit(caught.value, caplog, TOKEN, PASSWORD)


API_KEY = "sk-live-" + "SECRET"


def test_a_bad_header_value_names_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ValueError) as caught:
        CallOptions(headers={"X-Api-Key": API_KEY + "\r\n"})
    audit(caught.value, caplog, API_KEY)


def test_url_credentials_are_refused_without_echo() -> None:
    password = "hunter" + "2"
    with pytest.raises(ValueError) as caught:
        GraphClient(TOKEN, f"https://admin:{password}@graph.microsoft.com")
    assert password not in "".join(traceback.format_exception(caught.value))


def test_a_lone_surrogate_in_the_body_names_no_password() -> None:
    graph = GraphClient(TOKEN, "http://127.0.0.1:9")
    body = {**BODY, "message": "hi \ud800"}
    with pytest.raises(ValueError) as caught:
        graph.drives_items_invite("d", "i", body)
    text = "".join(traceback.format_exception(caught.value))
    assert PASSWORD not in text and caught.value.__context__ is None


# --------------------------------------------------------------------------------------------
# The async client behaves the same


def test_async_client_throttling_versions_and_caps(server: ScriptedServer) -> None:
    clock = FakeClock()
    server.reply(throttled("4"), ok({"value": []}), throttled("999"))

    async def scenario() -> tuple[int, GraphError]:
        async with AsyncGraphClient(
            TOKEN, server.url, clock=clock, sleep=clock.asleep, api_version="beta"
        ) as graph:
            result = await graph.drives_items_invite("d", "i", BODY)
            try:
                await graph.drives_items_invite("d", "i", BODY)
            except GraphError as error:
                return result.status_code, error
        raise AssertionError("no error")

    status, error = asyncio.run(scenario())
    assert status == 200 and clock.sleeps == [4.0]
    assert isinstance(error, GraphThrottledError) and error.retry_after == 999.0
    assert server.received[0].path.startswith("/beta/")
