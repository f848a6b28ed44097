"""ECMA-262 regular expressions (as JSON Schema specifies them, in Unicode mode) -> Python `re`.

The compiler translates `pattern` and `patternProperties` with `ecma_to_python`; the source
below the marker line is also copied into compiled validators, where `format: regex` checks a
string with `_is_ecma_regex` (a syntax check: it needs no Unicode tables). Differences handled:
`\\d`, `\\w`, `\\b` are ASCII-only, `\\s` is ECMA's whitespace set, `.` stops at every line
terminator, `$` matches only at the very end, `\\p{..}`/`\\P{..}` (General_Category values and
aliases, `Any`, `ASCII`, `Assigned`) become explicit classes, `\\cX`, `\\u{..}`, surrogate pairs,
`(?<name>..)`, `\\k<name>`, `[^]` and `[]`. Syntax ECMA refuses (`(?i)`, `(?P<..>)`, `\\a`,
`\\Z`, a lone `{`) is an error, as is what `re` cannot express: lookbehind of variable width,
`\\p{Script=..}` and binary properties other than Any/ASCII/Assigned (no data for them).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import cache

# ---- copied into compiled validators (format: regex); stdlib only, nothing above is needed ----


class _EcmaSyntaxError(ValueError):
    """A pattern ECMA-262 (Unicode mode) rejects, or one this translation cannot express."""


_SYNTAX = frozenset("^$\\.*+?()[]{}|/")
_CONTROL = {"f": "\\f", "n": "\\n", "r": "\\r", "t": "\\t", "v": "\\x0b"}
_ECMA_SPACE = (
    "\\t\\n\\x0b\\f\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
)
_CLASS_ESCAPES = {"d": "0-9", "w": "A-Za-z0-9_", "s": _ECMA_SPACE}
_GENERAL_CATEGORY = {
    # PropertyValueAliases.txt, gc: every name and alias -> the categories it covers.
    **dict.fromkeys(["C", "Other"], "Cc Cf Cn Co Cs"),
    **dict.fromkeys(["Cc", "Control", "cntrl"], "Cc"),
    **dict.fromkeys(["Cf", "Format"], "Cf"),
    **dict.fromkeys(["Cn", "Unassigned"], "Cn"),
    **dict.fromkeys(["Co", "Private_Use"], "Co"),
    **dict.fromkeys(["Cs", "Surrogate"], "Cs"),
    **dict.fromkeys(["L", "Letter"], "Ll Lm Lo Lt Lu"),
    **dict.fromkeys(["LC", "Cased_Letter"], "Ll Lt Lu"),
    **dict.fromkeys(["Ll", "Lowercase_Letter"], "Ll"),
    **dict.fromkeys(["Lm", "Modifier_Letter"], "Lm"),
    **dict.fromkeys(["Lo", "Other_Letter"], "Lo"),
    **dict.fromkeys(["Lt", "Titlecase_Letter"], "Lt"),
    **dict.fromkeys(["Lu", "Uppercase_Letter"], "Lu"),
    **dict.fromkeys(["M", "Mark", "Combining_Mark"], "Mc Me Mn"),
    **dict.fromkeys(["Mc", "Spacing_Mark"], "Mc"),
    **dict.fromkeys(["Me", "Enclosing_Mark"], "Me"),
    **dict.fromkeys(["Mn", "Nonspacing_Mark"], "Mn"),
    **dict.fromkeys(["N", "Number"], "Nd Nl No"),
    **dict.fromkeys(["Nd", "Decimal_Number", "digit"], "Nd"),
    **dict.fromkeys(["Nl", "Letter_Number"], "Nl"),
    **dict.fromkeys(["No", "Other_Number"], "No"),
    **dict.fromkeys(["P", "Punctuation", "punct"], "Pc Pd Pe Pf Pi Po Ps"),
    **dict.fromkeys(["Pc", "Connector_Punctuation"], "Pc"),
    **dict.fromkeys(["Pd", "Dash_Punctuation"], "Pd"),
    **dict.fromkeys(["Pe", "Close_Punctuation"], "Pe"),
    **dict.fromkeys(["Pf", "Final_Punctuation"], "Pf"),
    **dict.fromkeys(["Pi", "Initial_Punctuation"], "Pi"),
    **dict.fromkeys(["Po", "Other_Punctuation"], "Po"),
    **dict.fromkeys(["Ps", "Open_Punctuation"], "Ps"),
    **dict.fromkeys(["S", "Symbol"], "Sc Sk Sm So"),
    **dict.fromkeys(["Sc", "Currency_Symbol"], "Sc"),
    **dict.fromkeys(["Sk", "Modifier_Symbol"], "Sk"),
    **dict.fromkeys(["Sm", "Math_Symbol"], "Sm"),
    **dict.fromkeys(["So", "Other_Symbol"], "So"),
    **dict.fromkeys(["Z", "Separator"], "Zl Zp Zs"),
    **dict.fromkeys(["Zl", "Line_Separator"], "Zl"),
    **dict.fromkeys(["Zp", "Paragraph_Separator"], "Zp"),
    **dict.fromkeys(["Zs", "Space_Separator"], "Zs"),
}
# Binary properties ECMA-262 knows (table "Binary Unicode property aliases"); only the first
# three can be translated, the others are valid syntax all the same.
_BINARY = frozenset(
    "Any ASCII Assigned ASCII_Hex_Digit AHex Alphabetic Alpha Bidi_Control Bidi_C Bidi_Mirrored "
    "Bidi_M Case_Ignorable CI Cased Changes_When_Casefolded CWCF Changes_When_Casemapped CWCM "
    "Changes_When_Lowercased CWL Changes_When_NFKC_Casefolded CWKCF Changes_When_Titlecased CWT "
    "Changes_When_Uppercased CWU Dash Default_Ignorable_Code_Point DI Deprecated Dep Diacritic "
    "Dia Emoji Emoji_Component EComp Emoji_Modifier EMod Emoji_Modifier_Base EBase "
    "Emoji_Presentation EPres Extended_Pictographic ExtPict Extender Ext Grapheme_Base Gr_Base "
    "Grapheme_Extend Gr_Ext Hex_Digit Hex IDS_Binary_Operator IDSB IDS_Trinary_Operator IDST "
    "ID_Continue IDC ID_Start IDS Ideographic Ideo Join_Control Join_C Logical_Order_Exception "
    "LOE Lowercase Lower Math Noncharacter_Code_Point NChar Pattern_Syntax Pat_Syn "
    "Pattern_White_Space Pat_WS Quotation_Mark QMark Radical Regional_Indicator RI "
    "Sentence_Terminal STerm Soft_Dotted SD Terminal_Punctuation Term Unified_Ideograph UIdeo "
    "Uppercase Upper Variation_Selector VS White_Space space XID_Continue XIDC XID_Start XIDS".split()
)
_PROPERTY = re.compile(r"(?:(General_Category|gc|Script|sc|Script_Extensions|scx)=)?(\w+)")
_GROUP_NAME = re.compile(r"[A-Za-z_$][\w$]*")


_LITERAL_ESCAPES = frozenset("()[]{}?*+-|^$\\.&~#")


def _code(character: str) -> str:
    """One code point as text that is literal in and out of a Python class."""
    point = ord(character)
    if 32 < point < 127:
        return "\\" + character if character in _LITERAL_ESCAPES else character
    if point < 256:
        return f"\\x{point:02x}"
    return f"\\u{point:04x}" if point < 65536 else f"\\U{point:08x}"


class _Translator:
    """Recursive descent over the ECMA-262 pattern grammar (Unicode mode), writing `re` syntax.

    `classes`: a function giving the Python class body for a `\\p{..}` property (None: only
    check the syntax).
    """

    def __init__(
        self,
        pattern: str,
        classes: Callable[[str], str] | None = None,
        identity_escapes: bool = False,
    ) -> None:
        self.text = pattern
        self.position = 0
        self.classes = classes
        # Annex B (ECMA-262 without the `u` flag) reads `\:`, `\@`, `\'` as the character;
        # Unicode mode refuses them. Patterns in real specs write them (DigitalOcean's
        # `^[a-zA-Z0-9_\-\:]+$`), so `pattern` takes ASCII punctuation escapes with that one
        # meaning; `format: regex` stays strict.
        self.identity_escapes = identity_escapes
        self.groups = len(re.findall(r"\((?!\?)|\(\?<(?![=!])", pattern))
        self.names = set(re.findall(r"\(\?<([^=!>][^>]*)>", pattern))

    def fail(self, message: str) -> _EcmaSyntaxError:
        return _EcmaSyntaxError(f"{message} at position {self.position}")

    def peek(self, length: int = 1) -> str:
        return self.text[self.position : self.position + length]

    def take(self) -> str:
        if self.position >= len(self.text):
            raise self.fail("unexpected end of pattern")
        self.position += 1
        return self.text[self.position - 1]

    def translate(self) -> str:
        result = self.disjunction()
        if self.position < len(self.text):
            raise self.fail(f"unexpected {self.peek()!r}")
        return result

    def disjunction(self) -> str:
        parts = [self.alternative()]
        while self.peek() == "|":
            self.position += 1
            parts.append(self.alternative())
        return "|".join(parts)

    def alternative(self) -> str:
        terms: list[str] = []
        while self.position < len(self.text) and self.peek() not in ("|", ")"):
            terms.append(self.term())
        return "".join(terms)

    def term(self) -> str:
        character = self.peek()
        if character == "^":
            self.position += 1
            return "^"
        if character == "$":
            self.position += 1
            return "\\Z"  # the very end: Python's $ also matches before a final newline
        if self.peek(2) in ("\\b", "\\B"):
            self.position += 2
            return self.text[self.position - 2 : self.position]
        for head in ("(?<=", "(?<!", "(?=", "(?!"):
            if self.text.startswith(head, self.position):
                self.position += len(head)
                body = self.disjunction()
                if self.take() != ")":
                    raise self.fail("missing )")
                return f"{head}{body})"
        return self.atom() + self.quantifier()

    def quantifier(self) -> str:
        character = self.peek()
        if character in ("*", "+", "?"):
            self.position += 1
            text = character
        elif character == "{":
            match = re.compile(r"\{(\d+)(,(\d*))?\}").match(self.text, self.position)
            if match is None:
                raise self.fail("lone {")
            low, high = int(match[1]), match[3]
            if high and int(high) < low:
                raise self.fail("numbers out of order in {} quantifier")
            self.position = match.end()
            text = match[0]
        else:
            return ""
        if self.peek() == "?":
            self.position += 1
            text += "?"
        if self.peek() in ("*", "+", "?", "{"):
            raise self.fail("nothing to repeat")
        return text

    def atom(self) -> str:
        character = self.take()
        if character == ".":
            return "[^\\n\\r\\u2028\\u2029]"
        if character == "(":
            return self.group()
        if character == "[":
            return self.character_class()
        if character == "\\":
            return self.escape()
        if character in "*+?{}])|":
            raise self.fail(f"unexpected {character!r}")
        return _code(character)

    def group(self) -> str:
        if self.peek(2) == "?:":
            self.position += 2
            head = "(?:"
        elif self.peek() == "?":
            match = _GROUP_NAME.match(self.text, self.position + 2)
            if (
                self.peek(2) != "?<"
                or match is None
                or self.text[match.end() : match.end() + 1] != ">"
            ):
                raise self.fail("invalid group")
            if "$" in match[0]:
                raise self.fail("a group name with $ has no Python equivalent")
            self.position = match.end() + 1
            head = f"(?P<{match[0]}>"
        else:
            head = "("
        body = self.disjunction()
        if self.take() != ")":
            raise self.fail("missing )")
        return f"{head}{body})"

    def escape(self) -> str:
        character = self.take()
        if character in _CLASS_ESCAPES or character.lower() in _CLASS_ESCAPES:
            body = _CLASS_ESCAPES[character.lower()]
            return f"[{body}]" if character.islower() else f"[^{body}]"
        if character in "pP":
            body = self.property()
            return f"[{body}]" if character == "p" else f"[^{body}]"
        if character == "k":
            match = _GROUP_NAME.match(self.text, self.position + 1)
            if (
                self.peek() != "<"
                or match is None
                or self.text[match.end() : match.end() + 1] != ">"
            ):
                raise self.fail("invalid named reference")
            if match[0] not in self.names:
                raise self.fail(f"no group named {match[0]!r}")
            self.position = match.end() + 1
            return f"(?P={match[0]})"
        if character.isdigit() and character != "0":
            match = re.compile(r"\d*").match(self.text, self.position)
            number = int(character + (match[0] if match else ""))
            self.position += len(match[0]) if match else 0
            if number > self.groups:
                raise self.fail(f"reference to group {number}, which does not exist")
            return f"(?:\\{number})"
        return _code(self.character_escape(character))

    def character_escape(self, character: str) -> str:
        """The one code point of an escape (after the backslash) in or out of a class."""
        if character in _CONTROL:
            return {"f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\x0b"}[character]
        if character == "c":
            letter = self.take()
            if not ("a" <= letter.lower() <= "z"):
                raise self.fail("\\c must be followed by a letter")
            return chr(ord(letter) % 32)
        if character == "0":
            if self.peek().isdigit():
                raise self.fail("octal escapes are not allowed")
            return "\x00"
        if character == "x":
            digits = self.peek(2)
            if not re.fullmatch(r"[0-9A-Fa-f]{2}", digits):
                raise self.fail("\\x needs two hexadecimal digits")
            self.position += 2
            return chr(int(digits, 16))
        if character == "u":
            return self.unicode_escape()
        punctuation = " " <= character <= "~" and not character.isalnum()
        if character in _SYNTAX or (self.identity_escapes and punctuation):
            return character
        raise self.fail(f"invalid escape \\{character}")

    def unicode_escape(self) -> str:
        match = re.compile(r"\{([0-9A-Fa-f]+)\}|[0-9A-Fa-f]{4}").match(self.text, self.position)
        if match is None:
            raise self.fail("invalid \\u escape")
        self.position = match.end()
        point = int(match[1] or match[0], 16)
        if point > 0x10FFFF:
            raise self.fail("code point out of range")
        low = re.compile(r"\\u(d[c-f][0-9a-f]{2})", re.IGNORECASE).match(self.text, self.position)
        if not match[1] and 0xD800 <= point <= 0xDBFF and low:  # a surrogate pair: one point
            self.position = low.end()
            point = 0x10000 + ((point - 0xD800) << 10) + (int(low[1], 16) - 0xDC00)
        return chr(point)

    def property(self) -> str:
        match = _PROPERTY.match(self.text, self.position + 1)
        if self.peek() != "{" or match is None or self.text[match.end() : match.end() + 1] != "}":
            raise self.fail("invalid property escape")
        self.position = match.end() + 1
        kind, name = match[1], match[2]
        if kind in ("Script", "sc", "Script_Extensions", "scx"):
            if self.classes is None:
                return ""
            raise self.fail(f"\\p{{{kind}=..}} is not supported (Python has no script data)")
        if name not in _GENERAL_CATEGORY and (kind is not None or name not in _BINARY):
            raise self.fail(f"unknown Unicode property {name!r}")
        if self.classes is None:
            return ""
        return self.classes(name)

    def character_class(self) -> str:
        negated = self.peek() == "^"
        self.position += negated
        items: list[str] = []
        complements: list[str] = []
        while self.peek() != "]":
            if self.position >= len(self.text):
                raise self.fail("missing ]")
            self.class_item(items, complements)
        self.position += 1
        if not items and not complements:
            return "[\\x00-\\U0010ffff]" if negated else "(?!)"
        body = "".join(items)
        if not complements:
            return f"[{'^' if negated else ''}{body}]"
        parts = ([f"[{body}]"] if body else []) + [f"[^{item}]" for item in complements]
        either = "|".join(parts)
        return f"(?:(?!{either})[\\x00-\\U0010ffff])" if negated else f"(?:{either})"

    def class_item(self, items: list[str], complements: list[str]) -> None:
        start = self.class_atom(items, complements)
        if start is None or self.peek() != "-" or self.peek(2) == "-]":
            if start is not None:
                items.append(_code(start))
            return
        self.position += 1
        end = self.class_atom(items, complements)
        if end is None:
            raise self.fail("a class escape cannot bound a range")
        if ord(end) < ord(start):
            raise self.fail("range out of order in character class")
        items.append(f"{_code(start)}-{_code(end)}")

    def class_atom(self, items: list[str], complements: list[str]) -> str | None:
        """A single code point, or None after adding a class escape to items/complements."""
        character = self.take()
        if character != "\\":
            return character
        character = self.take()
        if character == "b":
            return "\b"
        if character == "-":
            return "-"
        if character.lower() in _CLASS_ESCAPES:
            body = _CLASS_ESCAPES[character.lower()]
            (items if character.islower() else complements).append(body)
            return None
        if character in "pP":
            body = self.property()
            (items if character == "p" else complements).append(body)
            return None
        return self.character_escape(character)


def _is_ecma_regex(text: str) -> bool:
    """Whether ECMA-262 (Unicode mode, as JSON Schema says) accepts the regular expression."""
    try:
        _Translator(text).translate()
    except (_EcmaSyntaxError, RecursionError):  # RecursionError: groups nested thousands deep
        return False
    return True


# ---- end of the copied part ----


@cache
def _category_ranges() -> dict[str, list[tuple[int, int]]]:
    """Code point ranges of every General_Category (one pass over Unicode, then cached)."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, unicodedata.category(chr(0))
    for point in range(1, sys.maxunicode + 2):
        category = unicodedata.category(chr(point)) if point <= sys.maxunicode else ""
        if category != current:
            ranges.setdefault(current, []).append((start, point - 1))
            start, current = point, category
    return ranges


