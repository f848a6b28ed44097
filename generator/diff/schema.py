"""Schema comparison: two schemas (old, new) in a request or a response -> located `Change`s.

Work is memoised per pair of schemas (by bundled pointer): `compare_pair` computes a pair's
findings and child pairs once per diff, however many operations, media types or property paths
reach it, so a diff costs one comparison per pair of schemas. Each walk (one root: a request body,
a response, a parameter) is breadth-first over those pairs, so a component reached along several
property paths is reported once, at its shortest path, and recursion (`node.child: {$ref: node}`)
ends at a pair already seen.

`oneOf`/`anyOf` branches are compared branch by branch, never merged: branches are matched by
`$ref` target, then by identical content, then by type, and the rest are added or removed.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from generator.diff.lifecycle import STABILITY_LEVELS, deprecation_verdict, stability_change
from generator.diff.model import ChangeLog, code, new_spot, old_spot
from generator.diff.rules import (
    PARAMETER_PROPERTY,
    READ_ONLY_PREFIX,
    WRITE_ONLY_PREFIX,
    schema_rule_id,
)
from generator.diff.schema_branches import Child, branch_list, compare_all_of, compare_branches
from generator.diff.schema_checks import SCHEMA_CHECKS, SHAPE_FREE_CHECKS, Finding, unrelated
from generator.diff.schema_view import BRANCH_KEYWORDS, Node, SchemaView
from generator.errors import join_pointer

Direction = Literal["request", "response"]
RootKind = Literal["body", "parameter", "header"]
PropertyPath = tuple[str, ...]
ITEMS_TOKEN = "[]"  # noqa: S105 - a path token, not a password


@dataclass(frozen=True)
class SchemaScope:
    """What a walk compares: direction, the operation, the root's name, kind and context."""

    direction: Direction
    operation: str
    root_subject: str
    context: str = ""
    kind: RootKind = "body"
    # The operation's `x-stability-level` (the sunset policy depends on it).
    stability: str | None = None
    # A header parameter: oasdiff names some of its changes `request-header-property-*`.
    header: bool = False
    # Values travel as text (a non-JSON media type, a header): see `Finding.loose`.
    loose: bool = False


@dataclass(frozen=True)
class PairResult:
    """What one pair of schemas differs in, and the pairs below it."""

    findings: tuple[Finding, ...]
    children: tuple[Child, ...]


def render_path(path: PropertyPath) -> str:
    """`("recipients", "[]", "email")` -> `recipients[].email`."""
    text = ""
    for token in path:
        text += token if token.startswith(("[", "<")) or not text else f".{token}"
    return text


def compare_pair(log: ChangeLog, old_node: Node, new_node: Node) -> PairResult:
    """The findings and children of one pair of schemas, computed once per diff."""
    old = log.old_views.view(*old_node)
    new = log.new_views.view(*new_node)
    key = (old.pointer, new.pointer)
    cached: PairResult | None = log.pair_results.get(key)
    if cached is not None:
        return cached
    log.comparisons += 1
    result = _compare_views(log, old, new)
    log.pair_results[key] = result
    return result


def _compare_views(log: ChangeLog, old: SchemaView, new: SchemaView) -> PairResult:
    """Keyword checks, branches, properties and structure of one pair of views."""
    findings: list[Finding] = []
    children: list[Child] = []
    wrapped = False
    for keyword in BRANCH_KEYWORDS:
        if keyword not in old.branches and keyword not in new.branches:
            continue
        before = branch_list(log, "old", old, keyword)
        after = branch_list(log, "new", new, keyword)
        if before is None or after is None:
            wrapped = True  # one side has no such keyword at all: it is the other's only branch
            before = before or ((True, old.pointer),)
            after = after or ((True, new.pointer),)
        elif keyword not in old.branches:
            old = log.old_views.without(old.pointer, keyword)
        elif keyword not in new.branches:
            new = log.new_views.without(new.pointer, keyword)
        compare_branches(
            log, keyword, (old, new), (before, after), findings=findings, children=children
        )
    if not wrapped:
        compare_all_of(log, old, new, findings)
    checks = SHAPE_FREE_CHECKS if wrapped else tuple(SCHEMA_CHECKS)
    findings[:0] = [finding for name in checks for finding in SCHEMA_CHECKS[name](old, new)]
    if not wrapped and not unrelated(old, new):
        # An unrelated type change says it all; every property below would be "changed" too.
        children[:0] = [
            *_compare_properties(log, old, new, findings),
            *_structural_children(old, new),
        ]
    return PairResult(tuple(findings), tuple(children))


