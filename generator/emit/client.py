"""Emit stage: IR -> the generated package's text (models, runtime, client) and its packaging."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import jinja2

from generator.emit.model_loads import api_loads, load_helpers
from generator.emit.model_views import (
    api_unions,
    enum_view,
    model_imports,
    model_view,
    open_enums,
)
from generator.emit.operation_views import OperationView, ResultView, operation_view, result_views
from generator.ir.model import Api, Server, model_decoder_name
from generator.names import (
    docstring,
    import_line,
    import_order,
    py_literal,
    toml_string,
    tuple_display,
)

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


RUNTIME_ROOT = Path(__file__).parent / "runtime"
PACKAGING_ROOT = Path(__file__).parent / "packaging"
PACKAGING_FILES = ("hatch_build.py",)
# Runtime modules copied into every generated package, verbatim (the writer adds the header).
RUNTIME_MODULES = (
    "decisions.py",
    "errors.py",
    "reading.py",
    "redaction.py",
    "request_info.py",
    "results.py",
    "security.py",
    "servers.py",
    "service.py",
    "throttle.py",
    "transport.py",
    "types.py",
)
# Copied only into packages of Microsoft Graph documents (`Api.graph`).
GRAPH_MODULE = "graph.py"
# The error classes the package exports (runtime module `errors`).
_ERROR_NAMES = (
    "ApiDecodeError",
    "ApiError",
    "ApiResponseTooLargeError",
    "ApiResponseValidationError",
    "ApiThrottledError",
    "ApiTimeoutError",
    "ApiVersionError",
    "ValidationError",
)
# What a Graph package exports from the runtime module `graph`: its helpers and the Graph names
# of the error classes (aliases; the clients are aliased in `client.py`).
_GRAPH_NAMES = (
    "GraphDateTime",
    "encode_sharing_url",
    "item_path",
    *(name.replace("Api", "Graph", 1) for name in _ERROR_NAMES if name.startswith("Api")),
)
# Raised by the runtime module `security`, exported with the errors.
_SECURITY_NAMES = ("MissingCredentialsError",)
# Characters a User-Agent product token may not hold (RFC 9110 tchar is the rest).
_NOT_TOKEN = re.compile(r"[^!#$%&'*+\-.^_`|~0-9A-Za-z]")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIABLE = re.compile(r"\{([^{}]*)\}")
_REQUEST_HELPERS = ("path_segment", "multi_segment", "query_pairs", "header_value", "cookie_pair")


def runtime_files(package: str, graph: bool = False) -> dict[PurePosixPath, str]:
    """The spec-independent modules, read from `generator/emit/runtime/` and copied as they are
    (the Graph layer only when `graph`)."""
    names = (*RUNTIME_MODULES, GRAPH_MODULE) if graph else RUNTIME_MODULES
    return {
        PurePosixPath(package, name): (RUNTIME_ROOT / name).read_text(encoding="utf-8")
        for name in names
    }


def packaging_files() -> dict[PurePosixPath, str]:
    """Build helpers beside pyproject.toml (the opt-in mypyc hook), copied as they are."""
    return {
        PurePosixPath(name): (PACKAGING_ROOT / name).read_text(encoding="utf-8")
        for name in PACKAGING_FILES
    }


def _used(names: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The names that occur as whole words in the given hints and expressions."""
    words = {word for text in texts for word in _WORD.findall(text)}
    return sorted(set(names) & words)


def _import_line(package: str, module: str, names: Iterable[str]) -> list[str]:
    ordered = import_order(names)
    return [import_line(f"{package}.{module}", ordered)] if ordered else []


def _type_names(api: Api) -> list[str]:
    return [*(m.class_name for m in api.models), *(e.class_name for e in api.enums)]


def _model_names(api: Api) -> list[str]:
    """What the other modules may import from `models.py`: classes, model and union decoders."""
    decoders = [model_decoder_name(model.class_name) for model in api.models]
    return [*_type_names(api), *decoders, *(union.decoder for union in api.unions)]


