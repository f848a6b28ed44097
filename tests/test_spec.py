"""Checks of the hand-maintained spec, spec/driveitem-invite.yaml.

The spec must be a valid OpenAPI 3.1 document, every example in it must validate against its
schema, its paths must be exactly the invite paths the seed documents name (listed, as the seeds
spell them, in tests/data/seed_paths.txt) plus the sharing paths the Graph reference pages name
(tests/data/graph_paths.txt), and its schemas must reject what Graph rejects while accepting what
Graph may add. Only files in this repository are read; nothing touches the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker  # type: ignore[import-untyped]
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "spec" / "driveitem-invite.yaml"
SEED_PATHS_FILE = ROOT / "tests" / "data" / "seed_paths.txt"
GRAPH_PATHS_FILE = ROOT / "tests" / "data" / "graph_paths.txt"

V1 = "https://graph.microsoft.com/v1.0"
BETA = "https://graph.microsoft.com/beta"
SERVER_FOR_VERSION = {"v1.0": V1, "beta": BETA}

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}

# Parameter names the spec may use: Graph v1.0 style, plus `item-id1` for a second item id.
V1_PARAMETER_NAMES = {
    "drive-id",
    "item-id",
    "item-id1",
    "group-id",
    "site-id",
    "user-id",
    "share-id",
    "workbook-id",
    "base-item-id",
    "item-activity-stat-id",
    "item-activity-id",
    "perm-id",
    "path",
    "encoded-sharing-url",
}
# Seed spellings whose kebab-case form is not already v1.0 style (plural entity sets, driveItem).
KEBAB_TO_V1 = {
    "drives-id": "drive-id",
    "drive-item-id": "item-id",
    "shares-id": "share-id",
    "workbooks-id": "workbook-id",
}

REQUIRED_SCHEMAS = {
    "inviteRequest",
    "inviteResponse",
    "driveRecipient",
    "permission",
    "identitySet",
    "identity",
    "sharePointIdentitySet",
    "sharePointIdentity",
    "sharingInvitation",
    "sharingLink",
    "itemReference",
    "sharepointIds",
    "inviteRecipientError",
    "inviteRecipientInnerError",
    "odataError",
    "mainError",
    "errorDetails",
    "innerError",
    "permissionRole",
    "sharingLinkType",
    "sharingLinkScope",
    "permissionCollection",
    "permissionUpdate",
    "createLinkRequest",
    "createLinkScope",
    "grantRequest",
}
# Request bodies: closed objects (additionalProperties: false); the enums are strict.
REQUEST_SCHEMAS = {
    "inviteRequest",
    "driveRecipient",
    "permissionUpdate",
    "createLinkRequest",
    "grantRequest",
}
ENUM_SCHEMAS = {"permissionRole", "sharingLinkType", "sharingLinkScope", "createLinkScope"}

# Every operation answers with these shared responses.
EXPECTED_RESPONSES = {
    "200": "inviteSuccess",
    "207": "invitePartialSuccess",
    "400": "badRequest",
    "401": "unauthorized",
    "403": "forbidden",
    "404": "notFound",
    "413": "payloadTooLarge",
    "415": "unsupportedMediaType",
    "429": "tooManyRequests",
    "500": "internalServerError",
    "503": "serviceUnavailable",
}

# The request and response examples the seeds contain: (component section, component, example
# name, source document). 000: request + 200; 001: body shape + request + 200 + 207; 002:
# request + 200; 003: body shape + request + 200.
SEED_EXAMPLES = [
    ("requestBodies", "inviteRequestBody", "v1_0_older_request", "v1.0 reference (older revision)"),
    ("responses", "inviteSuccess", "v1_0_older_response", "v1.0 reference (older revision)"),
    ("requestBodies", "inviteRequestBody", "beta_request_body_shape", "beta reference"),
    ("requestBodies", "inviteRequestBody", "beta_request", "beta reference"),
    ("responses", "inviteSuccess", "beta_response", "beta reference"),
    ("responses", "invitePartialSuccess", "beta_partial_success", "beta reference"),
    (
        "requestBodies",
        "inviteRequestBody",
        "beta_stub_request",
        "beta reference stub (auto-generated)",
    ),
    ("responses", "inviteSuccess", "beta_stub_response", "beta reference stub (auto-generated)"),
    (
        "requestBodies",
        "inviteRequestBody",
        "v1_0_current_request_body_shape",
        "v1.0 reference (current)",
    ),
    ("requestBodies", "inviteRequestBody", "v1_0_current_request", "v1.0 reference (current)"),
    ("responses", "inviteSuccess", "v1_0_current_response", "v1.0 reference (current)"),
]

# Keywords a schema in this spec may use (the generator compiles only these).
ALLOWED_SCHEMA_KEYWORDS = {
    "type",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "enum",
    "const",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "anyOf",
    "oneOf",
    "allOf",
    "$ref",
    "description",
    "title",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
}
ALLOWED_FORMATS = {"date-time", "email", "uri", "uuid"}


# --------------------------------------------------------------------------------------------
# Loading


class _StrictJsonLoader(yaml.SafeLoader):
    """SafeLoader that yields JSON types only (no timestamps) and refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictJsonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@cache
def spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


@cache
def load_spec() -> dict[str, Any]:
    data = yaml.load(spec_text(), Loader=_StrictJsonLoader)  # a SafeLoader subclass
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return load_spec()


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/...`) until a non-reference node."""
    while isinstance(node, dict) and "$ref" in node:
        pointer = node["$ref"]
        assert pointer.startswith("#/"), f"only local references are expected: {pointer}"
        node = spec
        for token in pointer[2:].split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) for every operation of the spec."""
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


# --------------------------------------------------------------------------------------------
# Schema validation helpers


_URI = r"[A-Za-z][A-Za-z0-9+.\-]*:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*"


def _is_uri(value: object) -> bool:
    """RFC 3986 absolute URI: a scheme, then only URI characters (no spaces, no non-ASCII)."""
    if not isinstance(value, str):
        return True
    return re.fullmatch(_URI, value) is not None


@cache
def format_checker() -> FormatChecker:
    checker = FormatChecker()
    # jsonschema checks "uri" only when an optional RFC 3987 package is installed; the venv has
    # none, so the test supplies its own check rather than letting `format: uri` pass silently.
    if "uri" not in checker.checkers:
        checker.checks("uri")(_is_uri)
    return checker


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    """A 2020-12 validator for `schema`, whose `#/components/...` references resolve in the spec."""
    wrapper = {"allOf": [schema], "components": load_spec()["components"]}
    return Draft202012Validator(wrapper, format_checker=format_checker())


def component_validator(name: str) -> Draft202012Validator:
    return validator_for({"$ref": f"#/components/schemas/{name}"})


def errors(name: str, instance: Any) -> list[str]:
    return [error.message for error in component_validator(name).iter_errors(instance)]


# --------------------------------------------------------------------------------------------
# 1. A valid OpenAPI 3.1 document


def test_spec_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"] == "3.1.0"
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_spec_is_plain_json_data() -> None:
    # Plain YAML loading must give the same data as JSON-only loading: no value may turn into a
    # timestamp or other non-JSON type, which the generator's loader would read differently.
    assert yaml.safe_load(spec_text()) == load_spec()
    assert json.loads(json.dumps(load_spec())) == load_spec()
    assert "\t" not in spec_text()


def test_info_servers_and_tags(spec: dict[str, Any]) -> None:
    info = spec["info"]
    assert info["title"]
    assert re.fullmatch(
        r"\d+\.\d+\.\d+", info["version"]
    ), "info.version is semver (the version gate reads it)"
    for phrase in ("x-graph-sources", "x-graph-versions", "beta reference stub (auto-generated)"):
        assert phrase in info["description"]
    assert spec["servers"] == [{"url": V1, "description": spec["servers"][0].get("description")}]
    declared_tags = {tag["name"] for tag in spec["tags"]}
    used_tags = {tag for _, _, operation in iter_operations(spec) for tag in operation["tags"]}
    assert used_tags <= declared_tags


def test_required_components_exist(spec: dict[str, Any]) -> None:
    components = spec["components"]
    assert components["schemas"].keys() >= REQUIRED_SCHEMAS
    assert set(EXPECTED_RESPONSES.values()) <= components["responses"].keys()
    assert "inviteRequestBody" in components["requestBodies"]


def test_security_scheme(spec: dict[str, Any]) -> None:
    scheme = spec["components"]["securitySchemes"]["oauth2"]
    assert scheme["type"] == "oauth2"
    delegated = scheme["flows"]["authorizationCode"]["scopes"]
    application = scheme["flows"]["clientCredentials"]["scopes"]
    assert set(delegated) == {
        "Files.Read",
        "Files.Read.All",
        "Sites.Read.All",
        "Files.ReadWrite",
        "Files.ReadWrite.All",
        "Sites.ReadWrite.All",
    }
    assert set(application) == {
        "Files.Read.All",
        "Sites.Read.All",
        "Files.ReadWrite.All",
        "Sites.ReadWrite.All",
    }
    assert "TODO" in scheme["description"]  # the stub's missing scopes are called out


# --------------------------------------------------------------------------------------------
# 2. Examples


def iter_media_examples(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any], Any]]:
    """(id, schema, example value) for every example of every request body and response."""
    containers: list[tuple[str, Any]] = []
    components = spec["components"]
    for name, body in components.get("requestBodies", {}).items():
        containers.append((f"requestBodies/{name}", body))
    for name, response in components.get("responses", {}).items():
        containers.append((f"responses/{name}", response))
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            if "requestBody" in operation:
                containers.append((f"{path} {method} requestBody", operation["requestBody"]))
            for status, response in operation.get("responses", {}).items():
                containers.append((f"{path} {method} {status}", response))
    for where, container in containers:
        if "$ref" in container:
            continue  # checked where it is defined
        for media_type, media in container.get("content", {}).items():
            schema = media.get("schema")
            if "example" in media:
                yield f"{where} {media_type} example", schema, media["example"]
            for name, example in media.get("examples", {}).items():
                yield f"{where} {media_type} {name}", schema, resolve(spec, example)["value"]


