"""Every identifier and literal that spec text turns into goes through here.

Spec strings never reach generated code by interpolation: names are sanitised into identifiers that
cannot be keywords, builtins or dunders, and text becomes a `repr` literal or an escaped docstring.
May import: nothing (the IR, the emitters and the tools import this module).
"""

from __future__ import annotations

import builtins
import keyword
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from typing import Any

_WORD_BOUNDARY = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?=[A-Z][a-z]|[0-9]|\b|_|$)|[A-Z]+")
_NON_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")
# Names a generated module defines or imports itself; a field or model may not shadow them.
_RESERVED = frozenset(
    set(keyword.kwlist)
    | set(keyword.softkwlist)
    | set(dir(builtins))
    | {
        "self",
        "cls",
        "data",
        "validate",
        "from_dict",
        "to_dict",
        "annotations",
        "dataclass",
        "field",
        "Any",
        "Mapping",
        "Unset",
        "UNSET",
        "additional_properties",
    }
    # Module-level names of the generated package: a model or enum called `ClassVar`, `Enum` or
    # `GraphClient` would shadow them (a shadowed `ClassVar` silently turns `_wire_names` into a field).
    | {
        "ApiClient",
        "ApiError",
        "AsyncApiClient",
        "AsyncBaseClient",
        "AsyncGraphClient",
        "Awaitable",
        "BaseClient",
        "ResponseTable",
        "Callable",
        "ClassVar",
        "Enum",
        "EnumT",
        "Final",
        "FrozenRecord",
        "DateTimeText",
        "GraphClient",
        "GraphDateTime",
        "GraphError",
        "Iterator",
        "Literal",
        "Record",
        "RequestInfo",
        "RetryPolicy",
        "ServiceRules",
        "TokenSource",
        "TypeVar",
        "ValidationError",
    }
)
# The client names one result class `<Body>Result` per operation; models may not take such names.
_RESULT_SUFFIX = "Result"


def words(text: str) -> list[str]:
    """Split `requireSignIn`, `@odata.type`, `item-id`, `OData_error` into lower-case words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return [
        match.group(0).lower()
        for chunk in _NON_IDENTIFIER.split(ascii_text.replace("_", " "))
        for match in _WORD_BOUNDARY.finditer(chunk)
    ]


def snake_case(text: str) -> str:
    """`requireSignIn` -> `require_sign_in` (not yet guaranteed to be a valid identifier)."""
    return "_".join(words(text))


def python_identifier(text: str, *, taken: Iterable[str] = (), fallback: str = "field") -> str:
    """A valid, non-keyword, non-builtin snake_case identifier for `text`, distinct from `taken`."""
    return UniqueNames(taken).identifier(text, fallback=fallback)


def class_name(text: str, *, taken: Iterable[str] = ()) -> str:
    """A PascalCase class name for `text` (`driveRecipient` -> `DriveRecipient`), distinct from `taken`."""
    return UniqueNames(taken).class_name(text)


def constant_name(text: str, *, taken: Iterable[str] = ()) -> str:
    """An UPPER_SNAKE enum member name for a value (`sp.owner` -> `SP_OWNER`), distinct from `taken`."""
    return UniqueNames(taken).constant(text)


def _identifier_base(text: str, fallback: str) -> str:
    name = snake_case(text) or fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}"
    if name in _RESERVED or name.startswith("__"):
        name = f"{name}_"
    return name


def package_name(title: str) -> str:
    """An importable package name from an API title: `Swagger Petstore` -> `swagger_petstore`."""
    name = python_identifier(title, fallback="api")
    return name if name.isascii() and not name.endswith("_") else f"{name.rstrip('_')}_api"


def _class_base(text: str) -> str:
    name = "".join(word.capitalize() for word in words(text)) or "Model"
    if name[0].isdigit():
        name = f"Model{name}"
    if name in _RESERVED or name.endswith(_RESULT_SUFFIX):
        name = f"{name}Model"
    return name


def _constant_base(text: str) -> str:
    name = snake_case(text).upper() or "VALUE"
    if name[0].isdigit():
        name = f"VALUE_{name}"
    if keyword.iskeyword(name) or name.startswith("_"):
        name = f"{name}_"
    return name


def distinct_name(name: str, taken: Collection[str]) -> str:
    """`name`, or `name_2`, `name_3`, ... : the first not in `taken` (deterministic suffixes)."""
    if name not in taken:
        return name
    counter = 2
    while f"{name}_{counter}" in taken:
        counter += 1
    return f"{name}_{counter}"


class UniqueNames:
    """A growing set of names in one namespace; each new name is made distinct from all before.

    Suffixes are deterministic (`name`, `name_2`, `name_3`, ...), as with the one-off functions
    above, but allocating n names costs O(n), not O(n**2): the taken set is not copied per name
    and the next free suffix of each base is remembered, so 60,000 enum values that all spell
    `A` do not each count up from `A_2` (issue 18, H3).
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self.taken = set(taken)
        self.next_suffix: dict[str, int] = {}

    def distinct(self, name: str) -> str:
        """`name`, or `name_2`, `name_3`, ...: the first not taken; now taken."""
        if name in self.taken:
            counter = self.next_suffix.get(name, 2)
            while f"{name}_{counter}" in self.taken:
                counter += 1
            self.next_suffix[name] = counter + 1
            name = f"{name}_{counter}"
        self.taken.add(name)
        return name

    def identifier(self, text: str, *, fallback: str = "field") -> str:
        """`python_identifier(text)`, distinct from every name allocated here."""
        return self.distinct(_identifier_base(text, fallback))

    def class_name(self, text: str) -> str:
        """`class_name(text)`, distinct from every name allocated here."""
        return self.distinct(_class_base(text))

    def constant(self, text: str) -> str:
        """`constant_name(text)`, distinct from every name allocated here."""
        return self.distinct(_constant_base(text))


