"""Resolve stage: spec files -> one bundled tree whose `$ref`s are all local, every node located.

Relative-file references (`schemas.yaml#/permission`) are pulled into the root document's
`components` (the way `redocly bundle` does), so later stages see one tree. Local references stay
`$ref`s rather than being inlined: that is what lets recursive schemas exist without infinite trees.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from generator.errors import SpecError, SpecErrors, escape_pointer_token, join_pointer
from generator.spec.loader import MAX_NODES, SpecDocument, load_document

_NOT_IN_NAMES = re.compile(r"[^a-zA-Z0-9._-]")
# A `$ref` to a `$ref` to ... : longer chains are refused, which keeps checking every reference
# linear in the number of references (a 10,000-long chain would otherwise take minutes).
MAX_REF_CHAIN = 64

_SCHEMA_TOKENS = frozenset(
    {
        "schema",
        "schemas",
        "properties",
        "items",
        "prefixItems",
        "additionalProperties",
        "allOf",
        "anyOf",
        "oneOf",
        "not",
        "$defs",
        "if",
        "then",
        "else",
        "contains",
        "patternProperties",
    }
)
_SECTION_BY_PARENT = {
    "parameters": "parameters",
    "responses": "responses",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
}


@dataclass(frozen=True)
class Origin:
    """Where a bundled subtree came from: its document and its pointer there."""

    document: SpecDocument
    pointer: str


@dataclass(frozen=True)
class ResolvedSpec:
    """The bundled spec: JSON data with only local `$ref`s, and a way back to each node's source."""

    data: dict[str, Any]
    root: SpecDocument
    origins: dict[str, Origin]
    sha256: str

    def locate(self, pointer: str) -> tuple[SpecDocument, str]:
        """The document and original pointer for a bundled pointer (longest bundled prefix)."""
        probe = pointer
        while True:
            origin = self.origins.get(probe)
            if origin is not None:
                return origin.document, origin.pointer + pointer[len(probe) :]
            if "/" not in probe:
                return self.root, pointer
            probe = probe.rsplit("/", 1)[0]

    def error(self, pointer: str, message: str) -> SpecError:
        """A `SpecError` at the source of the bundled node `pointer`."""
        document, original = self.locate(pointer)
        return document.error(original, message)

    def node(self, pointer: str) -> Any:
        """The bundled node at a local pointer (`#/components/schemas/x`); KeyError if absent."""
        return pointer_get(self.data, pointer)

    def deref(self, node: Any, pointer: str) -> tuple[Any, str]:
        """Follow a chain of `$ref`s from `node` to the node it names, and that node's pointer."""
        seen = 0
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            pointer = node["$ref"]
            node = self.node(pointer)
            seen += 1
            if seen > MAX_REF_CHAIN:  # _reference_errors rejected longer chains and cycles
                raise KeyError(pointer)
        return node, pointer


def pointer_get(data: Any, pointer: str) -> Any:
    """Follow a local JSON pointer (`#/a/b/0`) into `data`; KeyError when it does not exist."""
    if pointer in ("#", ""):
        return data
    if not pointer.startswith("#/"):
        raise KeyError(pointer)
    node = data
    for raw in pointer[2:].split("/"):
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            raise KeyError(pointer)
    return node