ALL_EXAMPLES = list(iter_media_examples(load_spec()))


@pytest.mark.parametrize(
    ("schema", "value"),
    [pytest.param(schema, value, id=name) for name, schema, value in ALL_EXAMPLES],
)
def test_example_validates_against_its_schema(schema: dict[str, Any], value: Any) -> None:
    assert schema is not None, "an example needs a schema to validate against"
    problems = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator_for(schema).iter_errors(value)
    ]
    assert problems == []


@pytest.mark.parametrize(
    ("section", "component", "name", "source"),
    [pytest.param(*example, id=example[2]) for example in SEED_EXAMPLES],
)
def test_seed_example_is_attached(
    spec: dict[str, Any], section: str, component: str, name: str, source: str
) -> None:
    examples = spec["components"][section][component]["content"]["application/json"]["examples"]
    assert name in examples
    assert examples[name]["summary"].startswith(f"{source},"), "summary must name the source"


def test_example_count_covers_the_seeds() -> None:
    assert len(ALL_EXAMPLES) >= len(SEED_EXAMPLES)


def test_error_examples_use_zone_less_dates(spec: dict[str, Any]) -> None:
    dates = [
        example["value"]["error"]["innerError"]["date"]
        for response in spec["components"]["responses"].values()
        if "content" in response
        if response["content"]["application/json"]["schema"]["$ref"].endswith("/odataError")
        for example in response["content"]["application/json"].get("examples", {}).values()
    ]
    assert dates, "at least one error response needs an example"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", date) for date in dates)


# --------------------------------------------------------------------------------------------
# 3. Paths


def parse_seed_paths() -> list[tuple[str, str, str]]:
    """(document name, API version, path as the seed spells it) for each line of the data file."""
    entries: list[tuple[str, str, str]] = []
    source: tuple[str, str] | None = None
    for raw in SEED_PATHS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# source:"):
            _seed, name, version = (part.strip() for part in line[len("# source:") :].split("|"))
            assert version in SERVER_FOR_VERSION
            source = (name, version)
        elif line and not line.startswith("#"):
            assert source is not None, f"path before any '# source:' header: {line}"
            assert line.startswith("/"), line
            entries.append((*source, line))
    return entries


SEED_PATH_ENTRIES = parse_seed_paths()


def normalise_parameter(name: str) -> str:
    kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()
    return KEBAB_TO_V1.get(kebab, kebab)


def normalise_path(path: str) -> str:
    """Seed spelling -> v1.0 style; a repeated parameter gets Graph's suffix (`item-id1`)."""
    counts: dict[str, int] = {}

    def rename(match: re.Match[str]) -> str:
        name = normalise_parameter(match.group(1))
        seen = counts.get(name, 0)
        counts[name] = seen + 1
        return "{" + name + (str(seen) if seen else "") + "}"

    return re.sub(r"\{([^{}]+)\}", rename, path)


