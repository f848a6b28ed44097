"""URL routing for the mock service: every operation under each of its servers' version prefixes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from generator.ir.model import Operation


@dataclass(frozen=True)
class Route:
    """One URL template under one version prefix; a `None` segment is a path parameter."""

    prefix: str
    template: str
    segments: tuple[str | None, ...]
    parameter_names: tuple[str, ...]
    operations: dict[str, Operation]

    @property
    def literal_count(self) -> int:
        """How specific the template is: more literal segments win over parameters."""
        return sum(segment is not None for segment in self.segments)

    def match(self, decoded: list[str]) -> dict[str, str] | None:
        """Path parameters by name when the decoded segments fit the template, else None."""
        if len(decoded) != len(self.segments):
            return None
        values: list[str] = []
        for segment, value in zip(self.segments, decoded, strict=True):
            if segment is None:
                if not value:
                    return None
                values.append(value)
            elif segment != value:
                return None
        return dict(zip(self.parameter_names, values, strict=True))


@dataclass(frozen=True)
class RouteMatch:
    """A request path resolved: its route and its percent-decoded path parameters."""

    route: Route
    parameters: dict[str, str]


def version_prefix(server_url: str) -> str:
    """`https://graph.microsoft.com/beta` -> `/beta`."""
    return urlsplit(server_url).path.rstrip("/")


def decode_segments(raw_path: str) -> list[str] | None:
    """Split the raw (still encoded) path on `/` first, then decode each segment; None if not UTF-8.

    Splitting before decoding is what keeps an encoded `/` (`%2F`) inside one segment.
    """
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    try:
        return [unquote(segment, errors="strict") for segment in path.split("/")]
    except UnicodeDecodeError:
        return None


class Router:
    """Resolves raw request paths to routes; knows which methods each template allows."""

    def __init__(self, operations: Iterable[Operation]) -> None:
        templates: dict[str, dict[str, Operation]] = {}
        for operation in operations:
            for server_url in operation.server_urls:
                template = version_prefix(server_url) + operation.path
                templates.setdefault(template, {})[operation.http_method] = operation
        routes = [_route(template, methods) for template, methods in sorted(templates.items())]
        self.routes = tuple(sorted(routes, key=lambda route: -route.literal_count))

    def resolve(self, raw_path: str) -> RouteMatch | None:
        """The most specific route the path fits, with its decoded parameters; None for 404."""
        decoded = decode_segments(raw_path)
        if decoded is None:
            return None
        for route in self.routes:
            parameters = route.match(decoded)
            if parameters is not None:
                return RouteMatch(route, parameters)
        return None


def _route(template: str, operations: dict[str, Operation]) -> Route:
    segments: list[str | None] = []
    names: list[str] = []
    for segment in template.split("/"):
        if segment.startswith("{") and segment.endswith("}"):
            segments.append(None)
            names.append(segment[1:-1])
        else:
            segments.append(segment)
    prefix = template[: len(template) - len(next(iter(operations.values())).path)]
    return Route(prefix, template, tuple(segments), tuple(names), operations)
