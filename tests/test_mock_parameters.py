"""Parameters of any spec are checked with every keyword of their schema, in every OpenAPI style.

In process (httpx's ASGI transport into the mock application): one spec whose operations take
scalars (through `$ref`, `allOf`, `anyOf`, `format: int32/int64`), arrays and objects in each
style; each case is a query/path/header the mock must accept (200) or refuse (400).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.mock.app import MockApp
from generator.mock.service import MockService
from tests.test_mock_anyspec import PETSTORE, send

POINT = {
    "type": "object",
    "properties": {"x": {"type": "integer", "minimum": 0}, "tag": {"type": "string"}},
    "required": ["x"],
    "additionalProperties": False,
}


def query(name: str, schema: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **extra}


OPERATIONS: dict[str, list[dict[str, Any]]] = {
    "/scalars": [
        query("small", {"type": "integer", "format": "int32"}),
        query("big", {"type": "integer", "format": "int64", "maximum": 10}),
        query("ref", {"$ref": "#/components/schemas/positive"}),
        query("all", {"allOf": [{"$ref": "#/components/schemas/positive"}, {"maximum": 5}]}),
        query("either", {"anyOf": [{"type": "integer", "minimum": 10}, {"type": "boolean"}]}),
        query("untyped", {"minimum": 1}),
    ],
    "/arrays": [
        query("ids", {"type": "array", "items": {"$ref": "#/components/schemas/positive"}}),
        query(
            "pipes",
            {"type": "array", "items": {"type": "integer", "format": "int32"}},
            style="pipeDelimited",
            explode=False,
        ),
    ],
    "/deep": [query("point", POINT, style="deepObject", explode=True)],
    "/form": [query("point", POINT), query("page", {"type": "integer"})],
    "/flat": [query("point", POINT, explode=False)],
    "/header": [{"name": "X-Point", "in": "header", "schema": POINT, "explode": True}],
    "/label/{point}": [
        {"name": "point", "in": "path", "required": True, "schema": POINT, "style": "label"}
    ],
    "/matrix-exploded/{point}": [
        {
            "name": "point",
            "in": "path",
            "required": True,
            "schema": POINT,
            "style": "matrix",
            "explode": True,
        }
    ],
    "/matrix/{ids}": [
        {
            "name": "ids",
            "in": "path",
            "required": True,
            "style": "matrix",
            "schema": {"type": "array", "items": {"type": "integer", "maximum": 9}},
        }
    ],
}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> MockApp:
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "parameters", "version": "1"},
        "paths": {
            path: {"get": {"parameters": parameters, "responses": {"204": {"description": "ok"}}}}
            for path, parameters in OPERATIONS.items()
        },
        "components": {"schemas": {"positive": {"type": "integer", "minimum": 1}}},
    }
    path: Path = tmp_path_factory.mktemp("spec") / "parameters.json"
    path.write_text(json.dumps(spec))
    return MockApp(MockService.from_spec(path))


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/scalars?small=2147483647", 204),
        ("/scalars?small=2147483648", 400),
        ("/scalars?small=-2343887762581", 400),
        ("/scalars?big=-9223372036854775808", 204),
        ("/scalars?big=-9223372036854775809", 400),
        ("/scalars?big=11", 400),
        ("/scalars?ref=3", 204),  # a $ref to an integer schema reads "3" as 3
        ("/scalars?ref=0", 400),
        ("/scalars?ref=x", 400),
        ("/scalars?all=5", 204),
        ("/scalars?all=6", 400),
        ("/scalars?all=0", 400),
        ("/scalars?either=12", 204),
        ("/scalars?either=true", 204),
        ("/scalars?either=3", 400),
        ("/scalars?untyped=-5", 400),  # no type: the most specific reading, the number -5
        ("/scalars?untyped=abc", 204),
        ("/arrays?ids=1&ids=2", 204),
        ("/arrays?ids=1&ids=0", 400),
        ("/arrays?pipes=1|2|3", 204),
        ("/arrays?pipes=1|9999999999", 400),
        ("/deep?point[x]=1&point[tag]=a", 204),
        ("/deep?point[x]=-1", 400),
        ("/deep?point[tag]=a", 400),  # required x missing
        ("/deep?point[x]=1&point[other]=2", 400),  # additionalProperties: false
        ("/deep", 204),  # optional and absent
        ("/form?x=3&tag=b&page=2", 204),  # exploded form: one key per property
        ("/form?x=-3&page=2", 400),
        ("/form?x=3&page=two", 400),  # `page` is its own parameter, checked on its own
        ("/form?x=3&surprise=1", 400),
        ("/flat?point=x,4,tag,c", 204),
        ("/flat?point=x,minus", 400),
        ("/label/.x,2,tag,d", 204),
        ("/label/.x,-2", 400),
        ("/matrix-exploded/;x=2;tag=d", 204),
        ("/matrix-exploded/;x=-2", 400),
        ("/matrix/;ids=1,2,3", 204),
        ("/matrix/;ids=1,20", 400),
        ("/matrix/;ids=", 204),  # an empty array
    ],
)
def test_parameter_values_are_checked_with_every_keyword(
    app: MockApp, url: str, status: int
) -> None:
    response = send(app, "GET", url)
    assert response.status_code == status, response.text


@pytest.mark.parametrize(("header", "status"), [("x=1,tag=e", 204), ("x=a", 400), ("tag=e", 400)])
def test_object_headers_in_simple_style(app: MockApp, header: str, status: int) -> None:
    response = send(app, "GET", "/header", headers={"X-Point": header})
    assert response.status_code == status, response.text


def test_the_petstore_limit_outside_int32_is_400() -> None:
    app = MockApp(MockService.from_spec(PETSTORE))
    refused = send(app, "GET", "/v2/pets?limit=-2343887762581")
    assert refused.status_code == 400
    assert "limit" in refused.json()["message"]
    assert send(app, "GET", "/v2/pets?limit=2147483647").status_code == 200
