"""Shapes met in public specs (tests/data/corpus_shapes.yaml): each generates, is typed as the
spec says, and what the strategies draw is valid and round-trips."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from generator.errors import SchemaCompileError
from generator.ir import overlap
from generator.output.writer import write_tree
from generator.pipeline import Generation, build
from generator.strategies.merge import EmptySchema, merge_schemas
from generator.vocabulary import ANNOTATIONS
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "data" / "corpus_shapes.yaml"
PACKAGE = "corpus_shapes"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generation, Path]:
    generation = build(SPEC, project_root=SPEC.parent, package=PACKAGE)
    out = tmp_path_factory.mktemp("shapes")
    write_tree(generation.files, out)
    return generation, out


@pytest.fixture
def package(
    generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch
) -> dict[str, ModuleType]:
    monkeypatch.syspath_prepend(str(generated[1]))
    return {
        name: importlib.import_module(f"{PACKAGE}.{name}")
        for name in ("models", "strategies", "validators")
    }


def test_a_ref_to_a_nullable_object_is_a_nullable_field(
    generated: tuple[Generation, Path], package: dict[str, ModuleType]
) -> None:
    sender = generated[0].api.model("Sender")
    webhook = next(field for field in sender.fields if field.wire_name == "webhook")
    assert webhook.type.nullable
    models = package["models"]
    parsed = models.Sender.from_dict({"webhook": None})
    assert parsed.webhook is None and parsed.to_dict() == {"webhook": None}


def test_validation_keywords_beside_a_ref_are_ignored_in_3_0(
    package: dict[str, ModuleType],
) -> None:
    """`rate: {$ref: Amount, type: number}` is an Amount: 3.0 ignores a Reference's siblings."""
    models = package["models"]
    parsed = models.Sender.from_dict({"rate": {"value": 1.5}})
    assert parsed.rate.value == 1.5
    with pytest.raises(ValueError):
        models.Sender.from_dict({"rate": 2})


def _drawn(strategy: Any, count: int = 40) -> list[Any]:
    found: list[Any] = []

    @settings(max_examples=count, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def collect(value: Any) -> None:
        found.append(value)

    collect()
    return found


def test_unique_items_are_drawn_unique_as_json_values(package: dict[str, ModuleType]) -> None:
    validators = package["validators"]
    for sender in _drawn(package["strategies"].sender()):
        validators.validate_sender(sender)
        tags = sender.get("tags", [])
        canonical = [json.dumps(tag, sort_keys=True) for tag in tags]
        assert len(set(canonical)) == len(canonical)
        assert package["models"].Sender.from_dict(sender).to_dict() == sender


def test_all_of_narrows_items_through_a_ref_into_a_property(
    package: dict[str, ModuleType],
) -> None:
    """`items: {allOf: [{$ref: Events/properties/events/items}, {category: const INVOICE}]}`:
    the const leaves one of the `oneOf` values; every draw is valid and says INVOICE."""
    validators = package["validators"]
    drawn = _drawn(package["strategies"].created_events())
    assert any(value["events"] for value in drawn)
    for value in drawn:
        validators.validate_created_events(value)
        assert {event["category"] for event in value["events"]} <= {"INVOICE"}


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ({"items": {"type": "string"}}, {"items": {"minLength": 1}},
         {"items": {"allOf": [{"type": "string"}, {"minLength": 1}]}}),
        ({"uniqueItems": False}, {"uniqueItems": True}, {"uniqueItems": True}),
        ({"enum": ["a", "b", "c"]}, {"enum": ["c", "a"]}, {"enum": ["a", "c"]}),
        ({"additionalProperties": True}, {"additionalProperties": {"type": "integer"}},
         {"additionalProperties": {"type": "integer"}}),
        ({"additionalProperties": False, "properties": {"a": {"type": "string"}}},
         {"properties": {"a": {"minLength": 1}, "b": {}}},
         {"additionalProperties": False,
          "properties": {"a": {"allOf": [{"type": "string"}, {"minLength": 1}]}}}),
        ({"properties": {"a": {}}, "additionalProperties": {"type": "integer"}},
         {"additionalProperties": False, "properties": {"a": {"type": "string"}, "b": {}}},
         {"additionalProperties": False,
          "properties": {"a": {"type": "string"}, "b": {"type": "integer"}}}),
        ({"multipleOf": 0.5}, {"multipleOf": 0.2}, {"multipleOf": 1}),
        ({"multipleOf": 0.25}, {"multipleOf": 0.1}, {"multipleOf": 0.5}),
    ],
)  # fmt: skip
def test_merges(first: dict[str, Any], second: dict[str, Any], expected: dict[str, Any]) -> None:
    assert merge_schemas(first, second, "#", ANNOTATIONS) == expected