def _body_functions(api: Api) -> list[dict[str, str]]:
    names = sorted({op.body_model for op in api.operations if op.body_model})
    return [
        {
            "class_name": name,
            "function": f"{api.model(name).snake_name}_body",
            "validator": api.model(name).validator_name,
            "read_only": _read_only(api, name),
            # bytes in a `format: binary` field are checked as the text of their octets
            "checked": "octets_as_text(data)" if _has_binary(api, name) else "data",
        }
        for name in names
    ]


def _has_binary(api: Api, class_name: str) -> bool:
    """Whether a body model has a `format: binary` field (or array of them): a file part."""
    kinds = (
        (f.type.item.kind if f.type.kind == "array" and f.type.item else f.type.kind)
        for f in api.model(class_name).fields
    )
    return "binary" in kinds


def _read_only(api: Api, class_name: str) -> str:
    """The readOnly wire names a request body leaves out, as a list literal (`` for none)."""
    names = [f.wire_name for f in api.model(class_name).fields if f.read_only]
    return py_literal(names) if names else ""


def _request_imports(
    api: Api, operations: list[OperationView], bodies: list[dict[str, str]]
) -> list[str]:
    texts = [
        text
        for op in operations
        for text in (
            *op.build_parameters,
            op.body_expression,
            *(value for _, value in op.path_entries),
            *(p.expression for p in (*op.query, *op.headers, *op.cookies)),
        )
    ]
    standard = ["import json"] if "json" in _used(["json"], texts) else []
    typing = _used(["Any"], texts)
    lines = [*standard]
    if bodies:
        lines.append("from collections.abc import Mapping")
        typing = sorted({*typing, "Any"})
    if typing:
        lines.append(f"from typing import {', '.join(typing)}")
    if lines:
        lines.append("")
    lines += _import_line(
        api.package,
        "models",
        {*(b["class_name"] for b in bodies), *_used(_model_names(api), texts)},
    )
    lines += _import_line(
        api.package, "request_info", {"RequestInfo", *_used(_REQUEST_HELPERS, texts)}
    )
    lines += _import_line(
        api.package,
        "types",
        _used(
            ["UNSET", "Unset", "DateTimeText", "enum_value", "json_value", "octets_as_text"],
            [*texts, *(b["checked"] for b in bodies)],
        ),
    )
    lines += _import_line(api.package, "validators", {b["validator"] for b in bodies})
    return lines


def _client_imports(
    api: Api, operations: list[OperationView], results: list[ResultView]
) -> list[str]:
    texts = [
        text
        for op in operations
        for text in (
            *op.method_parameters,
            op.result_hint,
            *(entry.parser for entry in op.responses),
        )
    ] + [name for result in results for name in (result.body_class, result.item_class)]
    typing = sorted({"ClassVar", *_used(["Any"], texts)})
    lines = []
    if _used(["Mapping"], texts):
        lines.append("from collections.abc import Mapping")
    lines += [f"from typing import {', '.join(typing)}", ""]
    lines += _import_line(api.package, "graph", ["GRAPH_RULES"] if api.graph else [])
    lines += _import_line(api.package, "models", _used(_model_names(api), texts))
    lines += _import_line(api.package, "requests", [op.build_name for op in operations])
    if results or any(op.result_class == "ApiResult" for op in operations):
        lines += _import_line(api.package, "results", ["ApiResult"])
    lines += _import_line(api.package, "security", ["SchemeTable"])
    lines += _import_line(api.package, "servers", ["ServerTable"])
    lines += _import_line(api.package, "service", ["ServiceRules"] if api.graph else [])
    lines += _import_line(
        api.package, "transport", ["AsyncBaseClient", "BaseClient", "CallOptions", "ResponseTable"]
    )
    uses_unset = any(result.error_field for result in results)
    lines += _import_line(
        api.package,
        "types",
        {
            *_used(["UNSET", "Unset", "DateTimeText", "json_value", "validating"], texts),
            *(["UNSET"] if uses_unset else []),
        },
    )
    validators = {
        f"validate_{response.body.validator}"
        for operation in api.operations
        for response in operation.responses
        if response.body is not None and response.body.validator
    }
    lines += _import_line(api.package, "validators", _used(validators, texts))
    return lines


