"""Schema comparison, combinators: `oneOf`/`anyOf` branch by branch and `allOf` members.

Branches are matched by `$ref` target, then identical content, then type; the rest are added
or removed (a new `oneOf` variant in a response is ERR). A schema that became a `oneOf` with the
old schema as one branch is `wrapped-in-one-of`. `allOf` members are merged into the view (their
constraints are compared there); this module reports members added or removed, memoised per pair.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.diff.model import ChangeLog, new_spot, old_spot
from generator.diff.schema_checks import Finding
from generator.diff.schema_view import Node, SchemaView, canonical
from generator.errors import join_pointer

_COMPONENT = re.compile(r"#/components/schemas/[^/]+")


@dataclass(frozen=True)
class Child:
    """A pair of sub-schemas to compare next, the path token leading to it, and its visibility."""

    old: Node
    new: Node
    token: str
    read_only: bool = False
    write_only: bool = False


# Keywords that never change which values a schema accepts (`all-of-*-annotation-only`).
ANNOTATION_KEYWORDS = frozenset(
    "title description default examples example deprecated readOnly writeOnly $comment "
    "externalDocs xml".split()
)


def compare_all_of(
    log: ChangeLog, old: SchemaView, new: SchemaView, findings: list[Finding]
) -> None:
    """allOf members added or removed, also in the members' own allOf (memoised per pair)."""
    findings.extend(_all_of_findings(log, old, new))


def _all_of_findings(log: ChangeLog, old: SchemaView, new: SchemaView) -> tuple[Finding, ...]:
    key = (old.pointer, new.pointer)
    cached: tuple[Finding, ...] | None = log.all_of_results.get(key)
    if cached is not None:
        return cached
    log.all_of_results[key] = ()  # a pair met again inside itself adds nothing
    if not old.all_of and not new.all_of:
        return ()
    pairs, removed, added = match_branches(log, old.all_of, new.all_of, old, new)
    # An inline member edited in place is the same member with other constraints (compared,
    # merged, at this view), not one removed and another added.
    while removed and added:
        pairs.append((removed.pop(0), added.pop(0)))
    found: list[Finding] = []
    for side, members, indexes, verb, other in (
        (log.old, old.all_of, removed, "removed", new.pointer),
        (log.new, new.all_of, added, "added", old.pointer),
    ):
        for index in indexes:
            member, pointer = side.deref(*members[index])
            if pointer == other:
                continue  # `allOf: [X]` against `X` itself: the same schema
            notes = isinstance(member, dict) and member.keys() <= ANNOTATION_KEYWORDS
            suffix = f"all-of-{verb}-annotation-only" if notes else f"all-of-{verb}"
            spot = old_spot(members[index][1]) if verb == "removed" else new_spot(members[index][1])
            found.append(Finding(suffix, f"allOf member {index} {verb}", spot))
    for old_index, new_index in pairs:
        before = log.old_views.view(*old.all_of[old_index])
        after = log.new_views.view(*new.all_of[new_index])
        found.extend(_all_of_findings(log, before, after))
    result = tuple(dict.fromkeys(found))
    log.all_of_results[key] = result
    return result


def branch_list(
    log: ChangeLog, side: str, view: SchemaView, keyword: str
) -> tuple[Node, ...] | None:
    """The view's branches for `keyword`: kept ones, the one it merged, or None when it has none."""
    if keyword in view.branches:
        return view.branches[keyword]
    views = log.old_views if side == "old" else log.new_views
    sole = views.sole_branch(view.pointer, keyword)
    return (sole,) if sole is not None else None


def compare_branches(
    log: ChangeLog,
    keyword: str,
    views: tuple[SchemaView, SchemaView],
    branches: tuple[tuple[Node, ...], tuple[Node, ...]],
    *,
    findings: list[Finding],
    children: list[Child],
) -> None:
    """oneOf/anyOf branch by branch: matched pairs are walked, the rest added or removed."""
    old, new = views
    before, after = branches
    pairs, removed, added = match_branches(log, before, after, old, new)
    stem = "one-of" if keyword == "oneOf" else "any-of"
    whole_matched = any(before[index][1] == old.pointer for index, _ in pairs)
    if keyword == "oneOf" and whole_matched and keyword not in old.branches and added:
        spot = new_spot(join_pointer(new.pointer, keyword))
        detail = "became a oneOf with the old schema as one branch"
        findings.append(Finding("wrapped-in-one-of", detail, spot))
        added = []
    for index in removed:
        spot = old_spot(before[index][1])
        findings.append(Finding(f"{stem}-removed", f"{keyword} branch {index} removed", spot))
    for index in added:
        spot = new_spot(after[index][1])
        findings.append(Finding(f"{stem}-added", f"{keyword} branch {index} added", spot))
    for old_index, new_index in pairs:
        if before[old_index][1] == old.pointer and after[new_index][1] == new.pointer:
            continue
        children.append(Child(before[old_index], after[new_index], f"{keyword}[{new_index}]"))


def match_branches(
    log: ChangeLog,
    before: tuple[Node, ...],
    after: tuple[Node, ...],
    old: SchemaView,
    new: SchemaView,
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of (old index, new index), then the old indexes removed and new ones added."""

    def view(side: str, node: Node, whole: SchemaView) -> SchemaView:
        if node[1] == whole.pointer:
            return whole
        views = log.old_views if side == "old" else log.new_views
        return views.view(*node)

    old_views = [view("old", node, old) for node in before]
    new_views = [view("new", node, new) for node in after]
    keys = (
        lambda view, node: view.pointer if _COMPONENT.fullmatch(view.pointer) else None,
        lambda view, node: canonical(node[0]),
        lambda view, node: tuple(sorted(view.types)) if view.types is not None else None,
    )
    pairs: list[tuple[int, int]] = []
    free_old, free_new = list(range(len(before))), list(range(len(after)))
    for key in keys:
        for old_index in list(free_old):
            wanted = key(old_views[old_index], before[old_index])
            if wanted is None:
                continue
            match = next(
                (index for index in free_new if key(new_views[index], after[index]) == wanted),
                None,
            )
            if match is not None:
                pairs.append((old_index, match))
                free_old.remove(old_index)
                free_new.remove(match)
    return sorted(pairs), free_old, free_new