def expected_operation_id(path: str) -> str:
    words = []
    for segment in path.strip("/").split("/"):
        if segment.startswith("{"):
            continue
        word = segment.removeprefix("microsoft.graph.")
        words.append(re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", word).lower())
    return "_".join(words)


def seed_sources_by_path() -> dict[str, list[tuple[str, str]]]:
    by_path: dict[str, list[tuple[str, str]]] = {}
    for name, version, raw in SEED_PATH_ENTRIES:
        sources = by_path.setdefault(normalise_path(raw), [])
        if (name, version) not in sources:
            sources.append((name, version))
    return by_path


def test_normalisation_rule() -> None:
    assert normalise_path("/sites/{siteId}/drive/items/{itemId}/invite") == (
        "/sites/{site-id}/drive/items/{item-id}/invite"
    )
    assert normalise_path("/me/drive/following/{driveItemId}/children/{driveItemId}/invite") == (
        "/me/drive/following/{item-id}/children/{item-id1}/invite"
    )
    assert expected_operation_id("/drives/{drive-id}/items/{item-id}/invite") == (
        "drives_items_invite"
    )
    assert expected_operation_id(
        "/me/followedSites/{site-id}/items/{base-item-id}/microsoft.graph.sharedDriveItem/root/invite"
    ) == ("me_followed_sites_items_shared_drive_item_root_invite")


def test_seed_path_file_is_complete() -> None:
    documents = {name for name, _, _ in SEED_PATH_ENTRIES}
    assert len(documents) == 4
    assert len(SEED_PATH_ENTRIES) == 33  # 4 + 5 + 19 + 5 lines in the seeds' HTTP request sections


@pytest.mark.parametrize(
    ("document", "raw_path"),
    [pytest.param(name, raw, id=f"{name}: {raw}") for name, _, raw in SEED_PATH_ENTRIES],
)
def test_seed_path_is_in_spec(spec: dict[str, Any], document: str, raw_path: str) -> None:
    path = normalise_path(raw_path)
    parameters = set(re.findall(r"\{([^{}]+)\}", path))
    assert parameters <= V1_PARAMETER_NAMES, f"unexpected parameter names in {path}"
    assert path in spec["paths"], f"{raw_path} ({document}) is missing as {path}"
    assert document in spec["paths"][path]["x-graph-sources"]


def test_spec_has_no_paths_the_seeds_or_pages_do_not_name(spec: dict[str, Any]) -> None:
    assert set(spec["paths"]) == set(seed_sources_by_path()) | set(page_sources_by_path())


@pytest.mark.parametrize("path", sorted(seed_sources_by_path()))
def test_path_item(spec: dict[str, Any], path: str) -> None:
    item = spec["paths"][path]
    sources = seed_sources_by_path()[path]

    # x-graph-sources: the documents that name the path, in seed order.
    assert item["x-graph-sources"] == [name for name, _ in sources]

    # Path-level servers: v1.0 when a v1.0 document names it, beta when a beta one does.
    versions = {version for _, version in sources}
    expected_servers = [SERVER_FOR_VERSION[v] for v in ("v1.0", "beta") if v in versions]
    assert [server["url"] for server in item["servers"]] == expected_servers

    # Only POST.
    assert {key for key in item if key in HTTP_METHODS} == {"post"}
    operation = item["post"]
    assert operation["operationId"] == expected_operation_id(path)

    # Path parameters: declared once, at path level, exactly the template's names.
    template_names = re.findall(r"\{([^{}]+)\}", path)
    declared = item.get("parameters", [])
    assert [parameter["name"] for parameter in declared] == template_names
    for parameter in declared:
        assert parameter["in"] == "path"
        assert parameter["required"] is True
        assert parameter["schema"] == {"type": "string"}
        assert parameter["description"].strip()
    assert not [p for p in operation.get("parameters", []) if resolve(spec, p)["in"] == "path"]


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in iter_operations(spec)]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("path", sorted(seed_sources_by_path()))
def test_operation_shape(spec: dict[str, Any], path: str) -> None:
    operation = spec["paths"][path]["post"]
    assert operation["summary"] == "Send a sharing invitation"
    assert operation["description"].strip()
    assert operation["tags"]
    scopes = spec["components"]["securitySchemes"]["oauth2"]["flows"]
    known_scopes = {scope for flow in scopes.values() for scope in flow["scopes"]}
    assert operation["security"]
    for requirement in operation["security"]:
        assert set(requirement) == {"oauth2"}
        assert set(requirement["oauth2"]) <= known_scopes
    assert operation["requestBody"] == {"$ref": "#/components/requestBodies/inviteRequestBody"}
    assert operation["responses"] == {
        status: {"$ref": f"#/components/responses/{name}"}
        for status, name in EXPECTED_RESPONSES.items()
    }


# --------------------------------------------------------------------------------------------
# 3b. The sharing paths beside invite, as the Graph reference pages name them


def parse_page_paths() -> list[tuple[str, str, str, str]]:
    """(page name, API version, method, path as the page spells it) for each line of the file."""
    entries: list[tuple[str, str, str, str]] = []
    source: tuple[str, str] | None = None
    for raw in GRAPH_PATHS_FILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("# page:"):
            _file, name, version = (part.strip() for part in line[len("# page:") :].split("|"))
            assert version in SERVER_FOR_VERSION
            source = (name, version)
        elif line and not line.startswith("#"):
            assert source is not None, f"path before any '# page:' header: {line}"
            method, path = line.split(" ")
            assert method.lower() in HTTP_METHODS and path.startswith("/"), line
            entries.append((*source, method.lower(), path))
    return entries


PAGE_PATH_ENTRIES = parse_page_paths()


def page_sources_by_path() -> dict[str, list[tuple[str, str]]]:
    by_path: dict[str, list[tuple[str, str]]] = {}
    for name, version, _method, raw in PAGE_PATH_ENTRIES:
        sources = by_path.setdefault(normalise_path(raw), [])
        if (name, version) not in sources:
            sources.append((name, version))
    return by_path


