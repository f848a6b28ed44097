"""Format assertions for compiled validators: one `_is_<format>(text) -> bool` helper per format.

Formats are annotations in draft 2020-12 unless the caller asks for assertion; then an unknown
format is a compile error rather than a check that silently passes everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.jsonschema import ecma_regex, idn
from generator.jsonschema.runtime import Helper
from generator.jsonschema.writer import string_literal


@dataclass(frozen=True)
class FormatCheck:
    """How one format is asserted: the helper that tests a string and the message noun."""

    helper: str
    description: str
    # Call-site expression (`{value}`: the string) deciding the common cases without a call and
    # with the same verdict as `helper`; empty: call the helper.
    inline: str = ""
    # Helper (a compiled `(?:FAST\n)*+`) that checks many strings at once, one per line; empty:
    # the format is never deferred (see `validator_deferral`).
    lines: str = ""


FORMATS: dict[str, FormatCheck] = {
    "date": FormatCheck("_is_date", "a date (RFC 3339 full-date)"),
    "date-time": FormatCheck(
        "_is_date_time",
        "a date-time (RFC 3339)",
        # The helper's first test inline: a call is a fifth of the everyday check.
        "_DATE_TIME_FAST_PATTERN.fullmatch({value}) is not None or _is_date_time({value})",
        lines="_DATE_TIME_LINES_PATTERN",
    ),
    "email": FormatCheck(
        "_is_email",
        "an email address",
        # A call costs more than the whole everyday check (issue #6): the `_is_email` head inline.
        '"@" in {value} and ((len({value}) <= 64 and _EMAIL_FAST_PATTERN.fullmatch({value})'
        " is not None) or _is_email({value}))",
        lines="_EMAIL_LINES_PATTERN",
    ),
    "hostname": FormatCheck("_is_hostname", "a host name"),
    "idn-hostname": FormatCheck("_is_idn_hostname", "an internationalized host name"),
    "idn-email": FormatCheck("_is_idn_email", "an internationalized email address"),
    "duration": FormatCheck("_is_duration", "a duration (RFC 3339 appendix A)"),
    "json-pointer": FormatCheck("_is_json_pointer", "a JSON pointer"),
    "relative-json-pointer": FormatCheck("_is_relative_json_pointer", "a relative JSON pointer"),
    "uri-template": FormatCheck("_is_uri_template", "a URI template"),
    "iri": FormatCheck("_is_iri", "an absolute IRI"),
    "iri-reference": FormatCheck("_is_iri_reference", "an IRI reference"),
    "ipv4": FormatCheck("_is_ipv4", "an IPv4 address"),
    "ipv6": FormatCheck("_is_ipv6", "an IPv6 address"),
    "regex": FormatCheck("_is_regex", "an ECMA-262 regular expression"),
    "time": FormatCheck("_is_time", "a time (RFC 3339 full-time)"),
    "uri": FormatCheck(
        "_is_uri",
        "an absolute URI",
        "_URI_FAST_PATTERN.fullmatch({value}) is not None or _is_uri({value})",
        lines="_URI_LINES_PATTERN",
    ),
    "uri-reference": FormatCheck("_is_uri_reference", "a URI reference"),
    "uuid": FormatCheck("_is_uuid", "a UUID"),
}

# RFC 3339 pieces. `[0-9]`, never `\d`: Python's `\d` also matches digits of other scripts.
_DATE = "([0-9]{4})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_TIME = (
    "([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(?:[.][0-9]+)?"
    "(?:[Zz]|([+-])([01][0-9]|2[0-3]):([0-5][0-9]))"
)
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# RFC 5321 local part: dot-atom, or a quoted string of printable ASCII with backslash escapes.
_ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_EMAIL_LOCAL = f'{_ATOM}(?:[.]{_ATOM})*|"(?:[ !#-\\[\\]-~]|\\\\[ -~])*"'
_HOSTNAME_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
# No trailing dot: `a@example.com.` is no address, and the suite says `example.com.` is no
# host name (the DNS root's dot belongs to the zone file, not to a name written in data).
_EMAIL_COMMON = f"{_ATOM}(?:[.]{_ATOM})*@{_HOSTNAME_LABEL}(?:[.]{_HOSTNAME_LABEL})+"

# RFC 3986 appendix A, ASCII only.
_PERCENT = "%[0-9A-Fa-f]{2}"
_SAFE = "A-Za-z0-9\\-._~!$&'()*+,;="
_PCHAR = f"(?:[{_SAFE}:@]|{_PERCENT})"


def _ipv6_address() -> str:
    """RFC 3986 `IPv6address`, its nine forms as the ABNF writes them (with `::` standing for
    the zero groups the explicit ones leave out of eight)."""
    h16 = "[0-9A-Fa-f]{1,4}"
    ls32 = f"(?:{h16}:{h16}|{_OCTET}(?:\\.{_OCTET}){{3}})"
    forms = [f"(?:{h16}:){{6}}{ls32}", f"::(?:{h16}:){{5}}{ls32}"]
    for before, after in ((0, 4), (1, 3), (2, 2), (3, 1), (4, 0)):
        head = f"(?:(?:{h16}:){{0,{before}}}{h16})?"
        forms.append(f"{head}::(?:{h16}:){{{after}}}{ls32}")
    forms.append(f"(?:(?:{h16}:){{0,5}}{h16})?::{h16}")
    forms.append(f"(?:(?:{h16}:){{0,6}}{h16})?::")
    return "(?:" + "|".join(forms) + ")"


_IP_LITERAL = f"\\[(?:{_ipv6_address()}|[Vv][0-9A-Fa-f]+\\.[{_SAFE}:]+)\\]"
_AUTHORITY = (
    f"(?:(?:[{_SAFE}:]|{_PERCENT})*@)?"
    f"(?:{_IP_LITERAL}|(?:[{_SAFE}]|{_PERCENT})*)"
    "(?::[0-9]*)?"
)
_PATH_ABEMPTY = f"(?:/{_PCHAR}*)*"
_PATH_ABSOLUTE = f"/(?:{_PCHAR}+{_PATH_ABEMPTY})?"
_TAIL = f"(?:\\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?"
_URI = (
    f"[A-Za-z][A-Za-z0-9+\\-.]*:"
    f"(?://{_AUTHORITY}{_PATH_ABEMPTY}|{_PATH_ABSOLUTE}|{_PCHAR}+{_PATH_ABEMPTY})?{_TAIL}"
)
# Fast paths: plain character classes, no `%XX` alternation (about 45 ns a character in `re`).
# Each accepts a subset of what the full pattern accepts, so `fast or full` gives the same verdict
# (tests/test_compile_schema.py checks both on random and near-miss strings). Quantifiers are
# possessive (`*+`, `++`, `?+`: Python 3.11): what each repeats never overlaps what follows it,
# so giving characters back could never help, and `re` then keeps no backtracking state (about
# 20% of the time of a match: 356 against 450 ns for a SharePoint URL). None matches "\n", so
# `(?:FAST\n)*+` over texts joined one per line checks them all in one call (`validator_deferral`).
# An http(s)-style URI: `//host[:port]`, no userinfo, no IP literal, no percent-escapes.
_URI_FAST = (
    f"[A-Za-z][A-Za-z0-9+\\-.]*+://[{_SAFE}]*+(?::[0-9]*+)?+"
    f"(?:/[{_SAFE}:@/]*+)?+(?:\\?[{_SAFE}:@/?]*+)?+(?:#[{_SAFE}:@/?]*+)?+"
)
# A dot-atom without the rarer atext characters at a host of letters and digits only.
_EMAIL_FAST = "[A-Za-z0-9_+-]++(?:[.][A-Za-z0-9_+-]++)*+@[A-Za-z0-9]++(?:[.][A-Za-z0-9]++)++"
# The same shape within RFC 5321's limits whatever the length (up to 3 atoms of 20 or 21
# characters: a local part of at most 63; 2 to 4 labels of 62: a domain of at most 251), for
# batches, which cannot test `len(text) <= 64` per address. Optional groups, nested, instead
# of `{0,2}` and `{1,3}`: 10% faster in `re`.
_ATOM_FAST, _LABEL_FAST = "[A-Za-z0-9_+-]", "[.][A-Za-z0-9]{1,62}+"
_EMAIL_FAST_BOUNDED = (
    f"{_ATOM_FAST}{{1,21}}+(?:[.]{_ATOM_FAST}{{1,20}}+(?:[.]{_ATOM_FAST}{{1,20}}+)?+)?+"
    f"@[A-Za-z0-9]{{1,62}}+{_LABEL_FAST}(?:{_LABEL_FAST}(?:{_LABEL_FAST})?+)?+"
)
# Days 01-28 and seconds 00-59: no calendar or leap-second arithmetic, no groups to capture.
_DATE_TIME_FAST = (
    "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])[Tt]"
    "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:[.][0-9]++)?+"
    "(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
)
_RELATIVE_REFERENCE = (
    f"(?://{_AUTHORITY}{_PATH_ABEMPTY}|{_PATH_ABSOLUTE}"
    f"|(?:[{_SAFE}@]|{_PERCENT})+{_PATH_ABEMPTY})?{_TAIL}"
)


# RFC 3987: ucschar (and iprivate, accepted everywhere here) extend RFC 3986's unreserved set.
_UCS = "\\xa0-\\ud7ff\\uf900-\\ufdcf\\ufdf0-\\uffef\\U00010000-\\U0010fffd\\ue000-\\uf8ff"
_IRI = _URI.replace(_SAFE, _SAFE + _UCS)
_IRELATIVE_REFERENCE = _RELATIVE_REFERENCE.replace(_SAFE, _SAFE + _UCS)
_IDN_EMAIL_LOCAL = (
    "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\x80-\\U0010ffff-]+(?:[.][A-Za-z0-9!#$%&'*+/=?^_`{|}~"
    '\\x80-\\U0010ffff-]+)*|"(?:[ !#-\\[\\]-~\\x80-\\U0010ffff]|\\\\[ -~])*"'
)
_DIGITS = "[0-9]+"
_DURATION_TIME = (
    f"T(?:{_DIGITS}H(?:{_DIGITS}M(?:{_DIGITS}S)?)?|{_DIGITS}M(?:{_DIGITS}S)?|{_DIGITS}S)"
)
_DURATION = (
    f"P(?:(?:{_DIGITS}D|{_DIGITS}M(?:{_DIGITS}D)?|{_DIGITS}Y(?:{_DIGITS}M(?:{_DIGITS}D)?)?)"
    f"(?:{_DURATION_TIME})?|{_DURATION_TIME}|{_DIGITS}W)"
)
_JSON_POINTER = "(?:/(?:[^~/]|~[01])*)*"
# RFC 6570: literals (any character but CTL, space and "%<>\\^`{|}, or a percent-escape; the
# suite takes the apostrophe as a literal, as RFC 6570's erratum 6937 does) and
# expressions `{[operator]varspec,...}` with `name[.name]` names and `:1-9999` / `*` modifiers.
_VARCHAR = "(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
_VARSPEC = f"{_VARCHAR}+(?:[.]{_VARCHAR}+)*(?::[1-9][0-9]{{0,3}}|[*])?"
_URI_TEMPLATE = (
    '(?:[^\\x00-\\x20"%<>\\\\^`{|}\\x7f]|%[0-9A-Fa-f]{2}'
    f"|\\{{[+#./;?&=,!@|]?{_VARSPEC}(?:,{_VARSPEC})*\\}})*"
)


def greedy(pattern: str) -> str:
    """The pattern without possessive marks (`a++` -> `a+`), for Python 3.10's `re`.

    The fast paths match the same strings either way (their repeats never overlap what follows),
    which tests/test_format_fast_paths.py checks. Written for the patterns of this module: a `]`
    right after `[` would be taken for the end of the class.
    """
    kept: list[str] = []
    in_class = escaped = after_quantifier = False
    for character in pattern:
        possessive = after_quantifier and character == "+"
        after_quantifier = False
        if escaped:
            escaped = False
        elif character == "\\":
            escaped = True
        elif in_class:
            in_class = character != "]"
        elif character == "[":
            in_class = True
        elif possessive:
            continue
        else:
            after_quantifier = character in "*+?}"
        kept.append(character)
    return "".join(kept)


def fast_pattern(constant: str, pattern: str) -> str:
    """`CONSTANT = re.compile(...)` for a possessive pattern, greedy where `re` lacks `++`."""
    versions = f"{string_literal(pattern)} if _POSSESSIVE else {string_literal(greedy(pattern))}"
    return f"{constant} = re.compile({versions})"


def _pattern_helper(constant: str, pattern: str, function: str, doc: str) -> Helper:
    """Helper that is one compiled regex plus a fullmatch test."""
    source = f'''
{constant} = re.compile({string_literal(pattern)})


def {function}(text: str) -> bool:
    """{doc}"""
    return {constant}.fullmatch(text) is not None
'''
    return Helper(source, imports=("re",))


FORMAT_HELPERS: dict[str, Helper] = {
    "_POSSESSIVE": Helper(
        """
