"""The opt-in compiled build of a package generated from another spec than the Graph one (issue #19).

The typed emission must compile for any spec the generator accepts, not only the invite spec:
this generates Adyen's Disputes API (tests/public_specs), builds its platform wheel the way a
user would (`HATCH_BUILD_HOOK_ENABLE_CUSTOM=true pip wheel`, the package's own hatch_build.py runs
mypyc), and requires the compiled validators and models to give the same first error, every error
and (for a model's schema) the same models, round trips, copies and pickles as the pure-Python ones
on the package's own Hypothesis draws and on arbitrary JSON.

Building the wheel costs about 15 s of CPU (mypyc, then a C compiler), so `make test` skips this
file; `make compiled` runs it (INVITEGEN_COMPILED_SPECS=1).
"""

from __future__ import annotations

import importlib
import importlib.machinery
import os
import pickle
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.output.writer import write_tree
from generator.pipeline import build
from tests.conftest import ROOT
from tests.strategies_mutation import json_values

pytestmark = pytest.mark.skipif(
    os.environ.get("INVITEGEN_COMPILED_SPECS") != "1",
    reason="builds a mypyc wheel (about 15 s of CPU): `make compiled` runs it",
)

CORPUS = ROOT / "tests" / "public_specs"
SPEC = CORPUS / "adyen-DisputeService-v30.json"
PACKAGE = "corpus_compiled_adyen_disputes"
SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
DRAWS = 40  # instances per schema: valid draws and arbitrary JSON

# Run in a child process with one build first on the path: every (name, instance) -> outcome.
CHILD = """
import pickle, sys
from tests.compiled_worker import outcome
import {package}.models as models
import {package}.validators as validators
cases = pickle.load(sys.stdin.buffer)
answers = [outcome(validators, models, *case) for case in cases]
pickle.dump(((validators.__file__, models.__file__), answers), sys.stdout.buffer)
"""


MODELS: dict[str, str] = {}  # schema name -> model class name, filled by `built`


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(generated source, unpacked compiled wheel, the wheel file)."""
    root = tmp_path_factory.mktemp("compiled_spec")
    source, wheels, site = root / "source", root / "wheels", root / "site"
    generation = build(SPEC, project_root=CORPUS, package=PACKAGE)
    MODELS.update({model.snake_name: model.class_name for model in generation.api.models})
    write_tree(generation.files, source)
    pip = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps"]
    subprocess.run(
        [*pip, "--wheel-dir", str(wheels), str(source)],
        env={**os.environ, "HATCH_BUILD_HOOK_ENABLE_CUSTOM": "true"},
        check=True,
        timeout=1800,
    )
    (wheel,) = wheels.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return source, site, wheel


@pytest.fixture(scope="module")
def pure_package(built: tuple[Path, Path, Path]) -> Iterator[ModuleType]:
    """The generated package's pure-Python strategies module, imported in this process."""
    source = str(built[0])
    sys.path.insert(0, source)
    try:
        yield importlib.import_module(f"{PACKAGE}.strategies")
    finally:
        sys.path.remove(source)


def payloads(strategies: ModuleType, name: str) -> st.SearchStrategy[Any]:
    """Valid draws of one schema (the package's own strategy) and arbitrary JSON."""
    strategy: st.SearchStrategy[Any] = getattr(strategies, name)()
    return st.one_of(strategy, json_values(max_leaves=10))


def drawn(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """DRAWS instances of `strategy`, the same ones on every run."""
    found: list[Any] = []

    @settings(
        max_examples=DRAWS,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def collect(instance: Any) -> None:
        found.append(instance)

    collect()
    return found


def outcomes(
    location: Path, cases: list[tuple[str, str | None, Any]]
) -> tuple[tuple[str, str], list[Any]]:
    """The modules' files and the outcome of every case, with the build at `location` first on
    the path."""
    completed = subprocess.run(
        [sys.executable, "-c", CHILD.format(package=PACKAGE)],
        input=pickle.dumps(cases),
        capture_output=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(location), str(ROOT)])},
        cwd=location,
        timeout=600,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr.decode()[-3000:]
    result: tuple[tuple[str, str], list[Any]] = pickle.loads(completed.stdout)
    return result


def test_the_wheel_is_a_platform_wheel_with_compiled_validators_and_models(
    built: tuple[Path, Path, Path],
) -> None:
    _, site, wheel = built
    assert not wheel.name.endswith("-none-any.whl"), wheel.name
    extensions = [path.name for path in (site / PACKAGE).iterdir() if path.name.endswith(SUFFIXES)]
    for module in ("validators", "models"):
        assert any(name.startswith(f"{module}.") for name in extensions), extensions
        # The sources stay beside the extension modules: deleting one falls back to pure Python.
        assert (site / PACKAGE / f"{module}.py").is_file()


def test_compiled_and_pure_agree(built: tuple[Path, Path, Path], pure_package: ModuleType) -> None:
    source, site, _ = built
    names = sorted(pure_package.__all__)
    cases = [
        (name, MODELS.get(name), instance)
        for name in names
        for instance in drawn(payloads(pure_package, name))
    ]
    pure_files, pure = outcomes(source, cases)
    compiled_files, compiled = outcomes(site, cases)
    assert all(path.endswith(".py") for path in pure_files), pure_files
    assert all(path.endswith(SUFFIXES) for path in compiled_files), compiled_files
    assert any("round_trip" in answer for answer in pure), "no model schema was drawn"
    assert any(answer["first"] is None for answer in pure), "no valid instance was drawn"
    assert any(answer["first"] is not None for answer in pure), "no invalid instance was drawn"
    for case, expected, answer in zip(cases, pure, compiled, strict=True):
        assert answer == expected, case
