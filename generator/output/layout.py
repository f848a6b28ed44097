"""Python laid out as black lays it out, before black runs, so that its first pass changes nothing.

`black.format_str` formats a text twice whenever its first pass changed anything (the second
pass settles the trailing commas the first one added), and nearly all of a cold generation's time
is black (bench/README.md, "Where a cold generation goes"). So `formatting` hands black each
chunk that misses its caches as black would print it: the emitters already quote strings as black
does (`names.py_literal`), and `lay_out` splits each statement longer than black's limit the way
black splits it, for the shapes the templates and the validator compiler write (signatures,
calls and displays split at a bracket, items one a line with a trailing comma, conditions and
ternaries in parentheses, split before their operators), and indents docstrings as black does.
Anything else (comments, strings that cannot fit, shapes black weighs differently) is left as it
is, and black splits it.

A speed measure, never a formatter of record: black formats whatever this module returns, so a
statement laid out differently only costs black's second pass on its chunk; it runs only on what
misses the caches (a warm run pays nothing). `tests/test_layout.py` checks the result against
black for the invite spec and public specs, and that it changes no code.
"""

from __future__ import annotations

import itertools
import keyword
import re
from dataclasses import dataclass

from generator.names import str_width

# black's line length for generated code (`formatting.BLACK_LINE_LENGTH` is this).
LINE_LENGTH = 100
# Part of the formatter's cache keys: a cached result is black's output for the text as this
# version of the layout printed it.
LAYOUT_VERSION = 1
INDENT = "    "

# One token of a single-line statement: a string literal (with prefix), a bracket, a comma, or a
# run of anything else. Whitespace before a token is kept with it.
_TOKEN = re.compile(
    r"""\s*(?:[rRbBuUfF]{0,2}(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")|[][(){},]|[^][(){},'"\s]+)"""
)
_OPENING = "([{"
_CLOSING = ")]}"
# Words and operators that make black weigh where to split (delimiters in black's terms): a
# too-long line holding one of them outside brackets is left to black.
_DELIMITERS = frozenset(
    "and or if else for in is + - * / // % ** @ | & ^ << >> < > <= >= == != ".split()
)
_NEEDS_SPACE = re.compile(r"[\w\"')\]}]$")
_TRAILING_COMMA = re.compile(r",\s*[)\]}]")
# `name:` alone: an annotated name (a parameter or an attribute).
_ANNOTATED = re.compile(r"[A-Za-z_]\w*:")
# `name=` at the start of a token: a keyword argument (not `==`).
_KEYWORD_ARGUMENT = re.compile(r"[A-Za-z_]\w*=(?!=)")
# Statements whose value black wraps in optional (invisible) parentheses.
_VALUE_KEYWORDS = frozenset({"return", "if", "elif", "while", "yield"})


@dataclass(frozen=True)
class _Token:
    text: str  # without the whitespace before it
    space: bool  # whether whitespace preceded it


_COMMA = _Token(",", space=False)


def _tokens(statement: str) -> list[_Token] | None:
    """The statement's tokens; None for what this module does not split (comments,
    triple-quoted strings, unbalanced brackets, text the pattern cannot read)."""
    tokens: list[_Token] = []
    depth = 0
    position = 0
    for match in _TOKEN.finditer(statement):
        if match.start() != position:
            return None
        position = match.end()
        raw = match.group()
        text = raw.lstrip()
        if text.startswith("#") or '"""' in text or "'''" in text:
            return None
        depth += (text in _OPENING) - (text in _CLOSING)
        if depth < 0:
            return None
        keyword_argument = _KEYWORD_ARGUMENT.match(text)
        if keyword_argument and keyword_argument.end() < len(text):
            name = keyword_argument.group()
            tokens.append(_Token(name, len(text) != len(raw)))
            tokens.append(_Token(text[len(name) :], space=False))
        else:
            tokens.append(_Token(text, len(text) != len(raw)))
    if position != len(statement.rstrip()) or depth:
        return None
    last = tokens[-1].text if tokens else ""
    if len(last) > 1 and last.endswith(":") and last[-2] not in ":":
        tokens[-1:] = [_Token(last[:-1], tokens[-1].space), _Token(":", space=False)]
    return tokens


