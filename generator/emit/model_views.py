"""Views of models and enums: every decision a `models.py` template needs, made once, here.

A template loops over `ModelView.fields` and prints attributes; which of the three decode shapes
a field takes, its type hint, its default and its (de)serialising expressions are decided here
from the IR (as openapi-python-client's `get_type_string()` / `get_imports()` do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.ir.model import (
    Api,
    Enum,
    Field,
    Model,
    TypeRef,
    Union,
    enum_members_name,
    model_decoder_name,
)
from generator.names import docstring, import_line, import_order, py_literal


@dataclass(frozen=True)
class FieldView:
    """One model field as the template prints it.

    `decode_shape`: `required` (always present, `decode` reads it from `data`), `required_value`
    (always present, read into `value` and decoded by `decode`), `optional_plain` (absent ->
    UNSET, value used as is) or `optional` (`data.get` into `value`: UNSET when absent; kept as
    is when `passthrough` holds (absent, or null where allowed), else decoded by `decode`).
    """

    python_name: str
    wire_literal: str
    type_hint: str
    default: str
    decode_shape: str
    decode: str
    passthrough: str
    # The statement of its `key == wire` branch when the decoder walks the data's keys.
    key_statement: str
    encode: str
    required: bool


@dataclass(frozen=True)
class ModelView:
    """One model class: names, docstring, slots and fields, ready to print."""

    class_name: str
    snake_name: str
    decoder: str
    docstring: str
    validator_name: str
    slots: str
    fields_literal: str
    repr_hidden: str
    wire_names: str
    fields: tuple[FieldView, ...]
    extra_allowed: bool
    # Whether the decoder reads some field into `value` (declared `Any` once, up front).
    uses_value: bool
    # How the decoder reads optional fields: `keys` walks the data's keys once (an `if` chain
    # per key, unknown properties collected on the way), `get` asks the data for each field.
    decode_by: str
    # `keys`: the optional fields (UNSET until the walk meets them) and the fields with a branch
    # in the walk.
    optional_fields: tuple[FieldView, ...]
    key_fields: tuple[FieldView, ...]
    # `to_dict` starts from the unknown properties when the schema keeps them (most objects
    # carry none: the decoder tests `issuperset` first, cheaper than the comprehension).
    encode_start: str
    # Its fused check-and-build function (`model_loads`), or `` when it has none.
    loader: str = ""


@dataclass(frozen=True)
class EnumMemberView:
    """One enum member: `NAME = 'value'`."""

    name: str
    value_literal: str


@dataclass(frozen=True)
class EnumView:
    """One enum class, and the name of its value -> member dict when some field reads it open."""

    class_name: str
    docstring: str
    members: tuple[EnumMemberView, ...]
    members_by_value: str
    # `str, Enum`, `int, Enum` or `Enum`: the class's bases.
    bases: str
    value_hint: str


@dataclass(frozen=True)
class BranchView:
    """One union branch: the test that data is of it (JSON type, then its validator), and
    the expression decoding it; `tags` is the discriminator values naming it (a tuple literal)."""

    test: str
    decode: str
    tags: str
    matches: str


@dataclass(frozen=True)
class UnionView:
    """One `decode_<name>` function of the models module."""

    decoder: str
    hint: str
    docstring: str
    discriminator: str
    tagged: tuple[BranchView, ...]
    branches: tuple[BranchView, ...]
    mismatch: str


# The Python type a JSON value of each kind arrives as (`isinstance` narrows `Any` for mypy).
_JSON_CLASSES = {
    "string": "str",
    "datetime": "str",
    "binary": "(bytes, str)",
    "integer": "int",
    "number": "(int, float)",
    "boolean": "bool",
    "array": "list",
    "object": "dict",
    "map": "dict",
    "model": "dict",
}


def branch_test(type_ref: TypeRef, check: str) -> str:
    """`isinstance(data, dict) and next(iter_errors_cat(data), None) is None`."""
    matches = f"next(iter_errors_{check}(data), None) is None"
    json_class = _JSON_CLASSES.get(type_ref.kind)
    if type_ref.kind == "enum":
        # A plain `Enum` of mixed JSON values has no one class: its validator decides.
        json_class = type_ref.enum_base or None
    return f"isinstance(data, {json_class}) and {matches}" if json_class else matches


def union_view(union: Union) -> UnionView:
    """Union IR -> its decoder function's view."""
    branches = tuple(
        BranchView(
            branch_test(branch.type, branch.check),
            branch.type.decode("data"),
            _tuple_literal(list(branch.tags)) if branch.tags else "",
            f"next(iter_errors_{branch.check}(data), None) is None",
        )
        for branch in union.branches
    )
    names = ", ".join(branch.type.base_hint for branch in union.branches)
    how = (
        f"the branch its {union.discriminator!r} property names, else "
        if union.discriminator
        else ""
    )
    return UnionView(
        decoder=union.decoder,
        hint=union.hint,
        docstring=docstring(f"Valid JSON -> {names}: {how}the first branch it matches."),
        discriminator=py_literal(union.discriminator),
        tagged=tuple(
            view
            for view, branch in zip(branches, union.branches, strict=True)
            if branch.tags and branch.type.kind == "model"
        ),
        branches=tuple(
            view for view, branch in zip(branches, union.branches, strict=True) if branch.structural
        ),
        mismatch=py_literal(f"data matches none of {names}"),
    )


def api_unions(api: Api) -> list[UnionView]:
    """Every union decoder, sorted by name."""
    return [union_view(union) for union in api.unions]


