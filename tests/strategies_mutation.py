"""Mutations: a valid instance with one change applied somewhere in it, found by walking the
instance alongside its schema.

`mutation_sites` lists every place a constraint can be broken (a property removed, a value of
another type, an enum value replaced, a string past maxLength, an unknown property where none is
allowed, a broken format or pattern, an array under minItems). `mutated(name)` draws a valid
instance, a kind of mutation, a depth, a site at that depth, and applies it. Most mutations make
the instance invalid; removing an optional property or replacing an open enum's value does not,
and the differential property only needs both validators to agree either way.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import graph_invite.strategies as generated_strategies
from hypothesis import strategies as st

from generator.strategies.merge import value_type
from tests.conftest import GENERATED

InstancePath = tuple[str | int, ...]
JSON_TYPES = ("null", "boolean", "integer", "number", "string", "array", "object")

# Strings each format checker, ours and the reference's, rejects. Email: the reference only
# asks for an "@", so the broken emails have none. No leap seconds or year 0000 (RFC 3339
# allows both; rfc3339-validator rejects both), so these are invalid for both validators.
BROKEN_FORMATS: dict[str, list[str]] = {
    "date-time": [
        "2024-05-01T10:00:00",
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00.0000000Z",
        "2024-05-01 10:00:00Z",
        "not a date",
    ],
    "uri": ["no scheme", "//host/path", "http://exa mple.com", "relative/path", "http://x/%zz"],
    "email": ["ryan.contoso.com", "", "ryan at contoso.com"],
}


@dataclass(frozen=True)
class Site:
    """One place a mutation can go: its kind, the instance path, and what the kind needs."""

    kind: str
    path: InstancePath
    detail: Any = None


@cache
def schema_document(name: str) -> dict[str, Any]:
    """The emitted `generated/schemas/<name>.schema.json` document."""
    text = (GENERATED / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def resolve(document: dict[str, Any], schema: Any) -> Any:
    """Follow `$ref`s (all `#/$defs/<name>` in the emitted files) to a schema without one."""
    while isinstance(schema, dict) and "$ref" in schema:
        reference = schema["$ref"]
        assert reference.startswith("#/$defs/"), reference
        schema = document["$defs"][reference.removeprefix("#/$defs/")]
    return schema


def allowed_types(document: dict[str, Any], schema: Any) -> frozenset[str]:
    """The JSON types a schema lets through (every type when it does not say)."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return frozenset(JSON_TYPES) if schema is not False else frozenset()
    types = frozenset(JSON_TYPES)
    if "type" in schema:
        declared = schema["type"]
        types = frozenset([declared] if isinstance(declared, str) else declared)
        types |= {"integer"} if "number" in types else set()
    if "enum" in schema:
        types &= {value_type(value) for value in schema["enum"]}
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            branches = [allowed_types(document, branch) for branch in schema[keyword]]
            types &= frozenset().union(*branches)
    return types


def mutation_sites(
    document: dict[str, Any], schema: Any, value: Any, path: InstancePath, *, branch: bool = False
) -> Iterator[Site]:
    """Every site in `value` (at `path`) where one of the schema's constraints can be broken."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return
    types = allowed_types(document, schema)
    # Inside an anyOf/oneOf branch a type change may still satisfy a sibling branch.
    if types != frozenset(JSON_TYPES) and not branch:
        yield Site("retype", path, types)
    if "enum" in schema:
        yield Site("enum", path, tuple(schema["enum"]))
    for keyword in ("anyOf", "oneOf", "allOf"):
        for sub_schema in schema.get(keyword, []):
            if value_type(value) in allowed_types(document, sub_schema):
                yield from mutation_sites(document, sub_schema, value, path, branch=True)
    walker = INSTANCE_WALKERS.get(value_type(value))
    if walker is not None:
        yield from walker(document, schema, value, path)


def value_sites(document: dict[str, Any], schema: Any, path: InstancePath) -> Iterator[Site]:
    """Sites whose new value ignores the old one, for a property that is absent or null."""
    schema = resolve(document, schema)
    if not isinstance(schema, dict):
        return
    if "enum" in schema:
        yield Site("enum", path, tuple(schema["enum"]))
    if "string" in allowed_types(document, schema):
        yield from string_sites(document, schema, None, path)
    for keyword in ("anyOf", "oneOf", "allOf"):
        for sub_schema in schema.get(keyword, []):
            yield from value_sites(document, sub_schema, path)


def string_sites(
    document: dict[str, Any], schema: dict[str, Any], value: Any, path: InstancePath
) -> Iterator[Site]:
    """maxLength, pattern and format sites of a string."""
    if "maxLength" in schema:
        yield Site("lengthen", path, schema["maxLength"])
    if "pattern" in schema:
        yield Site("pattern", path, schema["pattern"])
    if schema.get("format") in BROKEN_FORMATS:
        yield Site("format", path, schema["format"])


def object_sites(
    document: dict[str, Any], schema: dict[str, Any], value: Any, path: InstancePath
) -> Iterator[Site]:
    """Property removals, forbidden extras, and the sites inside each property value."""
    properties = schema.get("properties", {})
    for name in value:
        if name in properties or name in schema.get("required", []):
            yield Site("remove", path, name)
    if schema.get("additionalProperties", True) is False:
        yield Site("extra", path, frozenset(properties))
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        child = properties.get(name, extra)
        yield from mutation_sites(document, child, item, (*path, name))
    for name, child in properties.items():
        if value.get(name) is None:
            yield from value_sites(document, child, (*path, name))


def array_sites(
    document: dict[str, Any], schema: dict[str, Any], value: Any, path: InstancePath
) -> Iterator[Site]:
    """Too few items, and the sites inside each item."""
    if schema.get("minItems", 0) > 0:
        yield Site("shorten", path, schema["minItems"])
    for index, item in enumerate(value):
        yield from mutation_sites(document, schema.get("items", True), item, (*path, index))


INSTANCE_WALKERS: dict[
    str, Callable[[dict[str, Any], dict[str, Any], Any, InstancePath], Iterator[Site]]
] = {
    "string": string_sites,
    "object": object_sites,
    "array": array_sites,
}


def json_values(max_leaves: int = 5) -> st.SearchStrategy[Any]:
    """Any JSON value (finite numbers, str keys)."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text()
    )
    return st.recursive(
        scalars,
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(st.text(), children, max_size=3),
        max_leaves=max_leaves,
    )


