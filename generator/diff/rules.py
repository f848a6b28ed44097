"""Diff rule catalogue: every rule id `invitegen diff` can report -> its level and a summary.

Rule ids follow oasdiff's checker (`request-property-max-length-decreased`,
`response-property-removed`, ...). Schema rules are direction-aware: one table row gives the level
of a change when the schema describes a request and when it describes a response, because what
narrows a request (breaking: valid data is now rejected) widens nothing for a reader, and what
widens a response (breaking: readers meet values they never saw) is harmless in a request.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import Enum


class Level(str, Enum):
    """How a change affects existing users of the API and of the generated client."""

    BREAKING = "breaking"
    STRICT = "breaking for strict consumers"
    NON_BREAKING = "non-breaking"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Sort order: breaking first, notes last."""
        return _LEVEL_ORDER.index(self)

    @property
    def heading(self) -> str:
        """Section title used by the renderers and the changelog."""
        return _HEADINGS[self]


_LEVEL_ORDER = (Level.BREAKING, Level.STRICT, Level.NON_BREAKING, Level.INFO)
_HEADINGS = {
    Level.BREAKING: "Breaking changes",
    Level.STRICT: "Breaking for strict consumers",
    Level.NON_BREAKING: "Non-breaking changes",
    Level.INFO: "Notes",
}
LEVELS = _LEVEL_ORDER


@dataclass(frozen=True)
class Rule:
    """One kind of change: its id, its level and what it means."""

    id: str
    level: Level
    summary: str


@dataclass(frozen=True)
class BoundRule:
    """A numeric bound keyword and the rule-id stem of its changes."""

    keyword: str
    stem: str
    upper: bool
    floor: float


BREAK, STRICT, SAFE, NOTE = Level.BREAKING, Level.STRICT, Level.NON_BREAKING, Level.INFO

# Absent lower bounds of lengths and counts mean 0; absent numeric bounds mean unbounded.
BOUNDS = (
    BoundRule("maxLength", "max-length", upper=True, floor=0),
    BoundRule("minLength", "min-length", upper=False, floor=0),
    BoundRule("maxItems", "max-items", upper=True, floor=0),
    BoundRule("minItems", "min-items", upper=False, floor=0),
    BoundRule("maxProperties", "max-properties", upper=True, floor=0),
    BoundRule("minProperties", "min-properties", upper=False, floor=0),
    BoundRule("maximum", "max", upper=True, floor=float("-inf")),
    BoundRule("minimum", "min", upper=False, floor=float("-inf")),
    BoundRule("exclusiveMaximum", "exclusive-max", upper=True, floor=float("-inf")),
    BoundRule("exclusiveMinimum", "exclusive-min", upper=False, floor=float("-inf")),
)


def _bound_rows() -> dict[str, tuple[Level, Level, str]]:
    rows: dict[str, tuple[Level, Level, str]] = {}
    for bound in BOUNDS:
        tighter, looser = ("decreased", "increased") if bound.upper else ("increased", "decreased")
        rows[f"{bound.stem}-{tighter}"] = (BREAK, SAFE, f"{bound.keyword} tightened (or newly set)")
        rows[f"{bound.stem}-{looser}"] = (SAFE, STRICT, f"{bound.keyword} loosened (or removed)")
    return rows


# suffix -> (level in a request, level in a response, summary)
SCHEMA_RULES: Mapping[str, tuple[Level, Level, str]] = {
    "type-changed": (BREAK, BREAK, "type changed to an unrelated type"),
    "type-widened": (SAFE, BREAK, "type accepts more (for example integer -> number)"),
    "type-narrowed": (BREAK, SAFE, "type accepts less (for example number -> integer)"),
    "became-nullable": (SAFE, BREAK, "null became allowed"),
    "became-not-nullable": (BREAK, SAFE, "null is no longer allowed"),
    "enum-value-added": (SAFE, STRICT, "enum value added"),
    "enum-value-removed": (BREAK, SAFE, "enum value removed"),
    "became-enum": (BREAK, SAFE, "values restricted to an enum"),
    "became-not-enum": (SAFE, STRICT, "enum restriction removed"),
    "pattern-added": (BREAK, SAFE, "pattern added"),
    "pattern-changed": (BREAK, STRICT, "pattern changed"),
    "pattern-removed": (SAFE, STRICT, "pattern removed"),
    "format-added": (BREAK, SAFE, "format added"),
    "format-changed": (BREAK, STRICT, "format changed"),
    "format-removed": (SAFE, STRICT, "format removed"),
    "additional-properties-closed": (BREAK, SAFE, "unknown properties no longer allowed"),
    "additional-properties-opened": (SAFE, STRICT, "unknown properties now allowed"),
    **_bound_rows(),
}

