"""Issue 7, fuzzing: arbitrary bytes and arbitrary JSON through every validator and `from_dict`.

Only `ValidationError` may come out of a validator or a model (and, for raw bytes, the JSON decode
error before them). A model that parses must write back exactly what it read. The `ci` profile
keeps this to seconds; `make test-deep` runs 20 times the examples with random seeds.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Callable
from typing import Any

import graph_invite.models as models
import graph_invite.validators as validators
from graph_invite.validators import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.spec_examples import iter_examples

VALIDATORS: list[Callable[[object], None]] = [
    function
    for name, function in sorted(inspect.getmembers(validators, inspect.isfunction))
    if name.startswith("validate_")
]
MODELS: list[Any] = [
    cls
    for _, cls in sorted(inspect.getmembers(models, inspect.isclass))
    if cls.__module__ == models.__name__ and hasattr(cls, "from_dict")
]
WIRE_NAMES = sorted({name for cls in MODELS for name in cls._wire_names})
EXAMPLES = [value for _, _, value in iter_examples()]

# Keys the schemas know, so random objects reach the nested checks instead of failing at once.
keys = st.one_of(st.sampled_from(WIRE_NAMES), st.text(max_size=10))
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),  # NaN and infinities included: what json.loads makes of NaN/Infinity
    st.text(max_size=30),
    st.sampled_from(["read", "write", "owner", "ryan@contoso.com", "2024-05-01T10:00:00Z"]),
    st.sampled_from(["https://contoso.sharepoint.com/x", "user", "view", "edit", "anonymous"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5),
    max_leaves=25,
)


def _mutate(value: Any, path: list[int], replacement: Any) -> Any:
    """Replace the node reached by following `path` (indices into children) with `replacement`."""
    if not path or not isinstance(value, dict | list) or not value:
        return replacement
    children = list(value.items()) if isinstance(value, dict) else list(enumerate(value))
    position = path[0] % len(children)
    if isinstance(value, dict):
        return {
            key: _mutate(item, path[1:], replacement) if index == position else item
            for index, (key, item) in enumerate(children)
        }
    return [
        _mutate(item, path[1:], replacement) if index == position else item
        for index, item in children
    ]


# A real example with one node replaced: near-valid data exercises the deepest checks.
near_valid = st.builds(
    _mutate,
    st.sampled_from(EXAMPLES),
    st.lists(st.integers(min_value=0, max_value=50), max_size=6),
    json_values,
)


def drive(data: Any) -> None:
    """Every validator and every model on `data`: accept, or raise ValidationError only."""
    for validate in VALIDATORS:
        try:
            validate(data)
        except ValidationError as error:
            assert error.path is not None and str(error)
    for cls in MODELS:
        try:
            parsed = cls.from_dict(data)
        except ValidationError:
            continue
        written = parsed.to_dict()
        assert _same_json(written, data), (cls.__name__, written, data)
        assert cls.from_dict(written) == parsed


def _same_json(left: Any, right: Any) -> bool:
    """Equality that treats NaN as equal to NaN (a valid `number` may be NaN only if allowed)."""
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same_json(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_same_json, left, right))
    return type(left) is type(right) and bool(left == right)


@given(st.binary(max_size=300))
def test_arbitrary_bytes(raw: bytes) -> None:
    try:
        data = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return
    drive(data)


@given(st.text(alphabet='{}[]",:0123456789.eE-+ntrufalsNIiy\\ ', max_size=200))
def test_json_looking_text(text: str) -> None:
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return
    drive(data)


@given(json_values)
def test_arbitrary_json(data: Any) -> None:
    drive(data)


@settings(max_examples=max(100, settings().max_examples * 2))
@given(near_valid)
def test_near_valid_payloads(data: Any) -> None:
    drive(data)
