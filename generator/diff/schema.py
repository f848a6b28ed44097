"""Schema comparison: two schemas (old, new) in a request or a response -> located `Change`s.

The walk is breadth-first, so a component reached along several property paths is reported once,
at its shortest path; a pair of schemas already compared is not compared again, which is also what
stops recursive schemas (`node.child: {$ref: node}`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

from generator.diff.model import ChangeLog, Spot, code, new_spot, old_spot
from generator.diff.rules import BOUNDS, RULES, BoundRule, Level
from generator.diff.schema_view import Node, SchemaView
from generator.errors import join_pointer

Direction = Literal["request", "response"]
PropertyPath = tuple[str, ...]
ITEMS_TOKEN = "[]"  # noqa: S105 - a path token, not a password
STRICT_CONSEQUENCE = (
    "breaking for strict consumers: clients that validate responses against the old schema "
    "reject such responses"
)


@dataclass(frozen=True)
class SchemaScope:
    """What a walk compares: direction, the operation, the root's name and its context."""

    direction: Direction
    operation: str
    root_subject: str
    context: str = ""
    parameter: bool = False


@dataclass(frozen=True)
class Finding:
    """One difference between two views: the rule-id suffix and what changed, in words."""

    suffix: str
    detail: str


Check = Callable[[SchemaView, SchemaView], Iterator[Finding]]


def render_path(path: PropertyPath) -> str:
    """`("recipients", "[]", "email")` -> `recipients[].email`."""
    text = ""
    for token in path:
        text += token if token == ITEMS_TOKEN or not text else f".{token}"
    return text


def _accepts(types: frozenset[str] | None, name: str) -> bool:
    return types is None or name in types or (name == "integer" and "number" in types)


def _covers(wider: frozenset[str] | None, narrower: frozenset[str] | None) -> bool:
    if narrower is None:
        return wider is None
    return all(_accepts(wider, name) for name in narrower)


def _types_text(types: frozenset[str] | None) -> str:
    return "any" if types is None else " | ".join(sorted(types)) or "nothing"