def _compare_properties(
    log: ChangeLog, old: SchemaView, new: SchemaView, findings: list[Finding]
) -> Iterator[Child]:
    """Properties removed, added, made required/optional, readOnly/writeOnly, deprecated."""
    for name in sorted(old.properties.keys() | new.properties.keys()):
        if name not in new.properties:
            gone = log.old_views.view(*old.properties[name])
            spot = old_spot(old.properties[name][1])
            findings.append(
                Finding(
                    "property-removed",
                    "removed",
                    spot,
                    name,
                    name in old.required,
                    gone.flag("writeOnly"),
                )
            )
            continue
        if name not in old.properties:
            required = name in new.required
            detail = "added as required" if required else "added"
            spot = new_spot(new.properties[name][1])
            added = log.new_views.view(*new.properties[name])
            findings.append(
                Finding(
                    "property-added",
                    detail,
                    spot,
                    name,
                    required,
                    write_only=added.flag("writeOnly"),
                    has_default="default" in added.keywords,
                )
            )
            continue
        before = log.old_views.view(*old.properties[name])
        after = log.new_views.view(*new.properties[name])
        _property_facts(old, new, name, before=before, after=after, findings=findings)
        yield Child(
            old.properties[name],
            new.properties[name],
            name,
            read_only=after.flag("readOnly"),
            write_only=after.flag("writeOnly"),
        )


def _property_facts(
    old: SchemaView,
    new: SchemaView,
    name: str,
    *,
    before: SchemaView,
    after: SchemaView,
    findings: list[Finding],
) -> None:
    """Requiredness, readOnly/writeOnly and deprecation of a property both schemas have."""
    required = name in new.required
    if (name in old.required) != required:
        became = "required" if required else "optional"
        spot = new_spot(new.required[name]) if required else old_spot(old.required[name])
        findings.append(
            Finding(
                f"property-became-{became}",
                f"became {became}",
                spot,
                name,
                write_only=after.flag("writeOnly"),
                has_default="default" in after.keywords,
            )
        )
    for flag, stem in (("readOnly", "read-only"), ("writeOnly", "write-only")):
        if before.flag(flag) != after.flag(flag):
            suffix = f"became-{stem}" if after.flag(flag) else f"became-not-{stem}"
            detail = f"became {flag}" if after.flag(flag) else f"is no longer {flag}"
            spot = new_spot(after.spot(flag))
            findings.append(Finding(f"mutability:{suffix}", detail, spot, name, required))
    if before.flag("deprecated") != after.flag("deprecated"):
        verb = "deprecated" if after.flag("deprecated") else "reactivated"
        detail = "deprecated" if after.flag("deprecated") else "no longer deprecated"
        spot = new_spot(after.spot("deprecated"))
        sunset = (after.keywords["x-sunset"],) if "x-sunset" in after.keywords else ()
        findings.append(Finding(f"property-{verb}", detail, spot, name, required, sunset=sunset))
    findings.extend(_stability_findings(name, required, before=before, after=after))


def _stability_findings(
    name: str, required: bool, *, before: SchemaView, after: SchemaView
) -> Iterator[Finding]:
    """A property's `x-stability-level` (absent: stable) decreased, increased or invalid."""
    old_level = before.keywords.get("x-stability-level")
    new_level = after.keywords.get("x-stability-level")
    verdict = stability_change(old_level, new_level)
    if verdict is None:
        return
    spot = new_spot(after.spot("x-stability-level"))
    if verdict == "invalid":
        detail = (
            f"x-stability-level {code(str(new_level))} is not one of {', '.join(STABILITY_LEVELS)}"
        )
    else:
        shown = code(str(old_level or "stable")), code(str(new_level or "stable"))
        detail = f"x-stability-level {verdict} from {shown[0]} to {shown[1]}"
    yield Finding(f"property-stability-{verdict}", detail, spot, name, required)


