"""Issue 7, hostile specs: spec text never becomes code, and bad specs fail cleanly and cheaply.

Every string a spec can carry into generated code (descriptions, titles, examples, defaults, enum
values, property, schema, operation and parameter names, server URLs) is drawn from hostile text.
The generated package must compile, import with no file, network or process side effect (checked
by an audit hook in a fresh interpreter, `GUARD`), round-trip every wire name exactly, and keep
the text harmless (a docstring, never a statement). Broken and oversized specs give located errors
(snapshot files next to the other error cases) in bounded time and memory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import SpecErrors
from generator.ir.model import Api, Model, TypeRef
from generator.output import writer
from generator.output.writer import MARKER_FILE, write_tree
from generator.pipeline import Generation, build
from generator.spec.loader import MAX_SPEC_BYTES
from tests.conftest import ROOT

CASES = ROOT / "tests" / "specs_with_errors"
SNAPSHOTS = CASES / "__snapshots__"
UPDATE = os.environ.get("UPDATE_SNAPSHOTS") == "1"
# Generation runs black (about a second) and each check starts an interpreter: a tenth of the
# profile's examples (10 under `ci`, 200 under `deep`).
GENERATION_EXAMPLES = max(3, settings().max_examples // 10)

NASTY = [
    '"""',
    "'''",
    "\\",
    "\\x00",
    "\\N{BULLET}",
    "\x00",
    "\n",
    "\r\n",
    "\t",
    "{{ config }}",
    "{% raw %}",
    "{#",
    "#",
    "\u202e",
    "\u200f",
    "\u2028",
    '"""; import os; os.system("touch pwned") #',
    "'''; __import__('os').system('id') #",
    '"); import socket; socket.socket() #',
    "__init__",
    "__class__",
    "class",
    "def",
    "None",
    "self",
    "cls",
    "data",
    "type",
    "list",
    "0day",
    "1",
    "",
    " ",
    "fooBar",
    "foo_bar",
    "FooBar",
    "café",
    "cafe",
    "日本語",
    "😀",
    "ClassVar",
    "Enum",
    "ApiClient",
    "GraphClient",
    "UNSET",
    "additional_properties",
    "to_dict",
    "_wire_names",
    "@odata.type",
    "a/b",
    "~0~1",
    "$ref",
    "send",
    "request",
]
hostile_text = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=12),
    st.lists(st.sampled_from(NASTY), min_size=2, max_size=3).map("".join),
)
# OpenAPI 3.1 component names match ^[a-zA-Z0-9.-_]+$ (others are refused: component_names.yaml);
# within that, the keyword, builtin, dunder, digit-first and colliding ones.
component_name = st.one_of(
    st.sampled_from(
        [
            *("class", "None", "__init__", "0day", "fooBar", "foo_bar", "FooBar", "ClassVar"),
            *(
                "Enum",
                "ApiClient",
                "GraphClient",
                "inviteResult",
                "UNSET",
                "list",
                "self",
                "-",
                ".",
                "..",
            ),
            *("_", "a.b-c"),
        ]
    ),
    st.from_regex(r"[a-zA-Z0-9._-]{1,12}", fullmatch=True),
)
# Path template names cannot hold braces: the template syntax is `{name}`.
parameter_name = hostile_text.filter(lambda text: "{" not in text and "}" not in text)

