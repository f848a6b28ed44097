"""The mock for any spec, in-process (httpx's ASGI transport, no sockets): a public petstore spec."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from generator.errors import SpecErrors
from generator.mock.app import MockApp
from generator.mock.service import MockService
from tests.conftest import ROOT

PETSTORE = ROOT / "tests" / "data" / "mock" / "petstore-expanded.yaml"


@pytest.fixture(scope="module")
def petstore() -> MockService:
    return MockService.from_spec(PETSTORE)


def send(app: MockApp, method: str, path: str, **options: Any) -> httpx.Response:
    """One request through the ASGI app, in-process."""

    async def run() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
            return await client.request(method, path, **options)

    return asyncio.run(run())


def petstore_schema(name: str, *, array: bool = False) -> Any:
    """A component schema of the petstore (or an array of it), as jsonschema reads it."""
    document = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    reference = {"$ref": f"#/components/schemas/{name}"}
    root = {"type": "array", "items": reference} if array else reference
    return {**root, "components": document["components"]}


def conforms(body: Any, schema: Any) -> None:
    validator = jsonschema.Draft202012Validator(schema)
    assert not [error.message for error in validator.iter_errors(body)], body


def test_petstore_is_served_with_the_plain_layer(petstore: MockService) -> None:
    assert petstore.layer.name == "plain"
    assert [op.operation_id for op in petstore.api.operations] == [
        "findPets",
        "addPet",
        "find pet by id",
        "deletePet",
    ]


def test_every_petstore_operation_answers_schema_valid_json(petstore: MockService) -> None:
    app = MockApp(petstore)
    listed = send(app, "GET", "/v2/pets?tags=a&tags=b&limit=3")
    assert listed.status_code == 200
    conforms(listed.json(), petstore_schema("Pet", array=True))
    added = send(app, "POST", "/v2/pets", json={"name": "Rex", "tag": "dog"})
    assert added.status_code == 200
    conforms(added.json(), petstore_schema("Pet"))
    found = send(app, "GET", "/v2/pets/7")
    assert found.status_code == 200
    conforms(found.json(), petstore_schema("Pet"))
    deleted = send(app, "DELETE", "/v2/pets/7")
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert [entry.operation_id for entry in app.state.requests] == [
        "findPets",
        "addPet",
        "find pet by id",
        "deletePet",
    ]


def test_answers_are_the_same_for_the_same_request(petstore: MockService) -> None:
    app = MockApp(petstore)
    first = send(app, "GET", "/v2/pets/7").json()
    assert send(app, "GET", "/v2/pets/7").json() == first
    assert send(app, "GET", "/v2/pets/8").json() != first


@pytest.mark.parametrize(
    ("method", "path", "body", "target"),
    [
        ("GET", "/v2/pets?limit=many", None, "limit"),
        ("GET", "/v2/pets/abc", None, "id"),
        ("POST", "/v2/pets", {"tag": "no name"}, "(root)"),
        ("POST", "/v2/pets", {"name": 5}, "name"),
    ],
)
def test_invalid_parameters_and_bodies_are_400_in_the_specs_error_shape(
    petstore: MockService, method: str, path: str, body: Any, target: str
) -> None:
    response = send(MockApp(petstore), method, path, json=body)
    assert response.status_code == 400
    # The spec's `default` response is its Error schema: the mock's error is redrawn to fit it,
    # keeping the message.
    error = response.json()
    conforms(error, petstore_schema("Error"))
    assert target in error["message"]


def test_unknown_paths_and_methods(petstore: MockService) -> None:
    app = MockApp(petstore)
    assert send(app, "GET", "/v2/nowhere").status_code == 404
    response = send(app, "PUT", "/v2/pets/1")
    assert response.status_code == 405 and response.headers["allow"] == "DELETE, GET"


def test_the_reset_control_path_forgets_the_journal(petstore: MockService) -> None:
    app = MockApp(petstore)
    send(app, "GET", "/v2/pets")
    assert len(app.state.requests) == 1
    assert send(app, "POST", "/_mock/reset").status_code == 204
    assert app.state.requests == []


def test_openapi_30_words_are_translated(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/n": {
                "post": {
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "a": {"type": "integer", "nullable": True},
                                        "b": {
                                            "type": "number",
                                            "minimum": 0,
                                            "exclusiveMinimum": True,
                                        },
                                    },
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "ok"}},
                }
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    app = MockApp(MockService.from_spec(path))
    assert send(app, "POST", "/n", json={"a": None, "b": 0.5}).status_code == 200
    assert send(app, "POST", "/n", json={"b": 0}).status_code == 400


def test_a_spec_the_mock_cannot_serve_is_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
        "      parameters:\n        - {name: q, in: body}\n      responses: {'200': {description: ok}}\n"
    )
    with pytest.raises(SpecErrors) as caught:
        MockService.from_spec(path)
    (error,) = caught.value.errors
    assert error.pointer == "#/paths/~1x/get/parameters/0" and error.line == 7


def test_a_deleted_path_is_404_until_reset(petstore: MockService) -> None:
    app = MockApp(petstore)
    assert send(app, "DELETE", "/v2/pets/5").status_code == 204
    assert send(app, "GET", "/v2/pets/5").status_code == 404
    assert send(app, "DELETE", "/v2/pets/5").status_code == 404
    assert send(app, "GET", "/v2/pets/6").status_code == 200
    send(app, "POST", "/_mock/reset")
    assert send(app, "GET", "/v2/pets/5").status_code == 200


def test_undocumented_errors_take_the_specs_usual_error_shape(petstore: MockService) -> None:
    app = MockApp(petstore)
    for method, path, status in [("GET", "/v2/nowhere", 404), ("PUT", "/v2/pets/1", 405)]:
        response = send(app, method, path)
        assert response.status_code == status
        # No operation documents these; the petstore's `default` Error is its usual shape.
        error = response.json()
        conforms(error, petstore_schema("Error"))
        assert error["code"] == status and "error" not in error
        assert response.headers["content-type"].startswith("application/json")


def test_without_an_error_schema_errors_are_problem_details(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
                ],
                "get": {"responses": {"200": {"description": "ok"}}},
            }
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    app = MockApp(MockService.from_spec(path))
    missing = send(app, "GET", "/nowhere")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert missing.json() == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": "The resource could not be found.",
    }
    invalid = send(app, "GET", "/things/x")
    problem = invalid.json()
    assert invalid.status_code == 400 and problem["title"] == "Bad Request"
    assert problem["target"] == "id" and "itemNotFound" not in invalid.text


def test_an_empty_response_schema_answers_json(tmp_path: Path) -> None:
    # FastAPI writes `schema: {}` for an untyped answer: any JSON value, not "no body"; so is
    # a JSON media type without a schema.
    any_json = {"content": {"application/json": {"schema": {}}}, "description": "ok"}
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/things": {"put": {"responses": {"200": any_json}}},
            "/notes": {
                "get": {"responses": {"200": {**any_json, "content": {"application/json": {}}}}}
            },
            "/flags": {
                "get": {
                    "responses": {
                        "200": {**any_json, "content": {"application/json": {"schema": True}}}
                    }
                }
            },
        },
    }
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    app = MockApp(MockService.from_spec(path))
    for method, route in (("PUT", "/things"), ("GET", "/flags"), ("GET", "/notes")):
        answer = send(app, method, route)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/json")
        json.loads(answer.content)  # a JSON document, not an empty body


@pytest.mark.parametrize(
    ("setting", "server", "layer"),
    [
        (None, "https://petstore.example/v1", "plain"),
        (None, "https://graph.microsoft.com/v1.0", "graph"),
        (None, "https://microsoftgraph.chinacloudapi.cn/v1.0", "graph"),
        (True, "https://petstore.example/v1", "graph"),
        (False, "https://graph.microsoft.com/v1.0", "plain"),
    ],
)
def test_the_layer_follows_the_generators_graph_rule(
    tmp_path: Path, setting: bool | None, server: str, layer: str
) -> None:
    spec: dict[str, Any] = yaml.safe_load(PETSTORE.read_text(encoding="utf-8"))
    spec["servers"] = [{"url": server}]
    if setting is not None:
        spec["x-invitegen"] = {"graph": setting}
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec))
    assert MockService.from_spec(path).layer.name == layer
