"""A package generated from a spec that is not Microsoft Graph (the OpenAPI Initiative's petstore):
generic names (`ApiClient`, `ApiError`, ...), no Graph layer, a User-Agent naming the package,
no `client-request-id`, error bodies of the spec's own shape read onto `ApiError`; and the switch
that decides what a Graph document is (`x-invitegen: {graph: ...}` or a Graph server)."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

import pytest
import yaml

from generator.pipeline import Generation, build
from tests.conftest import ROOT
from tests.scripted_http import Reply, ScriptedServer
from tests.test_security_servers import generate

PETSTORE = ROOT / "tests" / "data" / "mock" / "petstore-expanded.yaml"
PACKAGE = "petstore_generic"
GRAPH_NAMES = ("GraphClient", "AsyncGraphClient", "GraphError", "GraphThrottledError")


def petstore_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    return spec


@pytest.fixture(scope="module")
def petstore(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Generation]:
    return generate(tmp_path_factory.mktemp("petstore"), petstore_spec(), PACKAGE)


@pytest.fixture
def server() -> Any:
    with ScriptedServer() as running:
        yield running


def test_a_non_graph_package_has_generic_names_and_no_graph_layer(
    petstore: tuple[ModuleType, Generation],
) -> None:
    package, generation = petstore
    assert not generation.api.graph
    names = {path.name for path in generation.files}
    assert "graph.py" not in names and "service.py" in names
    for name in ("ApiClient", "AsyncApiClient", "ApiError", "ApiThrottledError", "ApiVersionError"):
        assert name in package.__all__ and hasattr(package, name), name
    assert "DateTimeText" in package.__all__
    for name in (*GRAPH_NAMES, "GraphDateTime"):
        assert name not in package.__all__ and not hasattr(package, name), name
    readme = generation.files[PurePosixPath("README.md")]
    readme_text = readme.decode("utf-8") if isinstance(readme, bytes) else readme
    # The petstore declares no security scheme: the example passes no credentials.
    assert "with ApiClient() as client:" in readme_text
    assert "User-Agent:\npetstore-generic/1.0.0 invitegen/" in readme_text
    for path, content in generation.files.items():
        text = content.decode("utf-8") if isinstance(content, bytes) else content
        assert "GraphClient" not in text and "GraphError" not in text, path


def test_user_agent_names_the_package_and_no_request_id_is_sent(
    petstore: tuple[ModuleType, Generation], server: ScriptedServer
) -> None:
    package, _ = petstore
    server.reply(Reply(200, {"Content-Type": "application/json"}, b"[]"))
    with package.ApiClient(base_url=server.url) as client:
        assert client.find_pets(limit=2).body == []
    (received,) = server.received
    assert received.headers["user-agent"].startswith("petstore-generic/1.0.0 invitegen/")
    assert "client-request-id" not in received.headers
    with package.ApiClient(base_url=server.url) as client, pytest.raises(ValueError, match="no"):
        client.find_pets(options=package.CallOptions(client_request_id="c-1"))
    # Graph-only knobs are refused, not ignored.
    with pytest.raises(ValueError, match="no qualified action names"):
        package.ApiClient(base_url=server.url, qualified_action_names=True)


@pytest.mark.parametrize(
    ("body", "headers", "code", "message", "request_id"),
    [
        # The spec's own Error schema: flat code and message.
        ({"code": 404, "message": "no pet 7"}, {"x-request-id": "r-1"}, "404", "no pet 7", "r-1"),
        # An {"error": {...}} envelope with an OData inner error chain.
        (
            {"error": {"code": "gone", "message": "m", "innererror": {"code": "deeper"}}},
            {"request-id": "r-2"},
            "gone",
            "m",
            "r-2",
        ),
        # RFC 9457 problem details.
        (
            {"type": "urn:gone", "title": "Gone", "detail": "pet 7 left"},
            {},
            "urn:gone",
            "pet 7 left",
            "",
        ),
        # OAuth 2 style: the error is only a code.
        ({"error": "invalid_token"}, {}, "", "invalid_token", ""),
    ],
)
def test_error_bodies_of_common_shapes_are_read(
    petstore: tuple[ModuleType, Generation],
    server: ScriptedServer,
    body: Any,
    headers: dict[str, str],
    code: str,
    message: str,
    request_id: str,
) -> None:
    package, _ = petstore
    answer = {"Content-Type": "application/json", **headers}
    server.reply(Reply(404, answer, json.dumps(body).encode()))
    with (
        package.ApiClient(base_url=server.url) as client,
        pytest.raises(package.ApiError) as raised,
    ):
        client.find_pet_by_id(7)
    error = raised.value
    assert (error.status_code, error.code, error.message, error.request_id) == (
        404,
        code,
        message,
        request_id,
    )
    assert error.client_request_id == ""
    if isinstance(body.get("error"), dict):
        assert error.inner_codes == ("deeper",)
    if "code" in body:  # the spec types the error: its model is on the error
        assert type(error.model).__name__ == "Error" and error.model.message == "no pet 7"


def test_throttling_raises_the_generic_throttled_error(
    petstore: tuple[ModuleType, Generation], server: ScriptedServer
) -> None:
    package, _ = petstore
    server.reply(Reply(429, {"Retry-After": "400"}, b""))
    with package.ApiClient(base_url=server.url) as client:
        with pytest.raises(package.ApiThrottledError) as raised:
            client.find_pets()
    assert raised.value.retry_after == 400 and len(server.received) == 1


@pytest.mark.parametrize(
    ("setting", "server_url", "graph"),
    [
        (None, "https://petstore.swagger.io/v2", False),
        (None, "https://graph.microsoft.com/v1.0", True),
        (None, "https://graph.microsoft.us/beta", True),
        (True, "https://petstore.swagger.io/v2", True),
        (False, "https://graph.microsoft.com/v1.0", False),
    ],
)
def test_what_makes_a_graph_package(
    tmp_path: Path, setting: bool | None, server_url: str, graph: bool
) -> None:
    spec = copy.deepcopy(petstore_spec())
    spec["servers"] = [{"url": server_url}]
    if setting is not None:
        spec["x-invitegen"] = {"graph": setting}
    spec_path = tmp_path / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    generation = build(spec_path, project_root=tmp_path, package="switch")
    names = {str(path) for path in generation.files}
    assert generation.api.graph is graph
    assert ("switch/graph.py" in names) is graph
    content = generation.files[PurePosixPath("switch/client.py")]
    client_text = content.decode("utf-8") if isinstance(content, bytes) else content
    assert ("GraphClient = ApiClient" in client_text) is graph
    assert ("SERVICE: ClassVar[ServiceRules] = GRAPH_RULES" in client_text) is graph


def test_graph_names_are_the_generic_classes() -> None:
    import graph_invite
    from graph_invite import graph

    assert graph_invite.GraphClient is graph_invite.ApiClient
    assert graph_invite.AsyncGraphClient is graph_invite.AsyncApiClient
    for name in ("Error", "ThrottledError", "DecodeError", "ResponseTooLargeError"):
        assert getattr(graph_invite, f"Graph{name}") is getattr(graph_invite, f"Api{name}")
    for name in ("ResponseValidationError", "TimeoutError", "VersionError"):
        assert getattr(graph, f"Graph{name}") is getattr(graph_invite, f"Api{name}")
    assert graph_invite.GraphDateTime is graph_invite.DateTimeText
    assert graph_invite.GraphClient.SERVICE is graph.GRAPH_RULES


def test_the_petstore_client_against_the_mock_over_http(
    petstore: tuple[ModuleType, Generation],
) -> None:
    from generator.mock.server import MockServer
    from generator.mock.service import MockService

    package, _ = petstore
    with MockServer(MockService.from_spec(PETSTORE)) as server:
        with package.ApiClient(base_url=server.url) as client:
            added = client.add_pet({"name": "Rex", "tag": "dog"})
            assert added.status_code == 200 and isinstance(added.body.name, str)
            assert client.delete_pet(7).status_code == 204
            with pytest.raises(package.ApiError) as raised:
                client.find_pet_by_id(7)
    error = raised.value
    # The mock answers in the petstore's own Error shape, which the client parses onto the error.
    assert error.status_code == 404 and error.code == "404"
    assert type(error.model).__name__ == "Error" and error.model.code == 404
    assert error.message == "The resource was deleted." and error.client_request_id == ""


def test_a_throttled_petstore_call_is_retried_against_the_mock(
    petstore: tuple[ModuleType, Generation],
) -> None:
    """Fault injection works for any spec, and a client without a request id header is still
    recognised across its retries (the mock keys faults by method, path and header value)."""
    from generator.mock.server import MockServer
    from generator.mock.service import MockService

    package, _ = petstore
    sleeps: list[float] = []
    fail = package.CallOptions(headers={"X-Mock-Fail": "503;retry-after=1;times=2"})
    with MockServer(MockService.from_spec(PETSTORE)) as server:
        with package.ApiClient(base_url=server.url, sleep=sleeps.append) as client:
            assert client.find_pets(options=fail).status_code == 200
            answers = [entry.status for entry in server.requests]
            # No client-request-id goes out, and the plain layer sends none back.
            assert "client-request-id" not in client.find_pets().headers
    assert answers == [503, 503, 200] and sleeps == [1.0, 1.0]


UPLOAD_SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Uploads", "version": "1.0.0"},
    "paths": {
        "/files": {
            "post": {
                "operationId": "create_file",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Upload"}}
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        }
    },
    "components": {
        "schemas": {
            "Upload": {
                "type": "object",
                "required": ["file"],
                "properties": {
                    "file": {"type": "string", "format": "binary", "maxLength": 4},
                    "note": {"type": "string"},
                },
            }
        }
    },
}


def test_a_multipart_file_part_takes_bytes(tmp_path: Path, server: ScriptedServer) -> None:
    # `format: binary` is `bytes | str`: bytes go out as a file part, checked as their octets.
    package, _ = generate(tmp_path, UPLOAD_SPEC, "uploads_generic")
    models = importlib.import_module("uploads_generic.models")
    server.reply(Reply(204, {}, b""))
    with package.ApiClient(base_url=server.url) as client:
        upload = models.Upload(file=b"\x00\xff\r\n", note="four octets")
        assert client.create_file(upload).status_code == 204
        # maxLength counts octets; a fifth one is refused before sending.
        with pytest.raises(Exception, match="file"):
            client.create_file(models.Upload(file=b"\x00\xff\r\n!"))
    (received,) = server.received
    assert received.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="file"' in received.body
    assert b"\r\n\r\n\x00\xff\r\n\r\n" in received.body
    assert b'name="note"\r\n\r\nfour octets\r\n' in received.body
    assert models.Upload.from_dict({"file": "text"}).file == "text"