# Possessive quantifiers (`a++`) came with Python 3.11; before, fast paths are plain greedy ones.
_POSSESSIVE = sys.version_info >= (3, 11)
""",
        imports=("sys",),
    ),
    "_is_real_date": Helper('''
_LONG_MONTHS = frozenset({"01", "03", "05", "07", "08", "10", "12"})


def _is_real_date(year: str, month: str, day: str) -> bool:
    """Whether the day exists in that month (the pattern already limits it to 01-31)."""
    if day <= "28":
        return True
    if month == "02":
        number = int(year)
        leap = number % 4 == 0 and (number % 100 != 0 or number % 400 == 0)
        return day == "29" and leap
    return day <= "30" or month in _LONG_MONTHS
'''),
    "_is_time_of_day": Helper(
        '''
def _is_time_of_day(match: re.Match[str], hour_group: int) -> bool:
    """Whether a second of 60 (a leap second) falls on 23:59 UTC, the only place it may.

    Groups from `hour_group` on: hour, minute, second, offset sign, offset hour, offset minute.
    """
    hour, minute, second, sign, offset_hour, offset_minute = match.group(
        hour_group, hour_group + 1, hour_group + 2, hour_group + 3, hour_group + 4, hour_group + 5
    )
    if second != "60":
        return True
    minutes = int(hour) * 60 + int(minute)
    if sign is not None:
        offset = int(offset_hour) * 60 + int(offset_minute)
        minutes += -offset if sign == "+" else offset
    return minutes % 1440 == 1439
''',
        imports=("re",),
    ),
    "_is_date": Helper(
        f'''
_DATE_PATTERN = re.compile({string_literal(_DATE)})


def _is_date(text: str) -> bool:
    """RFC 3339 full-date, YYYY-MM-DD, that exists in the calendar."""
    match = _DATE_PATTERN.fullmatch(text)
    return match is not None and _is_real_date(*match.group(1, 2, 3))
''',
        imports=("re",),
        requires=("_is_real_date",),
    ),
    "_is_time": Helper(
        f'''
_TIME_PATTERN = re.compile({string_literal(_TIME)})


def _is_time(text: str) -> bool:
    """RFC 3339 full-time: HH:MM:SS, optional fraction, then 'Z' or a numeric offset."""
    match = _TIME_PATTERN.fullmatch(text)
    return match is not None and _is_time_of_day(match, 1)
''',
        imports=("re",),
        requires=("_is_time_of_day",),
    ),
    "_is_date_time": Helper(
        f'''
{fast_pattern("_DATE_TIME_FAST_PATTERN", _DATE_TIME_FAST)}
_DATE_TIME_PATTERN = re.compile({string_literal(_DATE + "[Tt]" + _TIME)})


def _is_date_time(text: str) -> bool:
    """RFC 3339 date-time ('T' or 't', any number of fraction digits, 'Z' or offset)."""
    if _DATE_TIME_FAST_PATTERN.fullmatch(text) is not None:
        return True
    match = _DATE_TIME_PATTERN.fullmatch(text)
    if match is None:
        return False
    # Most values pass on the pattern alone; only days 29-31 and second 60 need arithmetic.
    return (match[3] <= "28" or _is_real_date(*match.group(1, 2, 3))) and (
        match[6] != "60" or _is_time_of_day(match, 4)
    )
''',
        imports=("re",),
        requires=("_POSSESSIVE", "_is_real_date", "_is_time_of_day"),
    ),
    "_is_ipv4": _pattern_helper(
        "_IPV4_PATTERN",
        rf"{_OCTET}(?:\.{_OCTET}){{3}}",
        "_is_ipv4",
        "Dotted-quad IPv4 address; leading zeros are rejected (some parsers read them as octal).",
    ),
    "_is_ipv6": Helper(
        '''
def _is_ipv6(text: str) -> bool:
    """RFC 4291 IPv6 text form, without the zone id ("%eth0") that ipaddress also accepts."""
    if not text.isascii() or "%" in text:
        return False
    import ipaddress  # here: rarely needed, and importing it costs more than a validation

    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True
''',
    ),
    "_idn_labels": Helper(idn.runtime_source("labels"), imports=("re", "unicodedata")),
    "_is_hostname": Helper(idn.runtime_source("hostname"), requires=("_idn_labels",)),
    "_is_idn_hostname": Helper(
        idn.runtime_source("idn-hostname"), imports=("re",), requires=("_idn_labels",)
    ),
    "_is_idn_email": Helper(
        f'''
_IDN_EMAIL_LOCAL_PATTERN = re.compile({string_literal(_IDN_EMAIL_LOCAL)})


def _is_idn_email(text: str) -> bool:
    """RFC 6531 mailbox: a local part that may hold any non-ASCII character, an IDN host."""
    local, separator, domain = text.rpartition("@")
    if not separator or len(local) > 64 or _IDN_EMAIL_LOCAL_PATTERN.fullmatch(local) is None:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _is_ipv6(literal[5:])
        return _is_ipv4(literal)
    # The suite (and RFC 6531's use of RFC 5890 lookup) accepts a domain not yet in NFC.
    return _is_idn_hostname(unicodedata.normalize("NFC", domain))
''',
        imports=("re", "unicodedata"),
        requires=("_is_ipv4", "_is_ipv6", "_is_idn_hostname"),
    ),
    "_is_duration": _pattern_helper(
        "_DURATION_PATTERN", _DURATION, "_is_duration", "RFC 3339 appendix A duration (ISO 8601)."
    ),
    "_is_json_pointer": _pattern_helper(
        "_JSON_POINTER_PATTERN", _JSON_POINTER, "_is_json_pointer", "RFC 6901 JSON pointer."
    ),
    "_is_relative_json_pointer": _pattern_helper(
        "_RELATIVE_JSON_POINTER_PATTERN",
        f"(?:0|[1-9][0-9]*)(?:#|{_JSON_POINTER})",
        "_is_relative_json_pointer",
        "Relative JSON pointer: a non-negative integer, then '#' or a JSON pointer.",
    ),
    "_is_uri_template": _pattern_helper(
        "_URI_TEMPLATE_PATTERN", _URI_TEMPLATE, "_is_uri_template", "RFC 6570 URI template."
    ),
    "_is_iri": Helper(
        f'''
@functools.cache
def _iri_pattern() -> re.Pattern[str]:
    return re.compile({string_literal(_IRI)})


def _is_iri(text: str) -> bool:
    """RFC 3987 absolute IRI: an RFC 3986 URI whose unreserved characters include ucschar."""
    return _iri_pattern().fullmatch(text) is not None
''',
        imports=("re", "functools"),
    ),
    "_is_iri_reference": Helper(
        f'''
@functools.cache
def _iri_reference_pattern() -> re.Pattern[str]:
    return re.compile({string_literal(f"{_IRI}|{_IRELATIVE_REFERENCE}")})


def _is_iri_reference(text: str) -> bool:
    """RFC 3987 IRI reference: an absolute IRI or a relative one."""
    return _iri_reference_pattern().fullmatch(text) is not None
''',
        imports=("re", "functools"),
    ),
    "_is_email": Helper(
        f'''
{fast_pattern("_EMAIL_FAST_PATTERN", _EMAIL_FAST)}
_EMAIL_PATTERN = re.compile({string_literal(_EMAIL_COMMON)})
_EMAIL_LOCAL_PATTERN = re.compile({string_literal(_EMAIL_LOCAL)})


def _is_email(text: str) -> bool:
    """RFC 5321 mailbox: dot-atom or quoted local part, '@', dotted host name or address literal."""
    # One regex settles the everyday shape (name@host.example, short enough that no length
    # limit can be exceeded); quoted parts, address literals and long names take the long road.
    if "@" not in text:  # the commonest mistake, rejected before any backtracking regex
        return False
    if len(text) <= 64 and _EMAIL_FAST_PATTERN.fullmatch(text) is not None:
        return True
    if len(text) <= 64 and _EMAIL_PATTERN.fullmatch(text) is not None:
        return True
    local, separator, domain = text.rpartition("@")
    if not separator or len(local) > 64 or _EMAIL_LOCAL_PATTERN.fullmatch(local) is None:
        return False
    if domain.startswith("[") and domain.endswith("]"):
        literal = domain[1:-1]
        if literal[:5].lower() == "ipv6:":
            return _is_ipv6(literal[5:])
        return _is_ipv4(literal)
    # "user@localhost" is RFC-valid but never deliverable: a practical check wants a dot.
    return "." in domain and _is_hostname(domain)
''',
        imports=("re",),
        requires=("_POSSESSIVE", "_is_ipv4", "_is_ipv6", "_is_hostname"),
    ),
    "_is_uuid": _pattern_helper(
        "_UUID_PATTERN",
        "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}",
        "_is_uuid",
        "UUID in 8-4-4-4-12 hexadecimal form, any version, any case.",
    ),
    "_is_uri": Helper(
        f'''
{fast_pattern("_URI_FAST_PATTERN", _URI_FAST)}


# The whole RFC 3986 grammar (its IPv6 literals above all) takes `re` milliseconds to compile:
# compiled when the fast path first fails, not when the module is imported.
@functools.cache
def _uri_pattern() -> re.Pattern[str]:
    return re.compile({string_literal(_URI)})


def _is_uri(text: str) -> bool:
    """RFC 3986 absolute URI: a scheme, then ':' and the rest."""
    return _URI_FAST_PATTERN.fullmatch(text) is not None or _uri_pattern().fullmatch(text) is not None
''',
        imports=("re", "functools"),
        requires=("_POSSESSIVE",),
    ),
    "_is_uri_reference": Helper(
        f'''
@functools.cache
def _uri_reference_pattern() -> re.Pattern[str]:
    return re.compile({string_literal(f"{_URI}|{_RELATIVE_REFERENCE}")})


def _is_uri_reference(text: str) -> bool:
    """RFC 3986 URI reference: an absolute URI or a relative reference."""
    return _uri_reference_pattern().fullmatch(text) is not None
''',
        imports=("re", "functools"),
    ),
    "_is_regex": Helper(
        f"""
{ecma_regex.runtime_source()}


def _is_regex(text: str) -> bool:
    \"\"\"Whether the text is an ECMA-262 regular expression (Unicode mode).\"\"\"
    return _is_ecma_regex(text)
""",
        imports=("re", "collections.abc:Callable"),
    ),
}


def _lines_helper(constant: str, fast: str) -> Helper:
    """A fast path once per line, for texts joined by newlines: `match().end()` is where it stops.

    Possessive, each line is one step `re` never returns to: the batch keeps no backtracking
    state per line (twice as fast as greedy on URIs).
    """
    lines = "(?:" + fast + "\n)*+"
    return Helper(
        "\n" + fast_pattern(constant, lines) + "\n",
        imports=("re",),
        requires=("_POSSESSIVE",),
    )


FORMAT_HELPERS["_DATE_TIME_LINES_PATTERN"] = _lines_helper(
    "_DATE_TIME_LINES_PATTERN", _DATE_TIME_FAST
)
FORMAT_HELPERS["_EMAIL_LINES_PATTERN"] = _lines_helper("_EMAIL_LINES_PATTERN", _EMAIL_FAST_BOUNDED)
FORMAT_HELPERS["_URI_LINES_PATTERN"] = _lines_helper("_URI_LINES_PATTERN", _URI_FAST)
