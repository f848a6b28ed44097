"""The boolean walk checks an object's `properties` in one pass over its items (issue 19).

Same verdicts as python-jsonschema and as the first-error / all-errors walks, which keep one
`in` test per property (their errors follow schema order).
"""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from generator.emit.validators import compile_validators
from tests.test_compile_schema import errors_of, load, unused_names

KINDS = ("open", "closed", "wide", "open_wide", "patterned")
BUNDLE: dict[str, Any] = {
    "$defs": {
        "list": {
            "type": "object",
            "properties": {
                kind: {"type": "array", "items": {"$ref": f"#/$defs/{kind}"}} for kind in KINDS
            },
        },
        "open": {
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "size": {"type": "integer", "minimum": 0},
                "mail": {"type": "string", "format": "email"},
                "note": {"description": "checks nothing"},
            },
        },
        "closed": {
            "type": "object",
            "properties": {
                "id": {"type": "string"},
                "note": True,
                "tags": {"type": "array", "items": {"type": "string"}},
            },
            "additionalProperties": False,
        },
        "wide": {
            # More names than MAX_KEY_CHAIN: the key's length picks the names to compare.
            "type": "object",
            "properties": {
                **{name: {"type": "integer"} for name in ("a", "b", "cc", "dd", "eee")},
                **{name: {"type": "string"} for name in ("ffff", "gggg", "hhhhh", "iiiiii")},
                "jjjjjjj": {"type": "array", "items": {"type": "boolean"}},
                "note": {"description": "checks nothing"},
            },
            "additionalProperties": False,
        },
        "open_wide": {
            "type": "object",
            "properties": {name: {"type": "integer"} for name in "abcdefghij"},
        },
        "patterned": {
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "patternProperties": {"^x-": {"type": "integer"}},
            "additionalProperties": False,
        },
    }
}
ENTRIES = [("list", "#/$defs/list")]
# Each instance puts its object second in its array: the first item is checked by the
# first-error walk, the others by the boolean function (`_is_valid_<name>`).
FIRST = {"open": {"id": "a"}, "closed": {}, "wide": {}, "open_wide": {}, "patterned": {}}
OBJECTS: list[tuple[str, Any]] = [
    ("open", {"id": "a", "size": 3, "mail": "a@example.com", "note": [1], "other": None}),
    ("open", {"id": "a", "size": -1}),
    ("open", {"id": "a", "size": 1.5}),
    ("open", {"id": "a", "mail": "no-at-sign"}),
    ("open", {"size": 1}),
    ("open", {"id": 1}),
    ("open", {1: "x", "id": "a"}),
    ("open", []),
    ("closed", {"id": "a", "note": {"anything": 1}, "tags": ["x"]}),
    ("closed", {"note": None}),
    ("closed", {"id": "a", "extra": 1}),
    ("closed", {"tags": ["x", 2]}),
    ("closed", {"tags": "x"}),
    ("closed", {("t",): 1}),
    ("wide", {"a": 1, "cc": 2, "eee": 3, "gggg": "g", "iiiiii": "i", "jjjjjjj": [True]}),
    ("wide", {"b": 1, "dd": 2, "ffff": "f", "hhhhh": "h", "note": {"any": 1}}),
    ("wide", {"dd": "2"}),
    ("wide", {"jjjjjjj": [1]}),
    ("wide", {"zz": 1}),  # unknown, with the length of known names
    ("wide", {"zzzzzzzzzzzzz": 1}),  # unknown, longer than any
    ("wide", {"": 1}),
    ("wide", {"notes": 1}),
    ("open_wide", {"a": 1, "j": 2, "k": "any", "zzzz": None}),
    ("open_wide", {"k": 1, "j": "2"}),
    ("open_wide", {"e": 1.5}),
    ("patterned", {"id": "a", "x-count": 2}),
    ("patterned", {"x-count": "2"}),
    ("patterned", {"y": 1}),
]


def _function(source: str, name: str) -> str:
    match = re.search(rf"^def {name}\(.*?(?=^def |\Z)", source, re.MULTILINE | re.DOTALL)
    assert match is not None, name
    return match.group(0)


def test_the_boolean_walk_reads_each_key_once() -> None:
    source = compile_validators(BUNDLE, ENTRIES)
    for name in ("open", "closed", "wide", "open_wide"):
        function = _function(source, f"_is_valid_{name}")
        assert re.search(r"for key_\d+, value_\d+ in data\.items\(\):", function), function
        assert not re.search(r"if ['\"]\w+['\"] in data:", function), function  # `required` stays
    wide = _function(source, "_is_valid_wide")
    assert re.search(r"length_\d+ = len\(key_\d+\)", wide), wide
    assert re.search(r"if length_\d+ < \d+:", wide), wide  # bisected
    closed = _function(source, "_is_valid_closed")
    # `note` checks nothing: it is only exempt from the closed object's failure.
    assert re.search(r"elif key_\d+ != ['\"]note['\"]:\n\s+return False", closed), closed
    # patternProperties reads the keys itself: that object keeps its own loops.
    assert ".items()" not in _function(source, "_is_valid_patterned").split("for key_1")[0]
    assert not unused_names(source)


@pytest.mark.parametrize(("kind", "instance"), OBJECTS, ids=range(len(OBJECTS)))
def test_the_walk_gives_the_verdicts_of_jsonschema(kind: str, instance: Any) -> None:
    module = load(compile_validators(BUNDLE, ENTRIES))
    document = {kind: [FIRST[kind], instance]}
    schema = {**BUNDLE, "$ref": "#/$defs/list"}
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    if all(isinstance(key, str) for key in instance if isinstance(instance, dict)):
        expected = jsonschema.Draft202012Validator(schema, format_checker=checker).is_valid(
            json.loads(json.dumps(document))
        )
    else:
        expected = False  # a JSON object's keys are strings
    errors = errors_of(module, document, "_list")
    assert (not errors) == expected, errors
    # The first-error walk re-checks an item the boolean function rejects: ask it directly too.
    assert getattr(module, f"_is_valid_{kind}")(instance) == expected
