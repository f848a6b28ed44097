"""Shared test setup: Hypothesis profiles and paths to the repository's own files."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import hypothesis.core
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.vendor import pretty

from tests.tree_guard import tree_state, written

if TYPE_CHECKING:
    # Imported by the fixtures when a test uses them, not by every test run (issue #12).
    from generator.mock.server import MockServer, MockService

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "driveitem-invite.yaml"
GENERATED = ROOT / "generated"

# `ci` (make test): reproducible and bounded so the suite stays well under 10 minutes on 2 cores.
# `deep` (make test-deep): 20x the examples, random seeds, for hunting rare failures.
settings.register_profile(
    "ci",
    max_examples=100,
    derandomize=True,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "deep",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=100, deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

_TREE_BEFORE = pytest.StashKey[dict[str, str] | None]()


def pytest_sessionstart(session: pytest.Session) -> None:
    """Note the checkout's changed files (controller only: xdist workers share its tree)."""
    if not hasattr(session.config, "workerinput") and os.environ.get("UPDATE_SNAPSHOTS") != "1":
        session.config.stash[_TREE_BEFORE] = tree_state(ROOT)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run when a test wrote into the source tree (tests write under `tmp_path`)."""
    before = session.config.stash.get(_TREE_BEFORE, None)
    after = tree_state(ROOT) if before is not None else None
    if before is None or after is None:
        return
    changes = written(before, after)
    if changes:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write("\n")
            reporter.write_line("tests wrote into the source tree (git status):", red=True)
            for entry in changes:
                reporter.write_line(f"  {entry}", red=True)
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _hypothesis_prints_falsifying_examples(request: pytest.FixtureRequest) -> None:
    """Undo schemathesis' speed patch, which replaces Hypothesis' printer with one that prints nothing.

    Its pytest plugin swaps `hypothesis.core.RepresentationPrinter` process-wide, so without this
    every other property test would report a failing example as `data=,`.
    """
    if request.node.path.name != "test_schemathesis.py":
        hypothesis.core.RepresentationPrinter = pretty.RepresentationPrinter  # type: ignore[misc]


# The spec-driven mock Graph service on an ephemeral loopback port, shared by the mock and
# contract tests: one server per test module, its journal, faults and permissions reset for every
# test.
@pytest.fixture(scope="module")
def service() -> MockService:
    """The mock service built from the repository's spec (with the Graph layer)."""
    from generator.mock.service import MockService

    return MockService.from_spec(SPEC)


@pytest.fixture(scope="module")
def running(service: MockService) -> Iterator[MockServer]:
    """The module's running server; stopped (thread joined) when the module is done."""
    from generator.mock.server import MockServer

    with MockServer(service) as server:
        yield server


@pytest.fixture
def server(running: MockServer) -> MockServer:
    """The module's server with a fresh journal, fault ledger and store for each test."""
    running.state.reset()
    return running
