"""The models' fused loaders (`_load_<Class>`, `generator/emit/model_loads.py`): `from_dict`
checks and builds in one walk, and whatever a loader refuses goes to the validator, so verdicts,
errors and models stay exactly those of validate-then-decode."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import graph_invite.models as models
import graph_invite.strategies as strategies
import graph_invite.validators as validators
import pytest
from graph_invite import UNSET, InviteResponse, Permission, ValidationError

from generator.emit.model_loads import LOAD_KEY_CHAIN
from generator.output.writer import write_tree
from generator.pipeline import build
from tests.compiled_worker import error_fields
from tests.strategies_differential import run_property
from tests.strategies_models import spec_api
from tests.strategies_mutation import mutated, with_arbitrary_subtree

FUSED = {
    model.snake_name: model.class_name
    for model in spec_api().models
    if hasattr(models, f"_load_{model.class_name}")
}


def test_the_graph_responses_are_fused_and_the_requests_are_not() -> None:
    """Every model of a Graph response has a loader; request models (a `pattern`, an `anyOf`
    of `required` lists, a `maxLength`) keep the validator then the decoder."""
    response_models = {
        "InviteResponse",
        "Permission",
        "IdentitySet",
        "Identity",
        "SharePointIdentitySet",
        "SharePointIdentity",
        "SharePointGroupIdentity",
        "SharingInvitation",
        "SharingLink",
        "ItemReference",
        "SharepointIds",
        "InviteRecipientError",
        "InviteRecipientInnerError",
    }
    assert response_models <= set(FUSED.values())
    assert not {"InviteRequest", "DriveRecipient", "GrantRequest"} & set(FUSED.values())


def _verdict(name: str, instance: Any) -> tuple[str, Any]:
    try:
        getattr(validators, f"validate_{name}")(instance)
    except ValidationError as error:
        return "invalid", error_fields(error)
    return "valid", None


def check_loader(name: str, instance: Any) -> None:
    """A loader accepts only valid data, building the decoder's model; `from_dict` raises the
    validator's first error, or builds that same model."""
    model = getattr(models, FUSED[name])
    verdict, error = _verdict(name, instance)
    try:
        loaded = getattr(models, f"_load_{FUSED[name]}")(instance)
    except Exception:
        loaded = None
    if loaded is not None:
        assert verdict == "valid", f"the loader accepted invalid data: {error}"
        decoded = getattr(models, f"_decode_{FUSED[name]}")(instance)
        assert type(loaded) is type(decoded)
        assert repr(loaded) == repr(decoded)
        assert loaded == decoded
        assert loaded.to_dict() == decoded.to_dict() == instance
    if verdict == "invalid":
        with pytest.raises(ValidationError) as raised:
            model.from_dict(instance)
        assert error_fields(raised.value) == error
        assert raised.value.__context__ is None
    else:
        parsed = model.from_dict(instance)
        assert repr(parsed) == repr(model.from_dict(instance, validate=False))
        assert parsed.to_dict() == instance


SOURCES = {
    "valid": lambda name: getattr(strategies, name)(),
    "mutated": lambda name: mutated(name).map(lambda pair: pair[0]),
    "arbitrary-subtree": with_arbitrary_subtree,
}


@pytest.mark.parametrize("source", sorted(SOURCES))
@pytest.mark.parametrize("name", sorted(FUSED))
def test_loaders_accept_only_valid_data_and_build_the_same_models(name: str, source: str) -> None:
    run_property(SOURCES[source](name), lambda instance: check_loader(name, instance))


class Text(str):
    """A str subclass: a JSON string to the validator, one the loaders leave to it."""


@pytest.mark.parametrize(
    "data",
    [
        {"value": [{"id": Text("p1")}]},
        {"value": [], "@odata.count": 2.0},  # an integer written as a float
        {"value": [{"roles": [Text("read")], "link": {"webUrl": Text("https://x.test/a")}}]},
    ],
)
def test_what_a_loader_refuses_but_the_validator_accepts_still_parses(data: Any) -> None:
    with pytest.raises(Exception):  # noqa: B017 - any refusal: from_dict then validates
        models._load_InviteResponse(data)
    parsed = InviteResponse.from_dict(data)
    assert repr(parsed) == repr(InviteResponse.from_dict(data, validate=False))
    assert parsed.to_dict() == data


def test_a_refused_payload_raises_the_validators_error_without_chained_context() -> None:
    data = {"value": [{"id": "1", "expirationDateTime": "2024-13-01T00:00:00Z"}]}
    with pytest.raises(ValidationError) as raised:
        InviteResponse.from_dict(data)
    with pytest.raises(ValidationError) as expected:
        validators.validate_invite_response(data)
    assert error_fields(raised.value) == error_fields(expected.value)
    assert raised.value.__context__ is None and raised.value.__cause__ is None
    with pytest.raises(ValidationError):
        Permission.from_dict({"id": "1", "invitation": {"signInRequired": "yes"}})
    # A key that is a str subclass: the validator wants exactly-str keys; so does the loader.
    with pytest.raises(ValidationError, match="must be an object"):
        InviteResponse.from_dict({"value": [{Text("id"): "1"}]})