# Object-property rules: only under the `*-property` prefixes.
PROPERTY_RULES: Mapping[str, tuple[Level, Level, str]] = {
    "added": (SAFE, SAFE, "optional property added"),
    "added-required": (BREAK, SAFE, "required property added"),
    "removed": (BREAK, BREAK, "property removed"),
    "became-required": (BREAK, SAFE, "property became required"),
    "became-optional": (SAFE, BREAK, "property became optional"),
}

REQUEST_PREFIXES = ("request-body", "request-parameter", "request-property")
RESPONSE_PREFIXES = ("response-body", "response-property")

OPERATION_RULES: Mapping[str, tuple[Level, str]] = {
    "endpoint-added": (SAFE, "operation added"),
    "api-path-removed-without-deprecation": (BREAK, "path removed without being deprecated first"),
    "api-path-removed-with-deprecation": (BREAK, "deprecated path removed (its client methods go)"),
    "api-removed-without-deprecation": (BREAK, "operation removed without being deprecated first"),
    "api-removed-with-deprecation": (
        BREAK,
        "deprecated operation removed (its client method goes)",
    ),
    "api-operation-id-updated": (BREAK, "operationId changed: the generated method is renamed"),
    "api-deprecated": (SAFE, "operation deprecated"),
    "api-reactivated": (SAFE, "operation no longer deprecated"),
    "request-parameter-added": (SAFE, "optional parameter added"),
    "request-parameter-added-required": (BREAK, "required parameter added"),
    "request-parameter-removed": (BREAK, "parameter removed: the generated argument goes"),
    "request-parameter-became-required": (BREAK, "parameter became required"),
    "request-parameter-became-optional": (SAFE, "parameter became optional"),
    "request-path-parameter-renamed": (
        BREAK,
        "path parameter renamed: the generated argument is renamed",
    ),
    "request-body-added": (SAFE, "optional request body added"),
    "request-body-added-required": (BREAK, "required request body added"),
    "request-body-removed": (BREAK, "request body removed"),
    "request-body-became-required": (BREAK, "request body became required"),
    "request-body-became-optional": (SAFE, "request body became optional"),
    "request-body-media-type-added": (SAFE, "request media type added"),
    "request-body-media-type-removed": (BREAK, "request media type removed"),
    "response-status-added": (SAFE, "non-success status code added"),
    "response-success-status-added": (STRICT, "success (2xx) status code added"),
    "response-status-removed": (BREAK, "status code removed"),
    "response-media-type-added": (SAFE, "response media type added"),
    "response-media-type-removed": (BREAK, "response media type removed"),
    "api-security-added": (SAFE, "alternative security requirement added"),
    "api-security-removed": (BREAK, "alternative security requirement removed"),
    "api-security-scope-added": (BREAK, "scope added to a security requirement"),
    "api-security-scope-removed": (SAFE, "scope removed from a security requirement"),
    "api-security-required": (BREAK, "anonymous access no longer allowed"),
    "api-security-not-required": (SAFE, "anonymous access now allowed"),
    "api-server-added": (SAFE, "server added"),
    "api-server-removed": (BREAK, "server removed"),
    "api-version-changed": (NOTE, "info.version changed"),
}


def _directed(
    prefixes: tuple[str, ...], rows: Mapping[str, tuple[Level, Level, str]], response: bool
) -> Iterator[Rule]:
    """One rule per prefix and row, at the row's request or response level."""
    for prefix in prefixes:
        for suffix, (request_level, response_level, summary) in rows.items():
            level = response_level if response else request_level
            yield Rule(f"{prefix}-{suffix}", level, summary)


def _catalogue() -> dict[str, Rule]:
    rules = [
        *_directed(REQUEST_PREFIXES, SCHEMA_RULES, response=False),
        *_directed(RESPONSE_PREFIXES, SCHEMA_RULES, response=True),
        *_directed(("request-property",), PROPERTY_RULES, response=False),
        *_directed(("response-property",), PROPERTY_RULES, response=True),
        *(Rule(rule_id, level, summary) for rule_id, (level, summary) in OPERATION_RULES.items()),
    ]
    return {rule.id: rule for rule in sorted(rules, key=lambda rule: rule.id)}


RULES: Mapping[str, Rule] = _catalogue()
