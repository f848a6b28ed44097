"""`oneOf`s whose every branch's instances are instances of another branch too.

Real documents write `oneOf` for "one of these shapes" where JSON Schema means "exactly one":
`oneOf: [Cat, Dog]` where both extend an open `Pet` and neither requires more than the other,
or `oneOf` of error objects that differ only in a `default`. Read strictly, such a `oneOf`
accepts almost nothing (an instance of one branch is one of another), so validators would reject
every real answer and strategies could draw nothing. The IR reads it as `anyOf`, with a warning,
as it does a `oneOf` with a `discriminator`. A `oneOf` with at least one branch whose instances
the others need not accept keeps its strict meaning.

The test is a summary, not a proof: each branch is flattened through `$ref`s into components
and `allOf`; a branch is covered by another when the other requires no property it may lack,
allows every property it names, allows its types and listed values, and asks nothing more of the
properties they share. Whatever the summary cannot read (`not`, `if`, string or number
keywords the covering branch adds) counts as a difference, so the strict meaning stays.
May import: `generator.ir.compose` (component keys), `generator.vocabulary`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from generator.ir.compose import component_key
from generator.vocabulary import ANNOTATIONS, OPENAPI_ANNOTATIONS, SCHEMA_MAPS_2020

# How deep `$ref`s and `allOf`s are followed before a branch counts as unreadable.
MAX_DEPTH = 16
# Keywords the summary reads; any other validating keyword makes a branch unreadable.
_READ = frozenset(
    {"type", "properties", "required", "additionalProperties", "enum", "const", "allOf", "$ref"}
)
# Keywords that ask nothing of an instance here (formats count as annotations: two branches that
# differ only in a format are read as overlapping, and `anyOf` of disjoint branches is `oneOf`).
_ANNOTATIONS = ANNOTATIONS | OPENAPI_ANNOTATIONS | {"format", "nullable"}
# Keywords whose keys are names (a property called `description` is no annotation).
_NAME_MAPS = SCHEMA_MAPS_2020


@dataclass
class Summary:
    """What a flattened branch asks of an instance."""

    types: frozenset[str] | None = None  # None: any type
    values: list[str] | None = None  # JSON texts of the enum/const values; None: any value
    required: set[str] = field(default_factory=set)
    properties: dict[str, list[Any]] = field(default_factory=dict)  # name -> schemas it must match
    closed: bool = False  # additionalProperties: false (or a schema: treated as closed)


def every_branch_overlaps(branches: list[Any], components: dict[str, Any]) -> bool:
    """True when each branch's instances are (as far as the summary tells) another's too."""
    if len(branches) < 2:
        return False
    memo: dict[str, Summary | None] = {}
    summaries = [summarize(branch, components, 0, memo) for branch in branches]
    if any(summary is None for summary in summaries):
        return False
    return all(
        any(
            covers(other, summary)  # type: ignore[arg-type]
            for index, other in enumerate(summaries)
            if index != position
        )
        for position, summary in enumerate(summaries)
    )


def summarize(
    schema: Any, components: dict[str, Any], depth: int, memo: dict[str, Summary | None]
) -> Summary | None:
    """The summary of one schema (following `$ref`s and `allOf`); None when it cannot be read.
    Each component is summarised once (`memo`): `allOf` diamonds stay linear."""
    if schema is True or schema == {}:
        return Summary()
    if not isinstance(schema, dict) or depth > MAX_DEPTH:
        return None
    if any(
        key not in _READ and key not in _ANNOTATIONS and not key.startswith("x-") for key in schema
    ):
        return None
    parts: list[Summary] = [_own(schema)]
    if "$ref" in schema:
        key = component_key(schema["$ref"])
        if key not in components:
            return None
        if key not in memo:
            memo[key] = None  # a cycle back to it reads as unreadable
            memo[key] = summarize(components[key], components, depth + 1, memo)
        parts.append(memo[key] or _unreadable())
    members = schema.get("allOf", [])
    for member in members if isinstance(members, list) else [None]:
        parts.append(summarize(member, components, depth + 1, memo) or _unreadable())
    if any(part.types == frozenset({"?"}) for part in parts):
        return None
    return _combine(parts)


def _unreadable() -> Summary:
    return Summary(types=frozenset({"?"}))


def _own(schema: dict[str, Any]) -> Summary:
    """The summary of a schema's own keywords (not its `$ref` or `allOf`)."""
    summary = Summary()
    declared = schema.get("type")
    if isinstance(declared, str):
        summary.types = frozenset({declared})
    elif isinstance(declared, list):
        summary.types = frozenset(str(name) for name in declared)
    if "const" in schema:
        summary.values = [_text(schema["const"])]
    elif isinstance(schema.get("enum"), list):
        summary.values = [_text(value) for value in schema["enum"]]
    if isinstance(schema.get("required"), list):
        summary.required = {str(name) for name in schema["required"]}
    if isinstance(schema.get("properties"), dict):
        summary.properties = {name: [value] for name, value in schema["properties"].items()}
    summary.closed = schema.get("additionalProperties", True) not in (True, {})
    return summary


def _combine(parts: list[Summary]) -> Summary:
    """The summary of all parts holding at once."""
    result = Summary()
    for part in parts:
        if part.types is not None:
            result.types = part.types if result.types is None else _common(result.types, part.types)
        if part.values is not None:
            result.values = (
                part.values
                if result.values is None
                else [value for value in result.values if value in part.values]
            )
        result.required |= part.required
        for name, schemas in part.properties.items():
            result.properties.setdefault(name, []).extend(schemas)
        result.closed = result.closed or part.closed
    return result


def _common(first: frozenset[str], second: frozenset[str]) -> frozenset[str]:
    widen = {"integer"} if "number" in first or "number" in second else set()
    return frozenset((first | (widen & second)) & (second | (widen & first)))


def covers(wider: Summary, narrower: Summary) -> bool:
    """Whether every instance of `narrower` is (as far as the summaries tell) one of `wider`."""
    if wider.types is not None:
        allowed = wider.types | ({"integer"} if "number" in wider.types else set())
        if narrower.types is None or not narrower.types <= allowed:
            return False
    if wider.values is not None and (
        narrower.values is None or not set(narrower.values) <= set(wider.values)
    ):
        return False
    if not wider.required <= narrower.required:
        return False
    if wider.closed and not set(narrower.properties) <= set(wider.properties):
        return False
    # A property only the wider branch names is absent from the narrower one's instances
    # (it is no required one: that was checked), so it asks nothing of them.
    return all(
        _same_demands(wider.properties[name], narrower.properties[name])
        for name in wider.properties
        if name in narrower.properties
    )


def _same_demands(wider: list[Any], narrower: list[Any]) -> bool:
    """Whether a property's schemas in the wider branch ask nothing the narrower's do not."""
    texts = {_text(_demands(schema)) for schema in narrower}
    return all(_text(_demands(schema)) in texts or _demands(schema) == {} for schema in wider)


def _demands(schema: Any) -> Any:
    """A schema without its annotations (at any depth), which ask nothing of an instance."""
    if isinstance(schema, list):
        return [_demands(item) for item in schema]
    if not isinstance(schema, dict):
        return {} if schema is True else schema
    result: dict[str, Any] = {}
    for key, value in schema.items():
        if key in _NAME_MAPS and isinstance(value, dict):
            result[key] = {name: _demands(item) for name, item in value.items()}
        elif key not in _ANNOTATIONS and not str(key).startswith("x-"):
            result[key] = _demands(value)
    return result


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True)
