"""Any OpenAPI 3.x spec -> what the mock serves: operations with their parameters, bodies, answers.

Read straight from the resolved spec (`generator.spec`), not from the client generator's IR, so
the mock serves specs the client generator does not (yet) accept. Every schema met here is
registered in a `SchemaBundle` and named by its validator entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.errors import SpecError, SpecErrors, join_pointer
from generator.mock.schemas import CompiledSchemas, SchemaBundle
from generator.spec.refs import ResolvedSpec

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = frozenset({"path", "query", "header", "cookie"})
_VARIABLE = re.compile(r"\{([^{}]*)\}")
# Schemes whose credential travels as `Authorization: Bearer <token>`.
BEARER_SCHEMES = frozenset({"oauth2", "openIdConnect"})
NO_EXAMPLE = object()


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: where it travels and the validator entry of its schema."""

    name: str
    location: str
    required: bool
    schema: str | None
    style: str
    explode: bool
    content: bool = False  # declared with `content` (its value is JSON text)


@dataclass(frozen=True)
class Answer:
    """One documented response: status key (`200`, `2XX`, `default`), media type, schema, example."""

    status: str
    media_type: str | None
    schema: str | None
    example: Any = field(default=NO_EXAMPLE, compare=False)

    def matches(self, status: int) -> bool:
        """Whether this entry documents `status` (exactly, by range, or as `default`)."""
        return self.status in (str(status), f"{str(status)[0]}XX", "default")


@dataclass(frozen=True)
class MockOperation:
    """One path + method of the spec, as the mock serves it."""

    operation_id: str
    method: str
    path: str
    prefixes: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    body_required: bool
    bodies: dict[str, str | None]  # media type -> validator entry of its schema
    answers: tuple[Answer, ...]
    security: tuple[tuple[str, ...], ...]  # alternatives, each the scheme names it needs
    pointer: str

    def answer_for(self, status: int) -> Answer | None:
        """The documented response for `status`: exact status first, then `4XX`, then `default`."""
        ranked = sorted(
            (a for a in self.answers if a.matches(status)),
            key=lambda a: ("default" == a.status, "X" in a.status),
        )
        return ranked[0] if ranked else None

    def success(self) -> Answer | None:
        """The first documented 2xx answer (lowest status), or `default` when none."""
        for answer in sorted(self.answers, key=lambda a: a.status):
            if answer.status.startswith("2"):
                return answer
        return next((a for a in self.answers if a.status == "default"), None)


@dataclass(frozen=True)
class MockApi:
    """Every operation of a spec plus the compiled schemas and security schemes they use."""

    title: str
    operations: tuple[MockOperation, ...]
    schemas: CompiledSchemas
    security_schemes: dict[str, dict[str, Any]]
    resolved: ResolvedSpec


def api_from_resolved(resolved: ResolvedSpec) -> MockApi:
    """Read every operation of the spec; raise `SpecErrors` (located) when one cannot be served."""
    data = resolved.data
    bundle = SchemaBundle(resolved)
    errors: list[SpecError] = []
    operations: list[MockOperation] = []
    paths = data.get("paths") or {}
    if not isinstance(paths, dict):
        raise SpecErrors([resolved.error("#/paths", "paths must be an object")])
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                try:
                    operations.append(_operation(resolved, bundle, path, item, method))
                except SpecErrors as failure:
                    errors.extend(failure.errors)
    if errors:
        raise SpecErrors(errors)
    components = data.get("components") or {}
    for name in sorted(components.get("schemas") or {}):
        bundle.entry(join_pointer("#/components/schemas", name))
    schemas = CompiledSchemas(bundle)
    schemes = components.get("securitySchemes") or {}
    return MockApi(
        title=str((data.get("info") or {}).get("title", "")),
        operations=tuple(operations),
        schemas=schemas,
        security_schemes={
            name: resolved.deref(scheme, f"#/components/securitySchemes/{name}")[0]
            for name, scheme in sorted(schemes.items())
        },
        resolved=resolved,
    )


def _operation(
    resolved: ResolvedSpec, bundle: SchemaBundle, path: str, item: dict[str, Any], method: str
) -> MockOperation:
    pointer = join_pointer("#/paths", path, method)
    spec = item[method]
    servers = spec.get("servers") or item.get("servers") or resolved.data.get("servers")
    body_required, bodies = _bodies(resolved, bundle, spec, pointer)
    security = spec.get("security", resolved.data.get("security")) or []
    return MockOperation(
        operation_id=str(spec.get("operationId") or f"{method.upper()} {path}"),
        method=method.upper(),
        path=path,
        prefixes=tuple(dict.fromkeys(_prefix(server) for server in servers or [{"url": "/"}])),
        parameters=_parameters(resolved, bundle, item, spec, pointer),
        body_required=body_required,
        bodies=bodies,
        answers=_answers(resolved, bundle, spec, pointer),
        security=tuple(tuple(sorted(alternative)) for alternative in security),
        pointer=pointer,
    )


