"""Security schemes and servers with variables, checked on the wire: a generated client against a
loopback HTTP server (tests/scripted_http.py) sends each operation's credentials as its
requirement says (bearer, OAuth 2, HTTP basic, API keys in header, query and cookie; alternatives;
`security: []`; optional auth) and goes to the server URL its variables and the client's choice
give. Secrets never show in reprs, errors or httpx's log lines."""

from __future__ import annotations

import base64
import copy
import importlib
import json
import logging
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from generator.output.writer import write_tree
from generator.pipeline import build
from tests.scripted_http import Reply, ScriptedServer

PACKAGE = "access_client"
KEY = "k3y-S3cret"
PASSWORD = "pa55-w0rd"
TOKEN = "t0ken-value"


def _get(security: list[dict[str, list[str]]] | None = None, **extra: Any) -> dict[str, Any]:
    operation: dict[str, Any] = {"responses": {"204": {"description": "done"}}, **extra}
    if security is not None:
        operation["security"] = security
    return {"get": operation}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Access Test", "version": "1"},
    "servers": [
        {
            "url": "http://{host}:{port}/{basePath}",
            "variables": {
                "host": {"default": "127.0.0.1"},
                "port": {"default": "1"},
                "basePath": {"default": "v2", "enum": ["v1", "v2"]},
            },
        },
        {"url": "https://api.example.com/v1"},
    ],
    "security": [{"bearerAuth": []}],
    "components": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer"},
            "basicAuth": {"type": "http", "scheme": "basic"},
            "headerKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "queryKey": {"type": "apiKey", "in": "query", "name": "api_key"},
            "cookieKey": {"type": "apiKey", "in": "cookie", "name": "session"},
            "oauth": {
                "type": "oauth2",
                "flows": {
                    "clientCredentials": {"tokenUrl": "https://x.test/token", "scopes": {"r": "r"}}
                },
            },
            "mtls": {"type": "mutualTLS"},
        }
    },
    "paths": {
        "/default": _get(operationId="default_auth"),
        "/public": _get([], operationId="public"),
        "/header": _get([{"headerKey": []}], operationId="header_key"),
        "/query": _get(
            [{"queryKey": []}],
            operationId="query_key",
            parameters=[{"name": "q", "in": "query", "schema": {"type": "string"}}],
        ),
        "/cookie": _get(
            [{"cookieKey": []}],
            operationId="cookie_key",
            parameters=[{"name": "theme", "in": "cookie", "schema": {"type": "string"}}],
        ),
        "/basic": _get([{"basicAuth": []}], operationId="basic"),
        "/either": _get(
            [{"headerKey": [], "queryKey": []}, {"basicAuth": []}], operationId="either"
        ),
        "/optional": _get([{"headerKey": []}, {}], operationId="optional"),
        "/oauth": _get([{"oauth": ["r"]}], operationId="oauth"),
        "/mtls": _get([{"mtls": []}], operationId="mtls"),
        "/undeclared": _get([{"nowhere": []}], operationId="undeclared"),
        "/per-op": _get(
            operationId="per_op",
            servers=[
                {
                    "url": "http://127.0.0.1:{port}/per-op-{stage}",
                    "variables": {
                        "port": {"default": "1"},
                        "stage": {"default": "a", "enum": ["a", "b"]},
                    },
                }
            ],
        ),
    },
}


def generate(folder: Path, spec: dict[str, Any], package: str) -> tuple[ModuleType, Any]:
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    generation = build(spec_path, project_root=folder, package=package)
    write_tree(generation.files, folder / "out")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder / "out"))
        return importlib.import_module(package), generation


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Any]:
    return generate(tmp_path_factory.mktemp("access"), SPEC, PACKAGE)


@pytest.fixture(scope="module")
def package(generated: tuple[ModuleType, Any]) -> ModuleType:
    return generated[0]


@pytest.fixture
def server() -> Any:
    with ScriptedServer() as running:
        yield running


def port_of(server: ScriptedServer) -> str:
    return server.url.rsplit(":", 1)[1]


def client(package: ModuleType, server: ScriptedServer, **credentials: Any) -> Any:
    return package.ApiClient(base_url=server.url, **credentials)