# Per kind of sharing operation: the responses it lists (by component name), its scopes.
READ_SCOPES = {
    "Files.Read",
    "Files.ReadWrite",
    "Files.Read.All",
    "Files.ReadWrite.All",
    "Sites.Read.All",
    "Sites.ReadWrite.All",
}
WRITE_SCOPES = {"Files.ReadWrite", "Files.ReadWrite.All", "Sites.ReadWrite.All"}
READ_ERRORS = {
    "400": "badRequest",
    "401": "unauthorized",
    "403": "forbidden",
    "404": "notFound",
    "429": "tooManyRequests",
    "500": "internalServerError",
    "503": "serviceUnavailable",
}
BODY_ERRORS = READ_ERRORS | {"413": "payloadTooLarge", "415": "unsupportedMediaType"}
PRECONDITION = {"412": "preconditionFailed"}
SHARING_KINDS: dict[str, tuple[dict[str, str], set[str], list[str]]] = {
    # suffix of the operationId: (responses, scopes, parameter components)
    "list_permissions": (
        {"200": "permissionList", "304": "notModified"} | READ_ERRORS,
        READ_SCOPES,
        ["select", "ifNoneMatch"],
    ),
    "get_permission": ({"200": "permissionItem"} | READ_ERRORS, READ_SCOPES, ["select"]),
    "update_permission": (
        {"200": "permissionItem"} | BODY_ERRORS | PRECONDITION,
        WRITE_SCOPES,
        ["ifMatch"],
    ),
    "delete_permission": (
        {"204": "noContent"} | READ_ERRORS | PRECONDITION,
        WRITE_SCOPES,
        ["ifMatch"],
    ),
    "create_link": (
        {"200": "createLinkExisting", "201": "createLinkCreated"} | BODY_ERRORS,
        WRITE_SCOPES,
        [],
    ),
    "permission_grant": ({"200": "grantSuccess"} | BODY_ERRORS, WRITE_SCOPES, []),
}
REQUEST_BODY_FOR_KIND = {
    "update_permission": "permissionUpdateRequestBody",
    "create_link": "createLinkRequestBody",
    "permission_grant": "grantRequestBody",
}


def test_page_path_file_is_complete() -> None:
    pages = {name for name, _, _, _ in PAGE_PATH_ENTRIES}
    assert len(pages) == 12  # six pages, v1.0 and beta
    assert len(PAGE_PATH_ENTRIES) == 6 * 2 + 5 * 2 * 4 + 1 * 2


@pytest.mark.parametrize(
    ("page", "version", "method", "raw_path"),
    [pytest.param(*entry, id=f"{entry[0]}: {entry[2]} {entry[3]}") for entry in PAGE_PATH_ENTRIES],
)
def test_page_path_is_in_spec(
    spec: dict[str, Any], page: str, version: str, method: str, raw_path: str
) -> None:
    path = normalise_path(raw_path)
    assert set(re.findall(r"\{([^{}]+)\}", path)) <= V1_PARAMETER_NAMES, path
    item = spec["paths"][path]
    assert method in item, f"{method.upper()} {raw_path} ({page}) is missing"
    assert page in item["x-graph-sources"]
    assert SERVER_FOR_VERSION[version] in [server["url"] for server in item["servers"]]


@pytest.mark.parametrize("path", sorted(page_sources_by_path()))
def test_sharing_path_item(spec: dict[str, Any], path: str) -> None:
    item = spec["paths"][path]
    sources = page_sources_by_path()[path]
    assert item["x-graph-sources"] == [name for name, _ in sources]
    versions = {version for _, version in sources}
    expected_servers = [SERVER_FOR_VERSION[v] for v in ("v1.0", "beta") if v in versions]
    assert [server["url"] for server in item["servers"]] == expected_servers
    documented = {method for _, _, method, raw in PAGE_PATH_ENTRIES if normalise_path(raw) == path}
    assert {key for key in item if key in HTTP_METHODS} == documented
    template_names = re.findall(r"\{([^{}]+)\}", path)
    assert [parameter["name"] for parameter in item["parameters"]] == template_names
    for parameter in item["parameters"]:
        assert parameter["in"] == "path" and parameter["required"] is True
        assert parameter["schema"] == {"type": "string"}
        assert parameter["description"].strip()


@pytest.mark.parametrize("path", sorted(page_sources_by_path()))
def test_sharing_operation_shape(spec: dict[str, Any], path: str) -> None:
    for method, operation in spec["paths"][path].items():
        if method not in HTTP_METHODS:
            continue
        kind = next(k for k in SHARING_KINDS if operation["operationId"].endswith("_" + k))
        responses, scopes, parameters = SHARING_KINDS[kind]
        assert operation["responses"] == {
            status: {"$ref": f"#/components/responses/{name}"} for status, name in responses.items()
        }
        assert {
            scope for requirement in operation["security"] for scope in requirement["oauth2"]
        } == scopes
        assert operation.get("parameters", []) == [
            {"$ref": f"#/components/parameters/{name}"} for name in parameters
        ]
        body = REQUEST_BODY_FOR_KIND.get(kind)
        expected_body = {"$ref": f"#/components/requestBodies/{body}"} if body else None
        assert operation.get("requestBody") == expected_body
        assert operation["summary"].strip() and operation["description"].strip()


