"""IR stage: resolved spec -> `Api`. Every naming decision happens here, once; errors are collected."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from generator.errors import SpecError, SpecErrors, join_pointer
from generator.ir.access import (
    declares_security,
    is_graph_spec,
    operation_security,
    security_schemes_from_spec,
    servers_from_spec,
)
from generator.ir.model import (
    Api,
    Body,
    Operation,
    Parameter,
    Response,
    Server,
    TypeRef,
    is_pep440,
    pep440_parts,
)
from generator.ir.schema import SchemaBuilder, checked_bundle, schema_files_from_components
from generator.names import package_name, python_identifier
from generator.spec.normalize import normalize
from generator.spec.refs import ResolvedSpec
from generator.version import __version__

_HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_TEMPLATE = re.compile(r"\{([^{}]*)\}")
# The client compares success codes as integers, so a `2XX` range cannot name them.
_CONTROL = re.compile("[\x00-\x1f\x7f]")
_STATUS = re.compile(r"[1-5][0-9][0-9]|[1-5]XX|default")
# Methods every generated client class defines: an operation may not take their names.
_CLIENT_METHODS = frozenset({"close", "send"})
# Names a generated method or build function uses besides its path parameters.
_ARGUMENT_NAMES = frozenset(
    {"self", "body", "validate", "headers", "request", "query", "cookies", "response"}
    # runtime names the generated requests module imports
    | {"RequestInfo", "path_segment", "query_pairs", "header_value", "cookie_pair", "json"}
)
# Default `style` per location, and the styles each location allows (OpenAPI 3.1 4.8.12.4).
_DEFAULT_STYLES = {"path": "simple", "query": "form", "header": "simple", "cookie": "form"}
_STYLES = {
    "path": frozenset({"simple", "label", "matrix"}),
    "query": frozenset({"form", "spaceDelimited", "pipeDelimited", "deepObject"}),
    "header": frozenset({"simple"}),
    "cookie": frozenset({"form"}),
}
# OpenAPI: header parameters with these names are ignored; the client sets them itself.
_CLIENT_HEADERS = frozenset({"accept", "content-type", "authorization"})
_MEDIA_PREFERENCE = ("json", "form", "multipart", "bytes", "text")


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
    # `*` skips `x-...` keys: specification extensions, free-form, in the Paths and Responses
    # objects (whose other keys are paths and status codes, which never start with `x-`).
    extensions: bool = False


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
            extensions=True,
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
        "paths": _Shape(dict, {"*": _PATH_ITEM}, extensions=True),
        "servers": _SERVERS,
        "security": _SECURITY,
        "components": _Shape(dict, {"schemas": _Shape(dict)}),
    },
)


@dataclass
class _Context:
    resolved: ResolvedSpec
    errors: list[SpecError] = field(default_factory=list)
    warnings: set[SpecError] = field(default_factory=set)
    # Declared security scheme names, and whether any requirement is stated at all.
    schemes: frozenset[str] = frozenset()
    declares_security: bool = False

    def fail(self, pointer: str, message: str) -> None:
        self.errors.append(self.resolved.error(pointer, message))

    def warn(self, pointer: str, message: str) -> None:
        self.warnings.add(self.resolved.error(pointer, message))

    def servers(self, raw: Any, pointer: str) -> tuple[Server, ...]:
        return servers_from_spec(raw, pointer, self.warn, self.fail)


def api_from_spec(resolved: ResolvedSpec, *, strict_formats: bool = False) -> Api:
    """Build the whole IR from a resolved spec; raise `SpecErrors` with every problem found.

    Unknown formats are warnings on `Api.warnings` (errors with `strict_formats`), as are the
    parts of a document that are read but not generated: webhooks, callbacks and links.
    """
    # 3.0 read natively; Swagger 2.0 and non-OpenAPI refused; 3.1 `nullable` read with a warning
    resolved, read_as_3_0 = normalize(resolved)
    context = _Context(resolved, warnings=set(read_as_3_0))
    data = resolved.data
    _check_document(context, data)
    if not context.errors:
        _check_shape(context, data, "#", _DOCUMENT, set())
    if context.errors:
        raise SpecErrors([*context.errors, *_schema_errors(resolved)])
    schemas = SchemaBuilder(resolved, strict_formats=strict_formats)
    schemas.build_components()
    security_schemes = security_schemes_from_spec(data, resolved.deref, context.warn, context.fail)
    context.schemes = frozenset(scheme.name for scheme in security_schemes)
    context.declares_security = declares_security(data, list(_operation_specs(resolved)))
    operations = tuple(_operations_from_paths(context, schemas))
    if not operations and not schemas.components and not _webhooks(data) and not context.errors:
        context.fail("#/paths", "the document defines no operations, webhooks or schemas")
    context.errors.extend(schemas.errors)
    if context.errors:
        raise SpecErrors(context.errors)
    info = data["info"]
    top_servers = context.servers(data.get("servers"), "#/servers")
    graph = is_graph_spec(data, [*top_servers, *(s for op in operations for s in op.servers)])
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
        schema_bundle=checked_bundle(schemas.bundle),
        annotated_bundle=schemas.bundle,
        warnings=tuple(sorted({*schemas.warnings, *_not_generated(resolved), *context.warnings})),
        webhooks=tuple(sorted(_webhooks(data))),
        unions=schemas.unions,
        one_of_checks=schemas.one_of_checks(),
        package=package_name(str(info.get("title", ""))),
        security_schemes=security_schemes,
        servers=top_servers,
        graph=graph,
    )


def _operation_specs(resolved: ResolvedSpec) -> Iterator[dict[str, Any]]:
    """Every operation object of the document's paths."""
    for path, raw in _path_items(resolved.data):
        item, _ = resolved.deref(raw, join_pointer("#/paths", path))
        for method in _HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if isinstance(operation, dict):
                yield operation