# The guarded interpreter: an audit hook refuses writes, sockets, processes and deletions before
# anything from the generated package is imported; then the plan (JSON) is exercised.
GUARD = r"""
import json, os, sys
VIOLATIONS = []
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
BLOCKED = ("socket.", "subprocess.", "os.system", "os.exec", "os.spawn", "os.posix_spawn",
           "os.fork", "os.remove", "os.unlink", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
           "os.chown", "os.symlink", "os.link", "os.truncate", "os.kill", "os.putenv",
           "os.unsetenv", "shutil.", "ctypes.", "urllib.Request", "http.client.", "webbrowser.",
           "pty.", "tempfile.", "sqlite3.")

def hook(event, args):
    if event == "open":
        mode, flags = args[1], args[2]
        bad = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & WRITE_FLAGS)
    else:
        bad = event.startswith(BLOCKED)
    if bad:
        VIOLATIONS.append(f"{event} {args!r:.200}")
        raise PermissionError(f"side effect blocked: {event}")

out, plan_path = sys.argv[1], sys.argv[2]
with open(plan_path, encoding="utf-8") as handle:
    plan = json.load(handle)
sys.dont_write_bytecode = True
sys.path.insert(0, out)
import httpx  # the client's dependency, imported before the hook like any installed library
sys.addaudithook(hook)
import importlib
modules = {name: importlib.import_module(f"graph_invite.{name}")
           for name in ("types", "validators", "errors", "models", "requests", "client")}
import graph_invite
assert os.path.dirname(graph_invite.__file__) == os.path.join(out, "graph_invite"), graph_invite.__file__
models, validators, client = modules["models"], modules["validators"], modules["client"]

for model in plan["models"]:
    cls = getattr(models, model["class"])
    parsed = cls.from_dict(model["data"])
    assert parsed.to_dict() == model["data"], (parsed.to_dict(), model["data"])
    for python_name, wire_name in model["fields"].items():
        value = getattr(parsed, python_name)
        assert getattr(value, "value", value) == model["data"][wire_name] or isinstance(
            model["data"][wire_name], (dict, list)), (python_name, wire_name)
    doc = " ".join((cls.__doc__ or "").split())
    assert model["doc"] in doc, (model["doc"], doc)
    validator = getattr(validators, model["validator"])
    validator(model["data"])
    try:
        validator(12345)
    except validators.ValidationError:
        pass
    else:
        raise AssertionError("a number passed an object validator")

for enum in plan["enums"]:
    assert [member.value for member in getattr(models, enum["class"])] == enum["values"]

for operation in plan["operations"]:
    def answer(request, operation=operation):
        assert request.url.path.startswith(operation["prefix"]), request.url.path
        assert json.loads(request.content) == operation["body"]
        return httpx.Response(200, json=operation["response"])
    graph = client.ApiClient("token", "https://graph.test", transport=httpx.MockTransport(answer))
    result = getattr(graph, operation["method"])(*operation["arguments"], operation["body"])
    assert result.body.to_dict() == operation["response"]
    graph.close()

assert not VIOLATIONS, VIOLATIONS
print("guard: ok")
"""


def hostile_spec(texts: dict[str, Any]) -> dict[str, Any]:
    """A small valid spec with hostile text everywhere a spec string can reach generated code."""
    text = texts["text"]
    properties: dict[str, Any] = {
        name: {"type": "string", "description": text, "default": text, "examples": [text]}
        for name in texts["properties"]
    }
    properties[texts["enum_property"]] = {"$ref": f"#/components/schemas/{_escape(texts['enum'])}"}
    return {
        "openapi": "3.1.0",
        "info": {"title": text, "version": texts["version"], "description": text},
        "servers": [{"url": texts["server"]}],
        "paths": {
            f"/items/{{{texts['parameter']}}}/invite": {
                "parameters": [
                    {
                        "name": texts["parameter"],
                        "in": "path",
                        "required": True,
                        "description": text,
                        "schema": {"type": "string"},
                    }
                ],
                "post": {
                    "operationId": texts["operation"],
                    "summary": text,
                    "description": text,
                    "requestBody": {"required": True, "content": _json_body(texts["request"])},
                    "responses": {"200": {"description": text, "content": _json_body("response")}},
                },
            }
        },
        "components": {
            "schemas": {
                texts["request"]: {
                    "type": "object",
                    "title": text,
                    "description": texts["description"],
                    "properties": properties,
                },
                "response": {
                    "type": "object",
                    "required": ["value"],
                    "properties": {
                        "value": {"type": "array", "items": {"$ref": _schema_ref(texts["request"])}}
                    },
                },
                texts["enum"]: {"type": "string", "description": text, "enum": texts["values"]},
            }
        },
    }


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _schema_ref(name: str) -> str:
    return f"#/components/schemas/{_escape(name)}"


def _json_body(schema_name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _schema_ref(schema_name)}}}


def generate(spec: dict[str, Any], folder: Path, *, as_json: bool) -> Generation:
    """Write the spec (JSON or YAML), generate from it and write the package to `folder/out`."""
    spec_path = folder / ("spec.json" if as_json else "spec.yaml")
    if as_json:
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
    else:
        spec_path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    generation = build(spec_path, project_root=folder, package="graph_invite")
    write_tree(generation.files, folder / "out")
    return generation


