"""Load stage: a YAML/JSON spec file -> `SpecDocument(data, source_map, sha256)`; never resolves `$ref`."""

from __future__ import annotations

import hashlib
import math
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import SpecError, SpecErrors, join_pointer

# A spec is hand-written text; anything this large is a mistake or an attack (issue 7), so it is
# refused before parsing rather than after PyYAML has built it in memory.
MAX_SPEC_BYTES = 5 * 1024 * 1024
# Aliases let a few lines of YAML expand to billions of nodes ("billion laughs"); every node visited
# while building the data counts, so an alias bomb stops here with a clear message. Real specs
# spend about 20 bytes of text per node (OpenAI's 3 MB description: 134,000 nodes; ours: ~3,000),
# so this bound lets every spec under MAX_SPEC_BYTES through, while a 5 MB `[0,0,0,...]` (2.6
# million nodes) is refused by libyaml's event stream before any node is built (about 1 s). Without
# libyaml, PyYAML's composer (about 35 us and 700 bytes per node) stops at the same bound.
MAX_NODES = 400_000
MAX_DEPTH = 200


class _JsonLoader(yaml.SafeLoader):
    """SafeLoader whose plain scalars resolve only to JSON types: no timestamps, no sets, no binary."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.composed = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        """Count nodes as they are composed: a huge document is refused before it is all in memory."""
        self.composed += 1
        if self.composed > MAX_NODES:
            raise _TooLarge(f"the document has more than {MAX_NODES} YAML nodes")
        return super().compose_node(parent, index)


_JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# YAML 1.1 reads a JSON number with an exponent but no `.` or sign (`1e5`, `2.5E3`) as a string.
_JsonLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?[eE][-+]?[0-9]+$"),
    list("-0123456789"),
)

# libyaml composes the real spec about ten times faster than the pure-Python parser. It is used
# only where it cannot change the outcome: a document that fails in any way there is parsed again
# by `_JsonLoader`, so error messages and positions stay those of the pure-Python parser.
_FastJsonLoader: type[Any] | None = (
    # `_JsonLoader`'s scalar resolution on libyaml; `_count_nodes` bounds the node count.
    type(
        "_FastJsonLoader",
        (yaml.CSafeLoader,),
        {"yaml_implicit_resolvers": _JsonLoader.yaml_implicit_resolvers},
    )
    if yaml.__with_libyaml__
    else None
)

_LARGEST_FLOAT = int(sys.float_info.max)
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)


@dataclass(frozen=True)
class SpecDocument:
    """One loaded spec file: plain JSON-compatible data plus where each node came from."""

    path: Path
    display_path: str
    data: Any
    source_map: dict[str, tuple[int, int]]
    sha256: str

    def location(self, pointer: str) -> tuple[int, int]:
        """Line and column of the node at `pointer`, or of its nearest located ancestor."""
        while pointer not in self.source_map and "/" in pointer:
            pointer = pointer.rsplit("/", 1)[0]
        return self.source_map.get(pointer, (1, 1))

    def error(self, pointer: str, message: str) -> SpecError:
        """A `SpecError` located at `pointer` in this document."""
        line, column = self.location(pointer)
        return SpecError(self.display_path, line, column, pointer, message)


def display_path_for(path: Path) -> str:
    """The path as the user would type it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


