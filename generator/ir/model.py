"""IR dataclasses: what the emitters render. Frozen, fully named, no spec text left to interpret.

The builders that turn a resolved spec into these live in `ir_build.py`; this module only describes
the shapes (as openapi-python-client's `parser/properties/protocol.py` does) and the small pieces of
code text that follow from a type (`type_hint`, `decode`, `encode`), so templates never decide.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from packaging.version import Version

from generator.errors import SpecError
from generator.names import constant_name

# The kinds a TypeRef can have, with the Python type hint each stands for.
_SCALAR_HINTS = {
    "string": "str",
    "integer": "int",
    "number": "float",
    "boolean": "bool",
    "datetime": "DateTimeText",
    "any": "Any",
    "object": "dict[str, Any]",
    "bytes": "bytes",
    "text": "str",
    # A `format: binary` string: its text in JSON, or the octets a multipart file part sends.
    "binary": "bytes | str",
}
# Kinds whose JSON value is also their Python value: decoding and encoding are the identity.
IDENTITY_KINDS = frozenset(
    {"string", "integer", "number", "boolean", "any", "object", "bytes", "text", "binary"}
)


def model_decoder_name(class_name: str) -> str:
    """The models module's function turning valid JSON into an instance of `class_name`: a plain
    function (not a classmethod) because a global function call skips binding a method."""
    return f"_decode_{class_name}"


def enum_members_name(class_name: str) -> str:
    """The models module's `{value: member}` dict for an open enum: a dict lookup costs a tenth
    of `EnumType.__call__`, and far less than its exception for an unknown value."""
    return f"_{constant_name(class_name)}_BY_VALUE"


@dataclass(frozen=True)
class TypeRef:
    """The Python type of one JSON value: a scalar, a model, an enum, a list of something, or Any."""

    kind: str
    nullable: bool = False
    item: TypeRef | None = None
    target: str = ""
    open: bool = False
    union: Union | None = None
    # An enum's value type, its class's mixin: `str`, `int`, or `` (a plain `Enum` whose members
    # hold JSON values of several types, or numbers).
    enum_base: str = "str"

    @property
    def base_hint(self) -> str:
        """The hint without `| None`: `str`, `list[Permission]`, `PermissionRole | str`."""
        if self.kind == "array":
            assert self.item is not None
            return f"list[{self.item.type_hint}]"
        if self.kind == "map":
            assert self.item is not None
            return f"dict[str, {self.item.type_hint}]"
        if self.kind == "union":
            assert self.union is not None
            return self.union.hint
        if self.kind == "enum":
            return f"{self.target} | {self.enum_base}" if self.open else self.target
        if self.kind == "model":
            return self.target
        return _SCALAR_HINTS[self.kind]

    @property
    def type_hint(self) -> str:
        """The full hint, `| None` added when JSON null is allowed."""
        return f"{self.base_hint} | None" if self.nullable else self.base_hint

    @property
    def is_identity(self) -> bool:
        """True when the JSON value is used as the Python value unchanged (and back)."""
        if self.kind in ("array", "map"):
            assert self.item is not None
            return self.item.is_identity
        return self.kind in IDENTITY_KINDS

    def decode(self, expression: str, depth: int = 0) -> str:
        """Python expression turning valid JSON at `expression` (not null) into the field value."""
        if self.kind == "array":
            assert self.item is not None
            variable = f"item{depth}"
            inner = self.item.decode_nullable(variable, depth + 1)
            if self.item.kind == "model" and not self.item.nullable:
                # `map` calls the decoder from C: one Python frame per nesting level instead of
                # two, so recursive models parse as deep as the validator accepts (512 levels).
                return f"list(map({model_decoder_name(self.item.target)}, {expression}))"
            return (
                expression if self.item.is_identity else f"[{inner} for {variable} in {expression}]"
            )
        if self.kind == "map":
            assert self.item is not None
            return self._map(expression, self.item.decode_nullable, depth)
        decoders = {
            "union": f"{self.union.decoder if self.union else ''}({{0}})",
            "datetime": "DateTimeText({0})",
            "model": f"{model_decoder_name(self.target)}({{0}})",
            "enum": (
                f"{enum_members_name(self.target)}.get({{0}}, {{0}})"
                if self.open
                else f"{self.target}({{0}})"
            ),
        }
        return decoders.get(self.kind, "{0}").format(expression)

    def decode_nullable(self, expression: str, depth: int = 0) -> str:
        """Like `decode`, passing JSON null through when the type allows it."""
        decoded = self.decode(expression, depth)
        if decoded == expression or not self.nullable:
            return decoded
        return f"None if {expression} is None else {decoded}"

    def encode(self, expression: str, depth: int = 0) -> str:
        """Python expression turning a field value (not None) back into its JSON value."""
        if self.kind == "array":
            assert self.item is not None
            variable = f"item{depth}"
            inner = self.item.encode_nullable(variable, depth + 1)
            if self.item.kind == "model" and not self.item.nullable:
                return f"list(map({self.item.target}.to_dict, {expression}))"
            return (
                expression if self.item.is_identity else f"[{inner} for {variable} in {expression}]"
            )
        if self.kind == "map":
            assert self.item is not None
            return self._map(expression, self.item.encode_nullable, depth)
        encoders = {
            "union": "json_value({})",
            "datetime": "str({})",
            "model": "{}.to_dict()",
            "enum": "enum_value({})" if self.open else "{}.value",
        }
        return encoders.get(self.kind, "{}").format(expression)

    def encode_nullable(self, expression: str, depth: int = 0) -> str:
        """Like `encode`, passing None through when the type allows it."""
        encoded = self.encode(expression, depth)
        if encoded == expression or not self.nullable:
            return encoded
        return f"None if {expression} is None else {encoded}"

    def _map(self, expression: str, convert: Callable[[str, int], str], depth: int) -> str:
        """`{key: convert(value) ...}` over a JSON object (the identity when values are plain)."""
        assert self.item is not None
        if self.item.is_identity:
            return expression
        key, value = f"key{depth}", f"value{depth}"
        return f"{{{key}: {convert(value, depth + 1)} for {key}, {value} in {expression}.items()}}"

    def children(self) -> tuple[TypeRef, ...]:
        """The types nested directly inside this one: an array's item, a union's members."""
        if self.union is not None:
            return tuple(branch.type for branch in self.union.branches)
        return (self.item,) if self.item is not None else ()

    def open_enums(self) -> frozenset[str]:
        """Enum class names this type decodes as open enums (through `enum_members_name`)."""
        own = frozenset({self.target}) if self.kind == "enum" and self.open else frozenset()
        return own.union(*(child.open_enums() for child in self.children()))

    def references(self) -> frozenset[str]:
        """Model and enum class names this type refers to."""
        own = frozenset({self.target}) if self.target else frozenset()
        return own.union(*(child.references() for child in self.children()))

    def unions(self) -> tuple[Union, ...]:
        """The unions this type decodes through, itself first, then nested ones."""
        own = (self.union,) if self.union is not None else ()
        return own + tuple(union for child in self.children() for union in child.unions())


@dataclass(frozen=True)
class UnionBranch:
    """One `oneOf`/`anyOf` member: its type, the validator telling whether data matches it, and
    the discriminator values that name it."""

    type: TypeRef
    check: str
    tags: tuple[str, ...] = ()
    # False for a subtype reached only through its tag (OpenAPI's allOf inheritance): data of
    # any subtype also matches the base schema, so only the base is tried without a tag.
    structural: bool = True


@dataclass(frozen=True)
class Union:
    """A `oneOf`/`anyOf` decoded by one function: the branch the discriminator property names,
    else the first branch whose schema the data matches."""

    name: str
    description: str
    branches: tuple[UnionBranch, ...]
    discriminator: str = ""
    # The branch schemas' validator entry points: (name, bundle pointer).
    entry_points: tuple[tuple[str, str], ...] = ()

    @property
    def decoder(self) -> str:
        """The models module's function turning valid JSON into one of the branch types."""
        return f"decode_{self.name}"

    @property
    def hint(self) -> str:
        """`Cat | Dog`: the branches' hints, each once (null is the union's `nullable`)."""
        return " | ".join(dict.fromkeys(branch.type.base_hint for branch in self.branches))