def sample_value(api: Api, type_ref: TypeRef) -> Any:
    """A valid JSON value for a field type of the hostile specs (no formats, no constraints)."""
    if type_ref.kind == "enum":
        enum = next(enum for enum in api.enums if enum.class_name == type_ref.target)
        return enum.members[0].value
    if type_ref.kind == "model":
        return sample_data(api, api.model(type_ref.target))
    if type_ref.kind == "array":
        assert type_ref.item is not None
        return [sample_value(api, type_ref.item)]
    return {"string": "text", "integer": 1, "boolean": True}.get(type_ref.kind, {})


def sample_data(api: Api, model: Model) -> dict[str, Any]:
    """Every property set, keyed by its exact wire name; string values are the wire names."""
    return {
        field.wire_name: (
            field.wire_name if field.type.kind == "string" else sample_value(api, field.type)
        )
        for field in model.fields
    }


def _documented(text: str, fallback: str) -> str:
    """What a docstring must show for `text`, whitespace-normalised (escapes aside)."""
    plain = all(character.isprintable() or character in " \n\t\r" for character in text)
    shown = " ".join(text.split()) if plain else ""
    return shown or ("" if text.strip() else fallback)


def exercise_plan(spec: dict[str, Any], generation: Generation) -> dict[str, Any]:
    """What the guarded interpreter checks: models, enums and one call per operation."""
    api = generation.api
    descriptions = {
        name: schema.get("description", "")
        for name, schema in spec["components"]["schemas"].items()
    }
    models = [
        {
            "class": model.class_name,
            "data": sample_data(api, model),
            "fields": {field.python_name: field.wire_name for field in model.fields},
            "validator": model.validator_name,
            "doc": _documented(descriptions.get(model.name, ""), f"The {model.name} schema."),
        }
        for model in api.models
    ]
    operations = []
    for operation in api.operations:
        response_model = api.model(next(r.model for r in operation.responses if r.model))
        operations.append(
            {
                "method": operation.method_name,
                "arguments": [
                    f"{parameter.wire_name}/../?#%" for parameter in operation.parameters
                ],
                "body": sample_data(api, api.model(operation.body_model)),
                "response": sample_data(api, response_model),
                "prefix": operation.version_prefix.split("{")[0],
            }
        )
    enums = [
        {"class": enum.class_name, "values": [member.value for member in enum.members]}
        for enum in api.enums
    ]
    return {"models": models, "enums": enums, "operations": operations}


