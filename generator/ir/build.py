"""IR stage: resolved spec -> `Api`. Every naming decision happens here, once; errors are collected."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.errors import SpecError, SpecErrors, join_pointer
from generator.ir.model import Api, Operation, Parameter, Response
from generator.ir.schema import SchemaBuilder, schema_files_from_components
from generator.names import python_identifier
from generator.spec.refs import ResolvedSpec
from generator.version import __version__

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]*)\}")
# The client compares success codes as integers, so a `2XX` range cannot name them.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_STATUS = re.compile(r"[1-5][0-9][0-9]|[1345]XX|default")
# Methods every generated client class defines: an operation may not take their names.
_CLIENT_METHODS = frozenset({"close", "send"})
# Names a generated method or build function uses besides its path parameters.
_ARGUMENT_NAMES = frozenset({"self", "body", "validate", "headers", "request"})


@dataclass(frozen=True)
class _Shape:
    """The JSON type a part of the document must have, and the shapes of the members the IR reads.

    Member `*` stands for every value of an object or item of an array; `follow_ref` checks the
    node a `$ref` names. Checked before anything is built, so a wrongly shaped spec gives located
    errors instead of an AttributeError deep inside a builder.
    """

    kind: type
    members: Mapping[str, _Shape] = field(default_factory=dict)
    follow_ref: bool = False


_KIND_NAMES: dict[type, str] = {dict: "an object", list: "an array", str: "a string"}
_STRING = _Shape(str)
_SERVERS = _Shape(list, {"*": _Shape(dict, {"url": _STRING})})
_SECURITY = _Shape(list, {"*": _Shape(dict, {"*": _Shape(list, {"*": _STRING})})})
_CONTENT = _Shape(dict, {"*": _Shape(dict)})
_PARAMETERS = _Shape(list, {"*": _Shape(dict, {"name": _STRING, "in": _STRING}, follow_ref=True)})
_OPERATION = _Shape(
    dict,
    {
        "operationId": _STRING,
        "parameters": _PARAMETERS,
        "requestBody": _Shape(dict, {"content": _CONTENT}, follow_ref=True),
        "responses": _Shape(
            dict,
            {"*": _Shape(dict, {"content": _CONTENT, "headers": _Shape(dict)}, follow_ref=True)},
        ),
        "security": _SECURITY,
        "servers": _SERVERS,
    },
)
_PATH_ITEM = _Shape(
    dict,
    {"parameters": _PARAMETERS, "servers": _SERVERS, **dict.fromkeys(_HTTP_METHODS, _OPERATION)},
    follow_ref=True,
)
_DOCUMENT = _Shape(
    dict,
    {
        "paths": _Shape(dict, {"*": _PATH_ITEM}),
        "servers": _SERVERS,
        "security": _SECURITY,
        "components": _Shape(dict, {"schemas": _Shape(dict)}),
    },
)


@dataclass
class _Context:
    resolved: ResolvedSpec
    errors: list[SpecError] = field(default_factory=list)

    def fail(self, pointer: str, message: str) -> None:
        self.errors.append(self.resolved.error(pointer, message))


def api_from_spec(resolved: ResolvedSpec) -> Api:
    """Build the whole IR from a resolved spec; raise `SpecErrors` with every problem found."""
    context = _Context(resolved)
    data = resolved.data
    _check_document(context, data)
    if not context.errors:
        _check_shape(context, data, "#", _DOCUMENT, set())
    if context.errors:
        raise SpecErrors([*context.errors, *_schema_errors(resolved)])
    schemas = SchemaBuilder(resolved)
    schemas.build_components()
    operations = tuple(_operations_from_paths(context, schemas))
    if not operations and not context.errors:
        context.fail("#/paths", "the document defines no operations")
    context.errors.extend(schemas.errors)
    if context.errors:
        raise SpecErrors(context.errors)
    info = data["info"]
    return Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description", "")),
        spec_path=resolved.root.display_path,
        spec_sha256=resolved.sha256,
        generator_version=__version__,
        operations=operations,
        models=tuple(sorted(schemas.models.values(), key=lambda model: model.class_name)),
        enums=tuple(sorted(schemas.enums.values(), key=lambda enum: enum.class_name)),
        schema_files=schema_files_from_components(schemas),
        schema_bundle=schemas.bundle,
    )


def _check_document(context: _Context, data: dict[str, Any]) -> None:
    version = data.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.1")):
        context.fail(
            "#/openapi", f"expected an OpenAPI 3.1 document (openapi: 3.1.x), got {version!r}"
        )
    if not isinstance(data.get("info"), dict):
        context.fail("#/info", "the document has no info object")
    if not isinstance(data.get("paths"), dict) or not data.get("paths"):
        context.fail("#/paths", "the document defines no paths")


def _schema_errors(resolved: ResolvedSpec) -> list[SpecError]:
    """Problems in `components/schemas`, reported with the document's own when they can be read."""
    components = resolved.data.get("components", {})
    if not (isinstance(components, dict) and isinstance(components.get("schemas", {}), dict)):
        return []
    schemas = SchemaBuilder(resolved)
    schemas.build_components()
    return schemas.errors