def _structural_children(old: SchemaView, new: SchemaView) -> Iterator[Child]:
    """Items, prefixItems, additionalProperties, patternProperties and other subschemas in common."""
    if old.items is not None or new.items is not None:
        yield Child(
            old.items or (True, join_pointer(old.pointer, "items")),
            new.items or (True, join_pointer(new.pointer, "items")),
            ITEMS_TOKEN,
        )
    for index, (before, after) in enumerate(zip(old.prefix_items, new.prefix_items, strict=False)):
        yield Child(before, after, f"[{index}]")
    if old.additional is not None or new.additional is not None:
        yield Child(
            old.additional or (True, join_pointer(old.pointer, "additionalProperties")),
            new.additional or (True, join_pointer(new.pointer, "additionalProperties")),
            "*",
        )
    for keyword in sorted(old.subschemas.keys() & new.subschemas.keys() - {"not"}):
        yield Child(old.subschemas[keyword], new.subschemas[keyword], f"<{keyword}>")
    for name in sorted(old.dependent_schemas.keys() & new.dependent_schemas.keys()):
        yield Child(
            old.dependent_schemas[name], new.dependent_schemas[name], f"<dependentSchemas:{name}>"
        )
    for pattern in sorted(old.pattern_properties.keys() & new.pattern_properties.keys()):
        yield Child(
            old.pattern_properties[pattern], new.pattern_properties[pattern], f"/{pattern}/"
        )


PendingPair = tuple[Node, Node, PropertyPath, str]


class SchemaWalk:
    """Reports the memoised differences of every pair reachable from one root pair."""

    def __init__(self, log: ChangeLog, scope: SchemaScope) -> None:
        self.log = log
        self.scope = scope

    def run(self, old: Node, new: Node) -> None:
        """Compare `old` (in the old spec) with `new` (in the new spec), and everything below."""
        queue: deque[PendingPair] = deque([(old, new, (), "")])
        seen: set[tuple[str, str, str]] = set()
        while queue:
            old_node, new_node, path, hidden = queue.popleft()
            result = compare_pair(self.log, old_node, new_node)
            key = (
                self.log.old_views.view(*old_node).pointer,
                self.log.new_views.view(*new_node).pointer,
                hidden,
            )
            if key in seen:
                continue
            seen.add(key)
            for finding in result.findings:
                self.report(finding, path, hidden)
            for child in result.children:
                queue.append(
                    (child.old, child.new, (*path, child.token), self.hidden(child, hidden))
                )

    def hidden(self, child: Child, hidden: str) -> str:
        """The read-only (request) or write-only (response) prefix once under such a property."""
        if hidden:
            return hidden
        if self.scope.direction == "request" and child.read_only:
            return READ_ONLY_PREFIX
        if self.scope.direction == "response" and child.write_only:
            return WRITE_ONLY_PREFIX
        return ""

    def report(self, finding: Finding, path: PropertyPath, hidden: str) -> None:
        """Record one finding under its rule id for this direction, depth and visibility."""
        if finding.child is not None:
            child_path = (*path, finding.child)
            for rule in self.property_rules(finding):
                self.add(rule, child_path, finding)
            return
        prefix = hidden or self.prefix(path)
        rule = schema_rule_id(prefix, self.suffix(finding, prefix))
        if self.scope.header and rule == f"{PARAMETER_PROPERTY}-became-enum":
            rule = "request-header-property-became-enum"
        self.add(rule, path, finding)

    def suffix(self, finding: Finding, prefix: str) -> str:
        """The finding's suffix as oasdiff names it at this position."""
        suffix = finding.suffix
        if self.scope.direction == "response" and finding.response_suffix:
            suffix = finding.response_suffix
        if prefix in (READ_ONLY_PREFIX, WRITE_ONLY_PREFIX):
            return suffix
        if prefix == PARAMETER_PROPERTY and suffix == "type-changed" and finding.loose != "request":
            # An object parameter's serialisation is unknown: a change that breaks typed and
            # untyped readers alike is oasdiff's `-specialized` (ERR), one that breaks only typed
            # readers stays `-changed` (WARN).
            return "type-specialized"
        if suffix == "type-changed" and finding.loose == self.scope.direction:
            # A scalar parameter is text on the wire: oasdiff calls it generalized.
            if prefix == "request-parameter":
                return "type-generalized"
            if prefix == "response-header" or (self.scope.loose and prefix != PARAMETER_PROPERTY):
                return "type-compatible"
        if suffix == "type-specialized" and self.scope.direction == "request":
            if prefix != PARAMETER_PROPERTY:
                return "type-changed"  # oasdiff has no request-*-type-specialized
        return suffix

    def property_rules(self, finding: Finding) -> list[str]:
        """Rule ids of a property-level finding (oasdiff names these without a depth prefix)."""
        kind = finding.suffix
        direction = self.scope.direction
        if kind.startswith("mutability:"):
            requiredness = "required" if finding.required else "optional"
            suffix = kind.split(":", 1)[1]
            return [f"{direction}-{requiredness}-property-{suffix}"]
        if kind == "property-stability-invalid":
            return ["api-invalid-stability-level"]
        if kind == "property-deprecated":
            owner = {"x-sunset": finding.sunset[0]} if finding.sunset else {}
            verdict = deprecation_verdict(
                owner, self.log.policy, self.scope.stability, self.log.today
            )
            return [f"{direction}-{PROPERTY_DEPRECATION[verdict]}"]
        if self.scope.header and (
            kind == "property-became-required" or (kind == "property-added" and finding.required)
        ):
            return [HEADER_PROPERTY_RULES[kind]]
        if direction == "request":
            return _request_property_rules(kind, finding)
        return _response_property_rules(kind, finding)

    def add(self, rule: str, path: PropertyPath, finding: Finding) -> None:
        message = f"{self.subject(path)} {finding.detail}"
        if self.scope.context:
            message += f" ({self.scope.context})"
        self.log.add(rule, self.scope.operation, message, finding.spot)

    def prefix(self, path: PropertyPath) -> str:
        """Rule-id prefix: `request-body`, `request-parameter`, `response-header`, `*-property`."""
        if path:
            if self.scope.kind == "parameter":
                return PARAMETER_PROPERTY
            return f"{self.scope.direction}-property"
        if self.scope.kind == "parameter":
            return "request-parameter"
        if self.scope.kind == "header":
            return "response-header"
        return f"{self.scope.direction}-body"

    def subject(self, path: PropertyPath) -> str:
        """Words naming the node: `request property `recipients[].email``, `response body`."""
        if not path:
            return self.scope.root_subject
        owner = (
            f"{self.scope.root_subject} property"
            if self.scope.kind != "body"
            else f"{self.scope.direction} property"
        )
        return f"{owner} {code(render_path(path))}"


