"""The mock Graph service over real HTTP: routing, checks, 200/207 bodies, faults, logs, shutdown."""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from generator.mock.faults import FaultSyntaxError, parse_fault
from generator.mock.graph import GRAPH_CONTENT_TYPE
from generator.mock.graph_permissions import NOTIFICATION_FAILURES
from generator.mock.server import MockAddressError, MockServer, MockService
from tests.conftest import GENERATED, ROOT

TOKEN = "mock-test-token-7f3a"
PASSWORD = "pw-secret-9c1e"
BODY = {"recipients": [{"email": "ryan@contoso.com"}], "roles": ["write"], "sendInvitation": True}
ITEM_PATH = "/v1.0/drives/drive-1/items/item-1/invite"


@pytest.fixture(scope="module")
def connection(running: MockServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=running.url, timeout=10) as client:
        yield client


@pytest.fixture
def http(connection: httpx.Client, server: MockServer) -> httpx.Client:
    """A keep-alive client of the module's server, whose state was just reset."""
    return connection


def schema_for(status: int) -> dict[str, Any]:
    """The emitted JSON Schema file a response with this status must match."""
    name = "invite_response" if status in (200, 207) else "odata_error"
    return json.loads((GENERATED / "schemas" / f"{name}.schema.json").read_text())


def assert_conforms(response: httpx.Response) -> Any:
    """Check the body against the emitted schema (independently of the mock's own validators)."""
    body = response.json()
    validator = jsonschema.Draft202012Validator(
        schema_for(response.status_code), format_checker=jsonschema.FormatChecker()
    )
    errors = [error.message for error in validator.iter_errors(body)]
    assert not errors, (response.status_code, errors, body)
    assert response.headers["content-type"] == GRAPH_CONTENT_TYPE
    assert response.headers["request-id"] and response.headers["client-request-id"]
    return body


def post(
    http: httpx.Client, path: str = ITEM_PATH, body: Any = BODY, **headers: str
) -> httpx.Response:
    sent = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    sent.update({name.replace("_", "-"): value for name, value in headers.items()})
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return http.post(path, content=content, headers=sent)


# What each Graph shape is sent, and the status it answers with on a fresh item.
SHAPE_CALLS: dict[str, tuple[str, Any, int]] = {
    "invite": ("POST", BODY, 200),
    "create_link": ("POST", {"type": "view", "scope": "anonymous"}, 201),
    "list": ("GET", None, 200),
    "get": ("GET", None, 200),
    "update": ("PATCH", {"roles": ["write"]}, 200),
    "delete": ("DELETE", None, 204),
    "grant": ("POST", {"recipients": [{"email": "guest@contoso.com"}], "roles": ["read"]}, 200),
}


