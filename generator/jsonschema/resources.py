"""Schema resources: documents, base URIs, anchors and dialects; `$ref` -> canonical location.

A *location* names one subschema: `#/json/pointer` in the compiled document, or
`<document URI>#/json/pointer` in a document the caller's registry provided. Every way of
reaching a subschema (a JSON pointer, an anchor, an embedded `$id`) resolves to the same
location, so each subschema compiles to one function. URIs resolve as RFC 3986 and the JSON
Schema core specification say: against the nearest enclosing `$id` (`id` in draft 4), with
the `$ref`-sibling rules of each draft. Nothing is ever fetched from the network: remote
documents come from the registry (a mapping URI -> schema, or a `referencing.Registry`) and
the standard meta-schemas from `jsonschema-specifications`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urljoin

from generator.errors import SchemaCompileError, join_pointer, unescape_pointer_token
from generator.jsonschema.writer import pointer_tokens
from generator.vocabulary import DEFAULT_DIALECT, DIALECTS, META_SCHEMAS, VOCABULARIES, Dialect

_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_INDEX = re.compile(r"0|[1-9][0-9]*")


@dataclass(frozen=True)
class Place:
    """What holds at one subschema: its base URI, dialect and enclosing resource's location."""

    base: str
    dialect: Dialect
    resource: str


@dataclass(frozen=True)
class DynamicScope:
    """What the dynamic scope (the resources evaluation passed through) decides at one point.

    Only what a `$dynamicRef` or `$recursiveRef` of the documents can consult is kept, so a
    schema without them has one scope and every subschema one function.
    """

    # `$dynamicAnchor` name -> location, from the outermost resource that defines it.
    bindings: tuple[tuple[str, str], ...] = ()
    innermost: str = ""  # location of the innermost resource (for $recursiveRef only)
    # Outermost resource of the innermost run of resources with `$recursiveAnchor: true`.
    recursive: str = ""


ROOT_SCOPE = DynamicScope()


def join_uri(base: str, reference: str) -> str:
    """RFC 3986 reference resolution, also for non-hierarchical bases (`urn:`, `tag:`)."""
    if _ABSOLUTE.match(reference):
        return reference
    if reference.startswith("#"):
        return base.partition("#")[0] + reference
    if not base:
        return reference
    return urljoin(base, reference)


def split_fragment(uri: str) -> tuple[str, str]:
    """`http://x/a.json#/b` -> (`http://x/a.json`, `/b`), the fragment percent-decoded."""
    address, _, fragment = uri.partition("#")
    return address, unquote(fragment)


def dialect_named(name: str) -> Dialect:
    """A dialect by its suite folder name; an unknown one is a compile error."""
    if name not in DIALECTS:
        known = ", ".join(DIALECTS)
        raise SchemaCompileError("#", f"unknown draft {name!r} (known: {known})")
    return DIALECTS[name]