def test_every_family_has_every_permission_operation(spec: dict[str, Any]) -> None:
    families = {
        "/drives/{drive-id}/items/{item-id}",
        "/groups/{group-id}/drive/items/{item-id}",
        "/me/drive/items/{item-id}",
        "/sites/{site-id}/drive/items/{item-id}",
        "/users/{user-id}/drive/items/{item-id}",
    }
    for family in families:
        paths = spec["paths"]
        assert set(paths[family + "/permissions"]) >= {"get"}
        assert {"get", "patch", "delete"} <= set(paths[family + "/permissions/{perm-id}"])
        assert "post" in paths[family + "/createLink"]
        assert "post" in paths[family + "/invite"]


def test_actions_carry_their_qualified_name(spec: dict[str, Any]) -> None:
    actions = 0
    for path, method, operation in iter_operations(spec):
        last = path.rsplit("/", 1)[1]
        if method == "post":
            assert operation["x-graph-qualified-name"] == f"microsoft.graph.{last}", path
            actions += 1
        else:
            assert "x-graph-qualified-name" not in operation, path
    assert actions == len(seed_sources_by_path()) + 5 + 1


def test_path_based_addressing_parameter_is_multi_segment(spec: dict[str, Any]) -> None:
    parameter = spec["paths"]["/me/drive/root:/{path}:/permissions"]["parameters"][0]
    assert parameter["name"] == "path" and parameter["x-multi-segment"] is True
    flagged = [
        (path, p["name"])
        for path, item in spec["paths"].items()
        for p in item.get("parameters", [])
        if p.get("x-multi-segment")
    ]
    assert flagged == [("/me/drive/root:/{path}:/permissions", "path")]


def test_query_and_header_parameters(spec: dict[str, Any]) -> None:
    parameters = spec["components"]["parameters"]
    assert parameters["select"]["name"] == "$select" and parameters["select"]["in"] == "query"
    assert parameters["select"]["schema"]["type"] == "array"
    assert (parameters["select"]["style"], parameters["select"]["explode"]) == ("form", False)
    for name, header in (("ifMatch", "If-Match"), ("ifNoneMatch", "If-None-Match")):
        assert parameters[name]["in"] == "header" and parameters[name]["name"] == header
        assert parameters[name]["required"] is False


@pytest.mark.parametrize("name", ["noContent", "notModified"])
def test_bodiless_responses_have_no_content(spec: dict[str, Any], name: str) -> None:
    assert "content" not in spec["components"]["responses"][name]


def test_enum_versions_cover_every_value(spec: dict[str, Any]) -> None:
    link_type = spec["components"]["schemas"]["sharingLinkType"]
    assert set(link_type["x-enum-versions"]) == set(link_type["enum"])
    assert set(link_type["x-enum-descriptions"]) == set(link_type["enum"])
    v1 = [value for value in link_type["enum"] if "v1.0" in link_type["x-enum-versions"][value]]
    assert v1 == ["view", "edit", "embed"]