def documented_schema(service: MockService, operation: Any, status: int) -> dict[str, Any] | None:
    """The emitted JSON Schema file the spec names for this answer (None: no body)."""
    resolved = service.api.resolved
    raw = resolved.data["paths"][operation.path][operation.method.lower()]["responses"]
    response, _ = resolved.deref(raw[str(status)], operation.pointer)
    if "content" not in response:
        return None
    component = response["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    for path in sorted((GENERATED / "schemas").glob("*.schema.json")):
        schema = json.loads(path.read_text())
        if schema.get("$ref") == f"#/$defs/{component}":
            return dict(schema)
    raise AssertionError(f"no emitted schema file for {component}")


def shape_kind(service: MockService, operation: Any) -> str:
    """The Graph layer's name for what an operation does (`invite`, `list`, `delete`, ...)."""
    shapes = getattr(service.layer, "shapes")  # noqa: B009 (the Graph layer's table)
    return str(shapes[operation.pointer].kind)


def call_operation(
    http: httpx.Client, service: MockService, operation: Any, prefix: str
) -> httpx.Response:
    """Send the operation the request its shape takes (creating the permission it needs first)."""
    kind = shape_kind(service, operation)
    method, body, _ = SHAPE_CALLS[kind]
    path = operation.path
    for parameter in operation.parameters:
        if parameter.location == "path":
            path = path.replace("{" + parameter.name + "}", f"v-{parameter.name}")
    if kind in ("get", "update", "delete"):
        item = path.rsplit("/permissions/", 1)[0]
        link = post(http, prefix + item + "/createLink", SHAPE_CALLS["create_link"][1])
        assert link.status_code == 201, link.text
        path = f"{item}/permissions/{link.json()['id']}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    content = None if body is None else json.dumps(body).encode()
    if content is not None:
        headers["Content-Type"] = "application/json"
    return http.request(method, prefix + path, content=content, headers=headers)


def test_every_operation_is_served_under_each_of_its_servers(
    service: MockService, server: MockServer, http: httpx.Client
) -> None:
    # Every operation of the spec (invite, createLink, list, get, update, delete, grant on every
    # path family), each under each of its servers on a fresh store; the answer is checked against
    # the emitted JSON Schema of the documented response, independently of the mock's validators.
    served = set()
    for operation in service.api.operations:
        for prefix in operation.prefixes:
            server.state.reset()
            response = call_operation(http, service, operation, prefix)
            kind = shape_kind(service, operation)
            assert response.status_code == SHAPE_CALLS[kind][2], (operation.path, response.text)
            schema = documented_schema(service, operation, response.status_code)
            if schema is None:
                assert response.content == b""
            else:
                errors = [
                    error.message
                    for error in jsonschema.Draft202012Validator(
                        schema, format_checker=jsonschema.FormatChecker()
                    ).iter_errors(response.json())
                ]
                assert not errors, (operation.path, errors)
                assert response.headers["content-type"] == GRAPH_CONTENT_TYPE
            assert response.headers["request-id"] and response.headers["client-request-id"]
            last = server.requests[-1]
            assert (last.operation_id, last.template) == (
                operation.operation_id,
                prefix + operation.path,
            )
            served.add((operation.operation_id, prefix))
    operations = service.api.operations
    assert {op.operation_id for op in operations} == {op_id for op_id, _ in served}
    assert len(served) == sum(len(op.prefixes) for op in operations) > len(operations) >= 50
    assert {shape_kind(service, op) for op in operations} == set(SHAPE_CALLS)


def test_permissions_are_built_from_the_request(http: httpx.Client) -> None:
    body = {
        **BODY,
        "recipients": [{"email": "ryan@contoso.com"}, {"alias": "Finance"}, {"objectId": "42F1"}],
        "requireSignIn": True,
        "password": PASSWORD,
        "expirationDateTime": "2018-07-15T14:00:00.000Z",
    }
    permissions = assert_conforms(post(http, body=body))["value"]
    assert [p["invitation"]["email"] for p in permissions] == ["ryan@contoso.com", None, None]
    assert [p["grantedToV2"]["user"]["displayName"] for p in permissions][1:] == ["Finance", "42F1"]
    assert permissions[2]["grantedToV2"]["user"]["id"] == "42F1"
    for permission in permissions:
        assert permission["roles"] == ["write"]
        assert permission["invitation"]["signInRequired"] is True
        assert permission["hasPassword"] is True
        assert permission["expirationDateTime"] == "2018-07-15T14:00:00.000Z"
        assert "error" not in permission
    assert PASSWORD not in json.dumps(permissions)


def test_defaults_and_values_the_response_schema_cannot_carry(http: httpx.Client) -> None:
    body = {"recipients": [{"email": "a@contoso.com"}], "expirationDateTime": "next week"}
    (permission,) = assert_conforms(post(http, body=body))["value"]
    assert permission["roles"] == ["read"]
    assert permission["invitation"]["signInRequired"] is False
    assert "hasPassword" not in permission and "expirationDateTime" not in permission


def test_ids_are_stable_for_the_same_input(http: httpx.Client) -> None:
    first = [p["id"] for p in post(http).json()["value"]]
    again = [p["id"] for p in post(http).json()["value"]]
    other_roles = [p["id"] for p in post(http, body={**BODY, "roles": ["read"]}).json()["value"]]
    other_item = [
        p["id"] for p in post(http, ITEM_PATH.replace("item-1", "item-2")).json()["value"]
    ]
    assert first == again
    assert first != other_roles and first != other_item


@pytest.mark.parametrize(
    ("email", "inner_code"),
    [
        ("someone@fail.example", "accountVerificationRequired"),
        ("HIPCHECKREQUIRED@Fail.Example", "hipCheckRequired"),
        ("exchangeInvalidUser+2@fail.example", "exchangeInvalidUser"),
        ("exchangeOutOfMailboxQuota@fail.example", "exchangeOutOfMailboxQuota"),
        ("exchangeMaxRecipients@fail.example", "exchangeMaxRecipients"),
    ],
)
def test_207_rule_fails_recipients_at_the_failure_domain(
    http: httpx.Client, email: str, inner_code: str
) -> None:
    body = {**BODY, "recipients": [{"email": "ok@contoso.com"}, {"email": email}]}
    response = post(http, body=body)
    assert response.status_code == 207
    succeeded, failed = assert_conforms(response)["value"]
    assert "error" not in succeeded
    assert failed["error"]["code"] == NOTIFICATION_FAILURES[inner_code][0]
    assert failed["error"]["innererror"]["code"] == inner_code
    assert failed["invitation"]["email"] == email


def test_no_notification_means_no_207(http: httpx.Client) -> None:
    body = {"recipients": [{"email": "someone@fail.example"}], "sendInvitation": False}
    assert post(http, body=body).status_code == 200


@pytest.mark.parametrize(
    "authorization", [None, "Basic dXNlcjpwdw==", "Bearer", "Bearer expired-7", "Token abc"]
)
def test_missing_or_rejected_bearer_token_is_401(
    http: httpx.Client, authorization: str | None
) -> None:
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = http.post(ITEM_PATH, content=json.dumps(BODY), headers=headers)
    assert response.status_code == 401
    assert assert_conforms(response)["error"]["code"] == "InvalidAuthenticationToken"
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "path",
    [
        "/v1.0/nowhere",
        "/beta/drive/items/x/invite",  # /drive/items is served from v1.0 only
        "/v2/drives/d/items/i/invite",
        "/v1.0/drives//items/i/invite",
        "/v1.0/drives/d/items/i/invite/",
        "/v1.0/drives/d/items/i/x/invite",
        "/v1.0/drives/d/items/%FF/invite",
    ],
)
def test_unknown_paths_are_404(http: httpx.Client, path: str) -> None:
    response = post(http, path)
    assert response.status_code == 404
    assert assert_conforms(response)["error"]["code"] == "itemNotFound"