def _not_generated(resolved: ResolvedSpec) -> Iterator[SpecError]:
    """Warnings for what the document describes but the client does not generate."""
    data = resolved.data
    for name in sorted(_webhooks(data)):
        message = f"webhook {name!r}: not generated (requests the API sends; its schemas are)"
        yield resolved.error(join_pointer("#/webhooks", name), message)
    for path, raw in _path_items(data):
        item, _ = resolved.deref(raw, join_pointer("#/paths", path))
        for method in _HTTP_METHODS:
            operation = item.get(method) if isinstance(item, dict) else None
            if not isinstance(operation, dict):
                continue
            pointer = join_pointer("#/paths", path, method)
            if operation.get("callbacks"):
                yield resolved.error(
                    join_pointer(pointer, "callbacks"), "callbacks are not generated"
                )
            for status, response in sorted((operation.get("responses") or {}).items()):
                if isinstance(response, dict) and response.get("links"):
                    at = join_pointer(pointer, "responses", status, "links")
                    yield resolved.error(at, "links are not generated")


def _webhooks(data: dict[str, Any]) -> dict[str, Any]:
    webhooks = data.get("webhooks")
    return webhooks if isinstance(webhooks, dict) else {}


def _check_document(context: _Context, data: dict[str, Any]) -> None:
    if not isinstance(data.get("info"), dict):
        context.fail("#/info", "the document has no info object")
    elif "version" in data["info"]:
        version = str(data["info"]["version"])
        if not is_pep440(version):
            public, local = pep440_parts(version)
            package = f"{public}+{'.'.join(local)}.invitegen.{__version__}"
            message = f"not a PEP 440 version; the generated package's version is {package}"
            context.warn("#/info/version", message)
    components = data.get("components")
    if "paths" in data and not isinstance(data["paths"], dict):
        context.fail("#/paths", "must be an object")
    elif not (data.get("paths") or _webhooks(data) or components):
        context.fail("#", "the document defines no paths, webhooks or components")


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
        for child_key, child in _members(node, key, shape.extensions):
            _check_shape(context, child, join_pointer(pointer, child_key), member, seen)