def values_of_type(name: str) -> st.SearchStrategy[Any]:
    """Values of exactly one JSON type (a number here is never integral)."""
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "null": st.none(),
        "boolean": st.booleans(),
        "integer": st.integers(),
        "number": st.floats(allow_nan=False, allow_infinity=False).filter(
            lambda x: not x.is_integer()
        ),
        "string": st.text(),
        "array": st.lists(json_values(), max_size=2),
        "object": st.dictionaries(st.text(), json_values(), max_size=2),
    }
    return strategies[name]


def replacement(site: Site) -> st.SearchStrategy[Callable[[Any], Any]]:
    """How the value at the site changes: a function from the old value to the new one."""
    detail = site.detail
    changes: dict[str, Callable[[], st.SearchStrategy[Any]]] = {
        "retype": lambda: st.sampled_from([t for t in JSON_TYPES if t not in detail]).flatmap(
            values_of_type
        ),
        "enum": lambda: st.text().filter(lambda text: text not in detail),
        "lengthen": lambda: st.text(min_size=detail + 1, max_size=detail + 20),
        "pattern": lambda: st.text().filter(lambda text: re.search(detail, text) is None),
        "format": lambda: st.sampled_from(BROKEN_FORMATS[detail]),
    }
    if site.kind in changes:
        return changes[site.kind]().map(lambda new: lambda old: new)
    if site.kind == "remove":
        return st.just(lambda old: {key: item for key, item in old.items() if key != detail})
    if site.kind == "shorten":
        return st.just(lambda old: old[: detail - 1])
    names = st.text().filter(lambda text: text not in detail)
    return st.tuples(names, json_values()).map(lambda pair: lambda old: {**old, pair[0]: pair[1]})


def apply_at(instance: Any, path: InstancePath, change: Callable[[Any], Any]) -> Any:
    """A deep copy of `instance` with the value at `path` replaced by `change(value)`."""
    if not path:
        return change(copy.deepcopy(instance))
    result = copy.deepcopy(instance)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    # A value site may name a property the instance does not have (yet).
    old = parent.get(path[-1]) if isinstance(parent, dict) else parent[path[-1]]
    parent[path[-1]] = change(old)
    return result


@st.composite
def mutated(draw: st.DrawFn, name: str) -> tuple[Any, Site]:
    """A valid `name` instance with one mutation: kind, then depth, then site, drawn in turn."""
    document = schema_document(name)
    instance = draw(getattr(generated_strategies, name)())
    sites = list(mutation_sites(document, document, instance, ()))
    kind = draw(st.sampled_from(sorted({site.kind for site in sites})))
    of_kind = [site for site in sites if site.kind == kind]
    depth = draw(st.sampled_from(sorted({len(site.path) for site in of_kind})))
    site = draw(st.sampled_from([site for site in of_kind if len(site.path) == depth]))
    change = draw(replacement(site))
    return apply_at(instance, site.path, change), site


def instance_paths(value: Any, path: InstancePath = ()) -> Iterator[InstancePath]:
    """The path of `value` and of every value nested in it."""
    yield path
    if isinstance(value, dict):
        for name, item in value.items():
            yield from instance_paths(item, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from instance_paths(item, (*path, index))


@st.composite
def with_arbitrary_subtree(draw: st.DrawFn, name: str) -> Any:
    """A valid `name` instance with one value (possibly the whole instance) replaced by any JSON."""
    instance = draw(getattr(generated_strategies, name)())
    path = draw(st.sampled_from(list(instance_paths(instance))))
    value = draw(json_values(max_leaves=10))
    return apply_at(instance, path, lambda old: value)
