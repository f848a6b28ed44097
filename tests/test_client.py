"""The generated client against httpx mock transports: requests, results, errors, retries, safety."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from graph_invite import (
    AsyncGraphClient,
    GraphClient,
    GraphError,
    InviteRequest,
    RetryPolicy,
    ValidationError,
)
from graph_invite.requests import (
    build_drives_items_invite,
    build_me_drive_following_children_invite,
)

BODY = {"recipients": [{"email": "ryan@contoso.com"}], "roles": ["write"], "sendInvitation": True}
PERMISSION = {
    "id": "p1",
    "roles": ["write"],
    "invitation": {"email": "ryan@contoso.com", "signInRequired": True},
}
FAILED = {
    **PERMISSION,
    "id": "p2",
    "error": {"code": "notAllowed", "message": "no", "innererror": {"code": "hipCheckRequired"}},
}
GRAPH_ERROR = {
    "error": {
        "code": "invalidRequest",
        "message": "Bad recipients",
        "innerError": {
            "request-id": "rid-1",
            "client-request-id": "cid-1",
            "date": "2024-05-01T10:00:00",
        },
    }
}

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A mock transport handler answering from a script and recording every request."""

    def __init__(self, *responses: httpx.Response | Exception) -> None:
        self.script = list(responses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(handler: Handler, **options: Any) -> GraphClient:
    sleeps: list[float] = options.pop("sleeps", [])
    return GraphClient(
        token=options.pop("token", "secret-token"),
        transport=httpx.MockTransport(handler),
        sleep=sleeps.append,
        **options,
    )


def test_request_is_built_separately_and_encodes_segments() -> None:
    request = build_drives_items_invite("b!drive/../x", "..", BODY)
    assert request.method == "POST"
    # The operation's path; the server (and so `/v1.0`) is chosen when the request is sent.
    assert request.path == "/drives/b%21drive%2F..%2Fx/items/%2E%2E/invite"
    assert request.servers[0] == "https://graph.microsoft.com/v1.0"
    assert request.body == BODY
    hostile = build_me_drive_following_children_invite("a b?c#d", "%2F", BODY)
    assert hostile.path == "/me/drive/following/a%20b%3Fc%23d/children/%252F/invite"
    with pytest.raises(ValueError, match="non-empty"):
        build_drives_items_invite("", "item", BODY)


def test_invalid_body_is_refused_before_sending() -> None:
    recorder = Recorder()
    with pytest.raises(ValidationError) as caught:
        client(recorder).drives_items_invite(
            "d", "i", {"recipients": [{"email": "not an address"}]}
        )
    assert caught.value.path == ("recipients", 0, "email")
    assert recorder.requests == []


def test_200_returns_permissions_with_bearer_and_json() -> None:
    recorder = Recorder(
        httpx.Response(200, json={"value": [PERMISSION]}, headers={"request-id": "r-9"})
    )
    result = client(recorder).drives_items_invite("drive 1", "item", InviteRequest.from_dict(BODY))
    sent = recorder.requests[0]
    assert str(sent.url) == "https://graph.microsoft.com/v1.0/drives/drive%201/items/item/invite"
    assert sent.headers["Authorization"] == "Bearer secret-token"
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.content) == BODY
    assert result.status_code == 200 and not result.partial
    assert [p.id_ for p in result.permissions] == ["p1"]
    assert result.request_id == "r-9"


def test_207_exposes_failed_and_succeeded_recipients() -> None:
    recorder = Recorder(httpx.Response(207, json={"value": [PERMISSION, FAILED]}))
    result = client(recorder).me_drive_items_invite("item", BODY)
    assert result.partial
    assert [p.id_ for p in result.succeeded] == ["p1"]
    assert [p.id_ for p in result.failed] == ["p2"]
    error = result.failed[0].error
    assert (
        error
        and error.code == "notAllowed"
        and error.innererror
        and error.innererror.code == "hipCheckRequired"
    )


def test_graph_error_carries_code_message_and_request_id() -> None:
    recorder = Recorder(httpx.Response(400, json=GRAPH_ERROR))
    with pytest.raises(GraphError) as caught:
        client(recorder).drives_items_invite("d", "i", BODY)
    error = caught.value
    assert (error.status_code, error.code, error.request_id, error.attempts) == (
        400,
        "invalidRequest",
        "rid-1",
        1,
    )
    assert "Bad recipients" in str(error) and "secret-token" not in str(error)


