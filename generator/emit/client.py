"""Emit stage: IR -> the `graph_invite` package text (models, runtime, client) and its packaging."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2

from generator.ir.model import Api, Model, Operation, enum_members_name
from generator.names import docstring, import_order, py_literal, python_identifier, toml_string

PACKAGE = "graph_invite"
TEMPLATE_ROOTS = (
    Path(__file__).parent.parent / "templates",  # installed wheel (force-included)
    Path(__file__).parent.parent.parent / "templates",  # source checkout
)


def template_environment(
    bytecode_cache: jinja2.BytecodeCache | None = None,
) -> jinja2.Environment:
    """The one Jinja environment: strict undefined, whitespace control, safe-text filters.

    `bytecode_cache` (the command line passes one; emitters never choose to touch the disk)
    keeps compiled templates, checked against each template's source, between runs.
    """
    root = next(path for path in TEMPLATE_ROOTS if path.is_dir())
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        bytecode_cache=bytecode_cache,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - we emit Python, not HTML; text goes through the filters
    )
    environment.filters["literal"] = py_literal
    environment.filters["docstring"] = docstring
    environment.filters["toml_string"] = toml_string
    return environment


@dataclass(frozen=True)
class ResultShape:
    """How a success body is offered to callers: `InviteResult.permissions`, `.failed`, ..."""

    class_name: str
    body_class: str
    items_field: str
    items_attribute: str
    item_class: str
    error_field: str


def _decode_lines(model: Model) -> list[str]:
    """`_from_valid`'s body: slots set directly on `object.__new__(cls)`, skipping the keyword
    call into `__init__` (about half the cost of building a small model from valid data).

    `key in data` then `data[key]` beats `data.get(key, UNSET)` (no method call) on every shape
    the corpus has, sparse and dense alike.
    """
    lines = ["instance = object.__new__(cls)"]
    for field in model.fields:
        wire = py_literal(field.wire_name)
        target = f"instance.{field.python_name}"
        if field.required:
            lines.append(f"{target} = {field.type.decode_nullable(f'data[{wire}]')}")
        elif field.type.is_identity:
            lines.append(f"{target} = data[{wire}] if {wire} in data else UNSET")
        else:
            lines += [
                f"if {wire} in data:",
                f"    value = data[{wire}]",
                f"    {target} = {field.type.decode_nullable('value')}",
                "else:",
                f"    {target} = UNSET",
            ]
    if model.extra_allowed:
        # Most objects carry no unknown property: the subset test is cheaper than the comprehension.
        lines += [
            "instance.additional_properties = (",
            "    {}",
            "    if cls._wire_names.issuperset(data)",
            "    else {key: item for key, item in data.items() if key not in cls._wire_names}",
            ")",
        ]
    return [*lines, "return instance"]


def _encode_lines(model: Model) -> list[str]:
    start = "dict(self.additional_properties)" if model.extra_allowed else "{}"
    lines = [f"data: dict[str, Any] = {start}"]
    for field in model.fields:
        wire = py_literal(field.wire_name)
        value = field.type.encode_nullable(f"self.{field.python_name}")
        if field.required:
            lines.append(f"data[{wire}] = {value}")
        else:
            lines += [f"if self.{field.python_name} is not UNSET:", f"    data[{wire}] = {value}"]
    return [*lines, "return data"]


def _init_lines(model: Model) -> list[str]:
    """`__init__`: keyword-only, one parameter per field (defaults as the schema says), then
    `additional_properties` when the schema keeps unknown properties."""
    parameters = [
        f"{field.python_name}: {field.type_hint}"
        + (f" = {field.default_literal}" if field.default_literal else "")
        for field in model.fields
    ]
    body = [f"self.{field.python_name} = {field.python_name}" for field in model.fields]
    if model.extra_allowed:
        parameters.append("additional_properties: dict[str, Any] | None = None")
        body += [
            "self.additional_properties = (",
            "    {} if additional_properties is None else additional_properties",
            ")",
        ]
    signature = ", ".join(["self", "*", *parameters]) if parameters else "self"
    return [f"def __init__({signature}) -> None:", *(f"    {line}" for line in body or ["pass"])]


def _tuple_literal(names: list[str]) -> str:
    items = [py_literal(name) for name in names]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _slots(model: Model) -> list[str]:
    """The instance attributes, in declaration order (`repr` and `==` follow it)."""
    names = [field.python_name for field in model.fields]
    return [*names, "additional_properties"] if model.extra_allowed else names


def _model_imports(api: Api) -> list[str]:
    hints = " ".join(field.type_hint for model in api.models for field in model.fields)
    types_names = import_order(
        {"UNSET", "Record", "Unset"}
        | ({"GraphDateTime"} if "GraphDateTime" in hints else set())
        | ({"enum_value"} if _open_enums(api) else set())
    )
    validators = sorted({model.validator_name for model in api.models})
    lines = ["from collections.abc import Mapping"]
    if api.enums:
        lines.append("from enum import Enum")
    lines.append("from typing import Any, ClassVar")
    lines.append("")
    lines.append(f"from {PACKAGE}.types import {', '.join(types_names)}")
    lines.append(f"from {PACKAGE}.validators import {', '.join(validators)}")
    return lines


def _open_enums(api: Api) -> list[str]:
    """Enum class names some model field decodes as an open enum, sorted."""
    return sorted(
        {name for model in api.models for field in model.fields for name in field.type.open_enums()}
    )


def result_shape(api: Api, operation: Operation) -> ResultShape:
    """The result class for an operation's 2xx body: a collection body gets item helpers."""
    body_class = next(r.model for r in operation.responses if r.status[0] == "2" and r.model)
    body = api.model(body_class)
    base = body_class.removesuffix("Response") or body_class
    collection = next(
        (
            f
            for f in body.fields
            if f.type.kind == "array" and f.type.item is not None and f.type.item.kind == "model"
        ),
        None,
    )
    if collection is None or collection.type.item is None:
        return ResultShape(f"{base}Result", body_class, "", "", "", "")
    item = api.model(collection.type.item.target)
    error = next((f.python_name for f in item.fields if f.wire_name == "error"), "")
    plural = python_identifier(f"{item.snake_name}s", fallback="items")
    return ResultShape(
        f"{base}Result", body_class, collection.python_name, plural, item.class_name, error
    )


