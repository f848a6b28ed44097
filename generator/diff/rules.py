"""Diff rule catalogue: every rule id `invitegen diff` can report -> its level, category and meaning.

Ids and levels are oasdiff's (`checker/rules.go`: ERR breaks clients, WARN may break them, INFO does
not) wherever oasdiff has the rule; the few rules oasdiff lacks keep the same naming scheme and
say so in their summary. Schema rules are direction-aware: one row of `SCHEMA_RULES` gives a
change's level in a request and in a response, because what narrows a request (valid calls are now
refused) widens nothing for a reader, and what widens a response (readers meet values they never
saw) is harmless in a request.

A second category, `generated-client`, holds changes that leave the wire contract intact but
break code written against the generated client (a renamed operationId renames its method).
`--fail-on` counts the categories it is given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """oasdiff's levels: ERR breaks existing clients, WARN may break them, INFO does not."""

    ERR = "ERR"
    WARN = "WARN"
    INFO = "INFO"

    @property
    def rank(self) -> int:
        """Sort order: ERR first."""
        return _LEVEL_ORDER.index(self)

    @property
    def heading(self) -> str:
        """Section title used by the renderers and the changelog."""
        return _HEADINGS[self]


class Category(str, Enum):
    """Whom a change breaks: callers of the HTTP API, or code using the generated client."""

    API = "api"
    CLIENT = "generated-client"


_LEVEL_ORDER = (Level.ERR, Level.WARN, Level.INFO)
_HEADINGS = {
    Level.ERR: "Breaking changes (ERR)",
    Level.WARN: "Possibly breaking changes (WARN)",
    Level.INFO: "Other changes (INFO)",
}
LEVELS = _LEVEL_ORDER
ERR, WARN, INFO = Level.ERR, Level.WARN, Level.INFO


@dataclass(frozen=True)
class Rule:
    """One kind of change: its id, level, category and what it means."""

    id: str
    level: Level
    summary: str
    category: Category = Category.API


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
    "type-changed": (ERR, ERR, "type changed to an unrelated type (or narrowed, in a request)"),
    "type-generalized": (INFO, ERR, "type accepts more (for example integer -> number)"),
    "type-specialized": (INFO, INFO, "type accepts less (response only; requests: type-changed)"),
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
    "format-added": (ERR, INFO, "format added (invitegen; not in oasdiff)"),
    "format-changed": (WARN, INFO, "format changed (invitegen; not in oasdiff)"),
    "format-removed": (INFO, INFO, "format removed (invitegen; not in oasdiff)"),
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

PROPERTY_RULES: Mapping[str, tuple[Level, str]] = {
    "new-optional-request-property": (INFO, "optional request property added"),
    "new-required-request-property": (ERR, "required request property added"),
    "request-property-removed": (WARN, "request property removed"),
    "request-property-became-required": (ERR, "request property became required"),
    "request-property-became-optional": (INFO, "request property became optional"),
    "response-optional-property-added": (INFO, "optional response property added"),
    "response-required-property-added": (INFO, "required response property added"),
    "response-optional-property-removed": (WARN, "optional response property removed"),
    "response-required-property-removed": (ERR, "required response property removed"),
    "response-optional-write-only-property-removed": (INFO, "writeOnly property removed"),
    "response-required-write-only-property-removed": (INFO, "writeOnly property removed"),
    "response-property-became-optional": (ERR, "response property became optional"),
    "response-property-became-required": (INFO, "response property became required"),
    "new-required-request-property-with-default": (ERR, "required property with a default added"),
    "request-property-became-required-with-default": (
        ERR,
        "property with a default became required",
    ),
    "response-optional-write-only-property-added": (INFO, "optional writeOnly property added"),
    "response-required-write-only-property-added": (INFO, "required writeOnly property added"),
    "response-write-only-property-became-optional": (INFO, "writeOnly property became optional"),
    "response-write-only-property-became-required": (INFO, "writeOnly property became required"),
    "request-property-deprecated": (INFO, "request property deprecated"),
    "request-property-reactivated": (INFO, "request property no longer deprecated"),
    "response-property-deprecated": (INFO, "response property deprecated"),
    "response-property-reactivated": (INFO, "response property no longer deprecated"),
    "new-required-request-header-property": (
        ERR,
        "required property added to a header parameter's object",
    ),
    "request-header-property-became-required": (
        ERR,
        "property of a header parameter's object became required",
    ),
    "request-header-property-became-enum": (
        ERR,
        "property of a header parameter's object restricted to an enum",
    ),
    **{
        f"{direction}-{stem}": (level, f"{direction} {summary}")
        for direction in ("request", "response")
        for stem, (level, summary) in {
            "property-deprecated-with-sunset": (INFO, "property deprecated with an x-sunset date"),
            "property-deprecated-sunset-missing": (
                ERR,
                "property deprecated without the x-sunset the deprecation policy asks for",
            ),
            "property-deprecated-sunset-invalid": (
                ERR,
                "property deprecated with an x-sunset that is no date",
            ),
            "property-sunset-date-too-small": (
                ERR,
                "property deprecated with an x-sunset nearer than the policy allows",
            ),
            "property-stability-decreased": (ERR, "property x-stability-level decreased"),
            "property-stability-increased": (INFO, "property x-stability-level increased"),
        }.items()
    },
}

