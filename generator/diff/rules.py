"""Diff rule catalogue: every rule id `invitegen diff` can report -> its level, category and meaning.

Ids and levels are oasdiff's (`checker/rules.go`: ERR breaks clients, WARN may break them, INFO does
not) wherever oasdiff has the rule; the few rules oasdiff lacks keep the same naming scheme and
say so in their summary. Schema rules are direction-aware: one row of `SCHEMA_RULES` gives a
change's level in a request and in a response, because what narrows a request (valid calls are now
refused) widens nothing for a reader, and what widens a response (readers meet values they never
saw) is harmless in a request.

A second category, `generated-client`, holds changes that leave the wire contract intact but
break code written against the generated client (a renamed operationId renames its method).
`--fail-on` counts the categories it is given. Levels and `Rule` are in `levels`, the
property, operation and generated-client tables in `operation_rules`; this module joins them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from generator.diff.levels import ERR, INFO, LEVELS, WARN, Category, Level, Rule
from generator.diff.operation_rules import (
    CLIENT_RULES,
    OPERATION_RULES,
    PROPERTY_RULES,
    mutability_rules,
)

__all__ = [
    "BEHAVIOUR_NOTES",
    "BOUNDS",
    "CLIENT_RULES",
    "LEVELS",
    "OASDIFF_DIFFERENCES",
    "OPERATION_RULES",
    "PARAMETER_PROPERTY",
    "PREFIX_OVERRIDES",
    "PROPERTY_RULES",
    "READ_ONLY_PREFIX",
    "RENAMED_SCHEMA_RULES",
    "REQUEST_PREFIXES",
    "RESPONSE_PREFIXES",
    "RULES",
    "SCHEMA_RULES",
    "SUBSCHEMA_STEMS",
    "WRITE_ONLY_PREFIX",
    "BoundRule",
    "Category",
    "Level",
    "Rule",
    "schema_rule_id",
]


@dataclass(frozen=True)
class BoundRule:
    """A numeric bound keyword and the rule-id stem of its changes."""

    keyword: str
    stem: str
    upper: bool


BOUNDS = (
    BoundRule("maxLength", "max-length", upper=True),
    BoundRule("minLength", "min-length", upper=False),
    BoundRule("maxItems", "max-items", upper=True),
    BoundRule("minItems", "min-items", upper=False),
    BoundRule("maxProperties", "max-properties", upper=True),
    BoundRule("minProperties", "min-properties", upper=False),
    BoundRule("maximum", "max", upper=True),
    BoundRule("minimum", "min", upper=False),
    BoundRule("exclusiveMaximum", "exclusive-max", upper=True),
    BoundRule("exclusiveMinimum", "exclusive-min", upper=False),
    BoundRule("maxContains", "max-contains", upper=True),
    BoundRule("minContains", "min-contains", upper=False),
)
# Keywords holding one subschema: their presence is compared, and their content when both have it.
SUBSCHEMA_STEMS: Mapping[str, str] = {
    "contains": "contains",
    "if": "if",
    "then": "then",
    "else": "else",
    "propertyNames": "property-names",
    "unevaluatedItems": "unevaluated-items",
    "contentSchema": "content-schema",
}

Row = tuple[Level, Level, str]


def _bound_rows() -> dict[str, Row]:
    """A bound tightened, loosened, set where there was none, or dropped; both directions."""
    rows: dict[str, Row] = {}
    for bound in BOUNDS:
        tighter, looser = ("decreased", "increased") if bound.upper else ("increased", "decreased")
        rows[f"{bound.stem}-{tighter}"] = (ERR, INFO, f"{bound.keyword} tightened")
        rows[f"{bound.stem}-{looser}"] = (INFO, ERR, f"{bound.keyword} loosened")
        rows[f"{bound.stem}-set"] = (WARN, INFO, f"{bound.keyword} set where there was none")
        rows[f"{bound.stem}-unset"] = (INFO, ERR, f"{bound.keyword} removed")
    return rows


# suffix -> (level in a request, level in a response, summary)
SCHEMA_RULES: Mapping[str, Row] = {
    "type-changed": (
        ERR,
        ERR,
        "type or format changed to an unrelated one (or narrowed, in a request)",
    ),
    "type-generalized": (
        INFO,
        ERR,
        "type or format accepts more (integer -> number, date -> date-time, format removed)",
    ),
    "type-specialized": (
        INFO,
        INFO,
        "type or format accepts less (response only; requests: type-changed)",
    ),
    "type-compatible": (
        INFO,
        INFO,
        "type changed where values travel as text (a non-JSON media type, a response header): "
        "to string in a request, from string in a response",
    ),
    "list-of-types-widened": (INFO, ERR, "a list of types accepts more types"),
    "list-of-types-narrowed": (ERR, INFO, "a list of types accepts fewer types"),
    "became-nullable": (INFO, ERR, "null became allowed"),
    "became-not-nullable": (ERR, INFO, "null is no longer allowed"),
    "enum-value-added": (INFO, WARN, "enum value added"),
    "enum-value-removed": (ERR, INFO, "enum value removed"),
    "became-enum": (ERR, INFO, "values restricted to an enum"),
    "became-not-enum": (INFO, WARN, "enum restriction removed (invitegen; not in oasdiff)"),
    "const-added": (ERR, INFO, "const added"),
    "const-removed": (INFO, ERR, "const removed"),
    "const-changed": (ERR, ERR, "const changed"),
    "pattern-added": (ERR, INFO, "pattern added"),
    "pattern-changed": (WARN, INFO, "pattern changed (may accept other values)"),
    "pattern-removed": (INFO, INFO, "pattern removed"),
    "pattern-generalized": (INFO, INFO, "pattern changed to `.*` (accepts any string)"),
    "default-value-added": (INFO, INFO, "default value added"),
    "default-value-removed": (INFO, INFO, "default value removed"),
    "default-value-changed": (INFO, INFO, "default value changed"),
    "additional-properties-closed": (ERR, INFO, "unknown properties refused (invitegen)"),
    "additional-properties-opened": (INFO, WARN, "unknown properties allowed (invitegen)"),
    "unevaluated-properties-added": (ERR, INFO, "unevaluatedProperties: false added"),
    "unevaluated-properties-removed": (INFO, ERR, "unevaluatedProperties: false removed"),
    "one-of-added": (INFO, ERR, "oneOf branch added"),
    "wrapped-in-one-of": (ERR, ERR, "the schema became a oneOf with the old schema as a branch"),
    "all-of-added": (ERR, INFO, "allOf member added"),
    "all-of-removed": (WARN, INFO, "allOf member removed"),
    "all-of-added-annotation-only": (INFO, INFO, "allOf member with annotations only added"),
    "all-of-removed-annotation-only": (INFO, INFO, "allOf member with annotations only removed"),
    "x-extensible-enum-value-removed": (ERR, INFO, "x-extensible-enum value removed"),
    "one-of-removed": (ERR, INFO, "oneOf branch removed"),
    "any-of-added": (INFO, INFO, "anyOf branch added"),
    "any-of-removed": (ERR, INFO, "anyOf branch removed"),
    "prefix-items-added": (INFO, ERR, "prefixItems entry added"),
    "prefix-items-removed": (ERR, INFO, "prefixItems entry removed"),
    "pattern-property-added": (ERR, INFO, "patternProperties pattern added"),
    "pattern-property-removed": (INFO, ERR, "patternProperties pattern removed"),
    "dependent-required-added": (ERR, INFO, "dependentRequired entry added"),
    "dependent-required-removed": (INFO, ERR, "dependentRequired entry removed"),
    "dependent-required-changed": (ERR, ERR, "dependentRequired entry changed"),
    "discriminator-added": (INFO, INFO, "discriminator added"),
    "discriminator-removed": (INFO, INFO, "discriminator removed"),
    "discriminator-property-name-changed": (INFO, INFO, "discriminator propertyName changed"),
    "discriminator-mapping-added": (INFO, INFO, "discriminator mapping entry added"),
    "discriminator-mapping-deleted": (INFO, INFO, "discriminator mapping entry removed"),
    "discriminator-mapping-changed": (INFO, INFO, "discriminator mapping entry changed"),
    **{
        f"{stem}-added": (ERR, INFO, f"`{keyword}` added")
        for keyword, stem in SUBSCHEMA_STEMS.items()
    },
    **{
        f"{stem}-removed": (INFO, ERR, f"`{keyword}` removed")
        for keyword, stem in SUBSCHEMA_STEMS.items()
    },
    "dependent-schema-added": (ERR, INFO, "dependentSchemas entry added"),
    "dependent-schema-removed": (INFO, ERR, "dependentSchemas entry removed"),
    "content-media-type-changed": (ERR, ERR, "contentMediaType changed"),
    "content-encoding-changed": (ERR, ERR, "contentEncoding changed"),
    "not-added": (ERR, INFO, "`not` added (invitegen; not in oasdiff)"),
    "not-removed": (INFO, ERR, "`not` removed (invitegen; not in oasdiff)"),
    "not-changed": (WARN, WARN, "`not` changed (invitegen; not in oasdiff)"),
    **_bound_rows(),
}

# Where a schema sits -> its rule-id prefix and direction. Nested properties of a parameter's
# schema use `request-parameter-property`.
REQUEST_PREFIXES = (
    "request-body",
    "request-property",
    "request-parameter",
    "request-parameter-property",
)
RESPONSE_PREFIXES = ("response-body", "response-property", "response-header")
# Under a readOnly property in a request, or a writeOnly property in a response, nothing the
# schema says reaches the other side: every change is INFO (oasdiff's `request-read-only-property-*`).
READ_ONLY_PREFIX = "request-read-only-property"
PARAMETER_PROPERTY = "request-parameter-property"
WRITE_ONLY_PREFIX = "response-write-only-property"

# oasdiff rates a parameter's default higher than a body's: the server fills it in for callers
# that leave the parameter out, so a new or changed default changes what those calls mean.
PREFIX_OVERRIDES: Mapping[str, Level] = {
    # oasdiff: a nested parameter property's type change may still serialise the same way.
    "request-parameter-property-type-changed": WARN,
    "request-parameter-property-type-specialized": ERR,
    "request-parameter-default-value-added": ERR,
    "request-parameter-default-value-removed": ERR,
    "request-parameter-default-value-changed": ERR,
}


# Schema-rule ids oasdiff spells differently from `<prefix>-<suffix>`.
RENAMED_SCHEMA_RULES: Mapping[str, str] = {
    "response-body-enum-value-removed": "response-mediatype-enum-value-removed",
}
# (prefix, suffix) pairs no walk reports: a narrowed request type is `type-changed`, as in
# oasdiff; a scalar parameter's text-compatible change is `type-generalized`, an object
# parameter's serialisation is unknown, and nothing is compatible under readOnly/writeOnly.
UNREACHABLE = frozenset(
    {
        *(
            (prefix, "type-specialized")
            for prefix in ("request-body", "request-property", "request-parameter")
        ),
        *(
            (prefix, "type-compatible")
            for prefix in (
                "request-parameter",
                PARAMETER_PROPERTY,
                READ_ONLY_PREFIX,
                WRITE_ONLY_PREFIX,
            )
        ),
    }
)


def schema_rule_id(prefix: str, suffix: str) -> str:
    """The rule id of a schema change: `<prefix>-<suffix>`, or oasdiff's own spelling of it."""
    rule_id = f"{prefix}-{suffix}"
    return RENAMED_SCHEMA_RULES.get(rule_id, rule_id)