def run_guarded(folder: Path, plan: dict[str, Any]) -> None:
    """Import and exercise the package in a fresh interpreter under the audit hook."""
    plan_path = folder / "plan.json"
    plan_path.write_text(json.dumps(plan), encoding="utf-8")
    before = sorted(path.relative_to(folder) for path in folder.rglob("*"))
    completed = subprocess.run(
        [sys.executable, "-I", "-c", GUARD, str(folder / "out"), str(plan_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    assert "guard: ok" in completed.stdout
    assert sorted(path.relative_to(folder) for path in folder.rglob("*")) == before


def assert_python_compiles(generation: Generation) -> None:
    for path, content in generation.files.items():
        if path.suffix == ".py":
            compile(content, str(path), "exec")


@st.composite
def hostile_texts(draw: st.DrawFn) -> dict[str, Any]:
    """Distinct hostile names for the spec's components, plus free hostile text."""
    request = draw(component_name.filter(lambda text: text != "response"))
    enum = draw(component_name.filter(lambda text: text not in ("response", request)))
    properties = draw(st.lists(hostile_text, min_size=1, max_size=6, unique=True))
    enum_property = draw(hostile_text.filter(lambda text: text not in properties))
    return {
        "text": draw(hostile_text),
        "description": draw(hostile_text),
        "version": draw(hostile_text),
        # Control characters in a server URL are refused (see server_url_invalid.yaml).
        "server": "https://graph.test/v1.0"
        + "".join(c for c in draw(hostile_text) if c.isprintable() and c not in "{}")
        + "/",
        "parameter": draw(parameter_name),
        "operation": draw(hostile_text.filter(bool)),
        "request": request,
        "enum": enum,
        "properties": properties,
        "enum_property": enum_property,
        "values": draw(st.lists(hostile_text, min_size=1, max_size=5, unique=True)),
    }


@settings(
    max_examples=GENERATION_EXAMPLES,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(texts=hostile_texts(), as_json=st.booleans())
def test_hostile_text_yields_a_harmless_working_package(
    texts: dict[str, Any], as_json: bool, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    spec = hostile_spec(texts)
    generation = generate(spec, folder, as_json=as_json)
    assert_python_compiles(generation)
    run_guarded(folder, exercise_plan(spec, generation))


COLLIDING = {
    "openapi": "3.1.0",
    "info": {"title": 'Collisions """ \\', "version": "1.0.0"},
    "servers": [{"url": "https://graph.test/v1.0'\"\\/"}],
    "paths": {
        f"/p{index}/{{{parameter}}}/invite": {
            "parameters": [{"name": parameter, "in": "path", "required": True}],
            "post": {
                "operationId": operation,
                "requestBody": {"required": True, "content": _json_body(body)},
                "responses": {
                    "200": {"description": "ok", "content": _json_body("inviteResponse")}
                },
            },
        }
        for index, (operation, parameter, body) in enumerate(
            [
                ("class", "build_class_", "driveRecipient"),
                ("class_", "request", "driveRecipient"),
                ("send", "self", "driveRecipient"),
                ("close", "class_var_body", "classVar"),
                ("build", "build_build", "enum"),
            ]
        )
    },
    "components": {
        "schemas": {
            "driveRecipient": {
                "type": "object",
                "description": '"""; import os; os.system("touch pwned") #',
                "properties": {
                    name: {"type": "string"}
                    for name in [
                        "class",
                        "def",
                        "None",
                        "list",
                        "__init__",
                        "__class__",
                        "0day",
                        "",
                        "fooBar",
                        "foo_bar",
                        "FooBar",
                        "café",
                        "cafe",
                        "日本語",
                        "self",
                        "cls",
                        "data",
                        "field",
                        "additional_properties",
                        "additionalProperties",
                        "_wire_names",
                        "UNSET",
                        "to_dict",
                        "from_dict",
                        "@odata.type",
                    ]
                },
            },
            "DriveRecipient": {"type": "object", "properties": {"x": {"type": "string"}}},
            "drive_recipient": {"type": "object", "properties": {"y": {"type": "string"}}},
            "classVar": {"type": "object", "properties": {"z": {"type": "string"}}},
            "enum": {
                "type": "object",
                "properties": {"kind": {"$ref": "#/components/schemas/kind"}},
            },
            "graphClient": {"type": "object", "properties": {"a": {"type": "string"}}},
            "inviteResult": {"type": "object", "properties": {"b": {"type": "string"}}},
            "graphDateTime": {"type": "object", "properties": {"c": {"type": "string"}}},
            "inviteResponse": {
                "type": "object",
                "required": ["value"],
                "properties": {
                    "value": {"type": "array", "items": {"$ref": "#/components/schemas/enum"}}
                },
            },
            "kind": {
                "type": "string",
                "enum": ["a-b", "a_b", "A B", "aB", "", "class", "_x", "None", "1", "é", "e"],
            },
        }
    },
}


@pytest.fixture(scope="module")
def colliding(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Generation]:
    folder = tmp_path_factory.mktemp("colliding")
    return folder, generate(COLLIDING, folder, as_json=False)


def test_colliding_names_become_distinct_identifiers(colliding: tuple[Path, Generation]) -> None:
    folder, generation = colliding
    api = generation.api
    classes = [model.class_name for model in api.models] + [enum.class_name for enum in api.enums]
    assert len(set(classes)) == len(classes)
    runtime = {"ApiClient", "ClassVar", "DateTimeText", "Enum", "GraphClient", "InviteResult"}
    assert not runtime & set(classes), "a model shadows a name the package defines"
    methods = [operation.method_name for operation in api.operations]
    assert len(set(methods)) == len(methods) and not {"send", "close"} & set(methods)
    for operation in api.operations:
        names = {parameter.python_name for parameter in operation.parameters}
        body_function = f"{api.model(operation.body_model).snake_name}_body"
        called = {f"build_{operation.method_name}", body_function}
        assert not {"self", "request", "body", "validate", *called} & names
    for model in api.models:
        names = [field.python_name for field in model.fields]
        assert len(set(names)) == len(names)
        assert all(name.isidentifier() and name.isascii() for name in names)
    kind = next(enum for enum in api.enums if enum.name == "kind")
    assert len({member.name for member in kind.members}) == len(kind.members)
    run_guarded(folder, exercise_plan(COLLIDING, generation))


def test_colliding_package_passes_mypy_strict(colliding: tuple[Path, Generation]) -> None:
    folder, _ = colliding
    completed = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "graph_invite"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=folder / "out",
        env={**os.environ, "MYPYPATH": str(folder / "out")},
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-4000:]


# --- Structurally wrong specs: every mutation is a SpecError, never a crash -----------------------

VALID = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "servers": [{"url": "https://graph.test/v1"}],
    "security": [{"oauth2": ["Files.ReadWrite"]}],
    "paths": {
        "/items/{id}/invite": {
            "parameters": [{"name": "id", "in": "path", "required": True}],
            "post": {
                "operationId": "invite",
                "requestBody": {"required": True, "content": _json_body("request")},
                "responses": {
                    "200": {
                        "description": "ok",
                        "headers": {"request-id": {"schema": {"type": "string"}}},
                        "content": _json_body("response"),
                    }
                },
            },
        }
    },
    "components": {
        "schemas": {
            "request": {
                "type": "object",
                "required": ["email"],
                "additionalProperties": False,
                "properties": {
                    "email": {"type": "string", "format": "email", "minLength": 1},
                    "count": {"type": ["integer", "null"], "minimum": 0},
                    "kinds": {"type": "array", "items": {"$ref": "#/components/schemas/kind"}},
                    "open": {"anyOf": [{"$ref": "#/components/schemas/kind"}, {"type": "string"}]},
                    "inner": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
                },
            },
            "response": {
                "type": "object",
                "required": ["value"],
                "properties": {
                    "value": {"type": "array", "items": {"$ref": "#/components/schemas/request"}}
                },
            },
            "kind": {"type": "string", "enum": ["x", "y"]},
        }
    },
}


def _pointers(node: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _pointers(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _pointers(value, (*path, index))


POINTERS = list(_pointers(VALID))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
replacements = st.one_of(
    json_values,
    st.sampled_from(
        [
            {"$ref": "#/components/schemas/kind"},
            {"$ref": "#/components/schemas/missing"},
            {"$ref": 5},
            {"$ref": "#"},
            {"type": 5},
            {"type": [[]]},
            "#/components/schemas/request",
            "https://attacker.test/x.yaml",
            "../../etc/passwd",
            "(",
            "2XX",
        ]
    ),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    pointer=st.sampled_from(POINTERS),
    value=replacements,
    rename=st.none() | st.sampled_from(["", "$ref", "2XX", "default", "type", "x-a", "a/b", "~"]),
)
def test_malformed_specs_fail_with_located_errors(
    pointer: tuple[str | int, ...],
    value: Any,
    rename: str | None,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    spec = json.loads(json.dumps(VALID))
    parent = spec
    for key in pointer[:-1]:
        parent = parent[key]
    if rename is not None and isinstance(parent, dict):
        parent[rename] = parent.pop(pointer[-1])
    else:
        parent[pointer[-1]] = value
    spec_path = tmp_path_factory.mktemp("malformed") / "spec.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    # black only formats what already compiles; skipping it keeps 100 examples at ~5 seconds.
    monkeypatch.setattr(writer, "format_sources", list)
    try:
        generation = build(spec_path, project_root=spec_path.parent, package="graph_invite")
    except SpecErrors as failure:
        assert failure.errors
        for error in failure.errors:
            assert error.pointer.startswith("#") and error.line >= 1 and error.column >= 1
        return
    assert_python_compiles(generation)


# --- Error snapshots for cases that cannot be committed as plain files --------------------------


def _snapshot(case: str, output: str) -> None:
    snapshot = SNAPSHOTS / f"{case}.txt"
    if UPDATE:
        snapshot.write_text(output)
    assert snapshot.exists(), f"no snapshot for {case}: run with UPDATE_SNAPSHOTS=1 and review it"
    assert output == snapshot.read_text()


def _cli_in_subprocess(spec: str, out: Path, cwd: Path) -> tuple[int, str, dict[str, float]]:
    """Run `invitegen generate` in a fresh interpreter; its exit code, stderr and peak memory."""
    # Peak memory of this process only: Linux keeps `ru_maxrss` across exec, so a child of a big
    # pytest worker would report the worker's peak; VmHWM belongs to the new address space.
    program = (
        "import json, re, resource, sys, time\n"
        "from pathlib import Path\n"
        "from generator.cli import main\n"
        "start = time.perf_counter()\n"
        "code = main(['generate', '--spec', sys.argv[1], '--out', sys.argv[2], '--previous', 'none'])\n"
        "status = Path('/proc/self/status')\n"
        "found = re.search(r'VmHWM:\\s+(\\d+) kB', status.read_text()) if status.exists() else None\n"
        "kilobytes = int(found.group(1)) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'code': code, 'seconds': time.perf_counter() - start,"
        " 'peak_mb': kilobytes / 1024}))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program, spec, str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert "Traceback" not in completed.stderr, completed.stderr[-3000:]
    measured = json.loads(completed.stdout.strip().splitlines()[-1])
    return int(measured["code"]), completed.stderr, measured


def _fifo(folder: Path) -> Path:
    os.mkfifo(folder / "spec.yaml")
    return folder / "spec.yaml"


def _write(name: str, text: str) -> Any:
    def make(folder: Path) -> Path:
        (folder / name).write_text(text, encoding="utf-8")
        return folder / name

    return make


def _write_bytes(name: str, content: bytes) -> Any:
    def make(folder: Path) -> Path:
        (folder / name).write_bytes(content)
        return folder / name

    return make


def _huge(folder: Path) -> Path:
    path = folder / "huge_spec.yaml"
    line = "# " + "x" * 97 + "\n"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("openapi: 3.1.0\n")
        for _ in range((50 * 1024 * 1024 - 15) // len(line)):
            handle.write(line)
    return path


def _symlink(folder: Path) -> Path:
    (folder.parent / "secret.yaml").write_text("token: hunter2\n", encoding="utf-8")
    (folder / "parts").mkdir()
    (folder / "parts" / "shared.yaml").symlink_to(Path("../../secret.yaml"))
    text = (CASES / "missing_file_ref.yaml").read_text(encoding="utf-8")
    path = folder / "symlink_escapes_folder.yaml"
    path.write_text(text.replace("schemas/missing.yaml#/request", "parts/shared.yaml#/token"))
    return path


BUILT_CASES = {
    # 50 MB: refused by size before anything is parsed.
    "huge_spec": _huge,
    # A 5 MB flow list: 2.6 million nodes, refused at MAX_NODES while libyaml streams its events.
    "node_flood": _write(
        "node_flood.yaml", "openapi: 3.1.0\nx: [" + "0," * (MAX_SPEC_BYTES // 2 - 20) + "0]\n"
    ),
    # 100,000 nested lists: refused before the parser exhausts the stack.
    "nesting_bomb": _write(
        "nesting_bomb.yaml", "openapi: 3.1.0\nx: " + "[" * 100_000 + "]" * 100_000
    ),
    "symlink_escapes_folder": _symlink,
    "not_utf8": _write_bytes("not_utf8.yaml", b"openapi: 3.1.0\ninfo: {title: caf\xe9}\n"),
}


@pytest.mark.parametrize("case", sorted(BUILT_CASES))
def test_built_bad_spec_is_refused_within_bounds(case: str, tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "specs_with_errors"
    folder.mkdir(parents=True)
    spec = BUILT_CASES[case](folder).relative_to(tmp_path).as_posix()
    out = tmp_path / "generated"
    out.mkdir()
    (out / "keep.txt").write_text("previous generation\n")
    (out / MARKER_FILE).write_text("")  # a folder invitegen made: it may be replaced

    code, stderr, measured = _cli_in_subprocess(spec, out, tmp_path)

    assert code == 1
    assert sorted(path.name for path in out.iterdir()) == [MARKER_FILE, "keep.txt"]
    assert measured["seconds"] < 30, measured
    assert measured["peak_mb"] < 400, measured
    _snapshot(case, stderr)
    assert stderr.startswith(f"{spec}:") and ": #" in stderr.splitlines()[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes need POSIX")
def test_a_pipe_or_device_is_refused_without_blocking(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "specs_with_errors"
    folder.mkdir(parents=True)
    spec = _fifo(folder).relative_to(tmp_path).as_posix()
    code, stderr, _ = _cli_in_subprocess(spec, tmp_path / "generated", tmp_path)
    assert code == 1
    assert stderr.splitlines()[0] == f"{spec}:1:1: #: spec is not a regular file"


@pytest.mark.parametrize("case", sorted(path.stem for path in CASES.glob("*.json")))
def test_json_spec_errors(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The `.json` error cases, checked like the YAML ones in test_cli_errors.py."""
    monkeypatch.chdir(ROOT)
    out = tmp_path / "generated"
    spec = f"tests/specs_with_errors/{case}.json"
    code = main(["generate", "--spec", spec, "--out", str(out), "--previous", "none"])
    captured = capsys.readouterr()
    assert code == 1 and not out.exists()
    assert "Traceback" not in captured.err
    _snapshot(case, captured.err)
    assert captured.err.startswith(f"{spec}:") and ": #" in captured.err.splitlines()[0]


# --- Known bugs in code owned elsewhere (issue 7): these fail until fixed --------------------------


def test_non_ascii_definition_names_never_break_validator_docstrings() -> None:
    """validator_writer.comment_text cuts the escape `\\xe9` to `\\xe...`: a SyntaxError.

    Spec component names are ASCII now (component_names.yaml), but `invitegen compile-schema`
    compiles any JSON Schema, whose `$defs` names are free text.
    """
    from generator.emit.validators import compile_schema

    for length in range(40, 75):
        name = "a" * length + "é" + "b" * 10
        schema = {"$ref": f"#/$defs/{name}", "$defs": {name: {"type": "string"}}}
        compile(compile_schema(schema), name, "exec")


def test_spec_file_name_cannot_inject_code_into_headers(tmp_path: Path) -> None:
    """The header line `# Code generated ... from <spec name>` must not end at a newline in it."""
    name = 'x\nimport os; os.system("touch pwned") #.json'
    (tmp_path / name).write_text(json.dumps(VALID), encoding="utf-8")
    generation = build(tmp_path / name, project_root=tmp_path / "elsewhere", package="graph_invite")
    source = generation.files[PurePosixPath("graph_invite", "types.py")].decode()
    assert "\nimport os" not in source


def test_pyproject_stays_valid_toml_with_any_title(tmp_path: Path) -> None:
    """`tojson` writes an emoji as `\\ud83d\\ude00`, which TOML rejects (not scalar values)."""
    spec = json.loads(json.dumps(VALID))
    spec["info"]["title"] = 'Invites 📨 "quoted" \\ \x7f'
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    generation = build(tmp_path / "spec.json", project_root=tmp_path, package="graph_invite")
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    project = tomllib.loads(generation.files[PurePosixPath("pyproject.toml")].decode())
    assert spec["info"]["title"] in project["project"]["description"]


def test_spec_keys_cannot_forge_error_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`file:line:col: pointer: message` prints the pointer raw: a newline in a property name
    starts a second, forged error line (errors.py `SpecError.__str__`)."""
    spec = json.loads(json.dumps(VALID))
    forged = "x\nspec.json:1:1: #: forged error line"
    spec["components"]["schemas"]["request"]["properties"][forged] = {"$dynamicRef": "#x"}
    (tmp_path / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    argv = ["generate", "--spec", str(tmp_path / "spec.json"), "--out", str(tmp_path / "out")]
    assert main([*argv, "--previous", "none"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines  # one error, one summary


def test_version_gate_reports_malformed_specs_instead_of_crashing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`generate` diffs against --previous before building; the diff must not crash either."""
    old, new = tmp_path / "old.json", tmp_path / "new.json"
    old.write_text(json.dumps(VALID), encoding="utf-8")
    spec = json.loads(json.dumps(VALID))
    spec["components"]["schemas"]["request"]["required"] = None
    new.write_text(json.dumps(spec), encoding="utf-8")
    argv = ["generate", "--spec", str(new), "--out", str(tmp_path / "out"), "--previous", str(old)]
    assert main(argv) == 1
    assert "required: must be a list of property names" in capsys.readouterr().err