# lifecycle.deprecation_verdict -> the rule-id stem after `request-`/`response-`.
PROPERTY_DEPRECATION = {
    "plain": "property-deprecated",
    "with-sunset": "property-deprecated-with-sunset",
    "missing": "property-deprecated-sunset-missing",
    "invalid": "property-deprecated-sunset-invalid",
    "too-small": "property-sunset-date-too-small",
}
# A required property added to (or made required in) a header parameter's object schema.
HEADER_PROPERTY_RULES = {
    "property-added": "new-required-request-header-property",
    "property-became-required": "request-header-property-became-required",
}


def _request_property_rules(kind: str, finding: Finding) -> list[str]:
    requiredness = "required" if finding.required else "optional"
    if kind == "property-added":
        default = "-with-default" if finding.required and finding.has_default else ""
        return [f"new-{requiredness}-request-property{default}"]
    if kind == "property-became-required" and finding.has_default:
        return ["request-property-became-required-with-default"]
    if kind == "property-removed":
        return ["request-property-removed", "client-attribute-removed"]
    return [f"request-{kind}"]


def _response_property_rules(kind: str, finding: Finding) -> list[str]:
    requiredness = "required" if finding.required else "optional"
    write_only = "-write-only" if finding.write_only else ""
    if kind == "property-added":
        return [f"response-{requiredness}{write_only}-property-added"]
    if kind.startswith("property-became-") and finding.write_only:
        return [f"response-write-only-{kind}"]
    if kind == "property-removed":
        return [f"response-{requiredness}{write_only}-property-removed", "client-attribute-removed"]
    return [f"response-{kind}"]


def compare_schemas(log: ChangeLog, scope: SchemaScope, old: Node, new: Node) -> None:
    """Walk two schemas (old spec, new spec) and record every difference under `scope`."""
    SchemaWalk(log, scope).run(old, new)
