"""Operation comparison: the operations of two specs -> changes to operations and parameters.
Bodies and responses are compared in `diff_bodies.py`, security and servers in `diff_access.py`.

Operations are matched by method and path template with parameter names blanked
(`/items/{item-id}` matches `/items/{itemId}`), so renaming a path parameter is reported as a rename
rather than as one operation removed and another added.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.diff.access import compare_security, compare_servers
from generator.diff.bodies import Located, compare_request_body, compare_responses, header_schema
from generator.diff.lifecycle import (
    STABILITY_LEVELS,
    deprecation_verdict,
    parse_sunset,
    stability_change,
    stability_of,
    sunset_change,
)
from generator.diff.model import ChangeLog, Spot, code, new_spot, old_spot, plain
from generator.diff.operation_model import (
    TEMPLATE_PARAMETER,
    Operation,
    OperationPair,
    operations_of,
    path_keys,
)
from generator.diff.schema import SchemaScope, compare_schemas
from generator.errors import join_pointer
from generator.spec.refs import ResolvedSpec

ParameterKey = tuple[str, str]


def compare_operation_id(log: ChangeLog, pair: OperationPair) -> None:
    """operationId changed: oasdiff's INFO note, and the generated method's new name (ERR)."""
    before, after = pair.old.data.get("operationId"), pair.new.data.get("operationId")
    if before == after:
        return
    spot = new_spot(join_pointer(pair.new.pointer, "operationId"))
    if before is None:
        detail = f"operationId {code(str(after))} added"
        log.add("api-operation-id-added", pair.label, detail, spot)
    else:
        detail = f"operationId {code(str(before))} removed or changed to {code(str(after))}"
        log.add("api-operation-id-removed", pair.label, detail, spot)
    detail = (
        f"operationId changed from {code(str(before))} to {code(str(after))}; "
        "the generated client method is renamed"
    )
    log.add("client-method-renamed", pair.label, detail, spot)


_OPERATION_DEPRECATION = {
    "plain": "endpoint-deprecated",
    "with-sunset": "endpoint-deprecated-with-sunset",
    "missing": "api-deprecated-sunset-missing",
    "invalid": "api-deprecated-sunset-parse",
    "too-small": "api-sunset-date-too-small",
}
_OPERATION_SUNSET_CHANGE = {
    "deleted": "sunset-deleted",
    "invalid": "api-deprecated-sunset-parse",
    "too-small": "api-sunset-date-changed-too-small",
}


def _sunset_text(owner: dict[str, Any]) -> str:
    return code(str(owner.get("x-sunset")))


def compare_deprecation(log: ChangeLog, pair: OperationPair) -> None:
    """`deprecated: true` set or cleared; the `x-sunset` date of a deprecated operation."""
    before, after = pair.old.data.get("deprecated") is True, pair.new.data.get("deprecated") is True
    stability = stability_of(pair.new.data)
    if before != after:
        spot = new_spot(join_pointer(pair.new.pointer, "deprecated"))
        if not after:
            log.add("endpoint-reactivated", pair.label, "operation no longer deprecated", spot)
            return
        verdict = deprecation_verdict(pair.new.data, log.policy, stability, log.today)
        detail = _deprecation_detail(
            "operation", verdict, pair.new.data, log.policy.days(stability)
        )
        log.add(_OPERATION_DEPRECATION[verdict], pair.label, detail, spot)
        return
    if not (before and after):
        return
    change = sunset_change(pair.old.data, pair.new.data, log.policy, stability, log.today)
    if change is not None:
        detail = _sunset_change_detail("operation", change, pair.old.data, pair.new.data)
        spot = _sunset_spot(change, pair.old.pointer, pair.new.pointer)
        log.add(_OPERATION_SUNSET_CHANGE[change], pair.label, detail, spot)


def _deprecation_detail(subject: str, verdict: str, owner: dict[str, Any], days: int) -> str:
    """Words for a deprecation verdict (`lifecycle.deprecation_verdict`)."""
    sunset = _sunset_text(owner)
    return {
        "plain": f"{subject} deprecated",
        "with-sunset": f"{subject} deprecated (sunset {sunset})",
        "missing": f"{subject} deprecated without an x-sunset (the policy asks for {days} days)",
        "invalid": f"{subject} deprecated with x-sunset {sunset}: not a date",
        "too-small": f"{subject} deprecated with x-sunset {sunset}, less than {days} days ahead",
    }[verdict]


def _sunset_change_detail(
    subject: str, change: str, old: dict[str, Any], new: dict[str, Any]
) -> str:
    before, after = _sunset_text(old), _sunset_text(new)
    return {
        "deleted": f"x-sunset {before} removed from a deprecated {subject}",
        "invalid": f"x-sunset of a deprecated {subject} changed from {before} to {after}: not a date",
        "too-small": f"x-sunset of a deprecated {subject} moved earlier, from {before} to {after}",
    }[change]


def _sunset_spot(change: str, old_pointer: str, new_pointer: str) -> Spot:
    if change == "deleted":
        return old_spot(join_pointer(old_pointer, "x-sunset"))
    return new_spot(join_pointer(new_pointer, "x-sunset"))


def compare_stability(log: ChangeLog, pair: OperationPair) -> None:
    """`x-stability-level` (draft < alpha < beta < stable; absent is stable, as in oasdiff):
    decreased, increased, or changed to a value that is no level."""
    before, after = pair.old.data.get("x-stability-level"), pair.new.data.get("x-stability-level")
    verdict = stability_change(before, after)
    if verdict is None:
        return
    spot = new_spot(join_pointer(pair.new.pointer, "x-stability-level"))
    if verdict == "invalid":
        detail = f"x-stability-level {code(str(after))} is not one of {', '.join(STABILITY_LEVELS)}"
        log.add("api-invalid-stability-level", pair.label, detail, spot)
        return
    if after is None:
        spot = old_spot(join_pointer(pair.old.pointer, "x-stability-level"))
    shown = code(str(before or "stable")), code(str(after or "stable"))
    detail = f"x-stability-level {verdict} from {shown[0]} to {shown[1]}"
    log.add(f"api-stability-{verdict}", pair.label, detail, spot)


def _tags(operation: Operation) -> set[str]:
    tags = operation.data.get("tags")
    return {tag for tag in tags if isinstance(tag, str)} if isinstance(tags, list) else set()


def compare_tags(log: ChangeLog, pair: OperationPair) -> None:
    """Tags added to or removed from the operation."""
    old, new = _tags(pair.old), _tags(pair.new)
    for tag in sorted(old - new):
        spot = old_spot(join_pointer(pair.old.pointer, "tags"))
        log.add("api-tag-removed", pair.label, f"tag {code(tag)} removed", spot)
    for tag in sorted(new - old):
        spot = new_spot(join_pointer(pair.new.pointer, "tags"))
        log.add("api-tag-added", pair.label, f"tag {code(tag)} added", spot)


def _path_renames(pair: OperationPair) -> dict[str, str]:
    before = TEMPLATE_PARAMETER.findall(pair.old.path)
    after = TEMPLATE_PARAMETER.findall(pair.new.path)
    return {old: new for old, new in zip(before, after, strict=False) if old != new}


def _parameters(spec: ResolvedSpec, operation: Operation) -> dict[ParameterKey, Located]:
    """Path-item parameters overridden by operation parameters, by (in, name)."""
    result: dict[ParameterKey, Located] = {}
    for owner, owner_pointer in (
        (operation.path_item, operation.path_pointer),
        (operation.data, operation.pointer),
    ):
        listed = owner.get("parameters")
        for index, raw in enumerate(listed if isinstance(listed, list) else ()):
            parameter, pointer = spec.deref(raw, join_pointer(owner_pointer, "parameters", index))
            if isinstance(parameter, dict) and isinstance(parameter.get("name"), str):
                location, name = str(parameter.get("in")), parameter["name"]
                # HTTP header names are case-insensitive: `X-Id` and `x-id` are one parameter.
                key = (location, name.lower() if location == "header" else name)
                result[key] = (parameter, pointer)
    return result


def compare_parameters(log: ChangeLog, pair: OperationPair) -> None:
    """Parameters renamed (path), added, removed, made required or optional, or schemas changed."""
    renames = _path_renames(pair)
    for before, after in sorted(renames.items()):
        detail = (
            f"path parameter {code(before)} renamed to {code(after)}; "
            "the generated argument is renamed"
        )
        spot = new_spot(pair.new.path_pointer)
        log.add("client-argument-renamed", pair.label, detail, spot)
    old_parameters = {
        (location, renames.get(name, name) if location == "path" else name): value
        for (location, name), value in _parameters(log.old, pair.old).items()
    }
    new_parameters = _parameters(log.new, pair.new)
    for key in sorted(old_parameters.keys() | new_parameters.keys()):
        _compare_parameter(log, pair, key, old_parameters.get(key), new_parameters.get(key))


def _compare_parameter(
    log: ChangeLog, pair: OperationPair, key: ParameterKey, old: Located | None, new: Located | None
) -> None:
    shown = next((str(side[0].get("name")) for side in (new, old) if side is not None), key[1])
    subject = f"{plain(key[0])} parameter {code(shown)}"
    if new is None and old is not None:
        rule = _removal_rule(old[0], log.today, "request-parameter-removed", "request-parameter")
        log.add(rule, pair.label, f"{subject} removed", old_spot(old[1]))
        detail = f"{subject} removed; the generated argument goes"
        log.add("client-argument-removed", pair.label, detail, old_spot(old[1]))
        return
    if new is None:
        return
    required = new[0].get("required") is True
    if old is None:
        requiredness = "required" if required else "optional"
        if key[0] == "path":
            rule = "new-request-path-parameter"
        elif new[1].startswith(f"{pair.new.path_pointer}/parameters/"):
            # oasdiff's name for a parameter of the whole path item (every method gets it)
            rule = f"new-{requiredness}-request-default-parameter-to-existing-path"
        else:
            rule = f"new-{requiredness}-request-parameter"
        detail = f"{subject} added{' as required' if required else ''}"
        log.add(rule, pair.label, detail, new_spot(new[1]))
        return
    if (old[0].get("required") is True) != required:
        became = "required" if required else "optional"
        spot = new_spot(join_pointer(new[1], "required"))
        log.add(
            f"request-parameter-became-{became}", pair.label, f"{subject} became {became}", spot
        )
    _compare_parameter_lifecycle(log, pair, subject, old, new)
    scope = SchemaScope(
        "request",
        pair.label,
        subject,
        kind="parameter",
        stability=stability_of(pair.new.data),
        header=key[0] == "header",
    )
    compare_schemas(log, scope, header_schema(*old), header_schema(*new))


_PARAMETER_DEPRECATION = {
    "plain": "request-parameter-deprecated",
    "with-sunset": "request-parameter-deprecated",
    "missing": "request-parameter-deprecated-sunset-missing",
    "invalid": "request-parameter-sunset-parse",
    "too-small": "request-parameter-sunset-date-too-small",
}
_PARAMETER_SUNSET_CHANGE = {
    "deleted": "request-parameter-sunset-deleted",
    "invalid": "request-parameter-sunset-parse",
    "too-small": "request-parameter-sunset-date-changed-too-small",
}


def _compare_parameter_lifecycle(
    log: ChangeLog, pair: OperationPair, subject: str, old: Located, new: Located
) -> None:
    """A parameter deprecated (checked against the sunset policy) or reactivated; its x-sunset."""
    before, after = old[0].get("deprecated") is True, new[0].get("deprecated") is True
    stability = stability_of(pair.new.data)
    if before != after:
        spot = new_spot(join_pointer(new[1], "deprecated"))
        if not after:
            log.add(
                "request-parameter-reactivated", pair.label, f"{subject} no longer deprecated", spot
            )
            return
        verdict = deprecation_verdict(new[0], log.policy, stability, log.today)
        detail = _deprecation_detail(subject, verdict, new[0], log.policy.days(stability))
        log.add(_PARAMETER_DEPRECATION[verdict], pair.label, detail, spot)
        return
    if not after:
        return
    change = sunset_change(old[0], new[0], log.policy, stability, log.today)
    if change is not None:
        detail = _sunset_change_detail(subject, change, old[0], new[0])
        spot = _sunset_spot(change, old[1], new[1])
        log.add(_PARAMETER_SUNSET_CHANGE[change], pair.label, detail, spot)


OPERATION_COMPARERS: tuple[Callable[[ChangeLog, OperationPair], None], ...] = (
    compare_operation_id,
    compare_deprecation,
    compare_stability,
    compare_tags,
    compare_parameters,
    compare_request_body,
    compare_responses,
    compare_security,
    compare_servers,
)


def compare_operations(log: ChangeLog) -> None:
    """Every operation of either spec: added, removed, or compared by every comparer."""
    old_operations, new_operations = operations_of(log.old), operations_of(log.new)
    new_paths = path_keys(log.new)
    for key in sorted(old_operations.keys() | new_operations.keys()):
        old, new = old_operations.get(key), new_operations.get(key)
        if new is None and old is not None:
            _report_removed(log, old, path_removed=key[0] not in new_paths)
        elif old is None and new is not None:
            log.add("endpoint-added", new.label, "operation added", new_spot(new.pointer))
        elif old is not None and new is not None:
            pair = OperationPair(old, new)
            for comparer in OPERATION_COMPARERS:
                comparer(log, pair)


def _removal_rule(owner: dict[str, Any], today: date, stem: str, parse_stem: str) -> str:
    """oasdiff's rule for removing something: `<stem>` when it was not deprecated, else
    `-with-deprecation`, `-before-sunset` (its sunset is still to come) or a sunset parse error."""
    if owner.get("deprecated") is not True:
        return stem if stem == "request-parameter-removed" else f"{stem}-without-deprecation"
    if "x-sunset" not in owner:
        return f"{stem}-with-deprecation"
    sunset = parse_sunset(owner["x-sunset"])
    if sunset is None:
        return f"{parse_stem}-sunset-parse"
    return f"{stem}-before-sunset" if sunset > today else f"{stem}-with-deprecation"


def _report_removed(log: ChangeLog, old: Operation, *, path_removed: bool) -> None:
    """`api-path-removed-*` when the whole path went, `api-removed-*` for one method of it."""
    deprecated = old.data.get("deprecated") is True
    stem = "api-path-removed" if path_removed else "api-removed"
    # oasdiff names an unreadable sunset `api-path-sunset-parse` for both kinds of removal.
    rule = _removal_rule(old.data, log.today, stem, "api-path")
    what = "path and operation" if path_removed else "operation"
    status = "deprecated " if deprecated else ""
    detail = f"{status}{what} removed" + ("" if deprecated else " without deprecation")
    log.add(rule, old.label, detail, old_spot(old.pointer))
