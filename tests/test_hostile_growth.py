"""Issue 18, hostile specs that cost: work and output grow (near) linearly with the spec.

Work is counted, never timed: a profile hook counts calls into `generator/` while one spec is
built, and stops the build (failing the test) once a shape with 30 levels has cost more than a
few times what it cost with 10. Before memoisation `g{i} = allOf: [$ref g{i+1}, $ref g{i+1}]`
took 2**30 steps; here it takes three times the 10-level count.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from generator.diff.compare import diff_specs, load_spec
from generator.errors import SpecErrors
from generator.ir.schema import MAX_ENUM_VALUES
from generator.output import writer
from generator.pipeline import build
from tests.conftest import ROOT

GENERATOR = str(ROOT / "generator")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def spec_with(schemas: dict[str, Any], request_properties: dict[str, Any]) -> dict[str, Any]:
    """The smallest spec today's generator accepts, with `schemas` and extra request properties."""
    request = {"type": "object", "properties": {"email": {"type": "string"}, **request_properties}}
    response = {
        "type": "object",
        "properties": {"value": {"type": "array", "items": _ref("request")}},
    }
    body = {"application/json": {"schema": _ref("request")}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "servers": [{"url": "https://graph.test/v1"}],
        "paths": {
            "/items/{id}/invite": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "post": {
                    "operationId": "invite",
                    "requestBody": {"content": body},
                    "responses": {
                        "200": {
                            "description": "ok",
                            "content": {"application/json": {"schema": _ref("response")}},
                        }
                    },
                },
            }
        },
        "components": {"schemas": {**schemas, "request": request, "response": response}},
    }


def _chain(level: Callable[[str], dict[str, Any]], last: dict[str, Any], levels: int) -> Any:
    """`g0 .. g{levels}`: each level built from the next one's name; the request uses g0."""
    schemas = {f"g{index}": level(f"g{index + 1}") for index in range(levels)}
    schemas[f"g{levels}"] = last
    return spec_with(schemas, {"g": _ref("g0")})


SHAPES: dict[str, Callable[[int], dict[str, Any]]] = {
    # The red team's case: the strategy merger's `json_types` walked 2**levels paths.
    "allOf_diamond": lambda levels: _chain(
        lambda following: {"allOf": [_ref(following), _ref(following)]}, {"type": "string"}, levels
    ),
    "anyOf_diamond": lambda levels: _chain(
        lambda following: {"anyOf": [_ref(following), _ref(following)]}, {"type": "string"}, levels
    ),
    "allOf_with_siblings": lambda levels: _chain(
        lambda following: {"allOf": [_ref(following), {**_ref(following), "minLength": 1}]},
        {"type": "string"},
        levels,
    ),
    # Aliases (arrays) of inline objects: the IR built the inline model once per path.
    "alias_of_inline_objects": lambda levels: _chain(
        lambda following: {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"a": _ref(following), "b": _ref(following)},
            },
        },
        {"type": "string"},
        levels,
    ),
    # Properties whose `allOf` names the next level: the strategy text was copied into every use
    # and the validator compiler compiled each body again to measure it for inlining.
    "property_allOf": lambda levels: _chain(
        lambda following: {
            "type": "object",
            "properties": {
                "a": {"allOf": [_ref(following)]},
                "b": {"allOf": [_ref(following)]},
            },
        },
        {"type": "string"},
        levels,
    ),
    "property_allOf_merged": lambda levels: _chain(
        lambda following: {
            "type": "object",
            "properties": {
                "a": {"allOf": [_ref(following), {"required": ["a"]}]},
                "b": {"allOf": [_ref(following), {"required": ["b"]}]},
            },
        },
        {"type": "object"},
        levels,
    ),
}


class _OverBudget(Exception):
    """The build made more calls than the budget allows."""


