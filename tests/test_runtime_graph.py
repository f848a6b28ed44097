"""The spec-independent pieces of the client runtime: retry timing, body reading, secrets, Graph helpers.

They are copied into the generated package (`graph_invite.throttle`, `.reading`, `.redaction`,
`.graph`) and tested there, without the network and without reading the real clock: time comes
from `FakeClock`.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import pytest
from graph_invite.decisions import Finish, Refresh, Wait, after_answer, after_failure
from graph_invite.graph import (
    claims_challenge,
    decode_sharing_url,
    encode_sharing_url,
    item_path,
    qualified,
)
from graph_invite.reading import (
    MAX_JSON_DEPTH,
    BodyProblem,
    aread_chunks,
    declared_too_large,
    decode_json,
    json_depth,
    read_chunks,
)
from graph_invite.redaction import check_header, check_no_credentials, check_token
from graph_invite.request_info import multi_segment
from graph_invite.throttle import Deadline, parse_retry_after
from hypothesis import given
from hypothesis import strategies as st

NOW = 1_700_000_000.0


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = NOW) -> None:
        self.now = start

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# --------------------------------------------------------------------------------------------
# Retry-After and deadlines


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", 120.0),
        (" 7 ", 7.0),
        ("0", 0.0),
        (format_datetime(datetime.fromtimestamp(NOW + 30, timezone.utc), usegmt=True), 30.0),
        (format_datetime(datetime.fromtimestamp(NOW - 30, timezone.utc), usegmt=True), 0.0),
    ],
)
def test_retry_after_seconds_and_http_dates(value: str, expected: float) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "²",
        "١٢",
        "-5",
        "1.5",
        "9" * 11,
        "9" * 5000,
        "soon",
        "Wed, 99 Foo 2015 07:28:00 GMT",
        "Wed, 21 Oct 99999 07:28:00 GMT",
        "x" * 100_000,
        "\x00",
    ],
)
def test_retry_after_that_is_not_a_delay_counts_as_absent(value: str | None) -> None:
    assert parse_retry_after(value, NOW) is None


@given(st.text())
def test_retry_after_never_raises(value: str) -> None:
    result = parse_retry_after(value, NOW)
    assert result is None or result >= 0.0


def test_deadline_counts_down_on_the_injected_clock() -> None:
    clock = FakeClock()
    deadline = Deadline(clock, 10.0)
    assert deadline.remaining() == 10.0 and deadline.allows(9.0) and not deadline.allows(10.0)
    clock.advance(4.0)
    assert deadline.remaining() == 6.0 and not deadline.expired()
    clock.advance(6.0)
    assert deadline.expired() and deadline.remaining() == 0.0
    unlimited = Deadline(clock, None)
    assert unlimited.remaining() is None and unlimited.allows(1e9) and not unlimited.expired()


@pytest.mark.parametrize("seconds", [0, -1.0, float("nan")])
def test_deadline_must_be_positive(seconds: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        Deadline(FakeClock(), seconds)


# --------------------------------------------------------------------------------------------
# Reading bodies


def chunks_of(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def endless(clock: FakeClock | None = None) -> Iterator[bytes]:
    while True:
        if clock is not None:
            clock.advance(1.0)
        yield b"x" * 1024


def test_body_under_the_cap_is_read_whole() -> None:
    data = b'{"value": []}' * 100
    assert read_chunks(chunks_of(data, 7), len(data), Deadline(FakeClock(), None)) == data


def test_body_over_the_cap_stops_reading() -> None:
    with pytest.raises(BodyProblem) as caught:
        read_chunks(endless(), 64 * 1024, Deadline(FakeClock(), None))
    assert caught.value.kind == "too_large"


def test_endless_trickle_stops_at_the_deadline() -> None:
    clock = FakeClock()
    with pytest.raises(BodyProblem) as caught:
        read_chunks(endless(clock), 10**12, Deadline(clock, 30.0))
    assert caught.value.kind == "deadline"


def test_async_reading_has_the_same_limits() -> None:
    async def stream(clock: FakeClock) -> AsyncIterator[bytes]:
        for chunk in endless(clock):
            yield chunk

    clock = FakeClock()
    with pytest.raises(BodyProblem) as caught:
        asyncio.run(aread_chunks(stream(clock), 10 * 1024, Deadline(clock, None)))
    assert caught.value.kind == "too_large"
    with pytest.raises(BodyProblem) as caught:
        asyncio.run(aread_chunks(stream(clock), 10**12, Deadline(clock, 5.0)))
    assert caught.value.kind == "deadline"


@pytest.mark.parametrize(
    ("length", "expected"), [("10", False), ("11", True), ("", False), ("²", False), ("-1", False)]
)
def test_declared_length_is_checked_before_reading(length: str, expected: bool) -> None:
    assert declared_too_large({"Content-Length": length}, 10) is expected


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\xff\xfe{}", "encoding"),
        (b'{"message": "caf\xe9"}', "encoding"),
        (b"<html>504 Gateway Time-out</html>", "json"),
        (b"", "json"),
        (b"[" * 100_000 + b"]" * 100_000, "json"),
        (b'{"a": NaN', "json"),
    ],
)
def test_bad_bodies_are_body_problems(data: bytes, kind: str) -> None:
    with pytest.raises(BodyProblem) as caught:
        decode_json(data)
    assert caught.value.kind == kind
    # Raised outside the handler: no UnicodeDecodeError (whose .object is the body) in the chain.
    assert caught.value.__context__ is None and caught.value.__cause__ is None


def test_depth_limit_is_exact() -> None:
    ok = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert decode_json(ok) is not None
    with pytest.raises(BodyProblem):
        decode_json(b"[" + ok + b"]")


def test_brackets_inside_strings_do_not_count() -> None:
    assert json_depth(json.dumps({"a": '[[[[{{{{\\"]]', "b": [1, [2]]})) == 3


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.text(), children, max_size=3),
    max_leaves=20,
)


def true_depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(true_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(true_depth, value.values()), default=0)
    return 0


@given(JSON)
def test_json_depth_matches_the_structure(value: Any) -> None:
    text = json.dumps(value)
    assert json_depth(text) == true_depth(value)
    assert decode_json(text.encode()) == value


@given(st.binary(max_size=200))
def test_any_bytes_decode_or_raise_a_body_problem(data: bytes) -> None:
    try:
        decode_json(data)
    except BodyProblem:
        pass


# --------------------------------------------------------------------------------------------
# Secrets


TOKEN = "eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiJzZWNyZXQtdG9rZW4ifQ.c2lnbmF0dXJl"


@pytest.mark.parametrize(
    ("token", "problem"),
    [
        (TOKEN + "\n", "LF"),
        (TOKEN + "\r\n", "CR"),
        ("Bearer " + TOKEN, "a space"),
        (TOKEN[:10] + "é" + TOKEN[10:], "a non-ASCII character"),
        (TOKEN + "\x00", "NUL"),
        (TOKEN + "\x7f", "a control character"),
    ],
)
def test_bad_token_is_refused_without_showing_it(token: str, problem: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_token(token)
    message = str(caught.value)
    assert problem in message and TOKEN[:12] not in message and TOKEN[-8:] not in message


@pytest.mark.parametrize("token", ["", None, 42])
def test_missing_token_is_a_type_error(token: object) -> None:
    with pytest.raises(TypeError):
        check_token(token)


def test_good_token_and_headers_pass_unchanged() -> None:
    assert check_token(TOKEN) == TOKEN
    assert check_header("X-Trace", "a b\tc") == ("X-Trace", "a b\tc")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Secret", "s3cr3t-value\r\nInjected: 1"),
        ("X-Secret", "s3cr3t-välue"),
        ("X-Secret", " s3cr3t-value"),
        ("Bad Name", "s3cr3t-value"),
        ("X\nY", "s3cr3t-value"),
    ],
)
def test_bad_header_is_refused_without_showing_its_value(name: str, value: str) -> None:
    with pytest.raises(ValueError) as caught:
        check_header(name, value)
    assert "s3cr3t" not in str(caught.value)


def test_url_credentials_are_refused() -> None:
    check_no_credentials("")
    with pytest.raises(ValueError) as caught:
        check_no_credentials("user:hunter2")
    assert "hunter2" not in str(caught.value)


# --------------------------------------------------------------------------------------------
# Graph helpers


def test_sharing_url_encoding_matches_graph_example() -> None:
    # The permission grant page's recipe, applied to its example URL.
    url = "https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1"
    expected = "u!" + base64.b64encode(url.encode()).decode().rstrip("=").replace("/", "_").replace(
        "+", "-"
    )
    assert encode_sharing_url(url) == expected
    assert "=" not in expected and decode_sharing_url(expected) == url


@given(st.text(min_size=1).filter(str.strip))
def test_sharing_url_round_trips(url: str) -> None:
    encoded = encode_sharing_url(url)
    assert encoded.startswith("u!") and set(encoded[2:]) <= set(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    )
    assert decode_sharing_url(encoded) == url


@pytest.mark.parametrize("token", ["s!abc", "u!***", "u!_-8"])
def test_bad_sharing_token_is_refused(token: str) -> None:
    with pytest.raises(ValueError):
        decode_sharing_url(token)


def test_item_path_keeps_slashes_and_encodes_each_segment() -> None:
    assert item_path("Documents/Q1 report#2.docx") == "root:/Documents/Q1%20report%232.docx:"
    assert item_path("/a/b/", parent="01ABC") == "01ABC:/a/b:"


@pytest.mark.parametrize("path", ["", "/", "a//b", "a/../b", "./a", "a/."])
def test_item_path_refuses_empty_and_dot_segments(path: str) -> None:
    with pytest.raises(ValueError):
        multi_segment("item-id", path)


def test_qualified_action_name_replaces_the_last_segment() -> None:
    assert (
        qualified("/v1.0/me/drive/items/{item-id}/invite", "microsoft.graph.invite")
        == "/v1.0/me/drive/items/{item-id}/microsoft.graph.invite"
    )


def claims_header(claims: str, error: str = "insufficient_claims") -> str:
    encoded = base64.b64encode(claims.encode()).decode()
    return (
        'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", '
        f'client_id="00000003-0000-0000-c000-000000000000", error="{error}", claims="{encoded}"'
    )


def test_cae_claims_are_decoded() -> None:
    claims = '{"access_token":{"nbf":{"essential":true,"value":"1604106651"}}}'
    assert claims_challenge(claims_header(claims)) == claims


@pytest.mark.parametrize(
    "header",
    [
        "",
        "Basic realm=x",
        'Bearer realm="x"',
        claims_header("{}", error="invalid_token"),
        'Bearer claims="***not base64***"',
        "Bearer " + "a=b, " * 10_000,
    ],
)
def test_other_challenges_have_no_claims(header: str) -> None:
    assert claims_challenge(header) is None


# --------------------------------------------------------------------------------------------
# Decisions after each attempt


class Policy:
    """RetryPolicy's fields, with the defaults the client uses."""

    def __init__(self, **changes: Any) -> None:
        self.max_retries = 3
        self.backoff_base = 0.5
        self.backoff_max = 30.0
        self.max_retry_after = 180.0
        self.retry_statuses = frozenset({429, 503})
        self.retry_processed = False
        vars(self).update(changes)


