"""Third-party contract check: schemathesis drives the spec against the mock; nothing may disagree.

Schemathesis sends every operation to its path's first server only, so each version prefix gets a
test of its own over the operations its servers list (v1.0 and beta), with that prefix as base URL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, settings
from schemathesis.filters import HasAPIOperation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from generator.mock.server import MockServer, MockService
from tests.conftest import ROOT, SPEC

# Bounded so the whole module stays well under a minute on two cores; `deep` digs further.
MAX_EXAMPLES = {"ci": 8, "deep": 100}.get(os.environ.get("HYPOTHESIS_PROFILE", ""), 15)
AUTHORIZATION = {"Authorization": "Bearer schemathesis-token"}
GRAPH = "https://graph.microsoft.com"

SCHEMA = schemathesis.openapi.from_path(SPEC)
_PATHS = yaml.safe_load(SPEC.read_text(encoding="utf-8"))["paths"]


def served_check(prefix: str) -> Callable[[HasAPIOperation], bool]:
    """Whether an operation's path lists the server `https://graph.microsoft.com<prefix>`."""

    def is_served(context: HasAPIOperation) -> bool:
        servers = _PATHS[context.operation.path].get("servers", [])
        return any(server["url"] == GRAPH + prefix for server in servers)

    is_served.__name__ = f"served_from_{prefix.strip('/').replace('.', '_')}"
    return is_served


def served_from(prefix: str) -> schemathesis.BaseSchema:
    """The operations whose path lists the server `https://graph.microsoft.com<prefix>`."""
    return SCHEMA.include(served_check(prefix))


V1 = served_from("/v1.0")
BETA = served_from("/beta")


@pytest.fixture(scope="module")
def mock_url() -> Iterator[str]:
    with MockServer(MockService.from_spec(SPEC)) as server:
        yield server.url


# A random `If-Match` tag rightly gets the documented 412, which this check counts as rejecting
# valid data (it accepts only 2xx, 3xx, 401, 403, 404, 409, 429 and 5xx).
EXCLUDED = [positive_data_acceptance]

CONTRACT_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@V1.parametrize()
@CONTRACT_SETTINGS
def test_v1_operations_conform(case: schemathesis.Case, mock_url: str) -> None:
    case.call_and_validate(
        base_url=mock_url + "/v1.0", headers=AUTHORIZATION, timeout=10, excluded_checks=EXCLUDED
    )


@BETA.parametrize()
@CONTRACT_SETTINGS
def test_beta_operations_conform(case: schemathesis.Case, mock_url: str) -> None:
    case.call_and_validate(
        base_url=mock_url + "/beta", headers=AUTHORIZATION, timeout=10, excluded_checks=EXCLUDED
    )


def test_every_operation_is_checked_under_each_of_its_servers() -> None:
    # One check per operation (method) and server: a path can hold several operations.
    served = {
        (path, method, server["url"])
        for path, item in _PATHS.items()
        for method in item
        if method in {"get", "put", "post", "patch", "delete"}
        for server in item["servers"]
    }
    counted = V1.statistic.operations.selected + BETA.statistic.operations.selected
    assert counted == len(served) > len(_PATHS)


# Stateful: schemathesis follows the OpenAPI links of a Graph-shaped spec (invite -> list, get,
# update, delete; createLink -> get, delete) against the mock's Graph layer; a petstore (plain
# layer) shows the same for a spec that is not Graph's.
SHARING = ROOT / "tests" / "data" / "mock" / "graph-sharing.yaml"
PETSTORE = ROOT / "tests" / "data" / "mock" / "petstore-expanded.yaml"
# A DELETE whose If-Match names another ETag is refused with 412, as Graph does: schema-valid data
# that is rightly refused, so 412 joins the statuses schemathesis accepts for valid data.
STATEFUL_CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "412", "429", "5xx"]
            }
        }
    }
)
STATEFUL_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize(("spec", "prefix"), [(SHARING, "/v1.0"), (PETSTORE, "/v2")])
def test_stateful_links_against_the_mock(spec: Path, prefix: str) -> None:
    operations: set[str] = set()  # every operation the walk called, over all scenarios
    with MockServer(MockService.from_spec(spec)) as server:
        machine = schemathesis.openapi.from_path(spec, config=STATEFUL_CONFIG).as_state_machine()

        class Machine(machine):  # type: ignore[misc, valid-type]
            def setup(self) -> None:
                # Each scenario starts from an empty store: Hypothesis replays scenarios, and a
                # replay that met the state an earlier one left would take other links.
                operations.update(entry.operation_id for entry in server.requests)
                server.state.reset()

            def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
                return {"base_url": server.url + prefix, "headers": AUTHORIZATION, "timeout": 10}

        Machine.run(settings=STATEFUL_SETTINGS)
        operations.update(entry.operation_id for entry in server.requests)
    expected = {op.operation_id for op in MockService.from_spec(spec).api.operations}
    assert operations == expected


