"""Issues 13 and 18 (H2, Low): large specs generate, output grows linearly, `info.version`.

Nothing here is timed: work is counted (calls into `generator/`, bytes of output), never measured
on a clock. `make bench` (bench/scale.py) reports the times.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import tomllib
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from packaging.version import Version
from referencing import Registry, Resource

from bench.scale import ring_spec, synthesize
from generator import pipeline
from generator.emit.schemas import ID_BASE, SHARED_DEFS
from generator.emit.validators import compile_schema
from generator.errors import SpecErrors
from generator.output import writer
from generator.pipeline import build
from generator.version import __version__
from tests.test_compile_schema import load
from tests.test_hostile_growth import count_calls, spec_with


@pytest.fixture(autouse=True)
def _no_black(monkeypatch: pytest.MonkeyPatch) -> None:
    """black is the same linear cost for every file; these tests count the generator's work."""
    monkeypatch.setattr(writer, "format_sources", list)


def _build(spec: dict[str, Any], folder: Path) -> pipeline.Generation:
    path = folder / "spec.json"
    path.write_text(json.dumps(spec), encoding="utf-8")
    return build(path, project_root=folder, package="scale")


def _schemas(generation: pipeline.Generation) -> dict[str, Any]:
    return {
        path.name: json.loads(text)
        for path, text in generation.files.items()
        if path.parts[0] == "schemas"
    }


def _schema_bytes(generation: pipeline.Generation) -> int:
    return sum(len(text) for path, text in generation.files.items() if path.parts[0] == "schemas")


def test_a_synthetic_spec_generates_one_method_per_operation(tmp_path: Path) -> None:
    """Issue 13's large spec (500 operations, 1,000 schemas) at a tenth of its size."""
    generation = _build(synthesize(50, 100), tmp_path)
    assert len(generation.api.operations) == 50
    assert len(generation.api.schema_files) == 100
    client = generation.files[PurePosixPath("scale/client.py")].decode()
    compile(client, "client.py", "exec")
    assert all(f"def operation{index}(" in client for index in range(50))


def test_synthetic_spec_work_grows_linearly(tmp_path: Path) -> None:
    """Three times the spec costs under four times the calls (quadratic work would be nine)."""
    small = count_calls(synthesize(5, 10), tmp_path)
    large = count_calls(synthesize(15, 30), tmp_path, budget=4 * small)
    assert large <= 4 * small


def test_a_ring_of_schemas_shares_its_definitions(tmp_path: Path) -> None:
    """Issue 18 H2: every file of a ring bundled every schema (1,000 schemas wrote 133 MB)."""
    small = _build(ring_spec(100), tmp_path)
    large = _build(ring_spec(300), tmp_path)
    assert 2.5 * _schema_bytes(small) < _schema_bytes(large) < 3.5 * _schema_bytes(small)
    schemas = _schemas(large)
    assert len(schemas) == 301
    assert len(schemas[SHARED_DEFS]["$defs"]) == 300
    assert schemas["s7.schema.json"]["$ref"] == f"{SHARED_DEFS}#/$defs/s7"
    assert "$defs" not in schemas["s7.schema.json"]


def test_a_ring_costs_linear_work(tmp_path: Path) -> None:
    small = count_calls(ring_spec(50), tmp_path)
    large = count_calls(ring_spec(150), tmp_path, budget=4 * small)
    assert large <= 4 * small


def test_shared_schema_files_load_with_a_registry(tmp_path: Path) -> None:
    """How the README says to load them: python-jsonschema with a `referencing` registry, and
    our own compiler with the same documents by `$id`."""
    schemas = _schemas(_build(ring_spec(100), tmp_path))
    documents = {document["$id"]: document for document in schemas.values()}
    registry = Registry().with_resources(
        (uri, Resource.from_contents(document)) for uri, document in documents.items()
    )
    entry = schemas["s0.schema.json"]
    valid = {"name": "a", "next": {"name": "b", "next": {}}}
    invalid = {"next": {"next": {"name": 1}}}
    validator = Draft202012Validator(entry, registry=registry)
    assert validator.is_valid(valid)
    [error] = validator.iter_errors(invalid)
    assert list(error.absolute_path) == ["next", "next", "name"]
    module = load(compile_schema(entry, registry=documents))
    module.validate(valid)
    with pytest.raises(module.ValidationError):
        module.validate(invalid)
    assert f"{ID_BASE}{SHARED_DEFS}" in documents


def test_small_specs_keep_self_contained_files(tmp_path: Path) -> None:
    """A ring of 5 bundles 5 definitions per file: within the budget, so no registry needed."""
    schemas = _schemas(_build(ring_spec(5), tmp_path))
    assert SHARED_DEFS not in schemas
    entry = schemas["s0.schema.json"]
    assert sorted(entry["$defs"]) == [f"s{index}" for index in range(5)]
    assert Draft202012Validator(entry).is_valid({"next": {"next": {"name": "x"}}})


def test_output_over_the_limit_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "MAX_OUTPUT_BYTES", 100_000)
    with pytest.raises(SpecErrors) as failure:
        _build(ring_spec(100), tmp_path)
    [error] = failure.value.errors
    assert (error.pointer, error.line, error.column) == ("#", 1, 1)
    assert error.message.startswith("the generated files would total ")
    assert error.message.endswith("; the limit is 100,000")
    # models.py: a class, a decoder and a loader per schema (validators.py: three functions).
    assert "largest: scale/models.py" in error.message


def _pyproject_version(generation: pipeline.Generation) -> str:
    text = generation.files[PurePosixPath("pyproject.toml")].decode()
    version: str = tomllib.loads(text)["project"]["version"]
    Version(version)  # raises InvalidVersion: pip and hatch would refuse the package
    return version


@pytest.mark.parametrize(
    ("spec_version", "package_version"),
    [
        ("1.2.0", "1.2.0"),
        ("v1.0", "1.0"),
        ("2.0-rc.1", "2.0rc1"),
        ("1.0+build.7", "1.0+build.7"),
    ],
)
def test_a_pep440_info_version_is_normalised(
    tmp_path: Path, spec_version: str, package_version: str
) -> None:
    spec = spec_with({}, {})
    spec["info"]["version"] = spec_version
    generation = _build(spec, tmp_path)
    assert not [w for w in generation.api.warnings if w.pointer == "#/info/version"]
    expected = f"{package_version}{'.' if '+' in package_version else '+'}invitegen.{__version__}"
    assert _pyproject_version(generation) == expected


@pytest.mark.parametrize(
    ("spec_version", "local"),
    [
        ("2023-10-16", "spec.2023.10.16"),
        ("1.0.0-SNAPSHOT", "spec.1.0.0.snapshot"),
        ('1"\n[x]\nname = "evil', "spec.1.x.name.evil"),
        ("", "spec"),
    ],
)
def test_other_info_versions_warn_at_their_place_and_are_normalised(
    tmp_path: Path, spec_version: str, local: str
) -> None:
    spec = spec_with({}, {})
    spec["info"]["version"] = spec_version
    path = tmp_path / "spec.yaml"
    lines = json.dumps(spec, indent=1).splitlines()
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    generation = build(path, project_root=tmp_path, package="scale")
    package_version = f"0+{local}.invitegen.{__version__}"
    assert _pyproject_version(generation) == package_version
    [warning] = [w for w in generation.api.warnings if w.pointer == "#/info/version"]
    line = next(number for number, text in enumerate(lines, 1) if '"version":' in text)
    assert (Path(warning.file).name, warning.line) == ("spec.yaml", line)
    message = f"not a PEP 440 version; the generated package's version is {package_version}"
    assert warning.message == message
