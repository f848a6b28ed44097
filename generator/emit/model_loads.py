"""Views of the models' fused loaders: check and build in one walk, for `from_dict`.

`from_dict` used to run two walks over the data: the validator (first error, raised), then a
decoder that trusts what it reads. A loader `_load_<Class>(data, cls)` does both at once: each
value is tested as it is stored, and anything the loader is not sure of raises `_Mismatch`.
`from_dict` then runs the validator, which raises the exact first error (or, when the loader was
only cautious, passes, and the trusting decoder builds the model as before). So a loader needs
to be *sufficient*, never complete: whatever it accepts the validator accepts, with the model
the decoder would build; it may refuse valid data (a `str` subclass, an integer written `1.0`)
at the price of the old two walks.

Only what this module fully understands is fused: an object schema with `properties`,
`required` and `additionalProperties` (absent, `true` or `false`), whose properties are typed
scalars (asserted formats included), arrays (`items`, `minItems`, `maxItems`), `$ref`s to closed
enums or to models that are fused too, `anyOf` of such a schema and null, and open enums
(`anyOf` of an enum and a string). Any other keyword leaves the model with its two walks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from generator.ir.model import Api, Model, TypeRef
from generator.jsonschema.formats import FORMATS
from generator.names import py_literal

# Keywords that assert nothing (JSON Schema annotations): a loader may ignore them.
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "example",
        "deprecated",
        "readOnly",
        "writeOnly",
        "default",
        "$comment",
    }
)
_MODEL_KEYWORDS = frozenset({"type", "properties", "required", "additionalProperties"})
_DEFS = "#/$defs/"
# The test that a value is of one JSON type, `{0}` the value: exact classes only (a subclass,
# a bool for an integer or a float written for an integer is left to the validator).
_TYPE_TESTS = {
    "string": "type({0}) is str",
    "integer": "type({0}) is int",
    # Finite floats only: `x - x` is NaN for infinities and NaN.
    "number": "(type({0}) is int or (type({0}) is float and {0} - {0} == 0.0))",
    "boolean": "type({0}) is bool",
}
# The IR kind a scalar JSON type decodes as (a `date-time` string is a `DateTimeText`).
_SCALAR_KINDS = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
MISMATCH = "raise _Mismatch"


def loader_name(class_name: str) -> str:
    """The models module's fused check-and-build function for `class_name`."""
    return f"_load_{class_name}"


@dataclass(frozen=True)
class FieldLoad:
    """One field as its loader reads it: statements that check `value` (raising `_Mismatch`)
    and the expression of the decoded value."""

    python_name: str
    wire_literal: str
    required: bool
    checks: tuple[str, ...]
    decode: str


@dataclass(frozen=True)
class KeyDispatch:
    """One test of a loader's key walk: `test` (`length < 11`, `length == 11`; empty at the
    root) opens either more tests, in turn (`branches`), or the fields whose names the key is
    compared with (`fields`). Any key none of them takes is an unknown property."""

    test: str
    branches: tuple[KeyDispatch, ...]
    fields: tuple[FieldLoad, ...]


@dataclass(frozen=True)
class LoadView:
    """One model's loader: its fields, how unknown properties are treated, and its helpers."""

    name: str
    class_name: str
    fields: tuple[FieldLoad, ...]
    extra_allowed: bool
    # Whether the key walk reads values (optional fields or unknown properties to store).
    walk_uses_value: bool
    # `keys` walks the data's keys once (as the keyed decoder does); `get` asks for each field.
    load_by: str
    # The key walk's branches: the fields in one chain, or picked by the key's length first.
    dispatch: KeyDispatch
    # The format helpers (validator functions) its checks call.
    helpers: frozenset[str]


@dataclass(frozen=True)
class _Plan:
    """How one value is checked and built: `test`, a condition it must meet (empty: none),
    `body`, statements checking more (item loops), and `decode`, the expression building it."""

    test: str
    body: tuple[str, ...]
    decode: str
    helpers: frozenset[str] = frozenset()

    def checks(self) -> tuple[str, ...]:
        """The statements raising `_Mismatch` unless the value is one the plan accepts."""
        if not self.test:
            return self.body
        single = re.fullmatch(r"type\((\w+)\) is (\w+)", self.test)
        head = f"if type({single[1]}) is not {single[2]}:" if single else f"if not ({self.test}):"
        return (head, f"    {MISMATCH}", *self.body)


