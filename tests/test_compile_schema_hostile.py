"""Hostile instances against compiled validators (issue 18: M7 and the Low findings).

No method an instance's class defines runs while it is checked. Containers are exactly `dict`
(with exactly-`str` keys) and `list`, numbers exactly `int` and `float`: their subclasses are of no
JSON type (like a tuple or a set), so a `dict` subclass whose methods raise gives an ordinary
ValidationError. A `str` subclass (the generated `GraphDateTime`, a str enum) is a string judged
by its plain value: a lying `__eq__`/`__hash__`/`__len__` never decides an enum or a length. Running out of stack is a `depth` error at the deepest data path reached, and
messages stay short whatever the keys and values.
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterator
from enum import Enum, IntEnum
from typing import Any, NoReturn
from unittest.mock import Mock

import pytest

from generator.emit.validators import compile_schema
from tests.test_compile_schema import TREE, compiled, errors_of, load, nested_tree


class LyingText(str):
    """Equal to anything, hashed like "a": it would pass any `in` test of a str set."""

    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    def __hash__(self) -> int:
        return hash("a")


class LyingNumber(int):
    """Equal to anything, between every bound."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash(1)

    def __lt__(self, other: object) -> bool:
        return False

    def __gt__(self, other: object) -> bool:
        return False

    def __le__(self, other: object) -> bool:
        return True

    def __ge__(self, other: object) -> bool:
        return True


def _stop(*arguments: object) -> NoReturn:
    # StopIteration inside a generator (the iter_errors walk) becomes RuntimeError (PEP 479).
    raise StopIteration


class RaisingDict(dict[Any, Any]):
    """Every method a validator might call raises StopIteration."""

    __iter__ = __len__ = __contains__ = __getitem__ = __eq__ = __hash__ = _stop  # type: ignore[assignment]
    keys = items = values = get = _stop  # type: ignore[assignment]


class RaisingList(list[Any]):
    """Every method a validator might call raises StopIteration."""

    __iter__ = __len__ = __contains__ = __getitem__ = __eq__ = __hash__ = _stop  # type: ignore[assignment]


class RaisingText(str):
    """Every method a validator might call raises StopIteration."""

    __iter__ = __len__ = __contains__ = __getitem__ = __eq__ = __hash__ = _stop  # type: ignore[assignment]
    isidentifier = encode = _stop  # type: ignore[assignment]


class RaisingKey(str):
    """Hashed like a str (so a dict can hold it), but raises when compared or measured."""

    __eq__ = __ne__ = __len__ = __iter__ = __getitem__ = _stop  # type: ignore[assignment]
    __hash__ = str.__hash__
    isidentifier = encode = _stop  # type: ignore[assignment]


class LyingFloat(float):
    """Equal to anything."""

    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return hash(1.5)


class Color(str, Enum):
    RED = "red"


class Size(IntEnum):
    ONE = 1


class ShortText(str):
    """Claims to be empty and to contain everything."""

    def __len__(self) -> int:
        return 0

    def __contains__(self, other: object) -> bool:
        return True


STRINGS = [
    {"enum": ["red", "blue"]},
    {"type": "string", "enum": ["red", "blue"]},
    {"enum": ["red", 1, None]},
    {"const": "red"},
    {"enum": [["red"], {"k": "red"}]},
    {"anyOf": [{"enum": ["red"]}, {"type": "null"}]},
    {"type": "string", "maxLength": 3, "pattern": "^r"},
]


def _as_strings(text: str) -> list[Any]:
    """`text` as a plain str and as every kind of str subclass, alone and nested."""
    kinds: list[Any] = [text, LyingText(text), ShortText(text)]
    if text == "red":
        kinds.append(Color.RED)
    return [*kinds, *([kind] for kind in kinds), *({"k": kind} for kind in kinds)]


@pytest.mark.parametrize("schema", STRINGS, ids=range(len(STRINGS)))
def test_str_subclasses_are_strings_judged_by_their_plain_value(schema: Any) -> None:
    module = compiled(schema)
    for text in ("red", "green"):
        for instance in _as_strings(text):
            # json.dumps writes a str subclass's characters: the verdict is the plain JSON's.
            plain = json.loads(json.dumps(instance))
            expected = [error.rule for error in errors_of(module, plain)]
            assert [error.rule for error in errors_of(module, instance)] == expected, instance
    assert errors_of(module, LyingText("green")), "a lying __eq__/__hash__ decided an enum"


def test_a_lying_length_or_format_method_never_runs() -> None:
    module = compiled({"maxLength": 3, "format": "email"}, assert_formats=True)
    assert [error.rule for error in errors_of(module, ShortText("a@example.com"))] == ["maxLength"]
    assert [error.rule for error in errors_of(module, ShortText("abc"))] == ["format"]


@pytest.mark.parametrize(
    "schema",
    [{"type": "integer"}, {"const": 1}, {"enum": [1, "x"]}, {"type": "number", "minimum": 0}],
    ids=["integer", "const", "enum", "number"],
)
@pytest.mark.parametrize(
    "instance",
    [LyingNumber(1), Size.ONE, True, LyingFloat(1.0)],
    ids=["lying", "int-enum", "bool", "lying-float"],
)
def test_int_and_float_subclasses_are_no_numbers(schema: Any, instance: Any) -> None:
    assert errors_of(compiled(schema), instance), f"{instance!r} passed {schema}"
    assert errors_of(compiled(schema), json.loads(json.dumps(int(instance)))) == []