def _members(node: Any, key: str, extensions: bool) -> Iterator[tuple[str | int, Any]]:
    """The (key, value) pairs of `node` that shape member `key` describes (`*`: all of them,
    but `x-...` extensions where the object has them)."""
    if key != "*":
        if isinstance(node, dict) and key in node:
            yield key, node[key]
    elif isinstance(node, dict):
        yield from (item for item in node.items() if not (extensions and _is_extension(item[0])))
    elif isinstance(node, list):
        yield from enumerate(node)


def _is_extension(key: object) -> bool:
    return isinstance(key, str) and key.startswith("x-")


def _path_items(data: dict[str, Any]) -> list[tuple[str, Any]]:
    """(path, path item or its `$ref`), sorted; `x-...` extensions of the Paths Object left out."""
    paths = data.get("paths") or {}
    return sorted((path, item) for path, item in paths.items() if not _is_extension(path))


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
    for path, raw in _path_items(context.resolved.data):
        path_pointer = join_pointer("#/paths", path)
        item, _ = context.resolved.deref(raw, path_pointer)
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
    if operation_id is not None and (not isinstance(operation_id, str) or not operation_id):
        context.fail(join_pointer(pointer, "operationId"), "operationId must be a non-empty string")
        return None
    # Without an operationId the method is named after the HTTP method and the path: stable as
    # long as the path is, and distinct because (method, path) is.
    operation_id = operation_id or python_identifier(f"{method} {path}", fallback="operation")
    method_name = python_identifier(operation_id, taken=taken, fallback="operation")
    body = _request_body(context, schemas, spec, pointer, operation_id)
    body_model = body.model if body is not None else ""
    # The generated method calls `build_<method>` and the build function `<body model>_body`:
    # a parameter with either name would shadow it.
    # `options` is the per-call options argument every generated method takes.
    reserved = {f"build_{method_name}", "options"} | {
        f"{model.snake_name}_body"
        for model in schemas.models.values()
        if model.class_name == body_model
    }
    parameters = _parameters(
        context, schemas, path=path, item=item, spec=spec, pointer=pointer, reserved=reserved
    )
    servers = _operation_servers(context, item, spec, pointer)
    server_urls = tuple(server.url for server in servers) or ("/",)
    responses = tuple(_responses(context, schemas, spec, pointer, operation_id))
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
        body=body,
        tags=tuple(str(tag) for tag in spec.get("tags") or [] if isinstance(tag, str)),
        security=(
            operation_security(context.resolved.data, spec, pointer, context.schemes, context.warn)
            if context.declares_security
            else None
        ),
        servers=servers,
        extensions=tuple(
            sorted(
                (str(k), v)
                for k, v in spec.items()
                if str(k).startswith("x-") and isinstance(v, str)
            )
        ),
    )


def _operation_servers(
    context: _Context, item: dict[str, Any], spec: dict[str, Any], pointer: str
) -> tuple[Server, ...]:
    """The operation's own servers, else its path's, else the document's (OpenAPI's override)."""
    path_pointer = pointer.rsplit("/", 1)[0]
    for owner, at in ((spec, pointer), (item, path_pointer), (context.resolved.data, "#")):
        if owner.get("servers"):
            return context.servers(owner["servers"], join_pointer(at, "servers"))
    return ()


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


def _declared_parameters(
    context: _Context, item: dict[str, Any], spec: dict[str, Any], pointer: str
) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """(name, location) -> (parameter, pointer): path-level ones, overridden by the operation's."""
    declared: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    path_pointer = pointer.rsplit("/", 1)[0]
    for owner, owner_pointer in ((item, path_pointer), (spec, pointer)):
        for index, raw in enumerate(owner.get("parameters") or []):
            at = join_pointer(owner_pointer, "parameters", index)
            parameter, at = context.resolved.deref(raw, at)
            location = parameter.get("in")
            if location not in _DEFAULT_STYLES:
                expected = ", ".join(_DEFAULT_STYLES)
                message = f"parameter location {location!r} is not one of {expected}"
                context.fail(join_pointer(at, "in"), message)
                continue
            name = str(parameter.get("name"))
            if location == "header" and name.lower() in _CLIENT_HEADERS:
                continue  # OpenAPI: these header parameters are ignored (the client sets them)
            declared[(name, str(location))] = (parameter, at)
    return declared


