"""Views of operations and their results: what `requests.py` and `client.py` templates print.

Each `OperationView` says, with decisions already made, how the build function takes its
arguments (path and required ones positional, optional ones keyword-only), how each parameter is
serialised (a call into the runtime's `request_info` helpers), what the body is, and how each
documented status is read back (the response table the runtime matches by code, range, default).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.ir.model import Api, Body, Operation, Parameter, Response, TypeRef
from generator.names import docstring, py_literal, python_identifier, tuple_display

# Names `client.py` imports or defines besides the result classes.
_CLIENT_MODULE_NAMES = frozenset(
    {"ApiClient", "ApiResult", "AsyncApiClient", "AsyncBaseClient", "BaseClient", "ServiceRules"}
    | {"AsyncGraphClient", "GraphClient"}
    | {"ResponseTable", "ClassVar", "Any", "Mapping", "UNSET", "Unset", "DateTimeText"}
)


@dataclass(frozen=True)
class ArgumentView:
    """One function parameter: `name: hint` plus ` = UNSET` when optional."""

    python_name: str
    type_hint: str
    default: str

    @property
    def text(self) -> str:
        """The parameter as a signature shows it."""
        return f"{self.python_name}: {self.type_hint}{self.default}"


@dataclass(frozen=True)
class SerializedView:
    """One non-path parameter: the statement that adds it, and whether it may be absent."""

    python_name: str
    wire_literal: str
    optional: bool
    expression: str


@dataclass(frozen=True)
class ResponseEntryView:
    """One row of an operation's response table: status key, body kind, parser (or `None`)."""

    status_literal: str
    kind_literal: str
    parser: str


@dataclass(frozen=True)
class ResultView:
    """A named result class (`InviteResult`): a general `ApiResult` over one body model, with
    item helpers when that body is a collection of models."""

    class_name: str
    body_class: str
    items_field: str
    items_attribute: str
    item_class: str
    error_field: str


@dataclass(frozen=True)
class OperationView:
    """One operation as both templates print it."""

    method_name: str
    build_name: str
    operation_id_literal: str
    http_method_literal: str
    url_template: str
    url_template_literal: str
    summary: str
    build_docstring: str
    method_docstring: str
    build_parameters: tuple[str, ...]
    method_parameters: tuple[str, ...]
    call_arguments: tuple[str, ...]
    path_entries: tuple[tuple[str, str], ...]
    query: tuple[SerializedView, ...]
    headers: tuple[SerializedView, ...]
    cookies: tuple[SerializedView, ...]
    body_expression: str
    body_optional: bool
    extra_arguments: tuple[tuple[str, str], ...]
    table_name: str
    responses: tuple[ResponseEntryView, ...]
    result_hint: str
    result_class: str


def _value(parameter: Parameter) -> str:
    """The JSON-like value of a parameter argument (content-encoded ones as JSON text)."""
    value = parameter.type.encode_nullable(parameter.python_name)
    return f"json.dumps({value})" if parameter.content_type else value


def _path_value(parameter: Parameter) -> str:
    if parameter.multi_segment:
        return f"multi_segment({py_literal(parameter.wire_name)}, {parameter.python_name})"
    simple_string = parameter.type.kind == "string" and not parameter.type.nullable
    if parameter.style == "simple" and simple_string and not parameter.content_type:
        return parameter.python_name  # encoded (and checked) by RequestInfo itself
    arguments = [
        py_literal(parameter.wire_name),
        _value(parameter),
        py_literal(parameter.style),
        py_literal(parameter.explode),
    ]
    return f"path_segment({', '.join(arguments)})"


def _serialized(parameter: Parameter) -> SerializedView:
    name, value = py_literal(parameter.wire_name), _value(parameter)
    calls = {
        "query": (
            f"query_pairs({name}, {value}, {py_literal(parameter.style)}, "
            f"{py_literal(parameter.explode)}, {py_literal(parameter.allow_reserved)})"
        ),
        "header": f"header_value({name}, {value}, {py_literal(parameter.explode)})",
        "cookie": f"cookie_pair({name}, {value}, {py_literal(parameter.explode)})",
    }
    return SerializedView(
        parameter.python_name, name, not parameter.required, calls[parameter.location]
    )


def _argument_hint(type_ref: TypeRef) -> str:
    return type_ref.type_hint


