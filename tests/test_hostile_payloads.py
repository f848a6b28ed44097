"""Issue 7, hostile payloads: every compiled validator and every `from_dict` fails cleanly.

Whatever it is given (10,000 levels of nesting, megabytes of text, a million items, NaN, keys that
are not strings, bytes, sets, tuples, bools for ints, objects whose `__eq__` raises), a validator
either accepts or raises `ValidationError`: never RecursionError, TypeError, a hang or unbounded
memory. A `from_dict` that succeeds gives back exactly what it read.
"""

from __future__ import annotations

import inspect
import itertools
import json
import math
import subprocess
import sys
import time
import tracemalloc
from collections import OrderedDict, UserDict
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any

import graph_invite.models as models
import graph_invite.validators as validators
import pytest
from graph_invite.validators import ValidationError

from tests.spec_examples import iter_examples

VALIDATORS: dict[str, Callable[[object], None]] = {
    name: function
    for name, function in inspect.getmembers(validators, inspect.isfunction)
    if name.startswith("validate_")
}
ERROR_ITERATORS: dict[str, Callable[[object], Iterator[ValidationError]]] = {
    name: function
    for name, function in inspect.getmembers(validators, inspect.isfunction)
    if name.startswith("iter_errors_")
}
MODELS: dict[str, Any] = {
    name: cls
    for name, cls in inspect.getmembers(models, inspect.isclass)
    if cls.__module__ == models.__name__ and hasattr(cls, "from_dict")
}
WIRE_NAMES = sorted({name for cls in MODELS.values() for name in cls._wire_names})
EXAMPLES = list(iter_examples())
# Each call must finish well within this; the slowest honest case (a 10 MB string through the
# e-mail and URI checks) takes a few hundredths of a second.
SECONDS_PER_CALL = 2.0
MEGABYTE = 1024 * 1024


class Hostile:
    """An object whose comparisons, hashing and repr all raise."""

    def __eq__(self, other: object) -> bool:
        raise RuntimeError("__eq__ called")

    def __hash__(self) -> int:
        raise RuntimeError("__hash__ called")

    def __repr__(self) -> str:
        raise RuntimeError("__repr__ called")


def nested_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


def nested_object(depth: int, key: str) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {key: value}
    return value


def every_wire_name(value: Any) -> dict[str, Any]:
    """One object holding `value` under every property name any model knows."""
    return dict.fromkeys(WIRE_NAMES, value)


LONG = "a" * (10 * MEGABYTE)
PAYLOADS: dict[str, Any] = {
    "nested list 10,000": nested_list(10_000),
    **{f"nested {key!r} 10,000": nested_object(10_000, key) for key in WIRE_NAMES},
    "every property nested 10,000": every_wire_name(nested_list(10_000)),
    "every property a nested object": every_wire_name(nested_object(10_000, "value")),
    "long string": LONG,
    "every property a long string": every_wire_name(LONG),
    "every property a long address-like string": every_wire_name("a." * MEGABYTE + "@" + "b." * 9),
    "every property long digits": every_wire_name("9" * MEGABYTE),
    "every property long date-time": every_wire_name("2024-01-01T00:00:00." + "1" * MEGABYTE + "Z"),
    "huge array": [0] * MEGABYTE,
    "every property a huge array": every_wire_name(["read"] * MEGABYTE),
    "every property a huge array of objects": every_wire_name([{}] * 100_000),
    "huge object": {str(index): index for index in range(200_000)},
    "nan": math.nan,
    "infinity": math.inf,
    "every property nan": every_wire_name(math.nan),
    "every property -infinity": every_wire_name(-math.inf),
    "every property [nan]": every_wire_name([math.nan]),
    "huge integer": 10**4000,
    "every property a huge integer": every_wire_name(10**4000),
    "non-string keys": {1: "a", None: "b", (1, 2): "c", b"roles": "d", frozenset(): "e"},
    "bool keys": {True: 1, False: 0},
    "bytes": b"read",
    "bytearray": bytearray(b"read"),
    "memoryview": memoryview(b"read"),
    "set": {"read", "write"},
    "frozenset": frozenset({"read"}),
    "tuple": ("read",),
    "range": range(3),
    "complex": 1j,
    "decimal": Decimal("1.5"),
    "fraction": Fraction(1, 3),
    "datetime": datetime(2024, 1, 1),
    "ellipsis": ...,
    "type": int,
    "function": print,
    "generator": (item for item in ["read"]),
    "hostile object": Hostile(),
    "every property hostile": every_wire_name(Hostile()),
    "every property bytes": every_wire_name(b"x"),
    "every property a set": every_wire_name({"read"}),
    "every property a tuple": every_wire_name(("read",)),
    "every property true": every_wire_name(True),
    "every property 1": every_wire_name(1),
    "every property a dict with int keys": every_wire_name({1: 2}),
    "ordered dict": OrderedDict(every_wire_name("x")),
    "mapping proxy": MappingProxyType(every_wire_name("x")),
    "user dict": UserDict(every_wire_name("x")),
    "surrogate string": "\ud800",
    "surrogate keys": {"\ud800": "\udfff"},
    "nul": "\x00",
}


