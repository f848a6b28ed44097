"""ECMA-262 patterns translated to Python `re`: semantics, refusals, and `format: regex`."""

from __future__ import annotations

import re

import pytest

from generator.emit.validators import compile_schema
from generator.errors import SchemaCompileError
from generator.jsonschema.ecma_regex import _is_ecma_regex, ecma_to_python
from tests.test_compile_schema import load


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        ("^abc$", ["abc"], ["abc\n"]),
        ("^\\d+$", ["123"], ["\u0661\u0662"]),  # Arabic-Indic digits are not \d
        ("^\\w$", ["a", "_"], ["\u00e9"]),
        ("^\\s$", ["\u00a0", "\ufeff", "\u2003"], ["a"]),
        ("^\\S$", ["a"], ["\u3000"]),
        ("^.$", ["a"], ["\n", "\r", "\u2028"]),
        ("^\\cC$", ["\x03"], ["cC"]),
        ("^\\p{Letter}+$", ["\u00e9cole", "Stra\u00dfe"], ["a1"]),
        ("^\\p{digit}+$", ["\u09ea2"], ["x"]),
        ("^\\P{L}$", ["1"], ["a"]),
        ("^(?<year>\\d{4})-\\k<year>$", ["2020-2020"], ["2020-2021"]),
        ("^[\\s\\S]$", ["x", " "], ["xy"]),
        ("^[^\\S\\n]$", [" ", "\t"], ["\n", "x"]),
        ("^[^]$", ["\n"], [""]),
        ("[]", [], ["", "a"]),
        ("^\\u{1F432}$", ["\U0001f432"], ["x"]),
        ("^\\ud83d\\udc32$", ["\U0001f432"], ["\ud83d"]),
        ("^[a\\-z]+$", ["a-z"], ["b"]),
        ("\\bword\\b", ["a word."], ["swordfish"]),
    ],
)
def test_ecma_semantics(pattern: str, matching: list[str], not_matching: list[str]) -> None:
    compiled = re.compile(ecma_to_python(pattern))
    assert _is_ecma_regex(pattern)
    for text in matching:
        assert compiled.search(text), text
    for text in not_matching:
        assert not compiled.search(text), text


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("\\a", "invalid escape"),
        ("(?i)a", "invalid group"),
        ("(?P<name>a)", "invalid group"),
        ("a{", "lone {"),
        ("\\Z", "invalid escape"),
        ("(a)\\2", "group 2"),
        ("\\p{Nope}", "unknown Unicode property"),
        ("[z-a]", "out of order"),
        ("(" * 3000 + ")" * 3000, "nested too deeply"),
    ],
)
def test_invalid_ecma_patterns_are_refused(pattern: str, message: str) -> None:
    assert not _is_ecma_regex(pattern)
    with pytest.raises(ValueError, match=message):
        ecma_to_python(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(?<=a+)b", "lookbehind of variable width"),
        ("\\p{Script=Greek}", "no script data"),
        ("\\p{Alphabetic}", "not supported"),
    ],
)
def test_valid_ecma_that_re_cannot_express_is_refused_precisely(pattern: str, message: str) -> None:
    assert _is_ecma_regex(pattern)  # valid ECMA-262: format "regex" accepts it
    with pytest.raises(SchemaCompileError, match=message) as raised:
        compile_schema({"properties": {"a": {"pattern": pattern}}})
    assert raised.value.pointer == "#/properties/a/pattern"


def test_format_regex_is_ecma_syntax_in_compiled_modules() -> None:
    module = load(compile_schema({"format": "regex"}, assert_formats=True))
    assert not list(module.iter_errors("(?<year>\\d{4})\\p{L}+"))
    assert not list(module.iter_errors("(?<=a+)b"))
    for text in ("(?P<a>x)", "\\a", "(?i)x", "(" * 5000):
        [error] = list(module.iter_errors(text))
        assert error.rule == "format"


def test_pattern_properties_use_ecma_semantics() -> None:
    module = load(
        compile_schema(
            {
                "patternProperties": {"^\\d+$": {"type": "integer"}},
                "unevaluatedProperties": False,
            }
        )
    )
    assert not list(module.iter_errors({"12": 1}))
    assert [error.rule for error in module.iter_errors({"12": "x"})] == ["type"]
    # Not \d in ECMA-262: the key is left unevaluated.
    assert [error.rule for error in module.iter_errors({"\u0661": 1})] == ["unevaluatedProperties"]


@pytest.mark.parametrize("escape", ["\\:", "\\@", "\\-", "\\'", '\\"', "\\ ", "\\#", "\\_", "\\,"])
def test_punctuation_escapes_are_literal_in_patterns_but_invalid_regex_format(escape: str) -> None:
    """Annex B reads `\\:` as `:` (real specs write `^[a-z\\-\\:]+$`); Unicode mode, which
    `format: regex` checks, refuses it. Letters stay errors: `\\a`, `\\e` mean other things."""
    translated = ecma_to_python(f"^a{escape}b$")
    assert re.search(translated, f"a{escape[1]}b") and not re.search(translated, "a\\b")
    assert re.search(ecma_to_python(f"^[{escape}]$"), escape[1])
    assert not _is_ecma_regex(f"a{escape}b")  # `\-` is valid in Unicode mode only in a class
    with pytest.raises(ValueError, match="invalid escape"):
        ecma_to_python("a\\eb")
