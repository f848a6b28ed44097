"""Conditions as text: negation, parentheses, and fast-variant bodies folded into one expression.

A subschema whose verdict is needed as a boolean (an `anyOf` branch, a `not`) would otherwise
become a function of its own. When its fast code is only guards (`if <test>:` ... `return False`),
`guards_expression` folds it into one expression that the caller inlines: `"email" in data` costs
a dict lookup where a call costs a frame (issue #6: 40 ns against 370 ns per `required` branch).
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.jsonschema.writer import INDENT

_SIMPLE_CALL = re.compile(r"[A-Za-z_][\w.]*\([^()]*\)")
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_PARENTHESISED = re.compile(r"\([^()]*\)")
_IS_NONE = re.compile(r"(?:[\w.]+|type\(\w+\)) is (?:None|\w+)")
_IS_NOT_NONE = re.compile(r"(?:[\w.]+|type\(\w+\)) is not (?:None|\w+)")
_NOT_IN = re.compile(r"(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\") not in [\w.]+")

# Larger bodies stay functions: an inlined expression is repeated text, and past a few tests
# the call is no longer the cost that matters.
MAX_INLINE_TESTS = 3
# The boolean walk writes a `$ref` target's body in place of its call (a frame per nested object)
# when the body takes at most this many lines, nested inlined bodies included.
MAX_INLINE_LINES = 200


@lru_cache(maxsize=16384)
def negate(condition: str) -> str:
    """`not <condition>`, parenthesised only when needed; `x is None` becomes `x is not None`,
    `type(x) is str` becomes `type(x) is not str`."""
    if _IS_NOT_NONE.fullmatch(condition):
        return condition.replace(" is not ", " is ", 1)
    if _IS_NONE.fullmatch(condition):
        return condition.replace(" is ", " is not ", 1)
    if _NOT_IN.fullmatch(condition):
        return condition.replace(" not in ", " in ", 1)
    if condition.startswith("not ") and _is_atom(condition[4:]):
        return condition[4:]
    if _is_atom(condition):
        return f"not {condition}"
    return f"not ({condition})"


def unwrap(condition: str) -> str:
    """Drop one pair of parentheses around the whole condition, if there is one."""
    return condition[1:-1] if _is_wrapped(condition) else condition


def _is_atom(condition: str) -> bool:
    """Whether `not` can precede the condition without parentheses."""
    return _SIMPLE_CALL.fullmatch(condition) is not None or _is_wrapped(condition)


@lru_cache(maxsize=16384)
def _is_wrapped(condition: str) -> bool:
    """Whether the whole condition sits in one pair of parentheses."""
    text = _STRING_LITERAL.sub("''", condition)
    if not text.startswith("("):
        return False
    depth = 0
    for position, character in enumerate(text):
        if character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
            if depth == 0:
                return position == len(text) - 1
    return False


def _has_top_level(condition: str, operator: str) -> bool:
    """Whether `operator` (" or ", " and ") occurs outside parentheses and string literals."""
    text = _STRING_LITERAL.sub("''", condition)
    while _PARENTHESISED.search(text):
        text = _PARENTHESISED.sub("_", text)
    return operator in text


def operand(condition: str) -> str:
    """The condition, parenthesised unless it is a call or already wrapped (for `+`, `not`)."""
    return condition if _is_atom(condition) else f"({condition})"


def group(condition: str) -> str:
    """The condition, parenthesised when it would not bind as one operand of `and`."""
    return f"({condition})" if _has_top_level(condition, " or ") else condition


def guards_expression(lines: list[str], level: int) -> str | None:
    """Fast-variant body made of guards only -> expression true exactly when it passes.

    `lines` are written at indentation `level`; any other statement (an assignment, a loop)
    or more than MAX_INLINE_TESTS tests gives None: such a body stays a function.
    """
    tests: list[int] = [0]
    terms = _block(lines, 0, level, tests)
    if terms is None or terms[1] != len(lines) or tests[0] > MAX_INLINE_TESTS:
        return None
    return terms[0]


def _block(lines: list[str], start: int, level: int, tests: list[int]) -> tuple[str, int] | None:
    """Terms of the statements at `level` from `start` -> (their conjunction, next line)."""
    indent = INDENT * level
    terms: list[str] = []
    position = start
    while position < len(lines) and lines[position].startswith(indent):
        text = lines[position][len(indent) :]
        if text == "return False":
            terms.append("False")
            position += 1
        elif text.startswith("if ") and text.endswith(":"):
            tests[0] += 1
            inner = _block(lines, position + 1, level + 1, tests)
            if inner is None or inner[1] == position + 1:
                return None
            condition, position = text[3:-1], inner[1]
            skip = negate(condition)
            terms.append(skip if inner[0] == "False" else f"{group(skip)} or {group(inner[0])}")
        else:
            return None
    if not terms:
        return "True", position
    if "False" in terms:
        return "False", position
    return " and ".join(group(term) for term in terms), position
