"""Public OpenAPI 3.0/3.1 documents (tests/public_specs/, licences in LICENSES.md there) generate
packages that import without side effects, pass `mypy --strict`, have one client method per
operation, and whose models round-trip what their own strategies draw."""

from __future__ import annotations

import ast
import importlib
import os
import subprocess
import sys
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from generator.emit.strategies import strategy_function_names
from generator.output.writer import write_tree
from generator.pipeline import Generation, build
from generator.spec.loader import load_document
from generator.spec.refs import resolve_spec
from tests.body_round_trip import check_bodies_round_trip
from tests.conftest import ROOT

CORPUS = ROOT / "tests" / "public_specs"
# Single-file documents, and multi-file ones as a folder with an `openapi.yaml`.
SPECS = sorted([*CORPUS.glob("*.yaml"), *CORPUS.glob("*.json"), *CORPUS.glob("*/openapi.yaml")])
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def name_of(spec: Path) -> str:
    """The document's name: its file's, or its folder's for a multi-file document."""
    return spec.stem if spec.parent == CORPUS else spec.parent.name


def package_of(spec: Path) -> str:
    """A distinct package name per document (two of them are both titled `Swagger Petstore`)."""
    return "corpus_" + name_of(spec).replace("-", "_").replace(".", "_")


def operation_count(spec: Path) -> int:
    """Operations of the document, path items in other files included."""
    resolved = resolve_spec(spec)
    paths = resolved.data.get("paths") or {}
    items = [resolved.deref(item, "#/paths")[0] for item in paths.values()]
    return sum(1 for item in items for method in METHODS if method in item)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Generation, Path]]:
    """Every document generated once, each into its own folder."""
    generated: dict[str, tuple[Generation, Path]] = {}
    root = tmp_path_factory.mktemp("corpus")
    for spec in SPECS:
        generation = build(spec, project_root=CORPUS, package=package_of(spec))
        out = root / name_of(spec)
        write_tree(generation.files, out)
        generated[name_of(spec)] = (generation, out)
    return generated


def client_methods(source: bytes) -> list[str]:
    """Public method names of `ApiClient` in a generated client module."""
    tree = ast.parse(source)
    client = next(
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "ApiClient"
    )
    return [
        node.name
        for node in client.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    ]


def test_the_corpus_holds_3_0_and_3_1_documents() -> None:
    versions = {str(load_document(spec).data["openapi"])[:3] for spec in SPECS}
    assert versions == {"3.0", "3.1"} and len(SPECS) >= 10
    assert (CORPUS / "LICENSES.md").is_file()


@pytest.mark.parametrize("spec", SPECS, ids=[name_of(spec) for spec in SPECS])
def test_one_client_method_per_operation(
    spec: Path, corpus: dict[str, tuple[Generation, Path]]
) -> None:
    generation, _ = corpus[name_of(spec)]
    package = package_of(spec)
    methods = client_methods(generation.files[PurePosixPath(package, "client.py")])
    assert len(methods) == len(set(methods)) == operation_count(spec)
    assert len(generation.api.operations) == operation_count(spec)


@pytest.mark.parametrize("spec", SPECS, ids=[name_of(spec) for spec in SPECS])
def test_the_strategies_docstring_example_is_python_naming_a_strategy(
    spec: Path, corpus: dict[str, tuple[Generation, Path]]
) -> None:
    """The usage example in `strategies.py`'s docstring parses and imports a function the module
    defines; a spec without schemas says it has none (it printed `import ` with no name)."""
    generation, _ = corpus[name_of(spec)]
    tree = ast.parse(generation.files[PurePosixPath(package_of(spec), "strategies.py")])
    docstring = ast.get_docstring(tree) or ""
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    example = "\n".join(line[4:] for line in docstring.splitlines() if line.startswith("    "))
    if not example:
        assert "defines no strategies" in docstring and not defined
        return
    imports = [node for node in ast.parse(example).body if isinstance(node, ast.ImportFrom)]
    assert imports[-1].module == f"{package_of(spec)}.strategies"
    assert {alias.name for alias in imports[-1].names} <= defined


@pytest.mark.parametrize("spec", SPECS, ids=[name_of(spec) for spec in SPECS])
def test_imports_without_side_effects(
    spec: Path, corpus: dict[str, tuple[Generation, Path]]
) -> None:
    _, out = corpus[name_of(spec)]
    package = package_of(spec)
    before = sorted(path.relative_to(out) for path in out.rglob("*"))
    code = (
        f"import sys, {package}, {package}.client, {package}.models, {package}.validators\n"
        "assert 'httpx' not in sys.modules, 'httpx imported at import time'\n"
        "print('ok')"
    )
    environment = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(out)}
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=out,
        env=environment,
        timeout=60,
        check=False,
    )
    assert completed.stdout.strip() == "ok", completed.stderr[-3000:]
    assert sorted(path.relative_to(out) for path in out.rglob("*")) == before


def test_every_package_passes_mypy_strict(
    corpus: dict[str, tuple[Generation, Path]], tmp_path: Path
) -> None:
    """One mypy run over all packages (their names are distinct), on a fresh cache."""
    folders = [str(out) for _, out in corpus.values()]
    arguments = [item for spec in SPECS for item in ("-p", package_of(spec))]
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), *arguments],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": os.pathsep.join(folders)},
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


@pytest.mark.parametrize("spec", SPECS, ids=[name_of(spec) for spec in SPECS])
def test_models_round_trip_their_strategies(
    spec: Path, corpus: dict[str, tuple[Generation, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    generation, out = corpus[name_of(spec)]
    monkeypatch.syspath_prepend(str(out))
    package = package_of(spec)
    models = importlib.import_module(f"{package}.models")
    strategies = importlib.import_module(f"{package}.strategies")
    names = strategy_function_names(generation.api)
    pairs: list[tuple[Any, Any]] = [
        (getattr(models, model.class_name), getattr(strategies, names[model.name]))
        for model in generation.api.models
        if model.name in names
    ]
    if not pairs:
        pytest.skip("the document has no object schemas in components")

    # One run per model: drawing them all in each example overran Hypothesis' buffer on large specs.
    for model, strategy in pairs:
        if strategy().is_empty:
            continue  # a schema no instance fits: nothing to round-trip (its docstring says why)

        @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
        @given(payload=strategy())
        def round_trip(payload: Any) -> None:
            if payload is None:
                return  # a nullable component: null is a field's value, not a model's
            assert model.from_dict(payload).to_dict() == payload  # noqa: B023 (run at once)

        round_trip()


@pytest.mark.parametrize("spec", SPECS, ids=[name_of(spec) for spec in SPECS])
def test_every_json_body_round_trips(
    spec: Path, corpus: dict[str, tuple[Generation, Path]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every JSON request and response body, decoded and encoded as the client does it."""
    generation, out = corpus[name_of(spec)]
    monkeypatch.syspath_prepend(str(out))
    count = check_bodies_round_trip(
        generation.api, package_of(spec), importlib.import_module, examples=10
    )
    if not count:
        pytest.skip("the document has no JSON bodies with a schema")