def _body_hint(body: Body) -> str:
    if body.model:
        hint = f"{body.model} | Mapping[str, Any]"
        return f"{hint} | None" if body.type.nullable else hint
    return body.type.type_hint


def _body_expression(api: Api, body: Body | None) -> str:
    if body is None:
        return "None"
    if body.model:
        return f"{api.model(body.model).snake_name}_body(body, validate=validate)"
    return body.type.encode_nullable("body")


def _parser(response: Response) -> str:
    body = response.body
    if body is None or body.kind != "json":
        return "None"
    if body.model:
        return f"{body.model}.from_dict"
    decoded = body.type.decode_nullable("data")
    if body.validator:
        # Checked like a model body: strict with `validate_responses`, else kept as it came.
        call = re.fullmatch(r"([\w.]+)\(data\)", decoded)
        function = call.group(1) if call else f"lambda data: {decoded}"
        decode = "" if body.type.is_identity else f", {function}"
        return f"validating(validate_{body.validator}{decode})"
    return "None" if body.type.is_identity else f"lambda data, validate: {decoded}"


def _entry(response: Response) -> ResponseEntryView:
    kind = response.body.kind if response.body is not None else "none"
    return ResponseEntryView(py_literal(response.status), py_literal(kind), _parser(response))


def success_responses(operation: Operation) -> tuple[Response, ...]:
    """The answers a call returns (1xx-3xx); only `default` when nothing else is documented."""
    success = tuple(r for r in operation.responses if r.status[0] in "123")
    return success or tuple(r for r in operation.responses if r.status == "default")


def _body_type_hint(response: Response) -> str:
    return "None" if response.body is None else response.body.type.type_hint


def result_hint(operation: Operation) -> str:
    """The Python type of a successful call's `body`: one hint, or a union in response order."""
    hints = list(dict.fromkeys(_body_type_hint(r) for r in success_responses(operation)))
    if not hints:
        return "None"
    if "Any" in hints:
        return "Any"
    none_last = [hint for hint in hints if hint != "None"] + (["None"] if "None" in hints else [])
    return " | ".join(none_last)


def result_body_class(operation: Operation) -> str:
    """The model every success answer carries, when there is exactly one such model."""
    responses = success_responses(operation)
    models = {r.body.model if r.body is not None else "" for r in responses}
    return models.pop() if len(models) == 1 and responses else ""


def result_views(api: Api) -> dict[str, ResultView]:
    """Body class -> named result class, for every body model some operation returns alone."""
    results: dict[str, ResultView] = {}
    taken = {model.class_name for model in api.models} | {enum.class_name for enum in api.enums}
    taken |= _CLIENT_MODULE_NAMES
    for body_class in sorted({result_body_class(op) for op in api.operations} - {""}):
        base = body_class.removesuffix("Response") or body_class
        name = python_identifier(base, taken=()) and f"{base}Result"
        counter = 2
        while name in taken:
            name, counter = f"{base}Result{counter}", counter + 1
        taken.add(name)
        results[body_class] = _result_view(api, name, body_class)
    return results


def _result_view(api: Api, name: str, body_class: str) -> ResultView:
    body = api.model(body_class)
    collection = next(
        (
            field
            for field in body.fields
            # Only a required, non-null array is the answer's collection (`value`).
            if field.required
            and not field.type.nullable
            and field.type.kind == "array"
            and field.type.item is not None
            and field.type.item.kind == "model"
        ),
        None,
    )
    if collection is None or collection.type.item is None:
        return ResultView(name, body_class, "", "", "", "")
    item = api.model(collection.type.item.target)
    error = next((f.python_name for f in item.fields if f.wire_name == "error"), "")
    plural = python_identifier(f"{item.snake_name}s", fallback="items")
    return ResultView(name, body_class, collection.python_name, plural, item.class_name, error)