@pytest.mark.parametrize("method", ["GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD"])
def test_wrong_methods_are_405_with_allow(http: httpx.Client, method: str) -> None:
    response = http.request(method, ITEM_PATH, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    if method != "HEAD":
        assert assert_conforms(response)["error"]["code"] == "methodNotAllowed"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "", "application/json; charset=latin-1", "application/xml"]
)
def test_non_json_bodies_are_415(http: httpx.Client, content_type: str) -> None:
    response = post(http, Content_Type=content_type)
    assert response.status_code == 415
    assert assert_conforms(response)["error"]["code"] == "unsupportedMediaType"
    assert post(http, Content_Type="Application/JSON; charset=UTF-8").status_code == 200


def test_bodies_over_the_limit_are_413_and_the_connection_stays_usable(
    http: httpx.Client, service: MockService
) -> None:
    padding = "x" * service.max_body_bytes
    response = post(http, body={**BODY, "message": padding})
    assert response.status_code == 413
    assert assert_conforms(response)["error"]["code"] == "requestTooLarge"
    assert post(http).status_code == 200


@pytest.mark.parametrize(
    ("body", "target"),
    [
        ({"recipients": []}, "recipients"),
        ({"recipients": [{"email": "not an address"}]}, "recipients[0].email"),
        ({"recipients": [{"email": "a@contoso.com"}], "roles": ["admin"]}, "roles[0]"),
        ({"recipients": [{"email": "a@contoso.com"}], "message": 5}, "message"),
        ({"recipients": [{}]}, "recipients[0]"),
        ({"roles": ["read"]}, "(root)"),
        ([], "(root)"),
    ],
)
def test_schema_violations_are_400_naming_the_data_path(
    http: httpx.Client, body: Any, target: str
) -> None:
    response = post(http, body=body)
    assert response.status_code == 400
    error = assert_conforms(response)["error"]
    assert (error["code"], error["target"]) == ("invalidRequest", target)
    assert target in error["message"]
    assert error["details"][0]["target"] == target


