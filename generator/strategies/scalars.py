"""Strategy expressions for scalar instance types: strings (formats, patterns, lengths), numbers.

Each handler takes the builder (to record the helpers and imports its expression needs), the
schema and its pointer, and returns Python expression text for a Hypothesis strategy. The builder
is seen through the `NeedsRecorder` protocol, so this module does not import `builder`, which
imports it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

from generator.errors import SchemaCompileError, join_pointer
from generator.jsonschema.ecma_regex import ecma_to_python
from generator.names import py_literal

NUMBER_KEYWORDS = frozenset(
    {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}
)
# Without bounds, multiples of a fractional `multipleOf` are drawn as k * divisor with |k| at most
# this: a float prints as the exact decimal multiple only while it has few enough digits.
MAX_FRACTIONAL_FACTOR = 10**9
# A string's maximum length is drawn as a boundary case only up to this: Hypothesis refuses
# `min_size` beyond a few thousand, and a spec's 1 MiB limit shows nothing 4 KiB does not.
MAX_BOUNDARY_LENGTH = 4_096


@dataclass(frozen=True)
class FormatStrategy:
    """How to draw strings of one format: an expression and the helper blocks it calls."""

    expression: str
    helpers: tuple[str, ...] = ()
    imports: tuple[str, ...] = ()


class NeedsRecorder(Protocol):
    """What a scalar handler asks of the builder: record an expression's helpers and imports."""

    def use(self, format_strategy: FormatStrategy) -> str:
        """Record what `format_strategy` needs; return its expression."""


_PROVISIONAL = "from hypothesis import provisional"
# Every format the IR accepts. Hosts are kept within RFC 1123's 253 characters.
FORMAT_STRATEGIES: dict[str, FormatStrategy] = {
    "date": FormatStrategy("st.dates().map(lambda day: day.isoformat())"),
    "date-time": FormatStrategy("_date_times()", ("clock_suffixes", "date_times")),
    "time": FormatStrategy("_times()", ("clock_suffixes", "times")),
    "email": FormatStrategy(
        "st.emails(domains=provisional.domains(max_length=253))", (), (_PROVISIONAL,)
    ),
    "hostname": FormatStrategy("provisional.domains(max_length=253)", (), (_PROVISIONAL,)),
    "ipv4": FormatStrategy("st.ip_addresses(v=4).map(str)"),
    "ipv6": FormatStrategy("st.ip_addresses(v=6).map(str)"),
    # Letters and digits only: every such string is a regular expression in any dialect.
    "regex": FormatStrategy(
        "st.text(alphabet=st.characters(categories=['L', 'Nd'], codec='ascii'))"
    ),
    "uri": FormatStrategy("provisional.urls()", (), (_PROVISIONAL,)),
    "uri-reference": FormatStrategy(
        "st.one_of(provisional.urls(), st.from_regex(re.compile(r'(?:/[A-Za-z0-9._~-]*)*'),"
        " fullmatch=True))",
        (),
        (_PROVISIONAL, "import re"),
    ),
    "uuid": FormatStrategy("st.uuids().map(str)"),
}


def bound(schema: dict[str, Any], keyword: str, pointer: str, default: int | None) -> int | None:
    """A non-negative integer keyword (`maxLength`, `minItems`, ...), or `default` when absent."""
    value = schema.get(keyword, default)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
        raise SchemaCompileError(join_pointer(pointer, keyword), "must be a non-negative integer")
    return value


def sizes(schema: dict[str, Any], names: tuple[str, str], pointer: str) -> tuple[int, int | None]:
    """(minimum, maximum) size from a min/max keyword pair, checked for satisfiability."""
    low = bound(schema, names[0], pointer, 0) or 0
    high = bound(schema, names[1], pointer, None)
    if high is not None and high < low:
        raise SchemaCompileError(pointer, f"{names[0]} {low} > {names[1]} {high}: nothing to draw")
    return low, high


