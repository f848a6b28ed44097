"""The invite spec with each one-line change that used to be refused (issue 13's "Why" list): a
`Prefer` and an `If-Match` header parameter, a `$select` query parameter, an int64 property, a
DELETE answering 204, and a GET whose collection body is defined inline. Each generates, and the
client sends and reads them correctly over an httpx mock transport."""

from __future__ import annotations

import copy
import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from generator.output.writer import write_tree
from generator.pipeline import build
from tests.conftest import SPEC

PACKAGE = "invite_extended"
ITEM = "/drives/{drive-id}/items/{item-id}"
PERMISSION = {"id": "p1", "roles": ["read"]}


def extended_spec() -> dict[str, Any]:
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    invite = spec["paths"][f"{ITEM}/invite"]
    invite["post"]["parameters"] = [
        {"name": "Prefer", "in": "header", "schema": {"type": "string"}},
        {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
    ]
    ids = copy.deepcopy(invite["parameters"])
    spec["paths"][f"{ITEM}/permissions"] = {
        "servers": invite["servers"],
        "parameters": ids,
        "get": {
            "operationId": "list_permissions",
            "parameters": [
                {
                    "name": "$select",
                    "in": "query",
                    "explode": False,
                    "schema": {"type": "array", "items": {"type": "string"}},
                },
                {"name": "$top", "in": "query", "schema": {"type": "integer", "format": "int64"}},
            ],
            "responses": {
                "200": {
                    "description": "the permissions",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "@odata.count": {"type": "integer", "format": "int64"},
                                    "value": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/permission"},
                                    },
                                },
                            }
                        }
                    },
                },
                "404": {"$ref": "#/components/responses/notFound"},
            },
        },
    }
    spec["paths"][f"{ITEM}/permissions/{{perm-id}}"] = {
        "servers": invite["servers"],
        "parameters": [
            *ids,
            {"name": "perm-id", "in": "path", "required": True, "schema": {"type": "string"}},
        ],
        "delete": {
            "operationId": "delete_permission",
            "parameters": [{"name": "If-Match", "in": "header", "schema": {"type": "string"}}],
            "responses": {"204": {"description": "deleted"}},
        },
    }
    return spec


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    folder = tmp_path_factory.mktemp("extended")
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(extended_spec()), encoding="utf-8")
    generation = build(spec_path, project_root=folder, package=PACKAGE)
    write_tree(generation.files, folder / "out")
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder / "out"))
        return importlib.import_module(PACKAGE)


def client(package: ModuleType, requests: list[httpx.Request], answer: httpx.Response) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        return answer

    return package.GraphClient(token="t", transport=httpx.MockTransport(handler))


def test_spec_has_the_notFound_response() -> None:
    assert "notFound" in extended_spec()["components"]["responses"]


def test_collection_get_sends_select_and_reads_the_inline_body(package: ModuleType) -> None:
    sent: list[httpx.Request] = []
    body = {"@odata.count": 2**40, "value": [PERMISSION]}
    graph = client(package, sent, httpx.Response(200, json=body))
    result = graph.list_permissions("d1", "i1", select=["id", "roles"], top=5)
    assert sent[0].method == "GET"
    assert sent[0].url.path == "/v1.0/drives/d1/items/i1/permissions"
    assert sent[0].url.query == b"%24select=id%2Croles&%24top=5"
    # The inline collection is a named model now (issue 13), read losslessly.
    assert result.status_code == 200 and result.body.to_dict() == body
    assert type(result.body).__name__ == "ListPermissions200Response"
    assert result.body.odata_count == 2**40 and result.body.value[0].id_ == "p1"
    graph.list_permissions("d1", "i1")
    assert sent[1].url.query == b""  # optional parameters left out are not sent


def test_delete_with_if_match_returns_204_without_body(package: ModuleType) -> None:
    sent: list[httpx.Request] = []
    graph = client(package, sent, httpx.Response(204))
    result = graph.delete_permission("d1", "i1", "p/1", if_match='W/"etag"')
    assert sent[0].method == "DELETE"
    assert sent[0].url.raw_path == b"/v1.0/drives/d1/items/i1/permissions/p%2F1"
    assert sent[0].headers["If-Match"] == 'W/"etag"'
    assert result.status_code == 204 and result.body is None


def test_invite_sends_prefer_and_keeps_its_result_helpers(package: ModuleType) -> None:
    sent: list[httpx.Request] = []
    graph = client(package, sent, httpx.Response(200, json={"value": [PERMISSION]}))
    body = {"recipients": [{"email": "ryan@contoso.com"}], "roles": ["read"]}
    result = graph.drives_items_invite("d1", "i1", body, prefer="respond-async")
    assert sent[0].headers["Prefer"] == "respond-async" and "If-Match" not in sent[0].headers
    assert [p.to_dict()["id"] for p in result.succeeded] == ["p1"] and not result.failed


def test_a_typed_error_status_is_parsed_onto_the_error(package: ModuleType) -> None:
    error = {"error": {"code": "itemNotFound", "message": "no such item"}}
    graph = client(package, [], httpx.Response(404, json=error))
    with pytest.raises(package.GraphError) as raised:
        graph.list_permissions("d1", "i1")
    assert raised.value.status_code == 404 and raised.value.code == "itemNotFound"
    assert raised.value.model == package.OdataError.from_dict(error)


def test_header_values_cannot_inject_lines(package: ModuleType) -> None:
    with pytest.raises(ValueError, match="CR, LF"):
        client(package, [], httpx.Response(204)).delete_permission(
            "d1", "i1", "p1", if_match="x\r\nX-Evil: 1"
        )


def test_the_generated_package_is_where_the_fixture_put_it(package: ModuleType) -> None:
    assert Path(package.__file__ or "").parent.name == PACKAGE