def _check_shape(context: _Context, node: Any, pointer: str, shape: _Shape, seen: set[str]) -> None:
    """Record an error wherever `node` (or a member the IR reads) does not have its `shape`."""
    if shape.follow_ref:
        node, pointer = context.resolved.deref(node, pointer)
    if pointer in seen:  # a shared component is checked (and reported) once
        return
    seen.add(pointer)
    if not isinstance(node, shape.kind):
        context.fail(pointer, f"must be {_KIND_NAMES[shape.kind]}, not {_json_type(node)}")
        return
    for key, member in shape.members.items():
        for child_key, child in _members(node, key):
            _check_shape(context, child, join_pointer(pointer, child_key), member, seen)


def _members(node: Any, key: str) -> Iterator[tuple[str | int, Any]]:
    """The (key, value) pairs of `node` that shape member `key` describes (`*`: all of them)."""
    if key != "*":
        if isinstance(node, dict) and key in node:
            yield key, node[key]
    elif isinstance(node, dict):
        yield from node.items()
    elif isinstance(node, list):
        yield from enumerate(node)


def _json_type(value: Any) -> str:
    names: dict[type, str] = {bool: "a boolean", int: "a number", float: "a number"}
    names.update({type(None): "null", **_KIND_NAMES})
    return names.get(type(value), type(value).__name__)


def _operations_from_paths(context: _Context, schemas: SchemaBuilder) -> Iterator[Operation]:
    seen: dict[str, str] = {}
    # A body function `<model>_body` named `build_<x>` would shadow the build function of `<x>`.
    taken: set[str] = set(_CLIENT_METHODS) | {
        f"{model.snake_name}_body".removeprefix("build_") for model in schemas.models.values()
    }
    for path in sorted(context.resolved.data["paths"]):
        path_pointer = join_pointer("#/paths", path)
        item, _ = context.resolved.deref(context.resolved.data["paths"][path], path_pointer)
        for method in _HTTP_METHODS:
            if not isinstance(item.get(method), dict):
                continue
            pointer = join_pointer(path_pointer, method)
            operation = operation_from_spec(
                context, schemas, path=path, item=item, method=method, taken=taken
            )
            if operation is None:
                continue
            if operation.operation_id in seen:
                message = f"duplicate operationId {operation.operation_id!r} (also at {seen[operation.operation_id]})"
                context.fail(join_pointer(pointer, "operationId"), message)
                continue
            seen[operation.operation_id] = pointer
            taken.add(operation.method_name)
            yield operation


def operation_from_spec(
    context: _Context,
    schemas: SchemaBuilder,
    *,
    path: str,
    item: dict[str, Any],
    method: str,
    taken: set[str],
) -> Operation | None:
    """One path + method -> `Operation`; `None` (with errors recorded) when it cannot be built."""
    path_pointer = join_pointer("#/paths", path)
    pointer = join_pointer(path_pointer, method)
    spec = item[method]
    operation_id = spec.get("operationId")
    if not isinstance(operation_id, str) or not operation_id:
        context.fail(pointer, "operation has no operationId (needed to name its client method)")
        return None
    method_name = python_identifier(operation_id, taken=taken, fallback="operation")
    body_model = _body_model(context, schemas, spec, pointer)
    # The generated method calls `build_<method>` and the build function `<body model>_body`:
    # a path parameter with either name would shadow it.
    reserved = {f"build_{method_name}"} | {
        f"{model.snake_name}_body"
        for model in schemas.models.values()
        if model.class_name == body_model
    }
    parameters = _parameters(context, path, item, spec, pointer, reserved=reserved)
    servers = spec.get("servers") or item.get("servers") or context.resolved.data.get("servers")
    server_urls = tuple(str(server.get("url", "")) for server in servers or [{"url": "/"}])
    responses = tuple(_responses(context, schemas, spec, pointer))
    if not any(response.status[0] == "2" and response.model for response in responses):
        context.fail(
            join_pointer(pointer, "responses"),
            "no 2xx response with an application/json body (the client returns it as a model)",
        )
    return Operation(
        operation_id=operation_id,
        method_name=method_name,
        http_method=method.upper(),
        path=path,
        server_urls=server_urls,
        version_prefix=_version_prefix(context, server_urls, pointer),
        summary=str(spec.get("summary", "")),
        description=str(spec.get("description", "")),
        parameters=parameters,
        body_model=body_model,
        responses=responses,
        scopes=_scopes(context.resolved.data, spec),
        pointer=pointer,
    )


