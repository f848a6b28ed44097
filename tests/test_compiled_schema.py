"""`invitegen compile-schema --compiled` (issue #19): the module compile-schema writes, built by
mypyc into an extension module beside it (`generator/native.py`), gives the pure module's
verdicts and errors: the same first error and every error, on the same instances. With
`--compiled` the module holds every function as code (`compile_schema(deferred=False)`), not as
source compiled on first call, so the default, deferred module is compared too.

The compiled modules are the invite request's schema (formats asserted, an `anyOf` of `required`
lists) and a real-world schema of the corpus (GitHub Actions' `action.yml`, whose `oneOf`/`anyOf`
errors explain each branch). Building costs about 10-15 s of CPU per schema, so
`make test` skips those tests; `make compiled` runs them (INVITEGEN_COMPILED_SPECS=1). What needs
no C compiler (a stale build removed, a module name mypyc cannot take) runs everywhere.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import graph_invite.strategies as invite_strategies
import pytest
from hypothesis import strategies as st

from generator.cli import main
from generator.emit.validators import compile_schema
from tests.compiled_worker import error_fields
from tests.conftest import ROOT
from tests.strategies_differential import run_property
from tests.strategies_mutation import apply_at, instance_paths, json_values, mutated

needs_build = pytest.mark.skipif(
    os.environ.get("INVITEGEN_COMPILED_SPECS") != "1",
    reason="builds mypyc extensions (about 10-15 s of CPU each): `make compiled` runs it",
)

CORPUS = ROOT / "tests" / "schema_corpus"
SUFFIXES = tuple(importlib.machinery.EXTENSION_SUFFIXES)
SCHEMA = ROOT / "generated" / "schemas" / "drive_recipient.schema.json"
# Module name -> (schema, compile-schema options, the corpus folder of its instances).
BUILDS: dict[str, tuple[Path, list[str], str]] = {
    "compiled_schema_invite_request": (
        ROOT / "generated" / "schemas" / "invite_request.schema.json",
        ["--assert-formats"],
        "",
    ),
    "compiled_schema_github_action": (
        CORPUS / "schemas" / "github-action.json",
        ["--registry", str(CORPUS / "registry")],
        "github-action",
    ),
}


def answers(module: ModuleType, instance: Any) -> tuple[Any, Any]:
    """The first error and every error of `instance` (a crash must crash alike in both)."""
    try:
        module.validate(instance)
        first = None
    except module.ValidationError as error:
        first = error_fields(error)
    except Exception as error:
        first = ("crash", type(error).__name__, str(error))
    try:
        every: Any = [error_fields(error) for error in module.iter_errors(instance)]
    except Exception as error:
        every = ("crash", type(error).__name__, str(error))
    return first, every


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Any, ...]]]:
    """Module name -> (pure module, compiled module, the default deferred module), all written
    by `compile-schema`."""
    folder = tmp_path_factory.mktemp("compiled_schema")
    for name, (schema, options, _) in BUILDS.items():
        output = str(folder / f"{name}.py")
        assert main(["compile-schema", str(schema), "-o", output, "--compiled", *options]) == 0
        output = str(folder / "deferred" / f"{name}.py")
        assert main(["compile-schema", str(schema), "-o", output, *options]) == 0
    sys.path.insert(0, str(folder))
    try:
        modules = {}
        for name in BUILDS:
            pure = load_file(folder / f"{name}.py", f"pure_{name}")
            deferred = load_file(folder / "deferred" / f"{name}.py", f"deferred_{name}")
            modules[name] = (pure, importlib.import_module(name), deferred)
        yield modules
    finally:
        sys.path.remove(str(folder))
        for name in BUILDS:
            sys.modules.pop(name, None)


def load_file(path: Path, name: str) -> ModuleType:
    """The Python source at `path`, imported as `name`."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_instances(folder: str) -> list[Any]:
    """The corpus's valid and invalid documents of one schema."""
    paths = sorted((CORPUS / "positive" / folder).glob("*.json"))
    paths += sorted((CORPUS / "negative" / folder).glob("*.json"))
    return [json.loads(path.read_text(encoding="utf-8")) for path in paths]