def _join(tokens: list[_Token]) -> str:
    if not tokens:
        return ""
    return tokens[0].text + "".join((" " + t.text) if t.space else t.text for t in tokens[1:])


def _fits(depth: int, text: str) -> bool:
    return len(INDENT) * depth + str_width(text) <= LINE_LENGTH


def _top(tokens: list[_Token]) -> list[int]:
    """Indices of the tokens outside every bracket, and of the outermost brackets."""
    found = []
    depth = 0
    for index, token in enumerate(tokens):
        if token.text in _CLOSING:
            depth -= 1
        if depth == 0:
            found.append(index)
        if token.text in _OPENING:
            depth += 1
    return found


def _partner(tokens: list[_Token], closing: int) -> int:
    """The index of the bracket that `tokens[closing]` closes."""
    depth = 0
    for index in range(closing, -1, -1):
        depth += (tokens[index].text in _CLOSING) - (tokens[index].text in _OPENING)
        if depth == 0:
            return index
    raise _CannotSplit  # pragma: no cover - _tokens checked the balance


def _commas(tokens: list[_Token], top: list[int]) -> list[int]:
    """The top-level commas that separate items: not those of a comprehension's `for a, b in`
    target or of a lambda's parameters."""
    commas = []
    inside = ""  # the keyword whose clause the commas belong to, until its end
    for index in top:
        text = tokens[index].text
        if text in ("for", "lambda"):
            inside = text
        elif (inside == "for" and text == "in") or (inside == "lambda" and text.endswith(":")):
            inside = ""
        elif text == "," and not inside:
            commas.append(index)
    return commas


def _magic(tokens: list[_Token]) -> bool:
    """A trailing comma black keeps exploded: before any closing bracket, except a one-item tuple."""
    for index, token in enumerate(tokens):
        if token.text in _CLOSING and index and tokens[index - 1].text == ",":
            if token.text == ")":
                opening = _partner(tokens, index)
                inner = tokens[opening + 1 : index]
                if len(_commas(inner, _top(inner))) == 1 and not _trailer(tokens, opening):
                    continue  # `(x,)` is a tuple, not an exploded list (a call's `f(x,)` is)
            return True
    return False


class _CannotSplit(Exception):
    """Not a shape this module splits as black does: black will split it."""


def _lay(
    tokens: list[_Token],
    depth: int,
    *,
    body: bool,
    is_def: bool = False,
    exploded: bool = False,
    parameters: bool = False,
) -> list[str]:
    """Lines (indented) for one line of tokens at `depth`; raises `_CannotSplit`.

    `body`: the tokens are a bracket's contents; `exploded`: they end in a trailing comma black
    keeps (one item per line, however short); `parameters`: they are a `def`'s parameters."""
    text = _join(tokens)
    if not exploded and not _magic(tokens) and _fits(depth, text):
        return [INDENT * depth + text]
    top = _top(tokens)
    if body:
        commas = _commas(tokens, top)
        if commas and (exploded or commas != [len(tokens) - 1]):
            return _split_commas(tokens, commas, depth, parameters=parameters)
    if not is_def and _delimited([tokens[index] for index in top]):
        return _split_delimited(tokens, top, depth, body=body, parameters=parameters)
    if not any(token.text in _OPENING for token in tokens):
        if body:
            return [INDENT * depth + text]  # one atom: black leaves it long
        start, end = _value(tokens, top)
        if start <= 0 or not _fits(depth + 1, _join(tokens[start:end])):
            raise _CannotSplit  # an atom too long even on its own line: black leaves it
        return _wrap(tokens, depth, start, end)  # `name = (`, the atom, `)`
    return _split_bracket(tokens, depth, is_def=is_def)