def test_the_top_level_bearer_requirement_and_security_none(
    package: ModuleType, server: ScriptedServer
) -> None:
    server.reply(Reply(204), Reply(204))
    with client(package, server, token=TOKEN) as api:
        api.default_auth()
        api.public()
    default, public = server.received
    assert default.path == "/v2/default"
    assert default.headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in public.headers


def test_api_keys_in_header_query_and_cookie(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(Reply(204), Reply(204), Reply(204))
    with client(package, server, api_key=KEY) as api:
        api.header_key()
        api.query_key(q="a b")
        api.cookie_key(theme="dark")
    header, query, cookie = server.received
    assert header.headers["x-api-key"] == KEY and "authorization" not in header.headers
    assert query.path == f"/v2/query?q=a%20b&api_key={KEY}"
    assert "x-api-key" not in query.headers
    assert cookie.headers["cookie"] == f"theme=dark; session={KEY}"


def test_api_keys_per_scheme(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(Reply(204))
    with client(package, server, api_key={"headerKey": "h", "queryKey": "q"}) as api:
        api.either()
        with pytest.raises(package.MissingCredentialsError, match="cookieKey"):
            api.cookie_key()
    (either,) = server.received
    assert either.headers["x-api-key"] == "h" and either.path == "/v2/either?api_key=q"


def test_basic_auth_and_the_first_alternative_met(
    package: ModuleType, server: ScriptedServer
) -> None:
    server.reply(Reply(204), Reply(204))
    with client(package, server, basic_auth=("ann", PASSWORD)) as api:
        api.basic()
        api.either()  # the key alternative is not met: the basic one is used
    expected = "Basic " + base64.b64encode(f"ann:{PASSWORD}".encode()).decode()
    assert [received.headers["authorization"] for received in server.received] == [expected] * 2
    assert "x-api-key" not in server.received[1].headers


def test_optional_auth_and_oauth2_token_provider(
    package: ModuleType, server: ScriptedServer
) -> None:
    server.reply(Reply(204), Reply(204), Reply(204))
    with client(package, server) as anonymous:
        anonymous.optional()
    with client(package, server, token=lambda: TOKEN, api_key=KEY) as api:
        api.optional()
        api.oauth()
    anonymous_request, keyed, oauth = server.received
    assert "x-api-key" not in anonymous_request.headers
    assert keyed.headers["x-api-key"] == KEY and "authorization" not in keyed.headers
    assert oauth.headers["authorization"] == f"Bearer {TOKEN}"


def test_a_refreshable_token_is_asked_again_after_a_401(
    package: ModuleType, server: ScriptedServer
) -> None:
    tokens = iter(["old", "new"])
    server.reply(Reply(401), Reply(204))
    with client(package, server, token=lambda: next(tokens)) as api:
        api.oauth()
    assert [r.headers["authorization"] for r in server.received] == ["Bearer old", "Bearer new"]


def test_missing_credentials_raise_before_sending(
    package: ModuleType, server: ScriptedServer
) -> None:
    with client(package, server, api_key=KEY) as api:
        for call, needs in [
            (api.basic, "basicAuth (basic_auth)"),
            (api.default_auth, "bearerAuth (token)"),
            (api.mtls, "mtls (not supported by this client)"),
            (api.undeclared, "nowhere"),
        ]:
            with pytest.raises(package.MissingCredentialsError) as caught:
                call()
            assert needs in str(caught.value) and caught.value.status_code is None
            assert KEY not in str(caught.value)
    assert server.received == []


def test_credentials_the_api_does_not_take_are_refused(package: ModuleType) -> None:
    with pytest.raises(ValueError, match="not an API-key security scheme"):
        package.ApiClient(api_key={"basicAuth": KEY})
    with pytest.raises(ValueError, match="newline"):
        package.ApiClient(api_key=KEY + "\n")
    with pytest.raises(ValueError, match="':'"):
        package.ApiClient(basic_auth=("a:b", PASSWORD))
    with pytest.raises(TypeError, match="basic_auth"):
        package.ApiClient(basic_auth=PASSWORD)


def test_secrets_stay_out_of_reprs_errors_and_logs(
    package: ModuleType, server: ScriptedServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply(Reply(204), Reply(403, {"Content-Type": "application/json"}, b"{}"))
    with caplog.at_level(logging.DEBUG):
        with client(package, server, api_key=KEY, basic_auth=("ann", PASSWORD)) as api:
            api.query_key()
            with pytest.raises(package.ApiError) as caught:
                api.basic()
            shown = [repr(api), repr(api._settings.credentials), str(caught.value)]
    assert server.received[0].path.endswith(f"api_key={KEY}")  # it was sent
    assert "GET" in caplog.text  # httpx logged the request
    for text in [*shown, caplog.text]:
        assert KEY not in text and PASSWORD not in text


def test_server_variables_on_the_wire(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(Reply(204), Reply(204), Reply(204))
    port = port_of(server)
    with package.ApiClient(token=TOKEN, server_variables={"port": port}) as api:
        api.default_auth()  # http://127.0.0.1:<port>/v2 from the defaults and the port
        api.per_op()  # the operation's own server
    variables = {"port": port, "basePath": "v1", "stage": "b"}
    with package.ApiClient(token=TOKEN, server_variables=variables) as api:
        api.per_op()
    assert [r.path for r in server.received] == [
        "/v2/default",
        "/per-op-a/per-op",
        "/per-op-b/per-op",
    ]


def test_server_choice_and_checked_variables(package: ModuleType, server: ScriptedServer) -> None:
    server.reply(Reply(204))
    with package.ApiClient(token=TOKEN, base_url=server.url, server=1) as api:
        api.default_auth()  # https://api.example.com/v1, its origin replaced by base_url
    assert server.received[0].path == "/v1/default"
    with pytest.raises(ValueError, match="must be one of v1, v2"):
        package.ApiClient(server_variables={"basePath": "v3"})
    with pytest.raises(ValueError, match="not declared"):
        package.ApiClient(server_variables={"region": "eu"})
    with pytest.raises(ValueError, match="out of range"):
        package.ApiClient(server=2)
    with pytest.raises(ValueError, match="without spaces"):
        package.ApiClient(server_variables={"port": "1/x?y"})


def test_plain_http_servers_other_than_loopback_are_refused(package: ModuleType) -> None:
    with package.ApiClient(token=TOKEN, server_variables={"host": "example.com"}) as api:
        with pytest.raises(ValueError, match="https"):
            api.default_auth()


def test_generation_warns_about_what_the_client_cannot_apply(
    generated: tuple[ModuleType, Any],
) -> None:
    warnings = [str(warning) for warning in generated[1].api.warnings]
    assert any("'mtls' (mutualTLS) is not applied" in w for w in warnings), warnings
    assert any("names 'nowhere'" in w for w in warnings), warnings


def test_a_spec_without_requirements_sends_a_given_token(
    tmp_path: Path, server: ScriptedServer
) -> None:
    spec = copy.deepcopy(SPEC)
    del spec["security"]
    del spec["components"]
    spec["paths"] = {"/default": _get(operationId="default_auth")}
    package, _ = generate(tmp_path, spec, "access_open")
    server.reply(Reply(204), Reply(204))
    with package.ApiClient(TOKEN, server.url) as api:
        api.default_auth()
    with package.ApiClient(base_url=server.url) as api:
        api.default_auth()
    assert server.received[0].headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in server.received[1].headers
    with pytest.raises(ValueError, match="no security scheme that takes api_key"):
        package.ApiClient(api_key=KEY)


def test_refs_inside_extensions_are_not_followed(tmp_path: Path) -> None:
    """`$ref`s inside `x-` extensions (unresolvable, or to a file that does not exist) are kept
    as data and never an error; a property *named* `x-...` is a schema and its `$ref` is read."""
    spec = copy.deepcopy(SPEC)
    dangling = {"$ref": "#/nowhere"}
    spec["x-root"] = {"$ref": "missing-file.yaml#/x"}
    spec["paths"]["/public"]["get"]["x-op"] = dangling
    spec["components"]["schemas"] = {
        "thing": {
            "type": "object",
            "x-schema-note": dangling,
            "properties": {"x-id": {"$ref": "#/components/schemas/id"}},
        },
        "id": {"type": "string"},
    }
    package, generation = generate(tmp_path, spec, "access_extensions")
    assert package.models.Thing.from_dict({"x-id": "a"}).to_dict() == {"x-id": "a"}
    with pytest.raises(package.ValidationError):
        package.models.Thing.from_dict({"x-id": 1})  # the property's $ref was followed
    assert not [w for w in generation.api.warnings if "#/nowhere" in str(w)]