def test_every_graph_sharing_link_property_is_described(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["sharingLink"]["properties"]
    assert properties.keys() >= {
        "application",
        "configuratorUrl",
        "preventsDownload",
        "scope",
        "type",
        "webHtml",
        "webUrl",
    }
    assert properties["configuratorUrl"]["x-graph-versions"] == ["beta"]


@pytest.mark.parametrize("response", ["tooManyRequests", "serviceUnavailable"])
def test_retry_after_header(spec: dict[str, Any], response: str) -> None:
    header = resolve(spec, spec["components"]["responses"][response]["headers"]["Retry-After"])
    assert header["schema"]["type"] == "string"
    assert "seconds" in header["description"]
    assert "HTTP-date" in header["description"]


# --------------------------------------------------------------------------------------------
# Schema style


def iter_schemas(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object under `node` (itself a schema), with a JSON-pointer-like location."""
    if not isinstance(node, dict):
        return
    yield where, node
    for key in ("properties",):
        for name, child in node.get(key, {}).items():
            yield from iter_schemas(child, f"{where}/{key}/{name}")
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            yield from iter_schemas(node[key], f"{where}/{key}")
    for key in ("anyOf", "oneOf", "allOf"):
        for index, child in enumerate(node.get(key, [])):
            yield from iter_schemas(child, f"{where}/{key}/{index}")


def all_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    components = spec["components"]
    for name, schema in components["schemas"].items():
        yield from iter_schemas(schema, f"#/components/schemas/{name}")
    for name, header in components.get("headers", {}).items():
        yield from iter_schemas(header["schema"], f"#/components/headers/{name}/schema")
    for section in ("requestBodies", "responses"):
        for name, container in components.get(section, {}).items():
            for media_type, media in container.get("content", {}).items():
                where = f"#/components/{section}/{name}/content/{media_type}/schema"
                yield from iter_schemas(media["schema"], where)
    for path, item in spec["paths"].items():
        for index, parameter in enumerate(item.get("parameters", [])):
            yield from iter_schemas(parameter["schema"], f"{path}/parameters/{index}/schema")
    for name, parameter in components.get("parameters", {}).items():
        yield from iter_schemas(parameter["schema"], f"#/components/parameters/{name}/schema")


def test_schemas_use_only_allowed_keywords(spec: dict[str, Any]) -> None:
    problems = []
    for where, schema in all_schemas(spec):
        unknown = {k for k in schema if k not in ALLOWED_SCHEMA_KEYWORDS and not k.startswith("x-")}
        if unknown:
            problems.append(f"{where}: {sorted(unknown)}")
        if "format" in schema and schema["format"] not in ALLOWED_FORMATS:
            problems.append(f"{where}: format {schema['format']!r}")
    assert problems == []


def test_open_enums_use_the_any_of_pattern(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    roles_items = schemas["permission"]["properties"]["roles"]["items"]
    open_enums = {
        "permission.roles[]": (roles_items, "permissionRole"),
        "sharingLink.type": (schemas["sharingLink"]["properties"]["type"], "sharingLinkType"),
        "sharingLink.scope": (schemas["sharingLink"]["properties"]["scope"], "sharingLinkScope"),
    }
    for where, (schema, enum_name) in open_enums.items():
        expected = [{"$ref": f"#/components/schemas/{enum_name}"}, {"type": "string"}]
        assert schema["anyOf"] == expected, where
    # Requests stay strict.
    request_roles = schemas["inviteRequest"]["properties"]["roles"]["items"]
    assert request_roles == {"$ref": "#/components/schemas/permissionRole"}
    assert schemas["permissionRole"]["enum"] == ["read", "write", "owner"]


def test_request_properties_say_which_versions_document_them(spec: dict[str, Any]) -> None:
    properties = spec["components"]["schemas"]["inviteRequest"]["properties"]
    assert properties.keys() >= {
        "recipients",
        "message",
        "requireSignIn",
        "sendInvitation",
        "roles",
        "expirationDateTime",
        "password",
        "retainInheritedPermissions",
    }
    for name, schema in properties.items():
        versions = schema["x-graph-versions"]
        assert versions, name
        assert set(versions) <= {"v1.0", "beta"}, name
        assert schema["description"].strip(), name
    assert "format" not in properties["expirationDateTime"]


def test_request_objects_are_closed_and_response_objects_open(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in REQUEST_SCHEMAS:
        assert schemas[name]["additionalProperties"] is False, name
    response_objects = REQUIRED_SCHEMAS - REQUEST_SCHEMAS - ENUM_SCHEMAS
    for name in response_objects:
        assert "additionalProperties" not in schemas[name], name


# --------------------------------------------------------------------------------------------
# 4. The schemas bite


def valid_request(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "recipients": [{"email": "ryan@contoso.com"}],
        "message": "Here's the file that we're collaborating on.",
        "requireSignIn": True,
        "sendInvitation": True,
        "roles": ["write"],
    }
    body.update(changes)
    return body


def test_format_checker_is_live() -> None:
    checker = format_checker()
    for name in ("date-time", "email", "uri"):
        assert name in checker.checkers, f"format {name!r} would not be checked"
    assert not checker.conforms("2024-05-01T10:00:00", "date-time")  # no zone: not RFC 3339
    assert not checker.conforms("not a uri", "uri")


def test_valid_request_is_accepted() -> None:
    assert errors("inviteRequest", valid_request()) == []


def test_message_of_2000_characters_is_accepted() -> None:
    assert errors("inviteRequest", valid_request(message="x" * 2000)) == []


def test_message_of_2001_characters_is_rejected() -> None:
    assert errors("inviteRequest", valid_request(message="x" * 2001))


def test_null_message_is_accepted() -> None:
    assert errors("inviteRequest", valid_request(message=None)) == []


def test_empty_recipients_are_rejected() -> None:
    assert errors("inviteRequest", valid_request(recipients=[]))


def test_missing_recipients_are_rejected() -> None:
    body = valid_request()
    del body["recipients"]
    assert errors("inviteRequest", body)


def test_unknown_request_property_is_rejected() -> None:
    assert errors("inviteRequest", valid_request(notifyEveryone=True))


@pytest.mark.parametrize(
    "recipient",
    [
        pytest.param({}, id="no email, alias or objectId"),
        pytest.param({"@odata.type": "microsoft.graph.driveRecipient"}, id="only @odata.type"),
        pytest.param({"email": "ryan@contoso.com", "displayName": "Ryan"}, id="unknown property"),
        pytest.param({"email": "not-an-email"}, id="bad email"),
        pytest.param({"email": None}, id="null email"),
    ],
)
def test_bad_recipient_is_rejected(recipient: dict[str, Any]) -> None:
    assert errors("inviteRequest", valid_request(recipients=[recipient]))


@pytest.mark.parametrize("role", ["admin", "Roles value", "read | write", "sp.full control"])
def test_unknown_request_role_is_rejected(role: str) -> None:
    assert errors("inviteRequest", valid_request(roles=[role]))


@pytest.mark.parametrize("role", ["read", "write", "owner"])
def test_documented_request_role_is_accepted(role: str) -> None:
    assert errors("inviteRequest", valid_request(roles=[role])) == []


def test_request_expiration_has_no_date_time_format() -> None:
    # Graph types it as a plain string: even a zone-less timestamp goes through.
    body = valid_request(expirationDateTime="2018-07-15T14:00:00", password="password123")
    assert errors("inviteRequest", body) == []


def test_response_permission_with_unknown_role_and_property_is_accepted() -> None:
    permission = {
        "id": "CCFC7CA3-7A19-4D57-8CEF-149DB9DDFA62",
        "roles": ["write", "sp.full control"],
        "futureProperty": {"anything": [1, 2, 3]},
        "link": {"type": "blocksDownload", "scope": "tenantOnly", "newLinkField": True},
        "grantedToV2": {"siteUser": {"id": "1", "loginName": "i:0#.f|membership|r@contoso.com"}},
    }
    assert errors("permission", permission) == []
    assert errors("inviteResponse", {"value": [permission], "@odata.extra": 1}) == []


def test_response_permission_with_bad_expiration_is_rejected() -> None:
    assert errors("permission", {"id": "1", "expirationDateTime": "tomorrow"})


def test_response_without_value_is_rejected() -> None:
    assert errors("inviteResponse", {"@odata.context": "x"})


def test_partial_success_error_with_unknown_inner_code_is_accepted() -> None:
    permission = {
        "id": "1EFG7CA3-7A19-4D57-8CEF-149DB9DDFA62",
        "roles": ["write"],
        "error": {
            "code": "notAllowed",
            "message": "Sending failed.",
            "innererror": {"code": "someFutureCode", "detail": "new"},
        },
    }
    assert errors("permission", permission) == []


@pytest.mark.parametrize("date", ["2024-05-01T10:00:00", "2024-05-01T10:00:00.1234567"])
def test_odata_error_with_zone_less_date_is_accepted(date: str) -> None:
    body = {
        "error": {
            "code": "itemNotFound",
            "message": "The resource could not be found.",
            "innerError": {"date": date, "request-id": "a", "client-request-id": "b"},
        }
    }
    assert errors("odataError", body) == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"error": {"message": "no code"}}, id="missing code"),
        pytest.param({"error": {"code": "x"}}, id="missing message"),
        pytest.param({}, id="missing error"),
        pytest.param(
            {"error": {"code": "x", "message": "y", "innerError": {"date": "yesterday"}}},
            id="bad date",
        ),
    ],
)
def test_bad_odata_error_is_rejected(body: dict[str, Any]) -> None:
    assert errors("odataError", body)


def test_permission_update_accepts_roles_or_expiration() -> None:
    assert errors("permissionUpdate", {"roles": ["read"]}) == []
    assert errors("permissionUpdate", {"expirationDateTime": "2026-12-31T23:59:59Z"}) == []
    assert errors("permissionUpdate", {"expirationDateTime": None}) == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"roles": ["admin"]}, id="unknown role"),
        pytest.param({"roles": []}, id="no roles"),
        pytest.param({"roles": ["read"], "link": {}}, id="unknown property"),
        pytest.param({"expirationDateTime": "tomorrow"}, id="bad expiration"),
    ],
)
def test_bad_permission_update_is_rejected(body: dict[str, Any]) -> None:
    assert errors("permissionUpdate", body)


@pytest.mark.parametrize(
    "link_type",
    [
        "view",
        "edit",
        "embed",
        "review",
        "blocksDownload",
        "createOnly",
        "addressBar",
        "adminDefault",
    ],
)
def test_documented_link_type_is_accepted(link_type: str) -> None:
    assert errors("createLinkRequest", {"type": link_type, "scope": "users"}) == []


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"type": "bogus"}, id="unknown type"),
        pytest.param({"scope": "existingAccess"}, id="scope createLink does not accept"),
        pytest.param({"type": "view", "message": "hi"}, id="unknown property"),
        pytest.param({"recipients": [{}]}, id="recipient without email, alias or objectId"),
    ],
)
def test_bad_create_link_request_is_rejected(body: dict[str, Any]) -> None:
    assert errors("createLinkRequest", body)


def test_create_link_without_type_or_scope_is_accepted() -> None:
    # The organization's default link (beta remark).
    assert errors("createLinkRequest", {}) == []


def test_grant_request() -> None:
    assert errors("grantRequest", {"recipients": [{"email": "john@contoso.com"}]}) == []
    assert errors("grantRequest", {"recipients": []})
    assert errors("grantRequest", {"roles": ["read"]})
    assert errors("grantRequest", {"recipients": [{"alias": "a"}], "roles": ["read | write"]})


def test_permission_collection_is_open() -> None:
    body = {"value": [{"id": "1", "link": {"configuratorUrl": "x", "newField": 1}}], "extra": 1}
    assert errors("permissionCollection", body) == []
    assert errors("permissionCollection", {"@odata.context": "x"})