def _version_prefix(context: _Context, urls: tuple[str, ...], pointer: str) -> str:
    """The path part of the first server URL (`/v1.0`), which every request URL starts with.

    A URL `urlsplit` cannot read, or one with control characters (which no HTTP client sends),
    is an error here rather than a failure of every generated call.
    """
    prefixes = []
    for url in urls:
        try:
            prefixes.append(urlsplit(url).path.rstrip("/"))
        except ValueError as error:
            context.fail(pointer, f"server URL {url!r} is not a valid URL: {error}")
            continue
        if _CONTROL.search(url):
            context.fail(pointer, f"server URL {url!r} contains a control character")
    return prefixes[0] if prefixes else ""


def _parameters(
    context: _Context,
    path: str,
    item: dict[str, Any],
    spec: dict[str, Any],
    pointer: str,
    *,
    reserved: set[str],
) -> tuple[Parameter, ...]:
    declared: dict[str, tuple[dict[str, Any], str]] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    for owner, owner_pointer in ((item, path_pointer), (spec, pointer)):
        for index, raw in enumerate(owner.get("parameters") or []):
            at = join_pointer(owner_pointer, "parameters", index)
            parameter, at = context.resolved.deref(raw, at)
            if parameter.get("in") != "path":
                context.fail(
                    join_pointer(at, "in"),
                    f"parameter location {parameter.get('in')!r} is not supported (only path)",
                )
                continue
            declared[str(parameter.get("name"))] = (parameter, at)
    in_template = list(dict.fromkeys(_PATH_TEMPLATE.findall(path)))  # `{id}` twice: one argument
    for name in in_template:
        if name not in declared:
            context.fail(path_pointer, f"path parameter {{{name}}} is not declared")
    result: list[Parameter] = []
    taken: set[str] = set(_ARGUMENT_NAMES) | reserved
    for name in in_template:
        if name in declared:
            parameter, at = declared[name]
            python_name = python_identifier(name, taken=taken, fallback="param")
            taken.add(python_name)
            result.append(Parameter(name, python_name, str(parameter.get("description", ""))))
    for name, (_, at) in sorted(declared.items()):
        if name not in in_template:
            context.fail(at, f"parameter {name!r} does not appear in the path {path}")
    return tuple(result)


def _body_model(
    context: _Context, schemas: SchemaBuilder, spec: dict[str, Any], pointer: str
) -> str:
    if "requestBody" not in spec:
        return ""
    at = join_pointer(pointer, "requestBody")
    body, at = context.resolved.deref(spec["requestBody"], at)
    media = (body.get("content") or {}).get("application/json")
    if not isinstance(media, dict) or "schema" not in media:
        context.fail(at, "request body must have application/json content with a schema")
        return ""
    return schemas.model_for_body(
        media["schema"], join_pointer(at, "content", "application/json", "schema")
    )


def _responses(
    context: _Context, schemas: SchemaBuilder, spec: dict[str, Any], pointer: str
) -> Iterator[Response]:
    for status in sorted(spec.get("responses") or {}):
        at = join_pointer(pointer, "responses", status)
        if not _STATUS.fullmatch(status):
            expected = "100-599, 1XX, 3XX, 4XX, 5XX or default; list 2xx codes one by one"
            context.fail(at, f"response key {status!r} is not supported (expected {expected})")
            continue
        response, at = context.resolved.deref(spec["responses"][status], at)
        media = (response.get("content") or {}).get("application/json")
        model = ""
        if isinstance(media, dict) and "schema" in media:
            model = schemas.model_for_body(
                media["schema"], join_pointer(at, "content", "application/json", "schema")
            )
        headers = tuple(sorted(response.get("headers") or {}))
        yield Response(status, model, str(response.get("description", "")), headers)


def _scopes(data: dict[str, Any], spec: dict[str, Any]) -> tuple[str, ...]:
    requirements = spec.get("security", data.get("security")) or []
    return tuple(
        sorted(
            {
                scope
                for requirement in requirements
                for scopes in requirement.values()
                for scope in scopes
            }
        )
    )