@pytest.mark.parametrize("raw", [b"{", b'{"recipients": NaN}', b"[" * 100_000, b"\xff"])
def test_malformed_json_is_400(http: httpx.Client, raw: bytes) -> None:
    response = post(http, body=raw)
    assert response.status_code == 400
    assert assert_conforms(response)["error"]["message"] == "The request body is not valid JSON."


@pytest.mark.parametrize("content_type", [None, "application/json"])
def test_a_missing_body_is_400(http: httpx.Client, content_type: str | None) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if content_type:
        headers["Content-Type"] = content_type
    response = http.post(ITEM_PATH, headers=headers)
    assert response.status_code == 400
    assert assert_conforms(response)["error"]["message"] == "The request body is required."


def test_a_bad_password_is_named_but_never_repeated(http: httpx.Client) -> None:
    response = post(http, body={**BODY, "password": [PASSWORD]})
    assert response.status_code == 400
    assert assert_conforms(response)["error"]["target"] == "password"
    assert PASSWORD not in response.text


@pytest.mark.parametrize(
    ("raw_path", "parameters"),
    [
        ("/v1.0/drives/a%2Fb/items/..%2Fc/invite", {"drive-id": "a/b", "item-id": "../c"}),
        (
            "/v1.0/drives/%2E%2E/items/a%20b%3Fc%23d/invite",
            {"drive-id": "..", "item-id": "a b?c#d"},
        ),
        ("/v1.0/drives/%252F/items/caf%C3%A9/invite", {"drive-id": "%2F", "item-id": "café"}),
    ],
)
def test_path_parameters_are_one_decoded_segment_each(
    server: MockServer, raw_path: str, parameters: dict[str, str]
) -> None:
    with httpx.Client(timeout=10) as client:
        # httpx.URL would re-normalise; a raw target reaches the server byte for byte.
        request = client.build_request(
            "POST",
            server.url,
            content=json.dumps(BODY),
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
            extensions={"target": raw_path.encode()},
        )
        assert client.send(request).status_code == 200
    (entry,) = server.requests
    assert entry.operation_id == "drives_items_invite"
    assert entry.parameters == parameters


def test_fault_header_throttles_n_times_per_client_request_id(http: httpx.Client) -> None:
    statuses = []
    for _ in range(3):
        response = post(http, X_Mock_Fail="429;retry-after=1;times=2", client_request_id="call-1")
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.headers["Retry-After"] == "1"
            assert assert_conforms(response)["error"]["code"] == "activityLimitReached"
    assert statuses == [429, 429, 200]
    other = post(http, X_Mock_Fail="429;retry-after=1;times=2", client_request_id="call-2")
    assert other.status_code == 429


@pytest.mark.parametrize(
    ("header", "status", "retry_after"),
    [
        ("503", 503, "1"),
        ("503;retry-after=none", 503, None),
        ("503;retry-after=Wed, 21 Oct 2015 07:28:00 GMT", 503, "Wed, 21 Oct 2015 07:28:00 GMT"),
        ("500", 500, None),
        ("504;retry-after=3", 504, None),
        ("403", 403, None),
    ],
)
def test_fault_header_statuses(
    http: httpx.Client, header: str, status: int, retry_after: str | None
) -> None:
    response = post(http, X_Mock_Fail=header)
    assert response.status_code == status
    assert response.headers.get("Retry-After") == retry_after
    assert_conforms(response)