@dataclass
class _Bundler:
    root: SpecDocument
    documents: dict[Path, SpecDocument] = field(default_factory=dict)
    assigned: dict[tuple[Path, str], str] = field(default_factory=dict)
    queue: list[tuple[SpecDocument, str, str]] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)
    errors: list[SpecError] = field(default_factory=list)
    # Bundled pointers handed out so far, as a set: `unique_name` runs once per referenced node.
    bundled: set[str] = field(default_factory=set)
    # How many inlined references enclose the node being copied (a cycle stops at the limit).
    inlining: int = 0

    def copy(self, document: SpecDocument, node: Any, pointer: str, bundled: str) -> Any:
        """Deep-copy `node`, rewriting every `$ref` into a local bundled reference."""
        if isinstance(node, list):
            return [
                self.copy(
                    document, item, join_pointer(pointer, index), join_pointer(bundled, index)
                )
                for index, item in enumerate(node)
            ]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str) and not _referenceable(bundled):
            inlined = self.inline_ref(
                document, node["$ref"], join_pointer(pointer, "$ref"), bundled
            )
            if inlined is not None:
                return inlined
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                result[key] = self.rewrite_ref(document, value, join_pointer(pointer, key), bundled)
            elif is_extension(pointer, key):
                result[key] = copy.deepcopy(value)  # free-form: its `$ref`s are not followed
            else:
                child, child_bundled = join_pointer(pointer, key), join_pointer(bundled, key)
                result[key] = self.copy(document, value, child, child_bundled)
        return result

    def inline_ref(self, document: SpecDocument, ref: str, at: str, bundled: str) -> Any:
        """The copy of what a `$ref` in another file names, for a place OpenAPI has no Reference
        Object for (an operation, a `content` map: DigitalOcean's and Lob's multi-file specs
        write them, as `redocly bundle` accepts); None to keep the reference (the root
        document's own references, remote ones, and failures, which `rewrite_ref` reports)."""
        file_part, _, fragment = ref.partition("#")
        if (not file_part and document is self.root) or "://" in file_part:
            return None
        fragment = unquote(fragment)
        if file_part:
            target_path = (document.path.parent / file_part).resolve()
            if not target_path.is_relative_to(self.root.path.resolve().parent):
                return None
            target = self.load(target_path, document, at)
        else:
            target = document
        if target is None or target is self.root or self.inlining > MAX_REF_CHAIN:
            return None
        try:
            node = pointer_get(target.data, "#" + fragment)
        except KeyError:
            return None
        self.origins[bundled] = Origin(target, "#" + fragment)
        self.inlining += 1
        try:
            return self.copy(target, node, "#" + fragment, bundled)
        finally:
            self.inlining -= 1

    def rewrite_ref(self, document: SpecDocument, ref: str, at: str, bundled: str) -> str:
        file_part, _, fragment = ref.partition("#")
        if "%" in fragment:
            # A `$ref` is a URI: its fragment is percent-decoded before it is read as a JSON
            # pointer (RFC 6901 section 6), so `~1items~1%7Bid%7D` names the path `/items/{id}`.
            fragment = unquote(fragment)
            ref = f"{file_part}#{fragment}"
        if file_part:
            return self.rewrite_file_ref(document, ref, at, bundled)
        if document is self.root:
            return ref
        return self.bundle_target(document, "#" + fragment, bundled)

    def rewrite_file_ref(self, document: SpecDocument, ref: str, at: str, bundled: str) -> str:
        """A `file.yaml#/pointer` reference: only files inside the spec folder, never URLs."""
        file_part, _, fragment = ref.partition("#")
        target_path = (document.path.parent / file_part).resolve()
        spec_root = self.root.path.resolve().parent
        if "://" in file_part or file_part.startswith("//"):
            message = f"remote $ref {ref!r} is not allowed"
        elif not target_path.is_relative_to(spec_root):
            message = f"$ref {ref!r} escapes the spec folder {spec_root.name}/"
        else:
            target = self.load(target_path, document, at)
            if target is None:
                return ref
            return (
                "#" + fragment
                if target is self.root
                else self.bundle_target(target, "#" + fragment, bundled)
            )
        self.errors.append(document.error(at, message))
        return ref

    def load(self, path: Path, referrer: SpecDocument, at: str) -> SpecDocument | None:
        if path == self.root.path.resolve():
            return self.root
        if path not in self.documents:
            if not path.is_file():
                self.errors.append(referrer.error(at, f"$ref target file {path.name!r} not found"))
                return None
            try:
                self.documents[path] = load_document(path)
            except SpecErrors as exc:
                self.errors.extend(exc.errors)
                return None
            # The node limit is for the whole spec: splitting it into files must not multiply it.
            total = sum(len(document.source_map) for document in self.documents.values())
            if total + len(self.root.source_map) > MAX_NODES:
                message = f"the spec and the files it references have more than {MAX_NODES} nodes"
                self.errors.append(referrer.error(at, message))
                return None
        return self.documents[path]

    def bundle_target(self, document: SpecDocument, pointer: str, referrer: str) -> str:
        key = (document.path.resolve(), pointer)
        if key not in self.assigned:
            section = _section_for(referrer)
            name = self.unique_name(section, _name_for(document, pointer))
            bundled = f"#/components/{section}/{escape_pointer_token(name)}"
            self.assigned[key] = bundled
            self.bundled.add(bundled)
            self.queue.append((document, pointer, bundled))
        return self.assigned[key]

    def unique_name(self, section: str, base: str) -> str:
        components = self.root.data.get("components")
        existing = components.get(section) if isinstance(components, dict) else None
        existing = existing if isinstance(existing, dict) else {}
        name, counter = base, 2
        while (
            name in existing
            or f"#/components/{section}/{escape_pointer_token(name)}" in self.bundled
        ):
            name, counter = f"{base}{counter}", counter + 1
        return name