def test_throttling_is_retried_after_retry_after() -> None:
    sleeps: list[float] = []
    recorder = Recorder(
        httpx.Response(429, json=GRAPH_ERROR, headers={"Retry-After": "2"}),
        httpx.Response(
            503, json=GRAPH_ERROR, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
        ),
        httpx.Response(200, json={"value": [PERMISSION]}),
    )
    result = client(recorder, sleeps=sleeps).drives_items_invite("d", "i", BODY)
    assert result.status_code == 200 and len(recorder.requests) == 3
    assert sleeps == [2.0, 0.0]  # an HTTP date in the past means "now"


def test_throttling_gives_up_after_the_limit_and_reports_attempts() -> None:
    recorder = Recorder(*[httpx.Response(429, json=GRAPH_ERROR) for _ in range(3)])
    with pytest.raises(GraphError) as caught:
        client(recorder, retry=RetryPolicy(max_retries=2)).drives_items_invite("d", "i", BODY)
    assert caught.value.attempts == 3 and caught.value.status_code == 429


def test_server_errors_after_sending_are_not_retried_unless_opted_in() -> None:
    recorder = Recorder(httpx.Response(500, json=GRAPH_ERROR))
    with pytest.raises(GraphError):
        client(recorder).drives_items_invite("d", "i", BODY)
    assert len(recorder.requests) == 1
    recorder = Recorder(
        httpx.Response(500, json=GRAPH_ERROR), httpx.Response(200, json={"value": [PERMISSION]})
    )
    client(recorder, retry=RetryPolicy(retry_processed=True)).drives_items_invite("d", "i", BODY)
    assert len(recorder.requests) == 2


def test_connection_failures_retry_but_read_timeouts_do_not() -> None:
    recorder = Recorder(
        httpx.ConnectError("refused"), httpx.Response(200, json={"value": [PERMISSION]})
    )
    assert client(recorder).drives_items_invite("d", "i", BODY).status_code == 200
    recorder = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(GraphError) as caught:
        client(recorder).drives_items_invite("d", "i", BODY)
    assert caught.value.status_code is None and len(recorder.requests) == 1


def test_token_callable_is_asked_again_once_after_401() -> None:
    tokens = iter(["old", "new", "newer"])
    recorder = Recorder(
        httpx.Response(401, json=GRAPH_ERROR), httpx.Response(200, json={"value": [PERMISSION]})
    )
    client(recorder, token=lambda: next(tokens)).drives_items_invite("d", "i", BODY)
    assert [r.headers["Authorization"] for r in recorder.requests] == ["Bearer old", "Bearer new"]
    recorder = Recorder(
        httpx.Response(401, json=GRAPH_ERROR), httpx.Response(401, json=GRAPH_ERROR)
    )
    with pytest.raises(GraphError) as caught:
        client(recorder, token=lambda: "t").drives_items_invite("d", "i", BODY)
    assert caught.value.status_code == 401 and len(recorder.requests) == 2


@pytest.mark.parametrize(
    ("base_url", "allowed"),
    [
        ("https://graph.microsoft.com", True),
        ("http://127.0.0.1:8080", True),
        ("http://localhost:1", True),
        ("http://[::1]:9", True),
        ("http://graph.microsoft.com", False),
        ("ftp://x", False),
    ],
)
def test_plain_http_only_for_loopback(base_url: str, allowed: bool) -> None:
    if allowed:
        GraphClient(token="t", base_url=base_url).close()
    else:
        with pytest.raises(ValueError, match="https"):
            GraphClient(token="t", base_url=base_url)


def test_secrets_stay_out_of_reprs() -> None:
    graph = GraphClient(token="secret-token")
    request = build_drives_items_invite("d", "i", {**BODY, "password": "pw-secret"})
    assert "secret-token" not in repr(graph)
    assert "pw-secret" not in repr(request)


def test_async_client_behaves_like_the_sync_one() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "1"}),
        httpx.Response(207, json={"value": [PERMISSION, FAILED]}),
    )
    sleeps: list[float] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def run() -> Any:
        async with AsyncGraphClient(
            token="t", transport=httpx.MockTransport(recorder), sleep=record_sleep
        ) as graph:
            return await graph.sites_drive_items_invite("site", "item", BODY)

    result = asyncio.run(run())
    assert result.partial and [p.id_ for p in result.failed] == ["p2"] and sleeps == [1.0]
    assert str(recorder.requests[-1].url).endswith("/v1.0/sites/site/drive/items/item/invite")
