"""Reading an answer's body: streamed, capped in size, within the call's deadline, decoded safely.

The client sends every request in streaming mode and reads the body here chunk by chunk, so a
500 MB answer or an endless chunked stream stops at the cap (or at the deadline, which a read
timeout alone never reaches while bytes keep trickling in). Decoding refuses invalid UTF-8,
text that is not JSON and JSON nested deeper than `MAX_JSON_DEPTH` (which would otherwise end as
`RecursionError` in `json`, a model or a validator). Problems are `BodyProblem`s; the client turns
them into `ApiError` subclasses that carry the status, headers and request ids.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any

from .throttle import Deadline

# 16 MiB: a page of permissions is a few kilobytes; Graph pages large collections.
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
# Nesting of arrays and objects: Graph answers nest fewer than 10 levels.
MAX_JSON_DEPTH = 64
# A JSON string, escapes included (possessive: no backtracking on hostile input).
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKETS = re.compile(r"[\[\]{}]")


class BodyProblem(Exception):
    """Why a body could not be read or decoded: `kind` is too_large, deadline, encoding or json."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


def declared_too_large(headers: Mapping[str, str], limit: int) -> bool:
    """True when `Content-Length` announces more than `limit` bytes (checked before reading)."""
    declared = headers.get("Content-Length", "").strip()
    return declared.isascii() and declared.isdigit() and int(declared) > limit


def _too_large(limit: int) -> BodyProblem:
    return BodyProblem("too_large", f"the answer is larger than max_response_bytes ({limit} bytes)")


def _late() -> BodyProblem:
    return BodyProblem("deadline", "the call's deadline passed while the answer was being read")


def read_chunks(chunks: Iterator[bytes], limit: int, deadline: Deadline) -> bytes:
    """Join decoded body chunks, stopping at `limit` bytes or at the deadline."""
    parts: list[bytes] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        if deadline.expired():
            raise _late()
        parts.append(chunk)
    return b"".join(parts)


async def aread_chunks(chunks: AsyncIterator[bytes], limit: int, deadline: Deadline) -> bytes:
    """As `read_chunks`, for an async stream."""
    parts: list[bytes] = []
    total = 0
    async for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        if deadline.expired():
            raise _late()
        parts.append(chunk)
    return b"".join(parts)


def decode_text(data: bytes) -> str:
    """UTF-8 text (a leading BOM dropped); invalid UTF-8 is a `BodyProblem`, not UnicodeDecodeError."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        problem = BodyProblem("encoding", f"the answer is not valid UTF-8 (byte {error.start})")
    raise problem


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text (strings skipped)."""
    depth = deepest = 0
    for bracket in _BRACKETS.findall(_JSON_STRING.sub('""', text)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def decode_json(data: bytes) -> Any:
    """The JSON value of a body; a `BodyProblem` for invalid UTF-8, non-JSON or too deep JSON."""
    import json

    text = decode_text(data)
    if json_depth(text) > MAX_JSON_DEPTH:
        raise BodyProblem("json", f"the answer's JSON nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as error:
        problem = BodyProblem("json", f"the answer is not JSON ({type(error).__name__})")
    raise problem


__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_JSON_DEPTH",
    "BodyProblem",
    "aread_chunks",
    "declared_too_large",
    "decode_json",
    "decode_text",
    "json_depth",
    "read_chunks",
]
