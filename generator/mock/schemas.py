"""OpenAPI schema objects (3.0 or 3.1) -> one JSON Schema 2020-12 bundle, compiled in memory.

Every schema the mock checks (parameters, request and response bodies) becomes an entry point of
one bundle `{"$defs": ...}`: `#/components/schemas/<name>` is `#/$defs/<name>`, any other `$ref`
target or inline schema gets a `$defs` entry named by its spec pointer. OpenAPI 3.0's dialect is
translated (`nullable`, boolean `exclusiveMinimum`/`exclusiveMaximum`, `example`); OpenAPI-only
words (`discriminator`, `xml`, `externalDocs`) are dropped; `int32`/`int64` become the bounds they
mean; other formats the compiler cannot assert (`binary`, `double`, ...) only describe. The bundle goes through the project's
own JSON Schema compiler (`generator.jsonschema`), as `generated/` validators do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, cast

from generator.emit.validators import compile_validators
from generator.errors import (
    SchemaCompileError,
    SpecError,
    SpecErrors,
    escape_pointer_token,
    join_pointer,
)
from generator.jsonschema.formats import FORMATS
from generator.spec.refs import ResolvedSpec, pointer_get
from generator.vocabulary import (
    OPENAPI_ANNOTATIONS,
    SCHEMA_LISTS_2020,
    SCHEMA_MAPS_2020,
    SCHEMA_VALUES_2020,
)

COMPONENT_PREFIX = "#/components/schemas/"
BUNDLE_PREFIX = "#/$defs/"
# OpenAPI words a JSON Schema validator does not know (`nullable` is translated first).
OPENAPI_ONLY = OPENAPI_ANNOTATIONS | {"nullable"}
# The ranges OpenAPI's integer formats name (signed 32 and 64 bits).
INTEGER_FORMAT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}


class SchemaViolation(Protocol):
    """What a compiled validator's `ValidationError` carries."""

    message: str
    path: tuple[str | int, ...]
    rule: str


class SchemaBundle:
    """Collects spec schemas into `{"$defs": ...}`; `entry(pointer)` names one for validation."""

    def __init__(self, resolved: ResolvedSpec) -> None:
        self.resolved = resolved
        self.legacy = str(resolved.data.get("openapi", "3.1")).startswith("3.0")
        self.definitions: dict[str, Any] = {}
        self.sources: dict[str, str] = {}  # $defs key -> spec pointer
        self.entries: dict[str, str] = {}  # spec pointer -> entry name
        # Property names whose values are never repeated in errors (writeOnly or format password).
        self.secret_names: set[str] = set()
        self._pending: list[tuple[str, str]] = []

    def entry(self, pointer: str) -> str:
        """The validator name for the schema at spec `pointer` (`s0`, `s1`, ...), added once."""
        if pointer not in self.entries:
            self.entries[pointer] = f"s{len(self.entries)}"
            self.bundle_pointer(pointer)
        return self.entries[pointer]

    def bundle_pointer(self, pointer: str) -> str:
        """Where the schema at spec `pointer` lives in the bundle (queued for conversion)."""
        if pointer.startswith(COMPONENT_PREFIX):
            name, _, rest = pointer[len(COMPONENT_PREFIX) :].partition("/")
            key, source = name.replace("~1", "/").replace("~0", "~"), COMPONENT_PREFIX + name
            tail = f"/{rest}" if rest else ""
        else:
            key, source, tail = pointer, pointer, ""
        if key not in self.sources:
            self.sources[key] = source
            self._pending.append((key, source))
        return BUNDLE_PREFIX + escape_pointer_token(key) + tail

    def document(self) -> dict[str, Any]:
        """Convert everything queued (and what it references) -> the bundle."""
        while self._pending:
            key, source = self._pending.pop(0)
            try:
                node = pointer_get(self.resolved.data, source)
            except KeyError:
                raise SpecErrors([self.error(source, "schema reference has no target")]) from None
            self.definitions[key] = self.convert(node, source)
        return {"$defs": dict(sorted(self.definitions.items()))}

    def error(self, pointer: str, message: str) -> SpecError:
        """A located error for a spec pointer."""
        return self.resolved.error(pointer, message)

    def spec_pointer(self, bundle_pointer: str) -> str:
        """Map a pointer into the bundle back to the spec (for compile errors)."""
        if not bundle_pointer.startswith(BUNDLE_PREFIX):
            return "#"
        token, _, rest = bundle_pointer[len(BUNDLE_PREFIX) :].partition("/")
        key = token.replace("~1", "/").replace("~0", "~")
        source = self.sources.get(key, "#")
        return f"{source}/{rest}" if rest else source

    def convert(self, schema: Any, pointer: str) -> Any:
        """One OpenAPI schema -> JSON Schema 2020-12 (booleans stay as they are)."""
        if not isinstance(schema, dict):
            return schema
        if "$ref" in schema and isinstance(schema["$ref"], str):
            target = self._ref(schema["$ref"], pointer)
            if self.legacy:  # OpenAPI 3.0: siblings of $ref are ignored
                return {"$ref": target}
            rest = {key: value for key, value in schema.items() if key != "$ref"}
            converted = self.convert(rest, pointer)
            return {"$ref": target, **converted} if converted else {"$ref": target}
        result: dict[str, Any] = {}
        for keyword, value in schema.items():
            at = join_pointer(pointer, keyword)
            if keyword in OPENAPI_ONLY or keyword.startswith("x-"):
                continue
            if keyword == "properties" and isinstance(value, dict):
                self.secret_names.update(
                    name
                    for name, sub in value.items()
                    if isinstance(sub, dict)
                    and (sub.get("writeOnly") is True or sub.get("format") == "password")
                )
            if keyword in SCHEMA_MAPS_2020 and isinstance(value, dict):
                result[keyword] = {
                    name: self.convert(sub, join_pointer(at, name)) for name, sub in value.items()
                }
            elif keyword in SCHEMA_LISTS_2020 and isinstance(value, list):
                result[keyword] = [
                    self.convert(sub, join_pointer(at, index)) for index, sub in enumerate(value)
                ]
            elif keyword in SCHEMA_VALUES_2020:
                result[keyword] = self.convert(value, at)
            elif keyword == "format" and value not in FORMATS:
                continue  # a format the compiler cannot assert only describes
            else:
                result[keyword] = value
        converted = _legacy_words(schema, result) if self.legacy else _example_words(schema, result)
        return _format_bounds(schema, converted)

    def _ref(self, ref: str, pointer: str) -> str:
        if not ref.startswith("#"):
            raise SpecErrors(
                [self.error(pointer, f"unresolved $ref {ref!r} (the loader bundles files)")]
            )
        return self.bundle_pointer(ref)