@dataclass(frozen=True)
class Field:
    """One model property: its wire name, Python name, type, and whether it must be present."""

    wire_name: str
    python_name: str
    type: TypeRef
    required: bool
    description: str
    pointer: str
    # writeOnly properties (the invitation password) are kept out of reprs and logs.
    secret: bool = False
    # readOnly properties: set by the server, left out of request bodies.
    read_only: bool = False
    # The Python expression of the schema's `default` (`""`: none, or none a literal can hold).
    default_code: str = ""

    @property
    def type_hint(self) -> str:
        """The annotation: optional properties may also be `Unset` (absent, distinct from null)."""
        if self.required:
            return self.type.type_hint
        # `None` goes last, as ruff's RUF036 and most readers expect: `str | Unset | None`.
        return f"{self.type.base_hint} | Unset" + (" | None" if self.type.nullable else "")

    @property
    def default_literal(self) -> str:
        """`UNSET` for optional properties (absent: the server applies its default); the spec's
        `default` for a required property that has one; else empty (no default)."""
        return self.default_code if self.required else "UNSET"


@dataclass(frozen=True)
class Model:
    """An object schema rendered as a slots dataclass with `from_dict`/`to_dict`."""

    name: str
    class_name: str
    snake_name: str
    description: str
    fields: tuple[Field, ...]
    extra_allowed: bool
    pointer: str
    schema_pointer: str

    @property
    def validator_name(self) -> str:
        """The compiled validator function for this model's schema."""
        return f"validate_{self.snake_name}"