def _split_delimited(
    tokens: list[_Token], top: list[int], depth: int, *, body: bool, parameters: bool
) -> list[str]:
    """A too-long line with operators outside its brackets, as black splits it."""
    end = len(tokens) - (tokens[-1].text in (",", ":"))
    if _annotation(tokens, top, body=body, parameters=parameters):
        equals = next((index for index in top if tokens[index].text == "="), end)
        if _delimited([tokens[index] for index in top if index < equals]):
            # `name: A | B = default`: black parenthesises the long annotation.
            return _wrap(tokens, depth, 1, equals)
        if body or equals == end:
            raise _CannotSplit  # the operators are in a parameter's default: left to black
    if body:
        if _ternary_argument(tokens, top):
            return _wrap(tokens, depth, 1, end)  # `name=(a if b else c)`
        return _split_delimiters(tokens, top, depth)
    start, end = _value(tokens, top)
    value_top = [tokens[index] for index in top if start <= index < end]
    count = _heaviest_count(value_top)
    brackets = [token for token in value_top if token.text in _OPENING]
    if count == 1 and (
        value_top[-1].text in _CLOSING or (value_top[0].text in _OPENING and len(brackets) == 1)
    ):
        # One operator and a bracket at an end of the value: black drops the optional
        # parentheses and splits at that bracket, when the line up to it fits.
        try:
            return _split_bracket(tokens, depth, is_def=False, wrap=False)
        except _CannotSplit:
            pass
    # Otherwise black keeps the optional parentheses around the value, made visible.
    return _wrap(tokens, depth, start, end)


def _annotation(tokens: list[_Token], top: list[int], *, body: bool, parameters: bool) -> bool:
    """Whether the line is `name: annotation [= default]`: a `def`'s parameter, or an attribute
    (a statement: never a comprehension, nor a dict entry, which would end in a comma)."""
    if not _ANNOTATED.fullmatch(tokens[0].text) or keyword.iskeyword(tokens[0].text[:-1]):
        return False
    if body:
        return parameters
    return tokens[-1].text != "," and not any(tokens[index].text == "for" for index in top)


def _split_commas(
    tokens: list[_Token], commas: list[int], depth: int, *, parameters: bool = False
) -> list[str]:
    """One item per line, each ending in a comma (black adds the trailing one)."""
    lines: list[str] = []
    start = 0
    for comma in [*commas, len(tokens)]:
        item = tokens[start:comma]
        start = comma + 1
        if item:
            lines += _lay([*item, _COMMA], depth, body=True, parameters=parameters)
    return lines


def _delimited(top: list[_Token]) -> bool:
    """Whether black would weigh delimiters (operators, keywords, implicitly concatenated
    strings) between these top-level tokens before splitting at a bracket."""
    strings = 0
    for position, token in enumerate(top):
        if position and token.text in _DELIMITERS:
            return True  # an operator that opens the line splits nothing in it
        strings += token.text[-1:] in "\"'"
    return strings > 1


def _split_bracket(
    tokens: list[_Token], depth: int, *, is_def: bool, wrap: bool = True
) -> list[str]:
    """black's right-hand split at the last bracket (its left-hand split, at the first, for a
    `def`): head, body one level deeper, tail."""
    top = _top(tokens)
    if is_def:
        opening = next((i for i in top if tokens[i].text == "("), -1)
        closing = top[top.index(opening) + 1] if opening >= 0 else -1
    else:
        closing = max((i for i in top if tokens[i].text in _CLOSING), default=-1)
        opening = _partner(tokens, closing) if closing >= 0 else -1
    if opening < 0:
        raise _CannotSplit
    if _subscript(tokens, opening) and _commas(
        tokens[opening + 1 : closing], _top(tokens[opening + 1 : closing])
    ):
        raise _CannotSplit  # a tuple subscript: black's trailing-comma rules for those differ
    head, inner, tail = tokens[: opening + 1], tokens[opening + 1 : closing], tokens[closing:]
    if not inner:
        raise _CannotSplit  # black does not split empty brackets
    head_text, tail_text = _join(head), _join(tail)
    if wrap and not is_def and not _fits(depth, head_text):
        start, end = _value(tokens, _top(tokens))
        return _wrap(tokens, depth, start, end)
    if not (_fits(depth, head_text) and _fits(depth, tail_text)):
        raise _CannotSplit
    commas = len(_commas(inner, _top(inner)))
    one_tuple = tokens[opening].text == "(" and commas == 1 and not _trailer(tokens, opening)
    exploded = inner[-1].text == "," and not one_tuple
    if commas and not is_def and not _trailer(tokens, opening):
        exploded = exploded or not _heavier_than_comma(inner)  # a display: one item a line
    if is_def and not commas:
        inner, exploded = [*inner, _COMMA], True  # black gives a lone parameter a trailing comma
    body_lines = _lay(inner, depth + 1, body=True, exploded=exploded, parameters=is_def)
    return [INDENT * depth + head_text, *body_lines, INDENT * depth + tail_text]