def count_calls(spec: dict[str, Any], folder: Path, budget: int | None = None) -> int:
    """Calls into `generator/` while building `spec` (black skipped); stops over `budget`."""
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    calls = 0

    def profile(frame: FrameType, event: str, argument: object) -> None:
        nonlocal calls
        if event == "call" and frame.f_code.co_filename.startswith(GENERATOR):
            calls += 1
            if budget is not None and calls > budget:
                raise _OverBudget

    sys.setprofile(profile)
    try:
        build(spec_path, project_root=folder)
    finally:
        sys.setprofile(None)
    return calls


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_schema_graphs_cost_linear_work(
    shape: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer, "format_sources", list)
    small = count_calls(SHAPES[shape](10), tmp_path)
    # Linear work gives under 3x for three times the levels; exponential work hits the budget.
    try:
        large = count_calls(SHAPES[shape](30), tmp_path, budget=4 * small)
    except _OverBudget:
        pytest.fail(f"{shape}: 30 levels cost over 4x the {small} calls of 10 levels")
    assert large <= 4 * small


def test_an_allof_of_itself_is_drawn_by_a_recursive_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`x.properties.p = allOf: [$ref x]` used to recurse until RecursionError (a traceback)."""
    monkeypatch.setattr(writer, "format_sources", list)
    spec = spec_with(
        {"x": {"type": "object", "properties": {"p": {"allOf": [_ref("x")]}}}}, {"x": _ref("x")}
    )
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    generation = build(tmp_path / "spec.json", project_root=tmp_path, package="graph_invite")
    strategies = generation.files[writer.PurePosixPath("graph_invite/strategies.py")].decode()
    assert "def x() ->" in strategies
    compile(strategies, "strategies.py", "exec")


def _same_name_values(count: int) -> list[str]:
    """`count` distinct enum values that all name the constant `A` (`a!`, `a?`, `a!?`, ...)."""

    def value(index: int) -> str:
        digits = ""
        while True:
            digits += "!?#$"[index % 4]
            index //= 4
            if not index:
                return "a" + digits

    return [value(index) for index in range(count)]


def count_name_lines(spec: dict[str, Any], folder: Path, budget: int) -> int:
    """Lines run in `generator/names.py` while building `spec`; fails the test over `budget`."""
    spec_path = folder / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    lines = 0
    names_file = str(ROOT / "generator" / "names.py")

    def local(frame: FrameType, event: str, argument: object) -> Any:
        nonlocal lines
        lines += event == "line"
        if lines > budget:
            raise _OverBudget
        return local

    def calls(frame: FrameType, event: str, argument: object) -> Any:
        return local if frame.f_code.co_filename == names_file else None

    sys.settrace(calls)
    try:
        build(spec_path, project_root=folder)
    except _OverBudget:
        pytest.fail(f"naming ran over {budget} lines")
    finally:
        sys.settrace(None)
    return lines


def test_enum_member_names_cost_linear_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """5,000 values that all spell `A` counted up from `A_2` each: 12 million steps, now about 80 each."""
    monkeypatch.setattr(writer, "format_sources", list)
    values = _same_name_values(MAX_ENUM_VALUES)
    spec = spec_with({"kind": {"type": "string", "enum": values}}, {"k": _ref("kind")})
    count_name_lines(spec, tmp_path, budget=200 * len(values) + 20_000)


def test_enum_value_count_is_bounded(tmp_path: Path) -> None:
    values = _same_name_values(MAX_ENUM_VALUES + 1)
    spec = spec_with({"kind": {"type": "string", "enum": values}}, {"k": _ref("kind")})
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(SpecErrors) as failure:
        build(tmp_path / "spec.json", project_root=tmp_path)
    [error] = failure.value.errors
    assert error.pointer == "#/components/schemas/kind/enum"
    assert error.message == f"{MAX_ENUM_VALUES + 1} values; the limit is {MAX_ENUM_VALUES}"


def _inline(property_type: str) -> dict[str, Any]:
    return {"type": "object", "properties": {"c": {"type": property_type}}}


def test_inline_model_validators_read_their_own_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18 M1: `x%41` was URL-unquoted to `xA`; a newline in a name lost its target."""
    monkeypatch.setattr(writer, "format_sources", list)
    spec = spec_with(
        {}, {"x%41": _inline("integer"), "xA": _inline("string"), "n\nl": _inline("boolean")}
    )
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    generation = build(tmp_path / "spec.json", project_root=tmp_path, package="graph_invite")
    namespace: dict[str, Any] = {}
    source = generation.files[writer.PurePosixPath("graph_invite/validators.py")].decode()
    exec(compile(source, "validators.py", "exec"), namespace)
    by_wire = {model.schema_pointer: model.snake_name for model in generation.api.models}
    encoded = {pointer: name for pointer, name in by_wire.items() if "x%2541" in pointer}
    [x41] = encoded.values()
    [xa] = [name for pointer, name in by_wire.items() if pointer.endswith("/xA")]
    [newline] = [name for pointer, name in by_wire.items() if pointer.endswith("/n%0Al")]
    namespace[f"validate_{x41}"]({"c": 1})
    with pytest.raises(namespace["ValidationError"]):
        namespace[f"validate_{x41}"]({"c": "str"})
    namespace[f"validate_{xa}"]({"c": "str"})
    namespace[f"validate_{newline}"]({"c": True})
    with pytest.raises(namespace["ValidationError"]):
        namespace[f"validate_{newline}"]({"c": 1})


