"""Text building blocks of the validator compiler: code, literals, names, lint exemptions."""

from __future__ import annotations

import ast
import re
import reprlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from generator.errors import SchemaCompileError, unescape_pointer_token
from generator.names import black_quotes, distinct_name, py_literal, snake_case

INDENT = "    "

# String literals in emitted code: both quote styles, with escapes, so identifiers inside
# them (a property named "value_1") are not mistaken for uses of a local variable.
_STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")

# Longer string literals are split into implicitly concatenated pieces inside parentheses,
# which black can spread over lines: one long message must not break the line-length rule.
_STRING_PIECE_LENGTH = 56

# Tokens that only say "where in the schema" and make generated names longer, not clearer.
_STRUCTURAL_TOKENS = frozenset({"$defs", "properties"})

_NAME_LENGTH = 48


class LinesExceeded(Exception):
    """Code written under a `LineBudget` grew past it (the compile attempt is abandoned)."""


class LineBudget:
    """How many more lines a writer and the writers nested in it may write."""

    def __init__(self, lines: int) -> None:
        self.remaining = lines

    def spend(self) -> None:
        """One line written; raises LinesExceeded once the budget is gone."""
        self.remaining -= 1
        if self.remaining < 0:
            raise LinesExceeded


class CodeWriter:
    """Python source built line by line at one indentation level."""

    def __init__(self, level: int = 0, budget: LineBudget | None = None) -> None:
        self.level = level
        self.lines: list[str] = []
        self.budget = budget

    def line(self, text: str) -> None:
        """Append one line at the current level."""
        if self.budget is not None:
            self.budget.spend()
        self.lines.append(INDENT * self.level + text)

    def nested(self) -> CodeWriter:
        """A fresh writer one level deeper, for a block body built before its header is chosen."""
        return CodeWriter(self.level + 1, self.budget)

    def uses(self, name: str) -> bool:
        """Whether any line mentions the identifier `name` outside string literals."""
        # The substring test first, on all lines at once (a test per line was a sixteenth of
        # compiling a large schema): most bodies do not mention the name at all.
        if name not in "\n".join(self.lines):
            return False
        return any(name in text and _mentions(text, name) for text in self.lines)

    def add_block(
        self, header: str, body: CodeWriter, setup: Sequence[tuple[str, str]] = ()
    ) -> None:
        """Append `header`, the `setup` assignments the body uses, then the body (if not empty)."""
        if not body.lines:
            return
        self.line(header)
        for name, expression in setup:
            if body.uses(name):
                self.lines.append(INDENT * body.level + f"{name} = {expression}")
        self.lines.extend(body.lines)

    def add_lines(self, body: CodeWriter, setup: Sequence[tuple[str, str]] = ()) -> None:
        """Append a body written one level deeper at this level, after the setup lines it needs."""
        shifted = CodeWriter(self.level)
        shifted.lines = [text[len(INDENT) :] for text in body.lines]
        for name, expression in setup:
            if shifted.uses(name):
                self.line(f"{name} = {expression}")
        self.lines.extend(shifted.lines)


def _mentions(text: str, name: str) -> bool:
    """Whether one line mentions the identifier `name` outside string literals."""
    position = text.find(name)
    end = position + len(name)
    # Before the line's first quote, as a whole word: code (`if value_1 ...`, the usual case),
    # found without rewriting the line's literals (long error messages) first.
    quotes = [found for found in (text.find("'"), text.find('"')) if found >= 0]
    if (
        (not quotes or end <= min(quotes))
        and (position == 0 or not _is_word_character(text[position - 1]))
        and (end == len(text) or not _is_word_character(text[end]))
    ):
        return True
    return _word_pattern(name).search(_STRING_LITERAL.sub("''", text)) is not None


def _is_word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


@lru_cache(maxsize=4096)
def _word_pattern(name: str) -> re.Pattern[str]:
    """`name` as a whole word."""
    return re.compile(rf"\b{re.escape(name)}\b")


