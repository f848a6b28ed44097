"""The generated models: seed examples round-trip losslessly; absent, null, unknown and open values survive."""

from __future__ import annotations

import importlib
import inspect
import json
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import graph_invite.models as models
import pytest
from graph_invite import (
    UNSET,
    CreateLinkRequest,
    GrantRequest,
    GraphDateTime,
    InviteRequest,
    InviteResponse,
    OdataError,
    Permission,
    PermissionCollection,
    PermissionRole,
    PermissionUpdate,
    SharingLinkType,
    ValidationError,
)

from bench.corpus import build_corpus
from generator.emit import model_loads, model_views
from generator.output.writer import write_tree
from generator.pipeline import build
from tests.conftest import ROOT
from tests.spec_examples import iter_examples

EXAMPLES = list(iter_examples())
MODEL_BY_COMPONENT = {
    "inviteRequest": InviteRequest,
    "inviteResponse": InviteResponse,
    "odataError": OdataError,
    "permission": Permission,
    "permissionCollection": PermissionCollection,
    "permissionUpdate": PermissionUpdate,
    "createLinkRequest": CreateLinkRequest,
    "grantRequest": GrantRequest,
}


def test_every_body_example_is_covered() -> None:
    assert len(EXAMPLES) >= 11, "the seeds give 11 request/response examples"
    assert {component for _, component, _ in EXAMPLES} == set(MODEL_BY_COMPONENT)


