"""names.py: identifiers are always valid and distinct; literals and docstrings are always safe."""

from __future__ import annotations

import ast
import keyword

from hypothesis import given
from hypothesis import strategies as st

from generator.names import (
    class_name,
    constant_name,
    docstring,
    py_literal,
    python_identifier,
    snake_case,
)

HOSTILE = st.one_of(
    st.text(),
    st.sampled_from(
        [
            '"""',
            "'''",
            "\\",
            "\x00",
            "{{ x }}",
            "{% if %}",
            "#",
            "\u202e",
            "\n",
            "__init__",
            "class",
            "def",
            "None",
            "id",
            "type",
            "0day",
            "",
            "fooBar",
            "foo_bar",
            "café",
        ]
    ),
)


@given(HOSTILE, st.sets(st.text(max_size=8), max_size=5))
def test_python_identifier_is_always_a_valid_distinct_name(text: str, taken: set[str]) -> None:
    name = python_identifier(text, taken=taken)
    assert name.isidentifier() and not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
    assert not name.startswith("__") and name not in taken
    assert name.isascii()


@given(HOSTILE)
def test_class_and_constant_names_are_valid(text: str) -> None:
    for name in (class_name(text), constant_name(text)):
        assert name.isidentifier() and not keyword.iskeyword(name)


def test_known_conversions() -> None:
    assert snake_case("requireSignIn") == "require_sign_in"
    assert snake_case("@odata.type") == "odata_type"
    assert snake_case("grantedToIdentitiesV2") == "granted_to_identities_v2"
    assert python_identifier("class") == "class_"
    assert python_identifier("foo_bar", taken={"foo_bar"}) == "foo_bar_2"
    assert class_name("driveRecipient") == "DriveRecipient"
    assert constant_name("sp.owner") == "SP_OWNER"


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
        max_leaves=10,
    )
)
def test_py_literal_evaluates_back_to_the_value(value: object) -> None:
    assert ast.literal_eval(py_literal(value)) == value


@given(HOSTILE)
def test_docstring_body_always_compiles_to_a_plain_docstring(text: str) -> None:
    source = f'def f():\n    """{docstring(text)}"""\n'
    tree = ast.parse(source)
    function = tree.body[0]
    assert isinstance(function, ast.FunctionDef) and len(function.body) == 1
    assert isinstance(ast.get_docstring(function, clean=False), str)
