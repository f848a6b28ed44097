"""Round-trip properties: for every instance the generated strategies draw, the compiled
validator accepts it and the generated model reads and writes it back unchanged, before and after
a trip through JSON text; and a model survives `from_dict(to_dict())`.

Requests, 200-style and 207-style responses (each permission too) and error bodies are covered,
as is every other model (the parametrized test). Example counts come from the Hypothesis
profile (`ci`: 100 per test, derandomized; `deep`: 2000).
"""

from __future__ import annotations

import json
from typing import Any

import graph_invite.validators
import pytest
from graph_invite import InviteResponse, InviteResult, Permission

from tests.strategies_differential import run_property
from tests.strategies_models import model_classes, ok_responses, partial_responses

MODELS = model_classes()


def check_round_trip(name: str, data: Any) -> Any:
    """The three properties of one drawn instance of schema `name`; returns the parsed model."""
    model = MODELS[name]
    getattr(graph_invite.validators, f"validate_{name}")(data)
    parsed = model.from_dict(data)
    assert parsed.to_dict() == data
    reloaded = json.loads(json.dumps(data))
    assert model.from_dict(reloaded).to_dict() == reloaded
    assert model.from_dict(reloaded) == parsed
    assert model.from_dict(parsed.to_dict()) == parsed
    return parsed


def test_every_model_has_a_strategy() -> None:
    import graph_invite.strategies as strategies

    assert set(MODELS) <= set(strategies.__all__)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_model_round_trips(name: str) -> None:
    import graph_invite.strategies as strategies

    run_property(getattr(strategies, name)(), lambda data: check_round_trip(name, data))


def test_200_response_and_each_permission_round_trip() -> None:
    run_property(ok_responses(), check_200_response)


def check_200_response(data: dict[str, Any]) -> None:
    """A 200-style body and each of its permissions round-trip; none counts as failed."""
    body = check_round_trip("invite_response", data)
    for item in data["value"]:
        check_round_trip("permission", item)
    result = InviteResult(status_code=200, body=body)
    assert result.failed == []
    assert result.succeeded == result.permissions


def test_207_response_and_each_permission_round_trip() -> None:
    run_property(partial_responses(), check_207_response)


def check_207_response(data: dict[str, Any]) -> None:
    """A 207-style body and each of its permissions round-trip; those with an error failed."""
    body: InviteResponse = check_round_trip("invite_response", data)
    permissions: list[Permission] = [check_round_trip("permission", item) for item in data["value"]]
    result = InviteResult(status_code=207, body=body)
    assert result.failed, "a 207-style response has at least one permission with an error"
    assert result.failed == [
        p
        for p, item in zip(permissions, data["value"], strict=True)
        if item.get("error") is not None
    ]
    assert len(result.failed) + len(result.succeeded) == len(result.permissions)
