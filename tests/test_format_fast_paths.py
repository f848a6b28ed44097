"""Format fast paths (issue #6) never change a verdict: each accepts a subset of the full check.

`_is_uri`, `_is_email` and `_is_date_time` try a cheap character-class regex first and fall back
to the full RFC pattern. Here the emitted helpers are compared with the full patterns alone, on
strings built from the fast patterns, on one-character near misses of those, and on random text.
"""

from __future__ import annotations

import re
import types
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from generator.jsonschema import formats
from generator.jsonschema.runtime import helper_closure, render_imports

FULL_URI = re.compile(formats._URI)
FULL_EMAIL = re.compile(formats._EMAIL_COMMON)
FULL_EMAIL_LOCAL = re.compile(formats._EMAIL_LOCAL)
FULL_DATE_TIME = re.compile(formats._DATE + "[Tt]" + formats._TIME)
# Characters that decide these grammars, plus a few that no grammar allows.
ALPHABET = "aZ09-._~!$&'()*+,;=:@/?#[]% \"<>\\^`{|}Tt+-Zz\u00e9"


def helpers_module() -> types.ModuleType:
    """The emitted format helpers, executed as one module."""
    names = helper_closure({"_is_uri", "_is_email", "_is_date_time"}, formats.FORMAT_HELPERS)
    imports = {spec for name in names for spec in formats.FORMAT_HELPERS[name].imports}
    bodies = [formats.FORMAT_HELPERS[name].source for name in names]
    source = "\n".join([*render_imports(imports), *bodies])
    module = types.ModuleType("format_helpers")
    exec(compile(source, "<format helpers>", "exec"), module.__dict__)
    return module


HELPERS = helpers_module()


def near_misses(pattern: str) -> st.SearchStrategy[str]:
    """Strings the pattern matches, and the same with one character inserted, replaced or cut."""
    exact = st.from_regex(pattern, fullmatch=True)

    @st.composite
    def mutated(draw: st.DrawFn) -> str:
        text = draw(exact)
        position = draw(st.integers(0, len(text)))
        character = draw(st.sampled_from(ALPHABET))
        edit = draw(st.sampled_from(["insert", "replace", "cut"]))
        if edit == "insert":
            return text[:position] + character + text[position:]
        if edit == "replace":
            return text[:position] + character + text[position + 1 :]
        return text[:position] + text[position + 1 :]

    return st.one_of(exact, mutated(), st.text(ALPHABET, max_size=40))


def full_email(text: str) -> bool:
    """`_is_email` as it was before the fast path (the full rules only)."""
    if len(text) <= 64 and FULL_EMAIL.fullmatch(text) is not None:
        return True
    local, separator, domain = text.rpartition("@")
    if not separator or len(local) > 64 or FULL_EMAIL_LOCAL.fullmatch(local) is None:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        return HELPERS._is_email(text)  # address literals: unchanged code after the fast path
    return "." in domain and HELPERS._is_hostname(domain)


@given(near_misses(formats._URI_FAST) | near_misses(formats._URI))
def test_uri_fast_path_agrees_with_the_full_pattern(text: str) -> None:
    assert HELPERS._is_uri(text) == (FULL_URI.fullmatch(text) is not None)


@given(near_misses(formats._EMAIL_FAST) | near_misses(formats._EMAIL_COMMON))
def test_email_fast_path_agrees_with_the_full_rules(text: str) -> None:
    assert HELPERS._is_email(text) == full_email(text)


@given(near_misses(formats._EMAIL_FAST) | near_misses(formats._EMAIL_COMMON))
def test_inline_email_check_agrees_with_the_helper(text: str) -> None:
    """The call-site expression emitted for `format: email` gives `_is_email`'s verdict."""
    expression = formats.FORMATS["email"].inline.format(value="text")
    assert eval(expression, vars(HELPERS), {"text": text}) == HELPERS._is_email(text)


@given(near_misses(formats._DATE_TIME_FAST) | near_misses(formats._URI_FAST))
def test_inline_date_time_and_uri_checks_agree_with_the_helpers(text: str) -> None:
    """The call-site expressions emitted for `format: date-time` and `uri` give the helpers' verdicts."""
    for name, helper in (("date-time", HELPERS._is_date_time), ("uri", HELPERS._is_uri)):
        expression = formats.FORMATS[name].inline.format(value="text")
        assert eval(expression, vars(HELPERS), {"text": text}) == helper(text)


@given(near_misses(formats._DATE_TIME_FAST))
def test_date_time_fast_path_accepts_only_full_matches(text: str) -> None:
    fast = re.fullmatch(formats._DATE_TIME_FAST, text) is not None
    assert not fast or FULL_DATE_TIME.fullmatch(text) is not None
    assert not fast or HELPERS._is_date_time(text)


def opcodes(pattern: str) -> set[str]:
    """Names of every operation in the parsed pattern (Python 3.11's `re._parser`)."""
    found: set[str] = set()

    def walk(items: Any) -> None:
        for item in items:
            if isinstance(item, tuple | list):
                walk(item)
            elif hasattr(item, "name"):
                found.add(str(item.name))
            elif hasattr(item, "data"):
                walk(item.data)

    walk(re._parser.parse(pattern).data)  # type: ignore[attr-defined]
    return found


POSSESSIVE = {"POSSESSIVE_REPEAT", "POSSESSIVE_REPEAT_ONE"}
FAST_PATTERNS = [
    formats._URI_FAST,
    formats._EMAIL_FAST,
    formats._EMAIL_FAST_BOUNDED,
    formats._DATE_TIME_FAST,
]


def test_python_3_10_gets_the_fast_paths_without_possessive_quantifiers() -> None:
    for pattern in FAST_PATTERNS:
        assert POSSESSIVE & opcodes(pattern)
        assert not POSSESSIVE & opcodes(formats.greedy(pattern))


@given(
    st.sampled_from(FAST_PATTERNS).flatmap(
        lambda pattern: st.tuples(st.just(pattern), near_misses(pattern))
    )
)
def test_possessive_and_greedy_fast_paths_match_the_same_strings(case: tuple[str, str]) -> None:
    # Possessive only drops matches that need characters given back; none of these do.
    pattern, text = case
    possessive = re.fullmatch(pattern, text) is not None
    assert possessive == (re.fullmatch(formats.greedy(pattern), text) is not None)


def test_fast_paths_take_the_everyday_shapes() -> None:
    assert re.fullmatch(formats._URI_FAST, "https://contoso.sharepoint.com/sites/Marketing?a=1#x")
    assert re.fullmatch(formats._EMAIL_FAST, "first.last+tag@mail.contoso.com")
    assert re.fullmatch(formats._DATE_TIME_FAST, "2026-07-15T14:00:00.1234567Z")
    assert not HELPERS._is_uri("http://host:port/")  # a port must be digits, fast or full
    assert not HELPERS._is_email("user0.contoso.com")
