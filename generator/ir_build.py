"""IR stage: resolved spec -> `Api`. Every naming decision happens here, once; errors are collected."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator import __version__
from generator.errors import SpecError, SpecErrors, join_pointer
from generator.ir import Api, Operation, Parameter, Response
from generator.ir_schema import SchemaBuilder, schema_files_from_components
from generator.names import python_identifier
from generator.refs import ResolvedSpec

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]*)\}")


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
    if context.errors:
        raise SpecErrors(context.errors)
    schemas = SchemaBuilder(resolved)
    schemas.build_components()
    operations = tuple(_operations_from_paths(context, schemas))
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


def _operations_from_paths(context: _Context, schemas: SchemaBuilder) -> Iterator[Operation]:
    seen: dict[str, str] = {}
    taken: set[str] = set()
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
    parameters = _parameters(context, path, item, spec, pointer)
    servers = spec.get("servers") or item.get("servers") or context.resolved.data.get("servers")
    server_urls = tuple(str(server.get("url", "")) for server in servers or [{"url": "/"}])
    return Operation(
        operation_id=operation_id,
        method_name=python_identifier(operation_id, taken=taken, fallback="operation"),
        http_method=method.upper(),
        path=path,
        server_urls=server_urls,
        version_prefix=urlsplit(server_urls[0]).path.rstrip("/"),
        summary=str(spec.get("summary", "")),
        description=str(spec.get("description", "")),
        parameters=parameters,
        body_model=_body_model(context, schemas, spec, pointer),
        responses=tuple(_responses(context, schemas, spec, pointer)),
        scopes=_scopes(context.resolved.data, spec),
        pointer=pointer,
    )


def _parameters(
    context: _Context, path: str, item: dict[str, Any], spec: dict[str, Any], pointer: str
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
    in_template = _PATH_TEMPLATE.findall(path)
    for name in in_template:
        if name not in declared:
            context.fail(path_pointer, f"path parameter {{{name}}} is not declared")
    result: list[Parameter] = []
    taken: set[str] = {"self", "body", "validate", "headers"}
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
