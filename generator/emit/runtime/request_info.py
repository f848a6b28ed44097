"""Request building, kept apart from sending: an operation becomes a plain `RequestInfo`.

Also the parameter serialisation OpenAPI defines (`style`, `explode`, `allowReserved`): the
generated `build_<operation>` functions turn typed arguments into JSON-like values and hand them
to `path_segment`, `query_pairs`, `header_value` and `cookie_pair` here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import quote

from .types import FrozenRecord

# RFC 3986 reserved characters, kept as they are in a query value with `allowReserved: true`.
_RESERVED = ":/?#[]@!$&'()*+,;="


class Segment(str):
    """A path parameter already serialised and percent-encoded (label, matrix, arrays, ...)."""

    __slots__ = ()


class RequestInfo(FrozenRecord):
    """Method, URL template, parameters and body of one request; sent by a client.

    `query` holds encoded `name=value` pairs in order; `headers` the header parameters (cookies
    included as one `Cookie` header); `content_type` how `body` goes on the wire. Immutable;
    `repr` leaves the body out (it can hold personal data). `url_template` is the operation's path;
    `servers` the URL templates of the servers that serve it (the client picks one and fills in
    its variables); `security` its security alternatives (None: the spec states none, see
    `security`); `extensions` the operation's string-valued `x-` spec extensions.
    """

    __slots__ = (
        "accept",
        "body",
        "content_type",
        "extensions",
        "headers",
        "method",
        "operation_id",
        "path_parameters",
        "query",
        "security",
        "servers",
        "url_template",
    )
    _fields: ClassVar[tuple[str, ...]] = (
        "operation_id",
        "method",
        "url_template",
        "path_parameters",
        "body",
        "query",
        "headers",
        "content_type",
        "accept",
        "security",
        "servers",
        "extensions",
    )
    _repr_hidden: ClassVar[frozenset[str]] = frozenset({"body"})
    operation_id: str
    method: str
    url_template: str
    path_parameters: Mapping[str, str]
    body: Any
    query: tuple[str, ...]
    headers: Mapping[str, str]
    content_type: str
    accept: str
    security: tuple[tuple[str, ...], ...] | None
    servers: tuple[str, ...]
    extensions: Mapping[str, str]

    def __init__(
        self,
        operation_id: str,
        method: str,
        url_template: str,
        path_parameters: Mapping[str, str],
        body: Any = None,
        query: tuple[str, ...] = (),
        headers: Mapping[str, str] | None = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        security: tuple[tuple[str, ...], ...] | None = None,
        servers: tuple[str, ...] = (),
        extensions: Mapping[str, str] | None = None,
    ) -> None:
        # Refuse a bad parameter when the request is built, not later when it is sent.
        for name, value in path_parameters.items():
            encode_segment(name, value)
        for name, value in (headers or {}).items():
            check_header(name, value)
        self._init(
            operation_id=operation_id,
            method=method,
            url_template=url_template,
            path_parameters=path_parameters,
            body=body,
            query=tuple(query),
            headers=dict(headers or {}),
            content_type=content_type,
            accept=accept,
            security=security,
            servers=tuple(servers),
            extensions=dict(extensions or {}),
        )

    @property
    def path(self) -> str:
        """The URL path, each parameter percent-encoded as exactly one segment, then the query."""
        path = self.url_template
        for name, value in self.path_parameters.items():
            path = path.replace("{" + name + "}", encode_segment(name, value))
        return path + ("?" + "&".join(self.query) if self.query else "")


def qualified(url_template: str, qualified_name: str) -> str:
    """The URL template with its last segment (the action) replaced by the qualified name."""
    head, _, _last = url_template.rpartition("/")
    return f"{head}/{qualified_name}"


def multi_segment(name: str, value: str) -> Segment:
    """A path parameter whose slashes separate segments (`x-multi-segment`): each segment encoded.

    Empty, `.` and `..` segments are refused: they would change which resource the URL names.
    """
    if not isinstance(value, str) or not value.strip("/"):
        raise ValueError(f"path parameter {name!r} must be a non-empty path")
    segments = value.strip("/").split("/")
    if any(segment in ("", ".", "..") for segment in segments):
        raise ValueError(f"path parameter {name!r} has an empty, '.' or '..' segment")
    return Segment("/".join(quote(segment, safe="") for segment in segments))


def encode_segment(name: str, value: str) -> str:
    """One path segment: `/`, `?`, `#`, spaces and `%` encoded; `.` and `..` refused their meaning."""
    if isinstance(value, Segment):
        return value
    if not isinstance(value, str) or not value:
        raise ValueError(f"path parameter {name!r} must be a non-empty string")
    encoded = quote(value, safe="")
    # `.` and `..` are dot-segments: URL normalisation (httpx's included) would remove them and
    # send the request to a different endpoint, so they are percent-encoded too.
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def check_header(name: str, value: str) -> None:
    """Refuse header text that could end the header line (CR, LF, NUL)."""
    if any(character in value for character in "\r\n\0"):
        raise ValueError(f"header parameter {name!r} must not contain CR, LF or NUL")


def scalar_text(value: Any) -> str:
    """A JSON scalar as parameter text: `true`/`false`, numbers as written, null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _items(value: Any) -> list[tuple[str, str]]:
    """An object's (key, text) pairs, or an array's ("", text) items; a scalar as one item."""
    if isinstance(value, Mapping):
        return [(str(key), scalar_text(item)) for key, item in value.items()]
    if isinstance(value, (list, tuple)):
        return [("", scalar_text(item)) for item in value]
    return [("", scalar_text(value))]