@dataclass(frozen=True)
class EnumMember:
    """One known enum value (a JSON string, integer, number or boolean) and its member name."""

    name: str
    value: Any


@dataclass(frozen=True)
class Enum:
    """An enum schema (a component, or inline in a property or body: then named after its owner);
    open string enums also accept unknown strings where they are used.

    `base` is the class's mixin: `str` (string values), `int` (integer values), or `` for a plain
    `Enum` whose member values are the JSON values themselves (numbers, booleans, mixed types).
    """

    name: str
    class_name: str
    description: str
    members: tuple[EnumMember, ...]
    pointer: str
    base: str = "str"


@dataclass(frozen=True)
class Parameter:
    """One operation parameter: where it goes, its names, type and OpenAPI serialisation.

    `location` is path, query, header or cookie; `style`/`explode`/`allow_reserved` are the
    spec's values with OpenAPI's defaults filled in; `content_type` is set for a parameter given
    by `content` (its value is encoded with that media type, then sent as text).
    """

    wire_name: str
    python_name: str
    description: str
    location: str = "path"
    required: bool = True
    type: TypeRef = TypeRef("string")
    style: str = "simple"
    explode: bool = False
    allow_reserved: bool = False
    content_type: str = ""
    pointer: str = ""
    multi_segment: bool = False
    # The Python expression of the schema's `default` (`""`: none, or none a literal can hold).
    default_code: str = ""


@dataclass(frozen=True)
class Body:
    """A request or response body: media type, how it is read/written, and its Python type.

    `kind` is json, form, multipart, text or bytes (requests) / json, text, bytes (responses);
    `model` is the class name when the type is a model (`""` otherwise).
    """

    media_type: str
    kind: str
    type: TypeRef
    required: bool = True
    model: str = ""
    schema_pointer: str = ""
    # The body schema's `$defs` key in the bundle (a component's, or an inline body's own).
    bundle_key: str = ""
    # Its validator, `validate_<validator>` (`""`: the body has no schema).
    validator: str = ""


@dataclass(frozen=True)
class Response:
    """One documented status key (`200`, `2XX`, `default`), its body (if any) and headers."""

    status: str
    model: str
    description: str
    headers: tuple[str, ...]
    body: Body | None = None
    header_types: tuple[tuple[str, TypeRef], ...] = ()

    @property
    def is_error(self) -> bool:
        """4xx/5xx keys; `default` counts as an error unless it is the only response."""
        return self.status[0] in "45" or self.status == "default"


@dataclass(frozen=True)
class SecurityScheme:
    """One `components/securitySchemes` entry as the client applies it.

    `kind` is `bearer` (HTTP bearer, OAuth 2, OpenID Connect: a token), `basic` (HTTP basic),
    `api_key` (`location` header, query or cookie, under the name `parameter`), or `` for a
    scheme the client cannot apply (mutual TLS, other HTTP schemes): an alternative needing it is
    never chosen.
    """

    name: str
    kind: str
    location: str = ""
    parameter: str = ""
    description: str = ""
    pointer: str = ""


@dataclass(frozen=True)
class ServerVariable:
    """One `{name}` of a server URL: its default and, when the spec lists them, allowed values."""

    name: str
    default: str
    enum: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Server:
    """One server object: its URL template (`https://{region}.example.com/v1`) and variables."""

    url: str
    description: str = ""
    variables: tuple[ServerVariable, ...] = ()


