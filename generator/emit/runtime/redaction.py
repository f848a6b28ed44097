"""Keeping secrets out of errors, logs and reprs: check what goes into headers before sending.

An HTTP library that meets a bad header value puts the whole value in its exception message
(httpcore: `Illegal header value b'Bearer <token>\\n'`) and logs that message at DEBUG. So the
client checks the token and every header value itself, first, with errors that name the header
and the position of the offending character but never the value.
"""

from __future__ import annotations

import re

# RFC 9110 field-name: a token.
_FIELD_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# What a bearer token may hold: visible ASCII (RFC 6750's b64token is a subset).
_TOKEN_CHARACTERS = frozenset(chr(code) for code in range(0x21, 0x7F))
# A field value: visible ASCII, space and tab, with no leading or trailing whitespace.
_VALUE_CHARACTERS = _TOKEN_CHARACTERS | {" ", "\t"}


def _describe(character: str) -> str:
    """A name for a refused character that does not reveal the text around it."""
    names = {"\r": "CR", "\n": "LF", "\0": "NUL", " ": "a space", "\t": "a tab"}
    if character in names:
        return names[character]
    if ord(character) < 0x20 or ord(character) == 0x7F:
        return "a control character"
    return "a non-ASCII character"


def check_token(token: object) -> str:
    """The bearer token, unchanged; a `ValueError` naming the problem (never the token) if unusable."""
    if not isinstance(token, str) or not token:
        raise TypeError("the token source returned no token (expected a non-empty string)")
    for position, character in enumerate(token):
        if character not in _TOKEN_CHARACTERS:
            raise ValueError(
                f"the token contains {_describe(character)} at position {position} of "
                f"{len(token)}; a token read from a file often ends with a newline: strip it"
            )
    return token


def check_header(name: object, value: object) -> tuple[str, str]:
    """A (name, value) pair safe to send; a `ValueError` naming the header (never its value)."""
    if not isinstance(name, str) or not _FIELD_NAME.fullmatch(name):
        raise ValueError(
            "a header name must be an RFC 9110 token (letters, digits, !#$%&'*+-.^_`|~)"
        )
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must be a string")
    for position, character in enumerate(value):
        if character not in _VALUE_CHARACTERS:
            raise ValueError(
                f"header {name!r} contains {_describe(character)} at position {position}"
            )
    if value != value.strip(" \t"):
        raise ValueError(f"header {name!r} must not start or end with whitespace")
    return name, value


def check_no_credentials(userinfo: str) -> None:
    """Refuse a URL's `user:password@`: it would be sent as Basic auth and shown in reprs."""
    if userinfo:
        raise ValueError(
            "base_url must not contain credentials (user:password@); the client authenticates "
            "with its token"
        )


__all__ = ["check_header", "check_no_credentials", "check_token"]