def _asserting(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in schema.items() if key not in _ANNOTATIONS}


def _indent(lines: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(f"    {line}" for line in lines)


def _grouped(test: str) -> str:
    """`test` parenthesised when it holds `and`/`or`, ready to be joined by `or`."""
    return f"({test})" if " and " in test or " or " in test else test


class _Planner:
    """Schema + IR type -> `_Plan`, or None when the schema says more than a loader checks."""

    def __init__(self, api: Api, fused: set[str]) -> None:
        self.defs: Mapping[str, Any] = api.schema_bundle["$defs"]
        self.models = {model.name: model for model in api.models}
        self.enums = {enum.name: enum for enum in api.enums}
        self.fused = fused

    def plan(self, schema: Any, type_ref: TypeRef, var: str, depth: int) -> _Plan | None:
        """The plan for a possibly nullable value of `type_ref` at `var`."""
        if not isinstance(schema, Mapping):
            return None
        schema = _asserting(schema)
        branches = schema.get("anyOf")
        if set(schema) == {"anyOf"} and isinstance(branches, list) and len(branches) == 2:
            return self._any_of(branches, type_ref, var, depth)
        types = schema.get("type")
        if isinstance(types, list) and "null" in types and type_ref.nullable:
            rest = [name for name in types if name != "null"]
            inner = self._value({**schema, "type": rest[0]}, type_ref, var, depth)
            return _nullable(inner, var) if inner is not None and len(rest) == 1 else None
        return None if type_ref.nullable else self._value(schema, type_ref, var, depth)

    def _any_of(self, branches: list[Any], type_ref: TypeRef, var: str, depth: int) -> _Plan | None:
        shapes = [_asserting(branch) if isinstance(branch, Mapping) else {} for branch in branches]
        if {"type": "null"} in shapes and type_ref.nullable:
            other = shapes[1 - shapes.index({"type": "null"})]
            inner = self._value(other, type_ref, var, depth)
            return None if inner is None else _nullable(inner, var)
        if (
            {"type": "string"} in shapes
            and set(shapes[1 - shapes.index({"type": "string"})]) == {"$ref"}
            and type_ref.kind == "enum"
            and type_ref.open
            and type_ref.enum_base == "str"
            and not type_ref.nullable
        ):
            # An open enum: any string is valid (the enum's values are strings too).
            return _Plan(f"type({var}) is str", (), type_ref.decode(var))
        return None

    def _value(
        self, schema: Mapping[str, Any], type_ref: TypeRef, var: str, depth: int
    ) -> _Plan | None:
        """The plan for a non-null value (`type_ref`'s nullability is the caller's)."""
        if set(schema) == {"$ref"}:
            return self._reference(schema["$ref"], type_ref, var)
        if schema.get("type") == "array":
            return self._array(schema, type_ref, var, depth)
        if "enum" in schema:
            return _closed_enum(schema, type_ref, var)
        return _scalar(schema, type_ref, var)

    def _reference(self, reference: Any, type_ref: TypeRef, var: str) -> _Plan | None:
        name = reference.removeprefix(_DEFS) if isinstance(reference, str) else ""
        if not isinstance(reference, str) or not reference.startswith(_DEFS):
            return None
        model = self.models.get(name)
        if type_ref.kind == "model" and model is not None and model.class_name == type_ref.target:
            fused = model.name in self.fused
            return _Plan("", (), f"{loader_name(model.class_name)}({var})") if fused else None
        target = self.defs.get(name)
        if type_ref.kind == "enum" and name in self.enums and isinstance(target, Mapping):
            return _closed_enum(_asserting(target), type_ref, var)
        return None

    def _array(
        self, schema: Mapping[str, Any], type_ref: TypeRef, var: str, depth: int
    ) -> _Plan | None:
        test = _array_test(schema, var)
        if type_ref.kind != "array" or type_ref.item is None or test is None:
            return None
        item_var = f"item{depth}"
        item = self.plan(schema["items"], type_ref.item, item_var, depth + 1)
        if item is None:
            return None
        body = item.checks()
        if body:
            body = (f"for {item_var} in {var}:", *_indent(body))
        return _Plan(test, body, _list_decode(item.decode, item_var, var), item.helpers)


def _list_decode(item_decode: str, item_var: str, var: str) -> str:
    """The expression decoding list `var` whose items `item_decode` decodes (`item_var` each).

    A comprehension, not `map`: compiled by mypyc it calls a loader directly (through `map`,
    each call goes through the function's Python wrapper), and in CPython 3.11 a call from
    bytecode costs no more than one from `map`.
    """
    if item_decode == item_var:
        return var
    lookup = re.fullmatch(rf"([\w.]+)\.get\({item_var}, {item_var}\)", item_decode)
    if lookup:
        # An open enum's `{value: member}.get(v, v)`: mypy types it `Member | None` in a
        # comprehension, and mypyc would check each item against that (refusing the strings).
        return f"list(map({lookup[1]}.get, {var}, {var}))"
    return f"[{item_decode} for {item_var} in {var}]"


def _array_test(schema: Mapping[str, Any], var: str) -> str | None:
    """`type(x) is list` and the length bounds, or None for keywords a loader does not check."""
    if "items" not in schema or not set(schema) <= {"type", "items", "minItems", "maxItems"}:
        return None
    tests = [f"type({var}) is list"]
    for keyword, operator in (("minItems", ">="), ("maxItems", "<=")):
        bound = schema.get(keyword, 0)
        if type(bound) is not int:
            return None
        if keyword in schema:
            tests.append(f"len({var}) {operator} {bound}")
    return " and ".join(tests)


def _closed_enum(schema: Mapping[str, Any], type_ref: TypeRef, var: str) -> _Plan | None:
    """A closed string enum: decoding by the class raises for any other value."""
    values = schema.get("enum")
    if (
        set(schema) != {"type", "enum"}
        or schema["type"] != "string"
        or type_ref.kind != "enum"
        or type_ref.open
        or type_ref.enum_base != "str"
        or not isinstance(values, list)
        or not all(type(value) is str for value in values)
    ):
        return None
    return _Plan(f"type({var}) is str", (), type_ref.decode(var))


def _scalar(schema: Mapping[str, Any], type_ref: TypeRef, var: str) -> _Plan | None:
    """A string, integer, number or boolean, with an asserted format for a string."""
    kind = schema.get("type")
    if kind not in _TYPE_TESTS or not set(schema) <= {"type", "format"}:
        return None
    test = _TYPE_TESTS[kind].format(var)
    helpers: frozenset[str] = frozenset()
    expected = _SCALAR_KINDS[kind]
    if "format" in schema:
        check = FORMATS.get(schema["format"])
        if kind != "string" or check is None:
            return None
        test = f"{test} and {check.helper}({var})"
        helpers = frozenset({check.helper})
        expected = "datetime" if schema["format"] == "date-time" else "string"
    return _Plan(test, (), type_ref.decode(var), helpers) if type_ref.kind == expected else None


def _nullable(inner: _Plan, var: str) -> _Plan:
    """`inner` for a value that may also be null (tested last: values are rarely null)."""
    decode = inner.decode if inner.decode == var else f"None if {var} is None else {inner.decode}"
    test = f"{_grouped(inner.test)} or {var} is None" if inner.test else ""
    body = (f"if {var} is not None:", *_indent(inner.body)) if inner.body else ()
    return _Plan(test, body, decode, inner.helpers)


def _model_shape(model: Model, schema: Any) -> Mapping[str, Any] | None:
    """The model's property schemas when its own keywords are all a loader checks."""
    if not isinstance(schema, Mapping):
        return None
    schema = _asserting(schema)
    properties = schema.get("properties", {})
    if (
        not set(schema) <= _MODEL_KEYWORDS
        or schema.get("type") != "object"
        or not isinstance(properties, Mapping)
        or set(properties) != {field.wire_name for field in model.fields}
        or set(schema.get("required", [])) != {f.wire_name for f in model.fields if f.required}
        or schema.get("additionalProperties", True) is not model.extra_allowed
    ):
        return None
    return properties


def _load_view(planner: _Planner, model: Model, properties: Mapping[str, Any]) -> LoadView | None:
    fields = []
    helpers: set[str] = set()
    for field in model.fields:
        plan = planner.plan(properties[field.wire_name], field.type, "value", 0)
        if plan is None:
            return None
        helpers |= plan.helpers
        fields.append(
            FieldLoad(
                python_name=field.python_name,
                wire_literal=py_literal(field.wire_name),
                required=field.required,
                checks=plan.checks(),
                decode=plan.decode,
            )
        )
    keyed = len(fields) <= KEYED_LOAD_MAX_FIELDS
    dispatch = KeyDispatch("", (), tuple(fields))
    if len(fields) > LOAD_KEY_CHAIN:
        groups: dict[int, list[FieldLoad]] = {}
        for field, load in zip(model.fields, fields, strict=True):
            groups.setdefault(len(field.wire_name), []).append(load)
        dispatch = KeyDispatch("", _length_tests(groups, sorted(groups)), ())
    return LoadView(
        name=loader_name(model.class_name),
        class_name=model.class_name,
        fields=tuple(fields),
        extra_allowed=model.extra_allowed,
        walk_uses_value=model.extra_allowed or not all(field.required for field in fields),
        load_by="keys" if keyed else "get",
        dispatch=dispatch,
        helpers=frozenset(helpers),
    )


# A loader walks the data's keys once (the key's type tested, then an `elif` per field, unknown
# properties collected in the `else`) when the model has at most this many fields; wider ones
# ask for each field, then test the keys in a loop of their own. Unlike a decoder's, a loader's
# lookups cost more than its branches: each present field is checked and stored in its branch
# either way, and the lookups add one `dict.get` per field, present or not. Measured on one
# Graph permission (16 fields, about 10 present): the loader walking keys took 1.69x the floor
# walk, asking field by field 1.94x.
KEYED_LOAD_MAX_FIELDS = 20


# A loader's key walk compares the key with the model's field names one after the other up to
# this many fields; past it the key's length, found by bisection, picks the few names to compare
# (the validators' boolean walk does the same, `generator.jsonschema.containers.MAX_KEY_CHAIN`).
# Compiled, a length test is one C integer compare, and an unknown key of the 16-field
# permission no longer costs 16 string comparisons.
LOAD_KEY_CHAIN = 8
# Lengths tested one after the other (`elif length == 7:`) where the bisection stops.
_LENGTHS_PER_LEAF = 3


def _length_tests(
    groups: Mapping[int, list[FieldLoad]], sizes: list[int]
) -> tuple[KeyDispatch, ...]:
    """The tests picking among `sizes` (name lengths, sorted): `length < <middle>` opening the
    shorter half, then the longer half's tests in the same chain, down to a few `length == n`."""
    if len(sizes) > _LENGTHS_PER_LEAF:
        middle = len(sizes) // 2
        shorter = KeyDispatch(
            f"length < {sizes[middle]}", _length_tests(groups, sizes[:middle]), ()
        )
        return (shorter, *_length_tests(groups, sizes[middle:]))
    return tuple(KeyDispatch(f"length == {size}", (), tuple(groups[size])) for size in sizes)


def api_loads(api: Api) -> dict[str, LoadView]:
    """Model class name -> its loader's view, for every model a loader can check fully."""
    defs = api.schema_bundle.get("$defs", {})
    shapes = {
        model.name: shape
        for model in api.models
        if model.schema_pointer.startswith(_DEFS)
        and (shape := _model_shape(model, defs.get(model.schema_pointer.removeprefix(_DEFS))))
        is not None
    }
    # Assume every candidate fused, then drop those that fail, until nothing changes: a model
    # referring to a model that has no loader has none either (recursive models stay fused).
    fused = set(shapes)
    while True:
        planner = _Planner(api, fused)
        views = {
            name: view
            for name, shape in shapes.items()
            if name in fused
            and (view := _load_view(planner, planner.models[name], shape)) is not None
        }
        if set(views) == fused:
            return {planner.models[name].class_name: view for name, view in views.items()}
        fused = set(views)


def load_helpers(loads: Mapping[str, LoadView]) -> list[str]:
    """The validator helpers the loaders call, sorted (imported from the validators module)."""
    return sorted({helper for view in loads.values() for helper in view.helpers})