# The project spec declares no OpenAPI links, so its stateful walk adds the ones Graph's sharing
# semantics give (here, not in spec/: a link in the spec would become part of the published
# contract): on one item, invite and list name permissions that get, update and delete take;
# createLink names a permission and the sharing URL grant takes.
_PERMISSION_IDS = {"invite": "/value/0/id", "list": "/value/0/id", "create_link": "/id"}


def _linked_project_spec() -> dict[str, object]:
    """The project spec with links between the sharing operations of each item path."""
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    service = MockService.from_spec(SPEC)
    shapes = getattr(service.layer, "shapes")  # noqa: B009 (the Graph layer's table)
    kinds = {op.pointer: shapes[op.pointer].kind for op in service.api.operations}
    item_of = {
        op.pointer: op.path.rsplit("/", 2 if op.path.endswith("}") else 1)[0]
        for op in service.api.operations
    }
    grant = next(op for op in service.api.operations if kinds[op.pointer] == "grant")
    for source in service.api.operations:
        pointer = _PERMISSION_IDS.get(kinds[source.pointer])
        if pointer is None:
            continue
        links: dict[str, object] = {}
        for target in service.api.operations:
            if kinds[target.pointer] in ("get", "update", "delete") and (
                item_of[target.pointer] == item_of[source.pointer]
            ):
                names = [p.name for p in target.parameters if p.location == "path"]
                parameters = {name: f"$request.path.{name}" for name in names[:-1]}
                parameters[names[-1]] = f"$response.body#{pointer}"
                links[target.operation_id] = {
                    "operationId": target.operation_id,
                    "parameters": parameters,
                }
        if kinds[source.pointer] == "create_link":
            links[grant.operation_id] = {
                "operationId": grant.operation_id,
                "parameters": {"encoded-sharing-url": "$response.body#/shareId"},
            }
        status = "201" if kinds[source.pointer] == "create_link" else "200"
        responses = data["paths"][source.path][source.method.lower()]["responses"]
        response = responses[status]
        if "$ref" in response:  # a reference may not carry links: inline the response
            name = response["$ref"].rsplit("/", 1)[1]
            response = dict(data["components"]["responses"][name])
        responses[status] = {**response, "links": links}
    return dict(data)


def test_stateful_links_across_the_project_spec() -> None:
    schema = schemathesis.openapi.from_dict(_linked_project_spec(), config=STATEFUL_CONFIG)
    machine = schema.include(served_check("/v1.0")).as_state_machine()
    service = MockService.from_spec(SPEC)
    shapes = getattr(service.layer, "shapes")  # noqa: B009 (the Graph layer's table)
    kind_of = {f"{op.method} {op.path}": shapes[op.pointer].kind for op in service.api.operations}
    answered: set[tuple[str, int]] = set()  # (kind, status class) over every scenario
    with MockServer(service) as server:

        class Machine(machine):  # type: ignore[misc, valid-type]
            def setup(self) -> None:
                server.state.reset()  # each scenario on an empty store (see above)

            def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
                return {"base_url": server.url + "/v1.0", "headers": AUTHORIZATION, "timeout": 10}

            def after_call(self, response: Any, case: schemathesis.Case) -> None:
                answered.add((kind_of[case.operation.label], response.status_code // 100))

        Machine.run(settings=STATEFUL_SETTINGS)
    # Links were followed: only a followed link gives get/update/delete the id of a permission
    # that exists. (Which kinds a bounded walk reaches depends on the Hypothesis profile; with
    # the default profile it reaches all seven, grant included, but `ci` can miss grant.)
    assert {"invite", "create_link", "list"} <= {kind for kind, _ in answered}, answered
    assert {("get", 2), ("update", 2), ("delete", 2)} & answered, answered