class Resources:
    """Every document the compiled schema may reach, indexed by URI and anchor."""

    def __init__(self, root: Any, *, draft: str | None = None, registry: Any = None) -> None:
        self.registry = registry
        self.documents: dict[str, Any] = {}
        self.places: dict[str, Place] = {}
        self.resources: dict[str, str] = {}  # absolute URI (no fragment) -> location
        self.anchors: dict[tuple[str, str], str] = {}  # (resource URI, name) -> location
        self.dynamic_anchors: dict[tuple[str, str], str] = {}
        self.recursive_anchors: set[str] = set()  # resource locations with $recursiveAnchor
        # resource location -> its ($dynamicAnchor name, location) pairs
        self.resource_dynamic: dict[str, list[tuple[str, str]]] = {}
        self.dynamic_names: set[str] = set()  # anchor names some $dynamicRef names
        self.recursive_refs = False  # whether any $recursiveRef exists
        self._keys: dict[str, tuple[str, DynamicScope]] = {}
        self._scopes: dict[DynamicScope, int] = {ROOT_SCOPE: 0}
        # Lookups by location, remembered: every location is asked for once per function variant
        # and pass. Indexing a document later adds no place under an already known location.
        self._schemas: dict[str, Any] = {}
        self._place_of: dict[str, Place] = {}
        self._resolved: dict[tuple[str, str], str] = {}
        default = dialect_named(draft or DEFAULT_DIALECT)
        self._add_document("", root, default)

    def _add_document(self, uri: str, document: Any, default: Dialect) -> str:
        """Index a document under its retrieval URI; returns its root location."""
        root = f"{uri}#"
        self.documents[uri] = document
        self.resources.setdefault(uri, root)
        self._index(document, root, uri, self._dialect_of(document, default, root), root)
        return root

    def _dialect_of(self, schema: Any, default: Dialect, location: str) -> Dialect:
        """The dialect `$schema` names, else `default`."""
        if not isinstance(schema, dict) or "$schema" not in schema:
            return default
        value = schema["$schema"]
        where = join_pointer(location, "$schema")
        if not isinstance(value, str):
            raise SchemaCompileError(where, "$schema must be a string")
        if value in META_SCHEMAS:
            return DIALECTS[META_SCHEMAS[value]]
        meta = self._fetch(split_fragment(value)[0])
        if not isinstance(meta, dict) or meta.get("$schema") in (None, value):
            raise SchemaCompileError(where, f"unknown dialect {value!r} (no such meta-schema)")
        # A custom meta-schema: written in a standard dialect, maybe naming its vocabularies.
        dialect = self._dialect_of(meta, default, where)
        vocabularies = meta.get("$vocabulary")
        if not isinstance(vocabularies, dict):
            return dialect
        known = VOCABULARIES.get(dialect.name, {})
        for uri, required in vocabularies.items():
            if required is True and uri not in known:
                message = f"meta-schema {value!r} requires unknown vocabulary {uri!r}"
                raise SchemaCompileError(where, message)
        return dialect.with_vocabularies(vocabularies)

    def _index(
        self, schema: Any, location: str, base: str, dialect: Dialect, resource: str
    ) -> None:
        """Record places, resources and anchors of `schema` and every subschema inside it."""
        if isinstance(schema, dict):
            base, dialect, resource = self._enter(schema, location, base, dialect, resource)
        self.places[location] = Place(base, dialect, resource)
        if not isinstance(schema, dict):
            return
        if "$dynamicRef" in schema and "$dynamicRef" in dialect.keywords:
            fragment = str(schema["$dynamicRef"]).partition("#")[2]
            if fragment and not fragment.startswith("/"):
                self.dynamic_names.add(unquote(fragment))
        if "$recursiveRef" in schema and "$recursiveRef" in dialect.keywords:
            self.recursive_refs = True
        for where, child in self._children(schema, location, dialect):
            self._index(child, where, base, dialect, resource)

    @staticmethod
    def _children(
        schema: dict[str, Any], location: str, dialect: Dialect
    ) -> Iterator[tuple[str, Any]]:
        """(location, subschema) of each subschema directly inside a schema object."""
        values, maps, lists = dialect.subschema_keywords()
        for keyword, value in schema.items():
            if keyword not in dialect.keywords and keyword not in ("$defs", "definitions"):
                continue  # an unknown keyword holds no subschemas (nor identifiers)
            if keyword in values and not isinstance(value, list):
                yield join_pointer(location, keyword), value
            elif keyword in maps and isinstance(value, dict):
                for name, item in value.items():
                    if isinstance(item, dict | bool):
                        yield join_pointer(location, keyword, name), item
            elif (keyword in lists or keyword == "items") and isinstance(value, list):
                for number, item in enumerate(value):
                    yield join_pointer(location, keyword, number), item

    def _enter(
        self, schema: dict[str, Any], location: str, base: str, dialect: Dialect, resource: str
    ) -> tuple[str, Dialect, str]:
        """Identifiers of one schema object: its base, dialect and resource for what it holds."""
        identifier = schema.get(dialect.id_keyword)
        ignored = dialect.ref_overrides and "$ref" in schema  # draft <= 7: $ref's siblings
        if isinstance(identifier, str) and not ignored:
            target = join_uri(base, identifier)
            address, fragment = split_fragment(target)
            if identifier.startswith("#") and not dialect.anchors:
                self.anchors.setdefault((address, fragment), location)  # `$id: "#name"`
            else:
                base, resource = address, location
                self.resources.setdefault(address, location)
                if fragment and not fragment.startswith("/"):
                    self.anchors.setdefault((address, fragment), location)
                dialect = self._dialect_of(schema, dialect, location)
        elif identifier is not None and not ignored:
            raise SchemaCompileError(join_pointer(location, dialect.id_keyword), "must be a string")
        if dialect.anchors:
            for keyword in ("$anchor", "$dynamicAnchor"):
                name = schema.get(keyword)
                if name is None:
                    continue
                if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
                    raise SchemaCompileError(join_pointer(location, keyword), "invalid anchor")
                self.anchors.setdefault((base, name), location)
                if keyword == "$dynamicAnchor":
                    self.dynamic_anchors.setdefault((base, name), location)
                    self.resource_dynamic.setdefault(resource, []).append((name, location))
            if schema.get("$recursiveAnchor") is True:
                self.recursive_anchors.add(resource)
        return base, dialect, resource

    def _fetch(self, uri: str) -> Any:
        """A document from the registry or the standard meta-schemas; None if neither has it."""
        registry = self.registry
        if hasattr(registry, "contents"):  # a referencing.Registry (itself a Mapping)
            try:
                return registry.contents(uri)
            except LookupError:
                pass
        elif isinstance(registry, Mapping) and uri in registry:
            return registry[uri]
        import jsonschema_specifications  # type: ignore[import-untyped]

        try:
            return jsonschema_specifications.REGISTRY.contents(uri)
        except LookupError:
            return None

    def enter(self, scope: DynamicScope, location: str) -> DynamicScope:
        """The dynamic scope once evaluation is at `location` (inside its resource)."""
        if not (self.dynamic_names or self.recursive_refs):
            return scope
        resource = self.place(location).resource
        bound = {name for name, _ in scope.bindings}
        added = [
            (name, anchor)
            for name, anchor in self.resource_dynamic.get(resource, ())
            if name in self.dynamic_names and name not in bound
        ]
        bindings = tuple(sorted({*scope.bindings, *added})) if added else scope.bindings
        innermost, recursive = scope.innermost, scope.recursive
        if self.recursive_refs and resource != innermost:
            if resource not in self.recursive_anchors:
                recursive = ""
            elif innermost not in self.recursive_anchors:
                recursive = resource  # a run starts here
            innermost = resource
        return DynamicScope(bindings, innermost, recursive)

    def resolve_dynamic(self, reference: str, location: str, scope: DynamicScope) -> str:
        """Target of a `$dynamicRef`: the outermost matching `$dynamicAnchor` in the dynamic
        scope when the reference first resolves to a `$dynamicAnchor` of that name, else as `$ref`.
        """
        target = self.resolve(reference, location)
        address, fragment = split_fragment(join_uri(self.place(location).base, reference))
        if fragment and self.dynamic_anchors.get((address, fragment)) == target:
            return dict(scope.bindings).get(fragment, target)
        return target

    def resolve_recursive(self, location: str, scope: DynamicScope) -> str:
        """Target of `$recursiveRef: "#"` (2019-09): the outermost resource of the innermost run
        with `$recursiveAnchor: true`, when the current resource starts or continues one."""
        target = self.resolve("#", location)
        if target in self.recursive_anchors and scope.recursive:
            return scope.recursive
        return target

    def function_key(self, location: str, scope: DynamicScope) -> str:
        """Name of the function compiled for a location in a dynamic scope (the location
        itself in the root scope, so schemas without dynamic references keep their keys)."""
        if scope == ROOT_SCOPE:
            return location
        number = self._scopes.setdefault(scope, len(self._scopes))
        key = f"{location}\x00{number}"
        self._keys[key] = (location, scope)
        return key

    def unkey(self, key: str) -> tuple[str, DynamicScope]:
        """(location, dynamic scope) of a function key."""
        return self._keys.get(key, (key, ROOT_SCOPE))

    def place(self, location: str) -> Place:
        """Base URI, dialect and resource in effect at `location`."""
        if location in self._place_of:
            return self._place_of[location]
        probe = location
        while probe not in self.places:
            head, _, _ = probe.rpartition("/")
            if "#" not in head:  # pragma: no cover - every document root is indexed
                raise SchemaCompileError(location, "location outside every document")
            probe = head
        self._place_of[location] = self.places[probe]
        return self.places[probe]

    def schema_at(self, location: str) -> Any:
        """The subschema at a location; a missing one is a compile error."""
        if location in self._schemas:
            return self._schemas[location]
        document_uri = location.partition("#")[0]
        if document_uri not in self.documents:
            raise SchemaCompileError(location, "reference target does not exist")
        current = self.documents[document_uri]
        for token in pointer_tokens(location):
            if isinstance(current, dict) and token in current:
                current = current[token]
            elif isinstance(current, list) and _INDEX.fullmatch(token):
                if int(token) >= len(current):
                    raise SchemaCompileError(location, "reference target does not exist")
                current = current[int(token)]
            else:
                raise SchemaCompileError(location, "reference target does not exist")
        self._schemas[location] = current
        return current

    def resolve(self, reference: str, location: str) -> str:
        """The location a `$ref` written at `location` (the schema holding it) points to."""
        if (reference, location) not in self._resolved:
            self._resolved[(reference, location)] = self._resolve(reference, location)
        return self._resolved[(reference, location)]

    def _resolve(self, reference: str, location: str) -> str:
        """`resolve`, not remembered."""
        place = self.place(location)
        address, fragment = split_fragment(join_uri(place.base, reference))
        resource = self._resource(address, place.dialect)
        if resource is None:
            message = f'unresolvable reference "{reference}" ({address or "this document"} is in no registry)'
            raise SchemaCompileError(location, message)
        if not fragment:
            return resource
        if fragment.startswith("/"):
            tokens = [unescape_pointer_token(token) for token in fragment.split("/")[1:]]
            target = join_pointer(resource, *tokens)
            try:
                self.schema_at(target)
            except SchemaCompileError:
                raise SchemaCompileError(
                    location, f'reference "{reference}" has no target'
                ) from None
            return target
        if (address, fragment) not in self.anchors:
            raise SchemaCompileError(location, f'no anchor "{fragment}" in "{address}"')
        return self.anchors[(address, fragment)]

    def _resource(self, address: str, dialect: Dialect) -> str | None:
        """Location of the resource at an absolute URI, loading its document when needed."""
        if address in self.resources:
            return self.resources[address]
        document = self._fetch(address) if address else None
        if document is None:
            return None
        return self._add_document(address, document, dialect)