@lru_cache(maxsize=65536)
def string_literal(text: str) -> str:
    """ASCII-only Python literal (no look-alike Unicode in emitted code), split if long, in the
    quotes black would give it (`generator.output.layout`).

    Cached: every schema location is written into three function variants.
    """
    literal = ascii(text)
    if len(literal) <= _STRING_PIECE_LENGTH:
        return black_quotes(literal)
    if literal[0] == "'" and len(literal) == len(text) + 2 and '"' not in text:
        # Nothing was escaped (the common case): every piece holds the same number of characters.
        size = _STRING_PIECE_LENGTH - 2
        return " ".join(f'"{text[start : start + size]}"' for start in range(0, len(text), size))
    pieces: list[str] = []
    start = 0
    while start < len(text):
        end = start + 1
        while end < len(text) and len(ascii(text[start : end + 1])) <= _STRING_PIECE_LENGTH:
            end += 1
        pieces.append(black_quotes(ascii(text[start:end])))
        start = end
    # Implicit concatenation binds tighter than any operator, so no parentheses are needed.
    return " ".join(pieces)


def python_literal(value: Any, pointer: str) -> str:
    """JSON value from the schema -> Python literal (ASCII strings); anything else is a compile error."""
    try:
        return py_literal(value, string=string_literal)
    except ValueError as error:
        raise SchemaCompileError(pointer, str(error)) from None


_COMPILE_TIME_REPR = reprlib.Repr()
_COMPILE_TIME_REPR.maxstring = 60
_COMPILE_TIME_REPR.maxother = 60


def short_repr(value: object, limit: int = 80) -> str:
    """repr() for a message, cut to `limit` characters: schemas may hold huge constants."""
    text = _COMPILE_TIME_REPR.repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def comment_text(text: str, limit: int = 72) -> str:
    """Text safe inside a one-line docstring: ASCII escapes, no quotes or backslashes left raw."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return text if len(text) <= limit else text[: limit - 3] + "..."
    # Escaped one character at a time, so a cut never splits an escape (`\\xe9` into `\\xe`).
    pieces = [
        character.encode("unicode_escape").decode("ascii").replace('"', '\\"') for character in text
    ]
    if sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    kept: list[str] = []
    size = 0
    for piece in pieces:
        if size + len(piece) > limit - 3:
            break
        kept.append(piece)
        size += len(piece)
    return "".join(kept) + "..."


@lru_cache(maxsize=65536)
def pointer_tokens(pointer: str) -> tuple[str, ...]:
    """`#/$defs/a~1b` -> ('$defs', 'a/b')."""
    body = pointer.partition("#")[2] if "#" in pointer else pointer
    return tuple(unescape_pointer_token(token) for token in body.split("/")[1:]) if body else ()


@lru_cache(maxsize=65536)
def name_from_pointer(pointer: str) -> str:
    """`#/$defs/driveRecipient/properties/email` -> `drive_recipient_email`; `#` -> `root`."""
    words = [
        snake_case(token) for token in pointer_tokens(pointer) if token not in _STRUCTURAL_TOKENS
    ]
    name = "_".join(word for word in words if word)
    if len(name) > _NAME_LENGTH:
        name = name[-_NAME_LENGTH:].lstrip("_")
    return name or "root"


class NameAllocator:
    """Hands out unique identifiers: a taken stem gets `_2`, `_3`, ... in request order."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set(reserved)

    def allocate(self, stem: str) -> str:
        """Unique identifier starting with `stem`."""
        name = distinct_name(stem, self.used)
        self.used.add(name)
        return name


def _count_returns(statements: Sequence[ast.stmt]) -> int:
    return sum(
        isinstance(node, ast.Return) for statement in statements for node in ast.walk(statement)
    )


def _count_branches(statements: Sequence[ast.stmt]) -> int:
    total = 0
    for statement in statements:
        if isinstance(statement, ast.If):
            total += 1 + _count_branches(statement.body)
            if statement.orelse:
                total += 1 + _count_branches(statement.orelse)
        elif isinstance(statement, ast.For | ast.While):
            total += 1 + _count_branches(statement.body)
    return total