def _format_bounds(schema: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI's `int32`/`int64` formats as the `minimum`/`maximum` they mean (the compiler
    asserts no such format): the tighter of the declared bound and the format's range."""
    bounds = INTEGER_FORMAT_RANGES.get(str(schema.get("format")))
    if bounds is None:
        return result
    low, high = bounds
    minimum, maximum = result.get("minimum"), result.get("maximum")
    if not isinstance(minimum, (int, float)) or isinstance(minimum, bool) or minimum < low:
        result["minimum"] = low
    if not isinstance(maximum, (int, float)) or isinstance(maximum, bool) or maximum > high:
        result["maximum"] = high
    return result


def _example_words(schema: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """`example` (deprecated in 3.1) becomes the first of `examples`, which the mock answers with."""
    if "example" in schema and "examples" not in result:
        result["examples"] = [schema["example"]]
    return result


def _legacy_words(schema: dict[str, Any], result: dict[str, Any]) -> dict[str, Any]:
    """OpenAPI 3.0's words for what 2020-12 says differently."""
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        flag = schema.get(exclusive)
        if isinstance(flag, bool):
            del result[exclusive]
            if flag and bound in result:
                result[exclusive] = result.pop(bound)
    if schema.get("nullable") is True:
        declared = result.get("type")
        if isinstance(declared, str):
            result["type"] = [declared, "null"]
        elif isinstance(declared, list) and "null" not in declared:
            result["type"] = [*declared, "null"]
        if isinstance(result.get("enum"), list) and None not in result["enum"]:
            result["enum"] = [*result["enum"], None]
    return _example_words(schema, result)


class CompiledSchemas:
    """`errors(name, instance)` / `is_valid` for every entry of a `SchemaBundle`."""

    def __init__(self, bundle: SchemaBundle) -> None:
        self.bundle = bundle
        self.document = bundle.document()
        targets = sorted(
            (name, bundle.bundle_pointer(pointer)) for pointer, name in bundle.entries.items()
        )
        try:
            source = compile_validators(self.document, targets, assert_formats=True)
        except SchemaCompileError as error:
            raise SpecErrors(
                [bundle.error(bundle.spec_pointer(error.pointer), error.message)]
            ) from None
        self._namespace: dict[str, Any] = {"__name__": "invitegen_mock_validators"}
        # The source is our own compiler's output for the spec being served, compiled in memory
        # so the mock always checks against the spec it was started with.
        exec(compile(source, "<invitegen mock validators>", "exec"), self._namespace)  # noqa: S102
        self.validation_error = cast(type[Exception], self._namespace["ValidationError"])
        # Entry name -> spec pointer, for `schema` (one pass, not one per lookup).
        self._pointers = {name: pointer for pointer, name in bundle.entries.items()}

    def entry_for(self, pointer: str) -> str | None:
        """The entry name of the schema at a spec pointer, if it was registered."""
        return self.bundle.entries.get(pointer)

    def schema(self, name: str) -> Any:
        """The converted schema of entry `name` (its `$ref`s point into `self.document`)."""
        return pointer_get(self.document, self.bundle.bundle_pointer(self._pointers[name]))

    def resolve(self, reference: str) -> Any:
        """The converted schema a `$ref` of the bundle names (`#/$defs/...`); True when none."""
        try:
            return pointer_get(self.document, reference)
        except (KeyError, IndexError, TypeError, ValueError):
            return True

    def errors(self, name: str, instance: object) -> list[SchemaViolation]:
        """Every violation of entry `name` by `instance`, in schema order (empty when valid)."""
        iterate = cast(
            Callable[[object], Iterator[SchemaViolation]], self._namespace[f"iter_errors_{name}"]
        )
        return list(iterate(instance))

    def render_path(self, path: tuple[str | int, ...]) -> str:
        """('recipients', 0, 'email') -> 'recipients[0].email', as the compiled errors print it."""
        render = cast(Callable[[tuple[str | int, ...]], str], self._namespace["_render_path"])
        return render(path)

    def is_valid(self, name: str, instance: object) -> bool:
        """Whether `instance` matches entry `name`."""
        validate = cast(Callable[[object], None], self._namespace[f"validate_{name}"])
        try:
            validate(instance)
        except self.validation_error:
            return False
        return True