def top(low: float, high: float) -> float:
    """A jitter draw that always takes the ceiling (deterministic)."""
    return high


def decide(status: int, headers: dict[str, str] | None = None, attempt: int = 0, **kw: Any) -> Any:
    clock = kw.pop("clock", FakeClock())
    deadline = kw.pop("deadline", Deadline(clock, None))
    refresh = kw.pop("refresh_allowed", False)
    kw_challenge = kw.pop("read_challenge", claims_challenge)
    return after_answer(
        Policy(**kw),
        attempt,
        status,
        headers or {},
        now=clock.time(),
        deadline=deadline,
        refresh_allowed=refresh,
        draw=top,
        read_challenge=kw_challenge,
    )


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_waits_what_retry_after_says(status: int) -> None:
    decision = decide(status, {"Retry-After": "17"})
    assert isinstance(decision, Wait) and decision.seconds == 17.0


def test_http_date_retry_after_is_read_on_the_injected_clock() -> None:
    clock = FakeClock()
    when = format_datetime(datetime.fromtimestamp(clock.time() + 42, timezone.utc), usegmt=True)
    decision = decide(429, {"Retry-After": when}, clock=clock)
    assert isinstance(decision, Wait) and decision.seconds == 42.0


def test_retry_after_above_the_maximum_stops_at_once_with_the_delay() -> None:
    decision = decide(429, {"Retry-After": "400"})
    assert isinstance(decision, Finish) and decision.retry_after == 400.0
    assert "max_retry_after" in decision.reason
    assert isinstance(decide(429, {"Retry-After": "180"}), Wait)  # the maximum itself is waited