def strategy_string(builder: NeedsRecorder, schema: dict[str, Any], pointer: str) -> str:
    """Strings: a format's or pattern's strings filtered by length, or text at boundary lengths."""
    low, high = sizes(schema, ("minLength", "maxLength"), pointer)
    if "format" in schema and "pattern" in schema:
        raise SchemaCompileError(pointer, "format together with pattern is not supported")
    if "format" in schema:
        name = schema["format"]
        if name not in FORMAT_STRATEGIES:
            raise SchemaCompileError(join_pointer(pointer, "format"), f"unknown format {name!r}")
        base = builder.use(FORMAT_STRATEGIES[name])
    elif "pattern" in schema:
        base = pattern_strategy(builder, schema["pattern"], join_pointer(pointer, "pattern"))
    else:
        return text_strategy(low, high)
    if low == 0 and high is None:
        return base
    upper = "" if high is None else f" <= {high}"
    return f"{base}.filter(lambda text: {low} <= len(text){upper})"


def pattern_strategy(builder: NeedsRecorder, pattern: Any, pointer: str) -> str:
    """Strings matching `pattern` (ECMA-262, as JSON Schema says) in full, drawn from its Python
    translation: the validators use the same one, so a draw can never be a string Python's `.`
    or `$` accepts and ECMA's does not (`\\r` for `.`, a final newline for `$`)."""
    translated = python_pattern(pattern, pointer)
    expression = f"st.from_regex(re.compile({py_literal(translated)}), fullmatch=True)"
    return builder.use(FormatStrategy(expression, imports=("import re",)))


def python_pattern(pattern: Any, pointer: str) -> str:
    """The Python `re` pattern of an ECMA-262 one; a located error when there is none."""
    if not isinstance(pattern, str):
        raise SchemaCompileError(pointer, "not a regular expression: must be a string")
    try:
        return ecma_to_python(pattern)
    except ValueError as error:
        raise SchemaCompileError(pointer, f"not a regular expression: {error}") from None


def text_strategy(low: int, high: int | None) -> str:
    """Any text of an allowed length, with the boundary lengths drawn as often as the rest."""
    minimum = f"min_size={low}, " if low else ""
    if high is None:
        return f"st.text({minimum.rstrip(', ')})"
    options = [f"st.text({minimum}max_size={high})"]
    if high <= MAX_BOUNDARY_LENGTH:
        options.append(f"st.text(min_size={high}, max_size={high})")
    options.append(f"st.text({minimum}max_size={low})")
    return one_of(list(dict.fromkeys(options)))


def one_of(expressions: list[str]) -> str:
    """`st.one_of(...)` of several strategies; one strategy stays as it is."""
    return expressions[0] if len(expressions) == 1 else f"st.one_of({', '.join(expressions)})"


def strategy_number(builder: NeedsRecorder, schema: dict[str, Any], pointer: str) -> str:
    """Numbers: finite floats within the bounds, and the integers among them (if any)."""
    if "multipleOf" in schema:
        return multiples(schema, pointer, integral=False)
    low, high = integer_range(schema, pointer)
    floats = floats_strategy(schema, pointer)
    if low is not None and high is not None and low > high:
        return floats
    return one_of([strategy_integer(builder, schema, pointer), floats])


def multiples(schema: dict[str, Any], pointer: str, *, integral: bool) -> str:
    """`multipleOf`: k * divisor for the integers k that keep it within the bounds; the divisor
    as the exact decimal it is written as (0.01 is 1/100), so k * 1 / 100 prints as a decimal the
    validators' exact check accepts. An integer must be a multiple of the numerator too."""
    divisor = Fraction(repr(schema["multipleOf"]))
    if integral or divisor.denominator == 1:
        divisor = Fraction(divisor.numerator)
    low, high = _factor_range(schema, pointer, divisor)
    if divisor.denominator != 1:
        low = -MAX_FRACTIONAL_FACTOR if low is None else low
        high = MAX_FRACTIONAL_FACTOR if high is None else high
    if low is not None and high is not None and low > high:
        raise SchemaCompileError(pointer, "no multiple lies within the bounds: nothing to draw")
    arguments = [] if low is None else [f"min_value={low}"]
    arguments += [] if high is None else [f"max_value={high}"]
    scale = f"factor * {divisor.numerator}"
    if divisor.denominator != 1:
        scale += f" / {divisor.denominator}"
    return f"st.integers({', '.join(arguments)}).map(lambda factor: {scale})"