def _body_functions(api: Api) -> list[dict[str, str]]:
    names = sorted({op.body_model for op in api.operations if op.body_model})
    return [
        {
            "class_name": name,
            "function": f"{api.model(name).snake_name}_body",
            "validator": api.model(name).validator_name,
        }
        for name in names
    ]


def _operation_texts(api: Api) -> dict[str, dict[str, str]]:
    """Signatures and argument lists per operation (computed here so templates only print)."""
    texts: dict[str, dict[str, str]] = {
        "signatures": {},
        "method_signatures": {},
        "build_arguments": {},
        "body_expressions": {},
        "success_statuses": {},
    }
    for op in api.operations:
        params = [f"{p.python_name}: str" for p in op.parameters]
        arguments = [p.python_name for p in op.parameters]
        body = "None"
        if op.body_model:
            params.append(f"body: {op.body_model} | Mapping[str, Any]")
            arguments.append("body")
            body = f"{api.model(op.body_model).snake_name}_body(body, validate=validate)"
        texts["signatures"][op.operation_id] = ", ".join([*params, "*", "validate: bool = True"])
        texts["method_signatures"][op.operation_id] = ", ".join(params)
        texts["build_arguments"][op.operation_id] = ", ".join(arguments)
        texts["body_expressions"][op.operation_id] = body
        statuses = ", ".join(sorted(op.success_statuses))
        texts["success_statuses"][op.operation_id] = f"frozenset({{{statuses}}})"
    return texts


def _server_label(urls: tuple[str, ...]) -> str:
    return ", ".join(f"`{url}`" for url in urls)


