"""Errors that point at the spec: every stage reports problems as `SpecError`s.

May import: nothing (every stage and tool imports this module).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class SpecError:
    """One problem in a spec, located by file, line, column and JSON pointer."""

    file: str
    line: int
    column: int
    pointer: str
    message: str

    def __str__(self) -> str:
        """Format as `file:line:col: #/pointer: message`, the shape editors and CI annotate.

        Every part is made printable: a spec key holding a newline must not forge a second error line.
        """
        location = f"{printable(self.file)}:{self.line}:{self.column}"
        return f"{location}: {printable(self.pointer)}: {printable(self.message)}"


def printable(text: str) -> str:
    """`text` on one line: control and other non-printable characters as Python escapes."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class SpecErrors(Exception):
    """Raised by a stage that found one or more `SpecError`s; carries all of them, sorted."""

    def __init__(self, errors: Iterable[SpecError]) -> None:
        self.errors: tuple[SpecError, ...] = tuple(sorted(errors))
        super().__init__("\n".join(str(error) for error in self.errors))


class SchemaCompileError(Exception):
    """A JSON Schema the validator compiler cannot compile, located by JSON pointer into it."""

    def __init__(self, pointer: str, message: str) -> None:
        self.pointer = pointer
        self.message = message
        super().__init__(f"{pointer}: {message}")


def escape_pointer_token(token: str | int) -> str:
    """One JSON pointer reference token, escaped as RFC 6901 says (`~` -> `~0`, `/` -> `~1`)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape_pointer_token(token: str) -> str:
    """Undo `escape_pointer_token`."""
    return token.replace("~1", "/").replace("~0", "~")


def join_pointer(pointer: str, *tokens: str | int) -> str:
    """`#/a` + (`b`, 0) -> `#/a/b/0`."""
    # Called for every node of a spec (about 30,000 times for the invite spec): a token that
    # needs no escaping, nearly all of them, is not copied twice by `str.replace`.
    parts = [pointer or "#"]
    for token in tokens:
        text = token if type(token) is str else str(token)
        parts.append(escape_pointer_token(text) if "~" in text or "/" in text else text)
    return "/".join(parts)
