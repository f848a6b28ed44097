"""URL routing for the mock: every operation under each of its servers' path prefixes.

A path is split on `/` before percent-decoding, so an encoded `/` (`%2F`) stays inside one
segment; a parameter is one non-empty segment (`{id}`) or part of one (`{name}.json`,
`{item-path}:`). More literal segments win; ties go to the template that sorts first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import unquote

from generator.mock.operations import MockOperation

_VARIABLE = re.compile(r"\{([^{}]*)\}")
Segment = str | re.Pattern[str] | None


@dataclass(frozen=True)
class Route:
    """One URL template under one prefix: literal, whole-parameter (None) or regex segments."""

    prefix: str
    template: str
    segments: tuple[Segment, ...]
    parameter_names: tuple[str, ...]
    operations: dict[str, MockOperation]

    @property
    def specificity(self) -> tuple[int, int]:
        """(literal segments, partly literal segments): higher is more specific."""
        literal = sum(isinstance(segment, str) for segment in self.segments)
        partial = sum(isinstance(segment, re.Pattern) for segment in self.segments)
        return literal, partial

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
            elif isinstance(segment, str):
                if segment != value:
                    return None
            else:
                found = segment.fullmatch(value)
                if found is None:
                    return None
                values.extend(found.groups())
        return dict(zip(self.parameter_names, values, strict=True))


@dataclass(frozen=True)
class RouteMatch:
    """A request path resolved: its route and its percent-decoded path parameters."""

    route: Route
    parameters: dict[str, str]


def decode_segments(raw_path: str) -> list[str] | None:
    """Split the raw (still encoded) path on `/` first, then decode each segment; None if not UTF-8."""
    path = raw_path.split("?", 1)[0].split("#", 1)[0]
    try:
        return [unquote(segment, errors="strict") for segment in path.split("/")]
    except UnicodeDecodeError:
        return None


class Router:
    """Resolves raw request paths to routes; knows which methods each template allows."""

    def __init__(self, operations: Iterable[MockOperation]) -> None:
        templates: dict[str, dict[str, MockOperation]] = {}
        prefixes: dict[str, str] = {}
        for operation in operations:
            for prefix in operation.prefixes:
                templates.setdefault(prefix + operation.path, {})[operation.method] = operation
                prefixes[prefix + operation.path] = prefix
        routes = [
            _route(prefixes[template], template, methods)
            for template, methods in sorted(templates.items())
        ]
        self.routes = tuple(sorted(routes, key=lambda route: route.specificity, reverse=True))

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


def _route(prefix: str, template: str, operations: dict[str, MockOperation]) -> Route:
    segments: list[Segment] = []
    names: list[str] = []
    for segment in template.split("/"):
        found = _VARIABLE.findall(segment)
        if not found:
            segments.append(segment)
        elif _VARIABLE.fullmatch(segment):
            segments.append(None)
        else:
            pieces = _VARIABLE.split(segment)  # literal, name, literal, name, ..., literal
            pattern = "".join(
                re.escape(piece) if index % 2 == 0 else "(.+?)"
                for index, piece in enumerate(pieces)
            )
            segments.append(re.compile(pattern, re.DOTALL))
        names.extend(found)
    return Route(prefix, template, tuple(segments), tuple(names), operations)