def _parameters(
    context: _Context,
    schemas: SchemaBuilder,
    *,
    path: str,
    item: dict[str, Any],
    spec: dict[str, Any],
    pointer: str,
    reserved: set[str],
) -> tuple[Parameter, ...]:
    """Path parameters in template order, then required, then optional parameters."""
    declared = _declared_parameters(context, item, spec, pointer)
    path_pointer = pointer.rsplit("/", 1)[0]
    in_template = list(dict.fromkeys(_PATH_TEMPLATE.findall(path)))  # `{id}` twice: one argument
    for name in in_template:
        if (name, "path") not in declared:
            context.fail(path_pointer, f"path parameter {{{name}}} is not declared")
    for (name, location), (_, at) in sorted(declared.items()):
        if location == "path" and name not in in_template:
            context.fail(at, f"parameter {name!r} does not appear in the path {path}")
    ordered = [declared[(name, "path")] for name in in_template if (name, "path") in declared]
    others = [entry for key, entry in declared.items() if key[1] != "path"]
    ordered += [entry for entry in others if entry[0].get("required") is True]
    ordered += [entry for entry in others if entry[0].get("required") is not True]
    taken: set[str] = set(_ARGUMENT_NAMES) | reserved
    result: list[Parameter] = []
    for parameter, at in ordered:
        built = _parameter(context, schemas, parameter, at, taken)
        taken.add(built.python_name)
        result.append(built)
    return tuple(result)


def _parameter(
    context: _Context,
    schemas: SchemaBuilder,
    parameter: dict[str, Any],
    at: str,
    taken: set[str],
) -> Parameter:
    """One declared parameter -> `Parameter`, OpenAPI's serialisation defaults filled in."""
    name = str(parameter.get("name"))
    location = str(parameter["in"])
    style = parameter.get("style", _DEFAULT_STYLES[location])
    if style not in _STYLES[location]:
        expected = ", ".join(sorted(_STYLES[location]))
        context.fail(
            join_pointer(at, "style"),
            f"style {style!r} is not allowed in {location} (expected {expected})",
        )
        style = _DEFAULT_STYLES[location]
    explode = parameter.get("explode", style == "form")
    content_type = ""
    schema: Any = parameter.get("schema", {})
    schema_at = join_pointer(at, "schema")
    content = parameter.get("content")
    if isinstance(content, dict) and content:
        content_type = sorted(content)[0]
        media = content[content_type] if isinstance(content[content_type], dict) else {}
        schema = media.get("schema", {})
        schema_at = join_pointer(at, "content", content_type, "schema")
    type_ref = schemas.parameter_type(schema, schema_at, f"{name} parameter")
    return Parameter(
        wire_name=name,
        python_name=python_identifier(name, taken=taken, fallback="param"),
        description=str(parameter.get("description", "")),
        location=location,
        required=location == "path" or parameter.get("required") is True,
        type=type_ref,
        style=str(style),
        explode=explode is True,
        allow_reserved=parameter.get("allowReserved") is True,
        content_type=content_type,
        pointer=at,
        multi_segment=location == "path" and parameter.get("x-multi-segment") is True,
        default_code=schemas.default_code(schema, type_ref),
    )


def _pick_media(content: dict[str, Any]) -> str:
    """The media type the client uses when several are offered: JSON first, then form, ..."""

    def rank(media_type: str) -> tuple[int, str]:
        kind = media_kind(media_type)
        return _MEDIA_PREFERENCE.index(kind), media_type

    return min(content, key=rank)