def check_type(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """Type sets (ignoring null): widened, narrowed or changed to something unrelated."""
    before, after = old.value_types, new.value_types
    widened, narrowed = _covers(after, before), _covers(before, after)
    if widened and narrowed:
        return
    relation = "widened" if widened else "narrowed" if narrowed else "changed"
    detail = f"type changed from {code(_types_text(before))} to {code(_types_text(after))}"
    yield Finding(f"type-{relation}", detail)


def check_nullable(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """null added to or removed from the accepted types."""
    if old.types is None or new.types is None or old.nullable == new.nullable:
        return
    if new.nullable:
        yield Finding("became-nullable", "became nullable")
    else:
        yield Finding("became-not-nullable", "is no longer nullable")


def check_enum(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """Enum restriction added or removed, and each enum value added or removed."""
    if old.enum == new.enum:
        return
    if old.enum is None and new.enum is not None:
        yield Finding("became-enum", f"restricted to the values {_values_text(new.enum)}")
    elif new.enum is None and old.enum is not None:
        yield Finding("became-not-enum", f"no longer restricted to {_values_text(old.enum)}")
    elif old.enum is not None and new.enum is not None:
        for value in sorted(old.enum - new.enum):
            yield Finding("enum-value-removed", f"enum value {code(value)} removed")
        for value in sorted(new.enum - old.enum):
            yield Finding("enum-value-added", f"enum value {code(value)} added")


def _values_text(values: frozenset[str]) -> str:
    return ", ".join(code(value) for value in sorted(values))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def check_bound(bound: BoundRule, old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """One numeric bound: tightened or loosened; absent means unbounded."""
    before, after = old.keywords.get(bound.keyword), new.keywords.get(bound.keyword)
    absent = float("inf") if bound.upper else bound.floor
    before_number, after_number = _number(before), _number(after)
    before_value = absent if before_number is None else before_number
    after_value = absent if after_number is None else after_number
    if before_value == after_value:
        return
    verb = "increased" if after_value > before_value else "decreased"
    if before_number is None:
        detail = f"{bound.keyword} set to {after}"
    elif after_number is None:
        detail = f"{bound.keyword} removed (was {before})"
    else:
        detail = f"{bound.keyword} {verb} from {before} to {after}"
    yield Finding(f"{bound.stem}-{verb}", detail)


def check_text_keyword(keyword: str, old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """A string keyword (`pattern`, `format`): added, changed or removed."""
    before, after = old.keywords.get(keyword), new.keywords.get(keyword)
    if before == after:
        return
    if before is None:
        yield Finding(f"{keyword}-added", f"{keyword} {code(str(after))} added")
    elif after is None:
        yield Finding(f"{keyword}-removed", f"{keyword} {code(str(before))} removed")
    else:
        yield Finding(
            f"{keyword}-changed",
            f"{keyword} changed from {code(str(before))} to {code(str(after))}",
        )


def check_additional_properties(old: SchemaView, new: SchemaView) -> Iterator[Finding]:
    """`additionalProperties`/`unevaluatedProperties: false` added or removed."""
    if old.closed == new.closed:
        return
    if new.closed:
        yield Finding("additional-properties-closed", "no longer accepts unknown properties")
    else:
        yield Finding("additional-properties-opened", "now accepts unknown properties")


SCHEMA_CHECKS: dict[str, Check] = {
    "type": check_type,
    "nullable": check_nullable,
    "enum": check_enum,
    **{bound.keyword: partial(check_bound, bound) for bound in BOUNDS},
    "pattern": partial(check_text_keyword, "pattern"),
    "format": partial(check_text_keyword, "format"),
    "additionalProperties": check_additional_properties,
}

PendingPair = tuple[Node, Node, PropertyPath]


class SchemaWalk:
    """Compares two schema trees breadth-first and records every difference in a `ChangeLog`."""

    def __init__(self, log: ChangeLog, scope: SchemaScope) -> None:
        self.log = log
        self.scope = scope

    def run(self, old: Node, new: Node) -> None:
        """Compare `old` (in the old spec) with `new` (in the new spec), and everything below."""
        queue: deque[PendingPair] = deque([(old, new, ())])
        seen: set[tuple[str, str]] = set()
        while queue:
            old_node, new_node, path = queue.popleft()
            old_view = self.log.old_views.view(*old_node)
            new_view = self.log.new_views.view(*new_node)
            if (old_view.pointer, new_view.pointer) in seen:
                continue
            seen.add((old_view.pointer, new_view.pointer))
            queue.extend(self.compare(old_view, new_view, path))

    def compare(self, old: SchemaView, new: SchemaView, path: PropertyPath) -> list[PendingPair]:
        """Report the differences of one pair of views; return the child pairs to compare."""
        self.log.comparisons += 1
        for check in SCHEMA_CHECKS.values():
            for finding in check(old, new):
                self.report(finding.suffix, path, finding.detail, new_spot(new.pointer))
        if _unrelated(old, new):
            return []  # every property below would be "changed" too; the type change says it all
        return [*self.compare_properties(old, new, path), *self.compare_items(old, new, path)]

    def compare_properties(
        self, old: SchemaView, new: SchemaView, path: PropertyPath
    ) -> Iterator[PendingPair]:
        """Properties removed, added, or whose requiredness changed; yield the common ones."""
        for name in sorted(old.properties.keys() | new.properties.keys()):
            child = (*path, name)
            if name not in new.properties:
                self.report("removed", child, "removed", old_spot(old.properties[name][1]))
                continue
            spot = new_spot(new.properties[name][1])
            if name not in old.properties:
                required = name in new.required
                suffix, detail = (
                    ("added-required", "added as required") if required else ("added", "added")
                )
                self.report(suffix, child, detail, spot)
                continue
            if (name in old.required) != (name in new.required):
                became = "required" if name in new.required else "optional"
                self.report(f"became-{became}", child, f"became {became}", spot)
            yield old.properties[name], new.properties[name], child

    def compare_items(
        self, old: SchemaView, new: SchemaView, path: PropertyPath
    ) -> Iterator[PendingPair]:
        """Array items: a missing `items` is compared as "any item"."""
        if old.items is None and new.items is None:
            return
        old_items = old.items or (True, join_pointer(old.pointer, "items"))
        new_items = new.items or (True, join_pointer(new.pointer, "items"))
        yield old_items, new_items, (*path, ITEMS_TOKEN)

    def report(self, suffix: str, path: PropertyPath, detail: str, spot: Spot) -> None:
        """Record one finding under the rule id for this direction and depth."""
        rule = f"{self.prefix(path)}-{suffix}"
        message = f"{self.subject(path)} {detail}"
        if self.scope.context:
            message += f" ({self.scope.context})"
        if RULES[rule].level is Level.STRICT:
            message += f"; {STRICT_CONSEQUENCE}"
        self.log.add(rule, self.scope.operation, message, spot)

    def prefix(self, path: PropertyPath) -> str:
        """Rule-id prefix: `request-body`, `request-parameter`, `request-property`, `response-*`."""
        if path:
            return f"{self.scope.direction}-property"
        if self.scope.direction == "request" and self.scope.parameter:
            return "request-parameter"
        return f"{self.scope.direction}-body"

    def subject(self, path: PropertyPath) -> str:
        """Words naming the node: `request property `recipients[].email``, `response body`."""
        if not path:
            return self.scope.root_subject
        owner = (
            f"{self.scope.root_subject} property"
            if self.scope.parameter
            else f"{self.scope.direction} property"
        )
        return f"{owner} {code(render_path(path))}"


def _unrelated(old: SchemaView, new: SchemaView) -> bool:
    before, after = old.value_types, new.value_types
    if not before or not after:
        return False
    return not any(_accepts(before, name) and _accepts(after, name) for name in before | after)


def compare_schemas(log: ChangeLog, scope: SchemaScope, old: Node, new: Node) -> None:
    """Walk two schemas (old spec, new spec) and record every difference under `scope`."""
    SchemaWalk(log, scope).run(old, new)