@pytest.mark.parametrize(("name", "component", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_seed_example_round_trips(name: str, component: str, value: Any) -> None:
    model = MODEL_BY_COMPONENT[component]
    parsed = model.from_dict(value)
    assert parsed.to_dict() == value
    assert model.from_dict(json.loads(json.dumps(parsed.to_dict()))) == parsed


def test_absent_and_null_stay_distinct() -> None:
    absent = Permission.from_dict({"id": "1"})
    null = Permission.from_dict({"id": "1", "grantedTo": None})
    assert absent.granted_to is UNSET
    assert null.granted_to is None
    assert absent.to_dict() == {"id": "1"}
    assert null.to_dict() == {"id": "1", "grantedTo": None}
    assert absent != null


def test_unknown_properties_and_odata_type_survive() -> None:
    data = {
        "@odata.type": "#microsoft.graph.permission",
        "id": "x",
        "newGraphField": {"nested": [1, 2, {"deep": True}]},
        "grantedTo": {"user": {"id": "u", "displayName": "Ryan", "email": "r@contoso.com"}},
    }
    permission = Permission.from_dict(data)
    assert permission.odata_type == "#microsoft.graph.permission"
    assert permission.additional_properties == {"newGraphField": {"nested": [1, 2, {"deep": True}]}}
    assert permission.to_dict() == data


def test_open_enums_keep_unknown_values() -> None:
    data = {
        "id": "x",
        "roles": ["write", "sp.owner"],
        "link": {"type": "tenantOnly", "scope": "users"},
    }
    permission = Permission.from_dict(data)
    assert permission.roles == [PermissionRole.WRITE, "sp.owner"]
    assert isinstance(permission.roles, list) and permission.roles[0] is PermissionRole.WRITE
    assert permission.link and permission.link.type_ == "tenantOnly"
    assert not isinstance(permission.link.type_, SharingLinkType)
    assert permission.to_dict() == data
    assert json.loads(json.dumps(permission.to_dict())) == data


def test_requests_reject_unknown_roles() -> None:
    with pytest.raises(ValidationError) as caught:
        InviteRequest.from_dict({"recipients": [{"email": "a@contoso.com"}], "roles": ["Write"]})
    assert caught.value.path == ("roles", 0)


@pytest.mark.parametrize(
    "text",
    [
        "2016-12-31T23:59:41.3794411+00:00",
        "2018-07-15T14:00:00.000Z",
        "2018-07-15T14:00:00Z",
        "2018-07-15t14:00:00.5-07:30",
    ],
)
def test_date_times_round_trip_byte_exactly(text: str) -> None:
    permission = Permission.from_dict({"id": "1", "expirationDateTime": text})
    assert isinstance(permission.expiration_date_time, GraphDateTime)
    assert permission.to_dict()["expirationDateTime"] == text
    assert json.dumps(permission.to_dict()) == json.dumps({"id": "1", "expirationDateTime": text})


def test_date_time_offers_a_datetime() -> None:
    value = GraphDateTime("2016-12-31T23:59:41.3794411+00:00").to_datetime()
    assert (value.year, value.second, value.microsecond) == (2016, 41, 379441)
    assert value.utcoffset() == timedelta(0)
    assert GraphDateTime("2018-07-15T14:00:00-07:30").to_datetime().tzinfo == timezone(
        -timedelta(hours=7, minutes=30)
    )
    assert GraphDateTime.from_datetime(value) == "2016-12-31T23:59:41.379441Z"


def test_rejected_payloads_never_parse_silently() -> None:
    with pytest.raises(ValidationError) as caught:
        InviteResponse.from_dict({"value": [{"id": 5}]})
    assert caught.value.path == ("value", 0, "id")
    with pytest.raises(ValidationError):
        InviteRequest.from_dict({"recipients": []})
    with pytest.raises(ValidationError):
        InviteRequest.from_dict({"recipients": [{"email": "a@contoso.com"}], "message": "x" * 2001})


def test_password_is_kept_out_of_repr() -> None:
    request = InviteRequest.from_dict(
        {"recipients": [{"email": "a@contoso.com"}], "password": "hunter2-secret"}
    )
    assert request.password == "hunter2-secret"
    assert "hunter2-secret" not in repr(request)
    assert request.to_dict()["password"] == "hunter2-secret"


def test_models_build_from_python_and_serialise() -> None:
    request = InviteRequest(
        recipients=[models.DriveRecipient(email="ryan@contoso.com")],
        roles=[PermissionRole.WRITE],
        require_sign_in=True,
    )
    data = request.to_dict()
    assert data == {
        "recipients": [{"email": "ryan@contoso.com"}],
        "roles": ["write"],
        "requireSignIn": True,
    }
    assert InviteRequest.from_dict(data) == request


def test_models_behave_like_dataclasses_without_being_ones() -> None:
    """Plain slots classes (issue #6: `dataclasses` was a third of the import): keyword-only
    `__init__` with the schema's required fields, `repr`, `==` per class, unhashable, no stray
    attributes, a fresh `additional_properties` per instance."""
    recipient = models.DriveRecipient(email="a@contoso.com")
    assert repr(recipient) == (
        "DriveRecipient(odata_type=UNSET, email='a@contoso.com', alias=UNSET, object_id=UNSET)"
    )
    assert recipient == models.DriveRecipient(email="a@contoso.com")
    assert recipient != models.DriveRecipient(email="b@contoso.com")
    assert recipient != {"email": "a@contoso.com"}
    assert recipient.__eq__(models.ErrorDetails(code="x", message="y")) is NotImplemented
    with pytest.raises(TypeError, match="unhashable"):
        hash(recipient)
    with pytest.raises(AttributeError):
        recipient.nickname = "x"  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        models.DriveRecipient("a@contoso.com")  # type: ignore[misc]
    with pytest.raises(TypeError, match="message"):
        models.ErrorDetails(code="x")  # type: ignore[call-arg]
    first, second = models.ErrorDetails(code="a", message="b"), models.ErrorDetails(
        code="a", message="b"
    )
    first.additional_properties["k"] = 1
    assert second.additional_properties == {} and first != second
    assert models.ErrorDetails(code="a", message="b", additional_properties={"k": 1}) == first


def test_value_objects_are_immutable_and_hashable() -> None:
    from graph_invite import RequestInfo, RetryPolicy

    policy = RetryPolicy(max_retries=5)
    assert policy == RetryPolicy(5) and hash(policy) == hash(RetryPolicy(5))
    assert policy != RetryPolicy() and "max_retries=5" in repr(policy)
    with pytest.raises(AttributeError, match="immutable"):
        policy.max_retries = 1  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del policy.max_retries  # type: ignore[misc]
    info = RequestInfo("op", "POST", "/x/{id}", {"id": "1"}, body={"password": "pw-secret"})
    assert "pw-secret" not in repr(info) and "url_template='/x/{id}'" in repr(info)
    with pytest.raises(ValueError):
        RequestInfo("op", "GET", "/x/{id}", {"id": ""})


def test_models_and_value_objects_copy_and_pickle() -> None:
    import copy
    import pickle

    from graph_invite import InviteResult, RequestInfo, RetryPolicy

    response = InviteResponse.from_dict({"value": [{"id": "1", "roles": ["read"], "x-new": [1]}]})
    values = [
        InviteRequest.from_dict({"recipients": [{"email": "a@contoso.com"}], "password": "pw"}),
        response,
        RetryPolicy(5, retry_statuses=frozenset({429})),
        RequestInfo("op", "POST", "/x/{id}", {"id": "1"}, body={"a": 1}),
        InviteResult(207, response, "request-1"),
    ]
    for value in values:
        for clone in (
            copy.copy(value),
            copy.deepcopy(value),
            pickle.loads(pickle.dumps(value)),
        ):
            assert clone == value and type(clone) is type(value)
            assert clone.__class__._fields == value._fields


def test_key_walk_and_field_lookups_decode_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Open models with few fields decode by one walk over the data's keys, the others by one
    lookup per field (`model_views.KEYED_DECODE_MAX_FIELDS`); the same choice for the loaders
    (`model_loads.KEYED_LOAD_MAX_FIELDS`). The package generated with every model on lookups
    decodes and loads the body examples and the bench's Graph payloads (unknown properties at
    every level, nulls, absent fields, open enums) to the same fields."""
    monkeypatch.setattr(model_views, "KEYED_DECODE_MAX_FIELDS", 0)
    monkeypatch.setattr(model_loads, "KEYED_LOAD_MAX_FIELDS", 0)
    generation = build(
        ROOT / "spec" / "driveitem-invite.yaml", project_root=ROOT, package="lookups"
    )
    write_tree(generation.files, tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    lookups = importlib.import_module("lookups.models")
    walk = "for key, value in data.items()"
    assert walk in inspect.getsource(models._decode_SharePointIdentitySet)
    assert walk not in inspect.getsource(lookups._decode_SharePointIdentitySet)
    assert walk not in inspect.getsource(models._decode_Permission)  # 16 fields: lookups
    assert walk in inspect.getsource(models._load_Permission)
    assert walk not in inspect.getsource(lookups._load_Permission)
    payloads = [(component, value) for _, component, value in EXAMPLES]
    kinds = {"request": "inviteRequest", "response": "inviteResponse"}
    payloads += [(kinds[payload.kind], payload.data) for payload in build_corpus() if payload.valid]
    payloads.append(
        ("permission", {"id": "x", "grantedTo": None, "link": {"webUrl": None, "z": []}, "z": 1})
    )
    for component, value in payloads:
        model = MODEL_BY_COMPONENT[component]
        theirs = getattr(lookups, model.__name__)
        parsed = [
            model.from_dict(value),
            model.from_dict(value, validate=False),
            theirs.from_dict(value),
            theirs.from_dict(value, validate=False),
        ]
        assert len({repr(one) for one in parsed}) == 1
        assert all(one.to_dict() == value for one in parsed)
