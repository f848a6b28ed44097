"""Keyword checks: two schema views (old, new) -> `Finding`s, one table entry per keyword family.

Each check returns rule-id *suffixes* (`max-length-decreased`); the walk in `schema.py` puts the
prefix in front (`request-property-`, `response-body-`, ...) from where the schema sits. Findings are
located at the keyword that changed: in the new spec, or in the old one when the keyword went.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from generator.diff.model import Spot, code, new_spot, old_spot
from generator.diff.rules import BOUNDS, SUBSCHEMA_STEMS, BoundRule
from generator.diff.schema_view import SchemaView, canonical
from generator.errors import join_pointer


@dataclass(frozen=True)
class Finding:
    """One difference found at a schema: its rule-id suffix, what changed in words, and where.

    `child` names the property a property-level finding is about (`removed`, `became-required`);
    `required` says whether that property is required, `write_only` whether it is writeOnly.
    `sunset` holds a newly deprecated property's `x-sunset` (empty: none). `loose` names the
    direction in which a type change is harmless where values travel as text (a request whose new
    type is string, a response whose old type was string: oasdiff's `*-type-compatible`).
    """

    suffix: str
    detail: str
    spot: Spot
    child: str | None = None
    required: bool = False
    write_only: bool = False
    has_default: bool = False
    sunset: tuple[Any, ...] = ()
    loose: str = ""
    # The suffix in a response when it is not `suffix` (a format change reads differently).
    response_suffix: str = ""


Check = Callable[[SchemaView, SchemaView], Iterator[Finding]]


def _accepts(types: frozenset[str] | None, name: str) -> bool:
    return types is None or name in types or (name == "integer" and "number" in types)


def _covers(wider: frozenset[str] | None, narrower: frozenset[str] | None) -> bool:
    if narrower is None:
        return wider is None
    return all(_accepts(wider, name) for name in narrower)


def unrelated(old: SchemaView, new: SchemaView) -> bool:
    """Whether no value of one type set is a value of the other (string vs integer)."""
    before, after = old.value_types, new.value_types
    if not before or not after:
        return False
    return not any(_accepts(before, name) and _accepts(after, name) for name in before | after)


def _types_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else " | ".join(sorted(types)) or "nothing"


def check_type(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """Type sets (ignoring null): generalized, specialized or changed to something unrelated.

    A list of several types that gains or loses one is oasdiff's `list-of-types-*`.
    """
    before, after = old.value_types, new.value_types
    generalized, specialized = _covers(after, before), _covers(before, after)
    if generalized and specialized:
        return
    relation = "generalized" if generalized else "specialized" if specialized else "changed"
    listed = before is not None and after is not None and max(len(before), len(after)) > 1
    if listed and relation != "changed" and before and after:
        relation = "list-of-types-widened" if generalized else "list-of-types-narrowed"
        detail = f"type changed from {code(_types_text(before))} to {code(_types_text(after))}"
        yield Finding(relation, detail, _spot(old, new, "type"))
        return
    detail = f"type changed from {code(_types_text(before))} to {code(_types_text(after))}"
    loose = ""
    if relation == "changed" and before and after:
        loose = "request" if after == {"string"} else "response" if before == {"string"} else ""
    yield Finding(f"type-{relation}", detail, _spot(old, new, "type"), loose=loose)


def _spot(old: SchemaView, new: SchemaView, keyword: str) -> Spot:
    """The keyword in the new spec, or in the old one when the new schema no longer has it."""
    if keyword in new.owners or keyword not in old.owners:
        return new_spot(new.spot(keyword))
    return old_spot(old.spot(keyword))


def check_nullable(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """null added to or removed from the accepted values."""
    if not (old.nullability_known and new.nullability_known) or old.nullable == new.nullable:
        return
    if new.nullable:
        yield Finding("became-nullable", "became nullable", new_spot(new.spot("type")))
    else:
        yield Finding("became-not-nullable", "is no longer nullable", _spot(old, new, "type"))


def check_enum(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """Enum restriction added or removed, and each enum value added or removed."""
    if old.enum is None and new.enum is None:
        return
    if old.enum is None and new.enum is not None:
        values = ", ".join(code(value) for value in sorted(new.enum))
        yield Finding("became-enum", f"restricted to the values {values}", _spot(old, new, "enum"))
    elif new.enum is None and old.enum is not None:
        values = ", ".join(code(value) for value in sorted(old.enum))
        yield Finding(
            "became-not-enum", f"no longer restricted to {values}", _spot(old, new, "enum")
        )
    elif old.enum is not None and new.enum is not None:
        for value in sorted(old.enum.keys() - new.enum.keys()):
            spot = old_spot(old.enum[value])
            yield Finding("enum-value-removed", f"enum value {code(value)} removed", spot)
        for value in sorted(new.enum.keys() - old.enum.keys()):
            spot = new_spot(new.enum[value])
            yield Finding("enum-value-added", f"enum value {code(value)} added", spot)


def check_extensible_enum(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`x-extensible-enum` values removed (adding one is what the extension is for)."""
    if old.extensible_enum is None:
        return
    after = new.extensible_enum or {}
    for value in sorted(old.extensible_enum.keys() - after.keys()):
        spot = old_spot(old.extensible_enum[value])
        detail = f"x-extensible-enum value {code(value)} removed"
        yield Finding("x-extensible-enum-value-removed", detail, spot)


def check_bound(bound: BoundRule, old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """One numeric bound: tightened, loosened, set or removed."""
    before, after = old.keywords.get(bound.keyword), new.keywords.get(bound.keyword)
    if before == after:
        return
    spot = _spot(old, new, bound.keyword)
    if before is None:
        yield Finding(f"{bound.stem}-set", f"{bound.keyword} set to {after}", spot)
    elif after is None:
        yield Finding(f"{bound.stem}-unset", f"{bound.keyword} removed (was {before})", spot)
    else:
        verb = "increased" if after > before else "decreased"
        detail = f"{bound.keyword} {verb} from {before} to {after}"
        yield Finding(f"{bound.stem}-{verb}", detail, spot)


def check_value_keyword(
    keyword: str, stem: str, old: SchemaView, new: SchemaView
) -> Iterator[Finding]:
    """A keyword compared by value (`pattern`, `format`, `default`, `const`): added, changed, gone."""
    before, after = old.keywords.get(keyword), new.keywords.get(keyword)
    if before == after:
        return
    spot = _spot(old, new, keyword)
    if before is None:
        yield Finding(f"{stem}-added", f"{keyword} {code(str(after))} added", spot)
    elif after is None:
        yield Finding(f"{stem}-removed", f"{keyword} {code(str(before))} removed", spot)
    else:
        detail = f"{keyword} changed from {code(str(before))} to {code(str(after))}"
        # oasdiff: a pattern that became `.*` accepts anything (`*-pattern-generalized`).
        generalized = keyword == "pattern" and after == ".*"
        yield Finding(f"{stem}-{'generalized' if generalized else 'changed'}", detail, spot)


# oasdiff's `isFormatContained`: (type, narrower, wider) where every value of the narrower format
# is one of the wider (an int32 is an int64; a date is read as a date-time).
FORMAT_WIDENINGS = frozenset(
    {
        ("number", "float", "double"),
        ("integer", "int32", "int64"),
        ("integer", "int32", "bigint"),
        ("integer", "int64", "bigint"),
        ("string", "date", "date-time"),
        ("string", "time", "date-time"),
    }
)


def _format_covers(types: frozenset[str] | None, wider: Any, narrower: Any) -> bool:
    """Whether format `wider` accepts every value of `narrower` (no format accepts all)."""
    if wider is None:
        return True
    if types is None or len(types) != 1:
        return False
    return (next(iter(types)), narrower, wider) in FORMAT_WIDENINGS


def check_format(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """A format set, removed or changed: a type change, as oasdiff reads it.

    In a request the change is generalized when the new format accepts every old value, else
    changed; in a response specialized when the old format accepts every new value, else changed.
    """
    before, after = old.keywords.get("format"), new.keywords.get("format")
    if before == after:
        return
    request = "generalized" if _format_covers(new.value_types, after, before) else "changed"
    response = "specialized" if _format_covers(old.value_types, before, after) else "changed"
    shown = code(str(before or "none")), code(str(after or "none"))
    detail = f"format changed from {shown[0]} to {shown[1]}"
    spot = _spot(old, new, "format")
    yield Finding(f"type-{request}", detail, spot, response_suffix=f"type-{response}")


def check_additional_properties(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`additionalProperties: false` and `unevaluatedProperties: false` added or removed."""
    if old.closed != new.closed:
        spot = _spot(old, new, "additionalProperties")
        if new.closed:
            yield Finding(
                "additional-properties-closed", "no longer accepts unknown properties", spot
            )
        else:
            yield Finding("additional-properties-opened", "now accepts unknown properties", spot)
    if old.unevaluated_closed != new.unevaluated_closed:
        verb = "added" if new.unevaluated_closed else "removed"
        side, pointer = (
            (new_spot, new.pointer) if new.unevaluated_closed else (old_spot, old.pointer)
        )
        spot = side(join_pointer(pointer, "unevaluatedProperties"))
        detail = f"`unevaluatedProperties: false` {verb}"
        yield Finding(f"unevaluated-properties-{verb}", detail, spot)


def check_dependent_required(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`dependentRequired` entries added, removed or changed."""
    before, after = old.dependent_required, new.dependent_required
    for name in sorted(before.keys() | after.keys()):
        subject = f"dependentRequired for {code(name)}"
        if name not in after:
            spot = old_spot(join_pointer(old.pointer, "dependentRequired", name))
            yield Finding("dependent-required-removed", f"{subject} removed", spot)
        elif name not in before:
            spot = new_spot(join_pointer(new.pointer, "dependentRequired", name))
            yield Finding("dependent-required-added", f"{subject} added", spot)
        elif before[name] != after[name]:
            spot = new_spot(join_pointer(new.pointer, "dependentRequired", name))
            yield Finding("dependent-required-changed", f"{subject} changed", spot)


def check_discriminator(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """Discriminator added, removed, its propertyName or its mapping entries changed."""
    before, after = old.discriminator, new.discriminator
    spot = new_spot(join_pointer(new.pointer, "discriminator"))
    if before is None or after is None:
        if after is not None:
            yield Finding("discriminator-added", "discriminator added", spot)
        elif before is not None:
            spot = old_spot(join_pointer(old.pointer, "discriminator"))
            yield Finding("discriminator-removed", "discriminator removed", spot)
        return
    if before[0] != after[0]:
        detail = f"discriminator propertyName changed from {code(before[0])} to {code(after[0])}"
        yield Finding("discriminator-property-name-changed", detail, spot)
    for key in sorted(before[1].keys() | after[1].keys()):
        subject = f"discriminator mapping {code(key)}"
        if key not in after[1]:
            yield Finding("discriminator-mapping-deleted", f"{subject} removed", spot)
        elif key not in before[1]:
            yield Finding("discriminator-mapping-added", f"{subject} added", spot)
        elif before[1][key] != after[1][key]:
            yield Finding("discriminator-mapping-changed", f"{subject} changed", spot)


def check_prefix_items(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`prefixItems` entries added or removed at the end (common entries are walked)."""
    for index in range(len(new.prefix_items), len(old.prefix_items)):
        spot = old_spot(old.prefix_items[index][1])
        yield Finding("prefix-items-removed", f"prefixItems[{index}] removed", spot)
    for index in range(len(old.prefix_items), len(new.prefix_items)):
        spot = new_spot(new.prefix_items[index][1])
        yield Finding("prefix-items-added", f"prefixItems[{index}] added", spot)


def check_pattern_properties(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`patternProperties` patterns added or removed (common ones are walked)."""
    before, after = old.pattern_properties, new.pattern_properties
    for pattern in sorted(before.keys() - after.keys()):
        spot = old_spot(before[pattern][1])
        yield Finding(
            "pattern-property-removed", f"patternProperties {code(pattern)} removed", spot
        )
    for pattern in sorted(after.keys() - before.keys()):
        spot = new_spot(after[pattern][1])
        yield Finding("pattern-property-added", f"patternProperties {code(pattern)} added", spot)


def check_subschemas(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`contains`, `if`/`then`/`else`, `propertyNames`, ...: added or removed; `not` changed."""
    for keyword in sorted(old.subschemas.keys() | new.subschemas.keys()):
        stem = SUBSCHEMA_STEMS.get(keyword, "not")
        if keyword not in new.subschemas:
            spot = old_spot(old.subschemas[keyword][1])
            yield Finding(f"{stem}-removed", f"`{keyword}` removed", spot)
        elif keyword not in old.subschemas:
            spot = new_spot(new.subschemas[keyword][1])
            yield Finding(f"{stem}-added", f"`{keyword}` added", spot)
        elif keyword == "not" and canonical(old.subschemas["not"][0]) != canonical(
            new.subschemas["not"][0]
        ):
            yield Finding("not-changed", "`not` changed", new_spot(new.subschemas["not"][1]))


def check_dependent_schemas(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`dependentSchemas` entries added or removed (common ones are walked)."""
    before, after = old.dependent_schemas, new.dependent_schemas
    for name in sorted(before.keys() - after.keys()):
        spot = old_spot(before[name][1])
        yield Finding("dependent-schema-removed", f"dependentSchemas {code(name)} removed", spot)
    for name in sorted(after.keys() - before.keys()):
        spot = new_spot(after[name][1])
        yield Finding("dependent-schema-added", f"dependentSchemas {code(name)} added", spot)


def check_content_keyword(
    keyword: str, stem: str, old: SchemaView, new: SchemaView
) -> Iterator[Finding]:
    """`contentMediaType`, `contentEncoding`: any difference is a change (as oasdiff)."""
    before, after = old.keywords.get(keyword), new.keywords.get(keyword)
    if before != after:
        detail = f"{keyword} changed from {code(str(before))} to {code(str(after))}"
        yield Finding(f"{stem}-changed", detail, _spot(old, new, keyword))


SCHEMA_CHECKS: dict[str, Check] = {
    "type": check_type,
    "nullable": check_nullable,
    "enum": check_enum,
    "x-extensible-enum": check_extensible_enum,
    **{bound.keyword: partial(check_bound, bound) for bound in BOUNDS},
    "pattern": partial(check_value_keyword, "pattern", "pattern"),
    "format": check_format,
    "default": partial(check_value_keyword, "default", "default-value"),
    "const": partial(check_value_keyword, "const", "const"),
    "additionalProperties": check_additional_properties,
    "dependentRequired": check_dependent_required,
    "discriminator": check_discriminator,
    "prefixItems": check_prefix_items,
    "patternProperties": check_pattern_properties,
    "subschemas": check_subschemas,
    "dependentSchemas": check_dependent_schemas,
    "contentMediaType": partial(check_content_keyword, "contentMediaType", "content-media-type"),
    "contentEncoding": partial(check_content_keyword, "contentEncoding", "content-encoding"),
}
# Checks that still make sense when one side is a oneOf/anyOf and the other is not.
SHAPE_FREE_CHECKS = ("nullable", "default", "discriminator")