class _Builder:
    """Builds JSON data from a composed YAML node tree, recording each node's position."""

    def __init__(self, display_path: str) -> None:
        self.display_path = display_path
        self.constructor = _JsonLoader("")
        self.source_map: dict[str, tuple[int, int]] = {}
        self.errors: list[SpecError] = []
        self.node_count = 0

    def fail(self, node: Node, pointer: str, message: str) -> None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.errors.append(SpecError(self.display_path, line, column, pointer, message))

    def build(self, node: Node, pointer: str, depth: int) -> Any:
        self.node_count += 1
        if self.node_count > MAX_NODES:
            raise _TooLarge(
                f"the document expands to more than {MAX_NODES} nodes (YAML alias bomb?)"
            )
        if depth > MAX_DEPTH:
            raise _TooLarge(f"the document nests deeper than {MAX_DEPTH} levels")
        self.source_map.setdefault(pointer, (node.start_mark.line + 1, node.start_mark.column + 1))
        builder = _NODE_BUILDERS.get(type(node))
        if builder is None:
            self.fail(node, pointer, f"unsupported YAML node {type(node).__name__}")
            return None
        expected = _COLLECTION_TAGS.get(type(node))
        if expected is not None and node.tag != expected:
            # `!!set {a, b}` or `!!python/object/apply:os.system [...]`: a tag on a collection
            # is refused as on a scalar, never read as the plain mapping or list under it.
            self.fail(node, pointer, f"YAML tag {node.tag!r} has no JSON equivalent")
            return None
        return builder(self, node, pointer, depth)

    def build_mapping(self, node: Node, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.mapping_key(key_node, pointer)
            if key is None:
                continue
            child = join_pointer(pointer, key)
            if key in result:
                self.fail(key_node, child, f"duplicate key {key!r}")
                continue
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def mapping_key(self, key_node: Node, pointer: str) -> str | None:
        if not isinstance(key_node, ScalarNode) or key_node.tag == "tag:yaml.org,2002:merge":
            self.fail(key_node, pointer, "mapping keys must be plain scalars (no merge keys)")
            return None
        key = self.scalar(key_node, pointer)
        # YAML reads `200:` as an integer; OpenAPI means the string "200".
        if isinstance(key, bool) or not isinstance(key, str | int):
            self.fail(key_node, pointer, f"mapping key {key_node.value!r} must be a string")
            return None
        return str(key)

    def build_sequence(self, node: Node, pointer: str, depth: int) -> list[Any]:
        return [
            self.build(item, join_pointer(pointer, index), depth + 1)
            for index, item in enumerate(node.value)
        ]

    def build_scalar(self, node: Node, pointer: str, depth: int) -> Any:
        return self.scalar(node, pointer)

    def scalar(self, node: Node, pointer: str) -> Any:
        if node.tag not in _JSON_SCALAR_TAGS:
            self.fail(node, pointer, f"YAML tag {node.tag!r} has no JSON equivalent")
            return None
        try:
            value = self.constructor.construct_object(node)
        except ValueError:  # Python refuses int() of more than 4,300 digits (CVE-2020-10735)
            self.fail(node, pointer, f"number with {len(node.value)} characters is too long")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(node, pointer, f"{node.value!r} is not a JSON number")
            return None
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > _LARGEST_FLOAT:
            # Validators compare numbers as floats too; past the float range that overflows.
            message = f"integer with {len(str(abs(value)))} digits is beyond the float range"
            self.fail(node, pointer, message)
            return None
        if isinstance(value, str) and _SURROGATE.search(value):
            return self.join_surrogates(node, pointer, value)
        return value

    def join_surrogates(self, node: Node, pointer: str, value: str) -> str | None:
        """JSON writes `😀` as the escapes `\\ud83d\\ude00`; PyYAML keeps them as two halves."""
        try:
            return value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            self.fail(node, pointer, "a string holds an unpaired UTF-16 surrogate escape")
            return None


class _TooLargeErrors(SpecErrors):
    """A document refused for its size or depth (the same error whichever parser read it)."""


class _TooLarge(Exception):
    """The document exceeds a safety bound; carries the message."""


# The only tags a mapping or a sequence may carry: the ones YAML gives untagged collections.
_COLLECTION_TAGS: dict[type[Node], str] = {
    MappingNode: "tag:yaml.org,2002:map",
    SequenceNode: "tag:yaml.org,2002:seq",
}
_NODE_BUILDERS: dict[type[Node], Callable[[_Builder, Node, str, int], Any]] = {
    MappingNode: _Builder.build_mapping,
    SequenceNode: _Builder.build_sequence,
    ScalarNode: _Builder.build_scalar,
}


def load_document(path: Path) -> SpecDocument:
    """Read and parse one spec file; raise `SpecErrors` with every problem found."""
    display = display_path_for(path)
    raw = _read_bounded(path, display)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpecErrors(
            [SpecError(display, 1, 1, "#", f"spec is not UTF-8: {exc.reason}")]
        ) from None
    return _parse(path, display, text, hashlib.sha256(raw).hexdigest())


def _read_bounded(path: Path, display: str) -> bytes:
    """The file's bytes; never more than the limit in memory, never waiting on a pipe or device."""

    def refuse(message: str) -> SpecErrors:
        return SpecErrors([SpecError(display, 1, 1, "#", message)])

    try:
        # `/dev/zero` or a FIFO would make a plain read() run forever or block: regular files only.
        if not stat.S_ISREG(path.stat().st_mode):
            raise refuse("spec is not a regular file")
        with path.open("rb") as handle:
            raw = handle.read(MAX_SPEC_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read spec: {exc.strerror}") from None
    if len(raw) > MAX_SPEC_BYTES:
        size = max(len(raw), path.stat().st_size)
        raise refuse(f"spec is {size} bytes; the limit is {MAX_SPEC_BYTES} bytes")
    return raw


def _parse(path: Path, display: str, text: str, sha256: str) -> SpecDocument:
    if _FastJsonLoader is not None:
        try:
            return _parse_with(_FastJsonLoader, path, display, text, sha256)
        except _TooLargeErrors:
            raise  # the same verdict, at 1:1, from either parser: not worth a slow second look
        except SpecErrors:
            pass  # reported by the pure-Python parser below, with its messages
    return _parse_with(_JsonLoader, path, display, text, sha256)


def _count_nodes(text: str, loader: type[Any]) -> None:
    """Stream libyaml's events, refusing more than `MAX_NODES` nodes or `MAX_DEPTH` levels before
    any node is built (libyaml slows down quadratically on a deep nesting bomb)."""
    events = depth = 0
    for event in yaml.parse(text, Loader=loader):
        events += isinstance(event, yaml.NodeEvent)
        depth += isinstance(event, yaml.CollectionStartEvent)
        depth -= isinstance(event, yaml.CollectionEndEvent)
        if events > MAX_NODES:
            raise _TooLarge(f"the document has more than {MAX_NODES} YAML nodes")
        if depth > MAX_DEPTH:
            raise _TooLarge(f"the document nests deeper than {MAX_DEPTH} levels")


def _parse_with(
    loader: type[Any], path: Path, display: str, text: str, sha256: str
) -> SpecDocument:
    builder = _Builder(display)
    try:
        if loader is not _JsonLoader:
            _count_nodes(text, loader)
        node = yaml.compose(text, Loader=loader)
        data = builder.build(node, "#", 0) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        syntax = "JSON" if path.suffix.lower() == ".json" else "YAML"
        message = f"invalid {syntax}: {exc.problem or exc.context}"
        raise SpecErrors([SpecError(display, line, column, "#", message)]) from None
    except (_TooLarge, RecursionError) as exc:
        message = str(exc) if isinstance(exc, _TooLarge) else "the document nests too deeply"
        raise _TooLargeErrors([SpecError(display, 1, 1, "#", message)]) from None
    if builder.errors:
        raise SpecErrors(builder.errors)
    if not isinstance(data, dict):
        raise SpecErrors(
            [SpecError(display, 1, 1, "#", "a spec must be a mapping at the top level")]
        )
    return SpecDocument(path, display, data, builder.source_map, sha256)
