"""Third-party contract check: schemathesis drives the spec against the mock; nothing may disagree.

Schemathesis sends every operation to its path's first server only, so each version prefix gets a
test of its own over the operations its servers list (v1.0 and beta), with that prefix as base URL.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

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


def served_from(prefix: str) -> schemathesis.BaseSchema:
    """The operations whose path lists the server `https://graph.microsoft.com<prefix>`."""

    def is_served(context: HasAPIOperation) -> bool:
        servers = _PATHS[context.operation.path].get("servers", [])
        return any(server["url"] == GRAPH + prefix for server in servers)

    is_served.__name__ = f"served_from_{prefix.strip('/').replace('.', '_')}"
    return SCHEMA.include(is_served)


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