def import_order(names: Iterable[str]) -> list[str]:
    """Names for one `from x import ...` line in isort/ruff order: CONSTANTS, Classes, functions."""

    def rank(name: str) -> tuple[int, str]:
        kind = 0 if name.isupper() else 1 if name[:1].isupper() else 2
        return kind, name

    return sorted(set(names), key=rank)


def str_width(text: str) -> int:
    """Columns `text` takes as black counts them (East Asian wide characters take two)."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def py_string(text: str) -> str:
    """A string literal as black writes it (`generator.output.layout`): `repr`'s escapes, in double
    quotes unless those would need more backslashes than single quotes."""
    return black_quotes(repr(text))


def black_quotes(literal: str) -> str:
    """A literal as `repr` or `ascii` writes it (no prefix), quoted the way black normalizes it."""
    if literal[0] == '"':
        return literal  # repr chose double quotes: the text has a ' and no "
    body = literal[1:-1]
    doubles = body.count('"')
    if not doubles:
        return f'"{body}"'
    if doubles > body.count("\\'"):
        return literal  # black keeps the quotes that need fewer backslashes
    return '"' + body.replace("\\'", "'").replace('"', '\\"') + '"'


def tuple_display(items: list[str]) -> str:
    """A tuple display of these expressions; with two or more, a trailing comma keeps black from
    joining the items onto one line (the way the generated tables have always been laid out)."""
    return f"({', '.join(items)},)" if items else "()"


def import_line(module: str, names: list[str], line_length: int = 100) -> str:
    """`from module import names` as black writes it (at its line length for generated code):
    one line, or one name per line."""
    line = f"from {module} import {', '.join(names)}"
    if str_width(line) <= line_length:
        return line
    return "".join([f"from {module} import (\n", *(f"    {name},\n" for name in names), ")"])


def py_literal(value: Any, *, string: Callable[[str], str] = py_string) -> str:
    """A Python literal for a JSON value; `repr` escapes quotes, backslashes and control characters
    (strings quoted as black quotes them: `py_string`).

    `string` writes each string (the validator compiler passes an ASCII-only, line-splitting one).
    Raises `ValueError` for what JSON cannot hold: NaN, infinities, non-string keys, other types.
    """
    if isinstance(value, str):
        return string(value)
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        return repr(float(value))
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(item, string=string) for item in value) + "]"
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        pairs = (f"{string(key)}: {py_literal(item, string=string)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    raise ValueError(f"{type(value).__name__} value is not JSON")


def toml_string(text: str) -> str:
    """A TOML basic string for any text: quotes, backslashes and control characters escaped."""
    escaped = (
        (
            f"\\u{ord(char):04X}"
            if ord(char) < 0x20 or ord(char) == 0x7F
            else "\\" + char if char in '"\\' else char
        )
        for char in text
    )
    return '"' + "".join(escaped) + '"'


_BIDI_AND_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def docstring(text: str, *, width: int = 96) -> str:
    """Spec prose made safe for a triple-quoted docstring body: no `\"\"\"`, escapes, bidi marks."""
    cleaned = _BIDI_AND_CONTROL.sub(
        lambda match: (
            f"\\x{ord(match.group(0)):02x}"
            if ord(match.group(0)) < 0x100
            else f"\\u{ord(match.group(0)):04x}"
        ),
        # Line endings first: a lone `\r` is a line break here, not a control character.
        text.replace("\r\n", "\n").replace("\r", "\n").replace("\\", "\\\\"),
    )
    cleaned = cleaned.replace('"""', '\\"\\"\\"')
    lines = [line.rstrip() for line in cleaned.strip().splitlines()]
    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(_wrap(line, width) if line else [""])
    text_out = "\n".join(wrapped).strip()
    # A docstring may not end with a quote or an odd backslash next to the closing quotes.
    if text_out.endswith(('"', "\\")):
        text_out += " "
    return text_out


def _wrap(line: str, width: int) -> list[str]:
    out: list[str] = []
    current = ""
    for word in line.split(" "):
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    out.append(current)
    return out
