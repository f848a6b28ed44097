"""How a client reaches an operation: security schemes and requirements, servers and variables.

`security_schemes_from_spec` reads `components/securitySchemes` into `SecurityScheme`s the runtime
can apply; `operation_security` gives an operation's requirement (its own `security`, else the
document's); `servers_from_spec` reads a `servers` list with its variables. Problems the client can
live with (a scheme it cannot apply, a requirement naming no declared scheme, a variable used but
not declared) are warnings; a server object it cannot read is an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from generator.errors import join_pointer
from generator.ir.model import SecurityScheme, Server, ServerVariable
from generator.vocabulary import GRAPH_HOSTS

# Report(pointer, message): records an error or a warning at a JSON pointer.
Report = Callable[[str, str], None]
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_API_KEY_LOCATIONS = frozenset({"header", "query", "cookie"})
# Header names the client sets itself: an API key may not take them.
_RESERVED_HEADERS = frozenset({"accept", "content-type", "content-length", "host"})


def _http_kind(scheme: dict[str, Any]) -> str:
    name = str(scheme.get("scheme", "")).lower()
    return {"bearer": "bearer", "basic": "basic"}.get(name, "")


def _kind(scheme: dict[str, Any]) -> str:
    """bearer, basic, api_key, or `` when the client cannot apply the scheme."""
    kinds: dict[str, Callable[[dict[str, Any]], str]] = {
        "http": _http_kind,
        "oauth2": lambda _: "bearer",
        "openIdConnect": lambda _: "bearer",
        "apiKey": lambda _: "api_key",
    }
    reader = kinds.get(str(scheme.get("type", "")))
    return reader(scheme) if reader else ""


def _scheme(name: str, scheme: Any, pointer: str, warn: Report, fail: Report) -> SecurityScheme:
    if not isinstance(scheme, dict):
        fail(pointer, "a security scheme must be an object")
        return SecurityScheme(name, "", pointer=pointer)
    kind = _kind(scheme)
    description = str(scheme.get("description", ""))
    if kind != "api_key":
        if not kind:
            kind_name = scheme.get("type", "?")
            if kind_name == "http":
                kind_name = f"http {scheme.get('scheme', '?')}"
            warn(
                pointer,
                f"security scheme {name!r} ({kind_name}) is not applied by the client: "
                "operations that need it alone raise before sending",
            )
        return SecurityScheme(name, kind, description=description, pointer=pointer)
    location, parameter = scheme.get("in"), scheme.get("name")
    if location not in _API_KEY_LOCATIONS or not isinstance(parameter, str) or not parameter:
        fail(pointer, "an apiKey scheme needs `in` (header, query or cookie) and a `name`")
        return SecurityScheme(name, "", pointer=pointer)
    if location == "header" and parameter.lower() in _RESERVED_HEADERS:
        fail(join_pointer(pointer, "name"), f"an API key cannot be sent as {parameter!r}")
        return SecurityScheme(name, "", pointer=pointer)
    return SecurityScheme(name, kind, str(location), parameter, description, pointer)


def security_schemes_from_spec(
    data: dict[str, Any], deref: Callable[[Any, str], tuple[Any, str]], warn: Report, fail: Report
) -> tuple[SecurityScheme, ...]:
    """Every declared security scheme, by name."""
    components = data.get("components")
    schemes = components.get("securitySchemes") if isinstance(components, dict) else None
    if not isinstance(schemes, dict):
        return ()
    result = []
    for name in sorted(schemes):
        scheme, pointer = deref(schemes[name], join_pointer("#/components/securitySchemes", name))
        result.append(_scheme(str(name), scheme, pointer, warn, fail))
    return tuple(result)


def declares_security(data: dict[str, Any], operations: list[dict[str, Any]]) -> bool:
    """Whether the document states a security requirement anywhere (top level or an operation)."""
    return "security" in data or any("security" in operation for operation in operations)


def operation_security(
    data: dict[str, Any],
    spec: dict[str, Any],
    pointer: str,
    known: frozenset[str],
    warn: Report,
) -> tuple[tuple[str, ...], ...]:
    """The operation's alternatives (its `security`, else the document's), each a sorted tuple.

    Alternatives that differ only in scopes are one for the client (scopes are the token's).
    """
    if "security" in spec:
        requirements, at = spec["security"], join_pointer(pointer, "security")
    else:
        requirements, at = data.get("security"), "#/security"
    alternatives = []
    for index, requirement in enumerate(requirements or []):
        if not isinstance(requirement, dict):
            continue
        for name in sorted(set(requirement) - known):
            warn(
                join_pointer(at, index, name),
                f"security requirement names {name!r}, which components/securitySchemes does "
                "not declare: this alternative is never chosen",
            )
        alternatives.append(tuple(sorted(str(name) for name in requirement)))
    return tuple(dict.fromkeys(alternatives))


def _variable(name: str, raw: Any, pointer: str, warn: Report, fail: Report) -> ServerVariable:
    if not isinstance(raw, dict):
        fail(pointer, "a server variable must be an object")
        return ServerVariable(name, "")
    enum = raw.get("enum")
    values = tuple(str(value) for value in enum) if isinstance(enum, list) else ()
    default = raw.get("default")
    if default is None:
        if not values:
            fail(pointer, f"server variable {name!r} has no default")
            return ServerVariable(name, "", values)
        default = values[0]
        warn(pointer, f"server variable {name!r} has no default: {default!r}, its first value")
    elif values and str(default) not in values:
        warn(join_pointer(pointer, "default"), f"default {default!r} is not one of its enum")
    return ServerVariable(name, str(default), values, str(raw.get("description", "")))


def _server(raw: dict[str, Any], pointer: str, warn: Report, fail: Report) -> Server:
    url = str(raw.get("url", ""))
    declared = raw.get("variables") or {}
    if not isinstance(declared, dict):
        fail(join_pointer(pointer, "variables"), "must be an object")
        declared = {}
    variables = tuple(
        _variable(str(name), declared[name], join_pointer(pointer, "variables", name), warn, fail)
        for name in sorted(declared)
    )
    for name in sorted(set(_VARIABLE.findall(url)) - set(declared)):
        warn(join_pointer(pointer, "url"), f"server URL variable {{{name}}} is not declared")
    return Server(url, str(raw.get("description", "")), variables)


def servers_from_spec(raw: Any, pointer: str, warn: Report, fail: Report) -> tuple[Server, ...]:
    """A `servers` list -> `Server`s, in the spec's order (the default one first)."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        _server(item, join_pointer(pointer, index), warn, fail)
        for index, item in enumerate(raw)
        if isinstance(item, dict)
    )


def is_graph_spec(data: dict[str, Any], servers: list[Server]) -> bool:
    """Whether the document describes Microsoft Graph, so its package gets the Graph layer.

    The document's `x-invitegen: {graph: true|false}` decides when present; otherwise a document
    is a Graph one when any server (top level, path or operation) is on a Graph host.
    """
    settings = data.get("x-invitegen")
    if isinstance(settings, dict) and isinstance(settings.get("graph"), bool):
        return bool(settings["graph"])
    return any(server_host(server) in GRAPH_HOSTS for server in servers)


def server_host(server: Server) -> str:
    """The host of a server URL with its variables at their defaults (lower case)."""
    defaults = {variable.name: variable.default for variable in server.variables}
    url = _VARIABLE.sub(lambda match: defaults.get(match.group(1), match.group(0)), server.url)
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