def _section_for(referrer: str) -> str:
    """Which `components` section a referenced node belongs in, judged by where it is used."""
    tokens = referrer[2:].split("/") if referrer.startswith("#/") else []
    direct = _direct_section(tokens)
    if direct:
        return direct
    # Names the author chose (a component `items`, a path) are not keywords: skip them.
    names = {"components": 3, "paths": 2, "webhooks": 2}.get(tokens[0], 0) if tokens else 0
    if tokens[:2] == ["components", "schemas"] or any(
        token in _SCHEMA_TOKENS for token in tokens[names:]
    ):
        return "schemas"
    if tokens and tokens[-1] == "requestBody":
        return "requestBodies"
    if len(tokens) >= 2 and tokens[-2] in _SECTION_BY_PARENT:
        return _SECTION_BY_PARENT[tokens[-2]]
    return "schemas"


def _referenceable(bundled: str) -> bool:
    """Whether OpenAPI allows a Reference Object at this place of the bundled document."""
    tokens = bundled[2:].split("/") if bundled.startswith("#/") else []
    names = {"components": 3, "paths": 2, "webhooks": 2}.get(tokens[0], 0) if tokens else 0
    if _holds_schemas(tokens, names):
        return False
    if tokens[:2] == ["components", "schemas"] or _direct_section(tokens):
        return True
    if tokens and tokens[-1] == "requestBody":
        return True
    if len(tokens) >= 2 and tokens[-2] in _REFERENCEABLE_MEMBERS:
        return True
    return any(token in _SCHEMA_TOKENS for token in tokens[names:])


# Schema keywords whose value is a map from names to schemas, or a list of schemas.
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs", "definitions"})
_SCHEMA_MAPS |= {"dependentSchemas"}
_SCHEMA_LISTS = frozenset({"allOf", "anyOf", "oneOf", "prefixItems"})


def _holds_schemas(tokens: list[str], names: int) -> bool:
    """Whether the place is a schema's `properties` map (or another map or list of schemas)
    rather than a schema: a `$ref` there stands for the whole map (DigitalOcean's specs write
    `properties: {$ref: attributes.yml#/...}`, which `redocly bundle` inlines), so it is copied
    in, not made a component. Walks the keywords from where the schema starts; a name inside a
    map (a property called `properties`) is a schema again."""
    if tokens[:2] == ["components", "schemas"]:
        start = 3
    else:
        start = next((i + 1 for i in range(names, len(tokens)) if tokens[i] == "schema"), -1)
    if start < 0 or start > len(tokens):
        return False
    in_schema = True
    for token in tokens[start:]:
        if not in_schema:
            in_schema = True  # a name of a map, or an index of a list: a schema
        elif token in _SCHEMA_MAPS or token in _SCHEMA_LISTS:
            in_schema = False
    return not in_schema


# Maps whose members may be Reference Objects (besides schemas, path items and request bodies).
_REFERENCEABLE_MEMBERS = frozenset(
    {"parameters", "responses", "headers", "examples", "links", "callbacks", "securitySchemes"}
)


def _direct_section(tokens: list[str]) -> str:
    """The section of a node referenced as a whole component or path item; empty otherwise."""
    if len(tokens) == 2 and tokens[0] in ("paths", "webhooks"):
        # A path item in its own file (Redocly's multi-file layout): read as a path item, so the
        # parameters, bodies and responses its operations reference are bundled as such.
        return "pathItems"
    if len(tokens) == 3 and tokens[0] == "components" and tokens[1] != "schemas":
        return tokens[1]
    return ""


def _name_for(document: SpecDocument, pointer: str) -> str:
    """A component name for a referenced node, within OpenAPI's `^[a-zA-Z0-9.-_]+$`."""
    tail = pointer.rsplit("/", 1)[-1] if pointer not in ("#", "") else ""
    name = tail.replace("~1", "/").replace("~0", "~") or document.path.stem.split(".")[0]
    return _NOT_IN_NAMES.sub("_", name) or "schema"


