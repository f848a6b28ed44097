"""Model lookup and response-shape strategies for the round-trip properties.

200-style responses carry no per-permission `error`; 207-style ones (partial success) have at
least one permission carrying an `inviteRecipientError`. Both are drawn from the generated
`invite_response()` strategy, which draws either shape at random.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import graph_invite.models
from graph_invite.strategies import invite_recipient_error, invite_response, permission
from hypothesis import strategies as st

from generator.ir.build import api_from_spec
from generator.ir.model import Api
from generator.spec.refs import resolve_spec
from tests.conftest import SPEC


@cache
def spec_api() -> Api:
    """The IR of the spec: its models, schema bundle and validator entry points."""
    return api_from_spec(resolve_spec(SPEC))


@cache
def model_classes() -> dict[str, Any]:
    """Schema name (`invite_request`) -> generated model class (`InviteRequest`), every model."""
    api = spec_api()
    return {
        model.snake_name: getattr(graph_invite.models, model.class_name) for model in api.models
    }


def without_errors(response: dict[str, Any]) -> dict[str, Any]:
    """The response with every permission's `error` removed (what a 200 looks like)."""
    value = [{k: v for k, v in item.items() if k != "error"} for item in response["value"]]
    return {**response, "value": value}


def ok_responses() -> st.SearchStrategy[dict[str, Any]]:
    """200-style invite responses: no permission carries an error."""
    return invite_response().map(without_errors)


@st.composite
def partial_responses(draw: st.DrawFn) -> dict[str, Any]:
    """207-style invite responses: one or more permissions carry an error, the others may not."""
    response = draw(invite_response())
    value = list(response["value"]) or [draw(permission())]
    failed = draw(st.sets(st.integers(0, len(value) - 1), min_size=1))
    for index in sorted(failed):
        value[index] = {**value[index], "error": draw(invite_recipient_error())}
    return {**response, "value": value}