SPEC = """\
openapi: 3.1.0
info: {title: Loads, version: "1"}
paths:
  /nodes:
    get:
      operationId: getNode
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/node"}
components:
  schemas:
    node:
      type: object
      properties:
        name: {type: string}
        weight: {type: number}
        children: {type: array, items: {$ref: "#/components/schemas/node"}, maxItems: 3}
    labelled:
      type: object
      properties:
        tag: {$ref: "#/components/schemas/tag"}
    tag:
      type: object
      additionalProperties: false
      properties:
        code: {type: string, pattern: "^[a-z]+$"}
        holder: {$ref: "#/components/schemas/holder"}
    holder:
      type: object
      additionalProperties: false
      required: [count]
      properties:
        count: {type: integer}
        when: {type: [string, "null"], format: date-time}
    wide:
      type: object
      additionalProperties: false
      required: [cc, fffff]
      properties:
        a: {type: string}
        bb: {type: integer}
        cc: {type: string}
        ddd: {type: boolean}
        eeee: {type: number}
        fffff: {type: integer}
        gggggg: {type: [string, "null"]}
        hhhhhhh: {type: array, items: {type: string}}
        iiiiiiii: {$ref: "#/components/schemas/holder"}
        jjjjjjjjjjjj: {type: string}
"""


@pytest.fixture(scope="module")
def loads_models(tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("loads")
    spec = folder / "loads.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    out = folder / "out"
    write_tree(build(spec, project_root=folder, package="loads_pkg").files, out)
    return out


def test_a_keyword_a_loader_does_not_check_unfuses_its_model_and_every_referrer(
    loads_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pattern` is left to the validator: `tag` has no loader, nor `labelled` (which refers to
    it); `holder` (closed, a required integer, a nullable date-time) and the recursive `node` have
    one."""
    monkeypatch.syspath_prepend(str(loads_models))
    module = importlib.import_module("loads_pkg.models")
    error_class = importlib.import_module("loads_pkg.validators").ValidationError
    assert hasattr(module, "_load_Holder") and hasattr(module, "_load_Node")
    assert not hasattr(module, "_load_Tag") and not hasattr(module, "_load_Labelled")
    tree = {"name": "a", "weight": 1, "children": [{"children": [{"weight": 0.5}]}]}
    assert module._load_Node(tree).to_dict() == tree
    for refused in ({"children": [{}] * 4}, {"weight": float("inf")}, {"weight": False}):
        with pytest.raises(Exception):  # noqa: B017 - the loader refuses
            module._load_Node(refused)
        with pytest.raises(error_class):
            module.Node.from_dict(refused)
    holder = module.Holder
    assert holder.from_dict({"count": 2, "when": None}).to_dict() == {"count": 2, "when": None}
    for refused in ({"count": True}, {"count": 1, "extra": 1}, {"when": None}, {"count": 1.5}):
        with pytest.raises(Exception):  # noqa: B017 - the loader refuses
            module._load_Holder(refused)
    with pytest.raises(error_class) as raised:
        holder.from_dict({"count": 1, "when": "yesterday"})
    assert "date-time" in str(raised.value)
    assert holder.from_dict({"count": 1.0}).to_dict() == {"count": 1.0}  # valid, refused, decoded


WIDE = {
    "a": "x",
    "bb": 2,
    "cc": "y",
    "ddd": True,
    "eeee": 0.5,
    "fffff": 5,
    "gggggg": None,
    "hhhhhhh": ["h"],
    "iiiiiiii": {"count": 1},
    "jjjjjjjjjjjj": "j",
}


def test_a_wide_loader_picks_the_names_to_compare_by_the_keys_length(
    loads_models: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past LOAD_KEY_CHAIN fields the key's length, by bisection, picks the names a key is
    compared with: every field still lands in its own slot (a missed length would make the
    closed model refuse it), and a key with a field's length but another name is unknown."""
    assert len(WIDE) > LOAD_KEY_CHAIN
    monkeypatch.syspath_prepend(str(loads_models))
    module = importlib.import_module("loads_pkg.models")
    loaded = module._load_Wide(WIDE)
    assert loaded == module._decode_Wide(WIDE) and loaded.to_dict() == WIDE
    assert module._load_Wide({"cc": "", "fffff": 0}).to_dict() == {"cc": "", "fffff": 0}
    unknown_keys = ["b", "zz", "zzzzz", "zzzzzzzz", "zzzzzzzzz", "zzzzzzzzzzzzz"]
    refused = [{**WIDE, key: "x"} for key in unknown_keys]
    refused += [{**WIDE, key: {}} for key in WIDE]  # each field's check runs in its branch
    refused += [{key: value for key, value in WIDE.items() if key != "fffff"}]
    for data in refused:
        with pytest.raises(Exception):  # noqa: B017 - the loader refuses
            module._load_Wide(data)
    # The open permission (16 fields) keeps same-length unknown keys as unknown properties.
    permission = {"id": "1", "ix": 1, "lino": [2], "shareIx": None, "@odata.typo": "t"}
    loaded_permission = models._load_Permission(permission)
    assert loaded_permission.id_ == "1" and loaded_permission.link is UNSET
    assert loaded_permission.additional_properties == {
        "ix": 1,
        "lino": [2],
        "shareIx": None,
        "@odata.typo": "t",
    }