def test_without_retry_after_backoff_doubles_up_to_its_cap() -> None:
    waits = [decide(503, attempt=attempt, max_retries=10).seconds for attempt in range(8)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_retries_stop_after_max_retries_keeping_retry_after() -> None:
    decision = decide(429, {"Retry-After": "5"}, attempt=3)
    assert isinstance(decision, Finish) and decision.retry_after == 5.0


def test_a_wait_past_the_deadline_is_not_started() -> None:
    clock = FakeClock()
    deadline = Deadline(clock, 60.0)
    assert isinstance(decide(429, {"Retry-After": "59"}, clock=clock, deadline=deadline), Wait)
    clock.advance(30.0)
    decision = decide(429, {"Retry-After": "59"}, clock=clock, deadline=deadline)
    assert isinstance(decision, Finish) and "deadline" in decision.reason


@pytest.mark.parametrize("status", [500, 502, 504])
def test_server_errors_are_retried_only_when_duplicates_are_accepted(status: int) -> None:
    assert isinstance(decide(status), Finish)
    assert isinstance(decide(status, retry_processed=True), Wait)


@pytest.mark.parametrize("status", [200, 201, 204, 207, 400, 403, 404, 412])
def test_other_answers_finish(status: int) -> None:
    assert isinstance(decide(status, {"Retry-After": "1"}), Finish)


def test_401_refreshes_once_with_cae_claims() -> None:
    claims = '{"access_token":{"nbf":{"essential":true,"value":"1"}}}'
    decision = decide(401, {"WWW-Authenticate": claims_header(claims)}, refresh_allowed=True)
    assert isinstance(decision, Refresh) and decision.claims == claims
    # Without Graph's challenge reader (a generic package) a 401 refreshes without claims.
    generic = decide(
        401, {"WWW-Authenticate": claims_header(claims)}, refresh_allowed=True, read_challenge=None
    )
    assert isinstance(generic, Refresh) and generic.claims is None
    plain = decide(401, {"WWW-Authenticate": 'Bearer error="invalid_token"'}, refresh_allowed=True)
    assert isinstance(plain, Refresh) and plain.claims is None
    assert isinstance(decide(401, refresh_allowed=False), Finish)


def test_transport_failures_are_resent_only_when_not_sent() -> None:
    deadline = Deadline(FakeClock(), None)
    assert isinstance(after_failure(Policy(), 0, True, deadline, draw=top), Wait)
    assert after_failure(Policy(), 0, False, deadline, draw=top) is None
    assert isinstance(
        after_failure(Policy(retry_processed=True), 0, False, deadline, draw=top), Wait
    )
    assert after_failure(Policy(), 3, True, deadline, draw=top) is None


@given(
    status=st.sampled_from([429, 503]),
    retry_after=st.one_of(st.none(), st.integers(0, 1000)),
    attempt=st.integers(0, 5),
    elapsed=st.floats(0, 120),
)
def test_no_decision_waits_past_the_maximum_or_the_deadline(
    status: int, retry_after: int | None, attempt: int, elapsed: float
) -> None:
    clock = FakeClock()
    deadline = Deadline(clock, 120.0)
    clock.advance(elapsed)
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    decision = decide(status, headers, attempt=attempt, clock=clock, deadline=deadline)
    if isinstance(decision, Wait):
        assert decision.seconds <= 180.0 and decision.seconds < deadline.remaining()  # type: ignore[operator]
        assert attempt < 3
    else:
        assert isinstance(decision, Finish)
        assert decision.retry_after == (None if retry_after is None else float(retry_after))