def _directed(prefixes: tuple[str, ...], response: bool) -> Iterator[Rule]:
    """One rule per prefix and schema row, at the row's request or response level."""
    for prefix in prefixes:
        for suffix, (request_level, response_level, summary) in SCHEMA_RULES.items():
            if (prefix, suffix) in UNREACHABLE:
                continue
            rule_id = schema_rule_id(prefix, suffix)
            level = response_level if response else request_level
            yield Rule(rule_id, PREFIX_OVERRIDES.get(rule_id, level), summary)


def _hidden(prefix: str) -> Iterator[Rule]:
    """Changes under a readOnly (request) or writeOnly (response) property: all INFO."""
    side = "readOnly property in a request" if "read-only" in prefix else "writeOnly in a response"
    for suffix, (_, _, summary) in SCHEMA_RULES.items():
        if (prefix, suffix) not in UNREACHABLE:
            yield Rule(f"{prefix}-{suffix}", INFO, f"{summary}, under a {side}")


def _catalogue() -> dict[str, Rule]:
    rules = [
        *_directed(REQUEST_PREFIXES, response=False),
        *_directed(RESPONSE_PREFIXES, response=True),
        *_hidden(READ_ONLY_PREFIX),
        *_hidden(WRITE_ONLY_PREFIX),
        *mutability_rules(),
        *(Rule(rule_id, level, summary) for rule_id, (level, summary) in PROPERTY_RULES.items()),
        *(Rule(rule_id, level, summary) for rule_id, (level, summary) in OPERATION_RULES.items()),
        *(
            Rule(rule_id, level, summary, Category.CLIENT)
            for rule_id, (level, summary) in CLIENT_RULES.items()
        ),
    ]
    return {rule.id: rule for rule in sorted(rules, key=lambda rule: rule.id)}