@dataclass(frozen=True)
class Operation:
    """One HTTP operation: where it lives, what it takes and what it returns."""

    operation_id: str
    method_name: str
    http_method: str
    path: str
    server_urls: tuple[str, ...]
    version_prefix: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body_model: str
    responses: tuple[Response, ...]
    scopes: tuple[str, ...]
    pointer: str
    body: Body | None = None
    tags: tuple[str, ...] = ()
    # Alternatives, each the scheme names it needs (all of them); `()` means no authentication
    # (`security: []`), an empty alternative that it is optional. None: the spec declares no
    # security requirement anywhere (the client then sends a token when it was given one).
    security: tuple[tuple[str, ...], ...] | None = None
    # The servers that serve the operation (its own, its path's or the document's), in order.
    servers: tuple[Server, ...] = ()
    # The operation's string-valued `x-` extensions, sorted (passed on to the runtime).
    extensions: tuple[tuple[str, str], ...] = ()

    @property
    def server_prefixes(self) -> tuple[str, ...]:
        """The path part of each server URL (`/v1.0`, `/beta`), in the spec's order."""
        from urllib.parse import urlsplit

        return tuple(urlsplit(url).path.rstrip("/") for url in self.server_urls)

    @property
    def url_template(self) -> str:
        """The path with the version prefix its server gives, e.g. `/v1.0/drives/{drive-id}/...`."""
        return self.version_prefix + self.path

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        """Parameters in the URL path, in template order."""
        return tuple(p for p in self.parameters if p.location == "path")


def is_pep440(version: str) -> bool:
    """Whether `version` is a PEP 440 version (`1.2.0`, `v1.0`, `2.0rc1`; not `2023-10-16`)."""
    try:
        Version(version)
    except ValueError:  # InvalidVersion, or a number over Python's 4,300-digit int limit
        return False
    return True


def pep440_parts(version: str) -> tuple[str, list[str]]:
    """(public version, local segments) of `version` in PEP 440 normal form; ("0", ["spec",
    ...]) with its lower-case letters and digits when it is not a PEP 440 version."""
    if not is_pep440(version):
        words = re.findall(r"[a-z0-9]+", version.lower())[:16]
        return "0", ["spec", *(word[:32] for word in words)]
    parsed = Version(version)
    return parsed.public, [parsed.local] if parsed.local else []


@dataclass(frozen=True)
class SchemaFile:
    """One standalone JSON Schema file: its entry component and the components it bundles, or
    (`shared`) none: its entry is then a `$ref` into the shared definitions file."""

    name: str
    entry: str
    title: str
    description: str
    defs: tuple[str, ...]
    shared: bool = False


@dataclass(frozen=True)
class Api:
    """Everything the emitters need, built in full before anything is rendered."""

    title: str
    version: str
    description: str
    spec_path: str
    spec_sha256: str
    generator_version: str
    operations: tuple[Operation, ...]
    models: tuple[Model, ...]
    enums: tuple[Enum, ...]
    schema_files: tuple[SchemaFile, ...]
    # What validators and strategies are compiled from: unknown formats left out.
    schema_bundle: dict[str, Any]
    # What the JSON Schema files hold: unknown formats kept as annotations (None: same bundle).
    annotated_bundle: dict[str, Any] | None = None
    warnings: tuple[SpecError, ...] = ()
    webhooks: tuple[str, ...] = ()
    # `oneOf`/`anyOf` unions some type decodes through, sorted by name.
    unions: tuple[Union, ...] = ()
    # (validator name, JSON pointer) of every `oneOf` in the bundle: strategies filter draws
    # of branches that may overlap through these.
    one_of_checks: tuple[tuple[str, str], ...] = ()
    # The generated package's import name (`graph_invite`); the distribution name uses dashes.
    package: str = "api_client"
    security_schemes: tuple[SecurityScheme, ...] = ()
    # The document's top-level servers (what a client picks from), in the spec's order.
    servers: tuple[Server, ...] = ()
    # A Microsoft Graph document (`generator.ir.access.is_graph_spec`): the package gets the
    # Graph layer (sharing URLs, item paths, qualified action names, API versions).
    graph: bool = False

    @property
    def all_servers(self) -> tuple[Server, ...]:
        """Every distinct server object (top level, path, operation), first occurrence first."""
        seen: dict[str, Server] = {}
        for server in (*self.servers, *(s for op in self.operations for s in op.servers)):
            seen.setdefault(server.url, server)
        return tuple(seen.values())

    @property
    def package_version(self) -> str:
        """The generated pyproject.toml's version: `info.version` in PEP 440 normal form plus
        `+invitegen.<generator version>`; `0+spec.<letters and digits>.invitegen...` when
        `info.version` is not PEP 440 (a date, `1.0-SNAPSHOT`; the IR warns at `#/info/version`)."""
        public, local = pep440_parts(self.version)
        return f"{public}+{'.'.join([*local, 'invitegen', self.generator_version])}"

    @property
    def distribution(self) -> str:
        """The package's name on an index: `graph-invite`."""
        return self.package.replace("_", "-")

    def model(self, class_name: str) -> Model:
        """The model with this class name."""
        return next(model for model in self.models if model.class_name == class_name)