def _prefix(server: Any) -> str:
    """A server object -> the path every request URL starts with (`/v1.0`; variables defaulted)."""
    if not isinstance(server, dict):
        return ""
    url = str(server.get("url", "/"))
    variables = server.get("variables") or {}

    def default(match: re.Match[str]) -> str:
        variable = variables.get(match.group(1)) or {}
        return str(variable.get("default", "")) if isinstance(variable, dict) else ""

    try:
        return urlsplit(_VARIABLE.sub(default, url)).path.rstrip("/")
    except ValueError:
        return ""


def _parameters(
    resolved: ResolvedSpec,
    bundle: SchemaBundle,
    item: dict[str, Any],
    spec: dict[str, Any],
    pointer: str,
) -> tuple[Parameter, ...]:
    """Path-level then operation-level parameters; the operation's win (same name and location)."""
    declared: dict[tuple[str, str], Parameter] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    for owner, owner_pointer in ((item, path_pointer), (spec, pointer)):
        for index, raw in enumerate(owner.get("parameters") or []):
            parameter, at = resolved.deref(raw, join_pointer(owner_pointer, "parameters", index))
            location = parameter.get("in")
            if location not in PARAMETER_LOCATIONS or not isinstance(parameter.get("name"), str):
                raise SpecErrors(
                    [
                        resolved.error(
                            at, "a parameter needs a name and `in` path/query/header/cookie"
                        )
                    ]
                )
            schema_at = join_pointer(at, "schema") if "schema" in parameter else None
            content = schema_at is None and isinstance(parameter.get("content"), dict)
            if content:
                media = next(iter(parameter["content"]), None)
                schema_at = join_pointer(at, "content", media, "schema") if media else None
            style = parameter.get("style") or (
                "form" if location in ("query", "cookie") else "simple"
            )
            declared[(parameter["name"], location)] = Parameter(
                name=parameter["name"],
                location=location,
                required=bool(parameter.get("required")) or location == "path",
                schema=bundle.entry(schema_at) if schema_at else None,
                style=str(style),
                explode=bool(parameter.get("explode", style == "form")),
                content=content,
            )
    return tuple(declared.values())


def _bodies(
    resolved: ResolvedSpec, bundle: SchemaBundle, spec: dict[str, Any], pointer: str
) -> tuple[bool, dict[str, str | None]]:
    if "requestBody" not in spec:
        return False, {}
    body, at = resolved.deref(spec["requestBody"], join_pointer(pointer, "requestBody"))
    content = body.get("content") or {}
    bodies = {
        media_type.lower(): (
            bundle.entry(join_pointer(at, "content", media_type, "schema"))
            if isinstance(media, dict) and "schema" in media
            else None
        )
        for media_type, media in sorted(content.items())
    }
    return bool(body.get("required")), bodies


def _answers(
    resolved: ResolvedSpec, bundle: SchemaBundle, spec: dict[str, Any], pointer: str
) -> tuple[Answer, ...]:
    answers: list[Answer] = []
    for status, raw in sorted((spec.get("responses") or {}).items()):
        key = "default" if str(status).lower() == "default" else str(status).upper()
        response, at = resolved.deref(raw, join_pointer(pointer, "responses", status))
        content = response.get("content") or {}
        media_type = _preferred_media_type(content)
        if media_type is None:
            answers.append(Answer(key, None, None))
            continue
        media = content[media_type]
        # `schema: {}` (any value, what FastAPI writes for an untyped answer) is a schema too.
        has_schema = isinstance(media, dict) and "schema" in media
        schema_at = join_pointer(at, "content", media_type, "schema")
        entry = bundle.entry(schema_at) if has_schema else None
        answers.append(Answer(key, media_type, entry, _example(resolved, media)))
    return tuple(answers)


def _preferred_media_type(content: dict[str, Any]) -> str | None:
    """JSON first (`application/json`, then any `+json`), else the first one listed."""
    types = sorted(content)
    for candidate in types:
        if candidate.split(";")[0].strip().lower() == "application/json":
            return candidate
    for candidate in types:
        if candidate.split(";")[0].strip().lower().endswith("+json"):
            return candidate
    return types[0] if types else None


def _example(resolved: ResolvedSpec, media: Any) -> Any:
    """The media type's `example`, or the first of its `examples` (with a `value`)."""
    if not isinstance(media, dict):
        return NO_EXAMPLE
    if "example" in media:
        return media["example"]
    for name, raw in sorted((media.get("examples") or {}).items()):
        example, _ = resolved.deref(raw, f"#/examples/{name}")
        if isinstance(example, dict) and "value" in example:
            return example["value"]
    return NO_EXAMPLE