_MUTABILITY = {
    "became-read-only": "became readOnly",
    "became-not-read-only": "is no longer readOnly",
    "became-write-only": "became writeOnly",
    "became-not-write-only": "is no longer writeOnly",
}


def _mutability_rules() -> Iterator[Rule]:
    for direction in ("request", "response"):
        for requiredness in ("optional", "required"):
            for suffix, summary in _MUTABILITY.items():
                rule_id = f"{direction}-{requiredness}-property-{suffix}"
                breaks = rule_id == "response-required-property-became-not-write-only"
                yield Rule(rule_id, WARN if breaks else INFO, f"{requiredness} property {summary}")


OPERATION_RULES: Mapping[str, tuple[Level, str]] = {
    "endpoint-added": (INFO, "operation added"),
    "api-path-removed-without-deprecation": (ERR, "path removed without being deprecated first"),
    "api-path-removed-with-deprecation": (INFO, "deprecated path removed"),
    "api-removed-without-deprecation": (ERR, "operation removed without being deprecated first"),
    "api-removed-with-deprecation": (INFO, "deprecated operation removed"),
    "endpoint-deprecated": (INFO, "operation deprecated"),
    "endpoint-deprecated-with-sunset": (INFO, "operation deprecated with an x-sunset date"),
    "endpoint-reactivated": (INFO, "operation no longer deprecated"),
    "sunset-deleted": (ERR, "x-sunset removed from a deprecated operation"),
    "api-sunset-date-changed-too-small": (
        ERR,
        "x-sunset of a deprecated operation moved earlier, nearer than the policy allows",
    ),
    "api-operation-id-removed": (INFO, "operationId removed or changed"),
    "api-operation-id-added": (INFO, "operationId added"),
    "api-tag-added": (INFO, "tag added to an operation"),
    "api-tag-removed": (INFO, "tag removed from an operation"),
    "api-removed-before-sunset": (ERR, "deprecated operation removed before its x-sunset date"),
    "api-path-removed-before-sunset": (ERR, "deprecated path removed before its x-sunset date"),
    "api-deprecated-sunset-parse": (ERR, "operation deprecated with an x-sunset that is no date"),
    "api-deprecated-sunset-missing": (
        ERR,
        "operation deprecated without the x-sunset the deprecation policy asks for",
    ),
    "api-sunset-date-too-small": (
        ERR,
        "operation deprecated with an x-sunset nearer than the policy allows",
    ),
    "api-path-sunset-parse": (ERR, "deprecated operation removed; its x-sunset is no date"),
    "api-stability-decreased": (
        ERR,
        "x-stability-level decreased (stable -> beta -> alpha -> draft)",
    ),
    "api-stability-increased": (INFO, "x-stability-level increased"),
    "api-invalid-stability-level": (ERR, "x-stability-level is not draft, alpha, beta or stable"),
    "new-optional-request-parameter": (INFO, "optional parameter added"),
    "new-required-request-default-parameter-to-existing-path": (
        ERR,
        "required path-level parameter added to an existing path",
    ),
    "new-optional-request-default-parameter-to-existing-path": (
        INFO,
        "optional path-level parameter added to an existing path",
    ),
    "request-parameter-removed-before-sunset": (ERR, "parameter removed before its x-sunset date"),
    "new-required-request-parameter": (ERR, "required parameter added"),
    "new-request-path-parameter": (ERR, "path parameter added"),
    "request-parameter-removed": (WARN, "parameter removed"),
    "request-parameter-removed-with-deprecation": (INFO, "deprecated parameter removed"),
    "request-parameter-became-required": (ERR, "parameter became required"),
    "request-parameter-became-optional": (INFO, "parameter became optional"),
    "request-parameter-deprecated": (INFO, "parameter deprecated"),
    "request-parameter-reactivated": (INFO, "parameter no longer deprecated"),
    "request-parameter-deprecated-sunset-missing": (
        ERR,
        "parameter deprecated without the x-sunset the deprecation policy asks for",
    ),
    "request-parameter-sunset-date-too-small": (
        ERR,
        "parameter deprecated with an x-sunset nearer than the policy allows",
    ),
    "request-parameter-sunset-parse": (ERR, "x-sunset of a deprecated parameter is no date"),
    "request-parameter-sunset-deleted": (ERR, "x-sunset removed from a deprecated parameter"),
    "request-parameter-sunset-date-changed-too-small": (
        ERR,
        "x-sunset of a deprecated parameter moved earlier, nearer than the policy allows",
    ),
    "request-body-added-optional": (INFO, "optional request body added"),
    "request-body-added-required": (ERR, "required request body added"),
    "request-body-removed": (ERR, "request body removed"),
    "request-body-became-required": (ERR, "request body became required"),
    "request-body-became-optional": (INFO, "request body became optional"),
    "request-body-media-type-added": (INFO, "request media type added"),
    "request-body-media-type-removed": (ERR, "request media type removed"),
    "request-body-media-type-schema-added": (ERR, "schema added to a request media type"),
    "request-body-media-type-schema-removed": (INFO, "schema removed from a request media type"),
    "response-body-media-type-schema-added": (INFO, "schema added to a response media type"),
    "response-body-media-type-schema-removed": (WARN, "schema removed from a response media type"),
    "response-success-status-added": (INFO, "success (2xx) status added"),
    "response-non-success-status-added": (INFO, "non-success status added"),
    "response-success-status-removed": (ERR, "success (2xx) status removed"),
    "response-non-success-status-removed": (INFO, "non-success status removed"),
    "response-media-type-added": (INFO, "response media type added"),
    "response-media-type-removed": (ERR, "response media type removed"),
    "response-media-type-name-changed": (
        INFO,
        "response media type parameters changed (`application/json` -> `...; charset=utf-8`)",
    ),
    "response-media-type-name-generalized": (
        ERR,
        "response media type made more general (`application/problem+json` -> `application/json`)",
    ),
    "response-media-type-name-specialized": (
        INFO,
        "response media type made more specific (`application/json` -> `application/problem+json`)",
    ),
    "response-header-added": (INFO, "response header added"),
    "required-response-header-removed": (ERR, "required response header removed"),
    "optional-response-header-removed": (WARN, "optional response header removed"),
    "response-header-became-optional": (ERR, "response header became optional"),
    "api-security-added": (INFO, "operation security requirement added"),
    "api-security-removed": (INFO, "operation security requirement removed"),
    "api-security-scope-added": (INFO, "scope added to an operation security requirement"),
    "api-security-scope-removed": (INFO, "scope removed from an operation security requirement"),
    "api-global-security-added": (INFO, "global security requirement added"),
    "api-global-security-removed": (INFO, "global security requirement removed"),
    "api-global-security-scope-added": (INFO, "scope added to a global security requirement"),
    "api-global-security-scope-removed": (INFO, "scope removed from a global security requirement"),
    "api-server-added": (INFO, "server added (invitegen; oasdiff has no server rules)"),
    "api-server-removed": (WARN, "server removed (invitegen; oasdiff has no server rules)"),
    "api-version-changed": (INFO, "info.version changed (invitegen)"),
    "api-version-not-bumped": (INFO, "the API changed but info.version did not"),
    "api-version-decreased": (INFO, "info.version decreased"),
    "api-major-version-not-bumped": (INFO, "ERR changes without a major info.version bump"),
    "api-schema-removed": (INFO, "component schema removed"),
    "api-security-component-added": (INFO, "security scheme added"),
    "api-security-component-removed": (INFO, "security scheme removed"),
    "api-security-component-type-changed": (INFO, "security scheme type changed"),
    "api-security-component-oauth-url-changed": (INFO, "OAuth authorizationUrl changed"),
    "api-security-component-oauth-token-url-changed": (INFO, "OAuth tokenUrl changed"),
    "api-security-component-oauth-scope-added": (INFO, "OAuth scope added to a scheme"),
    "api-security-component-oauth-scope-removed": (INFO, "OAuth scope removed from a scheme"),
    "api-security-component-oauth-scope-changed": (INFO, "OAuth scope description changed"),
    "webhook-added": (INFO, "webhook added"),
    "webhook-removed": (ERR, "webhook removed"),
}

# The generated client breaks although the wire contract does not (or less than ERR).
CLIENT_RULES: Mapping[str, tuple[Level, str]] = {
    "client-method-renamed": (ERR, "operationId changed: the generated method is renamed"),
    "client-argument-renamed": (ERR, "path parameter renamed: the generated argument is renamed"),
    "client-argument-removed": (ERR, "parameter removed: the generated argument goes"),
    "client-attribute-removed": (ERR, "response property removed: the model attribute goes"),
}


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
        *_mutability_rules(),
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
    "A header parameter's own schema becoming an enum is `request-parameter-became-enum` only; "
    "oasdiff also adds `request-header-property-became-enum` for the same change. Properties of "
    "a header parameter's object get the `request-header-property-*` rules.",
    "`x-stability-level` added to an operation that had none is not reported (oasdiff reads "
    "an absent level as stable); on properties it is, as in oasdiff.",
)
