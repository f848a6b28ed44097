"""Servers: which server URL a request goes to, with its `{variables}` filled in.

Each request carries the URL templates of the servers that serve its operation (its own, its
path's or the document's, in the spec's order); the client knows every server's variables
(`ServerTable`: URL template -> variable -> (default, allowed values)). The server used is the
one whose path is the chosen API version (when one is chosen and the servers differ by path),
else the one the client picked (`server=`), when the operation has it, else the first.
Variables take the client's values (`server_variables=`, checked against the spec's `enum`),
else their defaults; a `{name}` the spec does not declare stays as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from .errors import ApiVersionError
from .request_info import RequestInfo

# URL template -> variable name -> (default, allowed values; empty: any value).
ServerTable = Mapping[str, Mapping[str, tuple[str, tuple[str, ...]]]]
_VARIABLE = re.compile(r"\{([^{}]*)\}")
# A variable value is placed in a URL as it is: nothing that would end the host or the path.
_NOT_IN_VALUE = re.compile(r"[\s\x00-\x1f\x7f?#@\\{}]")


def _definitions(table: ServerTable, name: str) -> list[tuple[str, tuple[str, ...]]]:
    return [variables[name] for variables in table.values() if name in variables]


def check_variables(table: ServerTable, values: Mapping[str, str]) -> dict[str, str]:
    """The client's variable values, each declared by some server and allowed by its `enum`."""
    checked: dict[str, str] = {}
    for name, value in values.items():
        definitions = _definitions(table, name)
        if not definitions:
            declared = sorted({n for variables in table.values() for n in variables})
            raise ValueError(
                f"server variable {name!r} is not declared by any server of this API "
                f"(declared: {', '.join(declared) or 'none'})"
            )
        if not isinstance(value, str) or not value or _NOT_IN_VALUE.search(value):
            raise ValueError(
                f"server variable {name!r} must be a non-empty string without spaces, control "
                "characters, ?, #, @, \\ or braces"
            )
        if all(allowed and value not in allowed for _, allowed in definitions):
            allowed_values = sorted({v for _, allowed in definitions for v in allowed})
            raise ValueError(
                f"server variable {name!r} must be one of {', '.join(allowed_values)}, "
                f"not {value!r}"
            )
        checked[name] = value
    return checked


def pick_server(
    table: ServerTable, top_level: tuple[str, ...], server: int | str | None
) -> str | None:
    """The URL template `server=` names: an index into the top-level servers, or a URL template."""
    if server is None:
        return None
    if isinstance(server, int) and not isinstance(server, bool):
        if not 0 <= server < len(top_level):
            raise ValueError(
                f"server index {server} is out of range: this API has {len(top_level)}"
            )
        return top_level[server]
    if isinstance(server, str) and server in table:
        return server
    known = ", ".join(sorted(table)) or "none"
    raise ValueError(f"server must be an index or one of this API's server URLs: {known}")


def expand(
    template: str, variables: Mapping[str, tuple[str, tuple[str, ...]]], values: Mapping[str, str]
) -> str:
    """The URL template with each declared variable replaced by its value or default."""

    def value_of(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in variables:
            return match.group(0)
        default, allowed = variables[name]
        value = values.get(name, default)
        if allowed and value not in allowed:
            raise ValueError(
                f"server variable {name!r} must be one of {', '.join(allowed)} for {template}"
            )
        return value

    return _VARIABLE.sub(value_of, template)


def split_server(url: str) -> tuple[str, str]:
    """(origin `scheme://host[:port]` or `` for a relative URL, path without its trailing /)."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
    return origin, parts.path.rstrip("/")


def choose_server(
    request: RequestInfo,
    table: ServerTable,
    version: str | None,
    picked: str | None,
    values: Mapping[str, str],
) -> tuple[str, str]:
    """(origin, path prefix) of the server the request goes to; `ApiVersionError` when the
    chosen API version does not serve the operation."""
    templates = request.servers or ("",)
    expanded = [split_server(expand(url, table.get(url, {}), values)) for url in templates]
    prefixes = [prefix for _, prefix in expanded]
    if version is not None and any(prefixes):
        wanted = "/" + version.strip("/")
        if wanted not in prefixes:
            served = ", ".join(prefix.strip("/") for prefix in prefixes)
            raise ApiVersionError(
                f"{request.operation_id} is not served by API version {version!r} "
                f"(served by: {served})",
                status_code=None,
            )
        return expanded[prefixes.index(wanted)]
    if picked is not None and picked in templates:
        return expanded[templates.index(picked)]
    return expanded[0]


__all__ = ["ServerTable", "check_variables", "choose_server", "expand", "pick_server"]