def call_cleanly(function: Callable[[Any], Any], payload: Any) -> Any:
    """Call `function`; only ValidationError may escape; bounded in time."""
    start = time.perf_counter()
    try:
        result = function(payload)
    except ValidationError as error:
        # The error itself must be usable: message, path and repr.
        assert isinstance(str(error), str) and isinstance(error.path, tuple)
        assert len(str(error)) < 2000, "messages stay short whatever the payload"
        assert len(repr(error)) < 2000, "repr never prints the value (it may raise or be huge)"
        result = error
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS_PER_CALL, f"{function.__name__} took {elapsed:.1f} s"
    return result


@pytest.mark.parametrize("payload_name", sorted(PAYLOADS))
def test_every_validator_rejects_hostile_payloads_cleanly(payload_name: str) -> None:
    payload = PAYLOADS[payload_name]
    for name, validate in sorted(VALIDATORS.items()):
        outcome = call_cleanly(validate, payload)
        if isinstance(payload, Hostile | bytes | set | tuple | complex) or payload is None:
            assert isinstance(outcome, ValidationError), f"{name} accepted {payload_name}"


@pytest.mark.parametrize("payload_name", sorted(PAYLOADS))
def test_every_error_iterator_stays_clean(payload_name: str) -> None:
    payload = PAYLOADS[payload_name]
    for iterate in ERROR_ITERATORS.values():
        found = call_cleanly(
            lambda data, errors=iterate: list(itertools.islice(errors(data), 1000)), payload
        )
        for error in found:
            assert len(str(error)) < 2000 and len(repr(error)) < 2000


@pytest.mark.parametrize("payload_name", sorted(PAYLOADS))
def test_every_model_parses_or_raises_validation_error(payload_name: str) -> None:
    payload = PAYLOADS[payload_name]
    for cls in MODELS.values():
        outcome = call_cleanly(cls.from_dict, payload)
        if not isinstance(outcome, ValidationError):
            assert isinstance(outcome, cls)
            call_cleanly(lambda model: model.to_dict(), outcome)


@pytest.mark.parametrize("payload_name", ["nested list 10,000", "every property a huge array"])
def test_validation_memory_is_bounded(payload_name: str) -> None:
    payload = PAYLOADS[payload_name]
    tracemalloc.start()
    try:
        for validate in VALIDATORS.values():
            call_cleanly(validate, payload)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 * MEGABYTE, f"validating {payload_name} allocated {peak / MEGABYTE:.1f} MB"


def _leaves(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))
    else:
        yield path, value


def _replaced(value: Any, path: tuple[str | int, ...], new: Any) -> Any:
    """A copy of `value` with the leaf at `path` replaced by `new` (which need not be JSON)."""
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {
            key: _replaced(item, rest, new) if key == head else item for key, item in value.items()
        }
    return [
        _replaced(item, rest, new) if index == head else item for index, item in enumerate(value)
    ]


# JSON type of a valid leaf -> values of a confusable type that no schema position typed like the
# leaf may accept (bools are not integers and integers are not bools, bytes are not strings).
CONFUSIONS: dict[type, list[Any]] = {
    bool: [1, 0, 1.0, "true"],
    int: [True, False, "1"],
    str: [b"text", bytearray(b"text"), ("text",), {"text"}, 1, True],
}
MODEL_BY_COMPONENT = {
    "inviteRequest": (MODELS["InviteRequest"], VALIDATORS["validate_invite_request"]),
    "inviteResponse": (MODELS["InviteResponse"], VALIDATORS["validate_invite_response"]),
    "odataError": (MODELS["OdataError"], VALIDATORS["validate_odata_error"]),
    "permission": (MODELS["Permission"], VALIDATORS["validate_permission"]),
    "permissionCollection": (
        MODELS["PermissionCollection"],
        VALIDATORS["validate_permission_collection"],
    ),
    "permissionUpdate": (MODELS["PermissionUpdate"], VALIDATORS["validate_permission_update"]),
    "createLinkRequest": (MODELS["CreateLinkRequest"], VALIDATORS["validate_create_link_request"]),
    "grantRequest": (MODELS["GrantRequest"], VALIDATORS["validate_grant_request"]),
}