RULES: Mapping[str, Rule] = _catalogue()

# oasdiff rule ids (`tests/diff_specs/oasdiff_rules.txt`) this catalogue lacks or rates at another
# level, each with the reason; a test keeps it exact. Empty: every oasdiff id is here, at its level.
OASDIFF_DIFFERENCES: Mapping[str, str] = {}

# Where invitegen reports the same change as oasdiff differently (ids and levels aside).
BEHAVIOUR_NOTES = (
    "A deprecated operation or parameter removed after its `x-sunset` is reported "
    "(`*-with-deprecation`, INFO); oasdiff reports nothing.",
    "Request media types are never paired by name (`application/json` -> `application/json; "
    "charset=utf-8` is a media type removed, ERR, and one added): a client sending the old "
    "`Content-Type` may be refused. oasdiff pairs them silently; response renames are paired "
    "as oasdiff does (`response-media-type-name-*`).",
    "A path removed whose operations are `draft` or `alpha` is reported like any other "
    "(`api-path-removed-*`); oasdiff skips such paths (though not such an operation removed "
    "from a path that stays).",
    "A header parameter's own schema becoming an enum is `request-parameter-became-enum` only; "
    "oasdiff also adds `request-header-property-became-enum` for the same change. Properties of "
    "a header parameter's object get the `request-header-property-*` rules.",
)
