"""The Microsoft Graph layer of the runtime: what only Graph does, kept out of the general client.

Emitted only into packages generated from a Graph document (`x-invitegen: {graph: true}`, or a
server on a Graph host such as graph.microsoft.com); their clients use `GRAPH_RULES`.

- `encode_sharing_url`: the `u!` form `/shares/{encoded-sharing-url}` takes.
- `item_path`: path-based addressing (`items/root:/Documents/report.docx:`) as an item id.
- `qualified`: the namespace-qualified action name (`.../microsoft.graph.invite`) Graph accepts
  in place of the short one; operations name it with the spec extension `x-graph-qualified-name`.
- `claims_challenge`: the claims of a Continuous Access Evaluation challenge
  (`WWW-Authenticate: Bearer ..., error="insufficient_claims", claims="<base64 JSON>"`).
- `graph_error_fields`: Graph's error shape, `{"error": {"code", "message", "innerError":
  {"request-id", "client-request-id", "date", "code"?, "innerError"?}}}`.
- `GraphError`, `GraphThrottledError`, ..., `GraphDateTime`: the names earlier Graph packages
  exported, bound to the general classes (`ApiError`, ..., `types.DateTimeText`; an
  `except GraphError` catches every error of a call).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any
from urllib.parse import quote

from .errors import (
    ApiDecodeError,
    ApiError,
    ApiResponseTooLargeError,
    ApiResponseValidationError,
    ApiThrottledError,
    ApiTimeoutError,
    ApiVersionError,
    ErrorFields,
    error_fields,
)
from .request_info import Segment, multi_segment, qualified
from .service import ServiceRules
from .types import DateTimeText

# One auth-param of a challenge: name="quoted value" or name=token.
_AUTH_PARAM = re.compile(r'([!#$%&\'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
# Longest challenge header read: claims are a few hundred bytes.
_MAX_CHALLENGE_LENGTH = 16 * 1024


def encode_sharing_url(url: str) -> Segment:
    """`u!` + the unpadded base64url of the URL's UTF-8 bytes, as `/shares/{encoded-sharing-url}` takes.

    A `Segment`: sent as it is (`!` is allowed in a path segment; Graph's pages show it raw).
    """
    if not isinstance(url, str) or not url.strip():
        raise ValueError("a sharing URL must be a non-empty string")
    encoded = base64.urlsafe_b64encode(url.encode("utf-8")).decode("ascii").rstrip("=")
    return Segment("u!" + encoded)


def decode_sharing_url(token: str) -> str:
    """The URL inside a `u!` sharing token (the inverse of `encode_sharing_url`)."""
    if not token.startswith("u!"):
        raise ValueError("an encoded sharing URL starts with 'u!'")
    body = token[2:]
    if not _BASE64URL.fullmatch(body):
        raise ValueError("an encoded sharing URL is unpadded base64url after 'u!'")
    try:
        return base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        message = "not an encoded sharing URL (unpadded base64url of UTF-8 text after 'u!')"
    raise ValueError(message)


def item_path(path: str, parent: str = "root") -> Segment:
    """An item id addressing `path` under `parent` (the drive root by default): `root:/a/b.docx:`.

    Pass it wherever an operation takes `item-id`; the client sends it as is (its slashes kept,
    each segment encoded), which is how Graph resolves a driveItem by path.
    """
    return Segment(f"{quote(parent, safe='')}:/{multi_segment('item-id', path)}:")


def claims_challenge(www_authenticate: str) -> str | None:
    """The decoded claims of a CAE `insufficient_claims` challenge, or None when it is not one."""
    if not www_authenticate or len(www_authenticate) > _MAX_CHALLENGE_LENGTH:
        return None
    scheme, _, params = www_authenticate.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    values = {
        match.group(1).lower(): match.group(2) if match.group(2) is not None else match.group(3)
        for match in _AUTH_PARAM.finditer(params)
    }
    claims = values.get("claims")
    if not claims or values.get("error", "insufficient_claims") != "insufficient_claims":
        return None
    try:
        return base64.b64decode(claims + "=" * (-len(claims) % 4), validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def graph_error_fields(body: Any) -> ErrorFields:
    """The generic fields plus what Graph puts in `innerError`: request ids and the date."""
    fields = error_fields(body)
    envelope = body.get("error") if isinstance(body, dict) else None
    inner = (
        envelope.get("innerError", envelope.get("innererror"))
        if isinstance(envelope, dict)
        else None
    )
    if isinstance(inner, dict):
        for key, name in (
            ("request-id", "request_id"),
            ("client-request-id", "client_request_id"),
            ("date", "date"),
        ):
            if isinstance(inner.get(key), str):
                fields[name] = inner[key]
    return fields


# Graph's per-call `client-request-id` (kept across a call's retries, always on its errors), its
# error shape, CAE claims challenges handed to the token source, and qualified action names.
GRAPH_RULES = ServiceRules(
    request_id_header="client-request-id",
    read_error=graph_error_fields,
    read_challenge=claims_challenge,
    qualified_name_extension="x-graph-qualified-name",
)

# The names Graph packages have always exported.
GraphError = ApiError
GraphThrottledError = ApiThrottledError
GraphResponseValidationError = ApiResponseValidationError
GraphDecodeError = ApiDecodeError
GraphResponseTooLargeError = ApiResponseTooLargeError
GraphTimeoutError = ApiTimeoutError
GraphVersionError = ApiVersionError
GraphDateTime = DateTimeText

__all__ = [
    "GRAPH_RULES",
    "GraphDateTime",
    "GraphDecodeError",
    "GraphError",
    "GraphResponseTooLargeError",
    "GraphResponseValidationError",
    "GraphThrottledError",
    "GraphTimeoutError",
    "GraphVersionError",
    "claims_challenge",
    "decode_sharing_url",
    "encode_sharing_url",
    "graph_error_fields",
    "item_path",
    "qualified",
]