@pytest.mark.parametrize(("name", "component", "value"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_type_confusion_in_real_payloads_is_rejected(name: str, component: str, value: Any) -> None:
    """Every leaf of every spec example, swapped for a value of a confusable type, is refused."""
    cls, validate = MODEL_BY_COMPONENT[component]
    for path, leaf in _leaves(value):
        for wrong in CONFUSIONS.get(type(leaf), []):
            payload = _replaced(value, path, wrong)
            outcome = call_cleanly(validate, payload)
            assert isinstance(outcome, ValidationError), f"{name} {path}: {wrong!r} accepted"
            # At the leaf, or at an enclosing `anyOf: [T, null]` that reports as a whole.
            assert path[: len(outcome.path)] == outcome.path, (outcome.path, path)
            assert isinstance(call_cleanly(cls.from_dict, payload), ValidationError)


# --- Recursive schemas (not in the invite spec): generated into a scratch package ---------------

RECURSIVE_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "recursion", "version": "1"},
    "paths": {
        "/items/{id}/invite": {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "post": {
                "operationId": "invite",
                "requestBody": {
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/node"}}
                    }
                },
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/node"}}
                        },
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "node": {
                "type": "object",
                "properties": {
                    "child": {"$ref": "#/components/schemas/node"},
                    "kids": {"type": "array", "items": {"$ref": "#/components/schemas/node"}},
                },
            },
            "tree": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/tree"}},
                ]
            },
        }
    },
}
RECURSION_PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from graph_invite.validators import ValidationError, validate_node, validate_tree
from graph_invite.models import Node

def nest(depth, key):
    value = {}
    for _ in range(depth):
        value = {key: value} if key == "child" else {"kids": [value]}
    return value

def tree(depth):
    value = "leaf"
    for _ in range(depth):
        value = [value]
    return value

cases = {
    "validate_node child": lambda depth: validate_node(nest(depth, "child")),
    "validate_node kids": lambda depth: validate_node(nest(depth, "kids")),
    "validate_tree": lambda depth: validate_tree(tree(depth)),
    "Node.from_dict child": lambda depth: Node.from_dict(nest(depth, "child")).to_dict(),
    "Node.from_dict kids": lambda depth: Node.from_dict(nest(depth, "kids")).to_dict(),
}
outcomes = {}
for name, case in cases.items():
    for depth in (10, 100, 400, 500, 511, 600, 10_000):
        try:
            case(depth)
            outcome = "ok"
        except ValidationError:
            outcome = "ValidationError"
        except RecursionError:
            outcome = "RecursionError"
        outcomes[f"{name} at depth {depth}"] = outcome
print(json.dumps(outcomes))
"""


@pytest.fixture(scope="module")
def recursion_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    from generator.output.writer import write_tree
    from generator.pipeline import build

    folder = tmp_path_factory.mktemp("recursive")
    (folder / "spec.json").write_text(json.dumps(RECURSIVE_SPEC), encoding="utf-8")
    write_tree(
        build(folder / "spec.json", project_root=folder, package="graph_invite").files,
        folder / "out",
    )
    completed = subprocess.run(
        [sys.executable, "-I", "-c", RECURSION_PROBE, str(folder / "out")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    outcomes: dict[str, str] = json.loads(completed.stdout)
    return outcomes


@pytest.mark.parametrize("case", ["validate_node child", "validate_node kids", "validate_tree"])
def test_recursive_validators_never_raise_recursion_error(
    recursion_outcomes: dict[str, str], case: str
) -> None:
    """The depth guard turns 10,000 levels into a ValidationError, also when the recursion runs
    through an `anyOf` branch (`tree`) rather than a direct `$ref`."""
    failures = {
        name: outcome
        for name, outcome in recursion_outcomes.items()
        if name.startswith(case) and outcome == "RecursionError"
    }
    assert not failures
    assert recursion_outcomes[f"{case} at depth 10000"] == "ValidationError"


@pytest.mark.parametrize("case", ["Node.from_dict child", "Node.from_dict kids"])
def test_recursive_models_parse_whatever_the_validator_accepts(
    recursion_outcomes: dict[str, str], case: str
) -> None:
    """`from_dict` must not die of recursion on data its own validator accepted (up to 512
    levels): decoding `kids` takes two frames per level (comprehension + `_from_valid`)."""
    failures = {
        name: outcome
        for name, outcome in recursion_outcomes.items()
        if name.startswith(case) and outcome == "RecursionError"
    }
    assert not failures


def test_payload_catalogue_covers_every_validator_and_model() -> None:
    assert len(VALIDATORS) >= 20 and len(MODELS) >= 15
    assert set(ERROR_ITERATORS) == {
        name.replace("validate_", "iter_errors_") for name in VALIDATORS
    }
    assert Path(validators.__file__).parent == Path(models.__file__).parent