def user_agent(api: Api) -> str:
    """`<distribution>/<spec version> invitegen/<generator version>` (`graph-invite/1.2.0
    invitegen/0.2.0`), as RFC 9110 product tokens."""

    def token(text: str) -> str:
        return _NOT_TOKEN.sub("_", text) or "0"

    return (
        f"{token(api.distribution)}/{token(api.version)} invitegen/{token(api.generator_version)}"
    )


def default_api_version(api: Api) -> str | None:
    """For a Graph document, the path of the first operation's first server (`v1.0`): Graph
    serves API versions under paths. None for other documents (their servers are picked)."""
    prefixes = api.operations[0].server_prefixes if api.operations and api.graph else ()
    return prefixes[0].strip("/") or None if prefixes else None


def _expanded(server: Server) -> str:
    defaults = {variable.name: variable.default for variable in server.variables}
    return _VARIABLE.sub(lambda match: defaults.get(match.group(1), match.group(0)), server.url)


def default_base_url(api: Api) -> str:
    """The origin of the first absolute server URL, variables at their defaults, or ``."""
    for server in api.all_servers:
        parts = urlsplit(_expanded(server))
        if parts.scheme and parts.netloc:
            return f"{parts.scheme}://{parts.netloc}"
    return ""


def security_table(api: Api) -> str:
    """`SECURITY_SCHEMES`: scheme name -> (kind, location, parameter), as a Python literal."""
    entries = "".join(
        f"{py_literal(s.name)}: ({py_literal(s.kind)}, {py_literal(s.location)}, "
        f"{py_literal(s.parameter)}), "
        for s in api.security_schemes
    )
    return f"{{{entries}}}"


def server_table(api: Api) -> str:
    """`SERVERS`: URL template -> variable -> (default, allowed values), as a Python literal."""
    entries = []
    for server in api.all_servers:
        variables = "".join(
            f"{py_literal(v.name)}: ({py_literal(v.default)}, "
            f"{tuple_display([py_literal(value) for value in v.enum])}), "
            for v in server.variables
        )
        entries.append(f"{py_literal(server.url)}: {{{variables}}}, ")
    return f"{{{''.join(entries)}}}"


def _server_docs(api: Api) -> list[str]:
    lines = []
    for index, server in enumerate(api.servers):
        variables = ", ".join(
            f"{{{v.name}}} = {v.default}" + (f" (one of {', '.join(v.enum)})" if v.enum else "")
            for v in server.variables
        )
        lines.append(f"{index}: {server.url}" + (f"; {variables}" if variables else ""))
    return lines


def _security_docs(api: Api) -> list[str]:
    takes = {"bearer": "token", "basic": "basic_auth", "api_key": "api_key"}
    lines = []
    for scheme in api.security_schemes:
        where = f" ({scheme.location} {scheme.parameter})" if scheme.kind == "api_key" else ""
        argument = takes.get(scheme.kind, "not applied by this client")
        lines.append(f"{scheme.name}: {argument}{where}")
    return lines


def _example_call(operation: OperationView) -> str:
    """`method("drive-id-value", body)`: the first operation called with placeholder arguments."""
    names = [name.split(":")[0] for name in operation.build_parameters]
    arguments = [f"{name}=..." if name == "body" else "..." for name in names[: names.index("*")]]
    return f"{operation.method_name}({', '.join(arguments)})"


# The constructor argument the README's example passes for each kind of security scheme.
_EXAMPLE_CREDENTIALS = {
    "bearer": 'token="eyJ..."',
    "api_key": 'api_key="..."',
    "basic": 'basic_auth=("user", "password")',
}


def _example_credentials(api: Api) -> str:
    """The credentials the README's example gives: for the first scheme the client applies
    (``, no arguments, when the spec declares none)."""
    kinds = [scheme.kind for scheme in api.security_schemes if scheme.kind in _EXAMPLE_CREDENTIALS]
    return _EXAMPLE_CREDENTIALS[kinds[0]] if kinds else ""


def _shared_tables(
    operations: list[OperationView],
) -> tuple[list[OperationView], list[tuple[str, str]]]:
    """Operations that document the same responses share one table (named after the first of
    them): the operations with their table names, and each table's (name, dict display)."""
    tables: dict[str, str] = {}
    shared = []
    for operation in operations:
        entries = [
            f"{entry.status_literal}: ({entry.kind_literal}, {entry.parser})"
            for entry in operation.responses
        ]
        display = "{" + ", ".join(entries) + ",}" if entries else "{}"
        name = tables.setdefault(display, operation.table_name)
        shared.append(replace(operation, table_name=name))
    return shared, [(name, display) for display, name in tables.items()]