def resolve_spec(path: Path) -> ResolvedSpec:
    """Load `path` and every file it references; bundle; check every `$ref` resolves, no cycles."""
    root = load_document(path)
    bundler = _Bundler(root)
    data = bundler.copy(root, root.data, "#", "#")
    if bundler.queue:
        _check_components(root)
    while bundler.queue:
        document, pointer, bundled = bundler.queue.pop(0)
        try:
            node = pointer_get(document.data, pointer)
        except KeyError:
            bundler.errors.append(document.error(pointer, f"unresolvable $ref target {pointer!r}"))
            continue
        _, section, name = bundled[2:].split("/")
        data.setdefault("components", {}).setdefault(section, {})
        data["components"][section][name.replace("~1", "/").replace("~0", "~")] = bundler.copy(
            document, node, pointer, bundled
        )
        bundler.origins[bundled] = Origin(document, pointer)
    resolved = ResolvedSpec(data, root, bundler.origins, _combined_hash(root, bundler.documents))
    errors = bundler.errors + list(_reference_errors(resolved))
    if errors and isinstance(root.data.get("swagger"), str) and "openapi" not in root.data:
        # Swagger 2.0 refs (`#/definitions/...`) do not resolve in the OpenAPI 3 layout: the
        # version is the problem to report, not each reference.
        message = (
            f"Swagger {root.data['swagger'][:20]} is not supported: convert the document to "
            "OpenAPI 3 first (for example with swagger2openapi)"
        )
        raise SpecErrors([root.error("#/swagger", message)])
    if errors:
        raise SpecErrors(errors)
    return resolved


def _check_components(root: SpecDocument) -> None:
    """Bundling adds referenced nodes to `components/<section>`: those must be objects."""
    components = root.data.get("components", {})
    if not isinstance(components, dict):
        bad = ["#/components"]
    else:
        bad = [
            join_pointer("#/components", name)
            for name, section in components.items()
            if not isinstance(section, dict)
        ]
    if bad:
        raise SpecErrors(root.error(pointer, "must be an object") for pointer in bad)


def _combined_hash(root: SpecDocument, others: dict[Path, SpecDocument]) -> str:
    if not others:
        return root.sha256
    digest = hashlib.sha256(root.sha256.encode())
    for path in sorted(others):
        digest.update(f"\n{others[path].display_path}\0{others[path].sha256}".encode())
    return digest.hexdigest()


# Objects whose keys are names the spec's author chose: an `x-` key there is a name (a property
# `x-id`, a response header `x-rate-limit`), not a specification extension.
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas",
        "schemas", "responses", "parameters", "examples", "requestBodies", "headers",
        "securitySchemes", "links", "callbacks", "pathItems", "content", "encoding",
        "webhooks", "mapping", "variables", "scopes",
    }
)  # fmt: skip


def is_extension(pointer: str, key: object) -> bool:
    """Whether `key` of the object at `pointer` is a specification extension (`x-...`).

    Extensions are free-form: a `$ref` inside one is not followed, bundled or checked.
    """
    parent = pointer.rsplit("/", 1)[-1]
    return isinstance(key, str) and key.startswith("x-") and parent not in _NAME_MAPS


def iter_refs(node: Any, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """Every (`$ref` value, pointer of the object holding it) in a tree, outside extensions."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref, pointer
        for key, value in node.items():
            if not is_extension(pointer, key):
                yield from iter_refs(value, join_pointer(pointer, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from iter_refs(item, join_pointer(pointer, index))


def _reference_errors(resolved: ResolvedSpec) -> Iterator[SpecError]:
    for ref, holder in iter_refs(resolved.data):
        if not ref.startswith("#"):
            continue  # already reported while bundling
        chain = [holder]
        target = ref
        while True:
            try:
                node = resolved.node(target)
            except KeyError:
                yield resolved.error(join_pointer(holder, "$ref"), f"unresolvable $ref {ref!r}")
                break
            if target in chain:
                cycle = " -> ".join([*chain[1:], target])
                yield resolved.error(join_pointer(holder, "$ref"), f"cyclic $ref: {cycle}")
                break
            if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
                break
            if len(chain) > MAX_REF_CHAIN:
                message = f"$ref chain longer than {MAX_REF_CHAIN} references"
                yield resolved.error(join_pointer(holder, "$ref"), message)
                break
            chain.append(target)
            target = node["$ref"]