def _factor_range(
    schema: dict[str, Any], pointer: str, divisor: Fraction
) -> tuple[int | None, int | None]:
    """The smallest and largest k with k * divisor within the bounds (None: unbounded)."""
    low, high = number_bounds(schema, pointer)
    smallest = largest = None
    if low is not None:
        exact = Fraction(repr(low))
        smallest = math.ceil(exact / divisor)
        if schema.get("exclusiveMinimum") == low and smallest * divisor == exact:
            smallest += 1
    if high is not None:
        exact = Fraction(repr(high))
        largest = math.floor(exact / divisor)
        if schema.get("exclusiveMaximum") == high and largest * divisor == exact:
            largest -= 1
    return smallest, largest


def number_bounds(schema: dict[str, Any], pointer: str) -> tuple[float | None, float | None]:
    """The inclusive-or-exclusive lower and upper bounds, checked to be numbers."""
    if "multipleOf" in schema:
        divisor = schema["multipleOf"]
        if (
            isinstance(divisor, bool)
            or not isinstance(divisor, int | float)
            or not 0 < divisor < math.inf
        ):
            raise SchemaCompileError(
                join_pointer(pointer, "multipleOf"), "must be a number above 0"
            )
    for keyword in (NUMBER_KEYWORDS - {"multipleOf"}) & schema.keys():
        value = schema[keyword]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise SchemaCompileError(join_pointer(pointer, keyword), "must be a finite number")
    lows = [schema[key] for key in ("minimum", "exclusiveMinimum") if key in schema]
    highs = [schema[key] for key in ("maximum", "exclusiveMaximum") if key in schema]
    return (max(lows) if lows else None), (min(highs) if highs else None)


def integer_range(schema: dict[str, Any], pointer: str) -> tuple[int | None, int | None]:
    """The smallest and largest allowed integer (an exclusive bound moves one step in)."""
    low, high = number_bounds(schema, pointer)
    if low is not None:
        low = math.floor(low) + 1 if schema.get("exclusiveMinimum") == low else math.ceil(low)
    if high is not None:
        high = math.ceil(high) - 1 if schema.get("exclusiveMaximum") == high else math.floor(high)
    return low, high


def strategy_integer(builder: NeedsRecorder, schema: dict[str, Any], pointer: str) -> str:
    """Integers within the bounds (multiples of `multipleOf`)."""
    if "multipleOf" in schema:
        return multiples(schema, pointer, integral=True)
    low, high = integer_range(schema, pointer)
    if low is not None and high is not None and low > high:
        raise SchemaCompileError(pointer, "no integer lies within the bounds: nothing to draw")
    arguments = [] if low is None else [f"min_value={low}"]
    arguments += [] if high is None else [f"max_value={high}"]
    return f"st.integers({', '.join(arguments)})"


def floats_strategy(schema: dict[str, Any], pointer: str) -> str:
    """Finite floats within the bounds."""
    low, high = number_bounds(schema, pointer)
    exclude_low = low is not None and schema.get("exclusiveMinimum") == low
    exclude_high = high is not None and schema.get("exclusiveMaximum") == high
    if (
        low is not None
        and high is not None
        and (low > high or (low == high and (exclude_low or exclude_high)))
    ):
        raise SchemaCompileError(pointer, "no number lies within the bounds: nothing to draw")
    arguments = ["allow_nan=False", "allow_infinity=False"]
    if low is not None:
        arguments += [f"min_value={py_literal(float(low))}", f"exclude_min={exclude_low}"]
    if high is not None:
        arguments += [f"max_value={py_literal(float(high))}", f"exclude_max={exclude_high}"]
    return f"st.floats({', '.join(arguments)})"