def _arguments(api: Api, operation: Operation) -> tuple[list[ArgumentView], list[ArgumentView]]:
    positional = [
        ArgumentView(p.python_name, _argument_hint(p.type), "")
        for p in operation.parameters
        if p.required and not p.default_code
    ]
    # A required parameter with a `default` is keyword-only and defaults to it (it is sent: the
    # spec requires a value); an optional one defaults to UNSET and is not sent, so the server
    # applies its own default (README, "Defaults").
    keyword = [
        ArgumentView(p.python_name, _argument_hint(p.type), f" = {p.default_code}")
        for p in operation.parameters
        if p.required and p.default_code
    ]
    keyword += [
        ArgumentView(
            p.python_name,
            f"{p.type.base_hint} | Unset" + (" | None" if p.type.nullable else ""),
            " = UNSET",
        )
        for p in operation.parameters
        if not p.required
    ]
    body = operation.body
    if body is not None and body.required:
        positional.append(ArgumentView("body", _body_hint(body), ""))
    elif body is not None:
        keyword.insert(0, ArgumentView("body", f"{_body_hint(body)} | None", " = None"))
    return positional, keyword


def operation_view(api: Api, operation: Operation, results: dict[str, ResultView]) -> OperationView:
    """Operation IR -> its view."""
    positional, keyword = _arguments(api, operation)
    body = operation.body
    result = results.get(result_body_class(operation))
    summary = f"{operation.summary}: " if operation.summary else ""
    build_doc = f"{operation.http_method} {operation.url_template}" + (
        f": {operation.summary}" if operation.summary else ""
    )
    return OperationView(
        method_name=operation.method_name,
        build_name=f"build_{operation.method_name}",
        operation_id_literal=py_literal(operation.operation_id),
        http_method_literal=py_literal(operation.http_method),
        url_template=operation.url_template,
        url_template_literal=py_literal(operation.path),
        summary=operation.summary,
        build_docstring=docstring(build_doc),
        method_docstring=docstring(f"{summary}{operation.http_method} {operation.url_template}"),
        build_parameters=(
            *(argument.text for argument in positional),
            "*",
            *(argument.text for argument in keyword),
            "validate: bool = True",
        ),
        method_parameters=(
            "self",
            *(argument.text for argument in positional),
            "*",
            *(argument.text for argument in keyword),
            "options: CallOptions | None = None",
        ),
        call_arguments=(
            *(argument.python_name for argument in positional),
            *(f"{argument.python_name}={argument.python_name}" for argument in keyword),
            "validate=self._settings.validate_requests",
        ),
        path_entries=tuple(
            (py_literal(p.wire_name), _path_value(p)) for p in operation.path_parameters
        ),
        query=tuple(_serialized(p) for p in operation.parameters if p.location == "query"),
        headers=tuple(_serialized(p) for p in operation.parameters if p.location == "header"),
        cookies=tuple(_serialized(p) for p in operation.parameters if p.location == "cookie"),
        body_expression=_body_expression(api, body),
        body_optional=body is not None and not body.required,
        extra_arguments=_extra_arguments(operation),
        table_name=f"_{operation.method_name.upper()}_RESPONSES",
        responses=tuple(_entry(r) for r in operation.responses),
        result_hint=f"{result.class_name}" if result else f"ApiResult[{result_hint(operation)}]",
        result_class=result.class_name if result else "ApiResult",
    )


def _extra_arguments(operation: Operation) -> tuple[tuple[str, str], ...]:
    """`RequestInfo` arguments beyond the defaults: query, headers, content type, accept."""
    arguments: list[tuple[str, str]] = []
    if any(p.location == "query" for p in operation.parameters):
        arguments.append(("query", "tuple(query)"))
    if any(p.location in ("header", "cookie") for p in operation.parameters):
        arguments.append(("headers", "headers"))
    if operation.body is not None and operation.body.media_type != "application/json":
        arguments.append(("content_type", py_literal(operation.body.media_type)))
    accept = _accept(operation)
    if accept != "application/json":
        arguments.append(("accept", py_literal(accept)))
    urls = tuple(server.url for server in operation.servers)
    if urls:
        arguments.append(("servers", tuple_display([py_literal(url) for url in urls])))
    if operation.security is not None:
        alternatives = [
            tuple_display([py_literal(name) for name in alternative])
            for alternative in operation.security
        ]
        arguments.append(("security", tuple_display(alternatives)))
    if operation.extensions:
        arguments.append(("extensions", py_literal(dict(operation.extensions))))
    return tuple(arguments)


def _accept(operation: Operation) -> str:
    media = sorted({r.body.media_type for r in operation.responses if r.body is not None})
    return ", ".join(media) if media else "application/json"