def _trailer(tokens: list[_Token], opening: int) -> bool:
    """Whether the bracket at `opening` calls or subscripts what precedes it (rather than
    opening a display: a tuple, list, dict or set)."""
    if not opening or tokens[opening].space:
        return False
    before = tokens[opening - 1].text
    return bool(_NEEDS_SPACE.search(before)) and not keyword.iskeyword(before)


def _subscript(tokens: list[_Token], opening: int) -> bool:
    return tokens[opening].text == "[" and _trailer(tokens, opening)


# black's delimiter priorities (`black.brackets`) for the operators emitters write.
_PRIORITIES = {
    "for": 20,
    "if": 16,
    "else": 16,
    "and": 14,
    "or": 14,
    "in": 10,
    "is": 10,
    "<": 10,
    ">": 10,
    "==": 10,
    "!=": 10,
    "<=": 10,
    ">=": 10,
    "|": 9,
    "^": 8,
    "&": 7,
    "<<": 6,
    ">>": 6,
    "+": 5,
    "-": 5,
    "*": 4,
    "/": 4,
    "//": 4,
    "%": 4,
    "@": 4,
    "**": 1,
}


def _priorities(top: list[_Token]) -> list[int]:
    """black's priority of a split before each of these top-level tokens (0: none)."""
    priorities = []
    in_for = False
    previous = ""
    for token in top:
        text = token.text
        if text == "for":
            in_for, priority = True, 20
        elif text == "in" and in_for:
            in_for, priority = False, 0  # `for x in`: part of the clause, not a comparison
        elif text == "if" and any(t.text == "for" for t in top):
            priority = 20  # a comprehension's condition
        elif text[-1:] in "\"'" and previous[-1:] in "\"'":
            priority = 12  # implicitly concatenated strings
        else:
            priority = _PRIORITIES.get(text, 0)
        priorities.append(priority)
        previous = text
    return priorities


_COMPREHENSION = 20


def _conditional(tokens: list[_Token]) -> bool:
    """Whether these tokens hold a conditional expression outside their brackets."""
    return any(tokens[index].text == "else" for index in _top(tokens))


def _heaviest_count(top: list[_Token]) -> int:
    """How many times the weightiest operator among these top-level tokens occurs."""
    priorities = _priorities(top)[1:]
    heaviest = max(priorities, default=0)
    return priorities.count(heaviest) if heaviest else 0


def _split_delimiters(tokens: list[_Token], top: list[int], depth: int) -> list[str]:
    """black's delimiter split: a new line before each of the weightiest operators."""
    priorities = _priorities([tokens[index] for index in top])
    priorities[0] = 0  # an operator that opens the line splits nothing in it
    heaviest = max(priorities, default=0)
    if not heaviest:
        raise _CannotSplit
    cuts = [index for index, priority in zip(top, priorities, strict=True) if priority == heaviest]
    lines: list[str] = []
    for start, end in itertools.pairwise([0, *cuts, len(tokens)]):
        if start == end:
            continue
        part = [_Token(tokens[start].text, space=False), *tokens[start + 1 : end]]
        if heaviest == _COMPREHENSION and not start and _conditional(part):
            # A comprehension's element that is `a if b else c`: black parenthesises it.
            if not _fits(depth, _join(part)):
                inner = _lay(part, depth + 1, body=True)
                lines += [INDENT * depth + "(", *inner, INDENT * depth + ")"]
                continue
        lines += _lay(part, depth, body=True)
    return lines


def _heavier_than_comma(inner: list[_Token]) -> bool:
    """A comprehension: its `for` outweighs the commas, so black does not explode it."""
    return any(inner[index].text == "for" for index in _top(inner))