@cache
def property_class(name: str) -> str:
    """Python class body for a `\\p{name}` (General_Category value or alias, Any, ASCII,
    Assigned)."""
    if name == "Any":
        return "\\x00-\\U0010ffff"
    if name == "ASCII":
        return "\\x00-\\x7f"
    if name == "Assigned":
        return "".join(
            property_class(gc)
            for gc in _GENERAL_CATEGORY
            if gc != "Cn" and len(gc) == 2 and gc != "LC"
        )
    if name not in _GENERAL_CATEGORY:
        raise _EcmaSyntaxError(f"\\p{{{name}}} is not supported (no Unicode data for it)")
    pieces = []
    for category in _GENERAL_CATEGORY[name].split():
        for low, high in _category_ranges().get(category, []):
            pieces.append(
                _code(chr(low)) if low == high else f"{_code(chr(low))}-{_code(chr(high))}"
            )
    return "".join(pieces)


def ecma_to_python(pattern: str) -> str:
    """An ECMA-262 pattern as an equivalent Python `re` pattern; ValueError names what is wrong
    (invalid ECMA syntax, or what `re` cannot express)."""
    try:
        translated = _Translator(pattern, property_class, identity_escapes=True).translate()
    except RecursionError:
        raise _EcmaSyntaxError("groups nested too deeply") from None
    try:
        re.compile(translated)
    except re.error as error:
        if "look-behind requires fixed-width" in str(error):
            raise _EcmaSyntaxError(
                "lookbehind of variable width (Python's re needs a fixed width)"
            ) from None
        raise _EcmaSyntaxError(f"no Python equivalent: {error}") from None
    except (OverflowError, RecursionError):
        raise _EcmaSyntaxError("pattern too large or nested too deeply") from None
    return translated


def runtime_source() -> str:
    """The copied part of this module: what compiled validators need for `format: regex`."""
    with open(__file__, encoding="utf-8") as source:
        text = source.read()
    start = text.index("\n", text.index("# ---- copied into compiled validators")) + 1
    return text[start : text.index("# ---- end of the copied part ----")].strip("\n")