def test_an_integer_beyond_the_float_range_is_a_located_error(tmp_path: Path) -> None:
    """Issue 18 M2: a 400-digit `maximum` made the validator compiler raise OverflowError."""
    spec = spec_with({}, {"n": {"type": "integer", "maximum": int("9" * 400)}})
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(SpecErrors) as failure:
        build(tmp_path / "spec.json", project_root=tmp_path)
    [error] = failure.value.errors
    assert error.pointer == "#/components/schemas/request/properties/n/maximum"
    assert error.message == "integer with 400 digits is beyond the float range"


def _ring(count: int, max_length: int) -> dict[str, Any]:
    """`s{i}.next` is `s{i+1}`, the last one's is `s0`: every schema reaches every other."""
    schemas = {
        f"s{index}": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "maxLength": max_length},
                "next": _ref(f"s{(index + 1) % count}"),
            },
        }
        for index in range(count)
    }
    return spec_with(schemas, {"ring": _ref("s0")})


def count_diff_calls(old: dict[str, Any], new: dict[str, Any], folder: Path) -> int:
    """Calls into `generator/` while `invitegen diff` compares two specs (loading included)."""
    (folder / "old.json").write_text(json.dumps(old), encoding="utf-8")
    (folder / "new.json").write_text(json.dumps(new), encoding="utf-8")
    calls = 0

    def profile(frame: FrameType, event: str, argument: object) -> None:
        nonlocal calls
        calls += event == "call" and frame.f_code.co_filename.startswith(GENERATOR)

    sys.setprofile(profile)
    try:
        report = diff_specs(load_spec(folder / "old.json"), load_spec(folder / "new.json"))
    finally:
        sys.setprofile(None)
    assert report.changes, "the edit must be reported"
    return calls


def test_a_ring_of_schemas_is_diffed_in_linear_work(tmp_path: Path) -> None:
    """Issue 18 H2 for `invitegen diff`: three times the ring costs under four times the calls."""
    small = count_diff_calls(_ring(50, 10), _ring(50, 5), tmp_path)
    large = count_diff_calls(_ring(150, 10), _ring(150, 5), tmp_path)
    assert large <= 4 * small


@pytest.mark.parametrize("levels", [10, 30])
def test_an_all_of_fan_out_is_diffed_in_linear_work(tmp_path: Path, levels: int) -> None:
    """The red team's fan-out through the whole `invitegen diff` path (loader included)."""
    base = count_diff_calls(
        SHAPES["allOf_diamond"](5), _edited(SHAPES["allOf_diamond"](5)), tmp_path
    )
    calls = count_diff_calls(
        SHAPES["allOf_diamond"](levels), _edited(SHAPES["allOf_diamond"](levels)), tmp_path
    )
    assert calls <= base * (1 + levels / 5)


def _edited(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the request's `email` limited to 5 characters (a breaking change)."""
    edited = json.loads(json.dumps(spec))
    edited["components"]["schemas"]["request"]["properties"]["email"]["maxLength"] = 5
    return edited