def field_view(field: Field) -> FieldView:
    """Field IR -> what the model template prints for it."""
    wire = py_literal(field.wire_name)
    passthrough = ""
    if field.required and field.type.is_identity:
        shape, decode = "required", f"data[{wire}]"
    elif field.required:
        shape, decode = "required_value", field.type.decode_nullable("value")
    elif field.type.is_identity:
        shape, decode = "optional_plain", ""
    else:
        # One `data.get` instead of `in` then `[]`; absent and null pass through undecoded.
        shape, decode = "optional", field.type.decode("value")
        passthrough = "value is None or value is UNSET" if field.type.nullable else "value is UNSET"
    if field.required:
        # Read before the walk (a missing one raises KeyError, as `data[...]` always did).
        key_statement = "pass"
    else:
        key_statement = f"field_{field.python_name} = {field.type.decode_nullable('value')}"
    return FieldView(
        python_name=field.python_name,
        wire_literal=wire,
        type_hint=field.type_hint,
        default=f" = {field.default_literal}" if field.default_literal else "",
        decode_shape=shape,
        decode=decode,
        passthrough=passthrough,
        key_statement=key_statement,
        encode=field.type.encode_nullable(f"self.{field.python_name}"),
        required=field.required,
    )


def _tuple_literal(names: list[str]) -> str:
    items = [py_literal(name) for name in names]
    return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"


def _slots(model: Model) -> list[str]:
    """The instance attributes, in declaration order (`repr` and `==` follow it)."""
    names = [field.python_name for field in model.fields]
    return [*names, "additional_properties"] if model.extra_allowed else names


# A model keeping unknown properties, with up to this many fields to branch on, is decoded by
# walking the data's keys once (cost: the keys present times the branches tried; unknown
# properties are collected on the way) rather than by asking for every field (cost: every
# field, present or not, then a pass over the keys for unknown ones). Measured on the Graph
# responses: the walk takes about half the time for a 4-field identity with an unknown property,
# 0.75x for a 7-field identity set. Wider objects are asked field by field: with most fields
# present the walk's branches add up, and ten branches plus the loop and its `else` is what
# ruff's too-many-branches rule (PLR0912, 12) lets the emitted modules have.
KEYED_DECODE_MAX_FIELDS = 10


def model_view(model: Model, loader: str = "") -> ModelView:
    """Model IR (and the name of its loader, if it has one) -> its view."""
    hidden = sorted(field.python_name for field in model.fields if field.secret)
    fields = tuple(field_view(field) for field in model.fields)
    optional = tuple(field for field in fields if not field.required)
    # A required field needs a (`pass`) branch only to keep it out of the unknown properties.
    key_fields = tuple(field for field in fields if not field.required or model.extra_allowed)
    keyed = model.extra_allowed and len(key_fields) <= KEYED_DECODE_MAX_FIELDS
    decode_by = "keys" if keyed else "get"
    return ModelView(
        class_name=model.class_name,
        snake_name=model.snake_name,
        decoder=model_decoder_name(model.class_name),
        docstring=docstring(model.description) or docstring(f"The {model.name} schema."),
        validator_name=model.validator_name,
        slots=_tuple_literal(sorted(_slots(model))),
        fields_literal=_tuple_literal(_slots(model)),
        repr_hidden=py_literal(hidden) if hidden else "",
        wire_names=py_literal(sorted(field.wire_name for field in model.fields)),
        fields=fields,
        extra_allowed=model.extra_allowed,
        uses_value=any(field.decode_shape in ("required_value", "optional") for field in fields),
        decode_by=decode_by,
        optional_fields=optional,
        key_fields=key_fields,
        encode_start="dict(self.additional_properties)" if model.extra_allowed else "{}",
        loader=loader,
    )


def open_enums(api: Api) -> list[str]:
    """Enum class names some model field or union decodes as an open enum, sorted."""
    types = [field.type for model in api.models for field in model.fields]
    types += [branch.type for union in api.unions for branch in union.branches]
    bodies = [op.body for op in api.operations] + [
        response.body for op in api.operations for response in op.responses
    ]
    types += [body.type for body in bodies if body is not None]
    return sorted({name for type_ref in types for name in type_ref.open_enums()})


def enum_view(enum: Enum, open_names: list[str]) -> EnumView:
    """Enum IR -> its view."""
    return EnumView(
        class_name=enum.class_name,
        docstring=docstring(enum.description) or docstring(f"Known values of {enum.name}."),
        members=tuple(EnumMemberView(m.name, py_literal(m.value)) for m in enum.members),
        members_by_value=(
            enum_members_name(enum.class_name) if enum.class_name in open_names else ""
        ),
        bases=f"{enum.base}, Enum" if enum.base else "Enum",
        value_hint=enum.base or "Any",
    )


def model_imports(api: Api, package: str, helpers: Sequence[str] = ()) -> list[str]:
    """The import lines of `models.py`: only the names its classes use (`helpers`: the
    validators' format checks its loaders call)."""
    hints = " ".join(field.type_hint for model in api.models for field in model.fields)
    hints += " ".join(union.hint for union in api.unions)
    types_names = import_order(
        {"UNSET", "Record", "Unset"}
        | ({"DateTimeText"} if "DateTimeText" in hints else set())
        | ({"enum_value"} if open_enums(api) else set())
        | ({"json_value"} if api.unions else set())
    )
    validators = sorted(
        {model.validator_name for model in api.models}
        | {f"iter_errors_{b.check}" for union in api.unions for b in union.branches}
        | set(helpers)
    )
    lines = ["from collections.abc import Mapping"]
    if api.enums:
        lines.append("from enum import Enum")
    lines.append(
        "from typing import Any, ClassVar, Final"
        if api.models
        else "from typing import Any, ClassVar"
    )
    lines.append("")
    lines.append(import_line(f"{package}.types", types_names))
    if validators:
        lines.append(import_line(f"{package}.validators", validators))
    return lines