def test_fault_header_drop_and_hang(http: httpx.Client, server: MockServer) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        post(http, X_Mock_Fail="drop")
    started = time.monotonic()
    assert post(http, X_Mock_Fail="hang;seconds=0.3").status_code == 200
    assert time.monotonic() - started >= 0.3
    assert [entry.status for entry in server.requests] == [0, 200]


@pytest.mark.parametrize(
    "header", ["418", "429;times=0", "429;times=x", "hang;seconds=99", "429;colour=red", ""]
)
def test_malformed_fault_headers_are_400(http: httpx.Client, header: str) -> None:
    with pytest.raises(FaultSyntaxError):
        parse_fault(header)
    response = post(http, X_Mock_Fail=header)
    assert response.status_code == 400
    assert assert_conforms(response)["error"]["target"] == "X-Mock-Fail"


def test_one_log_line_per_request_without_secrets(
    http: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    post(http, body={**BODY, "password": PASSWORD}, client_request_id="log-1")
    post(http, "/v1.0/drives/d/items/i/invite?access_token=leaky", body={**BODY, "password": 5})
    http.get(ITEM_PATH, headers={"Authorization": f"Bearer {TOKEN}"})
    lines = [r.getMessage() for r in caplog.records if r.name == "invitegen.mock"]
    assert len(lines) == 3
    assert "POST /v1.0/drives/drive-1/items/item-1/invite -> 200 drives_items_invite" in lines[0]
    assert "client-request-id=log-1" in lines[0] and "1 recipients, 0 not notified" in lines[0]
    assert "?... -> 400" in lines[1] and "target password" in lines[1]
    assert "-> 405" in lines[2]
    for secret in (TOKEN, PASSWORD):
        assert secret not in caplog.text
    # httpx logs the URL it was given (query included); the mock never logs a query string.
    assert not any("leaky" in line for line in lines)


def test_stopping_ends_hangs_and_idle_connections_and_leaves_no_thread(
    service: MockService,
) -> None:
    before = set(threading.enumerate())
    server = MockServer(service).start()
    idle = httpx.Client(base_url=server.url, timeout=10)
    post(idle)  # leaves a keep-alive connection open
    outcome: list[object] = []

    def hang() -> None:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            try:
                outcome.append(post(client, X_Mock_Fail="hang;seconds=30").status_code)
            except httpx.TransportError as error:
                outcome.append(error)

    hanging = threading.Thread(target=hang)
    hanging.start()
    deadline = time.monotonic() + 10
    # The hang is journalled when its answer is decided, before the 30 s wait begins.
    while len(server.requests) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(server.requests) == 2
    started = time.monotonic()
    server.stop()
    hanging.join(10)
    idle.close()
    assert time.monotonic() - started < 5
    assert outcome and not hanging.is_alive()
    assert set(threading.enumerate()) <= before


def test_a_response_that_would_break_the_spec_becomes_a_500(
    http: httpx.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = (200, {"value": [{"id": 42}]})
    monkeypatch.setattr("generator.mock.graph.invite_response", lambda *arguments: broken)
    response = post(http)
    assert response.status_code == 500
    assert "breaks its schema" in assert_conforms(response)["error"]["message"]


def test_only_loopback_addresses_are_served(service: MockService) -> None:
    with pytest.raises(MockAddressError, match="loopback"):
        MockServer(service, host="0.0.0.0")
    # --allow-remote is the explicit way to listen on every interface.
    with MockServer(service, host="0.0.0.0", allow_remote=True) as server:
        port = server.url.rsplit(":", 1)[1]
        response = httpx.get(f"http://127.0.0.1:{port}/v1.0/nowhere", timeout=10)
        assert response.status_code == 404


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_cli_serves_until_a_signal_and_exits_cleanly(stop_signal: int) -> None:
    executable = Path(sys.executable).with_name("invitegen")
    process = subprocess.Popen(
        [str(executable), "mock", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        url = first.split("listening on ", 1)[1].split()[0]
        with httpx.Client(base_url=url, timeout=10) as client:
            assert post(client).status_code == 200
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "invitegen mock: stopped" in out
    assert "-> 200 drives_items_invite" in err and TOKEN not in err