def _value(tokens: list[_Token], top: list[int]) -> tuple[int, int]:
    """Where the value black wraps in optional parentheses starts and ends: after a leading
    `return`/`if`/... or the first top-level `=`, up to a final `:`; (-1, -1) when none."""
    end = len(tokens) - (tokens[-1].text == ":")
    if tokens[0].text in _VALUE_KEYWORDS:
        return 1, end
    split = next((i for i in top if tokens[i].text == "="), -1)
    return (split + 1, end) if split >= 0 else (-1, -1)


def _ternary_argument(tokens: list[_Token], top: list[int]) -> bool:
    """`name=a if b else c` (with its comma): black parenthesises a conditional argument."""
    return (
        len(top) > 1
        and _KEYWORD_ARGUMENT.fullmatch(tokens[0].text) is not None
        and any(tokens[index].text == "else" for index in top)
    )


def _wrap(tokens: list[_Token], depth: int, start: int, end: int) -> list[str]:
    """`name = (` / `return (` / `if (`, the value one level deeper, `)` and what follows the
    value: black's optional parentheses, made visible."""
    if start <= 0 or start >= end:
        raise _CannotSplit
    keyword_argument = _KEYWORD_ARGUMENT.fullmatch(tokens[start - 1].text) is not None
    head = _join([*tokens[:start], _Token("(", space=not keyword_argument)])
    tail = _join([_Token(")", space=False), *tokens[end:]])
    if not (_fits(depth, head) and _fits(depth, tail)):
        raise _CannotSplit
    value = [_Token(tokens[start].text, space=False), *tokens[start + 1 : end]]
    return [INDENT * depth + head, *_lay(value, depth + 1, body=True), INDENT * depth + tail]


def fit(statement: str, indent: int = 0) -> str:
    """One statement (no newline) starting at column `indent`, split as black would split it;
    continuation lines carry their indentation, the first line none. Unchanged when it fits or
    is not a shape this module knows."""
    if len(statement) + indent <= LINE_LENGTH and not _TRAILING_COMMA.search(statement):
        return statement  # the common case, decided without tokenizing
    tokens = _tokens(statement)
    if tokens is None:
        return statement
    depth, extra = divmod(indent, len(INDENT))
    if extra:
        return statement
    is_def = tokens[0].text in ("def", "async") and tokens[-1].text.endswith(":")
    # A line starting `name=` continues a call the template opened: it is an argument.
    argument = _KEYWORD_ARGUMENT.fullmatch(tokens[0].text) is not None
    try:
        lines = _lay(tokens, depth, body=argument, is_def=is_def)
    except _CannotSplit:
        return statement
    return "\n".join(lines)[indent:]


def lay_out(source: str) -> str:
    """A rendered module with its long statements split (`fit`) and its docstrings indented as
    black writes them. Docstrings are the only multi-line strings emitters write, and each opens
    a line (`\"\"\"...`), which is how they are told from code."""
    lines = source.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if stripped.startswith('"""') and stripped.count('"""') == 1:
            end = next(
                (i for i in range(index + 1, len(lines)) if '"""' in lines[i]), len(lines) - 1
            )
            out += _docstring(lines[index : end + 1], " " * indent)
            index = end + 1
            continue
        if len(line) > LINE_LENGTH or _TRAILING_COMMA.search(stripped):
            line = " " * indent + fit(stripped, indent)
        out.append(line)
        index += 1
    return "\n".join(out)


def _docstring(lines: list[str], prefix: str) -> list[str]:
    """A multi-line docstring's lines, re-indented as black's docstring handling does: the
    continuation lines lose their common indentation and take the opening line's."""
    rest = lines[1:]
    widths = [len(line) - len(line.lstrip()) for line in rest if line.strip()]
    common = min(widths, default=0)
    fixed = [lines[0]]
    for position, line in enumerate(rest):
        text = line[common:].rstrip()
        fixed.append(prefix + text if text or position == len(rest) - 1 else "")
    last = fixed[-1]
    if last.strip() != '"""' and str_width(last) > LINE_LENGTH:
        fixed[-1:] = [last[: last.rindex('"""')], prefix + '"""']
    return fixed