def _count_statements(statements: Sequence[ast.stmt]) -> int:
    total = 0
    for statement in statements:
        if isinstance(statement, ast.If):
            total += 1 + _count_statements(statement.body)
            if statement.orelse:
                total += 1 + _count_statements(statement.orelse)
        elif isinstance(statement, ast.For):
            total += _count_statements(statement.body)
        elif not isinstance(statement, ast.Return):
            total += 1
    return total


def lint_exemptions(blocks: Sequence[str]) -> list[str]:
    """Pylint size rules (as ruff counts them) that emitted functions exceed.

    Generated checks are long straight-line code on purpose (no calls, no loops over rules),
    so the module declares exactly the exemptions it needs: an unneeded one is itself an error.
    `blocks` are the module's top-level pieces, each complete Python (a helper, the constants,
    one function). A block is parsed only when a bound read from its text says it could exceed
    a limit, and each rule stops at its first offender: parsing the whole module was a sixth of
    compiling it.
    """
    limits = {"PLR0911": (_count_returns, 6), "PLR0912": (_count_branches, 12)}
    limits["PLR0915"] = (_count_statements, 50)
    parsed: dict[int, list[ast.FunctionDef]] = {}

    def functions(index: int) -> list[ast.FunctionDef]:
        if index not in parsed:
            module = ast.parse(blocks[index]).body
            parsed[index] = [node for node in module if isinstance(node, ast.FunctionDef)]
        return parsed[index]

    codes = [
        code
        for code, (counter, limit) in limits.items()
        if any(_lower_bound(code, block) > limit for block in blocks)
        or any(
            counter(function.body) > limit
            for index, block in enumerate(blocks)
            if _upper_bound(code, block) > limit
            for function in functions(index)
        )
    ]
    if any("path + (" in block for block in blocks):
        # Data paths grow by tuple concatenation, which costs half of RUF005's `(*path, key)`.
        codes.append("RUF005")
    return sorted(codes)


def _upper_bound(code: str, text: str) -> int:
    """No less than what `code` counts in any function of `text`, read from the text alone.

    Every `return` statement spells `return`; every `if`/`elif` spells `if` and adds at most
    itself and its `else`; every loop spells `for` or `while`; a line's start counts at most
    twice (`elif`: the `else` and the `if`), and any further statement on it follows a `;` or a
    compound statement's `:`.
    """
    if code == "PLR0911":
        return text.count("return")
    if code == "PLR0912":
        return 2 * text.count("if") + text.count("for") + text.count("while")
    return 2 * (text.count("\n") + 1) + text.count(";") + text.count(":")


# Statements under which the counters above stop descending (or, for `while`, count the
# statement alone): a block holding one is parsed.
_OPAQUE_STATEMENTS = ("try:", "with ", "while ", "async ", "class ", "lambda")


def _lower_bound(code: str, text: str) -> int:
    """No more than what `code` counts in the function `text` holds, read from its lines (0
    unless `text` is one compiled function of single-line statements; then no parse is needed
    for the large functions of big schemas, where the parse was a tenth of compiling them).

    In such a function every line starting `return` is a return statement, and every `if` /
    `elif` / `for` header (ending in `:`) is a branch the counters reach; each `if` / `elif`
    header is also a statement.
    """
    lines = text.split("\n")
    if not lines[0].startswith("def _") or any(
        '"""' in line or "'''" in line or line.lstrip().startswith(_OPAQUE_STATEMENTS)
        for line in lines[2:]
    ):
        return 0
    stripped = [line.lstrip() for line in lines[2:]]
    if code == "PLR0911":
        return sum(line == "return" or line.startswith("return ") for line in stripped)
    headers = sum(
        line.endswith(":") and line.startswith(("if ", "elif ", "for ")) for line in stripped
    )
    if code == "PLR0912":
        return headers
    return sum(line.endswith(":") and line.startswith(("if ", "elif ")) for line in stripped)