@pytest.mark.parametrize(
    ("type_name", "instance"),
    [
        ("object", OrderedDict(a=1)),
        ("object", defaultdict(int, a=1)),
        ("object", {LyingText("a"): 1}),
        ("array", RaisingList()),
        ("string", Mock(spec=str)),
    ],
    ids=["ordered-dict", "defaultdict", "subclass-key", "list-subclass", "mock-claiming-str"],
)
def test_subclasses_are_of_no_json_type(type_name: str, instance: Any) -> None:
    [error] = errors_of(compiled({"type": type_name}), instance)
    assert error.rule == "type"


HOSTILE = {
    "raising dict": RaisingDict(a="x"),
    "raising list": RaisingList(["x"]),
    "raising str": RaisingText("x"),
    "raising key": {RaisingKey("a"): 1, RaisingKey("b"): 2},
    "raising value": {"a": RaisingDict(), "b": [RaisingList()], "c": RaisingText("c")},
    "raising items": [RaisingDict(), RaisingText("x"), RaisingList()],
}
SCHEMAS = [
    {"type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]},
    {"properties": {"a": {"minLength": 2}}, "additionalProperties": False},
    {"patternProperties": {"^a": {"enum": ["x"]}}, "propertyNames": {"maxLength": 1}},
    {"minProperties": 1, "dependentRequired": {"a": ["b"]}, "unevaluatedProperties": False},
    {"items": {"const": {"a": 1}}, "uniqueItems": True, "contains": {"type": "string"}},
    {"anyOf": [{"type": "array"}, {"required": ["a"]}], "not": {"enum": [1]}},
    {"oneOf": [{"maxLength": 1}, {"pattern": "x"}], "format": "email"},
    TREE,
]


@pytest.mark.parametrize("name", sorted(HOSTILE))
@pytest.mark.parametrize("schema", SCHEMAS, ids=range(len(SCHEMAS)))
def test_raising_instances_give_validation_errors(name: str, schema: Any) -> None:
    module = compiled(schema, assert_formats=True)
    # errors_of runs iter_errors and validate; anything but ValidationError fails the test
    # (before the fix: StopIteration from validate, RuntimeError from iter_errors).
    errors = errors_of(module, HOSTILE[name])
    assert all(len(str(error)) < 300 for error in errors)


def _with_stack_left(frames: int, call: Callable[[], Any]) -> Any:
    """Run `call` with only about `frames` frames left before the recursion limit."""
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]

    def descend(remaining: int) -> Any:
        return call() if remaining <= 0 else descend(remaining - 1)

    return descend(sys.getrecursionlimit() - depth - frames)


def _chain(depth: int) -> dict[str, Any]:
    """A valid instance of TREE nested `depth` levels (below the 512-level depth limit)."""
    return nested_tree(depth)


def test_stack_running_out_is_a_depth_error_with_its_path() -> None:
    module = load(compile_schema(TREE))
    instance = _chain(400)

    def first_error() -> Any:
        try:
            module.validate(instance)
        except module.ValidationError as error:
            return error
        return None

    def all_errors() -> list[Any]:
        return list(module.iter_errors(instance))

    error = _with_stack_left(150, first_error)
    assert error is not None and error.rule == "depth", "RecursionError escaped or was hidden"
    assert error.path[:4] == ("children", 0, "children", 0) and len(error.path) > 20
    assert "nested too deeply" in str(error) and len(str(error)) < 300
    errors = _with_stack_left(150, all_errors)
    assert [error.rule for error in errors] == ["depth"]
    # With the whole stack, the same instance is valid: the limit is the stack, not the schema.
    assert errors_of(module, instance) == []


def test_fast_walk_treats_a_full_stack_as_invalid() -> None:
    # The boolean walk (an anyOf branch) answers False instead of raising.
    schema = {"$defs": TREE["$defs"], "anyOf": [{"type": "null"}, {"$ref": "#/$defs/node"}]}
    module = load(compile_schema(schema))
    verdict = _with_stack_left(150, lambda: list(module.iter_errors(_chain(400))))
    assert [error.rule for error in verdict] == ["anyOf"]


def _keys(count: int, length: int) -> Iterator[str]:
    return (f"{index}" + "k" * length for index in range(count))


def test_messages_stay_short_for_huge_keys_and_values() -> None:
    # Issue 18 M7: a 10 MB key gave a 10 MB message.
    huge = "k" * 10_000_000
    module = compiled(
        {
            "additionalProperties": False,
            "properties": {"a": {"additionalProperties": {"type": "integer"}}},
        }
    )
    errors = errors_of(module, {huge: 1, "a": {huge: "x" * 10_000_000}})
    assert sorted(error.rule for error in errors) == ["additionalProperties", "type"]
    assert all(len(str(error)) < 200 for error in errors)
    paths = [error.path for error in errors if error.rule == "type"]
    assert paths == [("a", huge)], "the full path stays in ValidationError.path"
    deep: Any = 1
    for key in _keys(100, 1000):
        deep = {key: deep}
    nested = {"additionalProperties": {"$ref": "#"}, "type": "object"}
    [error] = errors_of(compiled(nested), deep)
    assert len(str(error)) < 1000 and len(error.path) == 100