def _server_label(urls: tuple[str, ...]) -> str:
    return ", ".join(f"`{url}`" for url in urls)


def emit_client(
    api: Api, bytecode_cache: jinja2.BytecodeCache | None = None
) -> dict[PurePosixPath, str]:
    """Every file of the generated package except the validators: path -> unformatted text."""
    environment = template_environment(bytecode_cache)
    result_by_body = result_views(api)
    results = sorted(result_by_body.values(), key=lambda result: result.class_name)
    operations, response_tables = _shared_tables(
        [operation_view(api, op, result_by_body) for op in api.operations]
    )
    bodies = _body_functions(api)
    open_names = open_enums(api)
    loads = api_loads(api)
    package_version = api.package_version
    client_names = ["ApiClient", "AsyncApiClient"]
    client_names += ["AsyncGraphClient", "GraphClient"] if api.graph else []
    exports = sorted(
        {
            *client_names,
            "ApiResult",
            "RetryPolicy",
            "CallOptions",
            *_ERROR_NAMES,
            *_SECURITY_NAMES,
            *(_GRAPH_NAMES if api.graph else ()),
            "RequestInfo",
            "UNSET",
            "Unset",
            "DateTimeText",
            *(result.class_name for result in results),
            *_type_names(api),
        }
    )
    context: dict[str, Any] = {
        "api": api,
        "package": api.package,
        "distribution": api.distribution,
        "package_version": package_version,
        "imports": model_imports(api, api.package, load_helpers(loads)),
        "models": [
            model_view(model, loads[model.class_name].name if model.class_name in loads else "")
            for model in api.models
        ],
        "loads": list(loads.values()),
        "enums": [enum_view(enum, open_names) for enum in api.enums],
        "unions": api_unions(api),
        "results": results,
        "operations": operations,
        "response_tables": response_tables,
        "bodies": bodies,
        "default_base_url": py_literal(default_base_url(api)),
        "default_api_version": py_literal(default_api_version(api)),
        "user_agent": py_literal(user_agent(api)),
        "user_agent_text": user_agent(api),
        "security_schemes": security_table(api),
        "servers": server_table(api),
        "top_level_servers": tuple_display([py_literal(s.url) for s in api.servers]),
        "server_docs": _server_docs(api),
        "security_docs": _security_docs(api),
        "request_imports": _request_imports(api, operations, bodies),
        "client_imports": _client_imports(api, operations, results),
        "init_imports": [
            *_import_line(
                api.package,
                "client",
                [*client_names, *(result.class_name for result in results)],
            ),
            *_import_line(api.package, "errors", _ERROR_NAMES),
            *_import_line(api.package, "graph", _GRAPH_NAMES if api.graph else []),
            *_import_line(api.package, "models", _type_names(api)),
            *_import_line(api.package, "request_info", ["RequestInfo"]),
            *_import_line(api.package, "results", ["ApiResult"]),
            *_import_line(api.package, "security", _SECURITY_NAMES),
            *_import_line(api.package, "transport", ["CallOptions", "RetryPolicy"]),
            *_import_line(api.package, "types", ["UNSET", "DateTimeText", "Unset"]),
        ],
        "init_exports": import_order(exports),
        "example_call": _example_call(operations[0]) if operations else "",
        "example_credentials": _example_credentials(api),
        "server_labels": {op.operation_id: _server_label(op.server_urls) for op in api.operations},
    }
    outputs = {
        "models.py": f"{api.package}/models.py",
        "requests.py": f"{api.package}/requests.py",
        "client.py": f"{api.package}/client.py",
        "__init__.py": f"{api.package}/__init__.py",
        "py.typed": f"{api.package}/py.typed",
        "pyproject.toml": "pyproject.toml",
        "README.md": "README.md",
    }
    rendered = {
        PurePosixPath(target): environment.get_template(f"client/{source}.jinja").render(context)
        for source, target in outputs.items()
    }
    return {**runtime_files(api.package, api.graph), **rendered, **packaging_files()}