def _encode(text: str, reserved: bool = False) -> str:
    return quote(text, safe=_RESERVED if reserved else "")


def path_segment(name: str, value: Any, style: str = "simple", explode: bool = False) -> Segment:
    """A path parameter in `simple`, `label` or `matrix` style, percent-encoded."""
    items = [(_encode(key), _encode(text)) for key, text in _items(value)]
    is_object = isinstance(value, Mapping)
    if is_object:
        parts = [f"{key}={text}" if explode else f"{key},{text}" for key, text in items]
    else:
        parts = [text for _, text in items]
    if style == "label":
        return Segment("." + ("." if explode else ",").join(parts))
    if style == "matrix":
        if is_object and explode:
            return Segment("".join(f";{part}" for part in parts))
        if explode and isinstance(value, (list, tuple)):
            return Segment("".join(f";{_encode(name)}={part}" for part in parts))
        return Segment(f";{_encode(name)}=" + ",".join(parts))
    joined = ",".join(parts)
    if not joined:
        raise ValueError(f"path parameter {name!r} must not be empty")
    return Segment(joined.replace(".", "%2E") if joined in (".", "..") else joined)


def query_pairs(
    name: str, value: Any, style: str = "form", explode: bool = True, reserved: bool = False
) -> tuple[str, ...]:
    """A query parameter as encoded `name=value` pairs: form, spaceDelimited, pipeDelimited, deepObject."""
    items = _items(value)
    key = _encode(name)
    if style == "deepObject":
        return tuple(
            f"{key}%5B{_encode(item)}%5D={_encode(text, reserved)}" for item, text in items
        )
    if isinstance(value, Mapping):
        if explode and style == "form":
            return tuple(f"{_encode(item)}={_encode(text, reserved)}" for item, text in items)
        flat = [part for item, text in items for part in (item, text)]
    elif isinstance(value, (list, tuple)):
        if explode:
            return tuple(f"{key}={_encode(text, reserved)}" for _, text in items)
        flat = [text for _, text in items]
    else:
        return (f"{key}={_encode(scalar_text(value), reserved)}",)
    separator = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
    return (
        f"{key}=" + _encode(separator, reserved=False).join(_encode(p, reserved) for p in flat),
    )


def header_value(name: str, value: Any, explode: bool = False) -> str:
    """A header parameter in `simple` style."""
    items = _items(value)
    if isinstance(value, Mapping):
        text = ",".join(f"{key}={item}" if explode else f"{key},{item}" for key, item in items)
    else:
        text = ",".join(item for _, item in items)
    check_header(name, text)
    return text


def cookie_pair(name: str, value: Any, explode: bool = True) -> str:
    """A cookie parameter in `form` style: `name=value` (arrays and objects comma-joined)."""
    items = _items(value)
    if isinstance(value, Mapping):
        text = ",".join(f"{key},{item}" for key, item in items)
    else:
        text = ",".join(item for _, item in items)
    pair = f"{name}={quote(text, safe='')}"
    check_header(name, pair)
    return pair
