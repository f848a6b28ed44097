"""Composed schemas (issue 13): `oneOf`/`anyOf` become typed unions decoded by the discriminator
(explicit mapping, then implicit names) or structurally in order, with a clear error when no
branch fits; `allOf` becomes one model with every member's properties; `additionalProperties`
with a schema is a typed map. Models round-trip their strategies' payloads both ways."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit.strategies import strategy_function_names
from generator.output.writer import write_tree
from generator.pipeline import Generation, build
from tests.body_round_trip import check_bodies_round_trip
from tests.conftest import ROOT

SPEC = ROOT / "tests" / "data" / "composition.yaml"
PACKAGE = "composition_pets"
SPEC_MODULES = (
    "__init__.py",
    "client.py",
    "models.py",
    "requests.py",
    "strategies.py",
    "validators.py",
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Generation, Path]:
    generation = build(SPEC, project_root=SPEC.parent, package=PACKAGE)
    out = tmp_path_factory.mktemp("composition")
    write_tree(generation.files, out)
    return generation, out


@pytest.fixture
def models(generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(generated[1]))
    return importlib.import_module(f"{PACKAGE}.models")


def test_unions_are_typed(models: ModuleType) -> None:
    hints = typing.get_type_hints(models.Owner)
    assert hints["pet"] == models.Cat | models.Dog | models.Lizard | models.Unset
    assert hints["anything"] == str | int | list[models.Cat] | models.Unset | None
    assert hints["tags"] == dict[str, models.Cat] | models.Unset
    assert hints["counts"] == dict[str, int] | models.Unset


def test_all_of_merges_every_member(models: ModuleType) -> None:
    dog = models.Dog.from_dict({"petType": "dog", "name": "Rex", "bark": True})
    assert (dog.pet_type, dog.name, dog.bark) == ("dog", "Rex", True)
    assert models.Dog._fields == ("pet_type", "name", "bark", "additional_properties")
    validators = importlib.import_module(f"{PACKAGE}.validators")
    with pytest.raises(validators.ValidationError):
        models.Dog.from_dict({"petType": "dog", "name": "Rex"})  # bark is required


@pytest.mark.parametrize(
    ("tag", "expected"), [("kitty", "Cat"), ("dog", "Dog"), ("Lizard", "Lizard")]
)
def test_the_discriminator_chooses(models: ModuleType, tag: str, expected: str) -> None:
    # `kitty` and `dog` come from the mapping, `Lizard` is the implicit (component) name.
    decoded = models.decode_pet({"petType": tag, "name": "x", "bark": True})
    assert type(decoded).__name__ == expected


def test_a_tag_the_data_does_not_match_falls_back_to_structure(models: ModuleType) -> None:
    # Tagged `dog` but without the required `bark`: the tag is a hint, the data decides.
    with pytest.raises(ValueError, match="data matches none of Cat, Dog, Lizard"):
        models.decode_pet({"petType": "dog", "name": "x"})


def test_without_a_tag_the_first_matching_branch_wins(models: ModuleType) -> None:
    owner = models.Owner.from_dict(
        {"shape": {"side": 2.5}, "anything": [{"petType": "kitty", "name": "a"}]}
    )
    assert type(owner.shape).__name__ == "OwnerShapeOption2"
    assert owner.anything == [models.Cat(pet_type="kitty", name="a")]
    assert models.Owner.from_dict({"anything": 3}).anything == 3
    assert models.Owner.from_dict({"anything": None}).anything is None


def test_no_branch_fits_is_a_clear_error(models: ModuleType) -> None:
    with pytest.raises(
        ValueError, match="data matches none of OwnerShapeOption1, OwnerShapeOption2"
    ):
        models.Owner.from_dict({"shape": {"corner": 1}}, validate=False)


def test_maps_decode_their_values(models: ModuleType) -> None:
    payload = {"tags": {"a": {"petType": "kitty", "name": "n", "lives": 9}}, "counts": {"x": 1}}
    owner = models.Owner.from_dict(payload)
    assert owner.tags == {"a": models.Cat(pet_type="kitty", name="n", lives=9)}
    assert owner.to_dict() == payload


def test_models_round_trip_their_strategies(
    generated: tuple[Generation, Path], models: ModuleType
) -> None:
    generation, _ = generated
    strategies = importlib.import_module(f"{PACKAGE}.strategies")
    names = strategy_function_names(generation.api)
    pairs: list[tuple[Any, Any]] = [
        (getattr(models, model.class_name), getattr(strategies, names[model.name]))
        for model in generation.api.models
        if model.name in names
    ]
    assert {model.__name__ for model, _ in pairs} >= {"Cat", "Dog", "Lizard", "Owner"}

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def round_trip(data: st.DataObject) -> None:
        for model, strategy in pairs:
            payload = data.draw(strategy())
            parsed = model.from_dict(payload)
            assert parsed.to_dict() == payload
            assert model.from_dict(parsed.to_dict()) == parsed

    round_trip()


def test_the_package_passes_mypy_strict(generated: tuple[Generation, Path], tmp_path: Path) -> None:
    _, out = generated
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), "-p", PACKAGE],
        capture_output=True,
        text=True,
        env={**os.environ, "MYPYPATH": str(out)},
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


def test_the_package_passes_ruff(generated: tuple[Generation, Path]) -> None:
    _, out = generated
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "ruff",
            "check",
            "--no-cache",
            "--config",
            str(ROOT / "pyproject.toml"),
            # The modules rendered from the spec (the runtime copied as is is linted in generated/).
            *(str(out / PACKAGE / name) for name in SPEC_MODULES),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


def test_inline_bodies_are_named_models(models: ModuleType) -> None:
    request = models.RenameOwnerRequest.from_dict({"name": "n", "address": {"city": "c"}})
    assert request.address == models.RenameOwnerRequestAddress(city="c")
    response = models.RenameOwner200Response.from_dict(
        {"labels": {"a": {"text": "t"}}, "history": ["2024-01-01T00:00:00Z", 3]}
    )
    assert response.labels == {"a": models.RenameOwner200ResponseLabelsValue(text="t")}
    assert response.history == ["2024-01-01T00:00:00Z", 3]
    assert type(response.history[0]).__name__ == "DateTimeText"


def test_every_body_round_trips(
    generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    generation, out = generated
    monkeypatch.syspath_prepend(str(out))
    count = check_bodies_round_trip(generation.api, PACKAGE, importlib.import_module, 40)
    # addPet request and 201, listPets 200, renameOwner request and 200, putAccount request,
    # getSettings 200, listCats 200
    assert count == 8


def test_enums_consts_and_one_way_properties(models: ModuleType) -> None:
    hints = typing.get_type_hints(models.Account)
    assert (
        hints["level"] is models.AccountLevel
        and hints["ratio"] == models.AccountRatio | models.Unset
    )
    assert hints["flag"] is bool and hints["kind"] is str
    assert hints["mood"] == models.Mood | None  # a nullable enum keeps its class
    # values of several types: a plain Enum of the JSON values, nullable
    assert hints["anything"] == models.AccountAnything | models.Unset | None
    assert hints["clash"] == Any | models.Unset  # 1 and true are one value to Python
    # readOnly `id` and writeOnly `password` are required in one direction only.
    assert hints["id_"] == str | models.Unset and hints["password"] == str | models.Unset
    sent = {"password": "p", "level": 2, "mood": None, "flag": True, "kind": "account"}
    assert models.Account.from_dict(sent).to_dict() == sent
    received = {"id": "a1", "level": 3, "mood": "sad", "flag": True, "kind": "account"}
    account = models.Account.from_dict(received)
    assert account.mood is models.Mood.SAD and account.to_dict() == received


def test_enums_of_any_json_type_are_classes(models: ModuleType) -> None:
    hints = typing.get_type_hints(models.Account)
    # Inline enums are named Model + property; the `AccountStatus` component keeps its name.
    assert hints["status"] == models.AccountStatus_2 | models.Unset
    assert hints["colors"] == list[models.AccountColorsItem] | models.Unset
    assert hints["priority"] == models.Priority | models.Unset
    assert issubclass(models.Priority, int) and issubclass(models.AccountLevel, int)
    assert issubclass(models.AccountStatus_2, str)
    assert [m.value for m in models.AccountRatio] == [1, 2.5]
    assert [m.value for m in models.AccountAnything] == ["a", 1]
    payload = {
        "level": 2,
        "ratio": 2.5,
        "anything": 1,
        "status": "closed",
        "colors": ["green", "red"],
        "priority": 10,
        "mood": "happy",
        "flag": True,
        "kind": "account",
        "clash": True,
    }
    account = models.Account.from_dict(payload)
    assert account.level is models.AccountLevel.VALUE_2
    assert account.ratio is models.AccountRatio.VALUE_2_5
    assert account.anything is models.AccountAnything.VALUE_1
    assert account.status is models.AccountStatus_2.CLOSED
    assert account.colors == [models.AccountColorsItem.GREEN, models.AccountColorsItem.RED]
    assert account.priority is models.Priority.VALUE_10
    assert account.to_dict() == payload
    assert type(account.to_dict()["ratio"]) is float and account.to_dict()["clash"] is True
    validators = importlib.import_module(f"{PACKAGE}.validators")
    with pytest.raises(validators.ValidationError):
        models.Account.from_dict({**payload, "priority": 3})


def test_required_properties_default_to_the_spec_default(models: ModuleType) -> None:
    settings = models.Settings()
    assert settings.page_size == 20 and settings.unit is models.SettingsUnit.IN
    assert settings.label is None and settings.tier is models.Priority.VALUE_10
    # Optional properties stay absent (the server applies its default), and so do defaults no
    # literal can hold (a list is mutable; `high` is no integer).
    assert settings.theme is models.UNSET and settings.limits is models.UNSET
    assert settings.to_dict() == {"pageSize": 20, "unit": "in", "label": None, "tier": 10}
    # Reading stays lossless: what was absent stays absent.
    payload = {"pageSize": 3, "unit": "cm", "label": "x", "tier": 1}
    assert models.Settings.from_dict(payload).to_dict() == payload


def test_required_parameters_default_to_the_spec_default(
    generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(generated[1]))
    requests = importlib.import_module(f"{PACKAGE}.requests")
    assert requests.build_get_settings().query == ("limit=10", "tier=5")
    request = requests.build_get_settings(limit=3, sort="desc", tier=models_priority(1))
    assert request.query == ("limit=3", "tier=1", "sort=desc")


def models_priority(value: int) -> Any:
    return importlib.import_module(f"{PACKAGE}.models").Priority(value)


def test_inline_body_schemas_have_schema_files(generated: tuple[Generation, Path]) -> None:
    _, out = generated
    names = {path.name for path in (out / "schemas").glob("*.schema.json")}
    # An object body is named like its model; other bodies after the operation and status.
    inline = {
        "rename_owner_request",
        "rename_owner200_response",
        "list_pets_200_response",
        "add_pet_201_response",
        "list_cats_200_response",
    }
    assert {f"{name}.schema.json" for name in inline} <= names
    document = json.loads((out / "schemas" / "list_cats_200_response.schema.json").read_text())
    validator = jsonschema.Draft202012Validator(document)
    assert validator.is_valid([{"petType": "kitty", "name": "n", "lives": 9}])
    assert not validator.is_valid([{"petType": "kitty", "name": "n", "lives": "nine"}])
    assert not validator.is_valid([{"petType": "kitty"}])


def _cats_client(generated: tuple[Generation, Path], body: Any, *, strict: bool) -> Any:
    client = importlib.import_module(f"{PACKAGE}.client")
    return client.ApiClient(
        base_url="https://pets.example",
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=body)),
        validate_responses=strict,
    )


def test_non_model_response_bodies_are_validated(
    generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(generated[1]))
    errors = importlib.import_module(f"{PACKAGE}.errors")
    models = importlib.import_module(f"{PACKAGE}.models")
    off_schema = [{"petType": "kitty", "name": "n", "lives": "nine"}]
    with _cats_client(generated, off_schema, strict=True) as strict:
        with pytest.raises(errors.ApiResponseValidationError) as raised:
            strict.list_cats()
    assert raised.value.errors[0].path == (0, "lives")
    # Lenient (the default): kept as it came, as for a model body.
    with _cats_client(generated, off_schema, strict=False) as lenient:
        assert lenient.list_cats().body[0].lives == "nine"
    valid = [{"petType": "kitty", "name": "n", "lives": 9}]
    with _cats_client(generated, valid, strict=True) as strict:
        assert strict.list_cats().body == [models.Cat(pet_type="kitty", name="n", lives=9)]


def test_allof_inheritance_decodes_subtypes_by_tag(models: ModuleType) -> None:
    payload = {
        "vehicles": [
            {"kind": "Car", "wheels": 4},
            {"kind": "bicycle", "bell": True},
            {"kind": "Bike"},
            {"kind": "boat", "sails": 2},
        ]
    }
    garage = models.Garage.from_dict(payload)
    assert [type(v).__name__ for v in garage.vehicles] == ["Car", "Bike", "Bike", "Vehicle"]
    assert garage.vehicles[3].additional_properties == {"sails": 2}
    assert garage.to_dict() == payload


def test_requests_leave_read_only_properties_out(
    generated: tuple[Generation, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(generated[1]))
    requests = importlib.import_module(f"{PACKAGE}.requests")
    received = {"id": "a1", "level": 3, "mood": "sad", "flag": True, "kind": "account"}
    account = importlib.import_module(f"{PACKAGE}.models").Account.from_dict(received)
    account.password = "secret"
    sent = requests.build_put_account(account).body
    assert sent == {
        "password": "secret",
        "level": 3,
        "mood": "sad",
        "flag": True,
        "kind": "account",
    }