def emit_client(
    api: Api, bytecode_cache: jinja2.BytecodeCache | None = None
) -> dict[PurePosixPath, str]:
    """Every file of the generated package except the validators: path -> unformatted text."""
    environment = template_environment(bytecode_cache)
    shapes = {op.operation_id: result_shape(api, op) for op in api.operations}
    results = sorted(
        {shape.class_name: shape for shape in shapes.values()}.values(), key=lambda s: s.class_name
    )
    bodies = _body_functions(api)
    body_classes = sorted({b["class_name"] for b in bodies})
    result_items = sorted({s.item_class for s in results if s.item_class})
    model_names = sorted({*body_classes, *(s.body_class for s in results), *result_items})
    operations_built = sorted(f"build_{op.method_name}" for op in api.operations)
    package_version = f"{api.version}+invitegen.{api.generator_version}"
    exports = sorted(
        {
            "GraphClient",
            "AsyncGraphClient",
            "RetryPolicy",
            "GraphError",
            "ValidationError",
            "RequestInfo",
            "UNSET",
            "Unset",
            "GraphDateTime",
            *(s.class_name for s in results),
            *(m.class_name for m in api.models),
            *(e.class_name for e in api.enums),
        }
    )
    context: dict[str, Any] = {
        "api": api,
        "package": PACKAGE,
        "package_version": package_version,
        "imports": _model_imports(api),
        "wire_names": {
            m.class_name: py_literal(sorted(f.wire_name for f in m.fields)) for m in api.models
        },
        "init_lines": {m.class_name: _init_lines(m) for m in api.models},
        "slots": {m.class_name: _tuple_literal(sorted(_slots(m))) for m in api.models},
        "fields": {m.class_name: _tuple_literal(_slots(m)) for m in api.models},
        "repr_hidden": {
            m.class_name: py_literal(sorted(f.python_name for f in m.fields if f.secret))
            for m in api.models
        },
        "decode_lines": {m.class_name: _decode_lines(m) for m in api.models},
        "enum_members": {name: enum_members_name(name) for name in _open_enums(api)},
        "encode_lines": {m.class_name: _encode_lines(m) for m in api.models},
        "results": results,
        "operation_results": shapes,
        "result_functions": {s.class_name: f"{python_identifier(s.class_name)}" for s in results},
        "bodies": bodies,
        "request_imports": (
            [
                f"from {PACKAGE}.models import {', '.join(body_classes)}",
                f"from {PACKAGE}.types import FrozenRecord",
                f"from {PACKAGE}.validators import {', '.join(sorted(b['validator'] for b in bodies))}",
            ]
            if bodies
            else [f"from {PACKAGE}.types import FrozenRecord"]
        ),
        "client_imports": [
            f"from {PACKAGE}.errors import GraphError",
            f"from {PACKAGE}.models import {', '.join(model_names)}",
            f"from {PACKAGE}.requests import {', '.join(import_order(['RequestInfo', *operations_built]))}",
            f"from {PACKAGE}.types import UNSET, FrozenRecord, Unset",
        ],
        "init_imports": [
            f"from {PACKAGE}.client import "
            + ", ".join(
                import_order(
                    [
                        "AsyncGraphClient",
                        "GraphClient",
                        "RetryPolicy",
                        *(s.class_name for s in results),
                    ]
                )
            ),
            f"from {PACKAGE}.errors import GraphError, ValidationError",
            f"from {PACKAGE}.models import "
            + ", ".join(
                sorted([*(m.class_name for m in api.models), *(e.class_name for e in api.enums)])
            ),
            f"from {PACKAGE}.requests import RequestInfo",
            f"from {PACKAGE}.types import UNSET, GraphDateTime, Unset",
        ],
        "init_exports": import_order(exports),
        "example_operation": api.operations[0],
        "server_labels": {op.operation_id: _server_label(op.server_urls) for op in api.operations},
        **_operation_texts(api),
    }
    outputs = {
        "types.py": f"{PACKAGE}/types.py",
        "models.py": f"{PACKAGE}/models.py",
        "errors.py": f"{PACKAGE}/errors.py",
        "requests.py": f"{PACKAGE}/requests.py",
        "client.py": f"{PACKAGE}/client.py",
        "__init__.py": f"{PACKAGE}/__init__.py",
        "py.typed": f"{PACKAGE}/py.typed",
        "pyproject.toml": "pyproject.toml",
        "README.md": "README.md",
    }
    return {
        PurePosixPath(target): environment.get_template(f"client/{source}.jinja").render(context)
        for source, target in outputs.items()
    }
