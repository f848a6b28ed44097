"""Differential test of the opt-in compiled build (`make compiled`, issue #19) against pure Python.

The same Hypothesis payloads (valid instances from the generated strategies, instances with one
constraint broken, instances with a subtree replaced by arbitrary JSON) go through the pure-Python
`graph_invite.validators` and `graph_invite.models` in this process and through the mypyc-compiled
ones in a worker process (`tests/compiled_worker.py`, with `build/compiled/site` first on its
path); verdicts, every error (path, schema path, rule, description, message, value), the models'
from_dict/to_dict round trips, reprs, copies and pickles must be identical. Runs only when a compiled build is present (`make compiled` builds one and
runs this file right after); a stale build (sources differ from generated/) is a failure.
"""

from __future__ import annotations

import importlib.machinery
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import graph_invite.models as pure_models
import graph_invite.strategies as strategies
import graph_invite.validators as pure_validators
import pytest
from hypothesis import strategies as st

from tests.compiled_worker import outcome, read_frame, write_frame
from tests.conftest import GENERATED, ROOT
from tests.strategies_differential import run_property
from tests.strategies_models import model_classes
from tests.strategies_mutation import json_values, mutated, with_arbitrary_subtree

SITE = ROOT / "build" / "compiled" / "site"
PACKAGE = pure_validators.__name__.split(".")[0]
SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
COMPILED = sorted(
    path for path in (SITE / PACKAGE).glob("validators*") if path.name.endswith(SUFFIXES)
)

pytestmark = pytest.mark.skipif(
    not COMPILED,
    reason="no compiled build in build/compiled/site: `make compiled` builds one (issue #19)",
)

NAMES = sorted(strategies.__all__)
MODELS = {name: cls.__name__ for name, cls in model_classes().items()}


class Worker:
    """The compiled build in a child process, asked one instance at a time."""

    def __init__(self) -> None:
        environment = {**os.environ, "PYTHONPATH": str(SITE)}
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("compiled_worker.py"))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment,
            cwd=SITE,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin, self.stdout = self.process.stdin, self.process.stdout
        greeting = read_frame(self.stdout)
        if not greeting:
            self.process.wait(timeout=60)
            assert self.process.stderr is not None
            pytest.fail(f"compiled worker did not start: {self.process.stderr.read().decode()}")
        self.origin: str = pickle.loads(greeting)

    def ask(self, name: str, instance: Any) -> dict[str, Any]:
        """The compiled build's outcome for one instance."""
        write_frame(self.stdin, pickle.dumps((name, MODELS.get(name), instance)))
        answer: dict[str, Any] = pickle.loads(read_frame(self.stdout))
        return answer

    def close(self) -> None:
        """End the worker (an empty frame) and wait for it."""
        write_frame(self.stdin, b"")
        self.process.wait(timeout=60)


@pytest.fixture(scope="module")
def worker() -> Iterator[Worker]:
    started = Worker()
    yield started
    started.close()


def test_the_build_is_compiled_and_current(worker: Worker) -> None:
    assert worker.origin.endswith(SUFFIXES), worker.origin
    assert Path(pure_validators.__file__ or "").suffix == ".py"
    # The wheel keeps the .py sources beside the extensions: they must be today's generated/.
    for module in ("validators", "models"):
        built = (SITE / PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        current = (GENERATED / PACKAGE / f"{module}.py").read_text(encoding="utf-8")
        assert built == current, f"stale compiled build ({module}.py): rerun `make compiled`"


def payloads(name: str) -> st.SearchStrategy[Any]:
    """Valid, mutated and partly arbitrary instances of one schema, and arbitrary JSON."""
    return st.one_of(
        getattr(strategies, name)(),
        mutated(name).map(lambda pair: pair[0]),
        with_arbitrary_subtree(name),
        json_values(max_leaves=10),
    )


@pytest.mark.parametrize("name", NAMES)
def test_compiled_and_pure_agree(worker: Worker, name: str) -> None:
    def same(instance: Any) -> None:
        expected = outcome(pure_validators, pure_models, name, MODELS.get(name), instance)
        assert worker.ask(name, instance) == expected

    run_property(payloads(name), same)