@pytest.mark.parametrize(
    ("first", "second"),
    [({"const": "a"}, {"const": "b"}), ({"enum": [1]}, {"enum": [2]}), ({"type": "object"}, {"type": "number"}),
     ({"additionalProperties": False}, {"required": ["x"]})],
)  # fmt: skip
def test_merges_that_allow_nothing_say_so(first: dict[str, Any], second: dict[str, Any]) -> None:
    with pytest.raises(EmptySchema):
        merge_schemas(first, second, "#", ANNOTATIONS)
    assert issubclass(EmptySchema, SchemaCompileError)  # outside anyOf/oneOf: a located error


def test_one_of_subtypes_of_an_open_parent_reads_as_any_of(
    generated: tuple[Generation, Path], package: dict[str, ModuleType]
) -> None:
    """`oneOf: [Cat, Dog]`, both `allOf: [Pet, {optional property}]`: every Cat is a Dog too, so
    strictly no instance is valid; the IR reads it as `anyOf` and says so."""
    warnings = [str(warning) for warning in generated[0].api.warnings]
    assert any("Owner/properties/pet/oneOf: every branch" in warning for warning in warnings)
    assert not any("Owner/properties/output" in warning for warning in warnings)
    validators, models = package["validators"], package["models"]
    owners = _drawn(package["strategies"].owner())
    assert any("pet" in owner for owner in owners) and any("counted" in owner for owner in owners)
    for owner in owners:
        validators.validate_owner(owner)
        assert models.Owner.from_dict(owner).to_dict() == owner
        assert "received" not in owner.get("counted", {})  # Settings is closed: never drawn
    validators.validate_owner({"pet": {"petType": "Cat", "meows": True}})


def test_a_default_may_name_an_enum_component_sorted_after_its_model(
    generated: tuple[Generation, Path], package: dict[str, ModuleType]
) -> None:
    owner = generated[0].api.model("Owner")
    level = next(field for field in owner.fields if field.wire_name == "level")
    assert level.default_code == "ZLevel.HIGH"
    assert package["models"].Owner.from_dict({"level": "high"}).level.value == "high"


def test_a_schema_the_strategies_cannot_draw_exactly_is_filtered_by_its_validator(
    generated: tuple[Generation, Path], package: dict[str, ModuleType]
) -> None:
    """`not` stops no generation: `odd()` draws integers and keeps the odd ones; a schema no
    instance fits gets a strategy that draws nothing, and says why."""
    strategies = package["strategies"]
    assert all(value % 2 == 1 for value in _drawn(strategies.odd()))
    assert "drawn loosely" in (strategies.odd.__doc__ or "")
    assert strategies.never().is_empty and "share no instance" in (strategies.never.__doc__ or "")


def test_a_choice_of_a_scalar_and_an_object_beside_properties_is_a_union(
    generated: tuple[Generation, Path], package: dict[str, ModuleType]
) -> None:
    owner = generated[0].api.model("Owner")
    envelope = next(field for field in owner.fields if field.wire_name == "envelope")
    assert envelope.type.kind == "union"
    models = package["models"]
    for value in (True, {"id": "e1"}):
        assert models.Owner.from_dict({"envelope": value}).to_dict() == {"envelope": value}


def test_comparing_one_of_branches_is_linear_in_all_of_diamonds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`g{i} = allOf: [$ref g{i+1}, $ref g{i+1}]`: each component is summarised once, not
    2**depth times (issue 18's diamonds, met by a `oneOf` of them)."""
    depth = 7  # within overlap.MAX_DEPTH (each level is an allOf member and a $ref)
    components: dict[str, Any] = {
        f"g{i}": {"allOf": [{"$ref": f"#/components/schemas/g{i + 1}"}] * 2} for i in range(depth)
    }
    components[f"g{depth}"] = {"type": "object", "properties": {"a": {"type": "string"}}}
    calls = 0
    summarize = overlap.summarize

    def counted(*arguments: Any) -> Any:
        nonlocal calls
        calls += 1
        return summarize(*arguments)

    monkeypatch.setattr(overlap, "summarize", counted)
    branch = {"$ref": "#/components/schemas/g0"}
    assert overlap.every_branch_overlaps([branch, branch], components)
    assert calls < 10 * depth