def _request_body(
    context: _Context, schemas: SchemaBuilder, spec: dict[str, Any], pointer: str, owner: str
) -> Body | None:
    if "requestBody" not in spec:
        return None
    at = join_pointer(pointer, "requestBody")
    body, at = context.resolved.deref(spec["requestBody"], at)
    content = body.get("content") or {}
    if not content:
        context.fail(at, "request body has no content (give at least one media type)")
        return None
    media_type = _pick_media(content)
    media = content[media_type] if isinstance(content[media_type], dict) else {}
    schema_at = join_pointer(at, "content", media_type, "schema")
    kind = media_kind(media_type)
    type_ref, key = _body_type(schemas, media.get("schema"), schema_at, kind, f"{owner} request")
    return Body(
        media_type=media_type,
        kind=kind,
        type=type_ref,
        required=body.get("required") is True,
        model=type_ref.target if type_ref.kind == "model" and not type_ref.nullable else "",
        schema_pointer=schema_at if "schema" in media else "",
        bundle_key=key,
        validator=schemas.validator_name(key) if key else "",
    )


def _body_type(
    schemas: SchemaBuilder, schema: Any, pointer: str, kind: str, owner: str
) -> tuple[TypeRef, str]:
    """The Python type of a body and its `$defs` key: bytes and text bodies are `bytes`/`str`
    whatever the schema (and have no key)."""
    if kind in ("bytes", "text"):
        return TypeRef(kind), ""
    if schema is None:
        return TypeRef("any"), ""
    return schemas.body_type(schema, pointer, owner)


def _responses(
    context: _Context,
    schemas: SchemaBuilder,
    spec: dict[str, Any],
    pointer: str,
    owner: str,
) -> Iterator[Response]:
    for status in sorted(spec.get("responses") or {}):
        if _is_extension(status):
            continue
        at = join_pointer(pointer, "responses", status)
        if not _STATUS.fullmatch(status):
            expected = "100-599, 1XX-5XX or default"
            context.fail(at, f"response key {status!r} is not supported (expected {expected})")
            continue
        response, at = context.resolved.deref(spec["responses"][status], at)
        content = response.get("content") or {}
        body: Body | None = None
        if content:
            media_type = _pick_media(content)
            media = content[media_type] if isinstance(content[media_type], dict) else {}
            kind = media_kind(media_type)
            kind = kind if kind in ("json", "text") else "bytes"
            schema_at = join_pointer(at, "content", media_type, "schema")
            type_ref, key = _body_type(
                schemas, media.get("schema"), schema_at, kind, f"{owner} {status} response"
            )
            model = type_ref.target if type_ref.kind == "model" and not type_ref.nullable else ""
            body = Body(
                media_type,
                kind,
                type_ref,
                True,
                model,
                schema_at if "schema" in media else "",
                bundle_key=key,
                validator=schemas.validator_name(key) if key else "",
            )
        headers = response.get("headers") or {}
        header_types = tuple(
            (name, _header_type(context, schemas, headers[name], join_pointer(at, "headers", name)))
            for name in sorted(headers)
        )
        yield Response(
            status,
            body.model if body is not None else "",
            str(response.get("description", "")),
            tuple(sorted(headers)),
            body,
            header_types,
        )


def _header_type(context: _Context, schemas: SchemaBuilder, header: Any, pointer: str) -> TypeRef:
    header, pointer = context.resolved.deref(header, pointer)
    if not isinstance(header, dict):
        return TypeRef("string")
    return schemas.parameter_type(
        header.get("schema", {"type": "string"}), join_pointer(pointer, "schema"), "header"
    )


def media_kind(media_type: str) -> str:
    """How a media type is written and read: json, form, multipart, text or bytes."""
    essence = media_type.split(";", 1)[0].strip().lower()
    if essence in ("application/json", "*/*") or essence.endswith("+json"):
        return "json"
    if essence == "application/x-www-form-urlencoded":
        return "form"
    if essence.startswith("multipart/"):
        return "multipart"
    return "text" if essence.startswith("text/") else "bytes"


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