def instances(name: str) -> st.SearchStrategy[Any]:
    """Valid draws and mutations (the invite request), corpus documents with one value
    replaced by any JSON (the corpus schema), and arbitrary JSON."""
    if name == "compiled_schema_invite_request":
        return st.one_of(
            invite_strategies.invite_request(),
            mutated("invite_request").map(lambda pair: pair[0]),
            json_values(max_leaves=10),
        )
    documents = corpus_instances(BUILDS[name][2])

    @st.composite
    def with_any_value(draw: st.DrawFn) -> Any:
        document = draw(st.sampled_from(documents))
        path = draw(st.sampled_from(list(instance_paths(document))))
        value = draw(json_values(max_leaves=10))
        return apply_at(document, path, lambda old: value)

    return st.one_of(st.sampled_from(documents), with_any_value(), json_values(max_leaves=10))


@needs_build
@pytest.mark.parametrize("name", sorted(BUILDS))
def test_the_compiled_module_gives_the_pure_modules_verdicts_and_errors(
    built: dict[str, tuple[Any, ...]], name: str
) -> None:
    pure, compiled, deferred = built[name]
    assert pure.__file__.endswith(".py") and compiled.__file__.endswith(SUFFIXES)
    assert not hasattr(pure, "_DEFERRED") and hasattr(deferred, "_DEFERRED")
    seen: list[tuple[Any, Any]] = []

    def agree(instance: Any) -> None:
        expected = answers(pure, instance)
        assert answers(compiled, instance) == expected
        assert answers(deferred, instance) == expected
        seen.append(expected)

    if BUILDS[name][2]:
        for document in corpus_instances(BUILDS[name][2]):
            agree(document)
    run_property(instances(name), agree)
    assert any(first is None for first, _ in seen), "no valid instance was checked"
    assert any(first is not None for first, _ in seen), "no invalid instance was checked"


@needs_build
def test_the_compiled_module_explains_each_failed_branch(
    built: dict[str, tuple[Any, ...]],
) -> None:
    """An anyOf error of the invite request says why each branch failed, in every module."""
    recipient_without_address = {"recipients": [{}], "roles": ["read"]}
    pure, compiled, deferred = built["compiled_schema_invite_request"]
    first, _ = answers(compiled, recipient_without_address)
    assert first[2] == "anyOf" and "0: " in first[3] and "2: " in first[3]
    assert first == answers(pure, recipient_without_address)[0]
    assert first == answers(deferred, recipient_without_address)[0]


def test_compile_schema_removes_an_earlier_compiled_build_it_would_be_shadowed_by(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "recipient.py"
    stale = tmp_path / f"recipient{SUFFIXES[0]}"
    stale.write_bytes(b"not a real extension")
    other = tmp_path / f"other{SUFFIXES[0]}"
    other.write_bytes(b"someone else's")
    assert main(["compile-schema", str(SCHEMA), "-o", str(output), "--no-format"]) == 0
    assert output.is_file() and not stale.exists() and other.exists()
    assert f"removed {stale}" in capsys.readouterr().out


def test_compile_schema_compiled_refuses_a_module_name_mypyc_cannot_take(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "drive-recipient.py"
    code = main(["compile-schema", str(SCHEMA), "-o", str(output), "--no-format", "--compiled"])
    assert code == 1 and output.is_file()
    assert not list(tmp_path.glob(f"drive-recipient*{SUFFIXES[0]}"))
    assert "needs a Python identifier" in capsys.readouterr().err


def test_a_module_without_deferred_functions_gives_the_same_errors(tmp_path: Path) -> None:
    """`compile_schema(deferred=False)` (what `--compiled` builds) writes every function as code,
    explanations of failed branches included, and gives the deferred module's errors."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    sources = {
        "as_code": compile_schema(schema, deferred=False),
        "deferred": compile_schema(schema),
    }
    assert "_DEFERRED" not in sources["as_code"] and "_DEFERRED" in sources["deferred"]
    modules = {}
    for name, source in sources.items():
        (tmp_path / f"{name}.py").write_text(source, encoding="utf-8")
        modules[name] = load_file(tmp_path / f"{name}.py", f"recipient_{name}")
    for instance in ({}, {"email": 1}, {"alias": "a", "extra": 1}, {"objectId": "o"}, []):
        assert answers(modules["as_code"], instance) == answers(modules["deferred"], instance)
    first, _ = answers(modules["as_code"], {})
    assert first[2] == "anyOf" and "0: " in first[3]
